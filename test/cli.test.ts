// End-to-end tests of the `axc` command line: every example compiled and simulated through the real CLI,
// its CSV checked bit for bit against the reference interpreter, plus --invoke all, --output -,
// --dump-after, --schedule static/dynamic on a small NPU and `sim --npu` refusing a mismatched binary.
// Spawns are costly (~0.5 s each): compiled examples are shared between tests through `built()`.

import test, { type ExecutionContext } from 'ava';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AxcError } from '../diagnostics/diagnostic.ts';
import { compileModel, PASSES } from '../compiler/pipeline.ts';
import { loadModelFile } from '../frontend/parse-model.ts';
import { findBenchmark } from '../benchmarks/registry.ts';
import { interpretModel } from '../ir/interpret-model.ts';
import type { AxModel } from '../ir/model.ts';
import { packBinary } from '../isa/container.ts';
import { disassemble } from '../isa/disassemble.ts';
import { readBinaryFile } from '../cli/load-binary.ts';
import { DEFAULT_HARDWARE } from '../hardware/description.ts';
import type { RunReport } from '../simulator/run-simulation.ts';
import { repoRoot, runAxc } from './support/run-axc.ts';

const EXAMPLES = ['sobel', 'inversek2j', 'jpeg', 'single-control', 'tiny'] as const;
type Example = (typeof EXAMPLES)[number];

const exampleFile = (name: string, ext: string) => path.join(repoRoot, 'examples', `${name}${ext}`);

function tempDir(t: ExecutionContext): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'axc-cli-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

// ---- helpers that read the CLI's outputs independently of the code under test ----

/** Samples of an input file: non-blank, non-comment lines split on commas/white space, as float32. */
function readX(file: string): Float32Array[] {
  return fs
    .readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '' && !l.trim().startsWith('#'))
    .map((l) => Float32Array.from(l.trim().split(/[\s,]+/).map(Number)));
}

interface Csv {
  header: string;
  rows: string[][];
}

function parseCsv(text: string): Csv {
  if (!text.endsWith('\n')) throw new Error('CSV does not end with a newline');
  const lines = text.slice(0, -1).split('\n');
  return { header: lines[0], rows: lines.slice(1).map((l) => l.split(',')) };
}

function expectedHeader(m: number): string {
  return [...Array.from({ length: m }, (_, j) => `y${j}`), 'p', 'invoked'].join(',');
}

function loadExampleModel(name: string): AxModel {
  const { model, diagnostics } = loadModelFile(exampleFile(name, '.axn'));
  if (!model || diagnostics.length) throw new Error(`example ${name} does not load: ${JSON.stringify(diagnostics)}`);
  return model;
}

const f32 = (cell: string) => Math.fround(Number(cell));

/**
 * Checks every CSV row against the reference interpreter; returns a list of mismatches (empty when all agree).
 * `invokeAll`: every row must be invoked; otherwise the invoked column must equal the interpreter's decision.
 */
function compareWithInterpreter(model: AxModel, xs: Float32Array[], csv: Csv, invokeAll: boolean): string[] {
  const bad: string[] = [];
  const m = model.outputWidth;
  csv.rows.forEach((row, i) => {
    const where = `row ${i + 1}`;
    if (row.length !== m + 2) {
      bad.push(`${where}: ${row.length} cells, expected ${m + 2}`);
      return;
    }
    const e = interpretModel(model, xs[i]);
    const bench = model.benchmark ? findBenchmark(model.benchmark) : undefined;
    const exact = new Float64Array(m);
    bench?.exact(xs[i], exact);
    const inv = row[m + 1];
    if (inv !== '0' && inv !== '1') bad.push(`${where}: invoked cell '${inv}'`);
    const expectInvoked = invokeAll || e.invoke;
    if (inv !== (expectInvoked ? '1' : '0')) bad.push(`${where}: invoked ${inv}, interpreter says ${expectInvoked}`);
    if (!Object.is(f32(row[m]), e.p)) bad.push(`${where}: p ${row[m]} != interpreter ${e.p}`);
    for (let j = 0; j < m; j++) {
      const cell = row[j];
      if (inv === '1') {
        if (cell === '') bad.push(`${where}: y${j} empty on an invoked row`);
        else if (!Object.is(f32(cell), e.y[j])) bad.push(`${where}: y${j} ${cell} != interpreter ${e.y[j]}`);
      } else if (bench) {
        // The CPU computed the benchmark's exact function for this sample.
        if (cell === '' || !Object.is(Number(cell), exact[j])) bad.push(`${where}: y${j} '${cell}' is not ${model.benchmark}'s exact ${exact[j]}`);
      } else if (cell !== '') bad.push(`${where}: y${j} '${cell}' on a row that was not invoked`);
    }
  });
  return bad;
}

