// npm run bench: the CLI's start-up time as a ratio to a bare `node -e 0`, simulator throughput (the reference
// path and the fast path, timed, and the fast path functional only) beside a plain float32 forward pass of the
// same model, all measured in the same run, tfjs predict (batch 1024) on the same models as the baseline of
// issue 16 (`ratio sim/tfjs`, the fast timed simulator over tfjs), the file -> CSV
// path's share of the in-memory rate, and the simulator's memory over 10k and 1M streamed samples.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { compileModel } from '../compiler/pipeline.ts';
import { loadModelFile } from '../frontend/parse-model.ts';
import { AxcError } from '../diagnostics/diagnostic.ts';
import { SeededRandom } from '../ir/seeded-random.ts';
import { packBinary } from '../isa/container.ts';
import { Simulator } from '../machine/simulator.ts';
import { timingFor } from '../machine/timing-model.ts';
import { compileTimeRows } from './compile-time.ts';
import { batchCurveRows } from './batch-curve.ts';
import { sweepSpeedupRows } from './sweep-speedup.ts';
import { makeForwardPass } from './forward-pass.ts';
import { flatBatches, TFJS_BATCH, tfjsPredictRate } from './tfjs-predict.ts';
import { writeFileSync } from 'node:fs';

const repo = new URL('..', import.meta.url).pathname;

function load(name: string) {
  const { model, diagnostics } = loadModelFile(join(repo, 'examples', `${name}.axn`));
  if (!model) throw new AxcError(diagnostics);
  return model;
}

function inputs(n: number, width: number, seed: number): Float32Array[] {
  const rng = new SeededRandom(seed);
  return Array.from({ length: n }, () => Float32Array.from({ length: width }, () => rng.uniform(0, 1)));
}

/** Best of `repeats` timings of fn over all xs, in samples per second. */
function rate(xs: Float32Array[], repeats: number, fn: (x: Float32Array) => unknown): number {
  let best = Infinity;
  for (let r = 0; r < repeats; r++) {
    const t0 = process.hrtime.bigint();
    for (const x of xs) fn(x);
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e9);
  }
  return xs.length / best;
}

/** Passes over the samples of the two sides the ratio compares, the fast path and tfjs predict (after two to
 *  warm up), of which each side's best counts: tfjs's rate varies several-fold from pass to pass in one process
 *  (0.4M to 2.3M jpeg samples/s seen), and the machine's own noise comes in spells. */
const RATIO_REPEATS = 5;

/** `ratio sim/tfjs <model> <R>` lines, one per throughput row: the timed simulator over tfjs predict (issue 16). */
const tfjsRatios: string[] = [];

/** Best of `repeats` runs of a fresh simulator (setup included) over the same batches of rows tfjs predicts
 *  from (pushRows), every result looked at, in samples per second. */
function streamRate(flat: Float32Array[], width: number, repeats: number, run: () => Simulator): number {
  let best = Infinity;
  let samples = 0;
  for (let r = 0; r < repeats; r++) {
    const t0 = process.hrtime.bigint();
    const sim = run();
    let invoked = 0;
    const each = (res: { invoked: boolean }) => void (res.invoked && invoked++);
    for (const rows of flat) sim.pushRows(rows, each);
    const k = sim.end();
    for (let i = 0; i < k; i++) each(sim.results[i]);
    sim.close();
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e9);
    samples = flat.length * (flat[0]?.length ?? 0) / width;
  }
  return samples / best;
}

