// An AXNet as tfjs variables (approximation subnet, prediction subnet with its split output layer, optional
// shared first hidden layer), its forward pass, seeded initialisation, and export to the AxModel IR.

import type { Tensor, Tensor2D, Variable } from '@tensorflow/tfjs';
import type { ApproxLayer, AxModel, ControlSegment, Decision, DenseLayer, Quality } from '../ir/model.ts';
import { kernelToRows } from '../ir/keras-kernel.ts';
import { SeededRandom } from '../ir/seeded-random.ts';
import type { Tfjs } from '../tfjs-runtime/load-tfjs.ts';

export type DecisionKind = 'softmax' | 'sigmoid';

/** Which approximator hidden layers the predictor gates: all, one (1-based), or none. */
export type ControlChoice = 'all' | 'none' | number;

export interface NetSpec {
  inputWidth: number;
  outputWidth: number;
  /** Widths of the approximator's hidden layers (its output layer has outputWidth units, linear). */
  approxHidden: number[];
  /** Widths of the predictor's hidden layers (ReLU). With shareFirst, the first is the shared layer. */
  predictHidden: number[];
  control: ControlChoice;
  decision: DecisionKind;
  /** Weight sharing (paper Fig. 1b): approximator hidden layer 1 is also predictor hidden layer 1. */
  shareFirst?: boolean;
  /** The control segments' initial bias (default CONTROL_BIAS). */
  controlBias?: number;
}

/**
 * Initial bias of the control segments: 0, as in the authors' code, so the gates start near 0. (1, gates
 * open from the start, is the ablation `npm run experiments` reports beside it.)
 */
export const CONTROL_BIAS = 0;

/**
 * Initial bias of ReLU hidden units. Slightly positive so that a unit starts active over most of the input
 * range: AxBench inputs are mostly non-negative, and with zero biases a unit with negative weights is dead
 * from the first step (this stalls e.g. fft's 1-input approximator at predicting the mean).
 */
export const HIDDEN_BIAS = 0.1;

/** The softmax decision's logit order: [unsafe, safe], so the IR decision is softmax(safe: 1). */
export const SAFE_INDEX = 1;

interface Dense {
  /** Kernel [in][out], as tfjs lays it out. */
  w: Variable;
  b: Variable;
  inWidth: number;
  width: number;
}

export interface Forward {
  /** H(x), [batch, outputWidth]. */
  h: Tensor2D;
  /** c(i) for each controlled hidden layer, in layer order. */
  controls: Tensor2D[];
  /** The decision segment before its activation: [batch, 2] softmax logits or [batch, 1] sigmoid logit. */
  logits: Tensor2D;
}

/** Trainable values of a network of this shape, as AxNet.parameterCount() counts them (a shared layer once). */
export function topologyParameters(spec: Pick<NetSpec, 'inputWidth' | 'outputWidth' | 'approxHidden' | 'predictHidden' | 'control' | 'decision' | 'shareFirst'>): number {
  const dense = (inW: number, outW: number) => inW * outW + outW;
  let n = 0;
  let w = spec.inputWidth;
  for (const h of spec.approxHidden) {
    n += dense(w, h);
    w = h;
  }
  n += dense(w, spec.outputWidth);
  const own = spec.shareFirst ? spec.predictHidden.slice(1) : spec.predictHidden;
  w = spec.shareFirst ? spec.approxHidden[0] : spec.inputWidth;
  for (const h of own) {
    n += dense(w, h);
    w = h;
  }
  const controlled = controlledLayers(spec.control, spec.approxHidden.length);
  const segments = spec.approxHidden.reduce((s, h, i) => s + (controlled[i] ? h : 0), 0);
  return n + dense(w, segments + (spec.decision === 'softmax' ? 2 : 1));
}

/** Which hidden layers a control choice gates (validated by the caller). */
export function controlledLayers(control: ControlChoice, hidden: number): boolean[] {
  return Array.from({ length: hidden }, (_, i) => control === 'all' || control === i + 1);
}

