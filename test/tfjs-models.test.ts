// Differential test against TensorFlow.js: tfjs builds AXNet-pattern models, saves them with its own
// serializer, axc imports, compiles and simulates them, and P(x) and H(x) must agree with tfjs predict
// (within 1e-5 relative or 1e-6 absolute). Then export -> import must reproduce the IR exactly.

import { lockstep } from './support/lockstep.ts';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import type { LayersModel, SymbolicTensor } from '@tensorflow/tfjs';
import { compileModel } from '../compiler/pipeline.ts';
import { AxcError } from '../diagnostics/diagnostic.ts';
import { loadModelFile } from '../frontend/parse-model.ts';
import { readLayersModel } from '../frontend/layers-model/read-layers-model.ts';
import type { AxModel } from '../ir/model.ts';
import { SeededRandom } from '../ir/seeded-random.ts';
import { Simulator } from '../machine/simulator.ts';
import { exportLayersModel } from '../tfjs-runtime/export-layers-model.ts';
import { loadTfjs, type Tfjs } from '../tfjs-runtime/load-tfjs.ts';

type Act = 'linear' | 'relu' | 'sigmoid' | 'tanh';

/** A recipe for an AXNet built with tf.layers. */
interface Recipe {
  name: string;
  input: number;
  hidden: { units: number; act: Act; control?: Act }[];
  output: { units: number; act: Act };
  predictor: number[] | null;
  decision: 'sigmoid' | 'softmax';
}

const RECIPES: Recipe[] = [
  { name: 'all_layer_control', input: 6, hidden: [{ units: 10, act: 'relu', control: 'linear' }, { units: 8, act: 'relu', control: 'linear' }], output: { units: 3, act: 'linear' }, predictor: [7], decision: 'softmax' },
  { name: 'single_control_second_layer', input: 5, hidden: [{ units: 8, act: 'tanh' }, { units: 6, act: 'relu', control: 'relu' }], output: { units: 2, act: 'linear' }, predictor: [6], decision: 'sigmoid' },
  { name: 'relu_and_sigmoid_segments', input: 4, hidden: [{ units: 5, act: 'relu', control: 'relu' }, { units: 5, act: 'relu', control: 'sigmoid' }], output: { units: 1, act: 'linear' }, predictor: [], decision: 'sigmoid' },
  { name: 'tanh_approximator_sigmoid_output', input: 3, hidden: [{ units: 6, act: 'tanh', control: 'sigmoid' }, { units: 4, act: 'tanh' }], output: { units: 2, act: 'sigmoid' }, predictor: [5, 4], decision: 'softmax' },
  { name: 'too_wide_for_static', input: 64, hidden: [{ units: 200, act: 'relu', control: 'linear' }], output: { units: 64, act: 'linear' }, predictor: [32], decision: 'softmax' },
  { name: 'plain_mlp', input: 4, hidden: [{ units: 7, act: 'tanh' }], output: { units: 2, act: 'linear' }, predictor: null, decision: 'sigmoid' },
];

function build(tf: Tfjs, r: Recipe, seed: number): LayersModel {
  let s = seed;
  const init = () => ({ kernelInitializer: tf.initializers.glorotUniform({ seed: s++ }), biasInitializer: tf.initializers.randomUniform({ minval: -0.2, maxval: 0.2, seed: s++ }) });
  const dense = (units: number, act: Act, name: string, x: SymbolicTensor) => tf.layers.dense({ units, activation: act, name, ...init() }).apply(x) as SymbolicTensor;
  const input = tf.input({ shape: [r.input], name: 'x' });
  let p = input;
  const controls: SymbolicTensor[] = [];
  let decision: SymbolicTensor | null = null;
  if (r.predictor) {
    r.predictor.forEach((u, i) => (p = dense(u, 'relu', `p${i}`, p)));
    r.hidden.forEach((h, i) => {
      if (h.control) controls[i] = dense(h.units, h.control, `c${i}`, p);
    });
    decision = dense(r.decision === 'sigmoid' ? 1 : 2, r.decision as Act, 'decision', p);
  }
  let h = input;
  r.hidden.forEach((l, i) => {
    h = dense(l.units, l.act, `h${i}`, h);
    if (controls[i]) h = tf.layers.multiply({ name: `h${i}_gated` }).apply([h, controls[i]]) as SymbolicTensor;
  });
  h = dense(r.output.units, r.output.act, 'out', h);
  return tf.model({ name: r.name, inputs: input, outputs: decision ? [h, decision] : [h] });
}

