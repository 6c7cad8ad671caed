// Validation checkpoints, the one selection rule every method shares: after each epoch in which the whole
// model exists, measure it on the held-out validation rows and keep the best by net delivery (outputs
// delivered within the bound minus outputs delivered beyond it, over N), then by true invocation; and time
// training with the validation passes left out, for the plateau criterion.

import type { Quality } from '../ir/model.ts';
import type { Tfjs } from '../tfjs-runtime/load-tfjs.ts';
import { mapRows, type Rows } from './minibatch.ts';
import type { AxNet } from './network.ts';
import { safeLabels } from './safe-labels.ts';

/** A checkpoint whose validation net delivery is within this of the run's best has reached the plateau. */
export const PLATEAU_TOLERANCE = 0.01;

export interface Checkpoint {
  /** The epoch it followed, counted over the whole run. */
  epoch: number;
  /** Training seconds up to this checkpoint, validation passes excluded. */
  seconds: number;
  trueInvocation: number;
  predictedInvocation: number;
  /** Validation (predicted and safe) / N: the paper's prediction accuracy. */
  accuracy: number;
  /**
   * Validation ((predicted and safe) − (predicted and unsafe)) / N: what the selection maximises. Accuracy
   * alone would reward a predictor that invokes everything (a violation costs it nothing), agreement one that
   * invokes nothing whenever fewer than half the rows are safe; here a violation costs what a good output gains.
   */
  netDelivery: number;
}

export interface Selection {
  /** Every checkpoint, in order: the validation curve. */
  curve: Checkpoint[];
  /**
   * The checkpoint kept: the highest net delivery; among equals the highest true invocation (so a predictor
   * that never invokes still keeps its best approximator, not its untrained one); then the earliest.
   */
  selected: Checkpoint;
  /** Training seconds to the first checkpoint within PLATEAU_TOLERANCE of the best net delivery. */
  plateauSeconds: number;
  /** Training seconds for the whole budget, validation excluded. */
  trainSeconds: number;
}

export class ValidationCheckpoints {
  private readonly curve: Checkpoint[] = [];
  private best: { point: Checkpoint; values: Float32Array[] } | null = null;
  private readonly started = performance.now();
  private validating = 0;

  constructor(
    private readonly tf: Tfjs,
    private readonly rows: Rows,
    private readonly quality: Quality,
  ) {}

  private trainingSeconds(): number {
    return (performance.now() - this.started - this.validating) / 1000;
  }

  /** Measures `net` as it stands after `epoch` and keeps its weights when it is the best so far. */
  check(net: AxNet, epoch: number): void {
    const seconds = this.trainingSeconds();
    const from = performance.now();
    const { tf, quality } = this;
    // One value per row: 2·safe + invoked, so a single pass gives both.
    const codes = mapRows(tf, this.rows, 4096, (x, y) => {
      const { h, logits } = net.forward(x);
      return tf.add(tf.mul(safeLabels(tf, quality, h, y), 2), net.invokes(logits));
    });
    let safe = 0;
    let invoked = 0;
    let both = 0;
    for (const c of codes) {
      if (c >= 2) safe++;
      if (c === 1 || c === 3) invoked++;
      if (c === 3) both++;
    }
    const n = Math.max(1, this.rows.n);
    const point = { epoch, seconds, trueInvocation: safe / n, predictedInvocation: invoked / n, accuracy: both / n, netDelivery: (both - (invoked - both)) / n };
    this.curve.push(point);
    const b = this.best?.point;
    if (!b || point.netDelivery > b.netDelivery || (point.netDelivery === b.netDelivery && point.trueInvocation > b.trueInvocation)) this.best = { point, values: net.snapshot() };
    this.validating += performance.now() - from;
  }

  /** Restores the best checkpoint's weights into `net` and says what was chosen; null before any checkpoint. */
  restoreBest(net: AxNet): Selection | null {
    const trainSeconds = this.trainingSeconds();
    if (!this.best) return null;
    net.restore(this.best.values);
    const top = this.best.point.netDelivery;
    const plateau = this.curve.find((c) => c.netDelivery >= top - PLATEAU_TOLERANCE)!;
    return { curve: this.curve, selected: this.best.point, plateauSeconds: plateau.seconds, trainSeconds };
  }
}
