// npm run experiments: reproduces the paper's comparison (AXNet vs onepass vs iterative, plus the
// weight-sharing variant) on the seven benchmarks, and the control-placement study on jpeg and sobel.
// Every trained model is also compiled and simulated, and the NPU's invocation must equal the trainer's.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { undoOnInterrupt } from '../cli/interrupt.ts';
import { writeFileAtomic } from '../cli/write-atomic.ts';
import { findBenchmark } from '../benchmarks/registry.ts';
import type { Dataset } from '../benchmarks/dataset.ts';
import { generateDataset } from '../benchmarks/generators/generate.ts';
import { loadDataFolder } from '../benchmarks/load-data-folder.ts';
import { compileModel } from '../compiler/pipeline.ts';
import { Simulator } from '../machine/simulator.ts';
import { BENCH_DEFAULTS } from '../training/defaults.ts';
import { splitTrainTest } from '../training/split-dataset.ts';
import { trainModel, type TrainOptions } from '../training/train.ts';
import { groupedBars, invocationChart } from './charts.ts';
import { renderMarkdown } from './markdown.ts';
import type { ExperimentResults, RunResult } from './results.ts';

const BENCHES = ['fft', 'bessel', 'blackscholes', 'jpeg', 'inversek2j', 'kmeans', 'sobel'];
const METHODS = ['axnet', 'iterative', 'onepass', 'shared'] as const;
/** Two hidden layers for the control-placement study (Fig. 10c). */
const CONTROL_STUDY: Record<string, number[]> = { jpeg: [64, 16, 16, 64], sobel: [9, 8, 8, 1] };

/** The benchmark's folder under an AxBench data root (`--data`), or generated samples without one. */
function loadData(bench: string, root: string | undefined, samples: number, seed: number): Dataset {
  return root ? loadDataFolder(bench, join(root, findBenchmark(bench)!.dataDir)) : generateDataset(bench, samples, seed);
}

/** The NPU's invocation count on the test set, from the compiled binary. */
function simulatedInvocations(model: import('../ir/model.ts').AxModel, test: Dataset): number {
  const sim = new Simulator(compileModel(model));
  const rows = Array.from({ length: test.n }, (_, i) => test.x.subarray(i * test.inputWidth, (i + 1) * test.inputWidth));
  let n = 0;
  sim.runAll(rows, (r) => {
    if (r.invoked) n++;
  });
  return n;
}

