// Recognises the AXNet pattern in an ONNX graph as torch.onnx.export writes an AXNet module (dense layers as
// Gemm or MatMul+Add, gates as Mul, the predictor's output cut by Slice/Split or computed as separate heads):
// the plan that onnx-plan-to-model.ts turns into the AxModel IR once the weights are read.

import type { Activation } from '../../ir/model.ts';
import { DIAG } from '../../diagnostics/catalog.ts';
import { diag, type Diagnostic } from '../../diagnostics/diagnostic.ts';
import { clip, quote } from '../../diagnostics/quote.ts';
import { MAX_LAYER_WEIGHTS, MAX_LAYER_WIDTH } from '../../arch/limits.ts';
import { attrFloat, attrInt, attrInts, dimsText, type ConstTensor, type OnnxGraph, type OnnxNode } from './onnx-graph.ts';
import type { IntTypes, TensorValues } from './tensor-values.ts';
import { dataTypeName } from './onnx-schema.ts';

const ACTIVATION_OPS: Record<string, Activation> = { Relu: 'relu', Sigmoid: 'sigmoid', Tanh: 'tanh' };
const DENSE_OPS = new Set(['Gemm', 'MatMul', 'Add']);

/** One dense layer: Gemm(X, W, C?), or MatMul(X, W) with an optional Add of a bias. */
export interface DenseMatch {
  /** The Gemm or the MatMul: the node the layer is named after when its weight has no torch name. */
  main: OnnxNode;
  /** All of its nodes (the Add too). */
  nodes: OnnxNode[];
  input: string;
  /** The pre-activation result. */
  output: string;
  weight: ConstTensor;
  bias: ConstTensor | null;
  /** W is stored [out, in] (Gemm with transB = 1, torch's nn.Linear) rather than [in, out]. */
  rowsFirst: boolean;
  inWidth: number;
  units: number;
}

/** A dense layer and the activation node after it, if any. */
export interface LayerMatch {
  dense: DenseMatch;
  activation: Activation;
  act: OnnxNode | null;
  output: string;
}

/** Rows [from, to) of a predictor output dense: a control segment or the decision's logits. */
export interface RowRange {
  dense: DenseMatch;
  from: number;
  to: number;
}

export interface ApproxStep {
  layer: LayerMatch;
  gate: { mul: OnnxNode; rows: RowRange; activation: Activation; nameHint: string | null } | null;
}

export interface OnnxAxNetPlan {
  name: string;
  inputWidth: number;
  approximator: ApproxStep[];
  predictorHidden: LayerMatch[];
  decision: { kind: 'sigmoid' | 'softmax'; rows: RowRange } | null;
  /** The name of the dense whose rows the segments all cut, when there is one such dense (else the heads are stacked as 'pout'). */
  splitName: string | null;
}

/** A tensor's role in a message: what computes it. */
function describe(g: OnnxGraph, t: string): string {
  if (t === g.input) return `the graph input ${quote(t)}`;
  if (g.constants.has(t)) return g.constants.get(t)!.text;
  const p = g.producer.get(t);
  return p ? `tensor ${quote(t)} (computed by ${clip(p.op)} node ${quote(p.name)})` : `tensor ${quote(t)}`;
}

/** The layer's name: torch's parameter name (`h1.weight` -> `h1`), else the node's name, else the weight's. */
export function layerName(d: DenseMatch): string {
  const w = d.weight.initializer;
  const m = w !== null ? /^(.+)[._]weight$/.exec(w) : null;
  if (m) return m[1];
  if (d.main.named) return d.main.name;
  return w ?? d.main.name;
}

/** Why a `rows` × `cols` weight matrix is beyond what the NPU's instructions can address, or null when it is not. */
export function layerLimit(rows: number, cols: number, what: string): string | null {
  if (rows > MAX_LAYER_WIDTH || cols > MAX_LAYER_WIDTH) return `${what} are at most ${MAX_LAYER_WIDTH} (the NPU's 16-bit length field)`;
  if (rows * cols > MAX_LAYER_WEIGHTS) return `that is ${rows * cols} weights; a layer holds at most ${MAX_LAYER_WEIGHTS} (width × fan-in)`;
  return null;
}

