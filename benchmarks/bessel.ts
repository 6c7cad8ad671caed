// The Bessel function of the first kind J_nu(x) for nu, x in [0, 1) (the bessel_Jnu data set), by its
// power series in double precision, with Gamma(1 + nu) from the Stirling series.

import type { Benchmark } from './benchmark.ts';
import { BENCHMARK_INFO } from './catalog.ts';

const HALF_LN_2PI = 0.5 * Math.log(2 * Math.PI);
/** Stirling's shift: Gamma(z) is evaluated at z + SHIFT >= 9, where the asymptotic series below is accurate to ~3e-15. */
const SHIFT = 8;

/**
 * ln Gamma(z) for z >= 9 by the Stirling series
 *   (z - 1/2) ln z - z + ln(2 pi)/2 + sum_k B_2k / (2k (2k-1) z^(2k-1)),
 * through B_14 (coefficients 1/12, -1/360, 1/1260, -1/1680, 1/1188, -691/360360, 1/156); the first
 * omitted term, -3617/(122400 z^15), is below 2e-16 for z >= 9.
 */
function lnGammaLarge(z: number): number {
  const r = 1 / z;
  const r2 = r * r;
  const series =
    r * (1 / 12 + r2 * (-1 / 360 + r2 * (1 / 1260 + r2 * (-1 / 1680 + r2 * (1 / 1188 + r2 * (-691 / 360360 + r2 * (1 / 156)))))));
  return (z - 0.5) * Math.log(z) - z + HALF_LN_2PI + series;
}

/** Gamma(a) for a in [1, 2]: Gamma(a + SHIFT) / (a (a+1) ... (a+SHIFT-1)). Relative error ~1e-15. */
export function gammaNear1(a: number): number {
  let product = 1;
  for (let k = 0; k < SHIFT; k++) product *= a + k;
  return Math.exp(lnGammaLarge(a + SHIFT)) / product;
}

/**
 * J_nu(x) = sum_k (-1)^k (x/2)^(2k+nu) / (k! Gamma(k+nu+1)), for nu >= 0 and 0 <= x < ~2.
 * Each term is the previous one times -(x/2)^2 / (k (k + nu)); for x < 1 the k-th term is below
 * (1/4)^k / (k!)^2, so 12 terms reach double precision.
 */
export function besselJ(nu: number, x: number): number {
  const half = 0.5 * x;
  let term = Math.pow(half, nu) / gammaNear1(1 + nu); // 0^0 = 1: J_0(0) = 1
  let sum = term;
  const q = -half * half;
  for (let k = 1; k <= 30 && term !== 0; k++) {
    term *= q / (k * (k + nu));
    sum += term;
    if (Math.abs(term) < 1e-17 * Math.abs(sum)) break;
  }
  return sum;
}

export const bessel: Benchmark = {
  ...BENCHMARK_INFO.bessel,
  exact(x, out) {
    // Column 0 is nu, column 1 is x.
    out[0] = besselJ(x[0], x[1]);
  },
  tolerance: {
    abs: 5e-7 + 1e-9,
    why: 'the data file prints J_nu with 6 decimals (rounding <= 5e-7; the inputs have 4 decimals and are exact); this series is accurate to ~1e-15, the 1e-9 is margin',
  },
};
