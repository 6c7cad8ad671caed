// The numerical definition shared by the reference interpreter and the simulator's PE datapath:
// float32 everywhere, one fixed summation order, activations computed in float64 and rounded once.
//
// Dot product order (the PE's multiply-add unit): acc starts at +0; for j = 0 .. n-1 in order,
// acc = f32(acc + f32(w[j] * x[j])); then a = f32(acc + bias). A float32 product or sum computed in
// float64 and rounded once is the correctly rounded float32 result, so this is IEEE float32 arithmetic.

import type { Activation, DecisionKind } from './model.ts';

const f32 = Math.fround;

/** The multiply-adds of the dot product, continuing from `acc` (+0 for a whole one; a partial sum for the
 *  next chunk of a chunked neuron, which so keeps the same order). */
export function accumulateDot(acc: number, w: Float32Array, wOff: number, x: Float32Array, xOff: number, n: number): number {
  for (let j = 0; j < n; j++) acc = f32(acc + f32(w[wOff + j] * x[xOff + j]));
  return acc;
}

/** The bias added to a finished dot product. */
export function addBias(acc: number, bias: number): number {
  return f32(acc + bias);
}

export function dotBias(w: Float32Array, wOff: number, x: Float32Array, xOff: number, n: number, bias: number): number {
  return addBias(accumulateDot(0, w, wOff, x, xOff, n), bias);
}

/** Activation codes, in ACTIVATIONS order; the ISA's `act` field carries these. */
export const ACT_LINEAR = 0;
export const ACT_RELU = 1;
export const ACT_SIGMOID = 2;
export const ACT_TANH = 3;

export function applyActivationCode(code: number, a: number): number {
  switch (code) {
    case ACT_LINEAR:
      return a;
    case ACT_RELU:
      return a > 0 ? a : 0;
    case ACT_SIGMOID:
      return f32(1 / (1 + Math.exp(-a)));
    case ACT_TANH:
      return f32(Math.tanh(a));
    default:
      throw new RangeError(`activation code ${code}`);
  }
}

const CODES: Record<Activation, number> = { linear: ACT_LINEAR, relu: ACT_RELU, sigmoid: ACT_SIGMOID, tanh: ACT_TANH };

export function activationCode(a: Activation): number {
  return CODES[a];
}

export function applyActivation(act: Activation, a: number): number {
  return applyActivationCode(CODES[act], a);
}

/** Hadamard gate in the PE's switch-unit multiplier. */
export function gate(h: number, c: number): number {
  return f32(h * c);
}

/** P(x) for a 2-way softmax: the probability of the safe logit, f32(1 / (1 + exp(f32(other - safe)))). */
export function softmaxSafeProbability(safeLogit: number, otherLogit: number): number {
  return f32(1 / (1 + Math.exp(f32(otherLogit - safeLogit))));
}

/** A decision threshold (either kind) is usable when, rounded to float32 as the controller holds it, it
 *  lies strictly inside (0, 1); then the softmax cut below is finite as well. */
export function isUsableThreshold(t: number): boolean {
  const f = f32(t);
  return f > 0 && f < 1;
}

// The controller's decision, one rule for both kinds: invoke when score > cut, ties do not invoke.
//   sigmoid: score = P(x),                      cut = f32(T)
//   softmax: score = softmaxMargin(safe, other), cut = softmaxCut(T)
// The softmax rule is "the safe probability exceeds T" taken in logit space, where it needs no exp:
// sigmoid(s - o) > T  <=>  s - o > log(T / (1 - T)). A threshold tuner can therefore compute every
// sample's score once and compare it with the cut of each candidate T.

/** The softmax decision's score: the safe logit's lead over the other, f32(safe - other). */
export function softmaxMargin(safeLogit: number, otherLogit: number): number {
  return f32(safeLogit - otherLogit);
}

/**
 * The softmax decision's cut for threshold T: f32(log(t / (1 - t))) with t = f32(T), finite for a usable T.
 * At T = 0.5 the cut is exactly 0, and margin > 0 is exactly the old rule "the safe logit strictly wins":
 * two distinct float32 values differ by a nonzero multiple of 2^-149 (the smallest subnormal), and rounding
 * is monotonic, so their difference never rounds to zero (it may round to ±Infinity, which keeps its sign); equal logits give
 * +0 (or NaN for equal infinities) and a NaN logit gives NaN, and none of those exceeds 0.
 */
export function softmaxCut(threshold: number): number {
  const t = f32(threshold);
  return f32(Math.log(t / (1 - t)));
}

/** The value the controller compares a sample's score with: f32(T) for sigmoid, softmaxCut(T) for softmax. */
export function decisionCut(kind: DecisionKind, threshold: number): number {
  return kind === 'sigmoid' ? f32(threshold) : softmaxCut(threshold);
}

/** The controller's rule for both kinds: invoke the approximator when the score strictly exceeds the cut. */
export function decisionInvokes(score: number, cut: number): boolean {
  return score > cut;
}

/** Sigmoid decision with threshold T: P(x) > f32(T). */
export function sigmoidInvokes(p: number, threshold: number): boolean {
  return decisionInvokes(p, decisionCut('sigmoid', threshold));
}

/** Softmax decision with threshold T: the margin exceeds the cut; at T = 0.5, the safe logit strictly wins. */
export function softmaxInvokes(safeLogit: number, otherLogit: number, threshold: number): boolean {
  return decisionInvokes(softmaxMargin(safeLogit, otherLogit), softmaxCut(threshold));
}
