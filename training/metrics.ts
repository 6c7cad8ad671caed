// The paper's evaluation metrics (§V) on held-out data, computed with the float32 reference interpreter on
// the exported AxModel and tallied by quality/quality-tally.ts, exactly as `axc sim --reference` tallies them.

import type { Dataset } from '../benchmarks/dataset.ts';
import { interpretModel } from '../ir/interpret-model.ts';
import { parameterCount, type AxModel, type Quality } from '../ir/model.ts';
import { sampleQuality } from '../quality/error-metric.ts';
import { QualityTally } from '../quality/quality-tally.ts';

export interface Metrics {
  samples: number;
  /** Samples that are safe: Err(H(x), y) < B on every output. */
  safe: number;
  /** Samples the predictor invokes the approximator on (the simulator's invocation count). */
  invoked: number;
  /** Samples both invoked and safe. */
  invokedSafe: number;
  /** safe / samples. */
  trueInvocation: number;
  /** invoked / samples. */
  predictedInvocation: number;
  /** invokedSafe / samples (the paper's "prediction accuracy"). */
  accuracy: number;
  /** (invoked = safe) / samples: prediction accuracy as the authors' and Xu et al.'s code compute it. */
  agreement: number;
  /** invokedSafe / invoked; null when nothing is invoked. */
  precision: number | null;
  /** invokedSafe / safe; null when no sample is safe. */
  recall: number | null;
  /** Mean Err of what the user receives: H(x) where invoked, the exact output (Err 0) elsewhere. */
  finalError: number;
  /** Mean Err over the invoked samples (DESIGN.md §1; per-sample Err as in quality/error-metric.ts); null when none is invoked. */
  error: number | null;
  /** Weights and biases of the whole model (ir/model.ts parameterCount). */
  parameters: number;
}

/** The tally of `model` on every sample of `data` against `quality`: the NPU delivers what the predictor invokes. */
export function tallyModel(model: AxModel, data: Dataset, quality: Quality): QualityTally {
  const tally = new QualityTally(quality);
  const x = new Float32Array(data.inputWidth);
  for (let i = 0; i < data.n; i++) {
    x.set(data.x.subarray(i * data.inputWidth, (i + 1) * data.inputWidth));
    const ev = interpretModel(model, x);
    const q = sampleQuality(quality, ev.y, 0, data.y, i * data.outputWidth, data.outputWidth);
    let finite = true;
    for (let j = 0; j < ev.y.length; j++) if (!Number.isFinite(ev.y[j])) finite = false;
    tally.add(q.error, q.safe, ev.invoke, ev.invoke, finite);
  }
  return tally;
}

/** Evaluates `model` on every sample of `data` against `quality` (default: the model's own). */
export function evaluateModel(model: AxModel, data: Dataset, quality: Quality | null = model.quality): Metrics {
  if (!quality) throw new Error(`model '${model.name}' has no quality metric to evaluate against`);
  const t = tallyModel(model, data, quality);
  const s = t.summary('test rows');
  return {
    samples: t.samples,
    safe: t.safe,
    invoked: t.predicted,
    invokedSafe: t.predictedSafe,
    trueInvocation: s.trueInvocation,
    predictedInvocation: s.predictedInvocation,
    accuracy: s.predictionAccuracy,
    agreement: s.agreement,
    precision: s.precision,
    recall: s.recall,
    finalError: s.finalError,
    error: s.approximationError,
    parameters: parameterCount(model),
  };
}
