// AxBench inversek2j: inverse kinematics of a two-joint planar arm with link lengths 0.5 and 0.5,
// (x, y) -> (theta1, theta2), in float32 with the C library's acosf/asinf as the original computes it.

import type { Benchmark } from './benchmark.ts';
import { BENCHMARK_INFO } from './catalog.ts';
import { PRINTED_12_DIGITS_BELOW_10 } from './benchmark.ts';
import { f32 } from './float32.ts';
import { acosf, asinf } from './libm-f32.ts';

const L1 = 0.5;
const L2 = 0.5;

export const inversek2j: Benchmark = {
  ...BENCHMARK_INFO.inversek2j,
  exact(xy, out) {
    // Law of cosines for the elbow, then the shoulder angle from
    //   sin(theta1) = (y (l1 + l2 cos theta2) - x l2 sin theta2) / (x^2 + y^2),
    // i.e. the elbow-up branch with theta2 = acos(...) in [0, pi] and theta1 = asin(...) in [-pi/2, pi/2]
    // (the data cover theta1, theta2 in [0, pi/2]). Every operation is float32 in C evaluation order;
    // cos/sin of a float are correctly rounded, acos/asin are the C library's (see libm-f32.ts).
    const x = f32(xy[0]);
    const y = f32(xy[1]);
    const rr = f32(f32(x * x) + f32(y * y));
    const cosTheta2 = f32(f32(f32(rr - L1 * L1) - L2 * L2) / (2 * L1 * L2));
    const theta2 = acosf(cosTheta2);
    const c2 = f32(Math.cos(theta2));
    const s2 = f32(Math.sin(theta2));
    const num = f32(f32(y * f32(L1 + f32(L2 * c2))) - f32(x * f32(L2 * s2)));
    const theta1 = asinf(f32(num / rr));
    out[0] = theta1;
    out[1] = theta2;
  },
  tolerance: {
    abs: PRINTED_12_DIGITS_BELOW_10,
    why: 'reproduced bit for bit (float32 arithmetic, the C library acosf/asinf emulated); angles are in [0, pi/2] and the data file prints 12 significant digits (rounding <= 5e-12 above 1)',
  },
};
