// jmeint (18 -> 2): two triangles V0 V1 V2, U0 U1 U2 with every coordinate uniform in [0, 1) (float32),
// as the data's. About 28% of such pairs intersect (28.7% of the data's 7000).

import { f32 } from '../float32.ts';
import type { InputGenerator } from './sampler.ts';

export const jmeintInputs: InputGenerator = {
  bench: 'jmeint',
  inputWidth: 18,
  description: 'two triangles with vertices uniform in [0, 1)^3',
  start(rng) {
    return (out, at) => {
      for (let i = 0; i < 18; i++) out[at + i] = f32(rng.next());
    };
  },
};
