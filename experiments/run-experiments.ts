// npm run experiments: the paper's comparison (AXNet vs onepass vs iterative, plus the weight-sharing variant)
// on the seven benchmarks over many initialisation seeds on one fixed split, with the split varied separately;
// AXNet matched to the baselines' parameter count (Table I), swept over sizes (Fig. 9, 10a), with its control
// bias ablated, and the control-placement study (Fig. 10c). Every model is compiled and simulated on its test
// rows (speed and energy, Fig. 10b). Each training run is a cell of the sweep engine: on every core (--jobs) or
// on axc workers (--queue), cached in <out>/cells, so a rerun or an interrupted run trains nothing twice.

import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { undoOnInterrupt } from '../cli/interrupt.ts';
import { writeFileAtomic } from '../cli/write-atomic.ts';
import { BENCH_DEFAULTS } from '../training/defaults.ts';
import { TEST_FRACTION } from '../training/split-dataset.ts';
import { VALIDATION_FRACTION } from '../training/train.ts';
import { openQueueExecutor } from '../sweep/job-queue.ts';
import { localPool } from '../sweep/local-pool.ts';
import { runJobs } from '../sweep/run-jobs.ts';
import { trainingData, type TrainJob, type TrainOutcome, type TrainResult } from '../sweep/run-training-cell.ts';
import { BASELINE_CONFIG, HEADLINE_CONFIG, matchedInvocation, meanCurves, pairedDifferences, summarize, timeRatios } from './derive-results.ts';
import { renderFigures } from './figures.ts';
import { axnetParameters, baselineParameters, matchedAxnetTopology } from './match-parameters.ts';
import { renderMarkdown } from './markdown.ts';
import { renderReading, spliceReading } from './reading.ts';
import type { ExperimentResults, RunRecord, TopologyRow } from './results.ts';

const BENCHES = ['fft', 'bessel', 'blackscholes', 'jpeg', 'inversek2j', 'kmeans', 'sobel'];
const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
/** Two hidden layers for the control-placement study (Fig. 10c), after the paper's §V. */
const CONTROL_STUDY: Record<string, number[]> = { jpeg: [64, 8, 8, 64], sobel: [9, 6, 6, 1] };
/** Hidden widths of the AXNet size sweep (every hidden layer of both subnets this wide); jpeg's give Fig. 9. */
const SWEEP_WIDTHS: Record<string, number[]> = { jpeg: [2, 4, 6, 8, 12, 16] };
const DEFAULT_SWEEP_WIDTHS = [2, 4, 16];
/** The AxBench file of these benchmarks cannot support a train/test comparison; they run on generated data. */
const DEGENERATE: Record<string, string> = {
  kmeans: 'the AxBench kmeans file repeats 12 distinct samples, so its test rows would be copies of its training rows; generated data instead',
};

/** Folders whose code a training cell runs: a change to any of their sources retrains every cell. */
const CELL_CODE = ['arch', 'benchmarks', 'compiler', 'diagnostics', 'hardware', 'input', 'ir', 'isa', 'machine', 'quality', 'simulator', 'sweep', 'tfjs-runtime', 'training'];

/** SHA-256 over the sources of CELL_CODE, in a fixed order: the cached cells are only as valid as this. */
function codeHash(): string {
  const h = createHash('sha256');
  const root = new URL('..', import.meta.url).pathname;
  for (const dir of CELL_CODE) {
    const files = (readdirSync(join(root, dir), { recursive: true }) as string[]).filter((f) => f.endsWith('.ts')).sort();
    for (const f of files) h.update(`${dir}/${f}\u0000`).update(readFileSync(join(root, dir, f)));
  }
  return h.digest('hex');
}

/** A job's key: everything its result depends on (the code, the data by content or how it is generated). */
function jobKey(job: Omit<TrainJob, 'key'>, dataHash: string, code: string): string {
  return createHash('sha256').update(JSON.stringify({ version: VERSION, code, job, dataHash })).digest('hex');
}

