// The quality metric Err and the "safe to approximate" test of DESIGN.md §1: in plain float64 arithmetic
// (the metrics) and as tfjs ops (the labels plabel inside training, which carry no gradient).
//
//   abs   e_j = |H_j - y_j|                 safe when e_j < B for every output j
//   rel   e_j = |H_j - y_j| / |y_j|         (0 when H_j = y_j, +Infinity when y_j = 0 and H_j != y_j)
//   rmse  e   = sqrt(mean_j (H_j - y_j)^2)  one number per sample ("image diff"); safe when e < B
//
// A sample's reported error (for the "approximation error" metric) is the mean of its e_j (rmse: e).

import type { Tensor, Tensor1D, Tensor2D } from '@tensorflow/tfjs';
import type { Metric, Quality } from '../ir/model.ts';
import type { Tfjs } from '../tfjs/load-tfjs.ts';

export interface SampleQuality {
  safe: boolean;
  /** Mean of the per-output errors (abs, rel) or the sample's rmse. */
  error: number;
}

/** Err of output j: |h - y| (abs) or |h - y| / |y| (rel). */
export function outputError(metric: Exclude<Metric, 'rmse'>, h: number, y: number): number {
  const d = Math.abs(h - y);
  if (metric === 'abs') return d;
  if (d === 0) return 0;
  return d / Math.abs(y); // +Infinity when y = 0
}

/** Err of one sample: h[hOff .. hOff+width) against y[yOff .. yOff+width). */
export function sampleQuality(q: Quality, h: ArrayLike<number>, hOff: number, y: ArrayLike<number>, yOff: number, width: number): SampleQuality {
  if (q.metric === 'rmse') {
    let s = 0;
    for (let j = 0; j < width; j++) {
      const d = h[hOff + j] - y[yOff + j];
      s += d * d;
    }
    const e = Math.sqrt(s / width);
    return { safe: e < q.bound, error: e };
  }
  let safe = true;
  let sum = 0;
  for (let j = 0; j < width; j++) {
    const e = outputError(q.metric, h[hOff + j], y[yOff + j]);
    if (!(e < q.bound)) safe = false;
    sum += e;
  }
  return { safe, error: sum / width };
}

/**
 * plabel as a float tensor of shape [batch]: 1 where the sample is safe (Err < B on every output), else 0.
 * Comparisons have no gradient; call it through `stopGradient`-style wrappers (see safeLabels) on a tape.
 */
export function safeMask(tf: Tfjs, q: Quality, h: Tensor2D, y: Tensor2D): Tensor1D {
  return tf.tidy(() => {
    const d = tf.sub(h, y);
    let safe: Tensor;
    if (q.metric === 'rmse') {
      safe = tf.less(tf.sqrt(tf.mean(tf.square(d), 1)), q.bound);
    } else if (q.metric === 'abs') {
      safe = tf.all(tf.less(tf.abs(d), q.bound), 1);
    } else {
      const ad = tf.abs(d);
      safe = tf.all(tf.logicalOr(tf.less(ad, tf.mul(tf.abs(y), q.bound)), tf.equal(ad, 0)), 1);
    }
    return tf.cast(safe, 'float32') as Tensor1D;
  });
}

/**
 * safeMask wrapped so that it can sit inside a gradient tape: its forward ops are not recorded and its
 * gradient is zero, so no gradient flows through plabel (Algorithm 1: plabel is a target, not a path).
 */
export function safeLabels(tf: Tfjs, q: Quality): (h: Tensor2D, y: Tensor2D) => Tensor1D {
  const f = tf.customGrad((...args: unknown[]) => {
    const [h, y] = args as [Tensor2D, Tensor2D];
    return { value: safeMask(tf, q, h, y), gradFunc: () => [tf.zerosLike(h), tf.zerosLike(y)] };
  });
  return (h, y) => f(h, y) as Tensor1D;
}
