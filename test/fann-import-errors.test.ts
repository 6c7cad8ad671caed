// The FANN importer on malformed .nn files: each problem gives one exact diagnostic, with the file:line:col of the
// text at fault, and the reader returns no model without throwing. Two go through the CLI: exit 1, one line,
// no stack, nothing written.

import test from 'ava';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseFann } from '../frontend/fann/read-fann.ts';
import { formatDiagnostic } from '../diagnostics/diagnostic.ts';
import { FANN_SIGMOID, FANN_SIGMOID_SYMMETRIC, fannText, randomNet } from './support/fann-networks.ts';
import { runAxc } from './support/run-axc.ts';

const FILE = 'net.nn';
/** 3 inputs -> 4 sigmoid -> 2 sigmoid_symmetric: neurons 0-3 input (3 = bias), 4-8 hidden (8 = bias), 9-11 output (11 = bias). */
const GOOD = fannText(randomNet(7, 3, [{ width: 4, activation: FANN_SIGMOID, steepness: 0.5 }, { width: 2, activation: FANN_SIGMOID_SYMMETRIC, steepness: 0.5 }]));

/** 1-based line:col of the first occurrence of `needle` at or after `from` in `text`. */
function at(text: string, needle: string, from = 0): string {
  const i = text.indexOf(needle, from);
  if (i < 0) throw new Error(`fixture: '${needle}' not in the text`);
  const before = text.slice(0, i).split('\n');
  return `${before.length}:${before[before.length - 1].length + 1}`;
}

/** GOOD with the first occurrence of `from` (after the line starting with `after`, if given) replaced by `to`. */
function edit(from: string, to: string, after = ''): string {
  const start = after ? GOOD.indexOf(after) : 0;
  const i = GOOD.indexOf(from, start);
  if (start < 0 || i < 0) throw new Error(`fixture: '${from}' not in the text`);
  return GOOD.slice(0, i) + to + GOOD.slice(i + from.length);
}

const NEURONS = 'neurons (num_inputs, activation_function, activation_steepness)=';
const CONNECTIONS = 'connections (connected_to_neuron, weight)=';
/** The n-th tuple (0-based) of the line starting with `key`. */
function tupleAt(text: string, key: string, n: number): number {
  let i = text.indexOf(key);
  for (let k = 0; k <= n; k++) i = text.indexOf('(', i + (k === 0 ? key.length : 1));
  return i;
}
function lineColOf(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `${before.length}:${before[before.length - 1].length + 1}`;
}
/** Replace the n-th tuple of a line with `to`. */
function editTuple(key: string, n: number, to: string): string {
  const i = tupleAt(GOOD, key, n);
  return GOOD.slice(0, i) + to + GOOD.slice(GOOD.indexOf(')', i) + 1);
}

function expectOne(t: import('ava').ExecutionContext, text: string, expected: string): void {
  let r: ReturnType<typeof parseFann> | undefined;
  t.notThrows(() => (r = parseFann(text, FILE)));
  t.is(r!.model, null);
  t.deepEqual(r!.diagnostics.map(formatDiagnostic), [expected]);
}

test('the unedited fixture is read without a diagnostic (so each case below fails for its edit alone)', (t) => {
  const r = parseFann(GOOD, FILE);
  t.deepEqual(r.diagnostics, []);
  t.truthy(r.model);
});

