// The ONNX importer's refusals: malformed or off-pattern .onnx files, one rule each, with the exact message
// (code and words) readOnnxModel gives, never a throw; and through the CLI, one line and exit 1.

import { existsSync, mkdirSync, mkdtempSync, realpathSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { formatDiagnostic } from '../diagnostics/diagnostic.ts';
import { readOnnxModel } from '../frontend/onnx/read-onnx.ts';
import type { onnx } from '../frontend/onnx/onnx-schema.ts';
import { buildAxNetOnnx, encodeModel, floatAttr, intAttr, intsAttr, valueInfo, writeModel, type OnnxSpec } from './support/onnx-builder.ts';
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

/** BASE with its predictor output cut by Split (sizes as the second input, opset 13) rather than Slice. */
const SPLIT: OnnxSpec = { ...BASE, predictor: { ...BASE.predictor!, cut: 'split-input' } };

/** Gives initializer `name` new dims and no data (the dims alone must be refused: nothing is read). */
function resize(g: Graph, name: string, dims: number[]): void {
  const t = initNamed(g, name);
  t.dims = dims;
  t.rawData = new Uint8Array(0);
}

function int32Bytes(values: number[]): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  values.forEach((v, i) => new DataView(out.buffer).setInt32(i * 4, v, true));
  return out;
}

/** A plain MLP, one MatMul layer `out` (weight 'onnx::MatMul_out', [in, out]) on a 2-wide input. */
const MATMUL_MLP: OnnxSpec = { seed: 1, inputWidth: 2, dense: 'matmul', approx: [{ width: 1, act: 'linear' }] };

/** A gated AXNet with separate heads whose stacked predictor output is 8193 rows of 8192 weights, each head within
 *  the limits: h1 (8192, gated by head c1 [8192, 8192]), out; p1 8192 wide; a sigmoid decision head dec [1, 8192]. */
