// Tests of the TensorFlow.js LayersModel importer (frontend/tfjs/): malformed model.json files and shards, each
// with its exact code, a message naming the layer/weight/shard, and a file:line:col; and the accepted shapes.
// Fixtures are model.json + .bin files written by hand into a temp dir from JS objects (no tfjs involved).

import test, { type ExecutionContext } from 'ava';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readLayersModel, type ReadLayersModelOptions, type ReadLayersModelResult } from '../frontend/tfjs/read-layers-model.ts';
import { DIAG } from '../diagnostics/catalog.ts';
import { formatDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.ts';
import { printModel } from '../frontend/print-model.ts';
import { parseModel } from '../frontend/parse-model.ts';
import { interpretModel } from '../ir/interpret-model.ts';
import type { AxModel } from '../ir/model.ts';
import { runAxc } from './support/run-axc.ts';

// ---------------------------------------------------------------------------------------------------------------
// Fixture builder: a Keras-style layer graph plus named weights, written as tfjs writes them.

type Json = Record<string, unknown>;

interface Weight {
  name: string;
  shape: number[];
  values: number[];
  dtype?: string;
  quantization?: Json;
}

interface Fixture {
  /** The model.json object; tests edit it before writing. */
  json: Json;
  weights: Weight[];
}

function layer(name: string, cls: string, config: Json, inbound: string[]): Json {
  return { name, class_name: cls, config: { name, ...config }, inbound_nodes: inbound.length ? [inbound.map((n) => [n, 0, 0, {}])] : [] };
}

function inputLayer(name: string, width: number): Json {
  return layer(name, 'InputLayer', { batch_input_shape: [null, width], dtype: 'float32', sparse: false }, []);
}

function dense(name: string, units: number, activation: string, input: string, extra: Json = {}): Json {
  return layer(name, 'Dense', { units, activation, use_bias: true, trainable: true, ...extra }, [input]);
}

function multiply(name: string, a: string, b: string): Json {
  return layer(name, 'Multiply', { trainable: true }, [a, b]);
}

/** Deterministic weight values, exact in float32: weight k element i is (k + 1) + i / 8. */
function weightsFor(layers: Json[], widths: Map<string, number>): Weight[] {
  const out: Weight[] = [];
  let k = 0;
  for (const l of layers) {
    if (l.class_name !== 'Dense') continue;
    const c = l.config as Json;
    const units = c.units as number;
    const src = ((l.inbound_nodes as unknown[][][])[0][0] as unknown[])[0] as string;
    const fanIn = widths.get(src)!;
    const kernel = k++;
    out.push({ name: `${l.name}/kernel`, shape: [fanIn, units], values: Array.from({ length: fanIn * units }, (_, i) => kernel + 1 + i / 8) });
    if (c.use_bias !== false) {
      const bias = k++;
      out.push({ name: `${l.name}/bias`, shape: [units], values: Array.from({ length: units }, (_, i) => -(bias + 1) - i / 8) });
    }
  }
  return out;
}

function widthsOf(layers: Json[]): Map<string, number> {
  const w = new Map<string, number>();
  for (const l of layers) {
    const c = l.config as Json;
    if (l.class_name === 'InputLayer') w.set(l.name as string, (c.batch_input_shape as number[])[1]);
    else if (l.class_name === 'Dense') w.set(l.name as string, c.units as number);
    else w.set(l.name as string, w.get(((l.inbound_nodes as unknown[][][])[0][0] as unknown[])[0] as string)!);
  }
  return w;
}

function functional(name: string, layers: Json[], outputs: string[], inputs = ['x']): Fixture {
  const json: Json = {
    format: 'layers-model',
    generatedBy: 'hand-written test fixture',
    convertedBy: null,
    modelTopology: {
      class_name: 'Model',
      config: { name, layers, input_layers: inputs.map((n) => [n, 0, 0]), output_layers: outputs.map((n) => [n, 0, 0]) },
      keras_version: 'tfjs-layers 4.22.0',
      backend: 'tensor_flow.js',
    },
    weightsManifest: [],
  };
  return { json, weights: weightsFor(layers, widthsOf(layers)) };
}

/**
 * The AXNet of DESIGN.md in Keras form: input 2; predictor p1 (3, relu); controls c1 (4, sigmoid) and c2 (3, linear)
 * on p1; approximator h1 (4, relu) gated by c1 through g1 = [h1, c1], h2 (3, tanh) gated by c2 through g2 = [c2, h2]
 * (the other operand order), out (1, linear); decision dec (1, sigmoid) on p1.
 */
function axnet(): Fixture {
  return functional(
    'axnet_model',
    [
      inputLayer('x', 2),
      dense('p1', 3, 'relu', 'x'),
      dense('h1', 4, 'relu', 'x'),
      dense('c1', 4, 'sigmoid', 'p1'),
      multiply('g1', 'h1', 'c1'),
      dense('h2', 3, 'tanh', 'g1'),
      dense('c2', 3, 'linear', 'p1'),
      multiply('g2', 'c2', 'h2'),
      dense('out', 1, 'linear', 'g2'),
      dense('dec', 1, 'sigmoid', 'p1'),
    ],
    ['out', 'dec'],
  );
}

/** A plain functional MLP with one output: x(3) -> d1 (5, relu) -> d2 (2, linear). */
function mlp(): Fixture {
  return functional('mlp', [inputLayer('x', 3), dense('d1', 5, 'relu', 'x'), dense('d2', 2, 'linear', 'd1')], ['d2']);
}

function topo(f: Fixture): Json {
  return (f.json.modelTopology as Json).config as Json;
}

function layersOf(f: Fixture): Json[] {
  return topo(f).layers as Json[];
}

function layerOf(f: Fixture, name: string): Json {
  const l = layersOf(f).find((x) => x.name === name);
  if (!l) throw new Error(`test bug: no layer ${name}`);
  return l;
}

function weightOf(f: Fixture, name: string): Weight {
  const w = f.weights.find((x) => x.name === name);
  if (!w) throw new Error(`test bug: no weight ${name}`);
  return w;
}

let dirCount = 0;
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'axc-tfjs-import-'));
test.after.always(() => fs.rmSync(root, { recursive: true, force: true }));

