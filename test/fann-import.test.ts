// The FANN importer against FANN itself: hand-built .nn files (the features of AxBench's networks: sigmoid and
// sigmoid_symmetric at steepness 0.5, one and two hidden layers, a 64-wide output; and linear outputs, other
// steepnesses) are compiled and simulated by the CLI, and every output must equal both a float64 forward pass
// written here from fann_run's definition and libfann's own fann_run, within 1e-5 of the row's largest output.

import test from 'ava';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { readFannModel } from '../frontend/fann/read-fann.ts';
import { FANN_LINEAR, FANN_SIGMOID, FANN_SIGMOID_SYMMETRIC, fannForward, fannText, randomNet, randomRows, removeLibfannRunner, rowRelativeError, runLibfann, type FannNet } from './support/fann-networks.ts';
import { runAxc } from './support/run-axc.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'axc-fann-'));
test.after.always(() => {
  rmSync(dir, { recursive: true, force: true });
  removeLibfannRunner();
});

const TOLERANCE = 1e-5;
const ROWS = 200;

interface Case {
  name: string;
  net: FannNet;
  /** The range the rows are drawn from (AxBench's networks see inputs scaled to about [0, 1]). */
  lo: number;
  hi: number;
}

const CASES: Case[] = [
  { name: 'sobel_like', net: randomNet(1, 9, [{ width: 8, activation: FANN_SIGMOID, steepness: 0.5 }, { width: 4, activation: FANN_SIGMOID, steepness: 0.5 }, { width: 1, activation: FANN_SIGMOID, steepness: 0.5 }], 4), lo: 0, hi: 1 },
  { name: 'jpeg_like', net: randomNet(2, 64, [{ width: 4, activation: FANN_SIGMOID, steepness: 0.5 }, { width: 64, activation: FANN_SIGMOID_SYMMETRIC, steepness: 0.5 }], 1), lo: 0, hi: 1 },
  { name: 'fft_like', net: randomNet(3, 1, [{ width: 4, activation: FANN_SIGMOID, steepness: 0.5 }, { width: 4, activation: FANN_SIGMOID, steepness: 0.5 }, { width: 2, activation: FANN_LINEAR, steepness: 0.5 }], 3), lo: 0, hi: 1 },
  { name: 'inversek2j_like', net: randomNet(4, 2, [{ width: 4, activation: FANN_SIGMOID, steepness: 0.5 }, { width: 2, activation: FANN_LINEAR, steepness: 0.5 }], 3), lo: -1, hi: 1 },
  // Steepness 1 and steepnesses that are no power of two, differing from neuron to neuron: folding them into
  // the weights rounds once more than FANN does, which must stay inside the tolerance.
  // Steep neurons driven far past fann_run's clamp (±150/s = ±60 here): axc imports them because at that
  // steepness the functions have saturated before the clamp, so FANN and the NPU still agree.
  { name: 'steep_saturating', net: randomNet(6, 3, [{ width: 5, activation: FANN_SIGMOID, steepness: 2.5 }, { width: 2, activation: FANN_SIGMOID_SYMMETRIC, steepness: 2.5 }], 60), lo: -5, hi: 5 },
  { name: 'other_steepness', net: randomNet(5, 5, [{ width: 6, activation: FANN_SIGMOID_SYMMETRIC, steepness: [0.3, 0.7, 1, 1.5, 0.25, 2] }, { width: 3, activation: FANN_SIGMOID, steepness: 0.9 }, { width: 2, activation: FANN_LINEAR, steepness: 1 }]), lo: -2, hi: 2 },
];

/** The y columns of axc sim's CSV, with the invoked column. */
function readCsv(file: string, width: number): { y: number[][]; invoked: number[] } {
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  const header = lines[0].split(',');
  const invokedCol = header.indexOf('invoked');
  const y: number[][] = [];
  const invoked: number[] = [];
  for (const line of lines.slice(1)) {
    const cells = line.split(',');
    y.push(cells.slice(0, width).map(Number));
    invoked.push(Number(cells[invokedCol]));
  }
  return { y, invoked };
}