// ---- shared builds: each example compiled once (default hardware) and simulated once (--invoke model) ----

interface Built {
  dir: string;
  bin: string;
  csvText: string;
  csv: Csv;
  report: RunReport;
  compileStderr: string;
  simStdout: string;
}

const builds = new Map<Example, Built>();
const buildDirs: string[] = [];
test.after.always(() => {
  for (const d of buildDirs) fs.rmSync(d, { recursive: true, force: true });
});

function built(t: ExecutionContext, name: Example): Built {
  const have = builds.get(name);
  if (have) return have;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `axc-cli-${name}-`));
  buildDirs.push(dir);
  const bin = path.join(dir, `${name}.bin`);
  const c = runAxc(['compile', exampleFile(name, '.axn'), '-o', bin]);
  if (c.status !== 0) throw new Error(`compile ${name} failed (${c.status}): ${c.stderr}`);
  const csvPath = path.join(dir, 'out.csv');
  const reportPath = path.join(dir, 'report.json');
  const s = runAxc(['sim', bin, '--input', exampleFile(name, '.x'), '--output', csvPath, '--report', reportPath]);
  if (s.status !== 0) throw new Error(`sim ${name} failed (${s.status}): ${s.stderr}`);
  const rows = readX(exampleFile(name, '.x')).length;
  t.is(s.stderr, `axc: wrote ${csvPath} (${rows} rows), ${reportPath}\n`, `sim ${name}: stderr holds only the confirmation`);
  const csvText = fs.readFileSync(csvPath, 'utf8');
  const b: Built = {
    dir,
    bin,
    csvText,
    csv: parseCsv(csvText),
    report: JSON.parse(fs.readFileSync(reportPath, 'utf8')) as RunReport,
    compileStderr: c.stderr,
    simStdout: s.stdout,
  };
  builds.set(name, b);
  return b;
}

// ---- help ----

test('axc --help lists every subcommand', (t) => {
  const r = runAxc(['--help']);
  t.is(r.status, 0, r.stderr);
  t.regex(r.stdout, /^Usage: axc /);
  for (const cmd of ['compile', 'sim', 'disasm', 'asm']) t.regex(r.stdout, new RegExp(`^\\s+${cmd} \\[options\\]`, 'm'), `help does not list '${cmd}'`);
});

test('axc compile --help documents its options and every pass', (t) => {
  const r = runAxc(['compile', '--help']);
  t.is(r.status, 0, r.stderr);
  t.regex(r.stdout, /^Usage: axc compile /);
  for (const opt of ['-o, --output', '--npu', '--schedule', '--batch', '--dump-after']) t.true(r.stdout.includes(opt), `missing ${opt}`);
  for (const mode of ['"auto"', '"static"', '"dynamic"']) t.true(r.stdout.includes(mode), `missing schedule choice ${mode}`);
  t.is(PASSES.length, 6);
  for (const p of PASSES) t.regex(r.stdout, new RegExp(`^\\s+${p.name}\\s+\\S`, 'm'), `pass '${p.name}' not listed with its description`);
});

test('axc sim --help documents its options', (t) => {
  const r = runAxc(['sim', '--help']);
  t.is(r.status, 0, r.stderr);
  t.regex(r.stdout, /^Usage: axc sim /);
  for (const opt of ['-i, --input', '-o, --output', '--report', '--invoke', '--npu']) t.true(r.stdout.includes(opt), `missing ${opt}`);
  t.true(r.stdout.includes('"model"') && r.stdout.includes('"all"'), 'missing --invoke choices');
});

// ---- every example through compile + sim ----