/** A benchmark's rows and content hash, read once (generated data is keyed by how it is generated). */
function dataFacts(job: Pick<TrainJob, 'bench' | 'data' | 'samples' | 'splitSeed'>): { rows: number; hash: string } {
  if (!job.data) return { rows: job.samples, hash: 'generated' };
  const d = trainingData(job);
  return { rows: d.n, hash: createHash('sha256').update(new Uint8Array(d.x.buffer, d.x.byteOffset, d.x.byteLength)).update(new Uint8Array(d.y.buffer, d.y.byteOffset, d.y.byteLength)).digest('hex') };
}

/**
 * Epochs per training phase: the benchmark's default, or more when that would give fewer than `steps`
 * optimizer steps (small data sets get as many updates as large ones, not as few epochs).
 */
function epochsFor(bench: string, rows: number, maxRows: number, steps: number, scale: number): number {
  const d = BENCH_DEFAULTS[bench];
  const used = Math.min(rows, maxRows);
  const train = used - Math.round(used * TEST_FRACTION);
  const fit = train - Math.round(train * VALIDATION_FRACTION);
  const perEpoch = Math.max(1, Math.ceil(fit / d.batchSize));
  return Math.max(1, Math.round(scale * Math.max(d.epochs, Math.ceil(steps / perEpoch))));
}

function seedList(v: string): number[] {
  const seeds = v.split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  if (!seeds.length || seeds.some((s) => !Number.isInteger(s) || s < 0)) throw new InvalidArgumentError('expected seeds, e.g. 2,3,4.');
  return seeds;
}

function positive(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer.');
  return n;
}

/** `widths` with every hidden layer `w` wide: the input width kept, and the output width when there is one. */
const widened = (widths: number[], w: number, hasOutput: boolean) => widths.map((x, i) => (i === 0 || (hasOutput && i === widths.length - 1) ? x : w));

function toRecord(r: TrainResult): RunRecord {
  const { bench, curve: _curve, backend: _backend, ...measured } = r;
  return { benchmark: bench, ...measured, collapsed: r.predictedInvocation === 0 ? 1 : 0, saturated: r.predictedInvocation === 1 ? 1 : 0 };
}

/** results.md, the figures and reading.md from the results; into the default folder, the README's reading too. */
async function writeRendered(out: ExperimentResults, dir: string): Promise<void> {
  writeFileAtomic(join(dir, 'results.md'), renderMarkdown(out));
  for (const f of await renderFigures(out)) writeFileAtomic(join(dir, f.file), f.svg);
  const reading = renderReading(out);
  writeFileAtomic(join(dir, 'reading.md'), reading + '\n');
  // The README quotes the reading of the committed results, so only a run into the default folder rewrites it.
  const readmePath = new URL('../README.md', import.meta.url);
  if (resolve(dir) === resolve(new URL('results', import.meta.url).pathname)) {
    const spliced = spliceReading(readFileSync(readmePath, 'utf8'), reading);
    if (spliced !== null) writeFileAtomic(readmePath.pathname, spliced);
  }
}

