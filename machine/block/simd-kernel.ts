// Float32 multiply-accumulate over many independent lanes (samples) at once: the WebAssembly SIMD kernel
// (its module: simd-module.ts), with a plain-JS fallback, both bit-exactly ir/numerics.ts accumulateDot in every lane.

import { NEU_VARIANTS, simdModule } from './simd-module.ts';

export interface MacKernel {
  /** Float32 view over the kernel's memory; re-read after `reserve` (growth replaces it). */
  readonly f32: Float32Array;
  /** 'wasm-simd' or 'js' (fallback when WebAssembly SIMD does not validate). */
  readonly kind: 'wasm-simd' | 'js';
  /** Ensures the memory holds at least `floats` float32 values (grows the wasm memory; the JS fallback reallocates, copying). */
  reserve(floats: number): void;
  /**
   * For k < count, for lane l < lanes:
   *   acc = from ? M[accOff + k*accStride + l] : +0
   *   for j < len: acc = f32(acc + f32(M[wOff + k*wStride + j] * M[xOff + j*xStride + l]))
   *   M[accOff + k*accStride + l] = acc
   * All offsets/strides in float32 elements of the same memory M. lanes, accStride and xStride are multiples of 4;
   * accOff and xOff are multiples of 4 (16-byte aligned); wOff is arbitrary. The accumulator rows must not
   * overlap the weight rows or the inputs read (lanes are computed together, not one after another).
   * Throws a RangeError for a misaligned or out-of-bounds call, before touching memory.
   */
  accumulateRows(count: number, accOff: number, accStride: number, wOff: number, wStride: number, xOff: number, xStride: number, len: number, lanes: number, from: 0 | 1): void;
  /**
   * How a neuron ends, for relu and linear (ir/numerics.ts: addBias, the activation, gate), over lanes:
   * for k < count, for lane l < lanes:
   *   h = f32(M[accOff + k*accStride + l] + M[biasOff + k*biasStride])
   *   if relu: h = h > 0 ? h : +0
   *   if gate: h = f32(h * M[ctlOff + k*ctlStride + l])
   *   M[outOff + k*outStride + l] = h
   * accOff, outOff, ctlOff and their strides and lanes are multiples of 4; out may be acc (in place).
   */
  finishRows(count: number, accOff: number, accStride: number, biasOff: number, biasStride: number, outOff: number, outStride: number, ctlOff: number, ctlStride: number, lanes: number, relu: 0 | 1, gate: 0 | 1): void;
  /**
   * A neuron per row, for relu and linear: accumulateRows from +0, each row's sums then ended as finishRows
   * ends them, without storing the sums: for k < count, for lane l < lanes:
   *   acc = the dot product of row k's len weights (from wOff + k*wStride) with lane l's inputs, as accumulateRows
   *   h = f32(acc + M[wOff + k*wStride + len])          (the bias: the word after the row's weights)
   *   if relu: h = h > 0 ? h : +0
   *   if gate: h = f32(h * M[ctlOff + k*outStride + l])  (the control rows, as far apart as the outputs)
   *   M[outOff + k*outStride + l] = h
   * Alignment as accumulateRows's (ctlOff too); the output rows must not overlap the weights or the inputs.
   */
  neuronRows(count: number, outOff: number, outStride: number, wOff: number, wStride: number, xOff: number, xStride: number, len: number, lanes: number, relu: 0 | 1, gate: 0 | 1, ctlOff: number): void;
  /** For l < lanes, j < len: M[dst + l*dstLane + j*dstWord] = M[src + l*srcLane + j*srcWord], bits unchanged:
   *  samples into lane-minor rows and back (a transpose). The two ranges must not overlap. */
  copyStrided(dst: number, dstLane: number, dstWord: number, src: number, srcLane: number, srcWord: number, lanes: number, len: number): void;
}

const PAGE_BYTES = 65536;
const PAGE_FLOATS = PAGE_BYTES / 4;

function check(name: string, v: number, multipleOf4: boolean): void {
  if (!Number.isSafeInteger(v) || v < 0 || (multipleOf4 && v % 4 !== 0)) {
    throw new RangeError(`accumulateRows: ${name} = ${v} must be a non-negative integer${multipleOf4 ? ' multiple of 4' : ''}`);
  }
}

