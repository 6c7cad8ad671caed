// The quality of a run, sample by sample: the paper's metrics (§V-A) and the delivered error, as the
// `quality` section of `axc sim --reference` and the trainers' test metrics both report them.

import type { Metric, Quality } from '../ir/model.ts';

/** The `quality` section of the run report. Rates are fractions in [0, 1]. */
export interface QualitySummary {
  metric: Metric;
  bound: number;
  /** The reference's file path, or "exact" for the benchmark's exact function. */
  reference: string;
  samples: number;
  /** Samples with Err < bound (the approximator's H(x) against the reference, invoked or not). */
  safe: number;
  trueInvocation: number;
  /** Samples the predictor judged safe. */
  predicted: number;
  predictedInvocation: number;
  /** (predicted and safe) / samples: the paper's text. */
  predictionAccuracy: number;
  /** (predicted = safe) / samples: the authors' code. */
  agreement: number;
  /** (predicted and safe) / predicted; null when nothing was predicted safe. */
  precision: number | null;
  /** (predicted and safe) / safe; null when no sample was safe. */
  recall: number | null;
  /** Mean Err over the samples the NPU delivered; null when it delivered none. */
  approximationError: number | null;
  /** Delivered samples with Err >= bound. */
  violations: number;
  /** violations / delivered; null when the NPU delivered none. */
  violationRate: number | null;
  /** Mean Err of what the user finally receives: the NPU's H(x) where delivered, the exact output (Err 0) elsewhere. */
  finalError: number;
  /** The largest Err among delivered samples; null when none was delivered. */
  maxError: number | null;
  /** Delivered samples with a NaN or infinite output value. */
  nonFinite: number;
}

export class QualityTally {
  readonly quality: Quality;
  samples = 0;
  safe = 0;
  predicted = 0;
  predictedSafe = 0;
  agreeing = 0;
  delivered = 0;
  violations = 0;
  nonFinite = 0;
  private deliveredErrorSum = 0;
  private maxError = -Infinity;

  constructor(quality: Quality) {
    this.quality = quality;
  }

  /**
   * One sample: its Err and safety (quality/error-metric.ts), whether the predictor judged it safe, whether
   * the NPU delivered H(x), and whether that output was finite.
   */
  add(error: number, safe: boolean, predicted: boolean, delivered: boolean, finite: boolean): void {
    this.samples++;
    if (safe) this.safe++;
    if (predicted) {
      this.predicted++;
      if (safe) this.predictedSafe++;
    }
    if (predicted === safe) this.agreeing++;
    if (delivered) {
      this.delivered++;
      if (!safe) this.violations++;
      if (!finite) this.nonFinite++;
      this.deliveredErrorSum += error;
      // A NaN error wins and stays, so it is never hidden behind a finite maximum.
      if (!Number.isNaN(this.maxError) && !(error <= this.maxError)) this.maxError = error;
    }
  }

  /** Mean Err over the delivered samples, or null when none were. */
  approximationError(): number | null {
    return this.delivered ? this.deliveredErrorSum / this.delivered : null;
  }

  summary(reference: string): QualitySummary {
    const n = this.samples;
    const rate = (k: number) => (n ? k / n : 0);
    const d = this.delivered;
    return {
      metric: this.quality.metric,
      bound: this.quality.bound,
      reference,
      samples: n,
      safe: this.safe,
      trueInvocation: rate(this.safe),
      predicted: this.predicted,
      predictedInvocation: rate(this.predicted),
      predictionAccuracy: rate(this.predictedSafe),
      agreement: rate(this.agreeing),
      precision: this.predicted ? this.predictedSafe / this.predicted : null,
      recall: this.safe ? this.predictedSafe / this.safe : null,
      approximationError: this.approximationError(),
      violations: this.violations,
      violationRate: d ? this.violations / d : null,
      // The samples not delivered got the exact output, whose Err is 0, so they add nothing to the sum.
      finalError: n ? this.deliveredErrorSum / n : 0,
      maxError: d ? this.maxError : null,
      nonFinite: this.nonFinite,
    };
  }
}
