// The seeded split of a tuning run's rows into the calibration rows a threshold is chosen on and the
// held-out rows it is judged on, since a threshold judged on the data it was chosen on looks better than it is.

import { SeededRandom } from '../ir/seeded-random.ts';

/** Row indices, each part in input order. `fraction` of the rows (rounded) are held out; 0 holds out none. */
export function splitHoldout(rows: number, fraction: number, seed: number): { calibration: Uint32Array; holdout: Uint32Array } {
  const order = new Uint32Array(rows);
  for (let i = 0; i < rows; i++) order[i] = i;
  const rng = new SeededRandom(seed);
  for (let i = rows - 1; i > 0; i--) {
    const j = rng.nextUint32() % (i + 1);
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  const held = Math.round(rows * fraction);
  return { holdout: order.slice(0, held).sort(), calibration: order.slice(held).sort() };
}
