// A decoded ONNX ModelProto as a checked graph for the pattern matcher: its one input and its outputs, the nodes
// that compute (pass-through nodes folded away), each tensor's producer and consumers, and the constant tensors
// (initializers and Constant nodes' values) whose numbers tensor-values.ts reads, from the file or external data.

import { DIAG } from '../../diagnostics/catalog.ts';
import { diag, type Diagnostic } from '../../diagnostics/diagnostic.ts';
import { clip, quote } from '../../diagnostics/quote.ts';
import { DATA_TYPE, dataTypeName, EXTERNAL, int64ToNumber, type Int64, type onnx } from './onnx-schema.ts';

/** Operators the pattern is made of. */
export const COMPUTE_OPS = new Set(['Gemm', 'MatMul', 'Add', 'Mul', 'Relu', 'Sigmoid', 'Tanh', 'Softmax', 'Slice', 'Split']);
/** Operators that only pass a value on (in inference) or name a constant: folded here, never matched. */
const PASS_OPS = new Set(['Identity', 'Flatten', 'Dropout', 'Constant']);

/** AttributeProto.AttributeType names, for messages. */
const ATTRIBUTE_TYPES = ['UNDEFINED', 'FLOAT', 'INT', 'STRING', 'TENSOR', 'GRAPH', 'FLOATS', 'INTS', 'STRINGS', 'TENSORS', 'GRAPHS', 'SPARSE_TENSOR', 'SPARSE_TENSORS', 'TYPE_PROTO', 'TYPE_PROTOS'];
const A = { FLOAT: 1, INT: 2, TENSOR: 4, FLOATS: 6, INTS: 7 } as const;

/** The default domain's versions axc reads: from opset 7 (Gemm, Add, Dropout lost their legacy attributes) to 21. */
export const MIN_OPSET = 7;
export const MAX_OPSET = 21;

/** An attribute axc reads: its type, and the opsets [since, until) in which the operator has it, with what a
 *  model at another opset does instead (for the message). */
interface AttributeRule {
  type: number;
  since?: number;
  until?: number;
  otherwise?: string;
}

/** An operator's inputs at a given opset: at least `min`, at most `max`, and how the message words it. */
interface Arity {
  min: number;
  max: number;
  expected: string;
}

/**
 * What the ONNX operator definitions allow, per op and opset, for the ops axc reads (opsets 7 to 21). An attribute
 * axc does not read could change what the node computes (a misspelt `transB`), and one the op does not have at
 * the model's opset makes the model invalid (onnxruntime refuses it): both are refused rather than ignored.
 */