/** Validates a call against a memory of `capacity` floats (the same rules for both kinds). */
function checkCall(capacity: number, count: number, accOff: number, accStride: number, wOff: number, wStride: number, xOff: number, xStride: number, len: number, lanes: number, from: number): void {
  check('count', count, false);
  check('accOff', accOff, true);
  check('accStride', accStride, true);
  check('wOff', wOff, false);
  check('wStride', wStride, false);
  check('xOff', xOff, true);
  check('xStride', xStride, true);
  check('len', len, false);
  check('lanes', lanes, true);
  if (from !== 0 && from !== 1) throw new RangeError(`accumulateRows: from = ${from} must be 0 or 1`);
  if (count === 0 || lanes === 0) return;
  const accEnd = accOff + (count - 1) * accStride + lanes;
  const wEnd = len === 0 ? 0 : wOff + (count - 1) * wStride + len;
  const xEnd = len === 0 ? 0 : xOff + (len - 1) * xStride + lanes;
  if (accEnd > capacity || wEnd > capacity || xEnd > capacity) {
    throw new RangeError(`accumulateRows: reaches float ${Math.max(accEnd, wEnd, xEnd)} of a memory of ${capacity}`);
  }
}

function pagesFor(floats: number): number {
  if (!Number.isSafeInteger(floats) || floats < 0) throw new RangeError(`reserve: ${floats} floats`);
  return Math.max(1, Math.ceil(floats / PAGE_FLOATS));
}

type MacFn = (count: number, acc: number, accS: number, w: number, wS: number, x: number, xS: number, lenB: number, lanesB: number, from: number) => void;
type FinFn = (count: number, acc: number, accS: number, bias: number, biasS: number, out: number, outS: number, ctl: number, ctlS: number, lanesB: number, relu: number, gate: number) => void;

type CopyFn = (dst: number, dL: number, dW: number, src: number, sL: number, sW: number, lanes: number, len: number) => void;
type TransposeFn = (dst: number, dstRow: number, src: number, srcRow: number, rows: number, cols: number) => void;

/** Validates a copyStrided call: every index it reaches lies in [0, capacity). */
function checkCopy(capacity: number, dst: number, dstLane: number, dstWord: number, src: number, srcLane: number, srcWord: number, lanes: number, len: number): void {
  for (const [name, v] of [['dst', dst], ['dstLane', dstLane], ['dstWord', dstWord], ['src', src], ['srcLane', srcLane], ['srcWord', srcWord], ['lanes', lanes], ['len', len]] as const) check(name, v, false);
  if (lanes === 0 || len === 0) return;
  const last = (at: number, lane: number, word: number) => at + (lanes - 1) * lane + (len - 1) * word;
  if (last(dst, dstLane, dstWord) >= capacity || last(src, srcLane, srcWord) >= capacity) throw new RangeError(`copyStrided: reaches past a memory of ${capacity}`);
}

/** Validates a neuronRows call: accumulateRows's rules, and the biases and gates it reads in range. */
function checkNeuron(capacity: number, count: number, outOff: number, outStride: number, wOff: number, wStride: number, xOff: number, xStride: number, len: number, lanes: number, gate: number, ctlOff: number): void {
  checkCall(capacity, count, outOff, outStride, wOff, wStride, xOff, xStride, len, lanes, 0);
  check('ctlOff', ctlOff, true);
  if (count === 0 || lanes === 0) return;
  const end = Math.max(wOff + (count - 1) * wStride + len + 1, gate ? ctlOff + (count - 1) * outStride + lanes : 0);
  if (end > capacity) throw new RangeError(`neuronRows: reaches float ${end} of a memory of ${capacity}`);
}

/** Validates a finishRows call against a memory of `capacity` floats. */
function checkFinish(capacity: number, count: number, accOff: number, accStride: number, biasOff: number, biasStride: number, outOff: number, outStride: number, ctlOff: number, ctlStride: number, lanes: number, gate: number): void {
  for (const [name, v] of [['accOff', accOff], ['accStride', accStride], ['outOff', outOff], ['outStride', outStride], ['ctlOff', ctlOff], ['ctlStride', ctlStride], ['lanes', lanes]] as const) check(name, v, true);
  check('count', count, false);
  check('biasOff', biasOff, false);
  check('biasStride', biasStride, false);
  if (count === 0 || lanes === 0) return;
  const end = (off: number, stride: number, n: number) => off + (count - 1) * stride + n;
  if (end(accOff, accStride, lanes) > capacity || end(outOff, outStride, lanes) > capacity || end(biasOff, biasStride, 1) > capacity || (gate && end(ctlOff, ctlStride, lanes) > capacity))
    throw new RangeError(`finishRows: reaches past a memory of ${capacity}`);
}

class WasmMacKernel implements MacKernel {
  readonly kind = 'wasm-simd' as const;
  private readonly memory: WebAssembly.Memory;
  private readonly mac: MacFn;
  private readonly fin: FinFn;
  private readonly copy: CopyFn;
  private readonly tr: TransposeFn;
  /** The neu functions, indexed relu + 2 * gate. */
  private readonly neu: MacFn[];
  private view: Float32Array;

