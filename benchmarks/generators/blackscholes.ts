// blackscholes (6 -> 1): [S/120, K/120, r, sigma, T, type] drawn from a fixed, seeded list of OPTIONS
// options, as PARSEC's input is a fixed option list cycled (the data: 15000 samples, 821 distinct rows).
// The list uses the parameter levels seen in the data, with their frequencies there:
//   (S, K): (50, 41.25 | 50 | 60.75) and (100, 90 | 100 | 110), equally often, plus the two textbook
//           options (42, 40, r 0.10, sigma 0.20, T 0.5) and (60, 65, r 0.08, sigma 0.30, T 0.25) once each;
//   r in {0.0275, 0.05, 0.0725, 0.0825, 0.10}, sigma in {0.05 ... 0.65}, T in {0.05 ... 1}, type 0 (call) / 1 (put).
// r, sigma and T are drawn independently (the data's are correlated); every value is stored as float32,
// as PARSEC's fptype = float.

import { f32 } from '../float32.ts';
import type { SeededRandom } from '../../ir/seeded-random.ts';
import type { InputGenerator } from './sampler.ts';
import { pickWeighted, randomInt } from './sampler.ts';

/** Size of the option list (the number of distinct rows a data set can have, at most). */
export const OPTIONS = 1000;

type Levels<T> = readonly (readonly [T, number])[];

/** (S, K) with their counts in the data. */
const SPOT_STRIKE: Levels<readonly [number, number]> = [
  [[50, 41.25], 2415], [[50, 50], 2481], [[50, 60.75], 2543],
  [[100, 90], 2499], [[100, 100], 2544], [[100, 110], 2462],
];
/** Levels of r, sigma and T with their counts in the data (less the textbook options). */
const RATE: Levels<number> = [[0.0275, 8193], [0.05, 1656], [0.0725, 1600], [0.0825, 1553], [0.1, 1942]];
const VOLATILITY: Levels<number> = [[0.05, 551], [0.1, 3951], [0.15, 513], [0.25, 4349], [0.35, 602], [0.45, 522], [0.5, 3907], [0.65, 549]];
const TIME: Levels<number> = [[0.05, 1079], [0.1, 2830], [0.15, 1033], [0.25, 1074], [0.35, 1145], [0.4, 1073], [0.5, 2781], [0.75, 1111], [1, 2818]];
const TEXTBOOK = [[42, 40, 0.1, 0.2, 0.5], [60, 65, 0.08, 0.3, 0.25]] as const;

function option(s: number, k: number, r: number, sigma: number, t: number, put: number): Float32Array {
  return Float32Array.of(f32(s / 120), f32(k / 120), f32(r), f32(sigma), f32(t), put);
}

/** The option list of a data set, drawn from its random stream. */
export function optionList(rng: SeededRandom): Float32Array[] {
  const list = TEXTBOOK.map(([s, k, r, sigma, t]) => option(s, k, r, sigma, t, randomInt(rng, 2)));
  while (list.length < OPTIONS) {
    const [s, k] = pickWeighted(rng, SPOT_STRIKE);
    list.push(option(s, k, pickWeighted(rng, RATE), pickWeighted(rng, VOLATILITY), pickWeighted(rng, TIME), randomInt(rng, 2)));
  }
  return list;
}

export const blackscholesInputs: InputGenerator = {
  bench: 'blackscholes',
  inputWidth: 6,
  description: `uniform draws from a seeded list of ${OPTIONS} options over the data's parameter levels (S/120, K/120, r, sigma, T, put)`,
  start(rng) {
    const list = optionList(rng);
    return (out, at) => out.set(list[randomInt(rng, list.length)], at);
  },
};
