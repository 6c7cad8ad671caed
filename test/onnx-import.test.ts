// The ONNX importer against onnxruntime: AXNet models written as torch.onnx.export writes them (every spelling
// the importer reads: Gemm transB 0/1, MatMul+Add, MatMul, Slice by Constant nodes, initializers or attributes,
// Split by input, attribute or num_outputs, separate heads, Softmax/Sigmoid decisions, pass-through nodes, raw,
// float_data and external weights) run in onnxruntime-node; axc imports, compiles and simulates them through the
// CLI, and P(x) on every row, H(x) on the invoked rows and H(x) on every row under --invoke all must agree
// within 1e-5 of the row's largest onnxruntime output.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { compileModel } from '../compiler/pipeline.ts';
import { formatDiagnostic } from '../diagnostics/diagnostic.ts';
import { readOnnxModel } from '../frontend/onnx/read-onnx.ts';
import type { AxModel } from '../ir/model.ts';
import { SeededRandom } from '../ir/seeded-random.ts';
import { packBinary } from '../isa/container.ts';
import { writeAxNetOnnx, type OnnxSpec } from './support/onnx-builder.ts';
import { runAxcAsync } from './support/run-axc.ts';
import type * as Ort from 'onnxruntime-common';

/** onnxruntime-node is onnxruntime-common's API with the native backend registered; 1.16.3 ships no typings. */
const ort = createRequire(import.meta.url)('onnxruntime-node') as typeof Ort;

const ROWS = 64;
const TOLERANCE = 1e-5;

const dir = mkdtempSync(join(tmpdir(), 'axc-onnx-import-'));
test.after.always(() => rmSync(dir, { recursive: true, force: true }));

const gatedNet = (control: OnnxSpec['approx'][number]['control'] = 'linear'): OnnxSpec['approx'] => [
  { width: 6, act: 'relu', control },
  { width: 3, act: 'linear' },
];

