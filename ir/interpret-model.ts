// The reference interpreter: the numerical definition of an AXNet (DESIGN.md §1) in float32 with the
// summation order of ir/numerics.ts. The simulator must equal it bit for bit.

import { decisionOffset, type AxModel, type DenseLayer } from './model.ts';
import { applyActivation, decisionCut, decisionInvokes, dotBias, gate, softmaxMargin, softmaxSafeProbability } from './numerics.ts';
import { interpretLayers, type ModelNumerics } from './numerics-plan.ts';

export interface Evaluation {
  /** H(x), computed whether or not the predictor invokes. */
  y: Float32Array;
  /** c(i) for each control segment, in the predictor output's order. */
  controls: Float32Array[];
  /** The decision segment's outputs: P(x) (sigmoid) or the two logits (softmax). */
  decision: Float32Array;
  /** P(x): the sigmoid output or the softmax probability of the safe logit; 1 with no predictor. */
  p: number;
  /** What the controller compares with the decision's cut (ir/numerics.ts): P(x) for sigmoid, the safe
   *  logit's margin for softmax; +Infinity with no predictor, which every cut lets through. */
  score: number;
  /** score > decisionCut(kind, threshold). */
  invoke: boolean;
}

function dense(l: Pick<DenseLayer, 'inWidth' | 'weights' | 'bias'>, x: Float32Array, act: (j: number, a: number) => number, firstRow: number, rows: number): Float32Array {
  const out = new Float32Array(rows);
  for (let j = 0; j < rows; j++) out[j] = act(j, dotBias(l.weights, (firstRow + j) * l.inWidth, x, 0, l.inWidth, l.bias[firstRow + j]));
  return out;
}

/** The model on `x`: in fp32 (ir/numerics.ts), or in a datapath's formats when given its numerics
 *  (ir/numerics-plan.ts), where the host receives H(x) rounded to float32. */
export function interpretModel(model: AxModel, x: Float32Array, numerics?: ModelNumerics): Evaluation {
  if (numerics) return interpretInFormats(model, x, numerics);
  const controls: Float32Array[] = [];
  const byName = new Map<string, Float32Array>();
  let decision: Float32Array = new Float32Array(0);
  let p = 1;
  let score = Infinity;
  let invoke = true;
  const pr = model.predictor;
  if (pr) {
    let h: Float32Array = x;
    for (const l of pr.hidden) h = dense(l, h, (_, a) => applyActivation(l.activation, a), 0, l.width);
    const o = pr.output;
    let row = 0;
    for (const s of o.segments) {
      const c = dense(o, h, (_, a) => applyActivation(s.activation, a), row, s.width);
      controls.push(c);
      byName.set(s.name, c);
      row += s.width;
    }
    const d = o.decision;
    if (d.kind === 'sigmoid') {
      decision = dense(o, h, (_, a) => applyActivation('sigmoid', a), decisionOffset(o), 1);
      p = decision[0];
      score = p;
    } else {
      decision = dense(o, h, (_, a) => a, decisionOffset(o), 2);
      const safe = decision[d.safeIndex];
      const other = decision[1 - d.safeIndex];
      p = softmaxSafeProbability(safe, other);
      score = softmaxMargin(safe, other);
    }
    invoke = decisionInvokes(score, decisionCut(d.kind, d.threshold));
  }
  let h: Float32Array = x;
  for (const l of model.approximator) {
    const c = l.control ? byName.get(l.control)! : null;
    h = dense(l, h, (j, a) => {
      const v = applyActivation(l.activation, a);
      return c ? gate(v, c[j]) : v;
    }, 0, l.width);
  }
  return { y: h, controls, decision, p, score, invoke };
}

function interpretInFormats(model: AxModel, x: Float32Array, n: ModelNumerics): Evaluation {
  const outs = interpretLayers(n, x);
  const pr = model.predictor;
  const controls: Float32Array[] = [];
  let decision: Float32Array = new Float32Array(0);
  let p = 1;
  let score = Infinity;
  let invoke = true;
  if (pr) {
    const at = pr.hidden.length;
    const o = outs[at];
    let row = 0;
    for (const s of pr.output.segments) {
      controls.push(Float32Array.from(o.subarray(row, row + s.width)));
      row += s.width;
    }
    const d = pr.output.decision;
    if (d.kind === 'sigmoid') {
      p = o[row];
      score = p;
      decision = Float32Array.of(p);
    } else {
      const safe = o[row + d.safeIndex];
      const other = o[row + 1 - d.safeIndex];
      decision = Float32Array.of(o[row], o[row + 1]);
      p = softmaxSafeProbability(safe, other);
      score = n.arithmetic[at].margin(safe, other);
    }
    invoke = decisionInvokes(score, decisionCut(d.kind, d.threshold));
  }
  return { y: Float32Array.from(outs[outs.length - 1]), controls, decision, p, score, invoke };
}
