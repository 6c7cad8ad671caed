// Deterministic Glorot-uniform initial weights for a model, so untrained models compile and run reproducibly.

import { SeededRandom } from './seeded-random.ts';

/** Fills a [rows][cols] Glorot-uniform weight matrix, then a bias uniform in [-0.1, 0.1], drawing from one generator in a fixed order. */
export function glorotUniform(rng: SeededRandom, rows: number, cols: number): { weights: Float32Array; bias: Float32Array } {
  const limit = Math.sqrt(6 / (rows + cols));
  const weights = new Float32Array(rows * cols);
  for (let i = 0; i < weights.length; i++) weights[i] = rng.uniform(-limit, limit);
  const bias = new Float32Array(rows);
  for (let i = 0; i < rows; i++) bias[i] = rng.uniform(-0.1, 0.1);
  return { weights, bias };
}
