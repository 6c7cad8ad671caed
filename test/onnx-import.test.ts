// The ONNX importer against onnxruntime: AXNet models written as torch.onnx.export writes them (every spelling
// the importer reads: Gemm transB 0/1, MatMul+Add, MatMul, Slice by Constant nodes, initializers or attributes,
// Split by input, attribute or num_outputs, separate heads, Softmax/Sigmoid decisions, pass-through nodes, raw,
// float_data and external weights) run in onnxruntime-node; axc imports and compiles them in-process (two also
// through `axc compile`), simulates them through the CLI, and P(x) on every row, H(x) on the invoked rows and
// H(x) on every row under --invoke all must agree within 1e-5 of the row's largest onnxruntime output (of the
// same graph output). The decision threshold and safe index are the ones each variant's spec sets.

import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
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
import { buildAxNetOnnx, ORT_SIGMOID_ABS, writeAxNetOnnx, writeModel, type OnnxSpec } from './support/onnx-builder.ts';
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

/** Each variant is one way torch (or a hand-written exporter) spells the same kind of AXNet. `threshold` and
 *  `safeIndex` are the importer's options; `expect` the decision the model must get (else threshold 0.5, safe
 *  index 1), written out rather than derived, so that an importer ignoring the metadata or the options fails.
 *  `cli`: also compiled by `axc compile`, whose binary must simulate to the same CSV. */
