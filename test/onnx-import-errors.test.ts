// The ONNX importer's refusals: malformed or off-pattern .onnx files, one rule each, with the exact message
// (code and words) readOnnxModel gives, never a throw; and through the CLI, one line and exit 1.

import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { formatDiagnostic } from '../diagnostics/diagnostic.ts';
import { readOnnxModel } from '../frontend/onnx/read-onnx.ts';
import type { onnx } from '../frontend/onnx/onnx-schema.ts';
import { buildAxNetOnnx, encodeModel, floatAttr, valueInfo, writeModel, type OnnxSpec } from './support/onnx-builder.ts';
import { runAxcAsync } from './support/run-axc.ts';

const dir = mkdtempSync(join(tmpdir(), 'axc-onnx-errors-'));
test.after.always(() => rmSync(dir, { recursive: true, force: true }));

/** A small gated AXNet: h1 (relu, gated by a linear control), out; predictor p1; pout cut by Slice into [c1, decision]. */
const BASE: OnnxSpec = { seed: 1, inputWidth: 3, approx: [{ width: 2, act: 'relu', control: 'linear' }, { width: 1, act: 'linear' }], predictor: { hidden: [{ width: 3, act: 'relu' }], decision: 'softmax', cut: 'slice-init' } };

type Graph = onnx.IGraphProto & { node: onnx.INodeProto[]; initializer: onnx.ITensorProto[]; input: onnx.IValueInfoProto[]; output: onnx.IValueInfoProto[] };

const nodeNamed = (g: Graph, name: string) => g.node.find((n) => n.name === name)!;
const initNamed = (g: Graph, name: string) => g.initializer.find((t) => t.name === name)!;

/** BASE (or `spec`) written as `file` after `edit` changed its ModelProto; returns the path. */
function variant(file: string, edit: (g: Graph, m: onnx.IModelProto) => void, spec: OnnxSpec = BASE): string {
  const { model, b } = buildAxNetOnnx(spec, `${file}.data`);
  edit(model.graph as Graph, model);
  return writeModel(dir, file, model, b);
}

/** BASE's pout (4 rows: c1, then the decision's 2) given `rows` rows of zero weights. */
function widenPout(g: Graph, rows: number): void {
  const w = initNamed(g, 'pout.weight');
  w.dims = [rows, 3];
  w.rawData = new Uint8Array(rows * 3 * 4);
  const b = initNamed(g, 'pout.bias');
  b.dims = [rows];
  b.rawData = new Uint8Array(rows * 4);
}

function raw(file: string, bytes: Uint8Array | string): string {
  const path = join(dir, file);
  writeFileSync(path, bytes);
  return path;
}