for (const name of EXAMPLES) {
  test(`example ${name}: compile + sim agree with the reference interpreter`, (t) => {
    const model = loadExampleModel(name);
    const xs = readX(exampleFile(name, '.x'));
    const n = xs.length;
    t.true(n >= 64, `${name}.x holds ${n} samples`);
    const b = built(t, name);
    // The confirmation, then what the compiler chose and what it costs: the schedule and why, the PEs, the cycles.
    t.regex(b.compileStderr, new RegExp(`^axc: wrote .*${name}\\.bin: ${model.name}, static schedule, \\d+ instructions, \\d+ weight words\\naxc: static schedule: auto: fits, .*\\naxc: \\d+ of 32 PEs used; \\d+ cycles per sample.*, after \\d+ cycles of setup\\n$`));

    const m = model.outputWidth;
    t.is(b.csv.header, expectedHeader(m));
    t.is(b.csv.rows.length, n);
    t.deepEqual(compareWithInterpreter(model, xs, b.csv, false), []);

    const ones = b.csv.rows.filter((r) => r[m + 1] === '1').length;
    const zeros = b.csv.rows.filter((r) => r[m + 1] === '0').length;
    t.is(ones + zeros, n);
    t.is(ones, xs.filter((x) => interpretModel(model, x).invoke).length);
    const r = b.report;
    t.is(r.schema, 'axc-sim-report/2');
    t.is(r.invokeMode, 'model');
    t.is(r.samples, n);
    t.is(r.invocation.invoked, ones);
    t.is(r.invocation.predicted, ones);
    t.is(r.invocation.cpuFallbacks, zeros);
    t.is(r.invocation.predictedRate, ones / n);
    t.is(r.cpu.evaluations, zeros);
    t.deepEqual(
      { model: r.program.model, schedule: r.program.schedule, hardware: r.hardware.name, inputWidth: r.program.inputWidth, outputWidth: r.program.outputWidth },
      { model: model.name, schedule: 'static', hardware: 'axnpu-default', inputWidth: model.inputWidth, outputWidth: m },
    );
    t.true(r.instructions.executed > 0);
    t.is(r.instructions.perSample, r.instructions.executed / n);
    // The table on stdout carries the same counts.
    t.regex(b.simStdout, new RegExp(`^samples +${n.toLocaleString('en-US')}$`, 'm'));
    t.regex(b.simStdout, new RegExp(`^invocation +predicted ${ones} .*, CPU ${zeros}$`, 'm'));
  });
}

test('the example inputs exercise both decisions (so the empty-y checks are not vacuous)', (t) => {
  const b = built(t, 'tiny');
  const invoked = b.csv.rows.map((r) => r[2]);
  t.true(invoked.includes('0') && invoked.includes('1'));
  const s = built(t, 'sobel');
  const sInvoked = s.csv.rows.map((r) => r[2]);
  t.true(sInvoked.includes('0') && sInvoked.includes('1'));
});

// ---- --invoke all ----

test('--invoke all runs the approximator on every sample, predictions unchanged', (t) => {
  const dir = tempDir(t);
  const b = built(t, 'sobel');
  const model = loadExampleModel('sobel');
  const xs = readX(exampleFile('sobel', '.x'));
  const csvPath = path.join(dir, 'all.csv');
  const reportPath = path.join(dir, 'all.json');
  const r = runAxc(['sim', b.bin, '--input', exampleFile('sobel', '.x'), '--invoke', 'all', '--output', csvPath, '--report', reportPath]);
  t.is(r.status, 0, r.stderr);
  t.regex(r.stdout, /\[--invoke all\]/);
  const csv = parseCsv(fs.readFileSync(csvPath, 'utf8'));
  t.is(csv.header, expectedHeader(1));
  t.is(csv.rows.length, xs.length);
  t.true(csv.rows.every((row) => row[2] === '1' && row[0] !== ''));
  t.deepEqual(compareWithInterpreter(model, xs, csv, true), []);
  // Rows the model invoked anyway are textually identical in both runs; p is identical on every row.
  csv.rows.forEach((row, i) => {
    const base = b.csv.rows[i];
    if (base[2] === '1') t.deepEqual(row, base);
    else t.is(row[1], base[1]);
  });
  const rep = JSON.parse(fs.readFileSync(reportPath, 'utf8')) as RunReport;
  t.is(rep.invokeMode, 'all');
  t.is(rep.samples, xs.length);
  t.is(rep.invocation.invoked, xs.length);
  t.is(rep.invocation.cpuFallbacks, 0);
  t.is(rep.invocation.predicted, b.report.invocation.predicted);
  t.true(rep.invocation.predicted < xs.length, 'sobel.x should have samples the predictor rejects');
});