class Matcher {
  readonly ds: Diagnostic[] = [];
  /** Control tensors already gating a layer (each gates one). */
  readonly controlsUsed = new Set<string>();
  private readonly dense = new Map<string, DenseMatch | null>();
  private readonly roles = new Map<OnnxNode, string>();

  constructor(
    readonly g: OnnxGraph,
    readonly file: string,
  ) {}

  /** Gives `n` its one role in the pattern; a second, different role is refused (a node's output feeds one place). */
  assign(n: OnnxNode, role: string): boolean {
    const had = this.roles.get(n);
    if (had && had !== role) {
      this.ds.push(diag(DIAG.onnxTwoRoles, this.file, n.op, n.name, had, role));
      return false;
    }
    this.roles.set(n, role);
    return true;
  }

  assignLayer(l: LayerMatch, role: string): boolean {
    return [...l.dense.nodes, ...(l.act ? [l.act] : [])].every((n) => this.assign(n, role));
  }

  unassigned(): OnnxNode[] {
    return this.g.nodes.filter((n) => !this.roles.has(n));
  }

  private arity(n: OnnxNode, min: number, max: number, expected: string): boolean {
    const k = n.inputs.length;
    if (k >= min && k <= max && n.inputs.slice(0, min).every((t) => t !== '')) return true;
    this.ds.push(diag(DIAG.onnxNodeArity, this.file, n.op, n.name, k, expected));
    return false;
  }

  /** Whether `t` is computed by a dense layer's last node (no diagnostics: used to tell controls from layers). */
  isDenseOutput(t: string, input?: string): boolean {
    const p = this.g.producer.get(t);
    if (!p || !DENSE_OPS.has(p.op)) return false;
    if (input === undefined) return true;
    if (p.op !== 'Add') return p.inputs[0] === input;
    const mm = p.inputs.map((x) => this.g.producer.get(x)).find((x) => x?.op === 'MatMul');
    return mm?.inputs[0] === input;
  }

  /** The dense layer computing `t`; `notLayer` words the refusal when something else computes it. */
  denseAt(t: string, notLayer: (what: string) => Diagnostic): DenseMatch | null {
    if (this.dense.has(t)) return this.dense.get(t)!;
    const m = this.matchDense(t, notLayer);
    this.dense.set(t, m);
    return m;
  }

  private matchDense(t: string, notLayer: (what: string) => Diagnostic): DenseMatch | null {
    const p = this.g.producer.get(t);
    if (!p || !DENSE_OPS.has(p.op)) {
      this.ds.push(notLayer(p ? `computed by ${clip(p.op)} node ${quote(p.name)}` : describe(this.g, t)));
      return null;
    }
    if (p.op === 'Gemm') return this.gemm(p, t);
    if (p.op === 'MatMul') return this.matMul(p, t, null, [p]);
    // Add(MatMul(X, W), b), in either operand order.
    if (!this.arity(p, 2, 2, '2 (the MatMul and the bias)')) return null;
    const [a, b] = p.inputs;
    const constA = this.g.constants.get(a);
    const constB = this.g.constants.get(b);
    const mmA = this.g.producer.get(a)?.op === 'MatMul';
    const mmB = this.g.producer.get(b)?.op === 'MatMul';
    if (!(mmA && constB) && !(mmB && constA)) {
      const why = constA && constB ? 'adds two constants' : !constA && !constB ? `adds ${describe(this.g, a)} and ${describe(this.g, b)}` : `adds a constant to ${describe(this.g, constA ? b : a)}`;
      this.ds.push(diag(DIAG.onnxAddNotBias, this.file, p.op, p.name, why));
      return null;
    }
    const mm = this.g.producer.get(mmA ? a : b)!;
    return this.matMul(mm, t, mmA ? constB! : constA!, [mm, p]);
  }

  /** A weight matrix of positive dims within the NPU's limits (checked here, before anything is read or allocated for it). */
  private weightRank(w: ConstTensor, n: OnnxNode, layout: string): boolean {
    if (!(w.dims.length === 2 && w.dims.every((d) => Number.isSafeInteger(d) && d > 0))) {
      this.ds.push(diag(DIAG.onnxWeightShape, this.file, w.text, n.op, n.name, dimsText(w.dims), layout, 'the weights of a dense layer are a matrix of positive dimensions'));
      return false;
    }
    const why = layerLimit(w.dims[0], w.dims[1], "a layer's width and fan-in");
    if (why) this.ds.push(diag(DIAG.onnxLayerTooLarge, this.file, w.text, n.op, n.name, dimsText(w.dims), why));
    return !why;
  }

