// A training cell of `npm run experiments`: train one method on one benchmark (the data split by the split seed,
// the network started from the initialisation seed), compile the model and simulate it on the test rows, check
// that the NPU invokes exactly the samples the trainer says, and return the figures results.json records.

import { join } from 'node:path';
import { z } from 'zod';
import { sliceDataset, type Dataset } from '../benchmarks/dataset.ts';
import { generateDataset } from '../benchmarks/generators/generate.ts';
import { loadDataFolder } from '../benchmarks/load-data-folder.ts';
import { findBenchmark } from '../benchmarks/registry.ts';
import { compileModel } from '../compiler/pipeline.ts';
import { AxcError } from '../diagnostics/diagnostic.ts';
import type { ReferenceRows } from '../simulator/reference-rows.ts';
import { runSimulation, type RunReport } from '../simulator/run-simulation.ts';
import type { Checkpoint } from '../training/checkpoints.ts';
import { splitTrainTest, TEST_FRACTION } from '../training/split-dataset.ts';
import { METHODS, trainModel } from '../training/train.ts';

export { METHODS };

const width = z.number().int().min(1).max(4096);
export const TrainJobSchema = z
  .object({
    kind: z.literal('train'),
    key: z.string().regex(/^[0-9a-f]{64}$/, 'the key is a sha-256 in hex'),
    bench: z.string().refine((b) => findBenchmark(b) !== undefined, 'not a benchmark'),
    method: z.enum(METHODS),
    /** An AxBench data root (the benchmark's folder under it); absent: samples generated from the split seed. */
    data: z.string().min(1).optional(),
    samples: z.number().int().min(10).max(10_000_000),
    /** Seeds the train/test split, the validation rows and generated data. */
    splitSeed: z.number().int().min(0),
    /** Seeds the initial weights and the shuffles. */
    initSeed: z.number().int().min(0),
    /** At most this many rows, split 80/20 as the whole would be (the first rows of each part). */
    maxRows: z.number().int().min(10).optional(),
    epochs: z.number().int().min(1).max(100_000),
    rounds: z.number().int().min(1).max(100).optional(),
    approx: z.array(width).min(2).max(16).optional(),
    predict: z.array(width).min(1).max(16).optional(),
    control: z.union([z.literal('all'), z.number().int().min(1).max(16)]).optional(),
    controlBias: z.number().finite().optional(),
    /** How results.json names the configuration (experiments/results.ts). */
    config: z.string().min(1).max(48),
  })
  .strict();

export type TrainJob = z.output<typeof TrainJobSchema>;

/** What a training cell measured: the trainer's test metrics and the simulator's speed and energy. */
export interface TrainResult {
  bench: string;
  method: string;
  /** How results.json names the configuration (experiments/results.ts RunRecord). */
  config: string;
  splitSeed: number;
  initSeed: number;
  /** Approximator widths (input, hidden..., output) and predictor widths (input, hidden...). */
  approx: number[];
  predict: number[];
  /** AXNet's initial control-segment bias; null for the methods without control vectors. */
  controlBias: number | null;
  /** The quality the run was trained and judged against. */
  metric: string;
  bound: number;
  /** Test-set quality, as quality/quality-tally.ts defines each (prediction accuracy is its predictionAccuracy). */
  trueInvocation: number;
  predictedInvocation: number;
  predictionAccuracy: number;
  agreement: number;
  precision: number | null;
  recall: number | null;
  approximationError: number | null;
  finalError: number;
  /** Trainable values of the network as trained (a shared layer counts once). */
  parameters: number;
  /** Training seconds for the whole budget and to the plateau, validation passes excluded (training/checkpoints.ts). */
  trainSeconds: number;
  plateauSeconds: number;
  /** The validation checkpoint kept, counted in epochs over the whole run. */
  selectedEpoch: number;
  /** From the NPU simulator on the test rows (default hardware): CPU-only cycles / cycles, energy / CPU-only energy, their ratio. */
  speedup: number;
  normalizedEnergy: number;
  energyEfficiency: number;
  /** energyEfficiency with the CPU's energy per cycle halved and doubled: the sensitivity band. */
  energyEfficiencyCpuHalf: number;
  energyEfficiencyCpuDouble: number;
  /** The validation checkpoints (epoch, invocation): Fig. 2. */
  curve: Checkpoint[];
  backend: string;
}