function stackedHeads(g: Graph): void {
  const wide = 8192;
  g.input[0] = valueInfo('input', ['batch', 3]);
  for (const [name, dims] of [
    ['p1.weight', [wide, 3]],
    ['p1.bias', [wide]],
    ['h1.weight', [wide, 3]],
    ['h1.bias', [wide]],
    ['c1.weight', [wide, wide]],
    ['c1.bias', [wide]],
    ['out.weight', [1, wide]],
    ['dec.weight', [1, wide]],
  ] as const)
    resize(g, name, [...dims]);
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
    // Matched from the output back: out's fan-in is the first width found beyond the limit.
    file: () => variant('wide.onnx', () => {}, { seed: 1, inputWidth: 2, approx: [{ width: 70_000, act: 'relu' }, { width: 1, act: 'linear' }] }),
    expected: ["error: initializer 'out.weight' of Gemm node '/out/Gemm' has dims [1, 70000]: a layer's width and fan-in are at most 65535 (the NPU's 16-bit length field) [AXO027]"],
  },
  // Opsets: the default domain once, at a version axc knows; each op's attributes and inputs as that opset defines them.
  {
    rule: 'an opset older than 7',
    file: () => variant('opset6.onnx', (_, m) => (m.opsetImport![0].version = 6)),
    expected: ['error: the model imports opset 6 of the default domain ai.onnx; axc reads opsets 7 to 21, the versions whose operator definitions it knows [AXO003]'],
  },
  {
    rule: 'an opset newer than 21',
    file: () => variant('opset22.onnx', (_, m) => (m.opsetImport![0].version = 22)),
    expected: ['error: the model imports opset 22 of the default domain ai.onnx; axc reads opsets 7 to 21, the versions whose operator definitions it knows [AXO003]'],
  },
  {
    rule: 'the default domain imported twice',
    file: () => variant('opset2.onnx', (_, m) => m.opsetImport!.push({ domain: 'ai.onnx', version: 11 })),
    expected: ["error: the model imports the default domain ai.onnx more than once (opset_import: '' version 13, 'ai.onnx' version 11); a model imports each domain once, else the version of its operators is ambiguous [AXO003]"],
  },
  {
    rule: 'Slice bounds as attributes at opset 13',
    file: () => variant('sliceattr.onnx', (g) => (nodeNamed(g, '/Slice_0').attribute = [intsAttr('starts', [0])])),
    expected: ["error: Slice node '/Slice_0' has attribute 'starts', which Slice does not have at opset 13: from opset 10, Slice takes starts, ends, axes and steps as inputs [AXO007]"],
  },
  {
    rule: 'Slice inputs before opset 10',
    file: () => variant('slice9.onnx', (g) => nodeNamed(g, '/Slice_0').input!.push('input'), { ...BASE, opset: 9, predictor: { ...BASE.predictor!, cut: 'slice-attr' } }),
    expected: ["error: Slice node '/Slice_0' has 2 inputs; expected 1 (before opset 10, Slice's starts, ends and axes are attributes) [AXO007]"],
  },
  {
    rule: "a 'split' attribute at opset 13",
    file: () => variant('splitattr.onnx', (g) => nodeNamed(g, '/Split').attribute!.push(intsAttr('split', [2, 2])), SPLIT),
    expected: ["error: Split node '/Split' has attribute 'split', which Split does not have at opset 13: from opset 13, Split takes its sizes as its second input [AXO007]"],
  },
  {
    rule: 'num_outputs before opset 18',
    file: () => variant('numout17.onnx', () => {}, { ...BASE, opset: 17, predictor: { ...BASE.predictor!, cut: 'split-num' } }),
    expected: ["error: Split node '/Split' has attribute 'num_outputs', which Split does not have at opset 17: Split has num_outputs from opset 18; before, it splits into as many equal parts as it has outputs [AXO007]"],
  },
  {
    rule: 'a Split without sizes at opset 13 over a width its outputs do not divide',
    file: () =>
      variant('uneven13.onnx', (g) => {
        widenPout(g, 5);
        nodeNamed(g, '/Split').input!.pop();
      }, SPLIT),
    expected: ["error: Split node '/Split' has no split sizes and 2 outputs, but cuts a 5-wide tensor; without sizes, Split at opset 13 cuts equal parts, so the width must divide evenly (give the sizes as its second input) [AXO008]"],
  },
  {
    rule: 'a Split without sizes at opset 11 over a width its outputs do not divide',
    file: () =>
      variant('uneven11.onnx', (g) => {
        widenPout(g, 5);
        nodeNamed(g, '/Split').attribute = [intAttr('axis', 1)];
      }, { ...BASE, opset: 11, predictor: { ...BASE.predictor!, cut: 'split-attr' } }),
    expected: ["error: Split node '/Split' has no split sizes and 2 outputs, but cuts a 5-wide tensor; without sizes, Split at opset 11 cuts equal parts, so the width must divide evenly (give the sizes as the 'split' attribute) [AXO008]"],
  },
  {
    rule: 'a Split at opset 18 with neither sizes nor num_outputs',
    file: () => variant('neither18.onnx', (g) => (nodeNamed(g, '/Split').attribute = [intAttr('axis', 1)]), { ...BASE, opset: 18, predictor: { ...BASE.predictor!, cut: 'split-num' } }),
    expected: ["error: Split node '/Split' has neither a split sizes input nor num_outputs; from opset 18, Split is given one of them [AXO008]"],
  },
  {
    rule: 'a Split at opset 18 with both sizes and num_outputs',
    file: () => variant('both18.onnx', (g) => nodeNamed(g, '/Split').attribute!.push(intAttr('num_outputs', 2)), { ...SPLIT, opset: 18 }),
    expected: ["error: Split node '/Split' has both split sizes and num_outputs = 2; ONNX's Split takes one or the other [AXO008]"],
  },
  {
    rule: 'Split sizes of type INT32',
    file: () =>
      variant('split32.onnx', (g) => {
        const t = initNamed(g, 'split_sizes');
        t.dataType = 6;
        t.rawData = int32Bytes([2, 2]);
      }, SPLIT),
    expected: ["error: initializer 'split_sizes' (the split sizes of Split node '/Split') has data type INT32; expected INT64 (ONNX gives Split its sizes as int64) [AXO010]"],
  },
  {
    rule: 'Slice bounds of two integer types',
    file: () =>
      variant('slicemixed.onnx', (g) => {
        const t = initNamed(g, 'slice1.ends');
        t.dataType = 6;
        t.rawData = int32Bytes([2 ** 31 - 1]);
      }),
    expected: ["error: initializer 'slice1.ends' (the ends of Slice node '/Slice_1') has data type INT32; expected INT64, the type of its starts (ONNX's Slice takes its starts, ends, axes and steps of one type) [AXO010]"],
  },
  {
    rule: 'a Gemm without a bias before opset 11',
    file: () => variant('gemm9.onnx', (g) => nodeNamed(g, '/h1/Gemm').input!.pop(), { ...BASE, opset: 9, predictor: { ...BASE.predictor!, cut: 'slice-attr' } }),
    expected: ["error: Gemm node '/h1/Gemm' has 2 inputs; expected 3 (X, W and the bias C, which Gemm requires before opset 11) [AXO007]"],
  },
  {
    rule: "Dropout's ratio as an attribute at opset 13",
    file: () => variant('ratio.onnx', (g) => (g.node.find((n) => n.opType === 'Dropout')!.attribute = [floatAttr('ratio', 0.5)]), { ...BASE, passThrough: true }),
    expected: ["error: Dropout node '/dropout/Dropout_0' has attribute 'ratio', which Dropout does not have at opset 13: from opset 12, Dropout takes its ratio as its second input [AXO007]"],
  },
  // Sizes: every width is checked against the NPU's limits before anything is allocated or read for it.
  {
    rule: 'a weight of dims [2, 1e12] without data',
    file: () => variant('huge.onnx', (g) => resize(g, 'onnx::MatMul_out', [2, 1e12]), MATMUL_MLP),
    expected: ["error: initializer 'onnx::MatMul_out' of MatMul node '/out/MatMul' has dims [2, 1000000000000]: a layer's width and fan-in are at most 65535 (the NPU's 16-bit length field) [AXO027]"],
  },
  {
    rule: 'a weight of dims [2, 3e8] without data',
    file: () => variant('huge2.onnx', (g) => resize(g, 'onnx::MatMul_out', [2, 3e8]), MATMUL_MLP),
    expected: ["error: initializer 'onnx::MatMul_out' of MatMul node '/out/MatMul' has dims [2, 300000000]: a layer's width and fan-in are at most 65535 (the NPU's 16-bit length field) [AXO027]"],
  },
  {
    rule: 'a weight matrix of more weights than a layer holds',
    file: () => variant('square.onnx', (g) => resize(g, 'onnx::MatMul_out', [8193, 8193]), MATMUL_MLP),
    expected: ["error: initializer 'onnx::MatMul_out' of MatMul node '/out/MatMul' has dims [8193, 8193]: that is 67125249 weights; a layer holds at most 67108864 (width × fan-in) [AXO027]"],
  },
  {
    rule: 'separate heads each within the limits, stacked beyond them',
    file: () => variant('stacked.onnx', stackedHeads, { seed: 1, inputWidth: 3, approx: [{ width: 2, act: 'relu', control: 'linear' }, { width: 1, act: 'linear' }], predictor: { hidden: [{ width: 3, act: 'relu' }], decision: 'sigmoid', cut: 'heads' } }),
    expected: ["error: the predictor's output layer, stacked from Gemm node '/c1/Gemm', Gemm node '/dec/Gemm', has 8193 rows of 8192 weights: that is 67117056 weights; a layer holds at most 67108864 (width × fan-in) [AXO027]"],
  },
  {
    rule: 'Slice bounds whose dims say 1e9 values, stored externally',
    file: () =>
      variant('bounds.onnx', (g) => {
        const t = initNamed(g, 'slice1.starts');
        Object.assign(t, { dims: [1e9], rawData: new Uint8Array(0), dataLocation: 1, externalData: [{ key: 'location', value: 'bounds.onnx.data' }] });
      }, { ...BASE, store: 'external' }),
    expected: ["error: initializer 'slice1.starts' has dims [1000000000]: that is 1000000000 values, more than the 65535 axc reads for the starts of Slice node '/Slice_1' [AXO012]"],
  },
  {
    rule: 'external data that is a directory',
    file: () => {
      mkdirSync(join(dir, 'adir'));
      return variant('adir.onnx', (g) => (initNamed(g, 'h1.weight').externalData![0].value = 'adir'), { ...BASE, store: 'external' });
    },
    expected: [`error: cannot read the external data of initializer 'h1.weight' from 'adir': it is not a regular file (looked for ${join(dir, 'adir')}) [AXO013]`],
  },
  {
    rule: 'external data through a symbolic link that leaves the directory',
    // m.onnx.data beside the model is a link to ../outside.data: inside as written, outside once resolved.
    file: () => {
      const sub = join(dir, 'linked');
      mkdirSync(sub);
      const { model, b } = buildAxNetOnnx({ ...BASE, store: 'external' }, 'm.onnx.data');
      const path = writeModel(sub, 'm.onnx', model, b);
      renameSync(join(sub, 'm.onnx.data'), join(dir, 'outside.data'));
      symlinkSync('../outside.data', join(sub, 'm.onnx.data'));
      return path;
    },
    expected: [`error: initializer 'h1.weight' is stored in external file 'm.onnx.data', which axc does not read: it resolves, through a symbolic link, to '${join(realpathSync(dir), 'outside.data')}', outside the model's directory [AXO013]`],
  },
  {
    rule: "a metadata benchmark whose widths are not the model's",
    file: () => variant('bench.onnx', () => {}, { seed: 1, inputWidth: 4, approx: [{ width: 3, act: 'relu' }, { width: 2, act: 'linear' }], metadata: { benchmark: 'sobel' } }),
    expected: ["error: metadata_props 'axc' benchmark: 'sobel' maps 9 inputs to 1 output, but the model maps 4 to 2; its exact function computes the samples the model rejects [AXO025]"],
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
