// The onepass baseline (Mahajan et al.): train the approximator alone (MSE) for the whole budget, label the
// training data with it, then train the predictor (same topology, decision only, no controls) on those labels
// with cross-entropy for the same budget. Each predictor epoch is a validation checkpoint.

import { AxNet } from './network.ts';
import { labelRows, trainApproximatorAlone, trainPredictorAlone } from './separate-phases.ts';
import { shuffleRandom, type TrainerContext, type TrainerResult } from './trainer.ts';

export function trainOnepass(ctx: TrainerContext): TrainerResult {
  const net = new AxNet(ctx.tf, { ...ctx.spec, control: 'none', shareFirst: false }, ctx.seed);
  try {
    const rng = shuffleRandom(ctx.seed);
    const history = trainApproximatorAlone(ctx, net, ctx.train, { phase: 'approximator', epochs: ctx.epochs, firstEpoch: 1, rng });
    const labels = labelRows(ctx, net, ctx.train);
    history.push(...trainPredictorAlone(ctx, net, ctx.train, labels, { phase: 'predictor', epochs: ctx.epochs, firstEpoch: ctx.epochs + 1, rng }));
    const safe = labels.reduce((a, b) => a + b, 0) / Math.max(1, labels.length);
    return { net, history, notes: { trainSafeFraction: safe } };
  } catch (e) {
    net.dispose();
    throw e;
  }
}
