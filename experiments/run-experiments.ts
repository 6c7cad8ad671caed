// npm run experiments: reproduces the paper's comparison (AXNet vs onepass vs iterative, plus the
// weight-sharing variant) on the seven benchmarks, and the control-placement study on jpeg and sobel.
// Every trained model is also compiled and simulated, and the NPU's invocation must equal the trainer's. Each
// training cell runs through the sweep engine: on every core (--jobs) or on axc workers (--queue), cached in
// <out>/cells, so a rerun or an interrupted run trains nothing twice.

import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { undoOnInterrupt } from '../cli/interrupt.ts';
import { writeFileAtomic } from '../cli/write-atomic.ts';
import { BENCH_DEFAULTS } from '../training/defaults.ts';
import { openQueueExecutor } from '../sweep/job-queue.ts';
import { localPool } from '../sweep/local-pool.ts';
import { runJobs } from '../sweep/run-jobs.ts';
import { METHODS, trainingData, type TrainJob, type TrainOutcome } from '../sweep/run-training-cell.ts';
import { groupedBars, invocationChart } from './charts.ts';
import { renderMarkdown } from './markdown.ts';
import type { ExperimentResults, RunResult } from './results.ts';

const BENCHES = ['fft', 'bessel', 'blackscholes', 'jpeg', 'inversek2j', 'kmeans', 'sobel'];
const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
/** Two hidden layers for the control-placement study (Fig. 10c). */
const CONTROL_STUDY: Record<string, number[]> = { jpeg: [64, 16, 16, 64], sobel: [9, 8, 8, 1] };

/** A job's key: everything its result depends on (the data by content, or how it is generated). */
function jobKey(job: Omit<TrainJob, 'key'>, dataHash: string): string {
  return createHash('sha256').update(JSON.stringify({ version: VERSION, job, dataHash })).digest('hex');
}

/** A data set's content hash, read once per benchmark (generated data is keyed by how it is generated). */
function dataHash(job: Omit<TrainJob, 'key'>): string {
  if (!job.data) return 'generated';
  const d = trainingData(job);
  return createHash('sha256').update(new Uint8Array(d.x.buffer, d.x.byteOffset, d.x.byteLength)).update(new Uint8Array(d.y.buffer, d.y.byteOffset, d.y.byteLength)).digest('hex');
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
    .option('--jobs <N>', 'training cells at once on this machine (default: the number of cores)')
    .option('--queue <url>', 'run the cells on axc workers through BullMQ on Redis (as axc sweep --queue)')
    .parse(process.argv);
  const o = program.opts<{ data?: string; out: string; seed: string; samples: string; epochsScale: string; benches: string; jobs?: string; queue?: string }>();
  const seed = Number(o.seed);
  const scale = Number(o.epochsScale);
  const benches = o.benches.split(',').map((s) => s.trim()).filter(Boolean);
  const started = Date.now();
  // Results are written only at the end; an interrupt says so and exits 130.
  const finished = undoOnInterrupt({ output: `the results in ${o.out}/`, undo: () => {} });
  const epochsOf = (bench: string) => Math.max(1, Math.round(BENCH_DEFAULTS[bench].epochs * scale));
  const budget = benches.map((b) => `${b} ${epochsOf(b)} epochs`).join(', ');
  // The grid: every method on every benchmark, then the control-placement study, each a training cell run
  // through the sweep engine's cache and pool (or queue).
  const grid: { study: 'comparison' | 'control'; job: Omit<TrainJob, 'key'> }[] = [];
  for (const bench of benches) {
    const base = { kind: 'train' as const, bench, samples: Number(o.samples), seed, epochs: epochsOf(bench), ...(o.data ? { data: resolve(o.data) } : {}) };
    for (const method of METHODS) grid.push({ study: 'comparison', job: { ...base, method, label: 'all' } });
    const twoHidden = CONTROL_STUDY[bench];
    if (twoHidden) {
      const predict = BENCH_DEFAULTS[bench].predict;
      for (const [label, control] of [['all', 'all'], ['first', 1], ['second', 2]] as const) grid.push({ study: 'control', job: { ...base, method: 'axnet', approx: twoHidden, predict, control, label } });
    }
  }
  const hashes = new Map<string, string>();
  const keyed = grid.map((g) => {
    const h = hashes.get(g.job.bench) ?? dataHash(g.job);
    hashes.set(g.job.bench, h);
    const key = jobKey(g.job, h);
    return { key, job: { ...g.job, key } as TrainJob };
  });
  const pool = o.queue ? await openQueueExecutor(o.queue, process.cwd()) : localPool(o.jobs ? Number(o.jobs) : availableParallelism());
  let outcomes: TrainOutcome[];
  try {
    const r = await runJobs(keyed, {
      dir: join(o.out, 'cells'),
      pool,
      writeFile: writeFileAtomic,
      onProgress: (p) => process.stderr.write(`\r${p.done}/${p.total} training cells (${p.cached} cached, ${p.failed} failed)`),
    });
    process.stderr.write('\n');
    outcomes = r.outcomes as TrainOutcome[];
  } finally {
    await pool.close();
  }
  const failed = outcomes.flatMap((out, i) => (out.ok ? [] : [`${grid[i].job.bench} ${grid[i].job.method} ${grid[i].job.label}: ${out.error}`]));
  if (failed.length) throw new Error(`training cells failed:\n${failed.join('\n')}`);
  const comparison: RunResult[] = [];
  const controlStudy: RunResult[] = [];
  let backend = '';
  outcomes.forEach((out, i) => {
    const { backend: b, ...r } = (out as Extract<TrainOutcome, { ok: true }>).result;
    backend = b;
    console.log(`${r.bench.padEnd(12)} ${r.method.padEnd(9)} ${r.control.padEnd(6)} true ${(100 * r.trueInvocation).toFixed(1).padStart(5)}%  predicted ${(100 * r.predictedInvocation).toFixed(1).padStart(5)}%  accuracy ${(100 * r.predictionAccuracy).toFixed(1).padStart(5)}%  error ${r.approximationError.toFixed(4)}  params ${r.parameters}  ${r.trainSeconds.toFixed(1)} s`);
    (grid[i].study === 'comparison' ? comparison : controlStudy).push(r);
  });
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