  constructor(module: WebAssembly.Module, initialFloats: number) {
    this.memory = new WebAssembly.Memory({ initial: pagesFor(initialFloats) });
    const instance = new WebAssembly.Instance(module, { env: { memory: this.memory } });
    this.mac = instance.exports.mac as MacFn;
    this.fin = instance.exports.fin as FinFn;
    this.copy = instance.exports.copy as CopyFn;
    this.tr = instance.exports.tr as TransposeFn;
    this.neu = NEU_VARIANTS.map((v) => instance.exports[v.name] as MacFn);
    this.view = new Float32Array(this.memory.buffer);
  }

  get f32(): Float32Array {
    return this.view;
  }

  reserve(floats: number): void {
    const have = this.memory.buffer.byteLength / PAGE_BYTES;
    const need = pagesFor(floats);
    if (need > have) {
      this.memory.grow(need - have);
      this.view = new Float32Array(this.memory.buffer); // growth detached the old buffer
    }
  }

  accumulateRows(count: number, accOff: number, accStride: number, wOff: number, wStride: number, xOff: number, xStride: number, len: number, lanes: number, from: 0 | 1): void {
    checkCall(this.view.length, count, accOff, accStride, wOff, wStride, xOff, xStride, len, lanes, from);
    // Byte addresses beyond 2^31 pass as negative i32s with the same bits; wasm reads them unsigned.
    this.mac(count, accOff * 4, accStride * 4, wOff * 4, wStride * 4, xOff * 4, xStride * 4, len * 4, lanes * 4, from);
  }

  neuronRows(count: number, outOff: number, outStride: number, wOff: number, wStride: number, xOff: number, xStride: number, len: number, lanes: number, relu: 0 | 1, gate: 0 | 1, ctlOff: number): void {
    checkNeuron(this.view.length, count, outOff, outStride, wOff, wStride, xOff, xStride, len, lanes, gate, ctlOff);
    this.neu[relu + 2 * gate](count, outOff * 4, outStride * 4, wOff * 4, wStride * 4, xOff * 4, xStride * 4, len * 4, lanes * 4, ctlOff * 4);
  }

  finishRows(count: number, accOff: number, accStride: number, biasOff: number, biasStride: number, outOff: number, outStride: number, ctlOff: number, ctlStride: number, lanes: number, relu: 0 | 1, gate: 0 | 1): void {
    checkFinish(this.view.length, count, accOff, accStride, biasOff, biasStride, outOff, outStride, ctlOff, ctlStride, lanes, gate);
    this.fin(count, accOff * 4, accStride * 4, biasOff * 4, biasStride * 4, outOff * 4, outStride * 4, ctlOff * 4, ctlStride * 4, lanes * 4, relu, gate);
  }

  copyStrided(dst: number, dstLane: number, dstWord: number, src: number, srcLane: number, srcWord: number, lanes: number, len: number): void {
    checkCopy(this.view.length, dst, dstLane, dstWord, src, srcLane, srcWord, lanes, len);
    // A transpose (unit stride along the words on one side, along the lanes on the other) goes to `tr` in 4 x 4
    // tiles; its ragged edges, and every other layout, to the word-by-word `copy`. tr's rows run across the
    // source's unit stride: a lane's words (samples into rows) or a row's lanes (rows back into samples).
    const lanesFirst = srcWord === 1 && dstLane === 1;
    if (lanesFirst || (dstWord === 1 && srcLane === 1)) {
      const rows = lanesFirst ? lanes : len;
      const cols = lanesFirst ? len : lanes;
      const r4 = rows & ~3;
      const c4 = cols & ~3;
      this.tr(dst * 4, (lanesFirst ? dstWord : dstLane) * 4, src * 4, (lanesFirst ? srcLane : srcWord) * 4, r4, c4);
      // What the tiles left: lanes [l4, lanes) for every word, then words [j4, len) for lanes [0, l4).
      const l4 = lanesFirst ? r4 : c4;
      const j4 = lanesFirst ? c4 : r4;
      this.copy((dst + l4 * dstLane) * 4, dstLane * 4, dstWord * 4, (src + l4 * srcLane) * 4, srcLane * 4, srcWord * 4, lanes - l4, len);
      this.copy((dst + j4 * dstWord) * 4, dstLane * 4, dstWord * 4, (src + j4 * srcWord) * 4, srcLane * 4, srcWord * 4, l4, len - j4);
      return;
    }
    this.copy(dst * 4, dstLane * 4, dstWord * 4, src * 4, srcLane * 4, srcWord * 4, lanes, len);
  }
}

const f32 = Math.fround;

class JsMacKernel implements MacKernel {
  readonly kind = 'js' as const;
  private view: Float32Array;

