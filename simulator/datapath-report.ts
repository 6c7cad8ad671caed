// The report's `datapath` section (a binary outside fp32: its formats, table and per-layer saturations) and its
// `quantization` section (`axc sim --shadow fp32`: what the format changed against the same model in fp32).

import type { DatapathSpec } from '../ir/datapath-spec.ts';
import type { LayerArithmetic } from '../ir/layer-arithmetic.ts';
import type { Grid } from '../ir/number-format.ts';
import type { NumericsPlan } from '../ir/numerics-plan.ts';
import type { QualitySummary } from '../quality/quality-tally.ts';

/** A grid as the report names it: its role's format and, for fixed point and int8, its fraction bits. */
export interface GridReport {
  format: string;
  fractionBits: number | null;
}

export interface DatapathReport {
  weights: string;
  activations: string;
  accumulator: string;
  lut: DatapathSpec['lut'];
  /** Samples rounded onto the input grid, and how many of their values saturated. */
  input: GridReport & { saturations: number };
  /** Per layer (q1 ...): its grids and the conversions that saturated in this run (fixed point clamped, or
   *  floating point overflowed), counted once per value converted. */
  layers: { name: string; weights: GridReport; accumulator: GridReport; output: GridReport; saturations: number }[];
  /** All layers' saturations, the input's included. */
  saturations: number;
}

function gridReport(format: string, g: Grid): GridReport {
  return { format, fractionBits: g.kind === 'fixed' ? g.frac : null };
}

export function datapathReport(plan: NumericsPlan, arithmetic: readonly LayerArithmetic[]): DatapathReport {
  const s = plan.spec;
  const layers = plan.layers.map((l, i) => ({
    name: l.name,
    weights: gridReport(s.weights, l.grids.weights),
    accumulator: gridReport(s.accumulator, l.grids.accumulator),
    output: gridReport(s.activations, l.grids.output),
    saturations: arithmetic[i + 1].saturations,
  }));
  const input = { ...gridReport(s.activations, plan.input), saturations: arithmetic[0].saturations };
  return { weights: s.weights, activations: s.activations, accumulator: s.accumulator, lut: s.lut, input, layers, saturations: layers.reduce((a, l) => a + l.saturations, input.saturations) };
}

export interface QuantizationReport {
  against: 'fp32';
  /** Samples whose invoke decision differs from the fp32 run's. */
  decisionsFlipped: number;
  /** Samples both runs delivered to the NPU, over which the deviation is taken. */
  compared: number;
  /** |H(x) − H_fp32(x)| over every output of the compared samples. */
  outputDeviation: { mean: number; max: number };
  /** The fp32 run's quality, beside the report's own (with --reference); null without. */
  quality: QualitySummary | null;
}

/** Accumulates the comparison sample by sample. */
export class QuantizationTally {
  private flipped = 0;
  private compared = 0;
  private sum = 0;
  private values = 0;
  private max = 0;

  add(invoked: boolean, y: Float32Array, fp32Invoked: boolean, fp32Y: Float32Array): void {
    if (invoked !== fp32Invoked) this.flipped++;
    if (!invoked || !fp32Invoked) return;
    this.compared++;
    for (let j = 0; j < y.length; j++) {
      const d = Math.abs(y[j] - fp32Y[j]);
      this.sum += d;
      this.values++;
      if (d > this.max || d !== d) this.max = d;
    }
  }

  summary(quality: QualitySummary | null): QuantizationReport {
    return { against: 'fp32', decisionsFlipped: this.flipped, compared: this.compared, outputDeviation: { mean: this.values ? this.sum / this.values : 0, max: this.max }, quality };
  }
}