  private gemm(p: OnnxNode, t: string): DenseMatch | null {
    if (!this.arity(p, 2, 3, '2 or 3 (X, W and an optional bias C)')) return null;
    const hasBias = (p.inputs[2] ?? '') !== '';
    const transB = attrInt(p, 'transB', 0);
    const bad: [string, string][] = [];
    if (attrInt(p, 'transA', 0) !== 0) bad.push(['transA', String(attrInt(p, 'transA', 0))]);
    if (transB !== 0 && transB !== 1) bad.push(['transB', String(transB)]);
    if (attrFloat(p, 'alpha', 1) !== 1) bad.push(['alpha', String(attrFloat(p, 'alpha', 1))]);
    if (hasBias && attrFloat(p, 'beta', 1) !== 1) bad.push(['beta', String(attrFloat(p, 'beta', 1))]);
    for (const [a, v] of bad) this.ds.push(diag(DIAG.onnxGemmAttribute, this.file, p.op, p.name, a, v));
    if (bad.length) return null;
    const w = this.constant(p, 1, 'weights');
    const c = hasBias ? this.constant(p, 2, 'bias') : null;
    if (!w || (hasBias && !c)) return null;
    if (!this.weightRank(w, p, transB ? '[out, in]' : '[in, out]')) return null;
    const [units, inWidth] = transB ? w.dims : [w.dims[1], w.dims[0]];
    return { main: p, nodes: [p], input: p.inputs[0], output: t, weight: w, bias: c, rowsFirst: transB === 1, inWidth, units };
  }

  private matMul(mm: OnnxNode, t: string, bias: ConstTensor | null, nodes: OnnxNode[]): DenseMatch | null {
    if (!this.arity(mm, 2, 2, '2 (X and W)')) return null;
    if (this.g.constants.has(mm.inputs[0])) {
      this.ds.push(diag(DIAG.onnxMatMulOperands, this.file, mm.op, mm.name, `multiplies ${this.g.constants.get(mm.inputs[0])!.text} by ${describe(this.g, mm.inputs[1])}`));
      return null;
    }
    const w = this.constant(mm, 1, 'weights');
    if (!w || !this.weightRank(w, mm, '[in, out]')) return null;
    return { main: mm, nodes, input: mm.inputs[0], output: t, weight: w, bias, rowsFirst: false, inWidth: w.dims[0], units: w.dims[1] };
  }

  private constant(n: OnnxNode, index: number, role: string): ConstTensor | null {
    const c = this.g.constants.get(n.inputs[index]);
    if (!c) this.ds.push(diag(DIAG.onnxNotConstant, this.file, n.op, n.name, role, n.inputs[index]));
    return c ?? null;
  }

  /** The layer ending at `t`: a dense layer, then optionally Relu, Sigmoid or Tanh. */
  layerAt(t: string, notLayer: (what: string) => Diagnostic): LayerMatch | null {
    const p = this.g.producer.get(t);
    const activation = p ? ACTIVATION_OPS[p.op] : undefined;
    if (!p || !activation) {
      if (p?.op === 'Softmax') {
        this.ds.push(diag(DIAG.onnxMisplacedActivation, this.file, p.op, p.name));
        return null;
      }
      const dense = this.denseAt(t, notLayer);
      return dense && { dense, activation: 'linear', act: null, output: t };
    }
    if (!this.arity(p, 1, 1, '1')) return null;
    const dense = this.denseAt(p.inputs[0], (what) => diag(DIAG.onnxNotALayer, this.file, `the input ${quote(p.inputs[0])} of ${clip(p.op)} node ${quote(p.name)}`, what));
    return dense && { dense, activation, act: p, output: t };
  }

  /** A chain of layers from the graph input to `top` (exclusive of what `top` feeds), first layer first. */
  chainTo(top: string, role: string, what: string): LayerMatch[] | null {
    const chain: LayerMatch[] = [];
    for (let cur = top; cur !== this.g.input; ) {
      const at = cur;
      const l = this.layerAt(at, (w) => diag(DIAG.onnxNotALayer, this.file, `${what} ${quote(at)}`, w));
      if (!l || !this.assignLayer(l, role)) return null;
      chain.unshift(l);
      cur = l.dense.input;
    }
    return chain;
  }
}