export class AxNet {
  readonly approx: Dense[] = [];
  /** The predictor's own hidden layers (without the shared one). */
  readonly predictHidden: Dense[] = [];
  readonly predictOut: Dense;
  readonly controlled: boolean[];
  readonly decisionWidth: number;

  constructor(
    private readonly tf: Tfjs,
    readonly spec: NetSpec,
    seed: number,
  ) {
    const rng = new SeededRandom(seed);
    this.controlled = controlledLayers(spec.control, spec.approxHidden.length);
    this.decisionWidth = spec.decision === 'softmax' ? 2 : 1;
    let w = spec.inputWidth;
    spec.approxHidden.forEach((width) => {
      this.approx.push(this.dense(rng, w, width, HIDDEN_BIAS));
      w = width;
    });
    this.approx.push(this.dense(rng, w, spec.outputWidth, 0));
    const own = spec.shareFirst ? spec.predictHidden.slice(1) : spec.predictHidden;
    w = spec.shareFirst ? spec.approxHidden[0] : spec.inputWidth;
    for (const width of own) {
      this.predictHidden.push(this.dense(rng, w, width, HIDDEN_BIAS));
      w = width;
    }
    const segments = spec.approxHidden.filter((_, i) => this.controlled[i]);
    const outWidth = segments.reduce((a, b) => a + b, 0) + this.decisionWidth;
    const bias = new Float32Array(outWidth);
    bias.fill(spec.controlBias ?? CONTROL_BIAS, 0, outWidth - this.decisionWidth);
    this.predictOut = this.dense(rng, w, outWidth, bias);
  }

  /** Glorot-uniform kernel drawn from the seeded generator (row-major [in][out]); bias constant or given. */
  private dense(rng: SeededRandom, inWidth: number, width: number, bias: number | Float32Array): Dense {
    const limit = Math.sqrt(6 / (inWidth + width));
    const k = new Float32Array(inWidth * width);
    for (let i = 0; i < k.length; i++) k[i] = rng.uniform(-limit, limit);
    const b = typeof bias === 'number' ? new Float32Array(width).fill(bias) : bias;
    return { w: this.tf.variable(this.tf.tensor2d(k, [inWidth, width])), b: this.tf.variable(this.tf.tensor1d(b)), inWidth, width };
  }

  approxVariables(): Variable[] {
    return this.approx.flatMap((d) => [d.w, d.b]);
  }

  /** The predictor's own variables (the shared layer, when there is one, belongs to the approximator). */
  predictorVariables(): Variable[] {
    return [...this.predictHidden, this.predictOut].flatMap((d) => [d.w, d.b]);
  }

  variables(): Variable[] {
    return [...this.approxVariables(), ...this.predictorVariables()];
  }

  private affine(d: Dense, x: Tensor2D): Tensor2D {
    return this.tf.add(this.tf.matMul(x, d.w), d.b);
  }

  /** The prediction subnet: control vectors and decision logits. */
  predict(x: Tensor2D): { controls: Tensor2D[]; logits: Tensor2D } {
    const tf = this.tf;
    let h = this.spec.shareFirst ? tf.relu(this.affine(this.approx[0], x)) : x;
    for (const d of this.predictHidden) h = tf.relu(this.affine(d, h));
    const o = this.affine(this.predictOut, h);
    const controls: Tensor2D[] = [];
    let col = 0;
    this.spec.approxHidden.forEach((width, i) => {
      if (!this.controlled[i]) return;
      controls.push(tf.slice(o, [0, col], [-1, width]));
      col += width;
    });
    return { controls, logits: tf.slice(o, [0, col], [-1, this.decisionWidth]) };
  }