async function throughput(name: string, n: number): Promise<string> {
  const model = load(name);
  const bin = compileModel(model);
  const xs = inputs(n, model.inputWidth, 7);
  const forward = makeForwardPass(model);
  rate(xs.slice(0, 2000), 1, forward); // warm up every path
  const reference = new Simulator(bin, { timing: timingFor(bin) });
  rate(xs.slice(0, 2000), 1, (x) => reference.runSample(x));
  const fastTimed = () => new Simulator(bin, { timing: timingFor(bin), fastPath: true });
  const fastFunctional = () => new Simulator(bin, { fastPath: true });
  const flat = flatBatches(xs, model.inputWidth);
  const w = model.inputWidth;
  // Warm up as tfjs does (one whole pass): V8 reaches its optimised code for the block engine after a few blocks.
  streamRate(flat, w, 1, fastTimed);
  streamRate(flat, w, 1, fastFunctional);
  const base = rate(xs, 3, forward);
  const withTiming = rate(xs, 3, (x) => reference.runSample(x));
  const fast = streamRate(flat, w, RATIO_REPEATS, fastTimed);
  const functionalOnly = streamRate(flat, w, RATIO_REPEATS, fastFunctional);
  const tfjs = await tfjsPredictRate(model, flat, RATIO_REPEATS);
  tfjsRatios.push(`ratio sim/tfjs ${name} ${(fast / tfjs.rate).toFixed(2)}`);
  const perSecond = (r: number) => Math.round(r).toLocaleString('en-US');
  return `| ${name} | ${model.inputWidth} -> ${model.outputWidth} | ${n.toLocaleString('en-US')} | ${perSecond(base)} | ${perSecond(withTiming)} | ${perSecond(fast)} | ${(fast / withTiming).toFixed(1)}x | ${perSecond(functionalOnly)} | ${perSecond(tfjs.rate)} (${tfjs.backend}) | ${(fast / tfjs.rate).toFixed(2)} |`;
}

/** Goals for the start-up of the built CLI (bin/axc.js running dist/), as multiples of `node -e 0`. */
const STARTUP_GOALS = { version: 5, compile: 8 };
const STARTUP_REPEATS = 11;

/** Wall time of one run of `node args`, in seconds; the run must succeed. */
function wallTime(args: string[]): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd: repo, encoding: 'utf8' });
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return secs;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Median wall times of `node -e 0`, `axc --version` and `axc compile`, taken in turn so load hits all alike. */
function startup(): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'axc-bench-'));
  try {
    const bin = join(repo, 'bin/axc.js');
    const runs = {
      node: ['-e', '0'],
      version: [bin, '--version'],
      compile: [bin, 'compile', 'examples/sobel.axn', '-o', join(dir, 'x.bin')],
    };
    const times: Record<keyof typeof runs, number[]> = { node: [], version: [], compile: [] };
    for (const args of Object.values(runs)) wallTime(args); // warm the file cache
    for (let i = 0; i < STARTUP_REPEATS; i++) for (const [k, args] of Object.entries(runs)) times[k as keyof typeof runs].push(wallTime(args));
    const base = median(times.node);
    const row = (what: string, k: keyof typeof runs, goal?: number) => {
      const t = median(times[k]);
      const ratio = t / base;
      const verdict = goal === undefined ? '' : ratio <= goal ? `≤ ${goal}×: met` : `≤ ${goal}×: NOT met`;
      return `| ${what} | ${(t * 1000).toFixed(0)} ms | ${ratio.toFixed(2)}× | ${verdict} |`;
    };
    return [
      row('`node -e 0`', 'node'),
      row('`axc --version`', 'version', STARTUP_GOALS.version),
      row('`axc compile examples/sobel.axn -o x.bin`', 'compile', STARTUP_GOALS.compile),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const heap: string[] = [];

/** Live heap after a full GC while streaming a file through the simulator to a CSV, every 200k samples. */
async function liveHeap(binPath: string, input: string, output: string): Promise<string[]> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return ['(skipped: run with node --expose-gc, as npm run bench does)'];
  const { readFileSync, createWriteStream } = await import('node:fs');
  const { unpackBinary } = await import('../isa/container.ts');
  const { readSamples } = await import('../simulator/read-samples.ts');
  const { runSimulation } = await import('../simulator/run-simulation.ts');
  const { findBenchmark } = await import('../benchmarks/registry.ts');
  const out = createWriteStream(output);
  const rows: string[] = [];
  const bin = unpackBinary(readFileSync(binPath));
  await runSimulation(bin, readSamples(input, 9), {
    exact: bin.meta.benchmark ? findBenchmark(bin.meta.benchmark) : undefined,
    onRow: (row) => {
      if (!out.write(row)) return new Promise<void>((r) => out.once('drain', () => r()));
    },
    onProgress: (n) => {
      if (n % 200_704 !== 0 && n !== 1024) return;
      gc();
      rows.push(`| ${n.toLocaleString('en-US')} | ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(1)} MiB |`);
    },
  });
  await new Promise<void>((r) => out.end(r));
  return rows;
}

const fileRows: string[] = [];

/** The sobel input the file -> CSV measurement streams: AxBench's training inputs repeated to 500k samples
 *  (12-digit decimals as AxBench writes them), or seeded random 6-digit values when the data set is absent. */
function fileInput(file: string): string {
  const axbench = join(repo, '..', 'shared', 'data', 'axbench', 'sobel', 'train.x');
  const fd = openSync(file, 'w');
  if (existsSync(axbench)) {
    const text = readFileSync(axbench, 'utf8');
    const lines = text.split('\n').filter((l) => l.trim() !== '').length;
    for (let n = 0; n < 500_000; n += lines) writeSync(fd, text.endsWith('\n') ? text : text + '\n');
    closeSync(fd);
    return 'AxBench sobel train.x repeated';
  }
  const rng = new SeededRandom(5);
  for (let i = 0; i < 500; i++) {
    let chunk = '';
    for (let k = 0; k < 1000; k++) {
      for (let j = 0; j < 9; j++) chunk += (j ? ' ' : '') + rng.next().toFixed(6);
      chunk += '\n';
    }
    writeSync(fd, chunk);
  }
  closeSync(fd);
  return 'seeded random values';
}

/** `axc sim --input F --output out.csv`'s path (reader, simulator, CSV sink, atomic file) in a child process,
 *  against the in-memory simulator on the same samples in the same process (perf/file-to-csv.ts). */
function fileToCsv(dir: string, binPath: string): string[] {
  const file = join(dir, 'file-csv.x');
  const source = fileInput(file);
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(repo, 'perf/file-to-csv.ts'), binPath, file, join(dir, 'file-csv.csv'), '200000'], { encoding: 'utf8', cwd: repo });
  rmSync(file);
  if (r.status !== 0) return [`(failed: ${r.stderr.trim().split('\n').pop()})`];
  const m = JSON.parse(r.stdout.trim().split('\n').pop()!) as { samples: number; fileRate: number; memoryRate: number; rssBefore: number; peakRss: number };
  const fmt = (v: number) => Math.round(v).toLocaleString('en-US');
  return [`| ${m.samples.toLocaleString('en-US')} (${source}) | ${fmt(m.fileRate)} | ${fmt(m.memoryRate)} | ${((100 * m.fileRate) / m.memoryRate).toFixed(0)}% | ${((m.peakRss - m.rssBefore) / 2 ** 20).toFixed(1)} MiB |`];
}

