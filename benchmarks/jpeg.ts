// AxBench jpeg: one 8x8 block through the encoder's fixed-point forward DCT (10-bit constants) and
// quantization by reciprocal multiplication with the Annex K luminance table, in zigzag order.

import type { Benchmark } from './benchmark.ts';
import { BENCHMARK_INFO } from './catalog.ts';
import { LUMINANCE_QUANT, ZIGZAG } from './jpeg-tables.ts';

/** c[k] = round(sqrt(2) cos(k pi / 16) * 2^10), k = 1..7 (index 0 unused): 1420, 1338, 1204, 1024, 805, 554, 283. */
const C = Array.from({ length: 8 }, (_, k) => Math.round(Math.SQRT2 * Math.cos((k * Math.PI) / 16) * 1024));
const [C1, C2, C3, , C5, C6, C7] = C.slice(1);

/**
 * Reciprocals of the quantization steps, floor(32767 / Q) in natural order. Quantization is
 * (coef * recip + 2^14) >> 15, i.e. rounding coef / Q to nearest with a reciprocal that is slightly low,
 * so exact halves round down: this, not floor(32768 / Q), reproduces the data (with 32768 the DC of 181
 * blocks is one too large).
 */
const RECIPROCAL = Int32Array.from(LUMINANCE_QUANT, (q) => Math.floor(32767 / q));

/**
 * One 8-point DCT pass over `block` at `start` with element stride `step`, in place, in integers.
 * With d_n = v_n - v_{7-n}, s_n = v_n + v_{7-n}, output k is sqrt(8) times the orthonormal DCT-II coefficient:
 * the even outputs from the butterflies of s, the odd ones as direct 4-term products of d with the cosines.
 * dcShift/acShift are the right shifts (floor) applied to the even-butterfly DC/Nyquist pair and to the rest.
 */
function dctPass(block: Int32Array, start: number, step: number, dcShift: number, acShift: number): void {
  const v0 = block[start], v1 = block[start + step], v2 = block[start + 2 * step], v3 = block[start + 3 * step];
  const v4 = block[start + 4 * step], v5 = block[start + 5 * step], v6 = block[start + 6 * step], v7 = block[start + 7 * step];
  const d0 = v0 - v7, d1 = v1 - v6, d2 = v2 - v5, d3 = v3 - v4;
  const s0 = v0 + v7, s1 = v1 + v6, s2 = v2 + v5, s3 = v3 + v4;
  const e0 = s0 + s3, e1 = s0 - s3, e2 = s1 + s2, e3 = s1 - s2;
  block[start] = (e0 + e2) >> dcShift;
  block[start + 4 * step] = (e0 - e2) >> dcShift;
  block[start + 2 * step] = (e1 * C2 + e3 * C6) >> acShift;
  block[start + 6 * step] = (e1 * C6 - e3 * C2) >> acShift;
  block[start + step] = (d0 * C1 + d1 * C3 + d2 * C5 + d3 * C7) >> acShift;
  block[start + 3 * step] = (d0 * C3 - d1 * C7 - d2 * C1 - d3 * C5) >> acShift;
  block[start + 5 * step] = (d0 * C5 - d1 * C1 + d2 * C7 + d3 * C3) >> acShift;
  block[start + 7 * step] = (d0 * C7 - d1 * C5 + d2 * C3 - d3 * C1) >> acShift;
}

const block = new Int32Array(64);

export const jpeg: Benchmark = {
  ...BENCHMARK_INFO.jpeg,
  exact(x, out) {
    // Input: the block row-major as (gray - 128) / 256, so each value times 256 is an integer in [-128, 127].
    for (let i = 0; i < 64; i++) block[i] = Math.round(x[i] * 256);
    // Rows: scale sqrt(8), constants 2^10 removed (>> 10). Columns: another sqrt(8), and 2^10 * 8 removed
    // (>> 13; the DC/Nyquist pair has no constant, so >> 3): the result is the orthonormal 2-D DCT, floored.
    // Row outputs stay within +-1024 and column outputs within +-1024 (the original's 16-bit storage
    // never overflows); products stay below 2^24, so int32 arithmetic is exact.
    for (let r = 0; r < 8; r++) dctPass(block, 8 * r, 1, 0, 10);
    for (let c = 0; c < 8; c++) dctPass(block, c, 8, 3, 13);
    // Quantize, then emit in zigzag order, scaled by 1/256.
    for (let k = 0; k < 64; k++) {
      const n = ZIGZAG[k];
      out[k] = ((block[n] * RECIPROCAL[n] + 0x4000) >> 15) / 256;
    }
  },
  tolerance: {
    abs: 0,
    why: 'reproduced exactly: inputs and outputs are multiples of 1/256 (exact in binary), and the integer DCT and quantization match the original bit for bit',
  },
};
