// inversek2j (2 -> 2): (x, y), the end point of the two-link arm (l1 = l2 = 0.5) for joint angles theta1,
// theta2 uniform in [0, pi/2] (the data's angles are uniform there): x = l1 cos t1 + l2 cos(t1 + t2),
// y = l1 sin t1 + l2 sin(t1 + t2), in float32 as the original. So x in [-0.5, 1], y in [0, 1], and
// |(x, y)| in [sqrt(1/2), 1], as in the data.

import { f32 } from '../float32.ts';
import type { InputGenerator } from './sampler.ts';

const L1 = 0.5;
const L2 = 0.5;

export const inversek2jInputs: InputGenerator = {
  bench: 'inversek2j',
  inputWidth: 2,
  description: 'forward kinematics (links 0.5, 0.5) of joint angles uniform in [0, pi/2]',
  start(rng) {
    return (out, at) => {
      const t1 = f32(rng.uniform(0, Math.PI / 2));
      const t2 = f32(rng.uniform(0, Math.PI / 2));
      const t12 = f32(t1 + t2);
      out[at] = f32(f32(L1 * f32(Math.cos(t1))) + f32(L2 * f32(Math.cos(t12))));
      out[at + 1] = f32(f32(L1 * f32(Math.sin(t1))) + f32(L2 * f32(Math.sin(t12))));
    };
  },
};
