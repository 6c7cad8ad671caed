// bessel (2 -> 1): (nu, x), each uniform on the 4-decimal grid {0, 0.0001, ..., 0.9999} like the data,
// stored as float32.

import { f32 } from '../float32.ts';
import type { InputGenerator } from './sampler.ts';
import { randomInt } from './sampler.ts';

export const besselInputs: InputGenerator = {
  bench: 'bessel',
  inputWidth: 2,
  description: 'nu and x uniform on the 4-decimal grid of [0, 1)',
  start(rng) {
    return (out, at) => {
      out[at] = f32(randomInt(rng, 10000) / 10000);
      out[at + 1] = f32(randomInt(rng, 10000) / 10000);
    };
  },
};
