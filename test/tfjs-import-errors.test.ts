// The TensorFlow.js importer (frontend/layers-model/) on malformed model.json files and shards: each gives its exact
// code, a message naming the layer/weight/shard, and a file:line:col. Fixtures: test/support/tfjs-fixtures.ts.

import test from 'ava';
import * as path from 'node:path';
import { readLayersModel } from '../frontend/layers-model/read-layers-model.ts';
import { DIAG } from '../diagnostics/catalog.ts';
import { formatDiagnostic } from '../diagnostics/diagnostic.ts';
import { Json, axnet, dense, expectError, functional, ok, inputLayer, layer, layerOf, layersOf, lineCol, manifestEntryAt, mlp, multiply, objectAt, removeFixtures, topo, weightOf, weightsFor, where, widthsOf, write, root } from './support/tfjs-fixtures.ts';

test.after.always(removeFixtures);
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
  const d = expectError(t, write(f), DIAG.tfjsNoTopology.code, '1:1');
  t.regex(d.message, /^not a TensorFlow\.js LayersModel: model\.json has no "modelTopology"/);

  const g = axnet();
  g.json.format = 'graph-model';
  const w = write(g);
  const d2 = expectError(t, w, DIAG.tfjsWrongFormat.code, lineCol(w.text, w.text.indexOf('"graph-model"')));
  t.regex(d2.message, /"graph-model".*tensorflowjs_converter --input_format keras/);

  expectError(t, write(axnet(), { text: '[1, 2]\n' }), DIAG.tfjsNotAnObject.code, '1:1');
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