/** Rows [from, to) that output `index` of a Slice or Split over a `width`-wide tensor selects, or null (reported).
 *  The forms follow the model's opset (attributes and inputs the op does not have at it are refused in onnx-graph.ts). */
function cutRows(m: Matcher, n: OnnxNode, index: number, width: number, values: TensorValues): [number, number] | null {
  const { g, file } = m;
  const { opset } = g;
  // A constant integer input: null when it cannot be read (reported), undefined when it is not given.
  const input = (i: number, which: string, types: IntTypes): { values: number[]; type: number; tensor: ConstTensor; which: string } | null | undefined => {
    const t = n.inputs[i];
    if (t === undefined || t === '') return undefined;
    const c = g.constants.get(t);
    if (!c) {
      m.ds.push(diag(DIAG.onnxSliceNotConstant, file, n.op, n.name, which, t));
      return null;
    }
    const r = values.ints(c, `the ${which} of ${n.op} node ${quote(n.name)}`, types, MAX_LAYER_WIDTH);
    return r && { ...r, tensor: c, which };
  };
  const feature = (axis: number) => axis === 1 || axis === -1;
  const refuseSplit = (why: string) => (m.ds.push(diag(DIAG.onnxSplitSizes, file, n.op, n.name, why)), null);
  if (n.op === 'Split') {
    const axis = attrInt(n, 'axis', 0);
    if (!feature(axis)) return m.ds.push(diag(DIAG.onnxSplitAxis, file, n.op, n.name, axis)), null;
    const k = n.outputs.length;
    // The sizes: the second input from opset 13 (int64, as ONNX defines it), the 'split' attribute before.
    const given = opset >= 13 ? input(1, 'split sizes', 'int64') : null;
    if (given === null && opset >= 13) return null;
    let sizes = opset >= 13 ? given?.values : (attrInts(n, 'split') ?? undefined);
    const numOutputs = n.attrs.has('num_outputs') ? attrInt(n, 'num_outputs', 0) : null;
    if (sizes !== undefined && numOutputs !== null) return refuseSplit(`has both split sizes and num_outputs = ${numOutputs}; ONNX's Split takes one or the other`);
    if (sizes === undefined && opset >= 18) {
      // Opset 18: num_outputs parts of ceil(width / num_outputs), the last one smaller.
      if (numOutputs === null) return refuseSplit('has neither a split sizes input nor num_outputs; from opset 18, Split is given one of them');
      if (numOutputs !== k) return refuseSplit(`has num_outputs = ${numOutputs} but ${k} output${k === 1 ? '' : 's'}; ONNX's Split has as many outputs as parts`);
      const chunk = Math.ceil(width / k);
      sizes = Array.from({ length: k }, (_, i) => (i < k - 1 ? chunk : width - chunk * (k - 1)));
    } else if (sizes === undefined) {
      // Before opset 18, equal parts, one per output: ONNX requires them exactly equal.
      if (width % k !== 0) return refuseSplit(`has no split sizes and ${k} outputs, but cuts a ${width}-wide tensor; without sizes, Split at opset ${opset} cuts equal parts, so the width must divide evenly (give the sizes ${opset >= 13 ? 'as its second input' : "as the 'split' attribute"})`);
      sizes = Array.from({ length: k }, () => width / k);
    }
    const sum = sizes.reduce((a, b) => a + b, 0);
    const why =
      sizes.length !== k ? `has ${k} outputs but ${sizes.length} split sizes [${sizes.join(', ')}]` : sum !== width || sizes.some((s) => s <= 0) ? `splits a ${width}-wide tensor into sizes [${sizes.join(', ')}]; the sizes are positive and add up to ${width}` : null;
    if (why) return refuseSplit(why);
    const from = sizes.slice(0, index).reduce((a, b) => a + b, 0);
    return [from, from + sizes[index]];
  }
  // Slice: bounds as inputs from opset 10 (int32 or int64, all of one type), as attributes before.
  // null: a bound that cannot be read (reported); undefined: one not given.
  let starts: number[] | undefined, ends: number[] | undefined, axes: number[] | undefined, steps: number[] | undefined;
  if (opset >= 10) {
    const bounds = [input(1, 'starts', 'int32-or-int64'), input(2, 'ends', 'int32-or-int64'), input(3, 'axes', 'int32-or-int64'), input(4, 'steps', 'int32-or-int64')];
    if (bounds.some((b) => b === null)) return null;
    const read = bounds.filter((b) => !!b);
    const other = read.find((b) => b.type !== read[0].type);
    if (other) {
      const use = `the ${other.which} of ${n.op} node ${quote(n.name)}`;
      m.ds.push(diag(DIAG.onnxTensorType, file, other.tensor.text, use, dataTypeName(other.type), `${dataTypeName(read[0].type)}, the type of its ${read[0].which} (ONNX's Slice takes its starts, ends, axes and steps of one type)`));
      return null;
    }
    [starts, ends, axes, steps] = bounds.map((b) => b?.values);
  } else {
    [starts, ends, axes] = ['starts', 'ends', 'axes'].map((a) => attrInts(n, a) ?? undefined);
  }
  if (!starts || !ends) return m.ds.push(diag(DIAG.onnxNodeArity, file, n.op, n.name, n.inputs.length, opset >= 10 ? 'data, starts, ends and axes' : "the attributes 'starts', 'ends' and 'axes'")), null;
  const axesOr = axes ?? starts.map((_, i) => i);
  if (starts.length !== 1 || ends.length !== 1 || axesOr.length !== 1 || !feature(axesOr[0])) {
    return m.ds.push(diag(DIAG.onnxSliceAxis, file, n.op, n.name, `[${axesOr.join(', ')}]${axes ? '' : ' (by default)'}${starts.length !== 1 || ends.length !== 1 ? ` with starts [${starts.join(', ')}] and ends [${ends.join(', ')}]` : ''}`)), null;
  }
  if (steps && (steps.length !== 1 || steps[0] !== 1)) return m.ds.push(diag(DIAG.onnxSliceStep, file, n.op, n.name, `[${steps.join(', ')}]`)), null;
  // ONNX's clamping: negative indices count from the end, then both are held to [0, width].
  const clamp = (v: number) => Math.min(width, Math.max(0, v < 0 ? v + width : v));
  const [from, to] = [clamp(starts[0]), clamp(ends[0])];
  if (to <= from) return m.ds.push(diag(DIAG.onnxSliceEmpty, file, n.op, n.name, from, to, width)), null;
  return [from, to];
}

