// A decoded ONNX ModelProto as a checked graph for the pattern matcher: its one input and its outputs, the nodes
// that compute (pass-through nodes folded away), each tensor's producer and consumers, and the constant tensors
// (initializers and Constant nodes' values) whose numbers TensorValues reads, from the file or external data.

import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { DIAG } from '../../diagnostics/catalog.ts';
import { describeFsError, diag, type Diagnostic } from '../../diagnostics/diagnostic.ts';
import { clip, quote } from '../../diagnostics/quote.ts';
import { DATA_TYPE, dataTypeName, EXTERNAL, int64ToNumber, type Int64, type onnx } from './onnx-schema.ts';

/** Operators the pattern is made of. */
export const COMPUTE_OPS = new Set(['Gemm', 'MatMul', 'Add', 'Mul', 'Relu', 'Sigmoid', 'Tanh', 'Softmax', 'Slice', 'Split']);
/** Operators that only pass a value on (in inference) or name a constant: folded here, never matched. */
const PASS_OPS = new Set(['Identity', 'Flatten', 'Dropout', 'Constant']);

/** AttributeProto.AttributeType names, for messages. */
const ATTRIBUTE_TYPES = ['UNDEFINED', 'FLOAT', 'INT', 'STRING', 'TENSOR', 'GRAPH', 'FLOATS', 'INTS', 'STRINGS', 'TENSORS', 'GRAPHS', 'SPARSE_TENSOR', 'SPARSE_TENSORS', 'TYPE_PROTO', 'TYPE_PROTOS'];

/** The attributes axc reads, by op, with their types. Any other attribute could change what the node computes
 *  (an old opset's `broadcast`, a misspelt `transB`): refused rather than ignored. */
const ATTRIBUTES: Record<string, Record<string, number>> = {
  Gemm: { alpha: 1, beta: 1, transA: 2, transB: 2 },
  Softmax: { axis: 2 },
  Slice: { starts: 7, ends: 7, axes: 7 },
  Split: { axis: 2, split: 7, num_outputs: 2 },
  Flatten: { axis: 2 },
  Dropout: { ratio: 1, seed: 2, is_test: 2 },
  Constant: { value: 4, value_float: 1, value_floats: 6, value_int: 2, value_ints: 7 },
};