const CASES: [string, () => [string, string]][] = [
  ['AXF001 not a FANN file', () => ['hello world\n', `${FILE}:1:1: error: not a FANN network file: the first line is 'hello world', where FANN's save files start with FANN_FLO_2.1 (or another FANN_FLO_2.x) [AXF001]`]],
  ['AXF002 the fixed-point format', () => [edit('FANN_FLO_2.1', 'FANN_FIX_2.1'), `${FILE}:1:1: error: the fixed-point format (FANN_FIX_2.1) is not supported: axc reads the floating-point files fann_save writes (FANN_FLO_2.x), not those of fann_save_to_fixed [AXF002]`]],
  ['AXF003 a FANN 1.x file', () => [edit('FANN_FLO_2.1', 'FANN_FLO_1.1'), `${FILE}:1:1: error: FANN save format 'FANN_FLO_1.1' is not supported: axc reads FANN 2.x floating-point files (FANN_FLO_2.0, FANN_FLO_2.1) [AXF003]`]],
  ['AXF004 a line that is not key=value', () => { const x = edit('network_type=0\n', 'network_type=0\nsome words\n'); return [x, `${FILE}:${at(x, 'some words')}: error: expected a 'key=value' line, found 'some words' [AXF004]`]; }],
  ['AXF005 a field given twice', () => { const x = edit('network_type=0\n', 'network_type=0\nnum_layers=3\n'); return [x, `${FILE}:${at(x, 'num_layers=3', x.indexOf('network_type'))}: error: 'num_layers' is given twice (first on line 2) [AXF005]`]; }],
  ['AXF006 no connections line', () => { const x = GOOD.slice(0, GOOD.indexOf(CONNECTIONS)); return [x, `${FILE}: error: the file has no 'connections (connected_to_neuron, weight)=' line; fann_save writes one in every network file [AXF006]`]; }],
  ['AXF007 num_layers is not a number', () => { const x = edit('num_layers=3', 'num_layers=three'); return [x, `${FILE}:${at(x, 'three')}: error: num_layers=three: expected a whole number of layers, at least 2 (input and output) [AXF007]`]; }],
  ['AXF008 a sparse network', () => { const x = edit('connection_rate=1.000000', 'connection_rate=0.500000'); return [x, `${FILE}:${at(x, '0.500000', x.indexOf('connection_rate'))}: error: sparse networks (connection_rate=0.500000) are not supported: axc imports fully connected networks (connection_rate=1) [AXF008]`]; }],
  ['AXF009 a shortcut network', () => { const x = edit('network_type=0', 'network_type=1'); return [x, `${FILE}:${at(x, '1', x.indexOf('network_type'))}: error: shortcut networks (network_type=1) are not supported: axc imports layered networks (network_type=0), where each layer connects only to the one before [AXF009]`]; }],
  ['AXF010 num_layers disagrees with layer_sizes', () => { const x = edit('num_layers=3', 'num_layers=4'); return [x, `${FILE}:${at(x, '4 5 3', x.indexOf('layer_sizes'))}: error: num_layers=4, but layer_sizes lists 3 layers [AXF010]`]; }],
  ['AXF011 a neuron missing', () => { const i = tupleAt(GOOD, NEURONS, 11); const x = GOOD.slice(0, i) + GOOD.slice(GOOD.indexOf(')', i) + 1); return [x, `${FILE}:${at(x, '4 5 3', x.indexOf('layer_sizes'))}: error: layer_sizes adds up to 12 neurons (bias neurons included), but the neurons line lists 11 [AXF011]`]; }],
  ['AXF012 a connection too many', () => { const end = GOOD.lastIndexOf(')') + 1; const x = `${GOOD.slice(0, end)} (8, 1.0)${GOOD.slice(end)}`; return [x, `${FILE}:${lineColOf(x, end + 1)}: error: a fully connected network of these layer sizes has 26 connections, but the connections line lists 27 [AXF012]`]; }],
  ['AXF013 a malformed tuple', () => { const x = editTuple(NEURONS, 5, '(4, x, 0.5)'); return [x, `${FILE}:${lineColOf(x, tupleAt(x, NEURONS, 5))}: error: neuron 5: expected (num_inputs, activation_function, activation_steepness), found '(4, x, 0.5)' [AXF013]`]; }],
  ['AXF014 a neuron not fully connected', () => { const x = editTuple(NEURONS, 5, '(3, 3, 5.0e-01)'); return [x, `${FILE}:${lineColOf(x, tupleAt(x, NEURONS, 5))}: error: neuron 5, a neuron of layer 1, has 3 inputs where a fully connected layered network has 4; sparse and shortcut networks are not supported [AXF014]`]; }],
  ['AXF015 connections out of order', () => { const x = editTuple(CONNECTIONS, 1, '(2, 1.0)'); return [x, `${FILE}:${lineColOf(x, tupleAt(x, CONNECTIONS, 1))}: error: connection 1 (into neuron 4) comes from neuron 2, where a fully connected network has neuron 1: each neuron's connections run over the previous layer in order, its bias neuron last [AXF015]`]; }],
  ['AXF016 a weight that is not finite', () => { const x = editTuple(CONNECTIONS, 6, '(2, nan)'); return [x, `${FILE}:${lineColOf(x, tupleAt(x, CONNECTIONS, 6))}: error: connection 6 (into neuron 5) has weight NaN; weights must be finite float32 values [AXF016]`]; }],
  ['AXF017 an activation FANN does not have', () => { const x = editTuple(NEURONS, 4, '(4, 42, 5.0e-01)'); return [x, `${FILE}:${lineColOf(x, tupleAt(x, NEURONS, 4))}: error: neuron 4: activation function 42 is not one of FANN's (0 to 19) [AXF017]`]; }],
  ['AXF018 an activation the NPU does not compute', () => { const x = editTuple(NEURONS, 9, '(5, 7, 5.0e-01)'); return [x, `${FILE}:${lineColOf(x, tupleAt(x, NEURONS, 9))}: error: activation function FANN_GAUSSIAN (7) of neuron 9 is not supported: an NPU layer computes FANN_LINEAR, FANN_SIGMOID, FANN_SIGMOID_SYMMETRIC [AXF018]`]; }],
  ['AXF019 a layer mixing activations', () => { const x = editTuple(NEURONS, 6, '(4, 0, 5.0e-01)'); return [x, `${FILE}:${lineColOf(x, tupleAt(x, NEURONS, 6))}: error: layer 1 mixes activation functions: neuron 6 uses FANN_LINEAR, neuron 4 FANN_SIGMOID; an NPU layer applies one function to all its neurons [AXF019]`]; }],
  ['AXF020 a steepness of zero', () => { const x = editTuple(NEURONS, 10, '(5, 5, 0.0)'); return [x, `${FILE}:${lineColOf(x, tupleAt(x, NEURONS, 10))}: error: neuron 10 has activation steepness 0; axc folds the steepness into the weights and needs it positive and finite [AXF020]`]; }],
  ['AXF023 a weight that overflows float32 once the steepness is folded in', () => { const x = editTuple(CONNECTIONS, 0, '(0, 3.0e+38)').replace('(4, 3, 5.00000000000000000000e-01)', '(4, 3, 1.0)'); return [x, `${FILE}:${lineColOf(x, tupleAt(x, CONNECTIONS, 0))}: error: connection 0 (into neuron 4): weight 3e+38 scaled by the steepness 1 is beyond float32; axc folds the steepness into the weights [AXF023]`]; }],
  ['AXF024 a steepness at which fann_run clamps an unsaturated sigmoid', () => { const x = editTuple(NEURONS, 4, '(4, 3, 20.0)'); return [x, `${FILE}:${lineColOf(x, tupleAt(x, NEURONS, 4))}: error: neuron 4 (FANN_SIGMOID) has steepness 20: fann_run clamps s·v at ±7.500, where the function has not saturated, and the NPU does not clamp; axc imports sigmoid and tanh neurons whose steepness keeps the clamp out of reach [AXF024]`]; }],
];