/** Each variant is one way torch (or a hand-written exporter) spells the same kind of AXNet. */
const VARIANTS: { label: string; spec: OnnxSpec; threshold?: number; safeIndex?: 0 | 1 }[] = [
  { label: 'Gemm transB=1, Slice by Constant nodes, softmax, linear control', spec: { seed: 1, inputWidth: 5, approx: gatedNet('linear'), predictor: { hidden: [{ width: 7, act: 'relu' }], decision: 'softmax', cut: 'slice-const' } } },
  {
    label: 'Gemm transB=0, Slice by initializers (negative start, INT64_MAX end), sigmoid decision, sigmoid control',
    spec: { seed: 2, inputWidth: 4, dense: 'gemm', approx: gatedNet('sigmoid'), predictor: { hidden: [{ width: 5, act: 'tanh' }], decision: 'sigmoid', cut: 'slice-init' } },
  },
  { label: 'MatMul+Add, Split by input sizes (opset 13), tanh control', spec: { seed: 3, inputWidth: 6, dense: 'matmul-add', approx: gatedNet('tanh'), predictor: { hidden: [{ width: 6, act: 'relu' }], decision: 'softmax', cut: 'split-input' } } },
  { label: 'MatMul without bias, Slice attributes (opset 9), relu control', spec: { seed: 20, inputWidth: 3, opset: 9, dense: 'matmul', approx: gatedNet('relu'), predictor: { hidden: [{ width: 4, act: 'sigmoid' }], decision: 'sigmoid', cut: 'slice-attr' } } },
  { label: 'Split attribute (opset 11), Softmax with the default axis', spec: { seed: 5, inputWidth: 5, opset: 11, approx: gatedNet('sigmoid'), predictor: { hidden: [{ width: 5, act: 'relu' }], decision: 'softmax', cut: 'split-attr' } } },
  {
    label: 'Split by num_outputs (opset 18)',
    spec: { seed: 6, inputWidth: 4, opset: 18, approx: [{ width: 2, act: 'tanh', control: 'sigmoid' }, { width: 2, act: 'linear' }], predictor: { hidden: [{ width: 4, act: 'relu' }], decision: 'softmax', cut: 'split-num' } },
  },
  {
    label: 'separate heads, softmax, two gated layers (relu and sigmoid controls)',
    spec: { seed: 7, inputWidth: 6, approx: [{ width: 5, act: 'relu', control: 'relu' }, { width: 4, act: 'sigmoid', control: 'sigmoid' }, { width: 2, act: 'linear' }], predictor: { hidden: [{ width: 6, act: 'relu' }], decision: 'softmax', cut: 'heads' } },
  },
  { label: 'separate heads on the input (no predictor hidden layer), sigmoid decision', spec: { seed: 8, inputWidth: 4, approx: gatedNet('sigmoid'), predictor: { hidden: [], decision: 'sigmoid', cut: 'heads' } } },
  { label: 'Slice of an output layer on the input (no predictor hidden layer), Mul(control, hidden)', spec: { seed: 9, inputWidth: 4, approx: gatedNet('tanh'), predictor: { hidden: [], decision: 'softmax', cut: 'slice-const', controlFirst: true } } },
  {
    label: 'segments cut in another order than the IR (decision first, controls reversed)',
    spec: { seed: 10, inputWidth: 5, approx: [{ width: 3, act: 'relu', control: 'linear' }, { width: 4, act: 'tanh', control: 'sigmoid' }, { width: 2, act: 'linear' }], predictor: { hidden: [{ width: 6, act: 'relu' }], decision: 'softmax', cut: 'slice-init', reversed: true, plainControlNames: true } },
  },
  { label: 'Identity, Flatten and Dropout (inference) in the chains', spec: { seed: 26, inputWidth: 5, passThrough: true, approx: gatedNet('sigmoid'), predictor: { hidden: [{ width: 5, act: 'relu' }, { width: 4, act: 'tanh' }], decision: 'softmax', cut: 'slice-const' } } },
  { label: 'plain MLP (one output), float_data weights', spec: { seed: 12, inputWidth: 6, store: 'float', approx: [{ width: 8, act: 'tanh' }, { width: 5, act: 'sigmoid' }, { width: 3, act: 'linear' }] } },
  { label: 'float_data weights and int64_data Slice bounds', spec: { seed: 22, inputWidth: 4, store: 'float', approx: gatedNet('relu'), predictor: { hidden: [{ width: 4, act: 'relu' }], decision: 'sigmoid', cut: 'slice-init' } } },
  { label: 'external data beside the model', spec: { seed: 14, inputWidth: 5, store: 'external', approx: gatedNet('linear'), predictor: { hidden: [{ width: 5, act: 'relu' }], decision: 'softmax', cut: 'split-input' } } },
  {
    label: 'metadata threshold 0.3 and safe index 0',
    spec: { seed: 29, inputWidth: 5, approx: gatedNet('linear'), predictor: { hidden: [{ width: 5, act: 'relu' }], decision: 'softmax', cut: 'slice-const' }, metadata: { threshold: 0.3, safeIndex: 0 } },
  },
  { label: 'options win over metadata (threshold 0.7, safe index 1)', threshold: 0.7, safeIndex: 1, spec: { seed: 16, inputWidth: 4, approx: gatedNet('relu'), predictor: { hidden: [{ width: 4, act: 'relu' }], decision: 'softmax', cut: 'heads' }, metadata: { threshold: 0.3, safeIndex: 0 } } },
];

function randomRows(seed: number, width: number): Float32Array {
  const rng = new SeededRandom(seed);
  return Float32Array.from({ length: ROWS * width }, () => Math.fround(rng.uniform(-1.5, 1.5)));
}

/** onnxruntime's outputs, by graph output position. */
async function runOrt(path: string, x: Float32Array, width: number): Promise<Float32Array[]> {
  const session = await ort.InferenceSession.create(path);
  const out = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', x, [ROWS, width]) });
  return session.outputNames.map((n) => out[n].data as Float32Array);
}

function readCsv(file: string): { header: string[]; rows: string[][] } {
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  return { header: lines[0].split(','), rows: lines.slice(1).map((l) => l.split(',')) };
}

/** |a - b| within the tolerance scaled by the row's largest onnxruntime output. */
function close(a: number, b: number, scale: number): boolean {
  return Math.abs(a - b) <= TOLERANCE * Math.max(1, scale);
}

