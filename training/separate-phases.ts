// The phases the baselines (onepass, iterative) are built from, each training one subnet alone: the
// approximator on MSE, labelling rows with it, and the predictor (decision only) on fixed labels with
// cross-entropy. No class weighting: AXNet's joint loss has none, and the comparison treats methods alike.

import type { Scalar, Tensor1D, Tensor2D } from '@tensorflow/tfjs';
import type { SeededRandom } from '../ir/seeded-random.ts';
import { safeLabels } from './safe-labels.ts';
import { decisionLoss, mseLoss } from './losses.ts';
import { forEachBatch, mapRows, type Rows } from './minibatch.ts';
import type { AxNet } from './network.ts';
import { EpochMeans, optimizerStep, runEpochs, type EpochRecord, type TrainerContext } from './trainer.ts';

export interface PhaseOptions {
  phase: string;
  epochs: number;
  firstEpoch: number;
  rng: SeededRandom;
}

/** Trains the (uncontrolled) approximator alone on MSE over `rows`. */
export function trainApproximatorAlone(ctx: TrainerContext, net: AxNet, rows: Rows, p: PhaseOptions): EpochRecord[] {
  const { tf } = ctx;
  return runEpochs(ctx, p.epochs, (opt, e) => {
    const means = new EpochMeans();
    forEachBatch(tf, rows, ctx.batchSize, p.rng, (b) => {
      const r = optimizerStep(tf, opt, net.approxVariables(), () => {
        const h = net.approximate(b.x, []);
        return { loss: mseLoss(tf, b.y, h), stats: [tf.mean(safeLabels(tf, ctx.quality, h, b.y)) as Scalar] };
      });
      means.add(r, b.size);
    });
    return { epoch: p.firstEpoch + e, phase: p.phase, loss: means.mean(0), approxLoss: means.mean(0), predictLoss: null, trueInvocation: means.mean(1), predictedInvocation: null };
  });
}

/** plabel of every row under the current approximator: 1 = safe. */
export function labelRows(ctx: TrainerContext, net: AxNet, rows: Rows): Float32Array {
  return mapRows(ctx.tf, rows, 4096, (x, y) => safeLabels(ctx.tf, ctx.quality, net.approximate(x, []), y));
}

/** Trains the predictor's decision alone on fixed labels (cross-entropy); the whole model is checkpointed after each epoch. */
export function trainPredictorAlone(ctx: TrainerContext, net: AxNet, rows: Rows, labels: Float32Array, p: PhaseOptions): EpochRecord[] {
  const { tf } = ctx;
  const withLabels: Rows = { ...rows, extra: [labels] };
  return runEpochs(
    ctx,
    p.epochs,
    (opt, e) => {
      const means = new EpochMeans();
      forEachBatch(tf, withLabels, ctx.batchSize, p.rng, (b) => {
        const l = tf.tensor1d(b.extra[0]);
        try {
          const r = optimizerStep(tf, opt, net.predictorVariables(), () => {
            const { logits } = net.predict(b.x);
            return { loss: decisionLoss(tf, logits, l as Tensor1D), stats: [tf.mean(net.invokes(logits as Tensor2D)) as Scalar] };
          });
          means.add(r, b.size);
        } finally {
          l.dispose();
        }
      });
      return { epoch: p.firstEpoch + e, phase: p.phase, loss: means.mean(0), approxLoss: null, predictLoss: means.mean(0), trueInvocation: null, predictedInvocation: means.mean(1) };
    },
    net,
  );
}

/** The rows whose flag is 1, as a new Rows (for training on a subset). */
export function selectRows(rows: Rows, flags: Float32Array): Rows {
  let n = 0;
  for (let i = 0; i < rows.n; i++) if (flags[i]) n++;
  const x = new Float32Array(n * rows.xWidth);
  const y = new Float32Array(n * rows.yWidth);
  let k = 0;
  for (let i = 0; i < rows.n; i++) {
    if (!flags[i]) continue;
    x.set(rows.x.subarray(i * rows.xWidth, (i + 1) * rows.xWidth), k * rows.xWidth);
    y.set(rows.y.subarray(i * rows.yWidth, (i + 1) * rows.yWidth), k * rows.yWidth);
    k++;
  }
  return { n, x, xWidth: rows.xWidth, y, yWidth: rows.yWidth };
}