/** A control or the decision's logits as rows of a predictor output dense: a Slice/Split output, or a whole dense. */
function rowsAt(m: Matcher, t: string, predictorTensor: string | null, values: TensorValues, user: OnnxNode): RowRange | null {
  const p = m.g.producer.get(t);
  if (p && (p.op === 'Slice' || p.op === 'Split')) {
    if (!m.assign(p, 'a cut of the predictor output')) return null;
    const src = p.inputs[0] ?? '';
    const srcNode = m.g.producer.get(src);
    if (!srcNode || !DENSE_OPS.has(srcNode.op)) {
      m.ds.push(diag(DIAG.onnxCutSource, m.file, p.op, p.name, describe(m.g, src)));
      return null;
    }
    const dense = m.denseAt(src, (what) => diag(DIAG.onnxCutSource, m.file, p.op, p.name, what));
    if (!dense) return null;
    if (predictorTensor !== null && dense.input !== predictorTensor) {
      m.ds.push(diag(DIAG.onnxCutSource, m.file, p.op, p.name, `the output of ${clip(dense.main.op)} node ${quote(dense.main.name)}, which is fed by ${describe(m.g, dense.input)} while the decision's predictor tensor is ${describe(m.g, predictorTensor)}`));
      return null;
    }
    if (!dense.nodes.every((x) => m.assign(x, 'the predictor output layer'))) return null;
    const rows = cutRows(m, p, p.outputs.indexOf(t), dense.units, values);
    return rows && { dense, from: rows[0], to: rows[1] };
  }
  const dense = m.denseAt(t, (what) => diag(DIAG.onnxDecisionLogits, m.file, user.op, user.name, what));
  if (!dense) return null;
  if (!dense.nodes.every((x) => m.assign(x, 'a predictor output head'))) return null;
  return { dense, from: 0, to: dense.units };
}