for (const c of CASES) {
  test(`${c.name}: axc compile + sim of the .nn equals fann_run (float64 and libfann) within 1e-5 of the row's largest output`, (t) => {
    const nn = path.join(dir, `${c.name}.nn`);
    writeFileSync(nn, fannText(c.net));
    const rows = randomRows(100 + c.net.inputs, ROWS, c.net.inputs, c.lo, c.hi);
    const xFile = path.join(dir, `${c.name}.x`);
    writeFileSync(xFile, rows.map((r) => r.join(' ')).join('\n') + '\n');
    const bin = path.join(dir, `${c.name}.bin`);
    const csv = path.join(dir, `${c.name}.csv`);
    const compiled = runAxc(['compile', nn, '-o', bin, '-q']);
    t.is(compiled.status, 0, compiled.stderr);
    const sim = runAxc(['sim', bin, '-i', xFile, '-o', csv, '-q']);
    t.is(sim.status, 0, sim.stderr);
    const width = c.net.layers[c.net.layers.length - 1].width;
    const out = readCsv(csv, width);
    t.is(out.y.length, ROWS);
    t.true(out.invoked.every((v) => v === 1), 'a FANN network has no predictor: every sample runs on the NPU');
    const libfann = runLibfann(nn, rows);
    let worstOwn = 0;
    let worstLibfann = 0;
    rows.forEach((x, i) => {
      worstOwn = Math.max(worstOwn, rowRelativeError(out.y[i], fannForward(c.net, x)));
      worstLibfann = Math.max(worstLibfann, rowRelativeError(out.y[i], libfann[i]));
    });
    t.true(worstOwn <= TOLERANCE, `against the float64 forward pass: worst row error ${worstOwn}`);
    t.true(worstLibfann <= TOLERANCE, `against libfann's fann_run: worst row error ${worstLibfann}`);
    // The two references agree with each other too (a check on the test's own forward pass).
    rows.forEach((x, i) => t.true(rowRelativeError(libfann[i], fannForward(c.net, x)) <= TOLERANCE));
  });
}

test('the model read: a plain approximator named after the file, one IR layer per FANN layer, with its position', (t) => {
  const c = CASES[0];
  const nn = path.join(dir, 'shape.nn');
  const text = fannText(c.net);
  writeFileSync(nn, text);
  const r = readFannModel(nn);
  t.deepEqual(r.diagnostics, []);
  const m = r.model!;
  t.is(m.name, 'shape');
  t.is(m.predictor, null);
  t.is(m.inputWidth, 9);
  t.is(m.outputWidth, 1);
  t.deepEqual(m.approximator.map((l) => [l.name, l.inWidth, l.width, l.activation, l.control]), [
    ['h1', 9, 8, 'sigmoid', null],
    ['h2', 8, 4, 'sigmoid', null],
    ['out', 4, 1, 'sigmoid', null],
  ]);
  // At steepness 0.5 FANN's sigmoid is the IR's sigmoid of the plain sum: the weights are the file's, bit for bit.
  t.deepEqual(Array.from(m.approximator[0].weights.subarray(0, 9)), c.net.weights[0][0].slice(0, 9));
  t.is(m.approximator[0].bias[0], c.net.weights[0][0][9]);
  const neuronsLine = text.split('\n').findIndex((l) => l.startsWith('neurons')) + 1;
  t.is(m.approximator[1].loc?.line, neuronsLine);
});