VARIANTS.forEach((v, k) => {
  test(`onnxruntime = axc import + compile + sim: ${v.label}`, async (t) => {
    const file = `v${k}.onnx`;
    const path = writeAxNetOnnx(v.spec, dir, file);
    const read = readOnnxModel(path, { threshold: v.threshold, safeIndex: v.safeIndex });
    t.deepEqual(read.diagnostics.map(formatDiagnostic), []);
    const model = read.model as AxModel;
    t.truthy(model);
    t.is(model.predictor === null, v.spec.predictor === undefined);
    if (v.spec.store === 'external') t.deepEqual(read.externalFiles, [join(dir, `${file}.data`)]);

    const n = v.spec.inputWidth;
    const x = randomRows(100 + k, n);
    const bin = join(dir, `v${k}.bin`);
    writeFileSync(bin, packBinary(compileModel(model)));
    const xFile = join(dir, `v${k}.x`);
    writeFileSync(xFile, Array.from({ length: ROWS }, (_, r) => Array.from(x.subarray(r * n, (r + 1) * n), String).join(' ')).join('\n') + '\n');
    const [ort0, sims] = await Promise.all([
      runOrt(path, x, n),
      Promise.all(
        ['model', 'all'].map(async (mode) => {
          const csv = join(dir, `v${k}.${mode}.csv`);
          const r = await runAxcAsync(['sim', bin, '-i', xFile, '-o', csv, '-q', '--invoke', mode]);
          t.is(r.status, 0, r.stderr);
          return readCsv(csv);
        }),
      ),
    ]);
    const [h, d] = ort0;
    const m = model.outputWidth;
    const [byModel, byAll] = sims;
    const kind = model.predictor?.output.decision;
    const threshold = kind?.threshold ?? 0.5;
    const safe = kind?.kind === 'softmax' ? kind.safeIndex : 0;
    const pCol = byModel.header.indexOf('p');
    const invCol = byModel.header.indexOf('invoked');
    let invoked = 0;
    for (let r = 0; r < ROWS; r++) {
      const hx = h.subarray(r * m, (r + 1) * m);
      const dw = d ? d.length / ROWS : 0;
      const px = d ? d[r * dw + safe] : 1;
      const scale = Math.max(...Array.from(hx, Math.abs), d ? Math.abs(px) : 0);
      const row = byModel.rows[r];
      if (d) {
        t.true(close(Number(row[pCol]), px, scale), `row ${r}: P(x) ${row[pCol]} vs onnxruntime ${px}`);
        // Away from the cut, the decision must be the one onnxruntime's P(x) implies.
        if (Math.abs(px - threshold) > 1e-4) t.is(row[invCol], px > threshold ? '1' : '0', `row ${r}: P(x) ${px}, threshold ${threshold}`);
      } else t.is(row[invCol], '1');
      if (row[invCol] === '1') {
        invoked++;
        for (let j = 0; j < m; j++) t.true(close(Number(row[j]), hx[j], scale), `row ${r} y${j}: ${row[j]} vs onnxruntime ${hx[j]}`);
      }
      for (let j = 0; j < m; j++) t.true(close(Number(byAll.rows[r][j]), hx[j], scale), `--invoke all, row ${r} y${j}: ${byAll.rows[r][j]} vs onnxruntime ${hx[j]}`);
    }
    t.log(`${invoked} of ${ROWS} rows invoked`);
  });
});

test('names: torch parameter names give the layers, plain control tensors the segments, main_graph the file name', (t) => {
  const spec: OnnxSpec = { seed: 20, inputWidth: 4, approx: [{ width: 3, act: 'relu', control: 'linear' }, { width: 2, act: 'relu', control: 'sigmoid' }, { width: 1, act: 'linear' }], predictor: { hidden: [{ width: 4, act: 'relu' }], decision: 'sigmoid', cut: 'slice-const', plainControlNames: true } };
  const { model } = readOnnxModel(writeAxNetOnnx(spec, dir, 'my-net.onnx'));
  t.truthy(model);
  t.is(model!.name, 'my_net');
  t.deepEqual(
    model!.approximator.map((l) => [l.name, l.control]),
    [
      ['h1', 'c1'],
      ['h2', 'c2'],
      ['out', null],
    ],
  );
  t.deepEqual(model!.predictor!.hidden.map((l) => l.name), ['p1']);
  t.is(model!.predictor!.output.name, 'pout');
  // Torch's Slice outputs are no identifiers: the segments are named after the layer they gate's position; heads by their layer.
  const sliced = readOnnxModel(writeAxNetOnnx({ ...spec, graphName: 'Net', predictor: { ...spec.predictor!, plainControlNames: false } }, dir, 'n2.onnx')).model!;
  t.is(sliced.name, 'Net');
  t.deepEqual(sliced.predictor!.output.segments.map((s) => s.name), ['c1', 'c2']);
  const heads = readOnnxModel(writeAxNetOnnx({ ...spec, dense: 'matmul-add', predictor: { ...spec.predictor!, cut: 'heads', plainControlNames: false } }, dir, 'n3.onnx')).model!;
  t.deepEqual(heads.approximator.map((l) => l.name), ['_h1_MatMul', '_h2_MatMul', '_out_MatMul']);
  t.is(heads.predictor!.output.name, 'pout');
});
