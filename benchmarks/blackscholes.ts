// AxBench blackscholes: the PARSEC Black-Scholes European option price with PARSEC's polynomial CNDF
// approximation, in float32 with the same double-precision steps as the original.

import type { Benchmark } from './benchmark.ts';
import { BENCHMARK_INFO } from './catalog.ts';
import { PRINTED_12_DIGITS_BELOW_1 } from './benchmark.ts';
import { f32 } from './float32.ts';
import { logf } from './libm-f32.ts';

/** 1 / sqrt(2 pi), a double constant in the original. */
const INV_SQRT_2PI = 0.3989422804014327;

/**
 * PARSEC's CNDF: the cumulative normal distribution by the Abramowitz & Stegun 26.2.17 polynomial
 *   N(x) = 1 - phi(x) (a1 k + a2 k^2 + a3 k^3 + a4 k^4 + a5 k^5),  k = 1 / (1 + 0.2316419 x),  x >= 0,
 * and N(x) = 1 - N(-x) for x < 0. Variables are floats; the constants are doubles, so a statement such as
 * `k = 0.2316419 * x` is evaluated in double and rounded when stored; exp() is the double libm function.
 */
function cndf(input: number): number {
  const negative = input < 0;
  const x = negative ? -input : input;
  const expValue = f32(Math.exp(f32(f32(-0.5 * x) * x)));
  const phi = f32(expValue * INV_SQRT_2PI);
  let k = f32(0.2316419 * x);
  k = f32(1.0 + k);
  k = f32(1.0 / k);
  const k2 = f32(k * k);
  const k3 = f32(k2 * k);
  const k4 = f32(k3 * k);
  const k5 = f32(k4 * k);
  const a1 = f32(k * 0.31938153);
  let acc = f32(k2 * -0.356563782);
  acc = f32(acc + f32(k3 * 1.781477937));
  acc = f32(acc + f32(k4 * -1.821255978));
  acc = f32(acc + f32(k5 * 1.330274429));
  const poly = f32(acc + a1);
  const n = f32(1.0 - f32(poly * phi));
  return negative ? f32(1.0 - n) : n;
}

export const blackscholes: Benchmark = {
  ...BENCHMARK_INFO.blackscholes,
  exact(v, out) {
    // Inputs [S/120, K/120, r, sigma, T, type (0 call, 1 put)]. The price is homogeneous of degree 1 in
    // (S, K), so evaluating at S/120, K/120 gives price/120; the data were computed on the scaled values
    // directly (rescaling to S, K first changes 88% of the outputs by an ulp or more).
    const S = f32(v[0]);
    const K = f32(v[1]);
    const r = f32(v[2]);
    const sigma = f32(v[3]);
    const T = f32(v[4]);
    const isPut = v[5] >= 0.5;
    const sqrtT = f32(Math.sqrt(T));
    const logTerm = logf(f32(S / K)); // the float libm log (not correctly rounded; see libm-f32.ts)
    const powerTerm = f32(f32(sigma * sigma) * 0.5);
    let d1 = f32(r + powerTerm);
    d1 = f32(d1 * T);
    d1 = f32(d1 + logTerm);
    const den = f32(sigma * sqrtT);
    d1 = f32(d1 / den);
    const d2 = f32(d1 - den);
    const n1 = cndf(d1);
    const n2 = cndf(d2);
    // K * exp(-r T): the product with the double exp() is evaluated in double, then stored as a float.
    const futureValue = f32(K * Math.exp(f32(-r * T)));
    out[0] = isPut
      ? f32(f32(futureValue * f32(1.0 - n2)) - f32(S * f32(1.0 - n1)))
      : f32(f32(S * n1) - f32(futureValue * n2));
  },
  tolerance: {
    abs: PRINTED_12_DIGITS_BELOW_1,
    why: 'reproduced bit for bit (float32 statements, double exp, the C library logf emulated); prices are below 1 and the data file prints 12 significant digits (rounding <= 5e-13)',
  },
};
