// AxBench sobel: the Sobel gradient magnitude of one 3x3 grayscale window, computed in float32 as the
// original C code does, clipped at 255/sqrt(2 * 256^2).

import type { Benchmark } from './benchmark.ts';
import { BENCHMARK_INFO } from './catalog.ts';
import { PRINTED_12_DIGITS_BELOW_1 } from './benchmark.ts';
import { f32 } from './float32.ts';

/** Horizontal-gradient kernel, row-major: weight of window[r][c] is KX[3r + c]. The vertical kernel is its transpose. */
const KX = [-1, 0, 1, -2, 0, 2, -1, 0, 1] as const;
/** The clip value 255 / sqrt(256^2 + 256^2), stored as a float. */
const CLIP = f32(255 / Math.sqrt(256 * 256 + 256 * 256));

export const sobel: Benchmark = {
  ...BENCHMARK_INFO.sobel,
  exact(x, out) {
    // x is the window row-major: w[r][c] = x[3r + c]. The original accumulates both convolutions in
    // float32 column by column (for c: for r: acc += w[r][c] * k), starting from 0; that order is what
    // reproduces the data bit for bit (row-by-row order differs in ~85% of samples by an ulp or more).
    let gx = 0;
    let gy = 0;
    for (let c = 0; c < 3; c++) {
      for (let r = 0; r < 3; r++) {
        const w = f32(x[3 * r + c]);
        gx = f32(gx + w * KX[3 * r + c]); // products by 0, +-1, +-2 are exact in float32
        gy = f32(gy + w * KX[3 * c + r]);
      }
    }
    const s = f32(Math.sqrt(f32(f32(gx * gx) + f32(gy * gy))));
    out[0] = s > CLIP ? CLIP : s;
  },
  tolerance: {
    abs: PRINTED_12_DIGITS_BELOW_1,
    why: 'reproduced bit for bit in float32; outputs are in [0, 0.705) and the data file prints 12 significant digits (rounding <= 5e-13)',
  },
};