async function memory(): Promise<string[]> {
  if (!existsSync('/usr/bin/time')) return ['(skipped: /usr/bin/time is not installed)'];
  const dir = mkdtempSync(join(tmpdir(), 'axc-bench-'));
  try {
    const model = load('sobel');
    const binPath = join(dir, 'sobel.bin');
    writeFileSync(binPath, packBinary(compileModel(model)));
    fileRows.push(...fileToCsv(dir, binPath));
    const rows: string[] = [];
    for (const n of [10_000, 1_000_000]) {
      const file = join(dir, `in-${n}.x`);
      const fd = openSync(file, 'w');
      const rng = new SeededRandom(n);
      let chunk = '';
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < 9; j++) chunk += (j ? ' ' : '') + rng.next().toFixed(6);
        chunk += '\n';
        if (chunk.length > 1 << 20) {
          writeSync(fd, chunk);
          chunk = '';
        }
      }
      writeSync(fd, chunk);
      closeSync(fd);
      const r = spawnSync('/usr/bin/time', ['-f', '%M %e', process.execPath, join(repo, 'bin/axc.js'), 'sim', binPath, '--input', file, '--output', join(dir, 'out.csv'), '--quiet'], { encoding: 'utf8' });
      const [kb, secs] = r.stderr.trim().split('\n').pop()!.split(' ').map(Number);
      rows.push(`| ${n.toLocaleString('en-US')} | ${(kb / 1024).toFixed(1)} MiB | ${secs.toFixed(1)} s |`);
      if (n === 1_000_000) heap.push(...(await liveHeap(binPath, file, join(dir, 'heap.csv'))));
      rmSync(file);
    }
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const lines: string[] = [];
lines.push(`machine: ${cpus()[0]?.model ?? 'unknown cpu'} x ${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`);
lines.push('');
lines.push(`Start-up of the built CLI (bin/axc.js running dist/), median wall time of ${STARTUP_REPEATS} runs each, taken in turn, as a multiple of \`node -e 0\`:`);
lines.push('');
lines.push('| command | median | ratio | goal |');
lines.push('| --- | --- | --- | --- |');
lines.push(...(process.argv.includes('--throughput') ? [] : startup()));
const sweepTable = () => [
  '',
  'A 64-cell `axc sweep` (sobel and jpeg × 4 tile counts × 4 PE counts × static/dynamic, 2,560-row inputs), nothing cached,',
  'by the built CLI at --jobs 1 and at --jobs = cores, in the same run (wall time, start-up included):',
  '',
  '| --jobs | wall time | speed-up | |',
  '| --- | --- | --- | --- |',
  ...sweepSpeedupRows(),
];
if (process.argv.includes('--sweep')) {
  // npm run bench -- --sweep: the sweep table only
  console.log(sweepTable().join('\n'));
  process.exit(0);
}
if (process.argv.includes('--startup')) {
  // npm run bench -- --startup: this table only
  console.log(lines.join('\n'));
  process.exit(0);
}
if (process.argv.includes('--throughput')) lines.splice(1); // npm run bench -- --throughput: the machine and the throughput table only
lines.push('');
lines.push('Throughput on the default NPU (static schedule), samples already in memory: a bare float32 forward');
lines.push('pass and the simulator with its timing and energy model on the reference path (one sample at a time, instruction');
lines.push('by instruction), best of three; the fast path (blocks of samples, timing reuse; `axc sim` runs it unless');
lines.push('`--reference-path`), timed and functional only, and TensorFlow.js `predict` on the same model in batches of ' + String(TFJS_BATCH));
lines.push('(from a filled Float32Array to the outputs read back; the fast path reads the same arrays, `Simulator.pushRows`),');
lines.push('best of ' + String(RATIO_REPEATS) + ' each (tfjs after two warm-up passes; its rate varies widely from pass to pass); and the');
lines.push('fast timed simulator over tfjs (sim/tfjs; issue 16 asks for 1.0 or more):');
lines.push('');
lines.push('| model | network | samples | forward pass (samples/s) | reference path, timed | fast path, timed | fast/reference | fast path, functional | tfjs predict (samples/s) | sim/tfjs |');
lines.push('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
lines.push(await throughput('sobel', 500_000));
lines.push(await throughput('jpeg', 200_000));
lines.push('');
lines.push(...tfjsRatios);
if (process.argv.includes('--throughput')) {
  console.log(lines.join('\n'));
  process.exit(0);
}
lines.push('');
lines.push('Compile work (in process, no start-up; best of three) for AXNets of about 10k, 100k and 1M parameters on the default NPU:');
lines.push('');
lines.push('| network | parameters | compile | schedule |');
lines.push('| --- | --- | --- | --- |');
lines.push(...compileTimeRows());
lines.push('');
lines.push('Batches (issue 11): 64 → 512 → 512 → 64 on the default NPU, dynamic schedule, a whole number of batches of every size, all on the NPU path; cycles');
lines.push('and DRAM energy per sample from the timing and energy model, and their improvement over `--batch 1`:');
lines.push('');
lines.push('| batch | instructions | cycles per sample | vs batch 1 | DRAM energy per sample | vs batch 1 |');
lines.push('| --- | --- | --- | --- | --- | --- |');
lines.push(...batchCurveRows());
lines.push('');
lines.push(...sweepTable().slice(1));
lines.push('');
lines.push('Memory of `axc sim` (whole process, max RSS) streaming sobel samples from a file to a CSV:');
lines.push('');
lines.push('| samples | max RSS | wall time |');
lines.push('| --- | --- | --- |');
lines.push(...(await memory()));
lines.push('');
lines.push('Throughput of `axc sim --input F --output out.csv` on sobel (text parsing, simulation, CSV text, the atomic');
lines.push('file; best of five), as a share of the in-memory simulator on the same samples in the same process, and the');
lines.push("process's peak RSS growth over the first file run:");
lines.push('');
lines.push('| samples | file -> CSV (samples/s) | in memory (samples/s) | share | peak RSS growth |');
lines.push('| --- | --- | --- | --- | --- |');
lines.push(...fileRows);
lines.push('');
lines.push('Live heap after a full garbage collection, in process, streaming the 1M-sample file to a CSV (the measure of');
lines.push('constant memory; RSS above also holds V8 heap headroom and stream buffers):');
lines.push('');
lines.push('| samples done | live heap |');
lines.push('| --- | --- |');
lines.push(...heap);
console.log(lines.join('\n'));
