// `axc export --format onnx` (frontend/onnx/write-onnx.ts): onnxruntime runs the exported graph and agrees with
// the reference interpreter (within 1e-5 of each row's largest reference output); the ONNX importer reads it back to the same model and the same program; the CLI.

import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import fc from 'fast-check';
import { compileModel } from '../compiler/pipeline.ts';
import { formatDiagnostic } from '../diagnostics/diagnostic.ts';
import { AxcMetadataSchema } from '../frontend/layers-model/layers-model-schema.ts';
import { readOnnxModel } from '../frontend/onnx/read-onnx.ts';
import { buildOnnxModel, exportOnnxModel } from '../frontend/onnx/write-onnx.ts';
import { loadModelFile } from '../frontend/parse-model.ts';
import { interpretModel } from '../ir/interpret-model.ts';
import type { AxModel, DenseLayer } from '../ir/model.ts';
import { SeededRandom } from '../ir/seeded-random.ts';
import { disassemble } from '../isa/disassemble.ts';
import { buildModel, modelShapesUpTo, randomInput, type ModelShape } from './support/random-model.ts';
import { ORT_SIGMOID_ABS } from './support/onnx-builder.ts';
import { repoRoot, runAxcAsync } from './support/run-axc.ts';
import type * as Ort from 'onnxruntime-common';

/** onnxruntime-node is onnxruntime-common's API with the native backend registered; 1.16.3 ships no typings. */
const ort = createRequire(import.meta.url)('onnxruntime-node') as typeof Ort;

const ROWS = 16;

/** A model to export, and its graph input's name when not `x`. */
interface Example {
  label: string;
  model: AxModel;
  input?: string;
}

function loadExample(file: string): AxModel {
  const { model, diagnostics } = loadModelFile(join(repoRoot, 'examples', file));
  if (!model) throw new Error(diagnostics.map(formatDiagnostic).join('\n'));
  return model;
}

const EXAMPLES = readdirSync(join(repoRoot, 'examples'))
  .filter((f) => f.endsWith('.axn'))
  .sort()
  .map((f) => ({ label: f, model: loadExample(f) }));

/** Each random shape is bent to one of these cases in turn, so every decision kind, safe index, placement and a
 *  threshold other than 0.5 occurs; the rest (widths, depths, activations, weights) stays random. */
const CASES: ((s: ModelShape) => Partial<ModelShape>)[] = [
  () => ({ hasPredictor: true, control: 'all', decision: { kind: 'sigmoid', threshold: 0.5 } }),
  (s) => ({ hasPredictor: true, control: s.approxHidden.length - 1, decision: { kind: 'sigmoid', threshold: 0.271 } }),
  () => ({ hasPredictor: true, control: 'all', decision: { kind: 'softmax', safeIndex: 1, threshold: 0.5 } }),
  () => ({ hasPredictor: true, control: 0, decision: { kind: 'softmax', safeIndex: 0, threshold: 0.83 } }),
  () => ({ hasPredictor: false }),
  () => ({ hasPredictor: true, control: 'none', decision: { kind: 'softmax', safeIndex: 0, threshold: 0.35 } }),
  () => ({ hasPredictor: true, control: 'all', controlActivations: ['relu', 'sigmoid', 'tanh'], decision: { kind: 'softmax', safeIndex: 1, threshold: 0.6 } }),
];

const RANDOM = fc.sample(modelShapesUpTo({ width: 16, input: 12, output: 8 }), { seed: 15, numRuns: 21 }).map((s, i) => {
  const model = buildModel({ ...s, ...CASES[i % CASES.length](s), seed: 1000 + i });
  // random-model.ts names the split 'split', a keyword of .axn, which an importer renames; an .axn name instead.
  if (model.predictor) model.predictor.output.name = 'pout';
  const d = model.predictor?.output.decision;
  const label = `random${i} (${model.predictor ? `${d!.kind}${d!.kind === 'softmax' ? ` safe ${d!.safeIndex}` : ''} at ${d!.threshold}, ${model.predictor.output.segments.length} controls` : 'no predictor'})`;
  return { label, model };
});

