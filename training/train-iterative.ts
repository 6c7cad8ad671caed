// The iterative baseline (Xu et al., DAC'17): R rounds of (1) retrain the approximator, warm-started, on the
// training rows judged safe in the previous round's relabelling (round 1: all rows), (2) relabel all training
// rows with it, (3) retrain the predictor, warm-started, on those labels. (The labels, not the predictor's
// decisions, pick the subset: a predictor that lags behind its labels would otherwise starve the approximator.) The round with the best true
// invocation on a held-out validation split (ties: best prediction accuracy) is kept.
//
// Budget, per round: ctx.epochs epochs of the approximator over its subset and ctx.epochs epochs of the
// predictor over all training rows, so at most 2 * R * ctx.epochs epochs in all (the paper notes this
// method's larger training effort). The validation split is VALIDATION_FRACTION of the training rows.

import type { Dataset } from '../benchmarks/dataset.ts';
import { SeededRandom } from '../ir/seeded-random.ts';
import { evaluateModel, type Metrics } from './metrics.ts';
import { permutation, type Rows } from './minibatch.ts';
import { AxNet } from './network.ts';
import { balanceWeights, labelRows, selectRows, trainApproximatorAlone, trainPredictorAlone } from './separate-phases.ts';
import { shuffleRandom, type EpochRecord, type TrainerContext, type TrainerResult } from './trainer.ts';

export const DEFAULT_ROUNDS = 3;
export const VALIDATION_FRACTION = 0.1;

export interface RoundSummary {
  round: number;
  /** Rows the approximator was trained on this round. */
  approximatorRows: number;
  /** Fraction of training rows labelled safe after this round's approximator. */
  trainSafeFraction: number;
  validation: Pick<Metrics, 'trueInvocation' | 'predictedInvocation' | 'accuracy' | 'error'>;
}

/** Splits rows into (training, validation) by a seeded permutation. */
function holdOut(rows: Rows, seed: number): { train: Rows; validation: Rows } {
  const order = permutation(new SeededRandom((seed ^ 0x2545f491) >>> 0), rows.n);
  const nVal = Math.max(1, Math.round(rows.n * VALIDATION_FRACTION));
  const flags = (pick: (rank: number) => boolean) => {
    const f = new Float32Array(rows.n);
    order.forEach((row, rank) => (f[row] = pick(rank) ? 1 : 0));
    return f;
  };
  return { validation: selectRows(rows, flags((r) => r < nVal)), train: selectRows(rows, flags((r) => r >= nVal)) };
}

function asDataset(rows: Rows): Dataset {
  return { bench: 'validation', n: rows.n, inputWidth: rows.xWidth, outputWidth: rows.yWidth, x: rows.x, y: rows.y };
}

export function trainIterative(ctx: TrainerContext, rounds = DEFAULT_ROUNDS): TrainerResult {
  const net = new AxNet(ctx.tf, { ...ctx.spec, control: 'none', shareFirst: false }, ctx.seed);
  try {
    const { train, validation } = holdOut(ctx.train, ctx.seed);
    const rng = shuffleRandom(ctx.seed);
    const history: EpochRecord[] = [];
    const summaries: RoundSummary[] = [];
    const minRows = Math.max(2 * ctx.batchSize, Math.ceil(0.01 * train.n));
    let subset = train;
    let best: { round: number; values: Float32Array[]; m: Metrics } | null = null;
    let stoppedEarly: string | null = null;
    for (let round = 1; round <= rounds; round++) {
      const next = () => history.length + 1;
      history.push(...trainApproximatorAlone(ctx, net, subset, { phase: `round ${round} approximator`, epochs: ctx.epochs, firstEpoch: next(), rng }));
      const labels = labelRows(ctx, net, train);
      const balance = balanceWeights(labels);
      history.push(...trainPredictorAlone(ctx, net, train, labels, balance?.weights ?? null, { phase: `round ${round} predictor`, epochs: ctx.epochs, firstEpoch: next(), rng }));
      const m = evaluateModel(net.toAxModel({ name: 'validation', quality: ctx.quality }), asDataset(validation), ctx.quality);
      summaries.push({
        round,
        approximatorRows: subset.n,
        trainSafeFraction: labels.reduce((a, b) => a + b, 0) / Math.max(1, train.n),
        validation: { trueInvocation: m.trueInvocation, predictedInvocation: m.predictedInvocation, accuracy: m.accuracy, error: m.error },
      });
      if (!best || m.trueInvocation > best.m.trueInvocation || (m.trueInvocation === best.m.trueInvocation && m.accuracy > best.m.accuracy)) {
        best = { round, values: net.snapshot(), m };
      }
      if (round === rounds) break;
      subset = selectRows(train, labels);
      if (subset.n < minRows) {
        stoppedEarly = `after round ${round}: only ${subset.n} training rows are safe (fewer than ${minRows})`;
        break;
      }
    }
    net.restore(best!.values);
    return { net, history, notes: { rounds: summaries, keptRound: best!.round, stoppedEarly, validationRows: validation.n, trainingRows: train.n } };
  } catch (e) {
    net.dispose();
    throw e;
  }
}