test('axc import writes an .axn with --benchmark and --quality that compiles to the same program as the .nn', (t) => {
  const c = CASES[0];
  const nn = path.join(dir, 'sobel.nn');
  writeFileSync(nn, fannText(c.net));
  const axn = path.join(dir, 'sobel.axn');
  const imported = runAxc(['import', nn, '-o', axn, '--benchmark', 'sobel', '--quality', 'rmse:0.1', '-q']);
  t.is(imported.status, 0, imported.stderr);
  const source = readFileSync(axn, 'utf8');
  t.regex(source, /^\s*benchmark sobel$/m);
  t.regex(source, /^\s*quality rmse < 0\.1$/m);
  const fromNn = path.join(dir, 'from-nn.bin');
  const fromAxn = path.join(dir, 'from-axn.bin');
  t.is(runAxc(['compile', nn, '-o', fromNn, '--benchmark', 'sobel', '--quality', 'rmse<0.1', '-q']).status, 0);
  t.is(runAxc(['compile', axn, '-o', fromAxn, '-q']).status, 0);
  const disasm = (bin: string) => runAxc(['disasm', bin, '--no-source']).stdout;
  t.is(disasm(fromNn), disasm(fromAxn));
  t.regex(disasm(fromNn), /^\.benchmark sobel$/m);
});

test('scale_included=1 is read, and the CLI warns that, like fann_run, the model does not scale', (t) => {
  const c = CASES[3];
  const nn = path.join(dir, 'scaled.nn');
  writeFileSync(nn, fannText(c.net, { scaleIncluded: true }));
  const r = readFannModel(nn);
  t.truthy(r.model);
  t.deepEqual(r.diagnostics.map((d) => [d.code, d.severity]), [['AXF022', 'warning']]);
  const bin = path.join(dir, 'scaled.bin');
  const compiled = runAxc(['compile', nn, '-o', bin, '-q']);
  t.is(compiled.status, 0);
  t.regex(compiled.stderr, /^axc: .*scaled\.nn:\d+:\d+: warning: the file holds input and output scaling .* \[AXF022\]$/m);
});

test('a FANN file under another extension is recognised by its first line (compile and import)', (t) => {
  const net = path.join(dir, 'network.net');
  writeFileSync(net, fannText(CASES[3].net));
  t.is(runAxc(['compile', net, '-o', path.join(dir, 'network.bin'), '-q']).status, 0);
  const r = runAxc(['import', net, '-o', path.join(dir, 'network.axn'), '-q']);
  t.is(r.status, 0, r.stderr);
  t.regex(readFileSync(path.join(dir, 'network.axn'), 'utf8'), /^model network \{$/m);
});

test("fann_run's clamp: a linear layer on unbounded inputs is imported with a warning that FANN clamps it, and FANN does", (t) => {
  const net = randomNet(9, 1, [{ width: 1, activation: FANN_LINEAR, steepness: 1 }]);
  net.weights[0][0] = [1000, 0];
  const nn = path.join(dir, 'linear-clamp.nn');
  writeFileSync(nn, fannText(net));
  const r = readFannModel(nn);
  t.truthy(r.model);
  t.deepEqual(r.diagnostics.map((d) => [d.code, d.severity, d.message]), [['AXF025', 'warning', "layer 1 is linear and its inputs are unbounded: fann_run clamps its outputs at ±150.0 (neuron 2 first), the NPU does not, so outputs beyond that differ from FANN's"]]);
  // What the warning says, shown by FANN itself: 1000·1 comes out as 150, and 0.1 as 100, unclamped.
  t.deepEqual(runLibfann(nn, [[1], [0.1]]), [[150], [100]]);
  // After a sigmoid layer the inputs are bounded: the same output layer, if it cannot reach the clamp, is not warned about.
  const bounded = randomNet(10, 2, [{ width: 3, activation: FANN_SIGMOID, steepness: 0.5 }, { width: 1, activation: FANN_LINEAR, steepness: 0.5 }]);
  const nn2 = path.join(dir, 'linear-bounded.nn');
  writeFileSync(nn2, fannText(bounded));
  t.deepEqual(readFannModel(nn2).diagnostics, []);
});
