// `axc sim --reference`: the report's quality section checked against an independent computation from the
// CSVs (H(x) of every row from `--invoke all`, the model-mode decisions) and the AxBench .y files; the
// run's other figures unchanged by judging it; and the reference's bad inputs.

import test from 'ava';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { QualitySummary } from '../quality/quality-tally.ts';
import { reportJson, type RunReport } from '../simulator/report.ts';
import { copyFirstRows } from './support/axbench-data.ts';
import { runAxcInProcess } from './support/run-axc.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'axc-quality-'));
test.after.always(() => rmSync(dir, { recursive: true, force: true }));

type Metric = 'abs' | 'rel' | 'rmse';

/** Err of one sample and whether it is safe, written from DESIGN.md §1 apart from quality/error-metric.ts. */
function judge(metric: Metric, bound: number, h: number[], y: number[]): { err: number; safe: boolean } {
  const diffs = h.map((v, j) => v - y[j]);
  if (metric === 'rmse') {
    const err = Math.sqrt(diffs.reduce((s, d) => s + d * d, 0) / diffs.length);
    return { err, safe: err < bound };
  }
  const errs = diffs.map((d, j) => (metric === 'abs' ? Math.abs(d) : d === 0 ? 0 : Math.abs(d) / Math.abs(y[j])));
  return { err: errs.reduce((s, e) => s + e, 0) / errs.length, safe: errs.every((e) => e < bound) };
}

/** The rows of a CSV written by `axc sim -o`, as objects keyed by the header. */
function readCsv(file: string): Record<string, string>[] {
  const [header, ...rows] = readFileSync(file, 'utf8').trimEnd().split('\n');
  const cols = header.split(',');
  return rows.map((r) => Object.fromEntries(r.split(',').map((v, i) => [cols[i], v])));
}

/** The rows of an AxBench .y file, rounded to float32 as the simulator and the trainers hold references. */
function readRows(file: string, limit: number): number[][] {
  return readFileSync(file, 'utf8')
    .trimEnd()
    .split('\n')
    .slice(0, limit)
    .map((l) => l.trim().split(/\s+/).map((v) => Math.fround(Number(v))));
}

