// The TensorFlow.js importer (frontend/layers-model/) on the shapes it accepts, and through the CLI.
// Fixtures: test/support/tfjs-fixtures.ts (model.json + .bin written by hand, no tfjs involved).

import test from 'ava';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readLayersModel } from '../frontend/layers-model/read-layers-model.ts';
import { printModel } from '../frontend/print-model.ts';
import { parseModel } from '../frontend/parse-model.ts';
import { interpretModel } from '../ir/interpret-model.ts';
import type { AxModel } from '../ir/model.ts';
import { runAxc } from './support/run-axc.ts';
import { Json, Weight, axnet, dense, functional, inputLayer, layerOf, layersOf, mlp, multiply, objectAt, ok, removeFixtures, weightOf, weightsFor, widthsOf, write, freshDir } from './support/tfjs-fixtures.ts';

test.after.always(removeFixtures);
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
  const dir = freshDir();
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
