// The weight-sharing variant (paper Fig. 1b, §III-A "a false start"): approximator and predictor share their
// first hidden layer, have no control vectors, and are trained on the same joint loss as AXNet. The export
// duplicates the shared layer into both subnets (predictor hidden layer 1 = approximator hidden layer 1).

import { AxNet } from './network.ts';
import { trainJoint } from './train-axnet.ts';
import type { TrainerContext, TrainerResult } from './trainer.ts';

export function trainShared(ctx: TrainerContext): TrainerResult {
  const net = new AxNet(ctx.tf, { ...ctx.spec, control: 'none', shareFirst: true }, ctx.seed);
  try {
    return { net, history: trainJoint(ctx, net), notes: { sharedLayer: 'h1 = p1' } };
  } catch (e) {
    net.dispose();
    throw e;
  }
}
