// AXNet end to end (paper Algorithm 1): per mini-batch, the predictor's control vectors gate the approximator,
// plabel = [Err(H(x), y) < B] comes from the current approximator with no gradient, and one Adam step on
// J = MSE(y, H) + CE(plabel, P(x)) updates both subnets (La reaches the predictor through the controls).

import type { Scalar, Tensor2D } from '@tensorflow/tfjs';
import { safeLabels } from './safe-labels.ts';
import { decisionLoss, mseLoss } from './losses.ts';
import { forEachBatch } from './minibatch.ts';
import { AxNet } from './network.ts';
import { EpochMeans, optimizerStep, runEpochs, shuffleRandom, type EpochRecord, type TrainerContext, type TrainerResult } from './trainer.ts';

/**
 * Trains `net` on the joint loss for ctx.epochs epochs. Used by AXNet (controls gate the approximator) and by
 * the weight-sharing variant (a shared first layer, no controls); the loss and the step are the same.
 */
export function trainJoint(ctx: TrainerContext, net: AxNet, phase = 'joint', firstEpoch = 1): EpochRecord[] {
  const { tf } = ctx;
  const vars = net.variables();
  const rng = shuffleRandom(ctx.seed);
  return runEpochs(ctx, ctx.epochs, (opt, e) => {
    const means = new EpochMeans();
    forEachBatch(tf, ctx.train, ctx.batchSize, rng, (b) => {
      const r = optimizerStep(tf, opt, vars, () => {
        const { h, logits } = net.forward(b.x);
        const plabel = safeLabels(tf, ctx.quality, h as Tensor2D, b.y); // from the current approximator; a constant
        const la = mseLoss(tf, b.y, h);
        const lp = decisionLoss(tf, logits, plabel);
        return { loss: tf.add(la, lp) as Scalar, stats: [la, lp, tf.mean(plabel) as Scalar, tf.mean(net.invokes(logits as Tensor2D)) as Scalar] };
      });
      means.add(r, b.size);
    });
    return {
      epoch: firstEpoch + e,
      phase,
      loss: means.mean(0),
      approxLoss: means.mean(1),
      predictLoss: means.mean(2),
      trueInvocation: means.mean(3),
      predictedInvocation: means.mean(4),
    };
  }, net);
}

/** AXNet: the network of ctx.spec (its control choice and decision), trained jointly from a seeded start. */
export function trainAxnet(ctx: TrainerContext): TrainerResult {
  const net = new AxNet(ctx.tf, ctx.spec, ctx.seed);
  try {
    return { net, history: trainJoint(ctx, net), notes: {} };
  } catch (e) {
    net.dispose();
    throw e;
  }
}
