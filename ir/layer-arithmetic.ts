// The datapath arithmetic of one layer in any number format: the multiply-add unit, the bias, the activation
// unit (exact, or a lookup table) and the Hadamard gate, each result rounded onto its role's grid, with the
// layer's saturations counted. The reference interpreter and the simulator both compute through it; in fp32
// it equals ir/numerics.ts bit for bit (test/number-formats.test.ts holds it there).

import type { LutSpec } from './datapath-spec.ts';
import { ACT_LINEAR, ACT_RELU, ACT_SIGMOID } from './numerics.ts';
import { productToGrid, roundHalfEven, roundToGrid, saturated, type Grid } from './number-format.ts';

/** The grids one layer computes on: its weights and bias, its accumulator, its output (activations, gated or
 *  not, and the control vectors and logits of the predictor's output layer). */
export interface LayerGrids {
  weights: Grid;
  accumulator: Grid;
  output: Grid;
}

/** Significant bits a grid's values can have, to know when binary64 holds a product exactly. */
export function significantBits(g: Grid): number {
  if (g.kind === 'float') return g.precision;
  return Math.ceil(Math.log2(Math.max(g.max, -g.min) + 1));
}

export class LayerArithmetic {
  /** Conversions that clamped (fixed point) or overflowed to ±Infinity (floating point), since the last reset. */
  saturations = 0;
  private readonly exactMac: boolean;
  private readonly exactGate: boolean;
  private readonly tables: (Float64Array | null)[] = [null, null, null, null];

  /** `inputBits`, `controlBits`: at most how many significant bits the layer's inputs and control elements have
   *  (significantBits of their grids, or a bound on them); they only decide when a product needs the slower
   *  exact rounding, never the result. */
  constructor(
    readonly name: string,
    readonly grids: LayerGrids,
    readonly lut: LutSpec,
    inputBits: number,
    controlBits: number,
  ) {
    this.exactMac = significantBits(grids.weights) + inputBits <= 53;
    this.exactGate = significantBits(grids.output) + controlBits <= 53;
  }

  private count(): void {
    if (saturated) this.saturations++;
  }

  /** A weight or bias as the compiler stores it. */
  toWeight(v: number): number {
    const r = roundToGrid(this.grids.weights, v);
    this.count();
    return r;
  }

  /** A value onto the output grid (a received sample, for the input's own arithmetic). */
  toOutput(v: number): number {
    const r = roundToGrid(this.grids.output, v);
    this.count();
    return r;
  }

  /** The multiply-add unit from `acc`: each product rounded once onto the accumulator's grid, then the sum. */
  accumulate(acc: number, w: Float64Array | Float32Array, wOff: number, x: Float64Array | Float32Array, xOff: number, n: number): number {
    const g = this.grids.accumulator;
    for (let j = 0; j < n; j++) {
      const p = this.exactMac ? roundToGrid(g, w[wOff + j] * x[xOff + j]) : productToGrid(g, w[wOff + j], x[xOff + j]);
      if (saturated) this.saturations++;
      acc = roundToGrid(g, acc + p);
      if (saturated) this.saturations++;
    }
    return acc;
  }

  /** The bias, onto the accumulator's grid, added to a finished sum. */
  addBias(acc: number, bias: number): number {
    const g = this.grids.accumulator;
    const b = roundToGrid(g, bias);
    this.count();
    const r = roundToGrid(g, acc + b);
    this.count();
    return r;
  }

  /** The activation unit: relu and linear round the sum onto the output grid; sigmoid and tanh are computed in
   *  binary64 and rounded (`exact`), or looked up in the table. */
  activate(code: number, a: number): number {
    let v: number;
    if (code === ACT_LINEAR) v = a;
    else if (code === ACT_RELU) v = a > 0 ? a : 0;
    else if (this.lut === 'exact') v = code === ACT_SIGMOID ? 1 / (1 + Math.exp(-a)) : Math.tanh(a);
    else v = this.lookUp(code, a);
    return this.toOutput(v);
  }

  /** The switch unit's Hadamard multiply, rounded once onto the output grid. */
  gate(h: number, c: number): number {
    const g = this.grids.output;
    const r = this.exactGate ? roundToGrid(g, h * c) : productToGrid(g, h, c);
    this.count();
    return r;
  }

  /** The softmax decision's margin, safe − other, onto the output grid. */
  margin(safe: number, other: number): number {
    return this.toOutput(safe - other);
  }

  /**
   * The table over [−R, R] of N entries at x_i = −R + i·s, s = 2R/(N − 1) (x_{N−1} = R), each f(x_i) rounded
   * onto the output grid. v ≤ −R reads entry 0 and v ≥ R entry N − 1; otherwise t = (v + R)/s, and `nearest`
   * reads entry roundHalfEven(t), `linear` T_i + (t − i)·(T_{i+1} − T_i) with i = min(floor t, N − 2), in
   * binary64, before activate() rounds it.
   */
  private lookUp(code: number, v: number): number {
    const lut = this.lut as Exclude<LutSpec, 'exact'>;
    const t = this.tables[code] ?? this.buildTable(code, lut);
    const n = lut.entries;
    if (v !== v) return v;
    if (v <= -lut.range) return t[0];
    if (v >= lut.range) return t[n - 1];
    const pos = (v + lut.range) / ((2 * lut.range) / (n - 1));
    if (lut.interpolation === 'nearest') return t[Math.min(n - 1, roundHalfEven(pos))];
    const i = Math.min(Math.floor(pos), n - 2);
    return t[i] + (pos - i) * (t[i + 1] - t[i]);
  }

  private buildTable(code: number, lut: Exclude<LutSpec, 'exact'>): Float64Array {
    const n = lut.entries;
    const s = (2 * lut.range) / (n - 1);
    const t = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const x = i === n - 1 ? lut.range : -lut.range + i * s;
      t[i] = roundToGrid(this.grids.output, code === ACT_SIGMOID ? 1 / (1 + Math.exp(-x)) : Math.tanh(x));
    }
    this.tables[code] = t;
    return t;
  }
}