interface Written {
  dir: string;
  file: string;
  text: string;
}

/** Writes model.json and one shard `group1-shard1of1.bin` (float32 LE) holding the weights in manifest order. */
function write(f: Fixture, opts: { text?: string; shard?: Buffer | null } = {}): Written {
  const dir = path.join(root, `m${dirCount++}`);
  fs.mkdirSync(dir);
  const manifest = f.weights.map((w) => {
    const e: Json = { name: w.name, shape: w.shape, dtype: w.dtype ?? 'float32' };
    if (w.quantization) e.quantization = w.quantization;
    return e;
  });
  const buf = Buffer.alloc(f.weights.reduce((n, w) => n + w.values.length * 4, 0));
  let off = 0;
  for (const w of f.weights) for (const v of w.values) off = buf.writeFloatLE(v, off);
  if (!('weightsManifest' in f.json) || (Array.isArray(f.json.weightsManifest) && f.json.weightsManifest.length === 0)) {
    if ('weightsManifest' in f.json) f.json.weightsManifest = [{ paths: ['group1-shard1of1.bin'], weights: manifest }];
  }
  const text = opts.text ?? JSON.stringify(f.json, null, 2);
  const file = path.join(dir, 'model.json');
  fs.writeFileSync(file, text);
  if (opts.shard !== null) fs.writeFileSync(path.join(dir, 'group1-shard1of1.bin'), opts.shard ?? buf);
  return { dir, file, text };
}

/** 1-based "line:col" of a character offset. */
function lineCol(text: string, off: number): string {
  const before = text.slice(0, off);
  return `${before.split('\n').length}:${off - before.lastIndexOf('\n')}`;
}

/** Position of the JSON object whose first key is `"name": NAME` (a layer, or a manifest entry after `after`). */
function objectAt(text: string, name: string, after = 0): string {
  const off = text.indexOf(`"name": ${JSON.stringify(name)}`, after);
  if (off < 0) throw new Error(`test bug: "${name}" not in text`);
  return lineCol(text, text.lastIndexOf('{', off));
}

function manifestEntryAt(text: string, weight: string): string {
  return objectAt(text, weight, text.indexOf('"weightsManifest"'));
}

function where(d: Diagnostic): string {
  return d.loc ? `${d.loc.file}:${d.loc.line}:${d.loc.col}` : d.file ? `${d.file}:-` : '-';
}

/** Reads the written model, which must fail with exactly one diagnostic `code` at `pos` ("line:col" or null for none). */
function expectError(t: ExecutionContext, w: Written, code: string, pos: string | null, opts?: ReadLayersModelOptions): Diagnostic {
  const r = readLayersModel(w.file, opts);
  const shown = r.diagnostics.map(formatDiagnostic).join('\n');
  t.is(r.model, null, shown);
  t.is(r.diagnostics.length, 1, shown);
  const d = r.diagnostics[0];
  t.is(d.code, code, shown);
  t.is(d.severity, 'error');
  if (pos === null) t.is(d.loc, undefined, shown);
  else t.is(where(d), `${w.file}:${pos}`, shown);
  return d;
}

function ok(t: ExecutionContext, w: Written, opts?: ReadLayersModelOptions): AxModel {
  const r: ReadLayersModelResult = readLayersModel(w.file, opts);
  t.deepEqual(r.diagnostics.map(formatDiagnostic), []);
  if (!r.model) throw new Error('no model');
  return r.model;
}

// ---------------------------------------------------------------------------------------------------------------
// Malformed files.

test('AXI801: a JSON syntax error is reported at its exact line:col', (t) => {
  const text = '{\n  "format": "layers-model",\n  "modelTopology": {\n    "class_name": "Model",,\n    "config": {}\n  }\n}\n';
  const w = write(axnet(), { text });
  const d = expectError(t, w, DIAG.tfjsJsonSyntax.code, '4:27'); // the second comma
  t.is(d.message, 'model.json is not valid JSON: expected a property name in double quotes');
  // An empty file, and a truncated one.
  expectError(t, write(axnet(), { text: '' }), DIAG.tfjsJsonSyntax.code, '1:1');
  const cut = write(axnet(), { text: '{\n  "modelTopology": [1, 2' });
  t.is(expectError(t, cut, DIAG.tfjsJsonSyntax.code, '2:25') /* just past the end */.message, "model.json is not valid JSON: expected ']'");
});