/** Names that collide with the graph's own: a segment named x (so the graph input becomes x_1), a layer named y,
 *  a predictor layer named x_1. Every segment keeps its exact name: the importer names segments from it. */
function collidingNames(): Example {
  const shape = fc.sample(modelShapesUpTo({ width: 6, input: 4, output: 3 }), { seed: 7, numRuns: 1 })[0];
  const m = buildModel({ ...shape, hasPredictor: true, control: 'all', predictorHidden: [{ width: 5, activation: 'relu' }], decision: { kind: 'sigmoid', threshold: 0.4 }, seed: 99 });
  const p = m.predictor!;
  p.output.name = 'pout';
  const first = p.output.segments[0];
  for (const l of m.approximator) if (l.control === first.name) l.control = 'x';
  first.name = 'x';
  m.approximator[0].name = 'y';
  p.hidden[0].name = 'x_1';
  return { label: 'names colliding with x and y', model: m, input: 'x_1' };
}

const ALL: Example[] = [...EXAMPLES, ...RANDOM, collidingNames()];

function randomRows(model: AxModel, seed: number): Float32Array[] {
  const rng = new SeededRandom(seed);
  return Array.from({ length: ROWS }, () => randomInput(rng, model.inputWidth));
}

const maxAbs = (a: ArrayLike<number>) => Array.from(a).reduce((m, v) => Math.max(m, Math.abs(v)), 0);

/** The tolerance of a row whose largest reference output (in magnitude) is `rowMax`: 1e-5 of it, or 1e-12 when
 *  the row's outputs are all exactly 0. */
const within = (rowMax: number) => (rowMax === 0 ? 1e-12 : 1e-5 * rowMax);

test('onnxruntime runs every exported model and agrees with the reference interpreter (examples and random models)', async (t) => {
  const checks = await Promise.all(
    ALL.map(async ({ label, model, input = 'x' }, k) => {
      const session = await ort.InferenceSession.create(exportOnnxModel(model, { producerVersion: '0.0.0-test' }));
      t.deepEqual(session.inputNames, [input], label);
      t.deepEqual(session.outputNames, model.predictor ? ['y', 'decision'] : ['y'], label);
      const rows = randomRows(model, 500 + k);
      const flat = new Float32Array(ROWS * model.inputWidth);
      rows.forEach((r, i) => flat.set(r, i * model.inputWidth));
      const out = await session.run({ [input]: new ort.Tensor('float32', flat, [ROWS, model.inputWidth]) });
      await session.release();
      const y = out.y.data as Float32Array;
      t.deepEqual(out.y.dims, [ROWS, model.outputWidth], label);
      let worst = 0;
      rows.forEach((x, i) => {
        const e = interpretModel(model, x);
        const got = y.subarray(i * model.outputWidth, (i + 1) * model.outputWidth);
        const tol = within(maxAbs(e.y));
        e.y.forEach((v, j) => {
          worst = Math.max(worst, Math.abs(got[j] - v) / tol);
          if (!(Math.abs(got[j] - v) <= tol)) t.fail(`${label}, row ${i}: H(x)[${j}] is ${got[j]} in onnxruntime, ${v} in the interpreter (|difference| ${Math.abs(got[j] - v).toExponential(2)} > ${tol.toExponential(2)})`);
        });
        const d = model.predictor?.output.decision;
        if (!d) return;
        const probs = out.decision.data as Float32Array;
        const n = d.kind === 'sigmoid' ? 1 : 2;
        const p = probs[i * n + (d.kind === 'softmax' ? d.safeIndex : 0)];
        // The decision row's largest reference output: P(x), or for a softmax the larger of P(x) and 1 - P(x).
        // onnxruntime's Sigmoid is accurate to about 1.7e-7 absolute only (ORT_SIGMOID_ABS, test/support/onnx-builder.ts).
        const pTol = d.kind === 'softmax' ? within(Math.max(e.p, 1 - e.p)) : Math.max(within(e.p), ORT_SIGMOID_ABS);
        worst = Math.max(worst, Math.abs(p - e.p) / pTol);
        if (!(Math.abs(p - e.p) <= pTol)) t.fail(`${label}, row ${i}: P(x) is ${p} in onnxruntime, ${e.p} in the interpreter (|difference| ${Math.abs(p - e.p).toExponential(2)} > ${pTol.toExponential(2)})`);
        if (n === 2 && !(Math.abs(probs[i * 2] + probs[i * 2 + 1] - 1) <= 1e-6)) t.fail(`${label}, row ${i}: the softmax does not sum to 1`);
      });
      return worst;
    }),
  );
  t.log(`${ALL.length} models x ${ROWS} rows; largest difference ${Math.max(...checks).toFixed(3)} of the tolerance`);
});

