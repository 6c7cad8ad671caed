// A training cell of `npm run experiments`: train one method on one benchmark (its data split by the seed),
// check that the compiled model's NPU invokes exactly the test samples the trainer says, and return the
// figures the experiment tables report.

import { join } from 'node:path';
import { z } from 'zod';
import type { Dataset } from '../benchmarks/dataset.ts';
import { generateDataset } from '../benchmarks/generators/generate.ts';
import { loadDataFolder } from '../benchmarks/load-data-folder.ts';
import { findBenchmark } from '../benchmarks/registry.ts';
import { compileModel } from '../compiler/pipeline.ts';
import { AxcError } from '../diagnostics/diagnostic.ts';
import type { AxModel } from '../ir/model.ts';
import { Simulator } from '../machine/simulator.ts';
import { splitTrainTest } from '../training/split-dataset.ts';
import { trainModel } from '../training/train.ts';

export const METHODS = ['axnet', 'iterative', 'onepass', 'shared'] as const;

const width = z.number().int().min(1).max(4096);
export const TrainJobSchema = z
  .object({
    kind: z.literal('train'),
    key: z.string().regex(/^[0-9a-f]{64}$/, 'the key is a sha-256 in hex'),
    bench: z.string().refine((b) => findBenchmark(b) !== undefined, 'not a benchmark'),
    method: z.enum(METHODS),
    /** An AxBench data root (the benchmark's folder under it); absent: generated samples. */
    data: z.string().min(1).optional(),
    samples: z.number().int().min(10).max(10_000_000),
    seed: z.number().int().min(0),
    epochs: z.number().int().min(1).max(100_000),
    approx: z.array(width).min(2).max(16).optional(),
    predict: z.array(width).min(1).max(16).optional(),
    control: z.union([z.literal('all'), z.number().int().min(1).max(16)]).optional(),
    /** How the run is named in the tables: the control placement ('all', 'first', 'second'). */
    label: z.string().max(32),
  })
  .strict();

export type TrainJob = z.output<typeof TrainJobSchema>;

/** What the experiment tables report of one run. */
export interface TrainResult {
  bench: string;
  method: string;
  /** For the control-placement study (Fig. 10c): 'all', 'first' or 'second'; otherwise 'all'. */
  control: string;
  trueInvocation: number;
  predictedInvocation: number;
  predictionAccuracy: number;
  /** Mean error over the predicted-safe test samples (NaN when none is predicted safe). */
  approximationError: number;
  parameters: number;
  trainSeconds: number;
  backend: string;
}

export type TrainOutcome = { ok: true; result: TrainResult } | { ok: false; error: string };

/** The benchmark's data: its folder under the data root, or samples generated from the seed. */
export function trainingData(job: Pick<TrainJob, 'bench' | 'data' | 'samples' | 'seed'>): Dataset {
  return job.data ? loadDataFolder(job.bench, join(job.data, findBenchmark(job.bench)!.dataDir)) : generateDataset(job.bench, job.samples, job.seed);
}

/** The NPU's invocations on the test set, from the compiled binary. */
function simulatedInvocations(model: AxModel, test: Dataset): number {
  const sim = new Simulator(compileModel(model));
  const rows = Array.from({ length: test.n }, (_, i) => test.x.subarray(i * test.inputWidth, (i + 1) * test.inputWidth));
  let n = 0;
  sim.runAll(rows, (r) => {
    if (r.invoked) n++;
  });
  return n;
}

export async function runTrainingCell(job: TrainJob): Promise<TrainOutcome> {
  try {
    const split = splitTrainTest(trainingData(job), job.seed);
    const out = await trainModel({ bench: job.bench, method: job.method, data: split.train, test: split.test, seed: job.seed, epochs: job.epochs, approx: job.approx, predict: job.predict, control: job.control });
    const m = out.metrics;
    const simulated = simulatedInvocations(out.model, split.test);
    if (simulated !== m.invoked) return { ok: false, error: `${job.bench} ${job.method}: the NPU invoked ${simulated} test samples, the trainer predicted ${m.invoked}` };
    return {
      ok: true,
      result: {
        bench: job.bench,
        method: job.method,
        control: job.label,
        trueInvocation: m.trueInvocation,
        predictedInvocation: m.predictedInvocation,
        predictionAccuracy: m.accuracy,
        approximationError: m.error ?? NaN,
        parameters: m.parameters,
        trainSeconds: m.trainingSeconds,
        backend: out.backend,
      },
    };
  } catch (e) {
    if (e instanceof AxcError) return { ok: false, error: e.message };
    throw e;
  }
}
