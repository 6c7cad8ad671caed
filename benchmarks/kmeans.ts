// AxBench kmeans: the Euclidean distance between an (r, g, b) pixel and a centroid, the squared
// distance summed in float32 and its square root taken in double, as in the published outputs.

import type { Benchmark } from './benchmark.ts';
import { BENCHMARK_INFO } from './catalog.ts';
import { PRINTED_12_DIGITS_BELOW_10 } from './benchmark.ts';
import { f32 } from './float32.ts';

export const kmeans: Benchmark = {
  ...BENCHMARK_INFO.kmeans,
  exact(x, out) {
    // Inputs [r, g, b, centroid r, centroid g, centroid b], all in [0, 1]. The squared distance is
    // accumulated in float32 in r, g, b order; the root is not rounded back to float32 (the data's outputs
    // are not float32 values, and rounding them would miss by up to 4e-8).
    const dr = f32(f32(x[0]) - f32(x[3]));
    const dg = f32(f32(x[1]) - f32(x[4]));
    const db = f32(f32(x[2]) - f32(x[5]));
    const sum = f32(f32(f32(dr * dr) + f32(dg * dg)) + f32(db * db));
    out[0] = Math.sqrt(sum);
  },
  tolerance: {
    abs: PRINTED_12_DIGITS_BELOW_10,
    why: 'reproduced exactly; distances are in [0, sqrt(3)] and the data file prints 12 significant digits (rounding <= 5e-12 above 1)',
  },
};