const VARIANTS: { label: string; spec: OnnxSpec; threshold?: number; safeIndex?: 0 | 1; expect?: { threshold: number; safeIndex: 0 | 1 }; cli?: true }[] = [
  { label: 'Gemm transB=1, Slice by Constant nodes, softmax, linear control', cli: true, spec: { seed: 1, inputWidth: 5, approx: gatedNet('linear'), predictor: { hidden: [{ width: 7, act: 'relu' }], decision: 'softmax', cut: 'slice-const' } } },
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
  { label: 'external data beside the model', cli: true, spec: { seed: 14, inputWidth: 5, store: 'external', approx: gatedNet('linear'), predictor: { hidden: [{ width: 5, act: 'relu' }], decision: 'softmax', cut: 'split-input' } } },
  {
    label: 'metadata threshold 0.3 and safe index 0',
    expect: { threshold: 0.3, safeIndex: 0 },
    spec: { seed: 29, inputWidth: 5, approx: gatedNet('linear'), predictor: { hidden: [{ width: 5, act: 'relu' }], decision: 'softmax', cut: 'slice-const' }, metadata: { threshold: 0.3, safeIndex: 0 } },
  },
  { label: 'options win over metadata (threshold 0.7, safe index 1)', threshold: 0.7, safeIndex: 1, expect: { threshold: 0.7, safeIndex: 1 }, spec: { seed: 16, inputWidth: 4, approx: gatedNet('relu'), predictor: { hidden: [{ width: 4, act: 'relu' }], decision: 'softmax', cut: 'heads' }, metadata: { threshold: 0.3, safeIndex: 0 } } },
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

function parseCsv(text: string): { header: string[]; rows: string[][] } {
  const lines = text.trim().split('\n');
  return { header: lines[0].split(','), rows: lines.slice(1).map((l) => l.split(',')) };
}

/** A comparison within 1e-5 of the row's largest reference output, max_j |ref_j| over the row of the same graph
 *  output (a row whose outputs are all exactly 0 is compared absolutely, within 1e-12); it keeps the largest
 *  difference seen, as a fraction of its tolerance, to show the margin. */
function comparer() {
  const c = {
    worst: 0,
    close(a: number, ref: number, rowMax: number, floor = 0): boolean {
      const tol = Math.max(floor, rowMax === 0 ? 1e-12 : TOLERANCE * rowMax);
      c.worst = Math.max(c.worst, Math.abs(a - ref) / tol);
      return Math.abs(a - ref) <= tol;
    },
  };
  return c;
}

const rowMax = (row: ArrayLike<number>) => Array.from(row).reduce((m, v) => Math.max(m, Math.abs(v)), 0);

/** The rows as `axc sim` reads them: one sample a line, values separated by spaces. */
function writeRows(file: string, x: Float32Array, width: number): void {
  writeFileSync(file, Array.from({ length: ROWS }, (_, r) => Array.from(x.subarray(r * width, (r + 1) * width), String).join(' ')).join('\n') + '\n');
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
    // The decision the spec sets: not read back from the imported model.
    const expected = v.expect ?? { threshold: 0.5, safeIndex: 1 };
    const kind = model.predictor?.output.decision;
    if (kind) t.deepEqual(kind, kind.kind === 'softmax' ? { kind: 'softmax', ...expected } : { kind: 'sigmoid', threshold: expected.threshold });
    const threshold = expected.threshold;
    const safe = v.spec.predictor?.decision === 'softmax' ? expected.safeIndex : 0;

    const n = v.spec.inputWidth;
    const x = randomRows(100 + k, n);
    const bin = join(dir, `v${k}.bin`);
    writeFileSync(bin, packBinary(compileModel(model)));
    const xFile = join(dir, `v${k}.x`);
    writeRows(xFile, x, n);
    const sim = async (binary: string, mode: string, csv: string) => {
      const r = await runAxcAsync(['sim', binary, '-i', xFile, '-o', csv, '-q', '--invoke', mode]);
      t.is(r.status, 0, r.stderr);
      return readFileSync(csv, 'utf8');
    };
    const cliCsv = async () => {
      // `axc compile model.onnx` (the built CLI), then the same simulation as the in-process binary.
      const cliBin = join(dir, `v${k}.cli.bin`);
      const c = await runAxcAsync(['compile', path, '-o', cliBin, ...(v.threshold !== undefined ? ['--threshold', String(v.threshold)] : []), ...(v.safeIndex !== undefined ? ['--safe-index', String(v.safeIndex)] : [])]);
      t.is(c.status, 0, c.stderr);
      return sim(cliBin, 'model', join(dir, `v${k}.cli.csv`));
    };
    const [ort0, byModelText, byAllText, viaCli] = await Promise.all([runOrt(path, x, n), sim(bin, 'model', join(dir, `v${k}.model.csv`)), sim(bin, 'all', join(dir, `v${k}.all.csv`)), v.cli ? cliCsv() : null]);
    if (viaCli !== null) t.is(viaCli, byModelText, 'axc compile model.onnx simulates to the same CSV as the in-process import');
    const [byModel, byAll] = [byModelText, byAllText].map(parseCsv);
    const [h, d] = ort0;
    const m = model.outputWidth;
    const pCol = byModel.header.indexOf('p');
    const invCol = byModel.header.indexOf('invoked');
    let invoked = 0;
    const cmp = comparer();
    const close = cmp.close;
    for (let r = 0; r < ROWS; r++) {
      const hx = h.subarray(r * m, (r + 1) * m);
      const hMax = rowMax(hx);
      const dw = d ? d.length / ROWS : 0;
      const px = d ? d[r * dw + safe] : 1;
      const row = byModel.rows[r];
      if (d) {
        t.true(close(Number(row[pCol]), px, rowMax(d.subarray(r * dw, (r + 1) * dw)), dw === 1 ? ORT_SIGMOID_ABS : 0), `row ${r}: P(x) ${row[pCol]} vs onnxruntime ${px}`);
        // Away from the cut, the decision must be the one onnxruntime's P(x) implies.
        if (Math.abs(px - threshold) > 1e-4) t.is(row[invCol], px > threshold ? '1' : '0', `row ${r}: P(x) ${px}, threshold ${threshold}`);
      } else t.is(row[invCol], '1');
      if (row[invCol] === '1') {
        invoked++;
        for (let j = 0; j < m; j++) t.true(close(Number(row[j]), hx[j], hMax), `row ${r} y${j}: ${row[j]} vs onnxruntime ${hx[j]}`);
      }
      for (let j = 0; j < m; j++) t.true(close(Number(byAll.rows[r][j]), hx[j], hMax), `--invoke all, row ${r} y${j}: ${byAll.rows[r][j]} vs onnxruntime ${hx[j]}`);
    }
    t.log(`${invoked} of ${ROWS} rows invoked; largest difference ${cmp.worst.toFixed(3)} of the tolerance`);
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

test('axc compile m.onnx -o <its external data file> is refused (exit 2), the data file unchanged', async (t) => {
  const spec: OnnxSpec = { seed: 31, inputWidth: 3, store: 'external', approx: gatedNet('relu'), predictor: { hidden: [], decision: 'sigmoid', cut: 'slice-init' } };
  const path = writeAxNetOnnx(spec, dir, 'guarded.onnx');
  const data = `${path}.data`;
  const before = readFileSync(data);
  const r = await runAxcAsync(['compile', path, '-o', data]);
  t.is(r.status, 2, r.stderr);
  t.regex(r.stderr, /the external data of '.*guarded\.onnx'/);
  t.true(readFileSync(data).equals(before), 'the external data file is unchanged');
});

test('accepted: opsets 7 and 21, Slice bounds of type INT32, external data through a link that stays in the directory', (t) => {
  const base: OnnxSpec = { seed: 33, inputWidth: 4, approx: gatedNet('sigmoid'), predictor: { hidden: [{ width: 3, act: 'relu' }], decision: 'softmax', cut: 'slice-init' } };
  const reference = readOnnxModel(writeAxNetOnnx(base, dir, 'ref.onnx')).model!;
  const same = (file: string, what: string) => {
    const r = readOnnxModel(file);
    t.deepEqual(r.diagnostics.map(formatDiagnostic), [], what);
    t.deepEqual(r.model && packBinary(compileModel({ ...r.model, name: reference.name, sourceFile: reference.sourceFile })), packBinary(compileModel(reference)), `${what}: the same program`);
  };
  same(writeAxNetOnnx({ ...base, opset: 7, predictor: { ...base.predictor!, cut: 'slice-attr' } }, dir, 'opset7.onnx'), 'opset 7, Slice attributes');
  same(writeAxNetOnnx({ ...base, opset: 21 }, dir, 'opset21.onnx'), 'opset 21');
  // Slice's starts, ends, axes and steps as INT32 (ONNX's Tind is int32 or int64; onnxruntime runs it).
  const { model: m32, b: b32 } = buildAxNetOnnx(base);
  for (const init of m32.graph!.initializer!.filter((i) => /^slice\d\./.test(i.name!))) {
    const v = Number(new DataView(init.rawData!.buffer, init.rawData!.byteOffset).getBigInt64(0, true));
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setInt32(0, Math.min(v, 2 ** 31 - 1), true);
    Object.assign(init, { dataType: 6, rawData: bytes });
  }
  same(writeModel(dir, 'int32.onnx', m32, b32), 'INT32 Slice bounds');
  // m.onnx.data is a link to data/weights.bin, in a folder beside the model: followed, it stays inside.
  const sub = join(dir, 'inner-link');
  mkdirSync(join(sub, 'data'), { recursive: true });
  const { model, b } = buildAxNetOnnx({ ...base, store: 'external' }, 'data/weights.bin');
  const path = writeModel(sub, 'm.onnx', model, b);
  const linked = join(sub, 'link.bin');
  symlinkSync('data/weights.bin', linked);
  for (const init of model.graph!.initializer!) for (const e of init.externalData ?? []) if (e.key === 'location') e.value = 'link.bin';
  writeModel(sub, 'm.onnx', model, b);
  same(path, 'external data through an inner link');
  t.deepEqual(readOnnxModel(path).externalFiles, [linked]);
});