interface Case {
  bench: string;
  metric: Metric;
  bound: number;
  rows: number;
  epochs: number;
  /** Run the model-mode simulations with --threshold at the median P(x). */
  medianThreshold?: boolean;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const prepared = new Map<Case, ReturnType<typeof prepareCase>>(); // promises, so each case is prepared once
const prepare = (c: Case) => prepared.get(c) ?? prepared.set(c, prepareCase(c)).get(c)!;

/** Trains a small model on the first `rows` AxBench rows, compiles it, and simulates it with and without a reference. */
async function prepareCase(c: Case) {
  const data = path.join(dir, `${c.bench}-${c.metric}`);
  const x = path.join(data, 'train.x');
  const yFile = path.join(data, 'train.y');
  copyFirstRows(c.bench, c.rows, data);
  const model = path.join(data, 'm.axn');
  const bin = path.join(data, 'm.bin');
  const train = await runAxcInProcess(['train', '--bench', c.bench, '--data', data, '--epochs', String(c.epochs), '--seed', '7', '--metric', c.metric, '--bound', String(c.bound), '-q', '-o', model]);
  if (train.status !== 0) throw new Error(train.stderr);
  const compile = await runAxcInProcess(['compile', model, '-q', '-o', bin]);
  if (compile.status !== 0) throw new Error(compile.stderr);
  const out = (name: string) => path.join(data, name);
  const all = await runAxcInProcess(['sim', bin, '--input', x, '--invoke', 'all', '-o', out('all.csv'), '-q']);
  if (all.status !== 0) throw new Error(all.stderr);
  const allCsv = readCsv(out('all.csv'));
  // A short training can leave a predictor that invokes every sample or none; a threshold at the median
  // P(x) then makes the model-mode run deliver about half, so every field is exercised.
  const threshold = c.medianThreshold ? ['--threshold', String(median(allCsv.map((r) => Number(r.p))))] : [];
  const judged = await runAxcInProcess(['sim', bin, '--input', x, ...threshold, '--reference', yFile, '-o', out('judged.csv'), '--report', out('judged.json'), '-q']);
  const plain = await runAxcInProcess(['sim', bin, '--input', x, ...threshold, '-o', out('plain.csv'), '--report', out('plain.json'), '-q']);
  const judgedAll = await runAxcInProcess(['sim', bin, '--input', x, ...threshold, '--invoke', 'all', '--reference', yFile, '--report', out('judged-all.json'), '-q']);
  if (judged.status !== 0 || plain.status !== 0 || judgedAll.status !== 0) throw new Error(judged.stderr + plain.stderr + judgedAll.stderr);
  const text = (name: string) => readFileSync(out(name), 'utf8');
  const report = (name: string) => JSON.parse(readFileSync(out(name), 'utf8')) as RunReport;
  return { x, yFile, bin, judged: report('judged.json'), plain: report('plain.json'), judgedAll: report('judged-all.json'),
    plainText: { report: text('plain.json'), csv: text('plain.csv') },
    judgedText: { csv: text('judged.csv') }, judgedCsv: readCsv(out('judged.csv')), plainCsv: readCsv(out('plain.csv')), allCsv };
}

const CASES: Case[] = [
  { bench: 'sobel', metric: 'rmse', bound: 0.02, rows: 7820, epochs: 10, medianThreshold: true },
  { bench: 'inversek2j', metric: 'abs', bound: 0.1, rows: 3000, epochs: 5, medianThreshold: true },
  { bench: 'inversek2j', metric: 'rel', bound: 0.1, rows: 3000, epochs: 5, medianThreshold: true },
];

for (const c of CASES) {
  test.serial(`${c.bench} (${c.metric} < ${c.bound}): every quality field equals an independent computation from the CSVs and the .y file, in model mode and with --invoke all`, async (t) => {
    const r = await prepare(c);
    const ys = readRows(r.yFile, c.rows);
    const width = ys[0].length;
    const n = ys.length;
    const h = (row: Record<string, string>) => Array.from({ length: width }, (_, j) => Math.fround(Number(row[`y${j}`])));
    t.is(r.allCsv.length, n);
    t.is(r.judgedCsv.length, n);
    // Per row, from the --invoke all CSV (H(x) of every row) and the .y file; the predictor's choice from the model-mode CSV.
    const rows = r.allCsv.map((row, i) => ({ ...judge(c.metric, c.bound, h(row), ys[i]), finite: h(row).every(Number.isFinite), predicted: r.judgedCsv[i].invoked === '1' }));
    rows.forEach((row, i) => {
      // The judged CSV's own columns agree with the independent judgement of H(x) for every row.
      t.is(Number(r.judgedCsv[i].err), row.err, `row ${i}`);
      t.is(r.judgedCsv[i].safe, row.safe ? '1' : '0', `row ${i}`);
    });
    const check = (q: QualitySummary | null, delivered: (i: number) => boolean, mode: string) => {
      if (!q) return t.fail(`${mode}: no quality section`);
      let safe = 0, predicted = 0, predictedSafe = 0, agree = 0, count = 0, violations = 0, errSum = 0, nonFinite = 0;
      let maxError = -Infinity;
      rows.forEach((row, i) => {
        if (row.safe) safe++;
        if (row.predicted) predicted++;
        if (row.predicted && row.safe) predictedSafe++;
        if (row.predicted === row.safe) agree++;
        if (!delivered(i)) return;
        count++;
        if (!row.safe) violations++;
        if (!row.finite) nonFinite++;
        errSum += row.err;
        maxError = Math.max(maxError, row.err);
      });
      t.like(q, { metric: c.metric, bound: c.bound, reference: r.yFile, samples: n, safe, predicted, violations, nonFinite }, mode);
      const close = (got: number | null, want: number, what: string) => t.true(got !== null && Math.abs(got - want) <= 1e-12 * Math.max(1, Math.abs(want)), `${mode} ${what}: ${got} vs ${want}`);
      close(q.trueInvocation, safe / n, 'trueInvocation');
      close(q.predictedInvocation, predicted / n, 'predictedInvocation');
      close(q.predictionAccuracy, predictedSafe / n, 'predictionAccuracy');
      close(q.agreement, agree / n, 'agreement');
      close(q.precision, predictedSafe / predicted, 'precision');
      close(q.recall, predictedSafe / safe, 'recall');
      close(q.approximationError, errSum / count, 'approximationError');
      close(q.violationRate, violations / count, 'violationRate');
      close(q.finalError, errSum / n, 'finalError');
      close(q.maxError, maxError, 'maxError');
      return count;
    };
    // Model mode: the NPU delivers what the predictor chose. The model is such that the check is not vacuous.
    const delivered = check(r.judged.quality, (i) => rows[i].predicted, 'model mode');
    t.true(delivered! > 0 && delivered! < n, `delivered ${delivered} of ${n}`);
    t.true(rows.some((row) => row.safe) && rows.some((row) => !row.safe), 'the bound separates samples');
    // --invoke all: every sample is delivered, and the predictor's choice is still what it was.
    t.is(check(r.judgedAll.quality, () => true, '--invoke all'), n);
  });
}

test.serial('judging a run changes none of its other figures: the report outside quality and the CSV outside err,safe are byte-identical', async (t) => {
  const r = await prepare(CASES[0]);
  t.is(r.plain.quality, null);
  t.truthy(r.judged.quality);
  // The plain report's bytes are the judged report's with its quality section emptied.
  t.is(r.plainText.report, reportJson({ ...r.judged, quality: null }));
  t.is(r.plainText.csv, r.judgedText.csv.replace(/,[^,\n]*,[^,\n]*$/gm, ''));
});

// ---- the reference's bad inputs: one clear line, the right exit code, nothing written ----

test.serial('a reference that does not fit the input is refused with its position, and nothing is written', async (t) => {
  const d = path.join(dir, 'bad-reference');
  mkdirSync(d, { recursive: true });
  const bin = path.join(d, 'tiny.bin');
  t.is((await runAxcInProcess(['compile', 'examples/tiny.axn', '-q', '-o', bin])).status, 0);
  const samples = readFileSync('examples/tiny.x', 'utf8').trimEnd().split('\n').filter((l) => l.trim() && !l.startsWith('#'));
  const width = Number(readFileSync('examples/tiny.axn', 'utf8').match(/output (\d+)/)![1]);
  const row = Array(width).fill('0.5').join(' ');
  const write = (name: string, rows: string[]) => {
    const f = path.join(d, name);
    writeFileSync(f, rows.join('\n') + '\n');
    return f;
  };
  const csv = path.join(d, 'out.csv');
  const cases: [string, string, RegExp][] = [
    ['short', write('short.y', Array(samples.length - 1).fill(row)), new RegExp(`short\\.y: error: the reference ends after ${samples.length - 1} rows, but the input has more samples.*\\[AXS608\\]`)],
    ['long', write('long.y', Array(samples.length + 2).fill(row)), new RegExp(`long\\.y:${samples.length + 1}:1: error: the reference has more rows than the input's ${samples.length} samples.*\\[AXS609\\]`)],
    ['wide', write('wide.y', [row, `${row} 1`, ...Array(samples.length - 2).fill(row)]), new RegExp(`wide\\.y:2:1: error: reference row has ${width + 1} values, the program sends ${width} \\[AXS607\\]`)],
    ['text', write('text.y', [row, row.replace('0.5', 'x1')]), /text\.y:2:1: error: 'x1' is not a number \[AXS601\]/],
  ];
  for (const [what, ref, message] of cases) {
    const r = await runAxcInProcess(['sim', bin, '--input', 'examples/tiny.x', '--reference', ref, '-o', csv]);
    t.is(r.status, 1, what);
    t.regex(r.stderr, message, what);
    t.is(r.stderr.trim().split('\n').length, 1, `${what}: one line: ${r.stderr}`);
    t.throws(() => readFileSync(csv), undefined, `${what}: no CSV`);
  }
});

test.serial('a missing or directory reference is refused before the run, so nothing reaches stdout', async (t) => {
  const d = path.join(dir, 'early');
  mkdirSync(d, { recursive: true });
  const bin = path.join(d, 'tiny.bin');
  t.is((await runAxcInProcess(['compile', 'examples/tiny.axn', '-q', '-o', bin])).status, 0);
  for (const [ref, why] of [[d, 'it is a directory'], [path.join(d, 'missing.y'), 'no such file or directory']]) {
    const r = await runAxcInProcess(['sim', bin, '--input', 'examples/tiny.x', '--reference', ref, '-o', '-']);
    t.is(r.status, 1, r.stderr);
    t.is(r.stdout, '', 'no CSV header before the refusal');
    t.is(r.stderr, `error: cannot read '${ref}': ${why} [AXU701]\n`);
  }
});

test.serial('a reference that cannot be resolved is a usage error (exit 2) that says what to give instead', async (t) => {
  const d = path.join(dir, 'bad-options');
  mkdirSync(d, { recursive: true });
  const bin = path.join(d, 'tiny.bin');
  const noQuality = path.join(d, 'plain.axn');
  writeFileSync(noQuality, readFileSync('examples/tiny.axn', 'utf8').replace(/^\s*quality .*$/m, '').replace('weights "', `weights "${path.resolve('examples')}/`));
  const plainBin = path.join(d, 'plain.bin');
  t.is((await runAxcInProcess(['compile', 'examples/tiny.axn', '-q', '-o', bin])).status, 0);
  const c = await runAxcInProcess(['compile', noQuality, '-q', '-o', plainBin]);
  t.is(c.status, 0, c.stderr);
  const sim = (b: string, ...args: string[]) => runAxcInProcess(['sim', b, '--input', 'examples/tiny.x', ...args]);
  const cases: [string, Awaited<ReturnType<typeof sim>>, RegExp][] = [
    ['exact without a benchmark', await sim(bin, '--reference', 'exact'), /^error: --reference exact computes the reference with the benchmark the model names, and model 'tiny' names none.*\[AXU720\]$/m],
    ['no quality line', await sim(plainBin, '--reference', 'examples/tiny.x'), /^error: model 'tiny' has no `quality` line.*give --metric abs\|rel\|rmse and --bound B \[AXU721\]$/m],
    ['metric without bound', await sim(plainBin, '--reference', 'examples/tiny.x', '--metric', 'abs'), /no `quality` line to take the bound from; give --bound B too/],
    ['--metric alone', await sim(bin, '--metric', 'abs'), /--metric and --bound say how outputs are judged against a reference; give --reference/],
    ['bad bound', await sim(bin, '--reference', 'exact', '--bound', '-1'), /--bound takes a positive decimal number; got '-1'/],
    ['bad metric', await sim(bin, '--reference', 'exact', '--metric', 'mse'), /argument 'mse' is invalid/],
  ];
  for (const [what, r, message] of cases) {
    t.is(r.status, 2, `${what}: ${r.stderr}`);
    t.regex(r.stderr, message, what);
    t.false(r.stderr.includes('    at '), `${what}: no stack trace`);
  }
});
