// The two losses of J = La(y, H(x)) + Lp(plabel, P(x)): mean squared error for the approximator and
// cross-entropy for the decision, written out in numerically stable form.

import type { Scalar, Tensor1D, Tensor2D } from '@tensorflow/tfjs';
import type { Tfjs } from '../tfjs-runtime/load-tfjs.ts';
import { SAFE_INDEX } from './network.ts';

/** La: mean over the batch and the outputs of (H - y)^2. */
export function mseLoss(tf: Tfjs, y: Tensor2D, h: Tensor2D): Scalar {
  return tf.mean(tf.square(tf.sub(h, y)));
}

/**
 * Lp: cross-entropy of the decision against labels in {0, 1} (1 = safe), averaged over the batch.
 * logits is [batch, 2] (softmax, logit SAFE_INDEX = safe) or [batch, 1] (sigmoid of the safe probability).
 */
export function decisionLoss(tf: Tfjs, logits: Tensor2D, labels: Tensor1D): Scalar {
  let ce: Tensor1D;
  if (logits.shape[1] === 1) {
    // -[l log s(z) + (1-l) log(1-s(z))] = max(z, 0) - z l + log(1 + exp(-|z|))
    const z = tf.reshape(logits, [-1]) as Tensor1D;
    ce = tf.add(tf.sub(tf.relu(z), tf.mul(z, labels)), tf.log1p(tf.exp(tf.neg(tf.abs(z))))) as Tensor1D;
  } else {
    const safe = labels;
    const unsafe = tf.sub(1, labels);
    const target = (SAFE_INDEX === 1 ? tf.stack([unsafe, safe], 1) : tf.stack([safe, unsafe], 1)) as Tensor2D;
    ce = tf.neg(tf.sum(tf.mul(target, tf.logSoftmax(logits)), 1)) as Tensor1D;
  }
  return tf.mean(ce);
}