const SCHEMA: Record<string, { attributes: Record<string, AttributeRule>; inputs: (opset: number) => Arity }> = {
  Gemm: {
    attributes: { alpha: { type: A.FLOAT }, beta: { type: A.FLOAT }, transA: { type: A.INT }, transB: { type: A.INT } },
    inputs: (v) => (v >= 11 ? { min: 2, max: 3, expected: '2 or 3 (X, W and an optional bias C)' } : { min: 3, max: 3, expected: '3 (X, W and the bias C, which Gemm requires before opset 11)' }),
  },
  MatMul: { attributes: {}, inputs: () => ({ min: 2, max: 2, expected: '2 (X and W)' }) },
  Add: { attributes: {}, inputs: () => ({ min: 2, max: 2, expected: '2 (the MatMul and the bias)' }) },
  Mul: { attributes: {}, inputs: () => ({ min: 2, max: 2, expected: '2 (a hidden layer and its control)' }) },
  Relu: { attributes: {}, inputs: () => ({ min: 1, max: 1, expected: '1' }) },
  Sigmoid: { attributes: {}, inputs: () => ({ min: 1, max: 1, expected: '1' }) },
  Tanh: { attributes: {}, inputs: () => ({ min: 1, max: 1, expected: '1' }) },
  Softmax: { attributes: { axis: { type: A.INT } }, inputs: () => ({ min: 1, max: 1, expected: '1 (the logits)' }) },
  Slice: {
    attributes: Object.fromEntries(['starts', 'ends', 'axes'].map((a) => [a, { type: A.INTS, until: 10, otherwise: 'from opset 10, Slice takes starts, ends, axes and steps as inputs' }])),
    inputs: (v) => (v >= 10 ? { min: 3, max: 5, expected: '3 to 5 (data, starts, ends, and optionally axes and steps)' } : { min: 1, max: 1, expected: "1 (before opset 10, Slice's starts, ends and axes are attributes)" }),
  },
  Split: {
    attributes: {
      axis: { type: A.INT },
      split: { type: A.INTS, until: 13, otherwise: 'from opset 13, Split takes its sizes as its second input' },
      num_outputs: { type: A.INT, since: 18, otherwise: 'Split has num_outputs from opset 18; before, it splits into as many equal parts as it has outputs' },
    },
    inputs: (v) => (v >= 13 ? { min: 1, max: 2, expected: '1 or 2 (the tensor, and optionally its split sizes)' } : { min: 1, max: 1, expected: "1 (before opset 13, Split's sizes are the 'split' attribute)" }),
  },
  Identity: { attributes: {}, inputs: () => ({ min: 1, max: 1, expected: '1' }) },
  Flatten: { attributes: { axis: { type: A.INT } }, inputs: () => ({ min: 1, max: 1, expected: '1' }) },
  Dropout: {
    attributes: {
      ratio: { type: A.FLOAT, until: 12, otherwise: 'from opset 12, Dropout takes its ratio as its second input' },
      seed: { type: A.INT, since: 12, otherwise: 'Dropout has a seed from opset 12' },
    },
    inputs: (v) => (v >= 12 ? { min: 1, max: 3, expected: '1 to 3 (data, and optionally ratio and training_mode)' } : { min: 1, max: 1, expected: "1 (before opset 12, Dropout's ratio is an attribute and it has no training_mode)" }),
  },
  Constant: {
    attributes: {
      value: { type: A.TENSOR },
      ...Object.fromEntries(
        Object.entries({ value_float: A.FLOAT, value_floats: A.FLOATS, value_int: A.INT, value_ints: A.INTS }).map(([a, type]) => [a, { type, since: 12, otherwise: "Constant has the value_float(s) and value_int(s) forms from opset 12; before, its value is the 'value' tensor" }]),
      ),
    },
    inputs: () => ({ min: 0, max: 0, expected: '0' }),
  },
};

const hasAt = (r: AttributeRule, opset: number) => opset >= (r.since ?? 0) && opset < (r.until ?? Infinity);

/** Refuses attributes axc does not read, of the wrong type or that the op does not have at `opset`, the wrong
 *  number of inputs for the op at `opset` (or an omitted required one), and a wrong number of outputs. */
function checkNodeShape(n: OnnxNode, opset: number, ds: Diagnostic[], file: string): void {
  const schema = SCHEMA[n.op];
  const known = Object.entries(schema.attributes);
  const names = known.filter(([, r]) => hasAt(r, opset)).map(([a]) => a);
  for (const a of n.attrs.values()) {
    const name = a.name ?? '';
    const rule = Object.hasOwn(schema.attributes, name) ? schema.attributes[name] : undefined;
    if (rule === undefined) ds.push(diag(DIAG.onnxUnknownAttribute, file, n.op, n.name, name, names.length ? `the attributes of ${n.op} that axc reads are ${names.join(', ')}` : `axc reads ${n.op} nodes without attributes`));
    else if (!hasAt(rule, opset)) ds.push(diag(DIAG.onnxAttributeOpset, file, n.op, n.name, name, opset, rule.otherwise ?? ''));
    else if (a.type !== rule.type) ds.push(diag(DIAG.onnxAttributeType, file, n.op, n.name, name, ATTRIBUTE_TYPES[a.type ?? 0] ?? String(a.type), ATTRIBUTE_TYPES[rule.type]));
  }
  const arity = schema.inputs(opset);
  const k = n.inputs.length;
  if (k < arity.min || k > arity.max || n.inputs.slice(0, arity.min).some((t) => t === '')) ds.push(diag(DIAG.onnxNodeArity, file, n.op, n.name, k, arity.expected));
  const outs = n.outputs.length;
  if (n.op !== 'Split' && outs !== 1 && !(n.op === 'Dropout' && outs === 2)) ds.push(diag(DIAG.onnxNodeOutputs, file, n.op, n.name, outs));
}