test('the ModelProto: ir_version 8, opset 13, torch-style Gemms, exactly named gate inputs, unique names, axc metadata', async (t) => {
  for (const { label, model } of ALL) {
    const m = buildOnnxModel(model, { producerVersion: '1.2.3' });
    t.is(Number(m.irVersion), 8, label);
    t.deepEqual(m.opsetImport, [{ domain: '', version: 13 }], label);
    t.is(m.producerName, 'axc');
    t.is(m.producerVersion, '1.2.3');
    const g = m.graph!;
    t.is(g.name, model.name);
    const nodes = g.node!;
    const nodeNames = nodes.map((n) => n.name!);
    t.is(new Set(nodeNames).size, nodeNames.length, `${label}: node names are unique`);
    const produced = nodes.flatMap((n) => n.output!);
    const tensors = [...g.input!.map((v) => v.name!), ...g.initializer!.map((i) => i.name!), ...produced];
    t.is(new Set(tensors).size, tensors.length, `${label}: tensor names are unique`);
    // Topological order: every node input is the graph input, an initializer or an earlier node's output.
    const known = new Set([...g.input!.map((v) => v.name!), ...g.initializer!.map((i) => i.name!)]);
    for (const n of nodes) {
      for (const i of n.input!) t.true(known.has(i), `${label}: ${n.name} reads ${i} before it is made`);
      for (const o of n.output!) known.add(o);
    }
    const dense: DenseLayer[] = [...model.approximator, ...(model.predictor?.hidden ?? [])];
    for (const l of dense) {
      const gemm = nodes.find((n) => n.name === l.name)!;
      t.is(gemm.opType, 'Gemm', `${label}: ${l.name}`);
      t.deepEqual(gemm.input!.slice(1), [`${l.name}.weight`, `${l.name}.bias`]);
      t.deepEqual(gemm.attribute!.find((a) => a.name === 'transB')?.i, 1);
      const w = g.initializer!.find((i) => i.name === `${l.name}.weight`)!;
      t.deepEqual(w.dims, [l.width, l.inWidth]);
      t.true(Buffer.from(w.rawData!).equals(Buffer.from(l.weights.buffer, l.weights.byteOffset, l.weights.byteLength)), `${label}: ${l.name}.weight bit for bit`);
      if (l.activation !== 'linear') t.is(nodes.find((n) => n.input![0] === gemm.output![0])?.opType, { relu: 'Relu', sigmoid: 'Sigmoid', tanh: 'Tanh' }[l.activation]);
    }
    for (const l of model.approximator.filter((a) => a.control)) {
      const mul = nodes.find((n) => n.opType === 'Mul' && n.input![1] === l.control);
      t.truthy(mul, `${label}: the gate of ${l.name} multiplies by the tensor named ${l.control}`);
    }
    const meta = m.metadataProps!.filter((p) => p.key === 'axc');
    t.is(meta.length, 1);
    const parsed = AxcMetadataSchema.parse(JSON.parse(meta[0].value!));
    const d = model.predictor?.output.decision;
    t.deepEqual(parsed, {
      ...(d ? { threshold: d.threshold } : {}),
      ...(d?.kind === 'softmax' ? { safeIndex: d.safeIndex } : {}),
      ...(model.quality ? { quality: model.quality } : {}),
      ...(model.benchmark ? { benchmark: model.benchmark } : {}),
      ...(model.cpuCycles !== undefined ? { cpuCycles: model.cpuCycles } : {}),
    });
  }
});

