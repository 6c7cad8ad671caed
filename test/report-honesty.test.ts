// The run report says nothing misleading: speedup and energy read the right way round, a placeholder
// CPU cost and NaN/infinite outputs are warned about, and times and numbers are stated consistently.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { findBenchmark } from '../benchmarks/registry.ts';
import { compileModel } from '../compiler/pipeline.ts';
import { AxcError } from '../diagnostics/diagnostic.ts';
import { parseModel } from '../frontend/parse-model.ts';
import { HardwareSchema, type Hardware } from '../hardware/description.ts';
import { formatDuration, formatRatio } from '../simulator/format-quantities.ts';
import { formatReport, PLACEHOLDER_MARK } from '../simulator/format-report.ts';
import { readSamples } from '../simulator/read-samples.ts';
import { runSimulation, type RunReport } from '../simulator/run-simulation.ts';
import { runAxc } from './support/run-axc.ts';

const TINY = fs.readFileSync('examples/tiny.axn', 'utf8');

/** examples/tiny.axn (no benchmark, no CPU cost) with extra declarations after its `quality` line. */
function tinyWith(extra: string): string {
  const out = TINY.replace(/^(\s*quality .*)$/m, `$1\n  ${extra}`);
  if (extra && out === TINY) throw new Error('tiny.axn has no quality line to add to');
  return out;
}

interface Run {
  report: RunReport;
  table: string;
  rows: string[];
}

async function simulate(source: string, samples: number[][] | string, hw: Hardware = HardwareSchema.parse({})): Promise<Run> {
  // Named as if in examples/, where the examples' weights files are.
  const { model, diagnostics } = parseModel(source, 'examples/test.axn');
  if (!model) throw new AxcError(diagnostics);
  const bin = compileModel(model, { hardware: hw });
  const rows: string[] = [];
  const inputs = typeof samples === 'string' ? readSamples(samples, model.inputWidth) : samples.map((s) => Float32Array.from(s));
  const exact = bin.meta.benchmark ? findBenchmark(bin.meta.benchmark) : undefined;
  const report = await runSimulation(bin, inputs, { exact, onRow: (r) => void rows.push(r) });
  return { report, table: formatReport(report), rows: rows.slice(1) };
}

async function simulateExample(name: string): Promise<Run> {
  return simulate(fs.readFileSync(`examples/${name}.axn`, 'utf8'), `examples/${name}.x`);
}

/** The last table line that starts with this label (the comparison's `energy` line comes after the energy table's header). */
function line(table: string, label: string): string {
  const found = table.split('\n').filter((l) => l.startsWith(`${label} `)).pop();
  if (found === undefined) throw new Error(`no '${label}' line in\n${table}`);
  return found;
}

/**
 * The figures a line states, read back as numbers ("1,234.5×" and "0.88×" alike), so a line is checked
 * against the report's own figures rather than against the formatter that wrote it.
 */
function figures(text: string): number[] {
  return [...text.matchAll(/-?[\d,]*\.?\d+(?:e-?\d+)?/g)].map((m) => Number(m[0].replaceAll(',', '')));
}

/** Whether `stated` is `actual` as written to `digits` decimals (or two significant digits for a tiny ratio). */
function states(stated: number, actual: number, digits: number): boolean {
  return Math.abs(stated - actual) <= 0.5 * 10 ** -digits + 1e-12 * Math.abs(actual);
}

// ---- speed and energy, both ways round ----

test('an NPU run faster and cheaper than the CPU reads as a speedup and as less energy', async (t) => {
  const { report, table } = await simulate(tinyWith('cpu 100000 cycles'), 'examples/tiny.x');
  const c = report.comparison;
  t.true(c.speedup > 1 && c.normalizedEnergy < 1, `speedup ${c.speedup}, normalised energy ${c.normalizedEnergy}`);
  const speedup = line(table, 'speedup');
  t.regex(speedup, /^speedup {6}[\d.,]+× \(faster than CPU-only\)$/);
  t.true(states(figures(speedup)[0], c.speedup, 2), speedup);
  const energy = line(table, 'energy');
  t.regex(energy, /^energy {7}[\d.,]+× less energy than CPU-only \(E \/ E_cpu-only = [\d.]+\)$/);
  const [less, ratio] = figures(energy.replace('E_cpu-only', ''));
  t.true(states(less, 1 / c.normalizedEnergy, 2) && states(ratio, c.normalizedEnergy, 3), energy);
  t.regex(line(table, 'efficiency'), /energy-delay product [\d.,]+× better than CPU-only$/);
  t.false(table.includes('slowdown'));
});