  /** The approximation subnet, gated by `controls` (one per controlled hidden layer, in order). */
  approximate(x: Tensor2D, controls: Tensor2D[]): Tensor2D {
    const tf = this.tf;
    let h = x;
    let k = 0;
    const last = this.approx.length - 1;
    this.approx.forEach((d, i) => {
      const a = this.affine(d, h);
      if (i === last) h = a;
      else {
        h = tf.relu(a);
        if (this.controlled[i]) h = tf.mul(h, controls[k++]);
      }
    });
    return h;
  }

  forward(x: Tensor2D): Forward {
    const { controls, logits } = this.predict(x);
    return { h: this.approximate(x, controls), controls, logits };
  }

  /** 1 where the decision invokes the approximator (the IR's rule: safe logit strictly wins, or p > 0.5). */
  invokes(logits: Tensor2D): Tensor {
    const tf = this.tf;
    if (this.decisionWidth === 1) return tf.cast(tf.greater(logits, 0), 'float32').reshape([-1]);
    const safe = tf.slice(logits, [0, SAFE_INDEX], [-1, 1]);
    const other = tf.slice(logits, [0, 1 - SAFE_INDEX], [-1, 1]);
    return tf.cast(tf.greater(safe, other), 'float32').reshape([-1]);
  }

  /** The variables' current values, to restore later (the iterative baseline keeps its best round). */
  snapshot(): Float32Array[] {
    return this.variables().map((v) => v.dataSync() as Float32Array).map((a) => a.slice());
  }

  restore(values: Float32Array[]): void {
    this.variables().forEach((v, i) => {
      const t = this.tf.tensor(values[i], v.shape);
      v.assign(t);
      t.dispose();
    });
  }

  /** Trainable values, each counted once (a shared layer is one layer, though the export writes it twice). */
  parameterCount(): number {
    return this.variables().reduce((n, v) => n + v.size, 0);
  }

  dispose(): void {
    for (const v of this.variables()) v.dispose();
  }

  /** The trained network as an AxModel: weights transposed to the IR's [out][in], the shared layer duplicated. */
  toAxModel(meta: { name: string; quality: Quality; benchmark?: string }): AxModel {
    const irDense = (d: Dense, name: string, activation: DenseLayer['activation']): DenseLayer => ({
      name,
      inWidth: d.inWidth,
      width: d.width,
      activation,
      weights: kernelToRows(d.w.dataSync() as Float32Array, d.inWidth, d.width),
      bias: Float32Array.from(d.b.dataSync() as Float32Array),
    });
    const last = this.approx.length - 1;
    const approximator: ApproxLayer[] = this.approx.map((d, i) => ({
      ...irDense(d, i === last ? 'out' : `h${i + 1}`, i === last ? 'linear' : 'relu'),
      control: i < last && this.controlled[i] ? `c${i + 1}` : null,
    }));
    const hidden: DenseLayer[] = [];
    if (this.spec.shareFirst) hidden.push(irDense(this.approx[0], 'p1', 'relu'));
    for (const d of this.predictHidden) hidden.push(irDense(d, `p${hidden.length + 1}`, 'relu'));
    const segments: ControlSegment[] = [];
    this.spec.approxHidden.forEach((width, i) => {
      if (this.controlled[i]) segments.push({ name: `c${i + 1}`, width, activation: 'linear' });
    });
    const decision: Decision = this.spec.decision === 'softmax' ? { kind: 'softmax', safeIndex: SAFE_INDEX, threshold: 0.5 } : { kind: 'sigmoid', threshold: 0.5 };
    const o = irDense(this.predictOut, 'pout', 'linear');
    return {
      name: meta.name,
      inputWidth: this.spec.inputWidth,
      outputWidth: this.spec.outputWidth,
      approximator,
      predictor: { hidden, output: { name: 'pout', inWidth: o.inWidth, segments, decision, weights: o.weights, bias: o.bias } },
      quality: meta.quality,
      ...(meta.benchmark ? { benchmark: meta.benchmark } : {}),
    };
  }
}
