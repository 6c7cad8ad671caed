// AxBench fft: the twiddle factor of a radix-2 FFT, a = k/N -> (sin(-2 pi a), cos(-2 pi a)),
// computed in double precision and stored as floats, as the original does.

import type { Benchmark } from './benchmark.ts';
import { BENCHMARK_INFO } from './catalog.ts';
import { PRINTED_12_DIGITS_BELOW_1 } from './benchmark.ts';
import { f32 } from './float32.ts';

export const fft: Benchmark = {
  ...BENCHMARK_INFO.fft,
  exact(x, out) {
    // Column 0 is the sine, column 1 the cosine (the data confirm the order). The angle and the
    // trigonometric functions are double precision; each result is rounded to float32 when stored.
    const angle = -2 * Math.PI * x[0];
    out[0] = f32(Math.sin(angle));
    out[1] = f32(Math.cos(angle));
  },
  tolerance: {
    abs: PRINTED_12_DIGITS_BELOW_1,
    why: 'reproduced exactly (double-precision sin/cos rounded to float32); outputs are in [-1, 1] and the data file prints 12 significant digits (rounding <= 5e-13)',
  },
};
