// The phases the baselines (onepass, iterative) are built from, each training one subnet alone: the
// approximator on MSE, labelling rows with it, and the predictor (decision only) on fixed labels with
// cross-entropy, class-balanced when the labels are very unbalanced.

import type { Scalar, Tensor1D, Tensor2D } from '@tensorflow/tfjs';
import type { SeededRandom } from '../ir/seeded-random.ts';
import { safeLabels } from './safe-labels.ts';
import { decisionLoss, mseLoss } from './losses.ts';
import { forEachBatch, mapRows, type Rows } from './minibatch.ts';
import type { AxNet } from './network.ts';
import { EpochMeans, optimizerStep, runEpochs, type EpochRecord, type TrainerContext } from './trainer.ts';

/** Below this minority-class fraction the predictor's cross-entropy is class-balanced. */
export const BALANCE_BELOW = 0.2;

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

/** 1 where the current predictor invokes the approximator on the row. */
export function predictRows(ctx: TrainerContext, net: AxNet, rows: Rows): Float32Array {
  return mapRows(ctx.tf, rows, 4096, (x) => net.invokes(net.predict(x).logits));
}

/** Per-row class weights n / (2 n_class) when the minority class is rarer than BALANCE_BELOW, else null. */
export function balanceWeights(labels: Float32Array): { weights: Float32Array; safeWeight: number; unsafeWeight: number } | null {
  const n = labels.length;
  let safe = 0;
  for (let i = 0; i < n; i++) safe += labels[i];
  const minority = Math.min(safe, n - safe) / n;
  if (safe === 0 || safe === n || minority >= BALANCE_BELOW) return null;
  const safeWeight = n / (2 * safe);
  const unsafeWeight = n / (2 * (n - safe));
  return { weights: labels.map((l) => (l ? safeWeight : unsafeWeight)), safeWeight, unsafeWeight };
}

/** Trains the predictor's decision alone on fixed labels (cross-entropy, weights when given). */
export function trainPredictorAlone(ctx: TrainerContext, net: AxNet, rows: Rows, labels: Float32Array, weights: Float32Array | null, p: PhaseOptions): EpochRecord[] {
  const { tf } = ctx;
  const withLabels: Rows = { ...rows, extra: weights ? [labels, weights] : [labels] };
  return runEpochs(ctx, p.epochs, (opt, e) => {
    const means = new EpochMeans();
    forEachBatch(tf, withLabels, ctx.batchSize, p.rng, (b) => {
      const l = tf.tensor1d(b.extra[0]);
      const w = weights ? tf.tensor1d(b.extra[1]) : undefined;
      try {
        const r = optimizerStep(tf, opt, net.predictorVariables(), () => {
          const { logits } = net.predict(b.x);
          return { loss: decisionLoss(tf, logits, l as Tensor1D, w as Tensor1D | undefined), stats: [tf.mean(net.invokes(logits as Tensor2D)) as Scalar] };
        });
        means.add(r, b.size);
      } finally {
        l.dispose();
        w?.dispose();
      }
    });
    return { epoch: p.firstEpoch + e, phase: p.phase, loss: means.mean(0), approxLoss: null, predictLoss: means.mean(0), trueInvocation: null, predictedInvocation: means.mean(1) };
  });
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
