// The deterministic train/test split: rows shuffled by a seeded permutation, then cut (80/20 by default).

import { sliceDataset, type Dataset } from '../benchmarks/dataset.ts';
import { SeededRandom } from '../ir/seeded-random.ts';
import { gatherRows, permutation } from './minibatch.ts';

export const TEST_FRACTION = 0.2;

/** Shuffles `d` with `seed`, then returns the first (1 - testFraction) as train and the rest as test. */
export function splitTrainTest(d: Dataset, seed: number, testFraction = TEST_FRACTION): { train: Dataset; test: Dataset } {
  const order = permutation(new SeededRandom((seed ^ 0x1b873593) >>> 0), d.n);
  const shuffled: Dataset = { ...d, x: gatherRows(d.x, d.inputWidth, order), y: gatherRows(d.y, d.outputWidth, order) };
  const nTrain = d.n - Math.round(d.n * testFraction);
  return { train: sliceDataset(shuffled, 0, nTrain), test: sliceDataset(shuffled, nTrain, d.n) };
}