/** Whether graph output `t` has the shape of a decision (a Softmax, or a Sigmoid over one logit or a cut). */
function looksLikeDecision(g: OnnxGraph, t: string): boolean {
  const p = g.producer.get(t);
  if (p?.op === 'Softmax') return true;
  if (p?.op !== 'Sigmoid') return false;
  const q = g.producer.get(p.inputs[0] ?? '');
  if (q && (q.op === 'Slice' || q.op === 'Split')) return true;
  const w = q && (q.op === 'Gemm' ? g.constants.get(q.inputs[1]) : q.op === 'MatMul' ? g.constants.get(q.inputs[1]) : undefined);
  if (!w || w.dims.length !== 2) return false;
  return (q!.op === 'Gemm' && attrInt(q!, 'transB', 0) === 1 ? w.dims[0] : w.dims[1]) === 1;
}

interface PredictorMatch {
  hidden: LayerMatch[];
  tensor: string;
  decision: { kind: 'sigmoid' | 'softmax'; rows: RowRange };
}

/** Output 1: Softmax over 2 logits or Sigmoid over 1, the logits a head or a cut; then the hidden chain to the input. */
function matchPredictor(m: Matcher, t: string, values: TensorValues): PredictorMatch | null {
  const { g, file } = m;
  const name = g.outputNames[1];
  const p = g.producer.get(t);
  if (!p || (p.op !== 'Softmax' && p.op !== 'Sigmoid')) {
    m.ds.push(diag(DIAG.onnxDecisionOp, file, name, p ? `computed by ${clip(p.op)} node ${quote(p.name)}` : describe(g, t)));
    return null;
  }
  const kind = p.op === 'Softmax' ? 'softmax' : 'sigmoid';
  if (!m.assign(p, 'the decision')) return null;
  if (kind === 'softmax') {
    const axis = attrInt(p, 'axis', g.opset < 13 ? 1 : -1);
    if (axis !== 1 && axis !== -1) return m.ds.push(diag(DIAG.onnxSoftmaxAxis, file, p.op, p.name, axis)), null;
  }
  const logits = p.inputs[0] ?? '';
  const lp = g.producer.get(logits);
  if (!lp || !(DENSE_OPS.has(lp.op) || lp.op === 'Slice' || lp.op === 'Split')) {
    m.ds.push(diag(DIAG.onnxDecisionLogits, file, p.op, p.name, describe(g, logits)));
    return null;
  }
  const rows = rowsAt(m, logits, null, values, p);
  if (!rows) return null;
  // The predictor tensor: what feeds the decision's dense (a head, or the output layer it is cut from).
  const tensor = rows.dense.input;
  const width = rows.to - rows.from;
  if (width !== (kind === 'softmax' ? 2 : 1)) return m.ds.push(diag(DIAG.onnxDecisionWidth, file, p.op, p.name, width)), null;
  const hidden = m.chainTo(tensor, 'a predictor hidden layer', "the predictor's hidden layer input");
  return hidden && { hidden, tensor, decision: { kind, rows } };
}

