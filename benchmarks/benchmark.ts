// The interface every AxBench target function implements: its metadata from the catalog (shape, data
// folder, estimated CPU cost), its exact (CPU) evaluation and how closely it reproduces the published outputs.

import type { BenchmarkInfo } from './catalog.ts';

export interface Benchmark extends BenchmarkInfo {
  /** Writes f(x) into out (length outputWidth). x holds inputWidth values. Must not allocate per call where avoidable. */
  exact(x: Float32Array | Float64Array, out: Float64Array): void;
  /** Max abs difference tolerated vs the real AxBench outputs, and why (precision of the original / of the data files). */
  tolerance: { abs: number; why: string };
}

/** Half a unit in the 12th significant digit: the rounding of the data files' printed values when |y| < 1,
 *  plus 1e-15 for the decimal-to-double conversion of the reference. */
export const PRINTED_12_DIGITS_BELOW_1 = 5e-13 + 1e-15;
/** The same for values with 1 <= |y| < 10. */
export const PRINTED_12_DIGITS_BELOW_10 = 5e-12 + 1e-14;
