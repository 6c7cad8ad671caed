// The references for the FANN importer's tests: a hand-built network's forward pass computed here in float64 the
// way fann_run defines it (the networks and their text come from examples/fann-fixtures.ts), and FANN's own
// fann_run through libfann (experiments/libfann.ts).

import { SeededRandom } from '../../ir/seeded-random.ts';
import { FANN_LINEAR, FANN_SIGMOID, FANN_SIGMOID_SYMMETRIC, steepnessOf, type FannNet } from '../../examples/fann-fixtures.ts';
export { FANN_LINEAR, FANN_SIGMOID, FANN_SIGMOID_SYMMETRIC, fannText, randomNet, type FannLayer, type FannNet } from '../../examples/fann-fixtures.ts';
export { removeLibfannRunner, rowRelativeError, runLibfann } from '../../experiments/libfann.ts';

/** fann_run's forward pass, in float64: the sum times the steepness, clamped at ±150/s, then the function. */
export function fannForward(net: FannNet, x: readonly number[]): number[] {
  let values = [...x];
  net.layers.forEach((l, k) => {
    values = net.weights[k].map((row, j) => {
      let sum = row[row.length - 1]; // the bias neuron's value is 1
      for (let c = 0; c < values.length; c++) sum += row[c] * values[c];
      const s = steepnessOf(l, j);
      const max = 150 / s;
      const v = Math.max(-max, Math.min(max, s * sum));
      if (l.activation === FANN_SIGMOID) return 1 / (1 + Math.exp(-2 * v));
      if (l.activation === FANN_SIGMOID_SYMMETRIC) return Math.tanh(v);
      if (l.activation === FANN_LINEAR) return v;
      throw new Error(`fannForward: activation ${l.activation} is not modelled here`);
    });
  });
  return values;
}

/** Seeded rows in [lo, hi], each value a float32. */
export function randomRows(seed: number, n: number, width: number, lo = -1, hi = 1): number[][] {
  const rng = new SeededRandom(seed);
  return Array.from({ length: n }, () => Array.from({ length: width }, () => Math.fround(lo + rng.next() * (hi - lo))));
}