test('an NPU run slower and costlier than the CPU reads as a slowdown and as more energy', async (t) => {
  const { report, table } = await simulate(tinyWith('cpu 1 cycles'), 'examples/tiny.x');
  const c = report.comparison;
  t.true(c.speedup < 1 && c.normalizedEnergy > 1, `speedup ${c.speedup}, normalised energy ${c.normalizedEnergy}`);
  const speedup = line(table, 'speedup');
  t.regex(speedup, /^speedup {6}[\d.,]+× — a [\d.,]+× slowdown against CPU-only$/);
  const [ratio, slowdown] = figures(speedup);
  t.true(states(ratio, c.speedup, 2) && states(slowdown, 1 / c.speedup, 2), speedup);
  const energy = line(table, 'energy');
  t.regex(energy, /^energy {7}[\d.,]+× more energy than CPU-only \(E \/ E_cpu-only = [\d.]+\)$/);
  const [more, normalized] = figures(energy.replace('E_cpu-only', ''));
  t.true(states(more, c.normalizedEnergy, 2) && states(normalized, c.normalizedEnergy, 3), energy);
  t.regex(line(table, 'efficiency'), /energy-delay product [\d.,]+× worse than CPU-only$/);
  t.false(/less|faster/.test(line(table, 'energy') + line(table, 'speedup')));
});

test(`each example's energy line says more or less as its report's figure does (sobel's once said "0.88x less" for 1.14x more)`, async (t) => {
  for (const name of ['sobel', 'jpeg', 'inversek2j']) {
    const { report, table } = await simulateExample(name);
    const e = report.comparison.normalizedEnergy;
    const energy = line(table, 'energy');
    const way = e > 1 ? 'more' : 'less';
    t.regex(energy, new RegExp(`^energy {7}[\\d.,]+× ${way} energy than CPU-only \\(E / E_cpu-only = [\\d.]+\\)$`), name);
    const [factor, normalized] = figures(energy.replace('E_cpu-only', ''));
    t.true(states(factor, e > 1 ? e : 1 / e, 2) && states(normalized, e, 3), energy);
  }
});

// ---- the CPU cost's provenance ----

test('a CPU cost from the hardware default is warned about, in the report and on every line that rests on it', async (t) => {
  const { report, table } = await simulateExample('tiny');
  t.is(report.cpu.cyclesSource, 'hardware-default');
  t.is(report.cpu.cyclesPerEvaluation, HardwareSchema.parse({}).cpu.cyclesPerEvaluation);
  t.is(report.warnings.length, 1);
  t.regex(report.warnings[0], /^the CPU cost, 1,000 cycles per evaluation, is the hardware default \(cpu\.cyclesPerEvaluation\), a placeholder/);
  t.true(report.cpu.evaluations > 0);
  t.regex(report.warnings[0], new RegExp(`the ${report.cpu.evaluations} CPU fallbacks`));
  for (const label of ['vs CPU only', 'speedup', 'energy', 'efficiency', 'EDP', 'cycles']) t.true(line(table, label).endsWith(PLACEHOLDER_MARK), label);
  // The energy table's CPU row and totals count the CPU fallbacks, so they are marked too.
  for (const label of ['cpu', 'total', 'per sample']) t.true(line(table, label).endsWith(PLACEHOLDER_MARK.trim()), label);
  t.false(line(table, 'peMac').includes('placeholder'));
  t.true(table.includes(`\nwarning      ${report.warnings[0]}\n`));
});

test('a model naming its CPU cost, or its benchmark, gets no placeholder warning', async (t) => {
  for (const run of [await simulate(tinyWith('cpu 300 cycles'), 'examples/tiny.x'), await simulateExample('sobel')]) {
    t.is(run.report.cpu.cyclesSource, 'model');
    t.deepEqual(run.report.warnings, []);
    t.false(run.table.includes('placeholder'));
    t.false(run.table.includes('warning'));
  }
  const cpuLine = await simulate(tinyWith('cpu 300 cycles'), 'examples/tiny.x');
  t.is(cpuLine.report.cpu.cyclesPerEvaluation, 300);
});

// ---- NaN and infinite outputs ----

test('samples with NaN or infinite NPU outputs are counted and warned about', async (t) => {
  const huge = [3e38, 3e38];
  const { report, table, rows } = await simulate(TINY, [[0.1, -0.8], huge, [0.3, 0.06], huge]);
  // First, that 3e38 really does give a non-finite output on the NPU (the last CSV cell is `invoked`).
  const nonFiniteRows = rows.filter((r) => {
    const cells = r.trim().split(',');
    return cells[cells.length - 1] === '1' && cells.slice(0, -2).some((y) => !Number.isFinite(Number(y)));
  });
  t.is(nonFiniteRows.length, 2, rows.join(''));
  t.is(report.outputs.nonFinite, 2);
  t.true(report.warnings.includes('2 of 4 samples got NaN or infinite NPU outputs (outputs.nonFinite); the CSV holds them as NaN, Infinity or -Infinity.'));
  t.is(line(table, 'outputs'), 'outputs      2 samples with NaN or infinite NPU outputs  [see warning]');
  t.true(table.includes(`\nwarning      ${report.warnings[1]}\n`));
});

test('finite outputs give nonFinite 0 and no warning about them', async (t) => {
  const { report, table } = await simulateExample('sobel');
  t.deepEqual(report.outputs, { nonFinite: 0 });
  t.is(line(table, 'outputs'), 'outputs      every NPU output finite');
});

// ---- time units and number formats ----

