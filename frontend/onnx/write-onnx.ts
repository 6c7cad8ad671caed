// The ONNX writer: an AxModel -> ONNX ModelProto bytes (opset 13), in the torch-like pattern the ONNX
// importer recognises (frontend/onnx/README.md, "Writing"): Gemm per dense layer, Slice per split segment, Mul gates.

import type { z } from 'zod';
import type { AxcMetadataSchema } from '../layers-model/layers-model-schema.ts';
import { DATA_TYPE, onnxProto, type onnx as OnnxNamespace } from './onnx-schema.ts';
import { decisionOffset, decisionWidth, type Activation, type AxModel, type DenseLayer } from '../../ir/model.ts';

/** What the graph's layers cannot say, kept in metadata_props under `axc` (the same fields as a tfjs export's). */
export type AxcMetadata = z.infer<typeof AxcMetadataSchema>;

export const ONNX_IR_VERSION = 8;
export const ONNX_OPSET = 13;
/** The metadata_props key that holds AxcMetadata as JSON. */
export const AXC_METADATA_KEY = 'axc';

export interface ExportOnnxOptions {
  /** producer_version (axc's package version); omitted when absent. */
  producerVersion?: string;
}

const FLOAT = DATA_TYPE.FLOAT;
const INT64 = DATA_TYPE.INT64;
const ATTR_FLOAT = 1; // AttributeProto.AttributeType.FLOAT
const ATTR_INT = 2; // AttributeProto.AttributeType.INT

const ACTIVATION_OPS: Record<Exclude<Activation, 'linear'>, string> = { relu: 'Relu', sigmoid: 'Sigmoid', tanh: 'Tanh' };

/** Names handed out once each: model names exactly (reserved first), everything else made fresh from a base. */
class NameSet {
  private readonly taken = new Set<string>();
  reserve(name: string): string {
    this.taken.add(name);
    return name;
  }
  fresh(base: string): string {
    let name = base;
    for (let i = 1; this.taken.has(name); i++) name = `${base}_${i}`;
    return this.reserve(name);
  }
}

function floatRaw(values: Float32Array): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return out;
}

function int64Raw(values: readonly number[]): Uint8Array {
  const out = new Uint8Array(values.length * 8);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => view.setBigInt64(i * 8, BigInt(v), true));
  return out;
}

function floatTensor(name: string, dims: number[], values: Float32Array): OnnxNamespace.ITensorProto {
  return { name, dims, dataType: FLOAT, rawData: floatRaw(values) };
}

function int64Tensor(name: string, values: number[]): OnnxNamespace.ITensorProto {
  return { name, dims: [values.length], dataType: INT64, rawData: int64Raw(values) };
}

/** A FLOAT tensor of shape [batch, width]. */
function batchValue(name: string, width: number): OnnxNamespace.IValueInfoProto {
  return { name, type: { tensorType: { elemType: FLOAT, shape: { dim: [{ dimParam: 'batch' }, { dimValue: width }] } } } };
}

/** The graph under construction: nodes in topological order, initializers, and the two name spaces. */
class GraphBuilder {
  readonly nodes: OnnxNamespace.INodeProto[] = [];
  readonly initializers: OnnxNamespace.ITensorProto[] = [];
  readonly tensors = new NameSet();
  readonly nodeNames = new NameSet();

  node(opType: string, name: string, inputs: string[], output: string, attribute: OnnxNamespace.IAttributeProto[] = []): string {
    this.nodes.push({ opType, name: this.nodeNames.fresh(name), input: inputs, output: [output], attribute });
    return output;
  }

  /** Gemm(x, W, b) with transB=1 and W the IR's rows [width][inWidth] as they are, as torch exports nn.Linear. */
  gemm(name: string, input: string, l: Pick<DenseLayer, 'inWidth' | 'width' | 'weights' | 'bias'>, output: string): string {
    const w = this.tensors.fresh(`${name}.weight`);
    const b = this.tensors.fresh(`${name}.bias`);
    this.initializers.push(floatTensor(w, [l.width, l.inWidth], l.weights), floatTensor(b, [l.width], l.bias));
    const attrs: OnnxNamespace.IAttributeProto[] = [
      { name: 'alpha', type: ATTR_FLOAT, f: 1 },
      { name: 'beta', type: ATTR_FLOAT, f: 1 },
      { name: 'transB', type: ATTR_INT, i: 1 },
    ];
    return this.node('Gemm', name, [input, w, b], output, attrs);
  }

  /** The activation node after `input` (none when linear), its result named `output`; `output` is unused when linear. */
  activate(activation: Activation, owner: string, input: string, output: () => string): string {
    if (activation === 'linear') return input;
    const op = ACTIVATION_OPS[activation];
    return this.node(op, `${owner}.${activation}`, [input], output());
  }

  /** Columns [start, end) of a [batch, n] tensor (opset 13 Slice: starts, ends, axes, steps as INT64 inputs). */
  slice(name: string, input: string, start: number, end: number, output: string): string {
    const consts = (['starts', 'ends', 'axes', 'steps'] as const).map((k) => this.tensors.fresh(`${name}.${k}`));
    const values = [[start], [end], [1], [1]];
    consts.forEach((c, i) => this.initializers.push(int64Tensor(c, values[i])));
    return this.node('Slice', name, [input, ...consts], output);
  }
}