export type TrainOutcome = { ok: true; result: TrainResult } | { ok: false; error: string };

/** The benchmark's data: its folder under the data root, or samples generated from the split seed. */
export function trainingData(job: Pick<TrainJob, 'bench' | 'data' | 'samples' | 'splitSeed'>): Dataset {
  return job.data ? loadDataFolder(job.bench, join(job.data, findBenchmark(job.bench)!.dataDir)) : generateDataset(job.bench, job.samples, job.splitSeed);
}

/** The split, cut to maxRows in the same 80/20 proportion. */
function splitRows(job: TrainJob): { train: Dataset; test: Dataset } {
  const split = splitTrainTest(trainingData(job), job.splitSeed);
  if (!job.maxRows) return split;
  const nTest = Math.round(job.maxRows * TEST_FRACTION);
  return { train: sliceDataset(split.train, 0, Math.min(split.train.n, job.maxRows - nTest)), test: sliceDataset(split.test, 0, Math.min(split.test.n, nTest)) };
}

/** The test rows' targets as the simulator's reference. */
function datasetReference(d: Dataset): ReferenceRows {
  let i = 0;
  return {
    name: 'test rows',
    async next() {
      const row = d.y.subarray(i * d.outputWidth, (i + 1) * d.outputWidth);
      i++;
      return row;
    },
    async finish() {},
  };
}

/**
 * Energy efficiency with the CPU's energy per cycle scaled by k: the CPU's share of the run's energy and the
 * CPU-only energy both scale by k, the NPU's share does not (speedup is unchanged).
 */
function efficiencyWithCpuScaled(r: RunReport, k: number): number {
  const e = r.energy.totalPj - r.energy.breakdownPj.cpu + k * r.energy.breakdownPj.cpu;
  return e > 0 ? (r.comparison.speedup * k * r.comparison.cpuOnlyEnergyPj) / e : 0;
}

export async function runTrainingCell(job: TrainJob): Promise<TrainOutcome> {
  try {
    const { train, test } = splitRows(job);
    const out = await trainModel({
      bench: job.bench,
      method: job.method,
      data: train,
      test,
      seed: job.initSeed,
      validationSeed: job.splitSeed,
      epochs: job.epochs,
      rounds: job.rounds,
      approx: job.approx,
      predict: job.predict,
      control: job.control,
      controlBias: job.controlBias,
    });
    const m = out.metrics;
    const o = out.options;
    const quality = o.quality;
    const rows = Array.from({ length: test.n }, (_, i) => test.x.subarray(i * test.inputWidth, (i + 1) * test.inputWidth));
    const report = await runSimulation(compileModel(out.model), rows, { reference: { rows: datasetReference(test), quality }, exact: findBenchmark(job.bench) });
    if (report.invocation.invoked !== m.invoked) return { ok: false, error: `${job.bench} ${job.method} ${job.config}: the NPU invoked ${report.invocation.invoked} test samples, the trainer predicted ${m.invoked}` };
    const c = report.comparison;
    return {
      ok: true,
      result: {
        bench: job.bench,
        method: job.method,
        config: job.config,
        splitSeed: job.splitSeed,
        initSeed: job.initSeed,
        approx: o.approx,
        predict: o.predict,
        controlBias: o.controlBias,
        metric: quality.metric,
        bound: quality.bound,
        trueInvocation: m.trueInvocation,
        predictedInvocation: m.predictedInvocation,
        predictionAccuracy: m.accuracy,
        agreement: m.agreement,
        precision: m.precision,
        recall: m.recall,
        approximationError: m.error,
        finalError: m.finalError,
        parameters: m.parameters,
        trainSeconds: m.trainingSeconds,
        plateauSeconds: m.plateauSeconds,
        selectedEpoch: m.selectedEpoch,
        speedup: c.speedup,
        normalizedEnergy: c.normalizedEnergy,
        energyEfficiency: c.energyEfficiency,
        energyEfficiencyCpuHalf: efficiencyWithCpuScaled(report, 0.5),
        energyEfficiencyCpuDouble: efficiencyWithCpuScaled(report, 2),
        curve: out.curve,
        backend: out.backend,
      },
    };
  } catch (e) {
    if (e instanceof AxcError) return { ok: false, error: e.message };
    throw e;
  }
}
