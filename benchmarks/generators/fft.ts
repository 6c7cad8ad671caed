// fft (1 -> 2): the twiddle-factor arguments a = k/m of a radix-2 FFT of size N = 2^LOG2_N. Every stage
// (butterfly span m = 2, 4, ..., N) does N/2 twiddle evaluations with k uniform over [0, m/2), so a
// sample is: a stage chosen uniformly, then k uniform in [0, m/2). That is the data's multiset: its values
// are multiples of 1/2048, 18.4% are 0 (sum over stages of 2/m, / 11 stages = 18.1%), and each reduced
// denominator 4 ... 512 is about equally frequent, 1024 and 2048 less (3/4 and 1/2 of that).

import type { InputGenerator } from './sampler.ts';
import { randomInt } from './sampler.ts';

export const LOG2_N = 11;

export const fftInputs: InputGenerator = {
  bench: 'fft',
  inputWidth: 1,
  description: `k/m for a radix-2 FFT of size 2^${LOG2_N}: stage span m = 2^s with s uniform in 1..${LOG2_N}, k uniform in [0, m/2)`,
  start(rng) {
    return (out, at) => {
      const m = 2 ** (1 + randomInt(rng, LOG2_N));
      out[at] = randomInt(rng, m / 2) / m;
    };
  },
};