/** What the round trip must keep: every name, width, activation, the decision, quality, benchmark, weight bits. */
function essentials(m: AxModel) {
  const bits = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('hex');
  const layer = (l: DenseLayer) => ({ name: l.name, inWidth: l.inWidth, width: l.width, activation: l.activation, weights: bits(l.weights), bias: bits(l.bias) });
  const p = m.predictor;
  return {
    name: m.name,
    inputWidth: m.inputWidth,
    outputWidth: m.outputWidth,
    approximator: m.approximator.map((l) => ({ ...layer(l), control: l.control })),
    predictor: p && {
      hidden: p.hidden.map(layer),
      output: {
        name: p.output.name,
        inWidth: p.output.inWidth,
        segments: p.output.segments.map((s) => ({ name: s.name, width: s.width, activation: s.activation })),
        decision: { ...p.output.decision, loc: undefined },
        weights: bits(p.output.weights),
        bias: bits(p.output.bias),
      },
    },
    quality: m.quality,
    benchmark: m.benchmark,
    cpuCycles: m.cpuCycles,
  };
}

const program = (m: AxModel) => disassemble(compileModel(m), { sourceLines: false, data: true });

test('export, then readOnnxModel, gives the same model and the same program as the .axn (examples and random models)', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'axc-onnx-export-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  ALL.forEach(({ label, model }, k) => {
    const file = join(dir, `m${k}.onnx`);
    writeFileSync(file, exportOnnxModel(model));
    const r = readOnnxModel(file);
    t.deepEqual(r.diagnostics.map(formatDiagnostic), [], label);
    t.deepEqual(r.renames, [], label);
    if (!r.model) return void t.fail(`${label}: not imported`);
    t.deepEqual(essentials(r.model), essentials(model), label);
    t.is(program(r.model), program(model), `${label}: the same program`);
  });
});

test('axc export --format onnx writes a file onnxruntime loads; -o naming the model or its weights is refused', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'axc-onnx-cli-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const src = join(dir, 'src');
  mkdirSync(src);
  for (const f of ['sobel.axn', 'sobel.weights.json']) copyFileSync(join(repoRoot, 'examples', f), join(src, f));
  const listing = () => readdirSync(src).map((f) => `${f}:${readFileSync(join(src, f), 'hex')}`).sort();
  const before = listing();
  const out = join(dir, 'out.onnx');
  const [ok, sameAsModel, sameAsWeights] = await Promise.all([
    runAxcAsync(['export', join(repoRoot, 'examples', 'sobel.axn'), '--format', 'onnx', '-o', out]),
    runAxcAsync(['export', join(src, 'sobel.axn'), '--format', 'onnx', '-o', join(src, 'sobel.axn')]),
    runAxcAsync(['export', join(src, 'sobel.axn'), '--format', 'onnx', '-o', join(src, 'sobel.weights.json')]),
  ]);
  t.is(ok.status, 0, ok.stderr);
  t.regex(ok.stderr, /wrote .*out\.onnx/);
  const session = await ort.InferenceSession.create(out);
  t.deepEqual([session.inputNames, session.outputNames], [['x'], ['y', 'decision']]);
  await session.release();
  const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
  t.true(readFileSync(out).equals(Buffer.from(exportOnnxModel(loadExample('sobel.axn'), { producerVersion: version }))), 'the CLI writes what exportOnnxModel gives, with the package version');
  for (const [r, what] of [
    [sameAsModel, "the model '"],
    [sameAsWeights, "the weights file of '"],
  ] as const) {
    t.is(r.status, 2, r.stderr);
    t.true(r.stderr.includes(what), r.stderr);
  }
  t.deepEqual(listing(), before, 'nothing written or left beside the model');
});
