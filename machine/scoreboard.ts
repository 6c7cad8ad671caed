// The scoreboard: for every word of on-chip memory and of each tile buffer, the cycle its last write
// completes (read-after-write) and the cycle its last read completes (write-after-read); for every PE,
// when it is free and when its weights are in; for every bus requester, when its port is free.

import type { Hardware } from '../hardware/description.ts';

export class Scoreboard {
  readonly ocmReady: Float64Array;
  readonly ocmReadDone: Float64Array;
  /** [tile][word], flattened, as the machine's input buffers. */
  readonly ibReady: Float64Array;
  readonly ibReadDone: Float64Array;
  readonly obReady: Float64Array;
  readonly obReadDone: Float64Array;
  /** [tile][pe], flattened. */
  readonly peFree: Float64Array;
  readonly wbReady: Float64Array;
  /** One port per tile, then the CPU's (the requesters of machine/data-bus.ts). */
  readonly portFree: Float64Array;

  constructor(hw: Hardware) {
    this.ocmReady = new Float64Array(hw.onChipMemoryWords);
    this.ocmReadDone = new Float64Array(hw.onChipMemoryWords);
    this.ibReady = new Float64Array(hw.tiles * hw.inputBufferWords);
    this.ibReadDone = new Float64Array(hw.tiles * hw.inputBufferWords);
    this.obReady = new Float64Array(hw.tiles * hw.outputBufferWords);
    this.obReadDone = new Float64Array(hw.tiles * hw.outputBufferWords);
    this.peFree = new Float64Array(hw.tiles * hw.pesPerTile);
    this.wbReady = new Float64Array(hw.tiles * hw.pesPerTile);
    this.portFree = new Float64Array(hw.tiles + 1);
  }
}

/** The latest of `floor` and a[from .. from + n): when the last of those words is ready. */
export function latest(a: Float64Array, from: number, n: number, floor: number): number {
  let m = floor;
  for (let j = 0; j < n; j++) if (a[from + j] > m) m = a[from + j];
  return m;
}

/** The latest of `floor`, a[ai .. ai + n) and b[bi .. bi + n): two checks over one range length in one loop. */
export function latest2(a: Float64Array, ai: number, b: Float64Array, bi: number, n: number, floor: number): number {
  let m = floor;
  for (let j = 0; j < n; j++) {
    const x = a[ai + j];
    const y = b[bi + j];
    if (x > m) m = x;
    if (y > m) m = y;
  }
  return m;
}

/** A write: the words are ready at `v`. */
export function setAll(a: Float64Array, from: number, n: number, v: number): void {
  for (let j = 0; j < n; j++) a[from + j] = v;
}

/** A read: the words' last read completes no sooner than `v` (reads may overlap, so the later one counts). */
export function raiseAll(a: Float64Array, from: number, n: number, v: number): void {
  for (let j = 0; j < n; j++) if (a[from + j] < v) a[from + j] = v;
}