// ---- --output - ----

test('--output - writes the CSV to stdout and the summary to stderr', (t) => {
  const dir = tempDir(t);
  const b = built(t, 'tiny');
  const r = runAxc(['sim', b.bin, '--input', exampleFile('tiny', '.x'), '--output', '-'], { cwd: dir });
  t.is(r.status, 0, r.stderr);
  t.is(r.stdout, b.csvText);
  t.regex(r.stderr, /^model +tiny \(2 -> 1, static schedule\)$/m);
  t.regex(r.stderr, /^hardware +axnpu-default: 4 tiles x 8 PEs/m);
  t.regex(r.stderr, new RegExp(`^invocation +predicted ${b.report.invocation.predicted} `, 'm'));
  t.regex(r.stderr, /^samples +64$/m);
  t.false(r.stdout.includes('samples'));
  t.deepEqual(fs.readdirSync(dir), [], 'no file named - (or anything else) was written');
});

// ---- --dump-after ----

test('--dump-after through the CLI prints exactly the library dump and writes nothing', (t) => {
  const dir = tempDir(t);
  const r = runAxc(['compile', exampleFile('sobel', '.axn'), '--dump-after', 'allocate'], { cwd: dir });
  t.is(r.status, 0, r.stderr);
  t.is(r.stderr, '');
  let dump: string | undefined;
  compileModel(loadExampleModel('sobel'), { dumpAfter: 'allocate', onDump: (_, text) => (dump = text) });
  if (dump === undefined) {
    t.fail('compileModel did not call onDump');
    return;
  }
  t.true(dump.length > 0);
  t.is(r.stdout, dump);
  t.deepEqual(fs.readdirSync(dir), []);
});

test('compileModel dumps after every pass (library)', (t) => {
  const model = loadExampleModel('sobel');
  const plain = packBinary(compileModel(model));
  const texts = new Map<string, string>();
  for (const pass of PASSES) {
    const calls: [string, string][] = [];
    const bin = compileModel(model, { dumpAfter: pass.name, onDump: (p, text) => calls.push([p, text]) });
    t.is(calls.length, 1, `pass ${pass.name}`);
    t.is(calls[0][0], pass.name);
    t.true(calls[0][1].trim().length > 0, `empty dump after ${pass.name}`);
    texts.set(pass.name, calls[0][1]);
    t.deepEqual(packBinary(bin), plain, `dumping after ${pass.name} changed the binary`);
    if (pass.name === 'emit') t.is(calls[0][1], disassemble(bin));
  }
  t.is(new Set(texts.values()).size, PASSES.length, 'two passes printed the same text');
  const e = t.throws(() => compileModel(model, { dumpAfter: 'nope' }), { instanceOf: AxcError });
  t.is(e?.diagnostics[0].code, 'AXC203');
});

// ---- --schedule static / dynamic on a small NPU ----

const SMALL_NPU = { name: 'small', tiles: 1, pesPerTile: 2, weightBufferWords: 16 };

test('--schedule static on an NPU too small fails with AXC201 and writes nothing', (t) => {
  const dir = tempDir(t);
  const hw = path.join(dir, 'small.json');
  fs.writeFileSync(hw, JSON.stringify(SMALL_NPU));
  const out = path.join(dir, 'sobel.bin');
  const r = runAxc(['compile', exampleFile('sobel', '.axn'), '--npu', hw, '--schedule', 'static', '-o', out]);
  t.is(r.status, 1);
  t.is(r.stdout, '');
  const lines = r.stderr.trimEnd().split('\n');
  t.is(lines.length, 1, r.stderr);
  t.true(lines[0].includes('static schedule does not fit'), r.stderr);
  t.true(lines[0].endsWith('[AXC201]'), r.stderr);
  t.regex(lines[0], /sobel\.axn:\d+:\d+: error: /);
  t.false(fs.existsSync(out));
  t.deepEqual(fs.readdirSync(dir), ['small.json']);
});

