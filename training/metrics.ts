// The paper's evaluation metrics (§V) on held-out data, computed with the float32 reference interpreter on
// the exported AxModel, so they are exactly what the NPU simulator reports for the same samples.

import type { Dataset } from '../benchmarks/dataset.ts';
import { interpretModel } from '../ir/interpret-model.ts';
import { parameterCount, type AxModel, type Quality } from '../ir/model.ts';
import { sampleQuality } from './error-metric.ts';

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
  /** Mean Err over the invoked samples (DESIGN.md §1; per-sample Err as in error-metric.ts); null when none is invoked. */
  error: number | null;
  /** Weights and biases of the whole model (ir/model.ts parameterCount). */
  parameters: number;
}

/** Evaluates `model` on every sample of `data` against `quality` (default: the model's own). */
export function evaluateModel(model: AxModel, data: Dataset, quality: Quality | null = model.quality): Metrics {
  if (!quality) throw new Error(`model '${model.name}' has no quality metric to evaluate against`);
  let safe = 0;
  let invoked = 0;
  let invokedSafe = 0;
  let errorSum = 0;
  const x = new Float32Array(data.inputWidth);
  for (let i = 0; i < data.n; i++) {
    x.set(data.x.subarray(i * data.inputWidth, (i + 1) * data.inputWidth));
    const ev = interpretModel(model, x);
    const q = sampleQuality(quality, ev.y, 0, data.y, i * data.outputWidth, data.outputWidth);
    if (q.safe) safe++;
    if (ev.invoke) {
      invoked++;
      errorSum += q.error;
      if (q.safe) invokedSafe++;
    }
  }
  const n = Math.max(1, data.n);
  return {
    samples: data.n,
    safe,
    invoked,
    invokedSafe,
    trueInvocation: safe / n,
    predictedInvocation: invoked / n,
    accuracy: invokedSafe / n,
    error: invoked ? errorSum / invoked : null,
    parameters: parameterCount(model),
  };
}