  constructor(initialFloats: number) {
    this.view = new Float32Array(pagesFor(initialFloats) * PAGE_FLOATS);
  }

  get f32(): Float32Array {
    return this.view;
  }

  reserve(floats: number): void {
    const need = pagesFor(floats) * PAGE_FLOATS;
    if (need > this.view.length) {
      const next = new Float32Array(need);
      next.set(this.view);
      this.view = next;
    }
  }

  accumulateRows(count: number, accOff: number, accStride: number, wOff: number, wStride: number, xOff: number, xStride: number, len: number, lanes: number, from: 0 | 1): void {
    const M = this.view;
    checkCall(M.length, count, accOff, accStride, wOff, wStride, xOff, xStride, len, lanes, from);
    // Four lanes at a time in locals, as the wasm kernel's vectors: each one's j loop is the reference's.
    for (let k = 0; k < count; k++) {
      const row = accOff + k * accStride;
      const w = wOff + k * wStride;
      for (let l = 0; l < lanes; l += 4) {
        const at = row + l;
        let a0 = 0;
        let a1 = 0;
        let a2 = 0;
        let a3 = 0;
        if (from !== 0) {
          a0 = M[at];
          a1 = M[at + 1];
          a2 = M[at + 2];
          a3 = M[at + 3];
        }
        for (let j = 0, x = xOff + l; j < len; j++, x += xStride) {
          const wj = M[w + j];
          a0 = f32(a0 + f32(wj * M[x]));
          a1 = f32(a1 + f32(wj * M[x + 1]));
          a2 = f32(a2 + f32(wj * M[x + 2]));
          a3 = f32(a3 + f32(wj * M[x + 3]));
        }
        M[at] = a0;
        M[at + 1] = a1;
        M[at + 2] = a2;
        M[at + 3] = a3;
      }
    }
  }

  neuronRows(count: number, outOff: number, outStride: number, wOff: number, wStride: number, xOff: number, xStride: number, len: number, lanes: number, relu: 0 | 1, gate: 0 | 1, ctlOff: number): void {
    checkNeuron(this.view.length, count, outOff, outStride, wOff, wStride, xOff, xStride, len, lanes, gate, ctlOff);
    // Sums and ends row by row: the output rows overlap neither the weights nor the inputs, so finishing a row
    // in place changes nothing a later row reads.
    for (let k = 0; k < count; k++) {
      this.accumulateRows(1, outOff + k * outStride, outStride, wOff + k * wStride, wStride, xOff, xStride, len, lanes, 0);
      this.finishRows(1, outOff + k * outStride, outStride, wOff + k * wStride + len, wStride, outOff + k * outStride, outStride, ctlOff + k * outStride, outStride, lanes, relu, gate);
    }
  }

  finishRows(count: number, accOff: number, accStride: number, biasOff: number, biasStride: number, outOff: number, outStride: number, ctlOff: number, ctlStride: number, lanes: number, relu: 0 | 1, gate: 0 | 1): void {
    const M = this.view;
    checkFinish(M.length, count, accOff, accStride, biasOff, biasStride, outOff, outStride, ctlOff, ctlStride, lanes, gate);
    for (let k = 0; k < count; k++) {
      const b = M[biasOff + k * biasStride];
      for (let l = 0; l < lanes; l++) {
        let h = f32(M[accOff + k * accStride + l] + b);
        if (relu) h = h > 0 ? h : 0;
        if (gate) h = f32(h * M[ctlOff + k * ctlStride + l]);
        M[outOff + k * outStride + l] = h;
      }
    }
  }

  copyStrided(dst: number, dstLane: number, dstWord: number, src: number, srcLane: number, srcWord: number, lanes: number, len: number): void {
    const M = this.view;
    checkCopy(M.length, dst, dstLane, dstWord, src, srcLane, srcWord, lanes, len);
    // Through a Uint32Array, so the bits move as they are, NaN payloads included, as f32.load/f32.store move them.
    const U = new Uint32Array(M.buffer, M.byteOffset, M.length);
    for (let l = 0; l < lanes; l++) for (let j = 0; j < len; j++) U[dst + l * dstLane + j * dstWord] = U[src + l * srcLane + j * srcWord];
  }
}

/** A kernel over a fresh memory of at least `initialFloats` floats (zeroed): the wasm SIMD one unless it is
 *  unavailable or `prefer` is 'js'. */
export function createMacKernel(initialFloats: number, prefer: 'wasm-simd' | 'js' = 'wasm-simd'): MacKernel {
  const module = prefer === 'wasm-simd' ? simdModule() : null;
  return module ? new WasmMacKernel(module, initialFloats) : new JsMacKernel(initialFloats);
}
