// Builds ONNX models of the AXNet pattern in TypeScript, with onnx-proto, laid out the way torch.onnx.export
// writes an AXNet module: nn.Linear as Gemm(transB=1) with `h1.weight`/`h1.bias` initializers (or the other
// spellings: transB=0, MatMul+Add, MatMul alone), gates as Mul, the predictor's output cut by Slice/Split or
// computed as separate heads. Weights are seeded random; every variant the importer reads can be written.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Activation } from '../../ir/model.ts';
import { SeededRandom } from '../../ir/seeded-random.ts';
import { onnxProto, type onnx } from '../../frontend/onnx/onnx-schema.ts';

export type DenseStyle = 'gemm-t' | 'gemm' | 'matmul-add' | 'matmul';
/** How the predictor's output becomes controls and the decision. */
export type CutStyle = 'slice-const' | 'slice-init' | 'slice-attr' | 'split-input' | 'split-attr' | 'split-num' | 'heads';
export type WeightStore = 'raw' | 'float' | 'external';

export interface LayerSpec {
  width: number;
  act: Activation;
}

export interface ApproxLayerSpec extends LayerSpec {
  /** The control's activation when this hidden layer is gated. */
  control?: Activation;
}

export interface OnnxSpec {
  seed: number;
  inputWidth: number;
  /** Hidden layers, then the output layer (never gated). */
  approx: ApproxLayerSpec[];
  /** Absent: a plain MLP with one output. */
  predictor?: {
    hidden: LayerSpec[];
    decision: 'softmax' | 'sigmoid';
    cut: CutStyle;
    /** Lay the cut output's rows out as [decision, last control, ..., first control] (the importer reorders). */
    reversed?: boolean;
    /** Name each control tensor entering its Mul `c<k>` (a plain identifier) rather than torch's `/Slice_output_0`. */
    plainControlNames?: boolean;
    /** Write Mul(control, hidden) rather than Mul(hidden, control). */
    controlFirst?: boolean;
  };
  dense?: DenseStyle;
  opset?: number;
  store?: WeightStore;
  /** Put Identity, Flatten and Dropout (inference) nodes in the chains, as torch does for nn.Identity/Flatten/Dropout. */
  passThrough?: boolean;
  /** metadata_props 'axc', as JSON. */
  metadata?: unknown;
  graphName?: string;
}

const FLOAT = 1;
const INT64 = 7;
const BOOL = 9;
const ATTR = { FLOAT: 1, INT: 2, TENSOR: 4, INTS: 7 } as const;
const INT64_MAX = '9223372036854775807';
const ACT_OP: Record<Exclude<Activation, 'linear'>, string> = { relu: 'Relu', sigmoid: 'Sigmoid', tanh: 'Tanh' };

type Attr = onnx.IAttributeProto;
export const intAttr = (name: string, i: number | string): Attr => ({ name, type: ATTR.INT, i: i as number });
export const intsAttr = (name: string, ints: (number | string)[]): Attr => ({ name, type: ATTR.INTS, ints: ints as number[] });
export const floatAttr = (name: string, f: number): Attr => ({ name, type: ATTR.FLOAT, f });

function floatBytes(v: Float32Array): Uint8Array {
  const out = new Uint8Array(v.length * 4);
  const view = new DataView(out.buffer);
  v.forEach((x, i) => view.setFloat32(i * 4, x, true));
  return out;
}

function int64Bytes(v: (number | string)[]): Uint8Array {
  const out = new Uint8Array(v.length * 8);
  const view = new DataView(out.buffer);
  v.forEach((x, i) => view.setBigInt64(i * 8, BigInt(x), true));
  return out;
}

/** A graph under construction: nodes in order, initializers, and external data when the store is 'external'. */
export class GraphBuilder {
  readonly nodes: onnx.INodeProto[] = [];
  readonly initializers: onnx.ITensorProto[] = [];
  private external: Uint8Array[] = [];
  private externalBytes = 0;
  private counter = 0;

  constructor(
    readonly store: WeightStore = 'raw',
    readonly externalName = 'model.onnx.data',
  ) {}

  node(op: string, inputs: string[], outputs: string[], name: string, attribute: Attr[] = []): void {
    this.nodes.push({ opType: op, input: inputs, output: outputs, name, attribute });
  }

  /** A fresh torch-like tensor name: `/<scope>/<Op>_output_0`. */
  fresh(scope: string, op: string): string {
    return `/${scope}/${op}_output_${this.counter++}`;
  }