async function main(): Promise<void> {
  const program = new Command('experiments')
    .description("reproduce the paper's comparison of AXNet, onepass and iterative training over many seeds")
    .option('--data <dir>', 'AxBench data folder (e.g. ../shared/data/axbench); default: generated data')
    .option('--out <dir>', 'where to write results.md, results.json and the figures', 'experiments/results')
    .option('--seeds <n>', 'initialisation seeds 1..n on the fixed split', positive, 10)
    .option('--split-seed <n>', 'the fixed train/test split', positive, 1)
    .option('--split-seeds <list>', 'further splits for the split-variation runs (initialisation seed 1)', seedList, [2, 3, 4, 5])
    .option('--steps <n>', 'optimizer steps per training phase at least (more epochs on small data sets)', positive, 2000)
    .option('--max-rows <n>', 'rows per benchmark at most (a seeded subsample, split 80/20)', positive, 5000)
    .option('--samples <n>', 'samples per benchmark when generating data', positive, 20_000)
    .option('--epochs-scale <x>', "multiply every benchmark's epoch budget (0.1 for a quick look)", '1')
    .option('--benches <list>', 'comma-separated subset of the benchmarks', BENCHES.join(','))
    .option('--jobs <N>', 'training cells at once on this machine (default: the number of cores)')
    .option('--queue <url>', 'run the cells on axc workers through BullMQ on Redis (as axc sweep --queue)')
    .option('--render-only', "train nothing: render results.md, the figures and the reading again from <out>/results.json")
    .parse(process.argv);
  const o = program.opts<{ data?: string; out: string; seeds: number; splitSeed: number; splitSeeds: number[]; maxRows: number; steps: number; samples: number; epochsScale: string; benches: string; jobs?: string; queue?: string; renderOnly?: boolean }>();
  if (o.renderOnly) {
    const file = join(o.out, 'results.json');
    await writeRendered(JSON.parse(readFileSync(file, 'utf8')) as ExperimentResults, o.out);
    console.log(`rendered results.md, the figures and the reading from ${file}`);
    return;
  }
  const scale = Number(o.epochsScale);
  const benches = o.benches.split(',').map((s) => s.trim()).filter(Boolean);
  const initSeeds = Array.from({ length: o.seeds }, (_, i) => i + 1);
  const splitSeeds = o.splitSeeds.filter((s) => s !== o.splitSeed);
  const started = Date.now();
  // Results are written only at the end; an interrupt says so and exits 130 (finished cells stay cached).
  const finished = undoOnInterrupt({ output: `the results in ${o.out}/`, undo: () => {} });
  // A degenerate benchmark runs on generated data even when AxBench data is given.
  const dataOf = (bench: string) => (o.data && !DEGENERATE[bench] ? { data: resolve(o.data) } : {});
  const facts = new Map(benches.map((bench) => [bench, dataFacts({ bench, samples: o.samples, splitSeed: o.splitSeed, ...dataOf(bench) })]));
  const epochsOf = (bench: string) => epochsFor(bench, facts.get(bench)!.rows, o.maxRows, o.steps, scale);
  const generatedInstead = o.data ? benches.filter((b) => DEGENERATE[b]).map((b) => ({ benchmark: b, reason: DEGENERATE[b] })) : [];
  const grid: Omit<TrainJob, 'key'>[] = [];
  const tableI: TopologyRow[] = [];
  for (const bench of benches) {
    const d = BENCH_DEFAULTS[bench];
    const matched = matchedAxnetTopology(bench);
    const baseParams = baselineParameters(d);
    tableI.push({ benchmark: bench, baselineApprox: d.approx, baselinePredict: d.predict, baselineParameters: baseParams, axnetApprox: matched.approx, axnetPredict: matched.predict, axnetParameters: axnetParameters(matched), difference: (axnetParameters(matched) - baseParams) / baseParams });
    const common = { kind: 'train' as const, bench, samples: o.samples, maxRows: o.maxRows, epochs: epochsOf(bench), ...dataOf(bench) };
    const cellsFor = (splitSeed: number, initSeed: number, suffix: string, full: boolean) => {
      const at = { ...common, splitSeed, initSeed };
      grid.push({ ...at, method: 'iterative', config: BASELINE_CONFIG + suffix });
      grid.push({ ...at, method: 'axnet', approx: matched.approx, predict: matched.predict, config: HEADLINE_CONFIG + suffix });
      if (!full) return;
      grid.push({ ...at, method: 'onepass', config: BASELINE_CONFIG });
      grid.push({ ...at, method: 'shared', config: BASELINE_CONFIG });
      grid.push({ ...at, method: 'axnet', approx: matched.approx, predict: matched.predict, controlBias: 1, config: `${HEADLINE_CONFIG}-bias1` });
      for (const w of SWEEP_WIDTHS[bench] ?? DEFAULT_SWEEP_WIDTHS) {
        grid.push({ ...at, method: 'axnet', approx: widened(d.approx, w, true), predict: widened(d.predict, w, false), config: `w${w}` });
      }
      const twoHidden = CONTROL_STUDY[bench];
      if (twoHidden) {
        for (const [label, control] of [['all', 'all'], ['first', 1], ['second', 2]] as const) grid.push({ ...at, method: 'axnet', approx: twoHidden, predict: d.predict, control, config: `control-${label}` });
      }
    };
    for (const s of initSeeds) cellsFor(o.splitSeed, s, '', true);
    for (const split of splitSeeds) cellsFor(split, initSeeds[0], '/splits', false);
  }
  process.stderr.write(`${grid.length} training cells; epochs per phase: ${benches.map((b) => `${b} ${epochsOf(b)}`).join(', ')}\n`);
  const code = codeHash();
  const keyed = grid.map((job) => {
    const key = jobKey(job, facts.get(job.bench)!.hash, code);
    return { key, job: { ...job, key } as TrainJob };
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
  const failed = outcomes.flatMap((out, i) => (out.ok ? [] : [`${grid[i].bench} ${grid[i].method} ${grid[i].config} split ${grid[i].splitSeed} init ${grid[i].initSeed}: ${out.error}`]));
  if (failed.length) throw new Error(`training cells failed:\n${failed.join('\n')}`);
  const results = outcomes.map((out) => (out as Extract<TrainOutcome, { ok: true }>).result);
  const runs = results.map(toRecord);
  // The split-variation cells at the fixed split are the main grid's runs at the first initialisation seed.
  const splitVaried = (r: RunRecord) => (r.method === 'iterative' && r.config === BASELINE_CONFIG) || (r.method === 'axnet' && r.config === HEADLINE_CONFIG);
  if (splitSeeds.length) runs.push(...runs.filter((r) => r.initSeed === initSeeds[0] && r.splitSeed === o.splitSeed && splitVaried(r)).map((r) => ({ ...r, config: `${r.config}/splits` })));
  const curves = meanCurves(results.filter((r) => r.splitSeed === o.splitSeed && ((r.method === 'shared' && r.config === BASELINE_CONFIG) || (r.method === 'axnet' && r.config === HEADLINE_CONFIG))).map((r) => ({ benchmark: r.bench, method: r.method, points: r.curve })));
  const backends = [...new Set(results.map((r) => r.backend))];
  const out: ExperimentResults = {
    command: `npm run experiments --${process.argv.slice(2).map((a) => ` ${a}`).join('')}`,
    data: o.data ? `AxBench data from ${o.data}` : `${o.samples} generated samples per benchmark`,
    backend: backends.join(', '),
    splitSeed: o.splitSeed,
    initSeeds,
    splitSeeds: [o.splitSeed, ...splitSeeds],
    budget: `${benches.map((b) => `${b} ${epochsOf(b)} epochs`).join(', ')} per phase (the default, or at least ${o.steps} steps); at most ${o.maxRows} rows per benchmark, split ${Math.round(100 * (1 - TEST_FRACTION))}/${Math.round(100 * TEST_FRACTION)}, ${Math.round(100 * VALIDATION_FRACTION)}% of the training rows held out for validation`,
    startedAt: new Date(started).toISOString(),
    seconds: (Date.now() - started) / 1000,
    generatedInstead,
    runs,
    summary: summarize(runs),
    paired: pairedDifferences(runs),
    tableI,
    matchedInvocation: matchedInvocation(runs),
    timeRatio: timeRatios(runs),
    curves,
  };
  mkdirSync(o.out, { recursive: true });
  writeFileAtomic(join(o.out, 'results.json'), JSON.stringify(out, null, 1) + '\n');
  await writeRendered(out, o.out);
  finished();
  console.log(`${runs.length} runs over ${benches.length} benchmarks in ${(out.seconds / 60).toFixed(1)} min (tfjs backend ${out.backend}); wrote ${join(o.out, 'results.md')}, results.json and the figures`);
}

await main();