/** Refuses attributes axc does not read or of the wrong type, and a wrong number of outputs. */
function checkNodeShape(n: OnnxNode, ds: Diagnostic[], file: string): void {
  const known = ATTRIBUTES[n.op] ?? {};
  for (const a of n.attrs.values()) {
    const name = a.name ?? '';
    const want = known[name];
    const names = Object.keys(known);
    if (want === undefined) ds.push(diag(DIAG.onnxUnknownAttribute, file, n.op, n.name, name, names.length ? `the attributes of ${n.op} that axc reads are ${names.join(', ')}` : `axc reads ${n.op} nodes without attributes`));
    else if (a.type !== want) ds.push(diag(DIAG.onnxAttributeType, file, n.op, n.name, name, ATTRIBUTE_TYPES[a.type ?? 0] ?? String(a.type), ATTRIBUTE_TYPES[want]));
  }
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

/** The default domain's opset version, or null (reported) when the model imports none. */
function defaultOpset(model: onnx.IModelProto, ds: Diagnostic[], file: string): number | null {
  const imports = model.opsetImport ?? [];
  const def = imports.find((o) => (o.domain ?? '') === '' || o.domain === 'ai.onnx');
  if (def) return int64ToNumber(def.version as Int64);
  const listed = imports.map((o) => `${o.domain || '(default)'} ${int64ToNumber(o.version as Int64)}`).join(', ') || 'empty';
  ds.push(diag(DIAG.onnxNoDefaultOpset, file, listed));
  return null;
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
  const all = (g.node ?? []).map(toNode);
  for (const [i, p] of (g.node ?? []).entries()) {
    const n = all[i];
    const domain = p.domain ?? '';
    if (domain !== '' && domain !== 'ai.onnx') ds.push(diag(DIAG.onnxNodeDomain, file, n.op, n.name, domain));
    else if (!COMPUTE_OPS.has(n.op) && !PASS_OPS.has(n.op)) ds.push(diag(DIAG.onnxUnsupportedOp, file, n.op, n.name));
    else checkNodeShape(n, ds, file);
  }
  if (ds.length || opset === null) return done();
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

/** Bytes per element of the types read as numbers. */
const ELEMENT_BYTES: Record<number, number> = { [DATA_TYPE.FLOAT]: 4, [DATA_TYPE.INT32]: 4, [DATA_TYPE.INT64]: 8 };

/** Element count of `dims`, or null when a dimension is negative or the count is beyond any tensor axc reads. */
function elementCount(dims: readonly number[]): number | null {
  let n = 1;
  for (const d of dims) {
    if (!Number.isSafeInteger(d) || d < 0) return null;
    n *= d;
    if (n > 2 ** 31) return null;
  }
  return n;
}

/**
 * Reads constant tensors' numbers: raw_data (little-endian), the typed repeated fields, or external data in a
 * file beside the model. Problems are reported (each naming the tensor) and give null.
 */
export class TensorValues {
  /** The external data files read, as resolved paths. */
  readonly externalFiles: string[] = [];
  private readonly files = new Map<string, Buffer | string>();
  private readonly short = new Set<string>();

  constructor(
    private readonly modelPath: string,
    private readonly ds: Diagnostic[],
  ) {}

  /** A FLOAT tensor's values; `use` says what it is for, in messages ("the weights of Gemm node 'h1'"). */
  floats(c: ConstTensor, use: string): Float32Array | null {
    if (c.proto.dataType !== DATA_TYPE.FLOAT) {
      this.ds.push(diag(DIAG.onnxTensorType, this.modelPath, c.text, use, dataTypeName(c.proto.dataType), 'FLOAT (float32)'));
      return null;
    }
    const bytes = this.bytes(c, 4);
    if (bytes === undefined) return null;
    if (bytes) {
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const out = new Float32Array(bytes.byteLength / 4);
      for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
      return out;
    }
    const data = c.proto.floatData ?? [];
    return this.countMatches(c, data.length, 'float_data') ? Float32Array.from(data) : null;
  }

  /** An INT64 or INT32 tensor's values (Slice bounds, Split sizes). */
  ints(c: ConstTensor, use: string): number[] | null {
    const type = c.proto.dataType ?? 0;
    if (type !== DATA_TYPE.INT64 && type !== DATA_TYPE.INT32) {
      this.ds.push(diag(DIAG.onnxTensorType, this.modelPath, c.text, use, dataTypeName(type), 'INT64 (or INT32)'));
      return null;
    }
    const size = ELEMENT_BYTES[type];
    const bytes = this.bytes(c, size);
    if (bytes === undefined) return null;
    if (bytes) {
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const out: number[] = [];
      for (let i = 0; i < bytes.byteLength; i += size) out.push(size === 8 ? Number(view.getBigInt64(i, true)) : view.getInt32(i, true));
      return out;
    }
    const data = type === DATA_TYPE.INT64 ? (c.proto.int64Data ?? []).map((v) => int64ToNumber(v as Int64)) : (c.proto.int32Data ?? []);
    return this.countMatches(c, data.length, type === DATA_TYPE.INT64 ? 'int64_data' : 'int32_data') ? data : null;
  }

  private countMatches(c: ConstTensor, held: number, field: string): boolean {
    const n = elementCount(c.dims);
    if (n === held) return true;
    this.ds.push(diag(DIAG.onnxTensorSize, this.modelPath, c.text, dimsText(c.dims), n === null ? 'a dimension is negative or too large' : `that is ${n} value${n === 1 ? '' : 's'}, but ${field} holds ${held}`));
    return false;
  }

  /** The tensor's bytes when stored raw or externally, null when it uses the typed fields, undefined on a problem (reported). */
  private bytes(c: ConstTensor, size: number): Uint8Array | null | undefined {
    const n = elementCount(c.dims);
    const t = c.proto;
    const raw = t.rawData && t.rawData.length > 0 ? t.rawData : null;
    if (t.dataLocation !== EXTERNAL && !raw) return null;
    if (n === null) {
      this.ds.push(diag(DIAG.onnxTensorSize, this.modelPath, c.text, dimsText(c.dims), 'a dimension is negative or too large'));
      return undefined;
    }
    if (t.dataLocation === EXTERNAL) return this.external(c, n * size);
    if (raw!.length !== n * size) {
      this.ds.push(diag(DIAG.onnxTensorSize, this.modelPath, c.text, dimsText(c.dims), `that is ${n} value${n === 1 ? '' : 's'} (${n * size} bytes), but raw_data holds ${raw!.length} bytes`));
      return undefined;
    }
    return raw;
  }

  /** `need` bytes of external data: `location` relative to the model's directory, never outside it. */
  private external(c: ConstTensor, need: number): Uint8Array | undefined {
    const fail = (d: Diagnostic) => (this.ds.push(d), undefined);
    const fields = new Map((c.proto.externalData ?? []).map((e) => [e.key ?? '', e.value ?? '']));
    const location = fields.get('location');
    if (location === undefined || location === '') return fail(diag(DIAG.onnxExternalField, this.modelPath, c.text, "it has no 'location'"));
    const num = (key: string): number | null | undefined => {
      const v = fields.get(key);
      if (v === undefined) return null;
      return /^\d{1,15}$/.test(v) ? Number(v) : undefined;
    };
    const offset = num('offset');
    const length = num('length');
    if (offset === undefined || length === undefined) {
      const key = offset === undefined ? 'offset' : 'length';
      return fail(diag(DIAG.onnxExternalField, this.modelPath, c.text, `'${key}' is ${quote(fields.get(key)!)}, not a byte count`));
    }
    if (length !== null && length !== need) return fail(diag(DIAG.onnxExternalField, this.modelPath, c.text, `'length' is ${length} bytes but dims ${dimsText(c.dims)} need ${need}`));
    const dir = nodePath.dirname(this.modelPath);
    if (nodePath.isAbsolute(location) || /^[A-Za-z]:|^[\\/]/.test(location)) {
      return fail(diag(DIAG.onnxExternalLocation, this.modelPath, c.text, location, "it is an absolute path; external data lies in files beside the model, named relative to the model's directory"));
    }
    const resolved = nodePath.resolve(dir, location);
    const rel = nodePath.relative(dir, resolved);
    if (rel === '' || rel.startsWith('..') || nodePath.isAbsolute(rel)) {
      return fail(diag(DIAG.onnxExternalLocation, this.modelPath, c.text, location, "it lies outside the model's directory"));
    }
    let data = this.files.get(resolved);
    if (data === undefined) {
      try {
        data = fs.readFileSync(resolved);
        this.externalFiles.push(resolved);
      } catch (err) {
        data = `${describeFsError(err)} (looked for ${resolved})`;
      }
      this.files.set(resolved, data);
    }
    if (typeof data === 'string') return fail(diag(DIAG.onnxExternalUnreadable, this.modelPath, c.text, location, data));
    const start = offset ?? 0;
    if (start + need > data.length) {
      // One message per file: the tensors after the first one cut off are cut off for the same reason.
      if (this.short.has(resolved)) return undefined;
      this.short.add(resolved);
      return fail(diag(DIAG.onnxExternalShort, this.modelPath, c.text, location, `it needs bytes ${start} to ${start + need}, but the file holds ${data.length} bytes`));
    }
    return data.subarray(start, start + need);
  }
}