  floatInit(name: string, dims: number[], values: Float32Array): string {
    const t: onnx.ITensorProto = { name, dims, dataType: FLOAT };
    if (this.store === 'float') t.floatData = Array.from(values);
    else if (this.store === 'raw') t.rawData = floatBytes(values);
    else {
      const bytes = floatBytes(values);
      t.dataLocation = 1;
      t.externalData = [
        { key: 'location', value: this.externalName },
        { key: 'offset', value: String(this.externalBytes) },
        { key: 'length', value: String(bytes.length) },
      ];
      this.external.push(bytes);
      this.externalBytes += bytes.length;
    }
    this.initializers.push(t);
    return name;
  }

  int64Init(name: string, values: (number | string)[]): string {
    const t: onnx.ITensorProto = { name, dims: [values.length], dataType: INT64 };
    if (this.store === 'float') t.int64Data = values as number[];
    else t.rawData = int64Bytes(values);
    this.initializers.push(t);
    return name;
  }

  /** A Constant node holding INT64 values, as torch writes Slice bounds. */
  int64Const(scope: string, values: (number | string)[]): string {
    const out = this.fresh(scope, 'Constant');
    this.node('Constant', [], [out], `/${scope}/Constant_${this.counter++}`, [{ name: 'value', type: ATTR.TENSOR, t: { dims: [values.length], dataType: INT64, rawData: int64Bytes(values) } }]);
    return out;
  }

  boolConst(scope: string, value: boolean): string {
    const out = this.fresh(scope, 'Constant');
    this.node('Constant', [], [out], `/${scope}/Constant_${this.counter++}`, [{ name: 'value', type: ATTR.TENSOR, t: { dims: [], dataType: BOOL, rawData: new Uint8Array([value ? 1 : 0]) } }]);
    return out;
  }

  externalData(): Uint8Array | null {
    if (this.store !== 'external') return null;
    const all = new Uint8Array(this.externalBytes);
    let at = 0;
    for (const b of this.external) {
      all.set(b, at);
      at += b.length;
    }
    return all;
  }
}

export function valueInfo(name: string, dims: (number | string)[], elemType = FLOAT): onnx.IValueInfoProto {
  return { name, type: { tensorType: { elemType, shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } } };
}

/** A ModelProto around a graph, default-domain opset `opset`. */
export function modelProto(b: GraphBuilder, inputs: onnx.IValueInfoProto[], outputs: onnx.IValueInfoProto[], opts: { opset?: number; graphName?: string; metadata?: unknown } = {}): onnx.IModelProto {
  return {
    irVersion: 8,
    producerName: 'pytorch',
    producerVersion: '2.1.0',
    opsetImport: [{ domain: '', version: opts.opset ?? 13 }],
    graph: { name: opts.graphName ?? 'main_graph', node: b.nodes, initializer: b.initializers, input: inputs, output: outputs },
    metadataProps: opts.metadata === undefined ? [] : [{ key: 'axc', value: JSON.stringify(opts.metadata) }],
  };
}

export function encodeModel(m: onnx.IModelProto): Uint8Array {
  return onnxProto().ModelProto.encode(m).finish();
}

/** Writes the model's bytes (and its external data beside it) to `dir/file`; returns the model's path. */
export function writeModel(dir: string, file: string, m: onnx.IModelProto, b: GraphBuilder): string {
  const path = join(dir, file);
  writeFileSync(path, encodeModel(m));
  const ext = b.externalData();
  if (ext) writeFileSync(join(dir, b.externalName), ext);
  return path;
}

/** Seeded weights, scaled by fan-in so activations stay moderate. */
function randomDense(rng: SeededRandom, inWidth: number, units: number): { rows: Float32Array; bias: Float32Array } {
  const s = 1.5 / Math.sqrt(inWidth);
  const rows = Float32Array.from({ length: units * inWidth }, () => rng.uniform(-s, s));
  const bias = Float32Array.from({ length: units }, () => rng.uniform(-0.5, 0.5));
  return { rows, bias };
}

/** [units][in] rows as a [in][units] matrix. */
function transpose(rows: Float32Array, inWidth: number, units: number): Float32Array {
  const out = new Float32Array(rows.length);
  for (let o = 0; o < units; o++) for (let i = 0; i < inWidth; i++) out[i * units + o] = rows[o * inWidth + i];
  return out;
}

/** The AXNet module as torch would export it. */
class AxNetWriter {
  readonly b: GraphBuilder;
  private readonly rng: SeededRandom;
  private readonly style: DenseStyle;

  constructor(readonly spec: OnnxSpec, externalName: string) {
    this.b = new GraphBuilder(spec.store ?? 'raw', externalName);
    this.rng = new SeededRandom(spec.seed);
    this.style = spec.dense ?? 'gemm-t';
  }