test('AXI802: not a LayersModel (no modelTopology; a graph model; not an object)', (t) => {
  const f = axnet();
  delete f.json.modelTopology;
  const d = expectError(t, write(f), DIAG.tfjsNotLayersModel.code, '1:1');
  t.regex(d.message, /^not a TensorFlow\.js LayersModel: model\.json has no "modelTopology"/);

  const g = axnet();
  g.json.format = 'graph-model';
  const w = write(g);
  const d2 = expectError(t, w, DIAG.tfjsNotLayersModel.code, lineCol(w.text, w.text.indexOf('"graph-model"')));
  t.regex(d2.message, /"graph-model".*tensorflowjs_converter --input_format keras/);

  expectError(t, write(axnet(), { text: '[1, 2]\n' }), DIAG.tfjsNotLayersModel.code, '1:1');
});

test('AXI803: a structural problem is reported at the offending JSON value', (t) => {
  const f = axnet();
  write(f); // fills in the manifest
  ((f.json.weightsManifest as Json[])[0] as Json).paths = 'group1-shard1of1.bin';
  const w = write(f);
  const d = expectError(t, w, DIAG.tfjsMalformed.code, lineCol(w.text, w.text.indexOf('"group1-shard1of1.bin"')));
  t.regex(d.message, /^weightsManifest\[0\]\.paths: .*expected array/);

  const g = axnet();
  (layerOf(g, 'h2').config as Json).units = 0;
  const w2 = write(g);
  const d2 = expectError(t, w2, DIAG.tfjsMalformed.code, objectAt(w2.text, 'h2'));
  t.regex(d2.message, /^layer 'h2' config\.units: /);
});

test('AXI804: an unsupported layer class names the layer', (t) => {
  const f = axnet();
  const ls = layersOf(f);
  ls.splice(2, 0, layer('conv1', 'Conv2D', { filters: 4, kernel_size: [3, 3] }, ['x']));
  const w = write(f);
  const d = expectError(t, w, DIAG.tfjsUnsupportedLayer.code, objectAt(w.text, 'conv1'));
  t.is(d.message, "layer 'conv1' is a Conv2D; an AXNet model holds only Dense and Multiply layers (and its InputLayer)");

  const g = mlp();
  layersOf(g).splice(2, 0, layer('bn', 'BatchNormalization', { axis: -1 }, ['d1']));
  const w2 = write(g);
  t.regex(expectError(t, w2, DIAG.tfjsUnsupportedLayer.code, objectAt(w2.text, 'bn')).message, /'bn' is a BatchNormalization/);
});

test('AXI805: an unsupported activation names the layer', (t) => {
  const f = axnet();
  (layerOf(f, 'h2').config as Json).activation = 'elu';
  const w = write(f);
  const d = expectError(t, w, DIAG.tfjsUnsupportedActivation.code, objectAt(w.text, 'h2'));
  t.regex(d.message, /^layer 'h2' has activation 'elu'; AXNet layers use linear, relu, sigmoid or tanh/);
  // softmax is only for the decision
  const g = axnet();
  (layerOf(g, 'c1').config as Json).activation = 'softmax';
  const w2 = write(g);
  t.regex(expectError(t, w2, DIAG.tfjsUnsupportedActivation.code, objectAt(w2.text, 'c1')).message, /'c1' has activation 'softmax'/);
});