export interface OnnxNode {
  index: number;
  op: string;
  /** The node's name, or #i (its index in graph.node) when it has none: messages always name the node. */
  name: string;
  /** Input tensors with pass-through nodes folded away; '' for an omitted optional input. */
  inputs: string[];
  /** The input names as written, before folding (the tensor that enters a gate names its control). */
  rawInputs: string[];
  outputs: string[];
  attrs: Map<string, onnx.IAttributeProto>;
  /** Whether the file names the node (a layer is named after its node only then). */
  named: boolean;
}

/** An initializer or a Constant node's value. */
export interface ConstTensor {
  /** How messages name it: "initializer 'h1.weight'" or "the value of Constant node 'c'". */
  text: string;
  /** The initializer's name; null for a Constant node's value. */
  initializer: string | null;
  proto: onnx.ITensorProto;
  dims: number[];
}

export interface OnnxGraph {
  name: string;
  /** The version of the default domain (ai.onnx) the model imports. */
  opset: number;
  input: string;
  inputWidth: number;
  /** The graph outputs' tensors with pass-through nodes folded away, and as written. */
  outputs: string[];
  outputNames: string[];
  /** The computing nodes (COMPUTE_OPS), in file order. */
  nodes: OnnxNode[];
  producer: Map<string, OnnxNode>;
  consumers: Map<string, OnnxNode[]>;
  constants: Map<string, ConstTensor>;
  /** metadata_props 'axc', if present. */
  metadata: string | null;
}

export function attrInt(n: OnnxNode, name: string, dflt: number): number {
  const a = n.attrs.get(name);
  return a ? int64ToNumber(a.i as Int64) : dflt;
}

export function attrFloat(n: OnnxNode, name: string, dflt: number): number {
  const a = n.attrs.get(name);
  return a ? (a.f ?? 0) : dflt;
}

export function attrInts(n: OnnxNode, name: string): number[] | null {
  const a = n.attrs.get(name);
  return a ? (a.ints ?? []).map((v) => int64ToNumber(v as Int64)) : null;
}

export function dimsText(dims: readonly number[]): string {
  return `[${dims.join(', ')}]`;
}

function constText(initializer: string | null, node: string): string {
  return initializer !== null ? `initializer ${quote(initializer)}` : `the value of Constant node ${quote(node)}`;
}

/** A Constant node's value as a tensor: the `value` attribute, or the scalar/list shorthands opset 12 added. */
function constantValue(n: OnnxNode, ds: Diagnostic[], file: string): onnx.ITensorProto | null {
  const a = [...n.attrs.values()];
  if (a.length === 1) {
    const { name, t, f, i, floats, ints } = a[0];
    if (name === 'value' && t) return t;
    if (name === 'value_float') return { dataType: DATA_TYPE.FLOAT, dims: [], floatData: [f ?? 0] };
    if (name === 'value_floats') return { dataType: DATA_TYPE.FLOAT, dims: [floats?.length ?? 0], floatData: floats ?? [] };
    if (name === 'value_int') return { dataType: DATA_TYPE.INT64, dims: [], int64Data: [i ?? 0] };
    if (name === 'value_ints') return { dataType: DATA_TYPE.INT64, dims: [ints?.length ?? 0], int64Data: ints ?? [] };
  }
  const names = a.map((x) => quote(x.name ?? '')).join(', ');
  ds.push(diag(DIAG.onnxConstantValue, file, n.op, n.name, a.length === 0 ? 'no attribute' : `attribute${a.length === 1 ? '' : 's'} ${names}`));
  return null;
}

function toNode(p: onnx.INodeProto, index: number): OnnxNode {
  const attrs = new Map<string, onnx.IAttributeProto>();
  for (const a of p.attribute ?? []) attrs.set(a.name ?? '', a);
  const inputs = [...(p.input ?? [])];
  return { index, op: p.opType ?? '', name: p.name || `#${index}`, inputs, rawInputs: [...inputs], outputs: [...(p.output ?? [])], attrs, named: !!p.name };
}

