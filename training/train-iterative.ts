// The iterative baseline (Xu et al., DAC'17): R rounds (8 by default, as in their scripts) of (1) retrain the
// approximator, warm-started, on the training rows judged safe in the previous round's relabelling (round 1:
// all rows), (2) relabel all training rows with it, (3) retrain the predictor, warm-started, on those labels.
// (The labels, not the predictor's decisions, pick the subset: a predictor that lags behind its labels would
// otherwise starve the approximator.) Every predictor epoch is a validation checkpoint, and the best is kept by
// the rule all methods share (training/checkpoints.ts).
//
// Budget: round 1 trains each subnet from scratch for ctx.epochs epochs (as onepass does); each later round
// warm-starts both for ⌈ctx.epochs / 4⌉, so at most 2·E + 2·(R − 1)·⌈E/4⌉ epochs in all.

import { labelRows, selectRows, trainApproximatorAlone, trainPredictorAlone } from './separate-phases.ts';
import { AxNet } from './network.ts';
import { shuffleRandom, type EpochRecord, type TrainerContext, type TrainerResult } from './trainer.ts';

export const DEFAULT_ROUNDS = 8;

/** Epochs per phase in `round` (1-based). */
export function roundEpochs(epochs: number, round: number): number {
  return round === 1 ? epochs : Math.ceil(epochs / 4);
}

export interface RoundSummary {
  round: number;
  /** Rows the approximator was trained on this round. */
  approximatorRows: number;
  /** Fraction of training rows labelled safe after this round's approximator. */
  trainSafeFraction: number;
}

export function trainIterative(ctx: TrainerContext, rounds = DEFAULT_ROUNDS): TrainerResult {
  const net = new AxNet(ctx.tf, { ...ctx.spec, control: 'none', shareFirst: false }, ctx.seed);
  try {
    const train = ctx.train;
    const rng = shuffleRandom(ctx.seed);
    const history: EpochRecord[] = [];
    const summaries: RoundSummary[] = [];
    const minRows = Math.max(2 * ctx.batchSize, Math.ceil(0.01 * train.n));
    let subset = train;
    let stoppedEarly: string | null = null;
    for (let round = 1; round <= rounds; round++) {
      const epochs = roundEpochs(ctx.epochs, round);
      const next = () => history.length + 1;
      history.push(...trainApproximatorAlone(ctx, net, subset, { phase: `round ${round} approximator`, epochs, firstEpoch: next(), rng }));
      const labels = labelRows(ctx, net, train);
      history.push(...trainPredictorAlone(ctx, net, train, labels, { phase: `round ${round} predictor`, epochs, firstEpoch: next(), rng }));
      summaries.push({ round, approximatorRows: subset.n, trainSafeFraction: labels.reduce((a, b) => a + b, 0) / Math.max(1, train.n) });
      if (round === rounds) break;
      subset = selectRows(train, labels);
      if (subset.n < minRows) {
        stoppedEarly = `after round ${round}: only ${subset.n} training rows are safe (fewer than ${minRows})`;
        break;
      }
    }
    return { net, history, notes: { rounds: summaries, stoppedEarly } };
  } catch (e) {
    net.dispose();
    throw e;
  }
}