async function main(): Promise<void> {
  const program = new Command('experiments')
    .description("reproduce the paper's comparison of AXNet, onepass and iterative training")
    .option('--data <dir>', 'AxBench data folder (e.g. ../shared/data/axbench); default: generated data')
    .option('--out <dir>', 'where to write results.md, results.json and the SVG charts', 'experiments/results')
    .option('--seed <n>', 'seed for data, splits and initialisation', '1')
    .option('--samples <n>', 'samples per benchmark when generating data', '20000')
    .option('--epochs-scale <x>', 'multiply every benchmark\'s epoch budget (0.1 for a quick look)', '1')
    .option('--benches <list>', 'comma-separated subset of the benchmarks', BENCHES.join(','))
    .parse(process.argv);
  const o = program.opts<{ data?: string; out: string; seed: string; samples: string; epochsScale: string; benches: string }>();
  const seed = Number(o.seed);
  const scale = Number(o.epochsScale);
  const benches = o.benches.split(',').map((s) => s.trim()).filter(Boolean);
  const started = Date.now();
  // Results are written only at the end; an interrupt says so and exits 130.
  const finished = undoOnInterrupt({ output: `the results in ${o.out}/`, undo: () => {} });
  let backend = '';
  const budget = benches.map((b) => `${b} ${Math.max(1, Math.round(BENCH_DEFAULTS[b].epochs * scale))} epochs`).join(', ');
  const run = async (bench: string, method: (typeof METHODS)[number], split: { train: Dataset; test: Dataset }, extra: Partial<TrainOptions> = {}, control = 'all'): Promise<RunResult> => {
    const epochs = Math.max(1, Math.round(BENCH_DEFAULTS[bench].epochs * scale));
    const out = await trainModel({ bench, method, data: split.train, test: split.test, seed, epochs, ...extra });
    backend = out.backend;
    const m = out.metrics;
    const simulated = simulatedInvocations(out.model, split.test);
    if (simulated !== m.invoked) throw new Error(`${bench} ${method}: the NPU invoked ${simulated} test samples, the trainer predicted ${m.invoked}`);
    const r: RunResult = {
      bench,
      method,
      control,
      trueInvocation: m.trueInvocation,
      predictedInvocation: m.predictedInvocation,
      predictionAccuracy: m.accuracy,
      approximationError: m.error ?? NaN,
      parameters: m.parameters,
      trainSeconds: m.trainingSeconds,
    };
    console.log(`${bench.padEnd(12)} ${method.padEnd(9)} ${control.padEnd(6)} true ${(100 * r.trueInvocation).toFixed(1).padStart(5)}%  predicted ${(100 * r.predictedInvocation).toFixed(1).padStart(5)}%  accuracy ${(100 * r.predictionAccuracy).toFixed(1).padStart(5)}%  error ${r.approximationError.toFixed(4)}  params ${r.parameters}  ${r.trainSeconds.toFixed(1)} s`);
    return r;
  };
  const comparison: RunResult[] = [];
  const controlStudy: RunResult[] = [];
  for (const bench of benches) {
    const split = splitTrainTest(loadData(bench, o.data, Number(o.samples), seed), seed);
    for (const method of METHODS) comparison.push(await run(bench, method, split));
    const twoHidden = CONTROL_STUDY[bench];
    if (twoHidden) {
      const predict = BENCH_DEFAULTS[bench].predict;
      for (const [label, control] of [['all', 'all'], ['first', 1], ['second', 2]] as const) controlStudy.push(await run(bench, 'axnet', split, { approx: twoHidden, predict, control }, label));
    }
  }
  const results: ExperimentResults = {
    command: `npm run experiments --${o.data ? ` --data ${o.data}` : ''}${scale !== 1 ? ` --epochs-scale ${scale}` : ''}`,
    data: o.data ? `AxBench data from ${o.data}, split 80/20 by seed` : `${o.samples} generated samples per benchmark, split 80/20`,
    backend,
    seed,
    budget,
    startedAt: new Date(started).toISOString(),
    seconds: (Date.now() - started) / 1000,
    comparison,
    controlStudy,
  };
  mkdirSync(o.out, { recursive: true });
  writeFileAtomic(join(o.out, 'results.json'), JSON.stringify(results, null, 2) + '\n');
  writeFileAtomic(join(o.out, 'results.md'), renderMarkdown(results));
  writeFileAtomic(join(o.out, 'invocation.svg'), await invocationChart(comparison));
  writeFileAtomic(join(o.out, 'accuracy.svg'), await groupedBars(comparison, 'predictionAccuracy', 'Prediction accuracy on test data', 'accuracy'));
  writeFileAtomic(join(o.out, 'error.svg'), await groupedBars(comparison, 'approximationError', 'Approximation error over predicted-safe samples', 'mean error', 'method', false));
  const vsIterative = comparison.map((r) => {
    const it = comparison.find((x) => x.bench === r.bench && x.method === 'iterative')!;
    return { ...r, trainSeconds: r.trainSeconds / it.trainSeconds };
  });
  writeFileAtomic(join(o.out, 'time.svg'), await groupedBars(vsIterative, 'trainSeconds', 'Training time relative to iterative', 'time / iterative', 'method', false));
  if (controlStudy.length) writeFileAtomic(join(o.out, 'control.svg'), await groupedBars(controlStudy, 'trueInvocation', 'True invocation by control placement', 'true invocation', 'control'));
  finished();
  console.log(`\nwrote ${join(o.out, 'results.md')} and charts in ${(results.seconds / 60).toFixed(1)} min (tfjs backend ${backend})`);
}

await main();