/** Each case: the file, and the diagnostics expected, without the `file: ` prefix. */
const CASES: { rule: string; file: () => string; expected: string[] }[] = [
  { rule: 'an empty file', file: () => raw('empty.onnx', ''), expected: ['error: not an ONNX model: the file is empty [AXO001]'] },
  {
    rule: 'a text file',
    file: () => raw('text.onnx', 'model m\ninput 3\n'),
    expected: ['error: not an ONNX model: this is an .axn model; an ONNX model is a binary protobuf ModelProto (torch.onnx.export writes one) [AXO001]'],
  },
  {
    rule: 'bytes that are no protobuf',
    file: () => raw('garbage.onnx', new Uint8Array([0x0f, 0xff, 0x00, 0x01, 0x02, 0x03])),
    expected: ['error: not an ONNX model: the file does not decode as an ONNX ModelProto (protobuf: index out of range: 4 + 8 > 6) [AXO001]'],
  },
  { rule: 'no graph', file: () => raw('nograph.onnx', encodeModel({ irVersion: 8, opsetImport: [{ domain: '', version: 13 }] })), expected: ['error: the ONNX model has no graph (ModelProto.graph is missing) [AXO002]'] },
  {
    rule: 'an operator of another domain',
    file: () => variant('domain.onnx', (g) => (nodeNamed(g, '/h1act/Relu').domain = 'com.microsoft')),
    expected: ["error: Relu node '/h1act/Relu' is in domain 'com.microsoft'; axc reads operators of the default ONNX domain (ai.onnx) only [AXO003]"],
  },
  {
    rule: 'an operator outside the pattern',
    file: () => variant('conv.onnx', (g) => (nodeNamed(g, '/h1act/Relu').opType = 'LeakyRelu')),
    expected: [
      "error: LeakyRelu node '/h1act/Relu' is not part of what axc reads: an AXNet model holds Gemm, MatMul, Add (a bias), Relu, Sigmoid, Tanh, Mul (a gate), Slice, Split and Softmax nodes, and Identity, Flatten, Dropout and Constant nodes that pass values through [AXO006]",
    ],
  },
  {
    rule: 'two graph inputs',
    file: () => variant('inputs.onnx', (g) => g.input.push(valueInfo('extra', ['batch', 2]))),
    expected: ["error: not an AXNet model: the graph has 2 inputs ('input', 'extra'); an AXNet model has exactly one input vector (initializers listed as graph inputs do not count) [AXO004]"],
  },
  {
    rule: 'an input that is not [batch, N]',
    file: () => variant('shape.onnx', (g) => (g.input[0] = valueInfo('input', ['batch', 3, 'k']))),
    expected: ["error: graph input 'input' has shape [batch, 3, k]; an AXNet input is a flat vector, shape [batch, N] with N a known positive number [AXO005]"],
  },
  {
    rule: 'Gemm with alpha other than 1',
    file: () => variant('alpha.onnx', (g) => (nodeNamed(g, '/h1/Gemm').attribute = [floatAttr('alpha', 0.5), { name: 'transB', type: 2, i: 1 }])),
    expected: ["error: Gemm node '/h1/Gemm' has alpha = 0.5; an AXNet dense layer is Gemm(X, W, C) with transA = 0, alpha = 1 and beta = 1 (transB 0 or 1) [AXO007]"],
  },
  {
    rule: 'a Slice with step 2',
    file: () => variant('step.onnx', (g) => (initNamed(g, 'slice0.steps').rawData = new Uint8Array([2, 0, 0, 0, 0, 0, 0, 0]))),
    expected: ["error: Slice node '/Slice_0' has steps [2]; a control segment or the decision is a contiguous row range (steps [1]) [AXO008]"],
  },
  {
    rule: 'predictor rows that reach nothing',
    // pout gets a fifth row; the decision's slice (rows -2 to the end) now starts at row 3, so row 2 feeds nothing.
    file: () => variant('gap.onnx', (g) => widenPout(g, 5)),
    expected: ["error: rows [2, 3) of the predictor output computed by Gemm node '/pout/Gemm' reach neither a control gate nor the decision; its rows are cut exactly into [control segments..., decision] [AXO009]"],
  },
  {
    rule: 'predictor rows used twice',
    // pout loses a row: the control takes rows [0, 2), the decision rows [1, 3).
    file: () => variant('overlap.onnx', (g) => widenPout(g, 3)),
    expected: ["error: rows [1, 2) of the predictor output computed by Gemm node '/pout/Gemm' are used by two segments; its rows are cut exactly into [control segments..., decision] [AXO009]"],
  },
  {
    rule: 'a Softmax over 3 logits',
    // The decision slice starts one row earlier: rows [1, 4) of pout.
    file: () => variant('logits3.onnx', (g) => (initNamed(g, 'slice1.starts').rawData = new Uint8Array([0xfd, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]))),
    expected: ["error: Softmax node '/Softmax' (graph output 1) runs over 3 logits; the decision is a Softmax over 2 logits or a Sigmoid over 1 logit [AXO022]"],
  },
  {
    rule: 'weights of another data type',
    file: () => variant('double.onnx', (g) => (initNamed(g, 'h1.weight').dataType = 11)),
    expected: ["error: initializer 'h1.weight' (the weights of Gemm node '/h1/Gemm') has data type DOUBLE; expected FLOAT (float32) [AXO010]"],
  },
  {
    rule: 'a NaN weight',
    file: () => variant('nan.onnx', (g) => new DataView(initNamed(g, 'out.weight').rawData!.buffer).setFloat32(4, NaN, true)),
    expected: ["error: initializer 'out.weight' (the weights of Gemm node '/out/Gemm') holds NaN at element 1; weights must be finite float32 values [AXO011]"],
  },
  {
    rule: 'raw_data shorter than the dims',
    file: () => variant('short.onnx', (g) => (initNamed(g, 'p1.bias').rawData = initNamed(g, 'p1.bias').rawData!.subarray(0, 8))),
    expected: ["error: initializer 'p1.bias' has dims [3]: that is 3 values (12 bytes), but raw_data holds 8 bytes [AXO012]"],
  },
  {
    rule: 'external data outside the model directory',
    file: () => variant('escape.onnx', (g) => (initNamed(g, 'h1.weight').externalData![0].value = '../escape.onnx.data'), { ...BASE, store: 'external' }),
    expected: ["error: initializer 'h1.weight' is stored in external file '../escape.onnx.data', which axc does not read: it lies outside the model's directory [AXO013]"],
  },
  {
    rule: 'an external data file cut short',
    file: () => {
      const path = variant('cut.onnx', () => {}, { ...BASE, store: 'external' });
      writeFileSync(`${path}.data`, new Uint8Array(40));
      return path;
    },
    // One message per file, for the first tensor read past its end (the approximator's are read first).
    expected: ["error: the external data of initializer 'h1.weight' in 'cut.onnx.data' is cut short: it needs bytes 112 to 136, but the file holds 40 bytes [AXO013]"],
  },
  {
    rule: 'a missing initializer',
    file: () => variant('missing.onnx', (g) => g.initializer.splice(g.initializer.indexOf(initNamed(g, 'p1.weight')), 1)),
    expected: ["error: Gemm node '/p1/Gemm' reads tensor 'p1.weight', which is no graph input, initializer or node output [AXO017]"],
  },
  {
    rule: 'a weight of the wrong shape',
    file: () =>
      variant('wshape.onnx', (g) => {
        const w = initNamed(g, 'h1.weight');
        w.dims = [2, 4];
        w.rawData = new Uint8Array(32);
      }),
    expected: ["error: initializer 'h1.weight' of Gemm node '/h1/Gemm' has dims [2, 4], expected [2, 3] (Gemm with transB = 1: W is [out, in]; its input 'input' has 3 values) [AXO015]"],
  },
  {
    rule: 'outputs in the wrong order',
    file: () => variant('order.onnx', (g) => g.output.reverse()),
    expected: [
      "error: graph output 0 'decision' has the shape of a decision and output 1 'output' does not; axc takes the outputs by position: output 0 is the approximator H(x) and output 1 the decision P(x). Export the model with outputs (H, P) [AXO023]",
    ],
  },
  {
    rule: 'a gate in a model with one output',
    file: () => variant('mlpgate.onnx', (g) => g.output.pop()),
    expected: ["error: Mul node '/gate1/Mul' gates the approximator, but the graph has one output and so no predictor; a gated AXNet model has two outputs [H(x), P(x)] [AXO021]"],
  },
  {
    rule: 'a Dropout in training mode',
    file: () =>
      variant('dropout.onnx', (g) => {
        const d = g.node.find((n) => n.opType === 'Dropout')!;
        const c = g.node.find((n) => n.output![0] === d.input![2])!;
        c.attribute![0].t!.rawData = new Uint8Array([1]);
      }, { ...BASE, passThrough: true }),
    expected: ["error: Dropout node '/dropout/Dropout_0' has training_mode true; axc passes a Dropout through only in inference mode (no training_mode input, or a constant false one) with its mask output unused [AXO007]"],
  },
  {
    rule: 'a node off the pattern',
    file: () =>
      variant('unused.onnx', (g) => {
        g.node.push({ opType: 'Relu', input: [nodeNamed(g, '/p1/Gemm').output![0]], output: ['dangling'], name: 'stray' });
      }),
    expected: ["error: Relu node 'stray' is not part of the AXNet pattern: it is not on the approximator, predictor, control or decision path to the outputs [AXO019]"],
  },
  {
    rule: 'metadata that is not AxcMetadata',
    file: () => variant('meta.onnx', () => {}, { ...BASE, metadata: { threshold: 2 } }),
    expected: ["error: metadata_props 'axc'.threshold: Too big: expected number to be <1 [AXO025]"],
  },
  {
    rule: 'Slice axes other than the feature axis',
    file: () => variant('axes.onnx', (g) => (initNamed(g, 'slice0.axes').rawData = new Uint8Array(8))),
    expected: ["error: Slice node '/Slice_0' slices axes [0]; a predictor output is cut along its feature axis only (axes [1] or [-1]) [AXO008]"],
  },
  {
    rule: 'an absolute external data path',
    file: () => variant('abs.onnx', (g) => (initNamed(g, 'h1.weight').externalData![0].value = '/etc/passwd'), { ...BASE, store: 'external' }),
    expected: ["error: initializer 'h1.weight' is stored in external file '/etc/passwd', which axc does not read: it is an absolute path; external data lies in files beside the model, named relative to the model's directory [AXO013]"],
  },
  {
    rule: 'a missing external data file',
    file: () => variant('gone.onnx', (g) => (initNamed(g, 'h1.weight').externalData![0].value = 'nothere.data'), { ...BASE, store: 'external' }),
    expected: [`error: cannot read the external data of initializer 'h1.weight' from 'nothere.data': no such file or directory (looked for ${join(dir, 'nothere.data')}) [AXO013]`],
  },
  {
    rule: 'a cycle',
    file: () => variant('cycle.onnx', (g) => (nodeNamed(g, '/p1/Gemm').input![0] = nodeNamed(g, '/pact1/Relu').output![0])),
    expected: ["error: Gemm node '/p1/Gemm' feeds itself through a cycle [AXO017]"],
  },
  {
    rule: 'a node with two roles',
    // The predictor's hidden layer reads the approximator's hidden layer instead of the input.
    file: () => variant('roles.onnx', (g) => (nodeNamed(g, '/p1/Gemm').input![0] = nodeNamed(g, '/h1act/Relu').output![0])),
    expected: ["error: Gemm node '/h1/Gemm' is used as a predictor hidden layer and as an approximator hidden layer; in an AXNet model each node has one role (its output feeds one place) [AXO018]"],
  },
  {
    rule: 'an Add that is no bias',
    file: () => variant('add.onnx', (g) => (nodeNamed(g, '/out/Add').input![0] = 'input'), { ...BASE, dense: 'matmul-add', inputWidth: 1 }),
    expected: [
      "error: Add node '/out/Add' adds the graph input 'input' and tensor '/out/MatMul_output_12' (computed by MatMul node '/out/MatMul'); axc reads an Add only as the bias of a MatMul: Add(MatMul(X, W), b) with b an initializer [AXO020]",
    ],
  },
  {
    rule: 'a control narrower than the layer it gates',
    // The control's slice ends at row 1: one value for a 2-wide layer, and row 1 of pout unused.
    file: () => variant('narrow.onnx', (g) => (initNamed(g, 'slice0.ends').rawData = new Uint8Array([1, 0, 0, 0, 0, 0, 0, 0]))),
    expected: [
      "error: control '/Slice/Slice_output_3' has 1 value but the layer it gates, 'h1' (through Mul node '/gate1/Mul'), has 2; a control vector is as wide as the layer it gates [AXO021]",
      "error: rows [1, 2) of the predictor output computed by Gemm node '/pout/Gemm' reach neither a control gate nor the decision; its rows are cut exactly into [control segments..., decision] [AXO009]",
    ],
  },
  {
    rule: 'a layer wider than the NPU allows',
    file: () => variant('wide.onnx', () => {}, { seed: 1, inputWidth: 2, approx: [{ width: 70_000, act: 'relu' }, { width: 1, act: 'linear' }] }),
    expected: ["error: imported model fails verification: layer 'h1' width is 70000; widths are integers in [1, 65535] [AXO026]"],
  },
];