/** The gate `mul`: which operand is the approximator layer, which the control, and the control's rows. */
function matchGate(m: Matcher, mul: OnnxNode, pred: PredictorMatch, values: TensorValues): { hidden: string; control: ApproxStep['gate'] } | null {
  const { g, file } = m;
  if (mul.inputs.length !== 2 || mul.inputs.some((x) => x === '')) return m.ds.push(diag(DIAG.onnxNodeArity, file, mul.op, mul.name, mul.inputs.length, '2 (a hidden layer and its control)')), null;
  const strip = (t: string) => {
    const p = g.producer.get(t);
    return p && ACTIVATION_OPS[p.op] ? { act: p, inner: p.inputs[0] ?? '' } : { act: null, inner: t };
  };
  // How surely an operand is a control: a cut of the output layer (2), a dense on the predictor tensor (1), neither (0).
  const rank = (t: string) => {
    const inner = strip(t).inner;
    return isCut(g, inner) ? 2 : m.isDenseOutput(inner, pred.tensor) ? 1 : 0;
  };
  // When both rank alike (dense layers on the input, the predictor without hidden layers), the first operand
  // is taken as the layer: the product is the same either way.
  const [r0, r1] = mul.inputs.map(rank);
  const which = r0 === 0 && r1 === 0 ? -1 : r1 >= r0 ? 1 : 0;
  if (which < 0) {
    const on = pred.tensor === g.input ? `the input ${quote(g.input)}` : `the predictor's last hidden layer ${quote(pred.tensor)}`;
    m.ds.push(diag(DIAG.onnxGateOperands, file, mul.op, mul.name, describe(g, mul.inputs[0]), describe(g, mul.inputs[1]), on));
    return null;
  }
  const c = mul.inputs[which];
  const { act, inner } = strip(c);
  if (m.controlsUsed.has(inner)) return m.ds.push(diag(DIAG.onnxControlShared, file, mul.op, mul.name, mul.rawInputs[which])), null;
  m.controlsUsed.add(inner);
  if (act && !m.assign(act, `the activation of control ${quote(c)}`)) return null;
  if (!m.assign(mul, 'a gate')) return null;
  const rows = rowsAt(m, inner, pred.tensor, values, mul);
  if (!rows) return null;
  const raw = mul.rawInputs[which];
  const nameHint = /^[A-Za-z_][A-Za-z0-9_]*$/.test(raw) ? raw : rows.from === 0 && rows.to === rows.dense.units && !isCut(g, inner) ? layerName(rows.dense) : null;
  return { hidden: mul.inputs[1 - which], control: { mul, rows, activation: act ? ACTIVATION_OPS[act.op] : 'linear', nameHint } };
}

function isCut(g: OnnxGraph, t: string): boolean {
  const p = g.producer.get(t);
  return !!p && (p.op === 'Slice' || p.op === 'Split');
}

/** The approximator from output 0 back to the input, hidden layers gated through Mul. */
function matchApproximator(m: Matcher, pred: PredictorMatch | null, values: TensorValues): ApproxStep[] | null {
  const { g, file } = m;
  const out = g.outputs[0];
  const top = m.layerAt(out, (what) => diag(DIAG.onnxOutputNotLayer, file, 0, g.outputNames[0], what));
  if (!top || !m.assignLayer(top, 'the approximator output layer')) return null;
  const steps: ApproxStep[] = [{ layer: top, gate: null }];
  for (let cur = top.dense.input; cur !== g.input; ) {
    const p = g.producer.get(cur);
    if (p?.op !== 'Mul') {
      const at = cur;
      const l = m.layerAt(at, (what) => diag(DIAG.onnxNotALayer, file, `the approximator's hidden layer input ${quote(at)}`, what));
      if (!l || !m.assignLayer(l, 'an approximator hidden layer')) return null;
      steps.unshift({ layer: l, gate: null });
      cur = l.dense.input;
      continue;
    }
    if (!pred) return m.ds.push(diag(DIAG.onnxGateWithoutPredictor, file, p.op, p.name)), null;
    const gate = matchGate(m, p, pred, values);
    if (!gate) return null;
    const h = gate.hidden;
    const l = m.layerAt(h, (what) => diag(DIAG.onnxNotALayer, file, `the gated operand ${quote(h)} of ${clip(p.op)} node ${quote(p.name)}`, what));
    if (!l || !m.assignLayer(l, 'an approximator hidden layer')) return null;
    steps.unshift({ layer: l, gate: gate.control });
    cur = l.dense.input;
  }
  return steps;
}

/** The segments of each cut dense must tile its rows: no row unused, none used twice. */
function checkRowCover(m: Matcher, ranges: RowRange[]): void {
  const byDense = new Map<DenseMatch, RowRange[]>();
  for (const r of ranges) byDense.set(r.dense, [...(byDense.get(r.dense) ?? []), r]);
  for (const [d, rs] of byDense) {
    rs.sort((a, b) => a.from - b.from || a.to - b.to);
    let end = 0;
    for (const r of rs) {
      if (r.from > end) m.ds.push(diag(DIAG.onnxRowsUnused, m.file, d.main.op, d.main.name, end, r.from));
      else if (r.from < end) m.ds.push(diag(DIAG.onnxRowsTwice, m.file, d.main.op, d.main.name, r.from, Math.min(end, r.to)));
      end = Math.max(end, r.to);
    }
    if (end < d.units) m.ds.push(diag(DIAG.onnxRowsUnused, m.file, d.main.op, d.main.name, end, d.units));
  }
}