test('AXI806: a Multiply whose operand is not a control Dense names the Multiply', (t) => {
  // Two approximator layers multiplied together: neither is fed by the predictor (p1).
  const f = axnet();
  const ls = layersOf(f);
  ls.splice(2, 0, dense('h1b', 4, 'relu', 'x'));
  ls[ls.findIndex((l) => l.name === 'g1')] = multiply('g1', 'h1', 'h1b');
  ls.splice(ls.findIndex((l) => l.name === 'c1'), 1);
  f.weights = weightsFor(ls, widthsOf(ls));
  const w = write(f);
  const d = expectError(t, w, DIAG.tfjsBadMultiply.code, objectAt(w.text, 'g1'));
  t.regex(d.message, /^Multiply layer 'g1' multiplies Dense 'h1' .* by Dense 'h1b' .*control Dense fed by the predictor's last hidden layer 'p1'/);

  // The input multiplied by a control.
  const g = axnet();
  const gl = layersOf(g);
  gl[gl.findIndex((l) => l.name === 'g1')] = multiply('g1', 'x', 'c1');
  (layerOf(g, 'c1').config as Json).units = 2;
  gl.splice(gl.findIndex((l) => l.name === 'h1'), 1);
  g.weights = weightsFor(gl, widthsOf(gl));
  const w2 = write(g);
  t.regex(expectError(t, w2, DIAG.tfjsBadMultiply.code, objectAt(w2.text, 'g1')).message, /'g1' multiplies the input 'x' by Dense 'c1'/);

  // A Multiply in a single-output model (no predictor).
  const m = functional('m', [inputLayer('x', 2), dense('a', 3, 'relu', 'x'), dense('b', 3, 'relu', 'x'), multiply('g', 'a', 'b'), dense('o', 1, 'linear', 'g')], ['o']);
  const w3 = write(m);
  t.regex(expectError(t, w3, DIAG.tfjsBadMultiply.code, objectAt(w3.text, 'g')).message, /'g' gates the approximator, but the model has one output and so no predictor/);

  // A control Dense feeding two Multiply layers.
  const h = axnet();
  const hl = layersOf(h);
  (layerOf(h, 'h2').config as Json).units = 4;
  (layerOf(h, 'out').config as Json).units = 1;
  hl[hl.findIndex((l) => l.name === 'g2')] = multiply('g2', 'c1', 'h2');
  hl.splice(hl.findIndex((l) => l.name === 'c2'), 1);
  h.weights = weightsFor(hl, widthsOf(hl));
  const w4 = write(h);
  t.regex(expectError(t, w4, DIAG.tfjsBadMultiply.code, objectAt(w4.text, 'g1')).message, /'g1' uses control Dense 'c1', which already gates another layer/);
});

test('AXI807: a kernel whose manifest shape is not [fan-in, units] names the weight', (t) => {
  const f = axnet();
  weightOf(f, 'h2/kernel').shape = [3, 4];
  const w = write(f);
  const d = expectError(t, w, DIAG.tfjsWeightShape.code, manifestEntryAt(w.text, 'h2/kernel'));
  t.is(d.message, "weight 'h2/kernel' of layer 'h2' has shape [3, 4] in the weightsManifest, expected [4, 3] (a Dense kernel is [fan-in, units]; 'h2' has 3 units and is fed 4 values)");
  const g = axnet();
  weightOf(g, 'dec/bias').shape = [2];
  const w2 = write(g);
  t.regex(expectError(t, w2, DIAG.tfjsWeightShape.code, manifestEntryAt(w2.text, 'dec/bias')).message, /'dec\/bias' of layer 'dec' has shape \[2\].*expected \[1\]/);
});

test('AXI808: a missing shard file names the shard', (t) => {
  const w = write(axnet(), { shard: null });
  const d = expectError(t, w, DIAG.tfjsShardUnreadable.code, lineCol(w.text, w.text.indexOf('"group1-shard1of1.bin"')));
  t.true(d.message.startsWith("cannot read weight shard 'group1-shard1of1.bin': no such file or directory (looked for "), d.message);
  t.true(d.message.includes(path.join(w.dir, 'group1-shard1of1.bin')));
});

test('AXI809: a short shard gives the shard and the byte counts', (t) => {
  const f = axnet();
  const full = f.weights.reduce((n, w) => n + w.values.length * 4, 0);
  const w = write(f, { shard: Buffer.alloc(full - 8) });
  const d = expectError(t, w, DIAG.tfjsShardShort.code, lineCol(w.text, w.text.indexOf('"group1-shard1of1.bin"')));
  t.is(full, 288);
  t.is(d.message, "weight shard 'group1-shard1of1.bin' is too short: the weightsManifest's group 0 lists 288 bytes of weights, but its shard holds 280 bytes; weight 'dec/kernel' needs bytes 272 to 284");
});

test('AXI810: a float16 (or int32) weight names the weight and layer', (t) => {
  const f = axnet();
  weightOf(f, 'h1/kernel').dtype = 'float16';
  const w = write(f, { shard: Buffer.alloc(4096) });
  const d = expectError(t, w, DIAG.tfjsWeightDtype.code, manifestEntryAt(w.text, 'h1/kernel'));
  t.regex(d.message, /^weight 'h1\/kernel' of layer 'h1' has dtype 'float16'; axc reads float32 weights only/);
  const g = axnet();
  weightOf(g, 'c2/bias').dtype = 'int32';
  const w2 = write(g);
  t.regex(expectError(t, w2, DIAG.tfjsWeightDtype.code, manifestEntryAt(w2.text, 'c2/bias')).message, /'c2\/bias' of layer 'c2' has dtype 'int32'/);
});

test('AXI811: a quantized weight names the weight and layer', (t) => {
  const f = axnet();
  weightOf(f, 'p1/kernel').quantization = { dtype: 'uint8', scale: 0.01, min: -1 };
  const w = write(f);
  const d = expectError(t, w, DIAG.tfjsWeightQuantized.code, manifestEntryAt(w.text, 'p1/kernel'));
  t.is(d.message, "weight 'p1/kernel' of layer 'p1' is quantized (stored as uint8 with scale 0.01); axc reads unquantized float32 weights only (convert without --quantize_*)");
});

test('AXI812: a weight missing from the manifest names the layer and the weight looked for', (t) => {
  const f = axnet();
  f.weights = f.weights.filter((w) => w.name !== 'h2/bias');
  const w = write(f);
  const d = expectError(t, w, DIAG.tfjsWeightMissing.code, objectAt(w.text, 'h2'));
  t.is(d.message, "layer 'h2' has no bias in the weightsManifest (looked for 'h2/bias')");
});

test('AXI813: two inputs, or three outputs, are not the pattern', (t) => {
  const f = axnet();
  layersOf(f).splice(1, 0, inputLayer('x2', 2));
  topo(f).input_layers = [['x', 0, 0], ['x2', 0, 0]];
  const w = write(f);
  const d = expectError(t, w, DIAG.tfjsNotThePattern.code, lineCol(w.text, w.text.indexOf('{', w.text.indexOf('"config"'))));
  t.regex(d.message, /^not an AXNet model: the model has 2 inputs; an AXNet model has exactly one input vector/);

  const g = axnet();
  layersOf(g).push(dense('extra', 1, 'linear', 'p1'));
  g.weights = weightsFor(layersOf(g), widthsOf(layersOf(g)));
  topo(g).output_layers = [['out', 0, 0], ['dec', 0, 0], ['extra', 0, 0]];
  const w2 = write(g);
  t.regex(expectError(t, w2, DIAG.tfjsNotThePattern.code, lineCol(w2.text, w2.text.indexOf('{', w2.text.indexOf('"config"')))).message, /the model has 3 outputs; an AXNet model has two, \[approximator H\(x\), decision P\(x\)\]/);
});

test('AXI814: a control Dense narrower than the layer it gates', (t) => {
  const f = axnet();
  (layerOf(f, 'c2').config as Json).units = 2;
  f.weights = weightsFor(layersOf(f), widthsOf(layersOf(f)));
  const w = write(f);
  const d = expectError(t, w, DIAG.tfjsControlWidth.code, objectAt(w.text, 'c2'));
  t.is(d.message, "control Dense 'c2' has 2 units but the layer it gates, 'h2' (through Multiply 'g2'), has 3; a control vector is as wide as the layer it gates");
});

test('AXI815: a decision Dense with 3 units (or the wrong activation)', (t) => {
  const f = axnet();
  Object.assign(layerOf(f, 'dec').config as Json, { units: 3, activation: 'softmax' });
  f.weights = weightsFor(layersOf(f), widthsOf(layersOf(f)));
  const w = write(f);
  const d = expectError(t, w, DIAG.tfjsBadDecision.code, objectAt(w.text, 'dec'));
  t.is(d.message, "decision layer 'dec' (output 1) has 3 units with softmax activation; the decision is a Dense with 1 unit and sigmoid activation, or 2 units and softmax activation");
  const g = axnet();
  (layerOf(g, 'dec').config as Json).activation = 'relu';
  const w2 = write(g);
  t.regex(expectError(t, w2, DIAG.tfjsBadDecision.code, objectAt(w2.text, 'dec')).message, /'dec' \(output 1\) has 1 unit with relu activation/);
});

test('AXI816: outputs in the wrong order are refused with the order rule, not guessed', (t) => {
  const f = axnet();
  (layerOf(f, 'out').config as Json).units = 2;
  f.weights = weightsFor(layersOf(f), widthsOf(layersOf(f)));
  topo(f).output_layers = [['dec', 0, 0], ['out', 0, 0]];
  const w = write(f);
  const d = expectError(t, w, DIAG.tfjsOutputOrder.code, objectAt(w.text, 'dec'));
  t.regex(d.message, /^output 0 'dec' has the shape of a decision and output 1 'out' does not; .*output_layers\[0\] is the approximator H\(x\) and output_layers\[1\] the decision P\(x\)/);
});

test('AXI817: a layer off the pattern, a shared layer, and an unknown inbound layer', (t) => {
  // The predictor's layers (controls and decision) fed by an approximator hidden layer: h1 then has two roles.
  const f = axnet();
  const ls = layersOf(f);
  for (const l of ls) if (['c1', 'c2', 'dec'].includes(l.name as string)) l.inbound_nodes = [[['h1', 0, 0, {}]]];
  ls.splice(ls.findIndex((l) => l.name === 'p1'), 1);
  f.weights = weightsFor(ls, widthsOf(ls));
  const w = write(f);
  const d = expectError(t, w, DIAG.tfjsLayerGraph.code, objectAt(w.text, 'h1'));
  t.regex(d.message, /^layer 'h1' is used as a predictor hidden layer and as an approximator hidden layer/);

  const g = axnet();
  (layerOf(g, 'h2').inbound_nodes as unknown[]).push([['g1', 0, 0, {}]]);
  const w2 = write(g);
  t.regex(expectError(t, w2, DIAG.tfjsLayerGraph.code, objectAt(w2.text, 'h2')).message, /'h2' is applied 2 times/);

  const s = axnet();
  layersOf(s).push(dense('stray', 2, 'relu', 'x'));
  s.weights = weightsFor(layersOf(s), widthsOf(layersOf(s)));
  const w4 = write(s);
  t.is(expectError(t, w4, DIAG.tfjsLayerGraph.code, objectAt(w4.text, 'stray')).message, "layer 'stray' (Dense) is not part of the AXNet pattern: it is not on the approximator, predictor, control or decision path to the outputs");

  const h = axnet();
  layerOf(h, 'out').inbound_nodes = [[['nowhere', 0, 0, {}]]];
  const w3 = write(h);
  const shown = readLayersModel(w3.file).diagnostics;
  t.true(shown.some((x) => x.code === DIAG.tfjsLayerGraph.code && /'out' refers to layer 'nowhere'/.test(x.message) && where(x) === `${w3.file}:${objectAt(w3.text, 'out')}`), shown.map(formatDiagnostic).join('\n'));
});

test('AXI818: a threshold outside (0, 1) or a bad safe index', (t) => {
  const w = write(axnet());
  t.regex(expectError(t, w, DIAG.tfjsBadOption.code, null, { threshold: 1 }).message, /threshold must lie strictly between 0 and 1, got 1/);
  t.regex(expectError(t, w, DIAG.tfjsBadOption.code, null, { safeIndex: 2 as 0 }).message, /safe index must be 0 or 1, got 2/);
});

test('AXI819: a NaN weight names the weight, the layer and the element', (t) => {
  const f = axnet();
  weightOf(f, 'c1/kernel').values[5] = NaN;
  const w = write(f);
  const d = expectError(t, w, DIAG.tfjsWeightNotFinite.code, manifestEntryAt(w.text, 'c1/kernel'));
  t.is(d.message, "weight 'c1/kernel' of layer 'c1' holds NaN at element 5; weights must be finite float32 values");
});

test('AXI821: an input that is not a flat vector', (t) => {
  const f = axnet();
  (layerOf(f, 'x').config as Json).batch_input_shape = [null, 4, 4];
  const w = write(f);
  const d = expectError(t, w, DIAG.tfjsBadInputShape.code, objectAt(w.text, 'x'));
  t.is(d.message, "input layer 'x' has shape [null,4,4]; an AXNet input is a flat vector, batch shape [null, N] with N ≥ 1");
});

test('a missing model.json is AXU701, a file-level error', (t) => {
  const r = readLayersModel(path.join(root, 'does-not-exist', 'model.json'));
  t.is(r.model, null);
  t.deepEqual(r.diagnostics.map((d) => d.code), [DIAG.fileUnreadable.code]);
});

// ---------------------------------------------------------------------------------------------------------------
// Accepted models.

test('a hand-written 2-hidden-layer all-control AXNet imports to the exact AxModel', (t) => {
  const f = axnet();
  const w = write(f);
  const m = ok(t, w, { threshold: 0.25 });
  t.is(m.name, 'axnet_model');
  t.is(m.inputWidth, 2);
  t.is(m.outputWidth, 1);
  t.is(m.quality, null);
  t.is(m.sourceFile, w.file);
  t.deepEqual(
    m.approximator.map((l) => [l.name, l.inWidth, l.width, l.activation, l.control]),
    [
      ['h1', 2, 4, 'relu', 'c1'],
      ['h2', 4, 3, 'tanh', 'c2'],
      ['out', 3, 1, 'linear', null],
    ],
  );
  t.deepEqual(m.approximator[0].loc, { file: w.file, ...locObj(objectAt(w.text, 'h1')) });
  const p = m.predictor!;
  t.deepEqual(p.hidden.map((l) => [l.name, l.inWidth, l.width, l.activation]), [['p1', 2, 3, 'relu']]);
  t.is(p.output.name, 'pout');
  t.is(p.output.inWidth, 3);
  t.deepEqual(p.output.segments.map((s) => [s.name, s.width, s.activation]), [['c1', 4, 'sigmoid'], ['c2', 3, 'linear']]);
  t.is(p.output.decision.kind, 'sigmoid');
  t.is(p.output.decision.kind === 'sigmoid' && p.output.decision.threshold, 0.25);

  // Weights transposed from Keras [in][out] to IR [out][in]: IR w[j][i] = kernel[i][j] = base + (i * units + j) / 8.
  const base = (name: string) => weightOf(f, name).values[0];
  const h1 = m.approximator[0];
  const kh1 = base('h1/kernel');
  t.is(h1.weights[0 * 2 + 1], kh1 + (1 * 4 + 0) / 8); // row 0, col 1 = kernel[1][0]
  t.is(h1.weights[3 * 2 + 0], kh1 + (0 * 4 + 3) / 8); // row 3, col 0 = kernel[0][3]
  t.deepEqual(Array.from(h1.bias), weightOf(f, 'h1/bias').values);
  const h2 = m.approximator[1];
  t.is(h2.weights[2 * 4 + 3], base('h2/kernel') + (3 * 3 + 2) / 8);
  // The split stacks c1's 4 rows, c2's 3 rows, then the decision's row; biases likewise.
  const o = p.output;
  t.is(o.weights.length, 8 * 3);
  t.is(o.weights[0 * 3 + 2], base('c1/kernel') + (2 * 4 + 0) / 8);
  t.is(o.weights[(4 + 1) * 3 + 0], base('c2/kernel') + (0 * 3 + 1) / 8);
  t.is(o.weights[7 * 3 + 2], base('dec/kernel') + 2 / 8);
  t.deepEqual(Array.from(o.bias), [...weightOf(f, 'c1/bias').values, ...weightOf(f, 'c2/bias').values, ...weightOf(f, 'dec/bias').values]);

  // And it is the same network: H(x) by hand for one input.
  const x = [0.5, -1];
  const denseAt = (name: string, input: number[], units: number, act: (a: number) => number, bias = true) =>
    Array.from({ length: units }, (_, j) => act(input.reduce((s, xi, i) => s + xi * weightOf(f, `${name}/kernel`).values[i * units + j], bias ? weightOf(f, `${name}/bias`).values[j] : 0)));
  const relu = (a: number) => Math.max(0, a);
  const sig = (a: number) => 1 / (1 + Math.exp(-a));
  const p1 = denseAt('p1', x, 3, relu);
  const c1 = denseAt('c1', p1, 4, sig);
  const c2 = denseAt('c2', p1, 3, (a) => a);
  const g1 = denseAt('h1', x, 4, relu).map((v, j) => v * c1[j]);
  const g2 = denseAt('h2', g1, 3, Math.tanh).map((v, j) => v * c2[j]);
  const y = denseAt('out', g2, 1, (a) => a);
  const e = interpretModel(m, Float32Array.from(x));
  t.true(Math.abs(e.y[0] - y[0]) <= 1e-4 * Math.max(1, Math.abs(y[0])), `${e.y[0]} vs ${y[0]}`);
  t.true(Math.abs(e.p - sig(denseAt('dec', p1, 1, (a) => a)[0])) < 1e-6);
});

function locObj(lc: string): { line: number; col: number } {
  const [line, col] = lc.split(':').map(Number);
  return { line, col };
}

test('a Dense with use_bias: false is accepted with a zero bias', (t) => {
  const f = axnet();
  (layerOf(f, 'h2').config as Json).use_bias = false;
  (layerOf(f, 'c1').config as Json).use_bias = false;
  f.weights = weightsFor(layersOf(f), widthsOf(layersOf(f)));
  t.false(f.weights.some((w) => w.name === 'h2/bias' || w.name === 'c1/bias'));
  const m = ok(t, write(f));
  t.deepEqual(Array.from(m.approximator[1].bias), [0, 0, 0]);
  t.deepEqual(Array.from(m.predictor!.output.bias.subarray(0, 4)), [0, 0, 0, 0]);
  t.deepEqual(Array.from(m.predictor!.output.bias.subarray(4)), [...weightOf(f, 'c2/bias').values, ...weightOf(f, 'dec/bias').values]);
});

test('a plain Sequential MLP is accepted with no predictor (object, bare-array and model_config forms)', (t) => {
  const layers = [
    { class_name: 'Dense', config: { name: 'd1', units: 4, activation: 'relu', use_bias: true, batch_input_shape: [null, 3] } },
    { class_name: 'Dense', config: { name: 'd2', units: 2, activation: 'sigmoid', use_bias: true } },
  ];
  const weights: Weight[] = [
    { name: 'd1/kernel', shape: [3, 4], values: Array.from({ length: 12 }, (_, i) => i) },
    { name: 'd1/bias', shape: [4], values: [1, 2, 3, 4] },
    { name: 'd2/kernel', shape: [4, 2], values: Array.from({ length: 8 }, (_, i) => -i) },
    { name: 'd2/bias', shape: [2], values: [5, 6] },
  ];
  const forms: Json[] = [
    { class_name: 'Sequential', config: { name: 'seq', layers }, keras_version: '2.15.0', backend: 'tensorflow' },
    { class_name: 'Sequential', config: layers },
    { keras_version: '2.15.0', backend: 'tensorflow', model_config: { class_name: 'Sequential', config: { name: 'seq', layers } }, training_config: { loss: 'mse' } },
  ];
  for (const modelTopology of forms) {
    const m = ok(t, write({ json: { format: 'layers-model', modelTopology, weightsManifest: [] }, weights: weights.map((w) => ({ ...w })) }));
    t.is(m.predictor, null);
    t.is(m.inputWidth, 3);
    t.is(m.outputWidth, 2);
    t.deepEqual(m.approximator.map((l) => [l.name, l.inWidth, l.width, l.activation, l.control]), [['d1', 3, 4, 'relu', null], ['d2', 4, 2, 'sigmoid', null]]);
    t.deepEqual(Array.from(m.approximator[0].weights.subarray(0, 3)), [0, 4, 8]); // row 0 = kernel column 0
  }
});

test('a plain functional MLP with one output is accepted with no predictor', (t) => {
  const m = ok(t, write(mlp()));
  t.is(m.name, 'mlp');
  t.is(m.predictor, null);
  t.deepEqual(m.approximator.map((l) => [l.name, l.inWidth, l.width, l.control]), [['d1', 3, 5, null], ['d2', 5, 2, null]]);
});

test('a softmax decision takes safeIndex from the options; its rows are the pre-softmax logits', (t) => {
  const f = axnet();
  Object.assign(layerOf(f, 'dec').config as Json, { units: 2, activation: 'softmax' });
  f.weights = weightsFor(layersOf(f), widthsOf(layersOf(f)));
  const w = write(f);
  const d1 = ok(t, w).predictor!.output;
  t.deepEqual(d1.decision.kind === 'softmax' && d1.decision.safeIndex, 1);
  const m = ok(t, w, { safeIndex: 0 });
  const o = m.predictor!.output;
  t.deepEqual(o.decision.kind === 'softmax' && o.decision.safeIndex, 0);
  t.is(o.bias.length, 4 + 3 + 2);
  t.is(o.weights[8 * 3 + 1], weightOf(f, 'dec/kernel').values[1 * 2 + 1]);
});

test('Keras 3 spellings: batch_shape, __keras_tensor__ inbound nodes, a single output ref; names are sanitised', (t) => {
  const kt = (name: string) => ({ class_name: '__keras_tensor__', config: { shape: [null, 1], dtype: 'float32', keras_history: [name, 0, 0] } });
  const layers: Json[] = [
    { name: 'input_layer', class_name: 'InputLayer', config: { name: 'input_layer', batch_shape: [null, 2], dtype: 'float32' }, inbound_nodes: [] },
    { name: 'dense/1', class_name: 'Dense', config: { name: 'dense/1', units: 3, activation: 'relu', use_bias: true }, inbound_nodes: [{ args: [kt('input_layer')], kwargs: {} }] },
    { name: 'output', class_name: 'Dense', config: { name: 'output', units: 1, activation: 'linear', use_bias: true }, inbound_nodes: [{ args: [kt('dense/1')], kwargs: {} }] },
  ];
  const json: Json = {
    format: 'layers-model',
    modelTopology: { class_name: 'Functional', config: { name: '2nd model', layers, input_layers: ['input_layer', 0, 0], output_layers: ['output', 0, 0] } },
    weightsManifest: [],
  };
  const weights: Weight[] = [
    { name: 'dense/1/kernel', shape: [2, 3], values: [1, 2, 3, 4, 5, 6] },
    { name: 'dense/1/bias', shape: [3], values: [0, 0, 0] },
    { name: 'output/kernel', shape: [3, 1], values: [1, 1, 1] },
    { name: 'output/bias', shape: [1], values: [0.5] },
  ];
  const w = write({ json, weights });
  const r = readLayersModel(w.file);
  t.deepEqual(r.diagnostics, []);
  const m = r.model!;
  t.is(m.name, '_2nd_model');
  t.deepEqual(m.approximator.map((l) => l.name), ['dense_1', 'output_']);
  t.deepEqual(r.renames, [
    { from: '2nd model', to: '_2nd_model' },
    { from: 'dense/1', to: 'dense_1' },
    { from: 'output', to: 'output_' },
  ]);
  t.deepEqual(Array.from(interpretModel(m, Float32Array.from([1, 1])).y), [5 + 7 + 9 + 0.5]);
});

test('the split is named pout_1 when a layer is called pout; the printed .axn parses back to the same IR', (t) => {
  const f = axnet();
  const ls = layersOf(f);
  for (const l of ls) {
    if (l.name === 'p1') l.name = (l.config as Json).name = 'pout';
    for (const node of (l.inbound_nodes as unknown[][][]) ?? []) for (const ref of node) if (ref[0] === 'p1') ref[0] = 'pout';
  }
  for (const wt of f.weights) wt.name = wt.name.replace(/^p1\//, 'pout/');
  const m = ok(t, write(f));
  t.is(m.predictor!.hidden[0].name, 'pout');
  t.is(m.predictor!.output.name, 'pout_1');
  const text = printModel(m);
  const back = parseModel(text, 'back.axn');
  t.deepEqual(back.diagnostics, []);
  const strip = (x: AxModel) => JSON.parse(JSON.stringify(x, (k, v) => (k === 'loc' || k === 'sourceFile' ? undefined : v instanceof Float32Array ? Array.from(v) : v)));
  t.deepEqual(strip(back.model!), strip(m));
});

test('a predictor with no hidden layers: controls and decision read the input directly', (t) => {
  const f = functional(
    'direct',
    [inputLayer('x', 2), dense('h1', 3, 'relu', 'x'), dense('c1', 3, 'sigmoid', 'x'), multiply('g1', 'h1', 'c1'), dense('out', 1, 'linear', 'g1'), dense('dec', 2, 'softmax', 'x')],
    ['out', 'dec'],
  );
  const m = ok(t, write(f));
  t.deepEqual(m.predictor!.hidden, []);
  t.is(m.predictor!.output.inWidth, 2);
  t.deepEqual(m.approximator.map((l) => [l.name, l.control]), [['h1', 'c1'], ['out', null]]);
  t.deepEqual(m.predictor!.output.segments.map((s) => [s.name, s.activation]), [['c1', 'sigmoid']]);
});

test('weights spread over several shards and manifest groups, split mid-value', (t) => {
  const f = axnet();
  const dir = path.join(root, `m${dirCount++}`);
  fs.mkdirSync(dir);
  const groups = [f.weights.slice(0, 5), f.weights.slice(5)];
  const manifest = groups.map((ws, g) => {
    const buf = Buffer.alloc(ws.reduce((n, w) => n + w.values.length * 4, 0));
    let off = 0;
    for (const w of ws) for (const v of w.values) off = buf.writeFloatLE(v, off);
    const cut = 4 * 7 + 2; // a float split across the two files
    fs.writeFileSync(path.join(dir, `group${g + 1}-shard1of2.bin`), buf.subarray(0, cut));
    fs.writeFileSync(path.join(dir, `group${g + 1}-shard2of2.bin`), buf.subarray(cut));
    return { paths: [`group${g + 1}-shard1of2.bin`, `./group${g + 1}-shard2of2.bin`], weights: ws.map((w) => ({ name: w.name, shape: w.shape, dtype: 'float32' })) };
  });
  f.json.weightsManifest = manifest;
  fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(f.json));
  const m = ok(t, { dir, file: path.join(dir, 'model.json'), text: '' });
  const one = ok(t, write(axnet()));
  const strip = (x: AxModel) => JSON.parse(JSON.stringify(x, (k, v) => (k === 'loc' || k === 'sourceFile' ? undefined : v instanceof Float32Array ? Array.from(v) : v)));
  t.deepEqual(strip(m), strip(one));
});

// ---------------------------------------------------------------------------------------------------------------
// The command line.

test('CLI: axc compile model.json, axc import (inline and --weights-file), and an error with exit 1 and no output', (t) => {
  const w = write(axnet());
  const bin = path.join(w.dir, 'prog.bin');
  const c = runAxc(['compile', w.file, '-o', bin, '--threshold', '0.3']);
  t.is(c.status, 0, c.stderr);
  t.true(fs.statSync(bin).size > 0);

  const axn = path.join(w.dir, 'imported.axn');
  const i = runAxc(['import', w.file, '-o', axn, '--weights-file']);
  t.is(i.status, 0, i.stderr);
  const text = fs.readFileSync(axn, 'utf8');
  t.regex(text, /weights "imported\.weights\.json"/);
  t.regex(text, /h1 = dense\(4, relu\) controlled by c1/);
  t.regex(text, /decision = sigmoid\(threshold: 0\.5\)/);
  t.true(fs.existsSync(path.join(w.dir, 'imported.weights.json')));
  const c2 = runAxc(['compile', axn, '-o', path.join(w.dir, 'prog2.bin')]);
  t.is(c2.status, 0, c2.stderr);

  const f = axnet();
  (layerOf(f, 'h2').config as Json).activation = 'selu';
  const bad = write(f);
  const out = path.join(bad.dir, 'bad.axn');
  const e = runAxc(['import', bad.file, '-o', out]);
  t.is(e.status, 1);
  t.is(e.stderr.trim(), `${bad.file}:${objectAt(bad.text, 'h2')}: error: layer 'h2' has activation 'selu'; AXNet layers use linear, relu, sigmoid or tanh (softmax only on a 2-unit decision) [AXI805]`);
  t.false(fs.existsSync(out));
  const u = runAxc(['compile', w.file, '-o', bin, '--threshold', '1.5']);
  t.is(u.status, 2);
});