test('ratios keep two decimals, thousands get separators, and a tiny ratio keeps two significant digits', (t) => {
  t.is(formatRatio(1.654), '1.65×');
  t.is(formatRatio(0.876), '0.88×');
  t.is(formatRatio(12345.6), '12,346×');
  t.is(formatRatio(0.0041234), '0.0041×');
  t.is(formatRatio(0), '0.00×');
});

test('durations take a fitting unit', (t) => {
  t.is(formatDuration(36_474_581e-9), '36.475 ms');
  t.is(formatDuration(12_160e-9), '12.160 µs');
  t.is(formatDuration(812e-9), '812.0 ns');
  t.is(formatDuration(2.5), '2.500 s');
  t.is(formatDuration(0), '0.0 ns');
});

test('the cycles line states its time in a fitting unit and every count the same way', async (t) => {
  // At 1 MHz a cycle is a microsecond, so tiny's run of tens of thousands of cycles lasts tens of
  // milliseconds; a 5000-cycle CPU cost (on a CPU clocked as the NPU) takes the per-sample mean into the thousands.
  const { report, table } = await simulate(tinyWith('cpu 5000 cycles'), 'examples/tiny.x', HardwareSchema.parse({ clockMHz: 1, cpu: { clockMHz: 1 } }));
  const cycles = line(table, 'cycles');
  t.true(report.seconds > 1e-3 && report.seconds < 1, String(report.seconds));
  const ms = /total \(([\d.]+) ms\)/.exec(cycles);
  t.truthy(ms, cycles);
  t.true(states(Number(ms![1]), report.seconds * 1e3, 3), cycles);
  t.true(report.cycles.perSample.mean >= 1000);
  // Thousands separators on every count, the fractional mean included.
  const withoutDuration = cycles.replace(/\(.*?\)/, '');
  t.false(/\d{4}/.test(withoutDuration), cycles);
  const mean = /mean ([\d,]+(?:\.\d)?)\b/.exec(cycles);
  t.truthy(mean, cycles);
  t.true(states(Number(mean![1].replaceAll(',', '')), report.cycles.perSample.mean, 1), cycles);
});

// ---- through the CLI ----

function tempDir(t: ExecutionContext): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'axc-honesty-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('axc sim: the table and the JSON report carry the warnings and the new fields, byte-identically across runs', (t) => {
  const dir = tempDir(t);
  const bin = path.join(dir, 'tiny.bin');
  t.is(runAxc(['compile', 'examples/tiny.axn', '-o', bin]).status, 0);
  const input = path.join(dir, 'in.x');
  fs.writeFileSync(input, '0.1 -0.8\n3e38 3e38\n0.3 0.06\n');
  const reportPath = (k: number) => path.join(dir, `report${k}.json`);
  const first = runAxc(['sim', bin, '--input', input, '--report', reportPath(1)]);
  t.is(first.status, 0, first.stderr);
  const second = runAxc(['sim', bin, '--input', input, '--report', reportPath(2), '-q']);
  t.is(second.status, 0, second.stderr);
  const text = fs.readFileSync(reportPath(1), 'utf8');
  t.is(fs.readFileSync(reportPath(2), 'utf8'), text);
  const report = JSON.parse(text) as RunReport;
  t.is(report.schema, 'axc-sim-report/2');
  t.deepEqual(Object.keys(report).slice(0, 2), ['schema', 'warnings']);
  t.is(report.cpu.cyclesSource, 'hardware-default');
  t.deepEqual(report.outputs, { nonFinite: 1 });
  t.is(report.warnings.length, 2);
  t.regex(report.warnings[0], /hardware default/);
  t.regex(report.warnings[1], /^1 of 3 samples got NaN or infinite NPU outputs/);
  t.regex(first.stdout, /^outputs +1 sample with NaN or infinite NPU outputs {2}\[see warning\]$/m);
  t.regex(first.stdout, /^speedup +\d+\.\d\d× .*\[placeholder CPU cost: see warning\]$/m);
  for (const w of report.warnings) t.true(first.stdout.includes(`warning      ${w}\n`));
});

test('axc sim: a model naming its benchmark prints no warning, and its report has none', (t) => {
  const dir = tempDir(t);
  const bin = path.join(dir, 'sobel.bin');
  t.is(runAxc(['compile', 'examples/sobel.axn', '-o', bin]).status, 0);
  const reportPath = path.join(dir, 'report.json');
  const r = runAxc(['sim', bin, '--input', 'examples/sobel.x', '--report', reportPath]);
  t.is(r.status, 0, r.stderr);
  const report = JSON.parse(fs.readFileSync(reportPath, 'utf8')) as RunReport;
  t.deepEqual(report.warnings, []);
  t.is(report.cpu.cyclesSource, 'model');
  t.deepEqual(report.outputs, { nonFinite: 0 });
  t.false(r.stdout.includes('warning'));
  t.regex(r.stdout, /^cycles +[\d,]+ total \(\d+\.\d{3} µs\);/m);
  t.regex(r.stdout, /^energy +[\d.]+× (more|less) energy than CPU-only \(E \/ E_cpu-only = [\d.]+\)$/m);
});
