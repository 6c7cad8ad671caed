// Training defaults per benchmark: topology (after the paper's Table I), quality metric and bound (chosen so
// that true invocation is neither ~0 nor ~1), and the budget (epochs, batch size, Adam learning rate).
// inversek2j and blackscholes are judged by relative error, as the authors judge them; blackscholes' bound is
// loose (25%) because many of its option prices are near 0, where a small absolute miss is a large relative one.

import type { Metric } from '../ir/model.ts';

export interface BenchDefaults {
  /** Approximator widths: input, hidden..., output. */
  approx: number[];
  /** Predictor widths: input, hidden... (the split output layer is implied). */
  predict: number[];
  metric: Metric;
  bound: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
}

export const DEFAULT_SEED = 1;
export const DEFAULT_LEARNING_RATE = 0.003;

export const BENCH_DEFAULTS: Record<string, BenchDefaults> = {
  sobel: { approx: [9, 8, 1], predict: [9, 8], metric: 'rmse', bound: 0.02, epochs: 20, batchSize: 64, learningRate: DEFAULT_LEARNING_RATE },
  jpeg: { approx: [64, 16, 64], predict: [64, 16], metric: 'rmse', bound: 0.003, epochs: 20, batchSize: 64, learningRate: DEFAULT_LEARNING_RATE },
  inversek2j: { approx: [2, 8, 2], predict: [2, 8], metric: 'rel', bound: 0.1, epochs: 20, batchSize: 128, learningRate: DEFAULT_LEARNING_RATE },
  fft: { approx: [1, 4, 4, 2], predict: [1, 4], metric: 'abs', bound: 0.01, epochs: 60, batchSize: 64, learningRate: DEFAULT_LEARNING_RATE },
  bessel: { approx: [2, 8, 1], predict: [2, 8], metric: 'abs', bound: 0.01, epochs: 20, batchSize: 128, learningRate: DEFAULT_LEARNING_RATE },
  blackscholes: { approx: [6, 8, 1], predict: [6, 8], metric: 'rel', bound: 0.25, epochs: 20, batchSize: 64, learningRate: DEFAULT_LEARNING_RATE },
  kmeans: { approx: [6, 8, 4, 1], predict: [6, 8], metric: 'abs', bound: 0.01, epochs: 20, batchSize: 64, learningRate: DEFAULT_LEARNING_RATE },
  jmeint: { approx: [18, 16, 2], predict: [18, 16], metric: 'abs', bound: 0.2, epochs: 20, batchSize: 64, learningRate: DEFAULT_LEARNING_RATE },
};

/** Samples generated when `axc train` is given no --data. */
export const GENERATED_SAMPLES = 20_000;

// Budget: Adam at 0.003 (0.01 made the joint AXNet loss oscillate on sobel), 20 epochs (fft 60: its 1-input
// 4-4 approximator learns slowly) of batches of 64 (128 for the 56k-sample bessel and inversek2j). One axnet
// run takes about 3-12 s on 2 cores with the wasm backend on the AxBench data or 20k generated samples;
// onepass about the same, iterative (8 rounds, the later ones a quarter as long) about 2-3x that.