/** Layer widths along each chain must agree with the weights' shapes (checked once the structure is known). */
function checkWidths(m: Matcher, chain: LayerMatch[], inputWidth: number): number {
  let w = inputWidth;
  for (const l of chain) {
    checkFanIn(m, l.dense, w);
    w = l.dense.units;
  }
  return w;
}

function checkFanIn(m: Matcher, d: DenseMatch, width: number): void {
  const { weight: wt, main } = d;
  if (d.inWidth !== width) {
    const expected = d.rowsFirst ? [d.units, width] : [width, d.units];
    const layout = main.op === 'Gemm' ? `Gemm with transB = ${d.rowsFirst ? 1 : 0}: W is ${d.rowsFirst ? '[out, in]' : '[in, out]'}` : 'MatMul: W is [in, out]';
    m.ds.push(diag(DIAG.onnxWeightShape, m.file, wt.text, main.op, main.name, dimsText(wt.dims), dimsText(expected), `${layout}; its input ${quote(d.input)} has ${width} values`));
  }
  const b = d.bias;
  if (b && !(b.dims.length === 1 && b.dims[0] === d.units) && !(b.dims.length === 2 && b.dims[0] === 1 && b.dims[1] === d.units)) {
    const node = d.nodes[d.nodes.length - 1];
    m.ds.push(diag(DIAG.onnxWeightShape, m.file, b.text, node.op, node.name, dimsText(b.dims), `[${d.units}]`, `a bias has one value per output; the layer has ${d.units}`));
  }
}

/** The AXNet pattern in `g`, or null with the reasons. Slice and Split bounds are read here (they decide the structure). */
export function recogniseOnnxAxNet(g: OnnxGraph, file: string, modelName: string, values: TensorValues): { plan: OnnxAxNetPlan | null; diagnostics: Diagnostic[] } {
  const m = new Matcher(g, file);
  const done = (plan: OnnxAxNetPlan | null = null) => ({ plan: m.ds.length ? null : plan, diagnostics: m.ds });
  let pred: PredictorMatch | null = null;
  if (g.outputs.length === 2) {
    if (looksLikeDecision(g, g.outputs[0]) && !looksLikeDecision(g, g.outputs[1])) {
      m.ds.push(diag(DIAG.onnxOutputOrder, file, g.outputNames[0], g.outputNames[1]));
      return done();
    }
    pred = matchPredictor(m, g.outputs[1], values);
    if (!pred) return done();
  }
  const approximator = matchApproximator(m, pred, values);
  if (!approximator) return done();
  for (const n of m.unassigned()) m.ds.push(diag(DIAG.onnxNodeUnused, file, n.op, n.name));
  if (m.ds.length) return done();

  // Widths: chains from the input, control widths against the layers they gate.
  checkWidths(
    m,
    approximator.map((s) => s.layer),
    g.inputWidth,
  );
  if (pred) {
    const pw = checkWidths(m, pred.hidden, g.inputWidth);
    const outs = new Set([pred.decision.rows.dense, ...approximator.flatMap((s) => (s.gate ? [s.gate.rows.dense] : []))]);
    for (const d of outs) checkFanIn(m, d, pw);
    for (const s of approximator) {
      if (!s.gate) continue;
      const { rows, mul } = s.gate;
      const cw = rows.to - rows.from;
      if (cw !== s.layer.dense.units) m.ds.push(diag(DIAG.onnxControlWidth, file, mul.rawInputs[mul.inputs.indexOf(s.layer.output) === 0 ? 1 : 0], cw, layerName(s.layer.dense), s.layer.dense.units, mul.op, mul.name));
    }
    checkRowCover(m, [pred.decision.rows, ...approximator.flatMap((s) => (s.gate ? [s.gate.rows] : []))]);
  }
  if (m.ds.length) return done();
  const cutDenses = new Set([...(pred ? [pred.decision.rows] : []), ...approximator.flatMap((s) => (s.gate ? [s.gate.rows] : []))].map((r) => r.dense));
  const splitName = pred && cutDenses.size === 1 ? layerName([...cutDenses][0]) : null;
  return done({ name: modelName, inputWidth: g.inputWidth, approximator, predictorHidden: pred?.hidden ?? [], decision: pred?.decision ?? null, splitName });
}
