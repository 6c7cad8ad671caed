// What every trainer takes and gives: the context (tfjs, data, quality, budget, seeded streams), the per-epoch
// record it reports, the epoch loop, and the optimizer step that returns the loss with statistics from the same pass.

import type { Optimizer, Scalar, Tensor, Variable } from '@tensorflow/tfjs';
import type { Quality } from '../ir/model.ts';
import { SeededRandom } from '../ir/seeded-random.ts';
import type { Tfjs } from '../tfjs-runtime/load-tfjs.ts';
import type { Rows } from './minibatch.ts';
import type { AxNet, NetSpec } from './network.ts';

export interface EpochRecord {
  /** 1-based, counted over the whole run (all phases and rounds). */
  epoch: number;
  /** 'joint' (axnet, shared), 'approximator', 'predictor' (onepass), 'round N approximator' ... (iterative). */
  phase: string;
  /** Mean over the epoch's batches of the loss being minimised. */
  loss: number;
  /** Mean La (MSE) over the epoch, or null when the phase does not compute it. */
  approxLoss: number | null;
  /** Mean Lp (cross-entropy) over the epoch, or null. */
  predictLoss: number | null;
  /** Fraction of the epoch's training samples that were safe under the approximator of their batch, or null. */
  trueInvocation: number | null;
  /** Fraction of the epoch's training samples the decision invoked, or null. */
  predictedInvocation: number | null;
}

export interface TrainerContext {
  tf: Tfjs;
  spec: NetSpec;
  train: Rows;
  quality: Quality;
  epochs: number;
  batchSize: number;
  learningRate: number;
  seed: number;
  onEpoch(record: EpochRecord): void;
  /** Measures the whole model on the validation rows after an epoch (training/checkpoints.ts). */
  checkpoint(net: AxNet, epoch: number): void;
}

export interface TrainerResult {
  net: AxNet;
  history: EpochRecord[];
  /** Method-specific facts worth reporting (e.g. the iterative baseline's chosen round). */
  notes: Record<string, unknown>;
}

/** The generator for shuffling, independent of the one that initialised the weights. */
export function shuffleRandom(seed: number): SeededRandom {
  return new SeededRandom((seed ^ 0x5f3759df) >>> 0);
}

/**
 * Runs `epochs` epochs with one Adam optimizer (disposed at the end, on error too): `epoch` trains the e-th
 * (0-based) and returns its record, which is kept and reported through ctx.onEpoch. With `whole`, the net is
 * a complete model after every epoch, and each is a validation checkpoint.
 */
export function runEpochs(ctx: TrainerContext, epochs: number, epoch: (opt: Optimizer, e: number) => EpochRecord, whole?: AxNet): EpochRecord[] {
  const opt = ctx.tf.train.adam(ctx.learningRate);
  const history: EpochRecord[] = [];
  try {
    for (let e = 0; e < epochs; e++) {
      const rec = epoch(opt, e);
      history.push(rec);
      ctx.onEpoch(rec);
      if (whole) ctx.checkpoint(whole, rec.epoch);
    }
  } finally {
    opt.dispose();
  }
  return history;
}

/**
 * One Adam step on `f().loss` over `vars`. Returns the loss followed by the values of `f().stats` (scalars
 * computed in the same forward pass, e.g. the batch's invocation), read after the step.
 */
export function optimizerStep(tf: Tfjs, opt: Optimizer, vars: Variable[], f: () => { loss: Scalar; stats: Scalar[] }): number[] {
  let kept: Tensor | null = null;
  const cost = opt.minimize(
    () => {
      const r = f();
      kept = tf.keep(r.stats.length ? tf.stack(r.stats) : tf.zeros([0]));
      return r.loss;
    },
    true,
    vars,
  );
  const loss = cost!.dataSync()[0];
  cost!.dispose();
  const stats = Array.from((kept as Tensor | null)!.dataSync());
  (kept as Tensor | null)!.dispose();
  return [loss, ...stats];
}

/** Sums per-batch means weighted by batch size, giving per-epoch means. */
export class EpochMeans {
  private sums: number[] = [];
  private n = 0;
  add(values: number[], size: number): void {
    values.forEach((v, i) => (this.sums[i] = (this.sums[i] ?? 0) + v * size));
    this.n += size;
  }
  mean(i: number): number {
    return this.n ? (this.sums[i] ?? 0) / this.n : NaN;
  }
}