/** Saves with tfjs's own serializer into dir/model.json + dir/weights.bin. */
async function save(tf: Tfjs, m: LayersModel, dir: string): Promise<string> {
  await m.save(
    tf.io.withSaveHandler(async (a) => {
      const data = new Uint8Array(a.weightData as ArrayBuffer);
      writeFileSync(join(dir, 'weights.bin'), data);
      writeFileSync(join(dir, 'model.json'), JSON.stringify({ format: a.format, generatedBy: a.generatedBy, convertedBy: a.convertedBy ?? null, modelTopology: a.modelTopology, weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs }] }));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return join(dir, 'model.json');
}

const near = (a: number, b: number) => Math.abs(a - b) <= Math.max(1e-6, 1e-5 * Math.abs(b));

for (const [i, r] of RECIPES.entries()) {
  test(`tfjs ${r.name}: axc agrees with tfjs predict`, async (t) => {
    const { tf, backend } = await loadTfjs();
    t.log(`tfjs backend: ${backend}`);
    const dir = mkdtempSync(join(tmpdir(), 'axc-tfjs-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const tfModel = build(tf, r, 100 * (i + 1));
    const { model, diagnostics } = readLayersModel(await save(tf, tfModel, dir));
    if (!model) throw new AxcError(diagnostics);
    const bin = compileModel(model);
    if (r.name === 'too_wide_for_static') t.is(bin.meta.schedule, 'dynamic', 'the wide model does not fit statically');
    const rng = new SeededRandom(i);
    const xs = Array.from({ length: 40 }, () => Float32Array.from({ length: r.input }, () => rng.uniform(-1.5, 1.5)));
    const outs = tfModel.predict(tf.tensor2d(xs.map((x) => Array.from(x)))) as import('@tensorflow/tfjs').Tensor | import('@tensorflow/tfjs').Tensor[];
    const [hT, pT] = Array.isArray(outs) ? outs : [outs, null];
    const H = hT.arraySync() as number[][];
    const P = pT ? (pT.arraySync() as number[][]) : null;
    const byModel = new Simulator(bin);
    const forced = new Simulator(bin, { invoke: 'all' });
    let invoked = 0;
    const bad: string[] = [];
    lockstep([byModel, forced], xs, ([a, all], s) => {
      if (P) {
        const tfP = r.decision === 'sigmoid' ? P[s][0] : P[s][1];
        if (!near(a.p, tfP)) bad.push(`sample ${s}: P(x) ${a.p} vs tfjs ${tfP}`);
      } else if (a.p !== 1) bad.push(`sample ${s}: a plain MLP has P(x) = 1`);
      if (a.invoked) {
        invoked++;
        a.y.forEach((v, j) => near(v, H[s][j]) || bad.push(`sample ${s}: H(x)[${j}] ${v} vs tfjs ${H[s][j]}`));
      }
      all.y.forEach((v, j) => near(v, H[s][j]) || bad.push(`sample ${s} (--invoke all): H(x)[${j}] ${v} vs tfjs ${H[s][j]}`));
    });
    t.deepEqual(bad, []);
    t.true(invoked > 0, 'some samples are invoked');
    t.log(`${invoked}/40 invoked, schedule ${bin.meta.schedule}`);
  });
}

function withoutLocs(m: AxModel) {
  const strip = <T extends object>(o: T) => Object.fromEntries(Object.entries(o).filter(([k]) => k !== 'loc' && k !== 'sourceFile'));
  return {
    ...strip(m),
    approximator: m.approximator.map(strip),
    predictor: m.predictor && { hidden: m.predictor.hidden.map(strip), output: { ...strip(m.predictor.output), segments: m.predictor.output.segments.map(strip), decision: strip(m.predictor.output.decision) } },
  };
}

for (const name of ['sobel', 'inversek2j', 'jpeg', 'single-control', 'tiny']) {
  test(`export then import reproduces ${name}'s IR with equal weights`, async (t) => {
    const { model, diagnostics } = loadModelFile(`examples/${name}.axn`);
    if (!model) throw new AxcError(diagnostics);
    const dir = mkdtempSync(join(tmpdir(), 'axc-export-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const exported = await exportLayersModel(model);
    writeFileSync(join(dir, 'model.json'), exported.modelJson);
    writeFileSync(join(dir, 'group1-shard1of1.bin'), exported.weights);
    const back = readLayersModel(join(dir, 'model.json'));
    if (!back.model) throw new AxcError(back.diagnostics);
    t.deepEqual(withoutLocs(back.model), withoutLocs(model));
  });
}

test('a softmax threshold travels through export and import like the sigmoid one', async (t) => {
  const { model } = loadModelFile('examples/sobel.axn');
  const p = model!.predictor!;
  const at07: AxModel = { ...model!, predictor: { ...p, output: { ...p.output, decision: { kind: 'softmax', safeIndex: 1, threshold: 0.7 } } } };
  const dir = mkdtempSync(join(tmpdir(), 'axc-softmax-meta-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const exported = await exportLayersModel(at07);
  writeFileSync(join(dir, 'group1-shard1of1.bin'), exported.weights);
  writeFileSync(join(dir, 'model.json'), exported.modelJson);
  t.like(JSON.parse(exported.modelJson).userDefinedMetadata.axc, { threshold: 0.7, safeIndex: 1 });
  const back = readLayersModel(join(dir, 'model.json')).model!;
  t.deepEqual(withoutLocs(back), withoutLocs(at07));
  t.like(readLayersModel(join(dir, 'model.json'), { threshold: 0.6 }).model!.predictor!.output.decision, { kind: 'softmax', threshold: 0.6 });
});

test('importer options win over the metadata export keeps; bad metadata is a positioned error', async (t) => {
  const { model } = loadModelFile('examples/tiny.axn');
  const dir = mkdtempSync(join(tmpdir(), 'axc-meta-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const exported = await exportLayersModel(model!);
  writeFileSync(join(dir, 'group1-shard1of1.bin'), exported.weights);
  const json = JSON.parse(exported.modelJson);
  t.deepEqual(json.userDefinedMetadata.axc, { threshold: 0.5, quality: { metric: 'abs', bound: 0.1 } });
  json.userDefinedMetadata.axc.threshold = 0.25;
  writeFileSync(join(dir, 'model.json'), JSON.stringify(json, null, 1));
  const fromMeta = readLayersModel(join(dir, 'model.json')).model!;
  t.deepEqual(fromMeta.predictor?.output.decision.kind === 'sigmoid' && fromMeta.predictor.output.decision.threshold, 0.25);
  const fromOption = readLayersModel(join(dir, 'model.json'), { threshold: 0.75 }).model!;
  t.deepEqual(fromOption.predictor?.output.decision.kind === 'sigmoid' && fromOption.predictor.output.decision.threshold, 0.75);
  json.userDefinedMetadata.axc.benchmark = 'sobol';
  const text = JSON.stringify(json, null, 1);
  writeFileSync(join(dir, 'model.json'), text);
  const bad = readLayersModel(join(dir, 'model.json'));
  t.is(bad.model, null);
  t.is(bad.diagnostics.length, 1);
  t.regex(bad.diagnostics[0].message, /'sobol' is not a known benchmark/);
  const line = text.slice(0, text.indexOf('"sobol"')).split('\n').length;
  t.is(bad.diagnostics[0].loc?.line, line);
});