test('--schedule dynamic on the small NPU simulates to the same CSV as the static build, one sample at a time or in batches', (t) => {
  const dir = tempDir(t);
  const hw = path.join(dir, 'small.json');
  fs.writeFileSync(hw, JSON.stringify(SMALL_NPU));
  const staticCsv = built(t, 'tiny').csvText;
  for (const batch of ['4', '64']) {
    const bin = path.join(dir, `tiny-b${batch}.bin`);
    const csv = path.join(dir, `b${batch}.csv`);
    t.is(runAxc(['compile', exampleFile('tiny', '.axn'), '--npu', hw, '--schedule', 'dynamic', '--batch', batch, '-o', bin]).status, 0);
    t.is(runAxc(['sim', bin, '--input', exampleFile('tiny', '.x'), '--output', csv]).status, 0);
    t.is(fs.readFileSync(csv, 'utf8'), staticCsv, `--batch ${batch}`);
  }
  const bad = runAxc(['compile', exampleFile('tiny', '.axn'), '--batch', '0', '-o', path.join(dir, 'x.bin')]);
  t.is(bad.status, 2);
  t.regex(bad.stderr, /--batch.*expected a whole number from 1 to 64/);
  const out = path.join(dir, 'tiny-dyn.bin');
  const c = runAxc(['compile', exampleFile('tiny', '.axn'), '--npu', hw, '--schedule', 'dynamic', '--batch', '1', '-o', out]);
  t.is(c.status, 0, c.stderr);
  t.regex(c.stderr, /: tiny, dynamic schedule, /);
  const csvPath = path.join(dir, 'dyn.csv');
  const reportPath = path.join(dir, 'dyn.json');
  const s = runAxc(['sim', out, '--input', exampleFile('tiny', '.x'), '--output', csvPath, '--report', reportPath]);
  t.is(s.status, 0, s.stderr);
  const staticBuild = built(t, 'tiny');
  t.is(fs.readFileSync(csvPath, 'utf8'), staticBuild.csvText);
  const rep = JSON.parse(fs.readFileSync(reportPath, 'utf8')) as RunReport;
  t.is(rep.program.schedule, 'dynamic');
  t.is(rep.hardware.name, 'small');
  // Same outputs, but one sample at a time the dynamic schedule reloads weights from DRAM for every sample.
  t.true(rep.cycles.total > staticBuild.report.cycles.total);
  t.true(rep.energy.breakdownPj.dram > staticBuild.report.energy.breakdownPj.dram);
  t.is(staticBuild.report.program.schedule, 'static');
});

// ---- sim --npu ----

test('sim --npu refuses a binary compiled for other hardware (AXB406)', (t) => {
  const dir = tempDir(t);
  const b = built(t, 'sobel');
  const other = path.join(dir, 'other.json');
  fs.writeFileSync(other, JSON.stringify({ name: 'other', tiles: 2 }));
  const out = path.join(dir, 'out.csv');
  const r = runAxc(['sim', b.bin, '--input', exampleFile('sobel', '.x'), '--npu', other, '--output', out]);
  t.is(r.status, 1);
  t.is(r.stdout, '');
  const lines = r.stderr.trimEnd().split('\n');
  t.is(lines.length, 1, r.stderr);
  t.regex(lines[0], /error: .*'axnpu-default'.*'other'.*\[AXB406\]$/);
  t.deepEqual(fs.readdirSync(dir), ['other.json']);
});

test('readBinaryFile accepts --npu describing the same hardware in any key order (library)', (t) => {
  const dir = tempDir(t);
  const b = built(t, 'sobel');
  const same = path.join(dir, 'same.json');
  const reversed = Object.fromEntries(Object.entries(DEFAULT_HARDWARE).reverse());
  fs.writeFileSync(same, JSON.stringify(reversed, null, 2));
  t.is(readBinaryFile(b.bin, same).meta.model, 'sobel');
  const empty = path.join(dir, 'empty.json');
  fs.writeFileSync(empty, '{}');
  t.is(readBinaryFile(b.bin, empty).meta.inputWidth, 9);
  const renamed = path.join(dir, 'renamed.json');
  fs.writeFileSync(renamed, JSON.stringify({ name: 'renamed' }));
  const e = t.throws(() => readBinaryFile(b.bin, renamed), { instanceOf: AxcError });
  t.is(e?.diagnostics[0].code, 'AXB406');
});