test("AXI803: a metadata benchmark whose widths are not the model's, at the benchmark's value", (t) => {
  // axnet() maps 2 inputs to 1 output: sobel (9 -> 1) does not fit it, bessel (2 -> 1) does.
  const f = axnet();
  f.json.userDefinedMetadata = { axc: { benchmark: 'sobel' } };
  const w = write(f);
  const d = expectError(t, w, DIAG.tfjsBenchmarkWidth.code, lineCol(w.text, w.text.indexOf('"sobel"')));
  t.is(d.message, "userDefinedMetadata.axc.benchmark: 'sobel' maps 9 inputs to 1 output, but the model maps 2 to 1; its exact function computes the samples the model rejects");
  const g = axnet();
  g.json.userDefinedMetadata = { axc: { benchmark: 'bessel' } };
  t.is(ok(t, write(g)).benchmark, 'bessel');
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
  const d = expectError(t, w, DIAG.tfjsGateOperands.code, objectAt(w.text, 'g1'));
  t.regex(d.message, /^Multiply layer 'g1' multiplies Dense 'h1' .* by Dense 'h1b' .*control Dense fed by the predictor's last hidden layer 'p1'/);

  // The input multiplied by a control.
  const g = axnet();
  const gl = layersOf(g);
  gl[gl.findIndex((l) => l.name === 'g1')] = multiply('g1', 'x', 'c1');
  (layerOf(g, 'c1').config as Json).units = 2;
  gl.splice(gl.findIndex((l) => l.name === 'h1'), 1);
  g.weights = weightsFor(gl, widthsOf(gl));
  const w2 = write(g);
  t.regex(expectError(t, w2, DIAG.tfjsGateOperands.code, objectAt(w2.text, 'g1')).message, /'g1' multiplies the input 'x' by Dense 'c1'/);

  // A Multiply in a single-output model (no predictor).
  const m = functional('m', [inputLayer('x', 2), dense('a', 3, 'relu', 'x'), dense('b', 3, 'relu', 'x'), multiply('g', 'a', 'b'), dense('o', 1, 'linear', 'g')], ['o']);
  const w3 = write(m);
  t.regex(expectError(t, w3, DIAG.tfjsGateWithoutPredictor.code, objectAt(w3.text, 'g')).message, /'g' gates the approximator, but the model has one output and so no predictor/);

  // A control Dense feeding two Multiply layers.
  const h = axnet();
  const hl = layersOf(h);
  (layerOf(h, 'h2').config as Json).units = 4;
  (layerOf(h, 'out').config as Json).units = 1;
  hl[hl.findIndex((l) => l.name === 'g2')] = multiply('g2', 'c1', 'h2');
  hl.splice(hl.findIndex((l) => l.name === 'c2'), 1);
  h.weights = weightsFor(hl, widthsOf(hl));
  const w4 = write(h);
  t.regex(expectError(t, w4, DIAG.tfjsControlShared.code, objectAt(w4.text, 'g1')).message, /'g1' uses control Dense 'c1', which already gates another layer/);
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

test('AXI807: a shape thousands of dimensions long is shown cut at 60 characters (a fuzz finding: 296,200-character messages)', (t) => {
  const f = axnet();
  weightOf(f, 'h2/kernel').shape = new Array(9000).fill(1);
  const w = write(f);
  const d = expectError(t, w, DIAG.tfjsWeightShape.code, manifestEntryAt(w.text, 'h2/kernel'));
  t.true(d.message.length < 300, `${d.message.length} characters`);
  t.true(d.message.startsWith(`weight 'h2/kernel' of layer 'h2' has shape [${new Array(19).fill(1).join(', ')}`), d.message);
  t.regex(d.message, /…/);
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
  const d = expectError(t, w, DIAG.tfjsInputCount.code, lineCol(w.text, w.text.indexOf('{', w.text.indexOf('"config"'))));
  t.regex(d.message, /^not an AXNet model: the model has 2 inputs; an AXNet model has exactly one input vector/);

  const g = axnet();
  layersOf(g).push(dense('extra', 1, 'linear', 'p1'));
  g.weights = weightsFor(layersOf(g), widthsOf(layersOf(g)));
  topo(g).output_layers = [['out', 0, 0], ['dec', 0, 0], ['extra', 0, 0]];
  const w2 = write(g);
  t.regex(expectError(t, w2, DIAG.tfjsOutputCount.code, lineCol(w2.text, w2.text.indexOf('{', w2.text.indexOf('"config"')))).message, /the model has 3 outputs; an AXNet model has two, \[approximator H\(x\), decision P\(x\)\]/);
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
  const d = expectError(t, w, DIAG.tfjsDecisionShape.code, objectAt(w.text, 'dec'));
  t.is(d.message, "decision layer 'dec' (output 1) has 3 units with softmax activation; the decision is a Dense with 1 unit and sigmoid activation, or 2 units and softmax activation");
  const g = axnet();
  (layerOf(g, 'dec').config as Json).activation = 'relu';
  const w2 = write(g);
  t.regex(expectError(t, w2, DIAG.tfjsDecisionShape.code, objectAt(w2.text, 'dec')).message, /'dec' \(output 1\) has 1 unit with relu activation/);
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
  const d = expectError(t, w, DIAG.tfjsTwoRoles.code, objectAt(w.text, 'h1'));
  t.regex(d.message, /^layer 'h1' is used as a predictor hidden layer and as an approximator hidden layer/);

  const g = axnet();
  (layerOf(g, 'h2').inbound_nodes as unknown[]).push([['g1', 0, 0, {}]]);
  const w2 = write(g);
  t.regex(expectError(t, w2, DIAG.tfjsLayerReused.code, objectAt(w2.text, 'h2')).message, /'h2' is applied 2 times/);

  const s = axnet();
  layersOf(s).push(dense('stray', 2, 'relu', 'x'));
  s.weights = weightsFor(layersOf(s), widthsOf(layersOf(s)));
  const w4 = write(s);
  t.is(expectError(t, w4, DIAG.tfjsLayerUnused.code, objectAt(w4.text, 'stray')).message, "layer 'stray' (Dense) is not part of the AXNet pattern: it is not on the approximator, predictor, control or decision path to the outputs");

  const h = axnet();
  layerOf(h, 'out').inbound_nodes = [[['nowhere', 0, 0, {}]]];
  const w3 = write(h);
  const shown = readLayersModel(w3.file).diagnostics;
  t.true(shown.some((x) => x.code === DIAG.tfjsRefToNothing.code && /'out' refers to layer 'nowhere'/.test(x.message) && where(x) === `${w3.file}:${objectAt(w3.text, 'out')}`), shown.map(formatDiagnostic).join('\n'));
});

test('AXI818: a threshold outside (0, 1) or a bad safe index', (t) => {
  const w = write(axnet());
  t.regex(expectError(t, w, DIAG.tfjsBadThreshold.code, null, { threshold: 1 }).message, /threshold must lie strictly between 0 and 1, got 1/);
  t.regex(expectError(t, w, DIAG.tfjsBadSafeIndex.code, null, { safeIndex: 2 as 0 }).message, /safe index must be 0 or 1, got 2/);
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