/** A dense layer and its activation; the last tensor is `finalName` when given, else the layer's name (or a fresh name). */
function denseLayer(g: GraphBuilder, l: DenseLayer, input: string, finalName?: string): string {
  const final = () => finalName ?? g.tensors.fresh(l.name);
  if (l.activation === 'linear') return g.gemm(l.name, input, l, final());
  const pre = g.gemm(l.name, input, l, g.tensors.fresh(`${l.name}.gemm`));
  return g.activate(l.activation, l.name, pre, final);
}

/** The predictor: hidden layers, the split's Gemm, one Slice (and activation) per segment and the decision. */
function predictorGraph(g: GraphBuilder, model: AxModel, x: string, decisionName: string): Map<string, string> {
  const p = model.predictor!;
  let h = x;
  for (const l of p.hidden) h = denseLayer(g, l, h);
  const o = p.output;
  const rows = decisionOffset(o) + decisionWidth(o.decision);
  const split = g.gemm(o.name, h, { inWidth: o.inWidth, width: rows, weights: o.weights, bias: o.bias }, g.tensors.fresh(`${o.name}.gemm`));
  const segments = new Map<string, string>();
  let row = 0;
  for (const s of o.segments) {
    // The tensor entering the gate carries the segment's exact name (reserved before anything else).
    const sliced = g.slice(`${o.name}.${s.name}`, split, row, row + s.width, s.activation === 'linear' ? s.name : g.tensors.fresh(`${o.name}.${s.name}`));
    segments.set(s.name, g.activate(s.activation, s.name, sliced, () => s.name));
    row += s.width;
  }
  const d = o.decision;
  const logits = g.slice(`${o.name}.decision`, split, row, rows, g.tensors.fresh(`${o.name}.decision`));
  if (d.kind === 'sigmoid') g.node('Sigmoid', `${o.name}.decision.sigmoid`, [logits], decisionName);
  else g.node('Softmax', `${o.name}.decision.softmax`, [logits], decisionName, [{ name: 'axis', type: ATTR_INT, i: 1 }]);
  return segments;
}

/** The approximator: per layer Gemm, activation and the gate Mul(h, c); the last layer's result is `yName`. */
function approximatorGraph(g: GraphBuilder, model: AxModel, x: string, segments: Map<string, string>, yName: string): void {
  let h = x;
  model.approximator.forEach((l, i) => {
    const last = i === model.approximator.length - 1;
    if (!l.control) {
      h = denseLayer(g, l, h, last ? yName : undefined);
      return;
    }
    const activated = denseLayer(g, l, h, g.tensors.fresh(`${l.name}.${l.activation}`));
    h = g.node('Mul', `${l.name}.gate`, [activated, segments.get(l.control)!], last ? yName : g.tensors.fresh(l.name));
  });
}

/** The `axc` metadata: the decision's threshold and safe index, quality, benchmark, CPU cycles (as tfjs exports them). */
export function axcMetadata(model: AxModel): AxcMetadata {
  const d = model.predictor?.output.decision;
  return {
    ...(d ? { threshold: d.threshold } : {}),
    ...(d?.kind === 'softmax' ? { safeIndex: d.safeIndex } : {}),
    ...(model.quality ? { quality: model.quality } : {}),
    ...(model.benchmark ? { benchmark: model.benchmark } : {}),
    ...(model.cpuCycles !== undefined ? { cpuCycles: model.cpuCycles } : {}),
  };
}

/** The ModelProto as a plain protobufjs message object (before encoding). */
export function buildOnnxModel(model: AxModel, opts: ExportOnnxOptions = {}): OnnxNamespace.IModelProto {
  const g = new GraphBuilder();
  // Segment names are kept exactly; then the graph's inputs and outputs; the rest is made fresh around them.
  // Nodes: a layer's Gemm is named as the layer (names are unique identifiers); every other node name has a dot.
  for (const s of model.predictor?.output.segments ?? []) g.tensors.reserve(s.name);
  const x = g.tensors.fresh('x');
  const y = g.tensors.fresh('y');
  const decision = model.predictor ? g.tensors.fresh('decision') : null;
  const segments = decision ? predictorGraph(g, model, x, decision) : new Map<string, string>();
  approximatorGraph(g, model, x, segments, y);
  const outputs = [batchValue(y, model.outputWidth)];
  if (model.predictor && decision) outputs.push(batchValue(decision, decisionWidth(model.predictor.output.decision)));
  return {
    irVersion: ONNX_IR_VERSION,
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    producerName: 'axc',
    ...(opts.producerVersion ? { producerVersion: opts.producerVersion } : {}),
    graph: { name: model.name, node: g.nodes, initializer: g.initializers, input: [batchValue(x, model.inputWidth)], output: outputs },
    metadataProps: [{ key: AXC_METADATA_KEY, value: JSON.stringify(axcMetadata(model)) }],
  };
}

/** The model as ONNX ModelProto bytes (what `axc export --format onnx` writes). */
export function exportOnnxModel(model: AxModel, opts: ExportOnnxOptions = {}): Uint8Array {
  const onnx = onnxProto();
  return onnx.ModelProto.encode(onnx.ModelProto.fromObject(buildOnnxModel(model, opts))).finish();
}