/** The default domain's opset version, or null (reported) when the model imports none, imports it twice, or
 *  imports a version axc does not know (the operators' definitions differ between versions). */
function defaultOpset(model: onnx.IModelProto, ds: Diagnostic[], file: string): number | null {
  const imports = model.opsetImport ?? [];
  const listed = () => imports.map((o) => `${quote(o.domain ?? '')} version ${int64ToNumber(o.version as Int64)}`).join(', ') || 'empty';
  const defs = imports.filter((o) => (o.domain ?? '') === '' || o.domain === 'ai.onnx');
  if (defs.length === 0) {
    ds.push(diag(DIAG.onnxNoDefaultOpset, file, listed()));
    return null;
  }
  if (defs.length > 1) {
    ds.push(diag(DIAG.onnxOpsetTwice, file, listed()));
    return null;
  }
  const version = int64ToNumber(defs[0].version as Int64);
  if (!(Number.isSafeInteger(version) && version >= MIN_OPSET && version <= MAX_OPSET)) {
    ds.push(diag(DIAG.onnxOpsetVersion, file, version, MIN_OPSET, MAX_OPSET));
    return null;
  }
  return version;
}

/** The one real graph input (a graph input that is also an initializer is a default value, not an input) and its width. */
function graphInput(g: onnx.IGraphProto, constants: Map<string, ConstTensor>, ds: Diagnostic[], file: string): { name: string; width: number } | null {
  const real = (g.input ?? []).filter((v) => !constants.has(v.name ?? ''));
  if (real.length !== 1) {
    const names = real.length ? ` (${real.map((v) => quote(v.name ?? '')).join(', ')})` : '';
    ds.push(diag(DIAG.onnxInputCount, file, real.length, names));
    return null;
  }
  const v = real[0];
  const name = v.name ?? '';
  const tt = v.type?.tensorType;
  if (!tt || tt.elemType !== DATA_TYPE.FLOAT) {
    ds.push(diag(DIAG.onnxInputType, file, name, tt ? dataTypeName(tt.elemType) : 'none (it is not a tensor)'));
    return null;
  }
  const dims = tt.shape?.dim ?? [];
  const text = (d: onnx.TensorShapeProto.IDimension) => (d.dimParam ? d.dimParam : d.dimValue !== null && d.dimValue !== undefined ? String(int64ToNumber(d.dimValue as Int64)) : '?');
  const width = dims.length === 2 && dims[1].dimValue !== null && dims[1].dimValue !== undefined ? int64ToNumber(dims[1].dimValue as Int64) : NaN;
  if (!tt.shape || !(Number.isSafeInteger(width) && width > 0)) {
    ds.push(diag(DIAG.onnxInputShape, file, name, tt.shape ? `[${dims.map(text).join(', ')}]` : 'unknown (no shape)'));
    return null;
  }
  return { name, width };
}

/** The constant tensors: initializers, then Constant nodes' values (named by their output). */
function constantsOf(g: onnx.IGraphProto, nodes: OnnxNode[], ds: Diagnostic[], file: string): Map<string, ConstTensor> {
  const constants = new Map<string, ConstTensor>();
  const dimsOf = (t: onnx.ITensorProto) => (t.dims ?? []).map((d) => int64ToNumber(d as Int64));
  for (const t of g.initializer ?? []) {
    const name = t.name ?? '';
    constants.set(name, { text: constText(name, ''), initializer: name, proto: t, dims: dimsOf(t) });
  }
  for (const n of nodes) {
    if (n.op !== 'Constant' || !n.outputs[0]) continue;
    const t = constantValue(n, ds, file);
    if (t) constants.set(n.outputs[0], { text: constText(null, n.name), initializer: null, proto: t, dims: dimsOf(t) });
  }
  return constants;
}

/**
 * The model's graph, checked and folded. Nodes of other domains or ops are refused here, each one named;
 * so are tensors produced twice or read before anyone produces them, and cycles.
 */
