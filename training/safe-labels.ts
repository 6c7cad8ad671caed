// plabel for the trainers as tensors, computed by the one definition of Err (quality/error-metric.ts) on
// the batch's values: the labels are targets, not a path, so they are constants with no gradient.

import type { Tensor1D, Tensor2D } from '@tensorflow/tfjs';
import type { Quality } from '../ir/model.ts';
import { safeRowLabels } from '../quality/error-metric.ts';
import type { Tfjs } from '../tfjs-runtime/load-tfjs.ts';

/** plabel of every row of H against y as a float tensor of shape [batch] (1 = safe). Reads h and y back. */
export function safeLabels(tf: Tfjs, q: Quality, h: Tensor2D, y: Tensor2D): Tensor1D {
  const [rows, width] = h.shape;
  return tf.tensor1d(safeRowLabels(q, h.dataSync(), y.dataSync(), width, rows));
}