  /** nn.Linear `name` on tensor x: its output tensor. */
  dense(name: string, x: string, inWidth: number, units: number): string {
    const { b } = this;
    const { rows, bias } = randomDense(this.rng, inWidth, units);
    if (this.style === 'gemm-t' || this.style === 'gemm') {
      const t = this.style === 'gemm-t';
      const w = b.floatInit(`${name}.weight`, t ? [units, inWidth] : [inWidth, units], t ? rows : transpose(rows, inWidth, units));
      const c = b.floatInit(`${name}.bias`, [units], bias);
      const out = b.fresh(name, 'Gemm');
      b.node('Gemm', [x, w, c], [out], `/${name}/Gemm`, [floatAttr('alpha', 1), floatAttr('beta', 1), ...(t ? [intAttr('transB', 1)] : [])]);
      return out;
    }
    // torch writes the transposed weight as an anonymous initializer, then Add of the bias.
    const w = b.floatInit(`onnx::MatMul_${name}`, [inWidth, units], transpose(rows, inWidth, units));
    const mm = b.fresh(name, 'MatMul');
    b.node('MatMul', [x, w], [mm], `/${name}/MatMul`);
    if (this.style === 'matmul') return mm;
    const c = b.floatInit(`${name}.bias`, [units], bias);
    const out = b.fresh(name, 'Add');
    b.node('Add', [c, mm], [out], `/${name}/Add`); // torch puts the bias first
    return out;
  }

  act(scope: string, x: string, a: Activation, out?: string): string {
    if (a === 'linear') return x;
    const op = ACT_OP[a];
    const y = out ?? this.b.fresh(scope, op);
    this.b.node(op, [x], [y], `/${scope}/${op}`);
    return y;
  }

  pass(scope: string, x: string): string {
    if (!this.spec.passThrough) return x;
    const y = this.b.fresh(scope, 'Identity');
    this.b.node('Identity', [x], [y], `/${scope}/Identity`);
    return y;
  }

  /** The cut output layer `pout`: rows laid out in `layout` order; returns each part's tensor, by part index. */
  cut(p: string, pw: number, widths: number[], layout: number[]): string[] {
    const { b, spec } = this;
    const pred = spec.predictor!;
    const total = widths.reduce((a, c) => a + c, 0);
    const pout = this.dense('pout', p, pw, total);
    const out: string[] = [];
    let from = 0;
    const laidOut = layout.map((k) => {
      const r = { k, from, to: from + widths[k] };
      from += widths[k];
      return r;
    });
    if (pred.cut.startsWith('split')) {
      const outs = laidOut.map(() => b.fresh('Split', 'Split'));
      const sizes = laidOut.map((r) => r.to - r.from);
      const attrs = [intAttr('axis', 1)];
      const inputs = [pout];
      if (pred.cut === 'split-input') inputs.push(b.int64Init('split_sizes', sizes));
      else if (pred.cut === 'split-attr') attrs.push(intsAttr('split', sizes));
      else attrs.push(intAttr('num_outputs', sizes.length));
      b.node('Split', inputs, outs, '/Split', attrs);
      laidOut.forEach((r, i) => (out[r.k] = outs[i]));
      return out;
    }
    laidOut.forEach((r, i) => {
      const y = b.fresh('Slice', 'Slice');
      const last = i === laidOut.length - 1;
      if (pred.cut === 'slice-attr') {
        b.node('Slice', [pout], [y], `/Slice_${i}`, [intsAttr('starts', [r.from]), intsAttr('ends', [r.to]), intsAttr('axes', [1])]);
      } else if (pred.cut === 'slice-init') {
        // The last part as torch writes `t[:, -w:]`: a negative start and an INT64_MAX end.
        const s = last ? -(r.to - r.from) : r.from;
        const e = last ? INT64_MAX : r.to;
        b.node('Slice', [pout, b.int64Init(`slice${i}.starts`, [s]), b.int64Init(`slice${i}.ends`, [e]), b.int64Init(`slice${i}.axes`, [-1]), b.int64Init(`slice${i}.steps`, [1])], [y], `/Slice_${i}`);
      } else {
        b.node('Slice', [pout, b.int64Const('Slice', [r.from]), b.int64Const('Slice', [r.to]), b.int64Const('Slice', [1]), b.int64Const('Slice', [1])], [y], `/Slice_${i}`);
      }
      out[r.k] = y;
    });
    return out;
  }