export function buildOnnxGraph(model: onnx.IModelProto, file: string): { graph: OnnxGraph | null; diagnostics: Diagnostic[] } {
  const ds: Diagnostic[] = [];
  const done = () => ({ graph: null, diagnostics: ds });
  const g = model.graph!;
  const opset = defaultOpset(model, ds, file);
  // What a node may hold depends on the opset: nothing is checked against an opset axc does not know.
  if (opset === null) return done();
  const all = (g.node ?? []).map(toNode);
  for (const [i, p] of (g.node ?? []).entries()) {
    const n = all[i];
    const domain = p.domain ?? '';
    if (domain !== '' && domain !== 'ai.onnx') ds.push(diag(DIAG.onnxNodeDomain, file, n.op, n.name, domain));
    else if (!COMPUTE_OPS.has(n.op) && !PASS_OPS.has(n.op)) ds.push(diag(DIAG.onnxUnsupportedOp, file, n.op, n.name));
    else checkNodeShape(n, opset, ds, file);
  }
  if (ds.length) return done();
  const constants = constantsOf(g, all, ds, file);
  if (ds.length) return done();
  const input = graphInput(g, constants, ds, file);
  const outputNames = (g.output ?? []).map((v) => v.name ?? '');
  if (input && outputNames.length !== 1 && outputNames.length !== 2) ds.push(diag(DIAG.onnxOutputCount, file, outputNames.length));
  (g.output ?? []).forEach((v, i) => {
    // The declared type, where there is one, must be what the graph computes.
    const tt = v.type?.tensorType;
    if (input && tt && tt.elemType !== DATA_TYPE.FLOAT) ds.push(diag(DIAG.onnxOutputType, file, i, v.name ?? '', dataTypeName(tt.elemType)));
  });
  if (ds.length || !input) return done();

  // One producer per tensor (the graph input and initializers count as produced).
  const producedBy = new Map<string, OnnxNode | null>([[input.name, null]]);
  for (const c of constants.values()) if (c.initializer !== null) producedBy.set(c.initializer, null);
  for (const n of all) {
    for (const t of n.outputs) {
      if (t === '') continue;
      const first = producedBy.get(t);
      if (first === undefined) producedBy.set(t, n);
      else ds.push(diag(DIAG.onnxTensorProducedTwice, file, t, n.op, n.name, first ? `${clip(first.op)} node ${quote(first.name)} already produces` : t === input.name ? 'is the graph input' : 'is an initializer'));
    }
  }
  for (const n of all) {
    for (const t of n.inputs) if (t !== '' && !producedBy.has(t)) ds.push(diag(DIAG.onnxTensorUndefined, file, n.op, n.name, t));
  }
  outputNames.forEach((t, i) => {
    if (!producedBy.has(t)) ds.push(diag(DIAG.onnxOutputUndefined, file, i, t));
  });
  if (ds.length) return done();

  const canon = foldPassThrough(all, constants, outputNames, ds, file);
  if (!canon) return done();
  const nodes = all.filter((n) => COMPUTE_OPS.has(n.op));
  for (const n of nodes) n.inputs = n.inputs.map(canon);
  const producer = new Map<string, OnnxNode>();
  const consumers = new Map<string, OnnxNode[]>();
  for (const n of nodes) {
    for (const t of n.outputs) if (t !== '') producer.set(t, n);
    for (const t of new Set(n.inputs)) if (t !== '') consumers.set(t, [...(consumers.get(t) ?? []), n]);
  }
  const cyclic = findCycle(nodes, producer);
  if (cyclic) {
    ds.push(diag(DIAG.onnxCycle, file, cyclic.op, cyclic.name));
    return done();
  }
  const metadata = (model.metadataProps ?? []).find((p) => p.key === 'axc')?.value ?? null;
  return {
    graph: { name: g.name ?? '', opset, input: input.name, inputWidth: input.width, outputs: outputNames.map(canon), outputNames, nodes, producer, consumers, constants, metadata },
    diagnostics: ds,
  };
}

/**
 * Identity, Flatten (axis 1 of a [batch, N] tensor) and Dropout (inference) pass their input on: each of their
 * outputs becomes another name for it. Returns the name a tensor stands for, or null when a pass-through node
 * is not one that can be folded (reported).
 */
