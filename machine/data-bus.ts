// The data buses and their arbiter. Transfers belong to a requester: a tile (its loads and stores) or the
// CPU (samples in, results out). Requests enter in program order, so request times never decrease and
// granting them in order is exactly a first-come-first-served arbiter working cycle by cycle; the bus that
// frees first is granted. A request not granted in the cycle it is made is a conflict, and the cycles until
// the grant are its stall.

import type { Hardware } from '../hardware/description.ts';

export class DataBus {
  /** Requesters are the tiles 0 .. tiles-1, then the CPU. */
  readonly cpuRequester: number;
  /** Per requester. */
  readonly transactions: Float64Array;
  readonly words: Float64Array;
  readonly conflicts: Float64Array;
  readonly stallCycles: Float64Array;
  /** Which bus the latest grant used, and how long its request waited (for the trace). */
  lastBus = 0;
  lastStall = 0;

  readonly busFree: Float64Array;
  private readonly width: number;
  private readonly hostOnBus: boolean;
  /** The latest request so far. */
  lastRequest = 0;

  constructor(hw: Hardware) {
    this.cpuRequester = hw.tiles;
    this.busFree = new Float64Array(hw.bus.dataBuses);
    this.width = hw.bus.widthWords;
    this.hostOnBus = hw.bus.hostOnDataBus;
    this.transactions = new Float64Array(hw.tiles + 1);
    this.words = new Float64Array(hw.tiles + 1);
    this.conflicts = new Float64Array(hw.tiles + 1);
    this.stallCycles = new Float64Array(hw.tiles + 1);
  }

  /** Cycles on a bus for `words` words: one beat per bus width. */
  beats(words: number): number {
    return Math.ceil(words / this.width);
  }

  /** Whether a requester's transfers use the shared buses (the CPU's may have a link of its own). */
  usesBus(requester: number): boolean {
    return requester !== this.cpuRequester || this.hostOnBus;
  }

  /** Grants a bus to `requester`, asking at cycle t for `words`; returns the grant cycle. Only for
   *  requesters that use the bus. */
  grant(requester: number, t: number, words: number): number {
    const request = t > this.lastRequest ? t : this.lastRequest;
    this.lastRequest = request;
    const buses = this.busFree;
    let b = 0;
    for (let i = 1; i < buses.length; i++) if (buses[i] < buses[b]) b = i;
    const grant = request > buses[b] ? request : buses[b];
    buses[b] = grant + this.beats(words);
    this.transactions[requester]++;
    this.words[requester] += words;
    if (grant > request) {
      this.conflicts[requester]++;
      this.stallCycles[requester] += grant - request;
    }
    this.lastBus = b;
    this.lastStall = grant - request;
    return grant;
  }
}