for (const c of CASES) {
  test(`refused: ${c.rule}`, (t) => {
    const path = c.file();
    const r = readOnnxModel(path);
    t.is(r.model, null);
    t.deepEqual(r.diagnostics.map(formatDiagnostic), c.expected.map((e) => `${path}: ${e}`));
  });
}

test('refused: a threshold option outside (0, 1), as a usage error', (t) => {
  const r = readOnnxModel(variant('opt.onnx', () => {}), { threshold: 1.5 });
  t.is(r.model, null);
  t.deepEqual(r.diagnostics, [{ code: 'AXO024', severity: 'error', message: 'threshold must lie strictly between 0 and 1, got 1.5', usage: true }]);
});

test('the CLI: a bad .onnx exits 1 with one line naming the file, no stack trace, and writes nothing', async (t) => {
  const sub = join(dir, 'cli');
  mkdirSync(sub);
  const bad = [raw('cli/empty.onnx', ''), variant('cli/alpha.onnx', (g) => (nodeNamed(g, '/out/Gemm').attribute = [floatAttr('alpha', 2), { name: 'transB', type: 2, i: 1 }]))];
  const patterns = [/^.*empty\.onnx: error: not an ONNX model: the file is empty \[AXO001\]$/, /^.*alpha\.onnx: error: Gemm node '\/out\/Gemm' has alpha = 2; .* \[AXO007\]$/];
  await Promise.all(
    bad.map(async (file, i) => {
      const out = join(sub, `out${i}.bin`);
      const r = await runAxcAsync(['compile', file, '-o', out]);
      t.is(r.status, 1);
      const lines = r.stderr.trim().split('\n');
      t.is(lines.length, 1, r.stderr);
      t.regex(lines[0], patterns[i]);
      t.notRegex(r.stderr, /\n\s+at /);
      t.false(existsSync(out));
    }),
  );
});