for (const [name, make] of CASES) {
  test(name, (t) => {
    const [text, expected] = make();
    expectOne(t, text, expected);
  });
}

test('AXF021 a network the NPU cannot hold (a layer wider than an instruction can name) fails verification', (t) => {
  const wide = fannText(randomNet(8, 1, [{ width: 70_000, activation: FANN_SIGMOID, steepness: 0.5 }, { width: 1, activation: FANN_SIGMOID, steepness: 0.5 }]));
  const r = parseFann(wide, FILE);
  t.is(r.model, null);
  t.true(r.diagnostics.length >= 1);
  t.true(r.diagnostics.every((d) => d.code === 'AXF021' && d.message.startsWith('imported network fails verification: ')));
});

test('the CLI: a bad .nn exits 1 with one positioned line, no stack trace, and writes nothing', (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'axc-fann-bad-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const nn = path.join(dir, 'gauss.nn');
  writeFileSync(nn, editTuple(NEURONS, 9, '(5, 7, 5.0e-01)'));
  for (const args of [['compile', nn, '-o', path.join(dir, 'out.bin')], ['import', nn, '-o', path.join(dir, 'out.axn')]]) {
    const r = runAxc(args);
    t.is(r.status, 1);
    const lines = r.stderr.trim().split('\n');
    t.is(lines.length, 1, r.stderr);
    t.regex(lines[0], /gauss\.nn:\d+:\d+: error: activation function FANN_GAUSSIAN \(7\) of neuron 9 is not supported.*\[AXF018\]$/);
    t.notRegex(r.stderr, /\n\s+at /);
  }
  t.false(existsSync(path.join(dir, 'out.bin')));
  t.false(existsSync(path.join(dir, 'out.axn')));
  // Options that make no sense for a network without a predictor are usage errors (exit 2).
  const r = runAxc(['compile', nn, '-o', path.join(dir, 'out.bin'), '--threshold', '0.7']);
  t.is(r.status, 2);
  t.regex(r.stderr, /--threshold sets the decision of an imported AXNet; a FANN network has no predictor/);
});