  build(): { model: onnx.IModelProto; b: GraphBuilder } {
    const { spec, b } = this;
    const pred = spec.predictor;
    const input = 'input';
    const gated = spec.approx.slice(0, -1).map((l, i) => ({ l, i })).filter(({ l }) => pred && l.control !== undefined);
    // The predictor first (torch traces forward() in order; the order of nodes does not matter to ONNX).
    let controls: string[] = [];
    let decision: string | null = null;
    if (pred) {
      let p = input;
      let pw = spec.inputWidth;
      if (spec.passThrough) {
        const f = b.fresh('flatten', 'Flatten');
        b.node('Flatten', [p], [f], '/flatten/Flatten', [intAttr('axis', 1)]);
        p = f;
      }
      pred.hidden.forEach((l, i) => {
        p = this.act(`pact${i + 1}`, this.dense(`p${i + 1}`, p, pw, l.width), l.act);
        pw = l.width;
        if (spec.passThrough) {
          const y = b.fresh('dropout', 'Dropout');
          const ratio = b.fresh('dropout', 'Constant');
          b.node('Constant', [], [ratio], `/dropout/Constant_r${i}`, [{ name: 'value', type: ATTR.TENSOR, t: { dims: [], dataType: FLOAT, rawData: floatBytes(Float32Array.of(0.5)) } }]);
          b.node('Dropout', [p, ratio, b.boolConst('dropout', false)], [y, b.fresh('dropout', 'mask')], `/dropout/Dropout_${i}`);
          p = y;
        }
      });
      const decW = pred.decision === 'softmax' ? 2 : 1;
      const widths = [...gated.map(({ l }) => l.width), decW];
      let parts: string[];
      if (pred.cut === 'heads') {
        parts = widths.map((w, k) => this.dense(k === widths.length - 1 ? 'dec' : `c${gated[k].i + 1}`, p, pw, w));
      } else {
        const order = widths.map((_, k) => k);
        parts = this.cut(p, pw, widths, pred.reversed ? order.reverse() : order);
      }
      controls = gated.map(({ l }, k) => this.act(`cact${k + 1}`, parts[k], l.control!, pred.plainControlNames ? `c${gated[k].i + 1}` : undefined));
      decision = pred.decision === 'softmax' ? b.fresh('Softmax', 'Softmax') : b.fresh('Sigmoid', 'Sigmoid');
      const last = parts[parts.length - 1];
      if (pred.decision === 'softmax') b.node('Softmax', [last], [decision], '/Softmax', (spec.opset ?? 13) >= 13 ? [intAttr('axis', 1)] : []);
      else b.node('Sigmoid', [last], [decision], '/Sigmoid');
    }
    let h = input;
    let hw = spec.inputWidth;
    spec.approx.forEach((l, i) => {
      const isOut = i === spec.approx.length - 1;
      const name = isOut ? 'out' : `h${i + 1}`;
      h = this.act(`${name}act`, this.dense(name, h, hw, l.width), l.act);
      hw = l.width;
      const k = gated.findIndex((x) => x.i === i);
      if (k >= 0) {
        const y = b.fresh(`gate${i + 1}`, 'Mul');
        b.node('Mul', pred!.controlFirst ? [controls[k], h] : [h, controls[k]], [y], `/gate${i + 1}/Mul`);
        h = y;
      }
      if (i === 0 && !isOut) h = this.pass('identity', h);
    });
    // torch names the graph outputs after the module's return values.
    const outputs: onnx.IValueInfoProto[] = [];
    b.node('Identity', [h], ['output'], '/Identity_out');
    outputs.push(valueInfo('output', ['batch', hw]));
    if (decision) {
      b.node('Identity', [decision], ['decision'], '/Identity_dec');
      outputs.push(valueInfo('decision', ['batch', pred!.decision === 'softmax' ? 2 : 1]));
    }
    const model = modelProto(b, [valueInfo(input, ['batch', spec.inputWidth])], outputs, { opset: spec.opset, graphName: spec.graphName, metadata: spec.metadata });
    return { model, b };
  }
}

/** The AXNet model of `spec` as a ModelProto (and its builder, for the external data). */
export function buildAxNetOnnx(spec: OnnxSpec, externalName = 'model.onnx.data'): { model: onnx.IModelProto; b: GraphBuilder } {
  return new AxNetWriter(spec, externalName).build();
}

/** Writes `spec` as `dir/<file>` (external data, if any, as `<file>.data`); returns the .onnx path. */
export function writeAxNetOnnx(spec: OnnxSpec, dir: string, file: string): string {
  const { model, b } = buildAxNetOnnx(spec, `${file}.data`);
  return writeModel(dir, file, model, b);
}

/**
 * onnxruntime's own Sigmoid is accurate to about 1.7e-7 absolute, not relative: over 200,001 inputs in [-20, 20]
 * a third of its outputs were more than 1e-5 (relative) from float64, and at -18 it was off by 4.7x. A P(x) from
 * a Sigmoid is therefore held to 1e-5 of itself or to this absolute bound, whichever is larger.
 */
export const ORT_SIGMOID_ABS = 2.5e-7;