function foldPassThrough(all: OnnxNode[], constants: Map<string, ConstTensor>, graphOutputs: string[], ds: Diagnostic[], file: string): ((t: string) => string) | null {
  const alias = new Map<string, string>();
  const used = new Set([...all.flatMap((n) => n.inputs), ...graphOutputs]);
  for (const n of all) {
    if (n.op === 'Identity' || n.op === 'Flatten' || n.op === 'Dropout') {
      if (n.inputs.length < 1 || n.inputs[0] === '') {
        ds.push(diag(DIAG.onnxNodeArity, file, n.op, n.name, n.inputs.length, 'its data input'));
        continue;
      }
      if (n.outputs[0]) alias.set(n.outputs[0], n.inputs[0]);
    }
    if (n.op === 'Flatten') {
      const axis = attrInt(n, 'axis', 1);
      if (axis !== 1 && axis !== -1) ds.push(diag(DIAG.onnxFlattenAxis, file, n.op, n.name, axis));
    }
  }
  const canon = (t: string): string => {
    // A chain of aliases ends within as many steps as there are nodes, unless the aliases form a cycle.
    let cur = t;
    for (let k = 0; k <= all.length && alias.has(cur); k++) cur = alias.get(cur)!;
    return alias.has(cur) ? '' : cur;
  };
  for (const n of all) {
    if (n.op !== 'Identity' && n.op !== 'Flatten' && n.op !== 'Dropout') continue;
    if (n.outputs[0] && canon(n.outputs[0]) === '') ds.push(diag(DIAG.onnxCycle, file, n.op, n.name));
  }
  for (const n of all.filter((x) => x.op === 'Dropout')) {
    const mask = n.outputs[1];
    if (mask && used.has(mask)) ds.push(diag(DIAG.onnxDropoutTraining, file, n.op, n.name, `has its mask output ${quote(mask)} used`));
    const mode = n.inputs[2];
    if (!mode) continue;
    const c = constants.get(canon(mode));
    const values = c ? boolValues(c) : null;
    if (!c) ds.push(diag(DIAG.onnxDropoutTraining, file, n.op, n.name, `takes training_mode from tensor ${quote(mode)}, which is computed`));
    else if (values === null || values.length !== 1 || values[0]) ds.push(diag(DIAG.onnxDropoutTraining, file, n.op, n.name, `has training_mode ${values?.length === 1 ? 'true' : `${c.text} (${dataTypeName(c.proto.dataType)} ${dimsText(c.dims)})`}`));
  }
  return ds.length ? null : canon;
}

/** A BOOL tensor's values (raw bytes or int32_data), or null when it is not a BOOL tensor. */
function boolValues(c: ConstTensor): boolean[] | null {
  const t = c.proto;
  if (t.dataType !== DATA_TYPE.BOOL || t.dataLocation === EXTERNAL) return null;
  if (t.rawData && t.rawData.length) return [...t.rawData].map((b) => b !== 0);
  return (t.int32Data ?? []).map((v) => v !== 0);
}

/** A node on a cycle of the computing nodes, if any (ONNX graphs are acyclic; a corrupt one must not loop the matcher). */
function findCycle(nodes: OnnxNode[], producer: Map<string, OnnxNode>): OnnxNode | null {
  const state = new Map<OnnxNode, 1 | 2>(); // 1: on the current path, 2: finished
  for (const start of nodes) {
    if (state.has(start)) continue;
    // Iterative depth-first search: a long chain must not overflow the stack.
    const stack: { n: OnnxNode; i: number }[] = [{ n: start, i: 0 }];
    state.set(start, 1);
    while (stack.length) {
      const top = stack[stack.length - 1];
      if (top.i >= top.n.inputs.length) {
        state.set(top.n, 2);
        stack.pop();
        continue;
      }
      const p = producer.get(top.n.inputs[top.i++]);
      if (!p) continue;
      const s = state.get(p);
      if (s === 1) return p;
      if (s === undefined) {
        state.set(p, 1);
        stack.push({ n: p, i: 0 });
      }
    }
  }
  return null;
}
