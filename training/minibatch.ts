// Seeded shuffling and mini-batches: the one place that decides which rows a training step sees, so every
// trainer is deterministic for a given seed.

import type { Tensor, Tensor2D } from '@tensorflow/tfjs';
import { SeededRandom } from '../ir/seeded-random.ts';
import type { Tfjs } from '../tfjs-runtime/load-tfjs.ts';

/** A Fisher-Yates permutation of 0 .. n-1 drawn from rng. */
export function permutation(rng: SeededRandom, n: number): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}

/** Rows `idx` of a row-major matrix with `width` columns. */
export function gatherRows(src: Float32Array, width: number, idx: ArrayLike<number>): Float32Array {
  const out = new Float32Array(idx.length * width);
  for (let i = 0; i < idx.length; i++) out.set(src.subarray(idx[i] * width, (idx[i] + 1) * width), i * width);
  return out;
}

/** Training rows: inputs, targets, and optional per-row values (labels, weights) that travel with them. */
export interface Rows {
  n: number;
  x: Float32Array;
  xWidth: number;
  y: Float32Array;
  yWidth: number;
  /** Per-row columns carried along (e.g. a label and a class weight). */
  extra?: Float32Array[];
}

export interface Batch {
  x: Tensor2D;
  y: Tensor2D;
  extra: Float32Array[];
  size: number;
}

/**
 * One epoch: rows shuffled by rng, cut into batches of batchSize (the last one may be smaller). Each batch's
 * tensors are disposed after `step` returns.
 */
export function forEachBatch(tf: Tfjs, rows: Rows, batchSize: number, rng: SeededRandom, step: (b: Batch) => void): void {
  const order = permutation(rng, rows.n);
  for (let from = 0; from < rows.n; from += batchSize) {
    const idx = order.subarray(from, Math.min(rows.n, from + batchSize));
    const x = tf.tensor2d(gatherRows(rows.x, rows.xWidth, idx), [idx.length, rows.xWidth]);
    const y = tf.tensor2d(gatherRows(rows.y, rows.yWidth, idx), [idx.length, rows.yWidth]);
    const extra = (rows.extra ?? []).map((col) => gatherRows(col, 1, idx));
    try {
      step({ x, y, extra, size: idx.length });
    } finally {
      x.dispose();
      y.dispose();
    }
  }
}

/**
 * One value per row, computed on consecutive chunks of rows without a tape (for labelling a whole data set):
 * f maps a chunk's x and y to a tensor of one value per row of the chunk.
 */
export function mapRows(tf: Tfjs, rows: Rows, chunk: number, f: (x: Tensor2D, y: Tensor2D) => Tensor): Float32Array {
  const out = new Float32Array(rows.n);
  for (let from = 0; from < rows.n; from += chunk) {
    const to = Math.min(rows.n, from + chunk);
    const x = tf.tensor2d(rows.x.subarray(from * rows.xWidth, to * rows.xWidth), [to - from, rows.xWidth]);
    const y = tf.tensor2d(rows.y.subarray(from * rows.yWidth, to * rows.yWidth), [to - from, rows.yWidth]);
    try {
      const values = tf.tidy(() => f(x, y));
      out.set(values.dataSync(), from);
      values.dispose();
    } finally {
      x.dispose();
      y.dispose();
    }
  }
  return out;
}
