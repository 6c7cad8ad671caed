// The numerical definition shared by the reference interpreter and the simulator's PE datapath:
// float32 everywhere, one fixed summation order, activations computed in float64 and rounded once.
//
// Dot product order (the PE's multiply-add unit): acc starts at +0; for j = 0 .. n-1 in order,
// acc = f32(acc + f32(w[j] * x[j])); then a = f32(acc + bias). A float32 product or sum computed in
// float64 and rounded once is the correctly rounded float32 result, so this is IEEE float32 arithmetic.

import type { Activation } from './model.ts';

const f32 = Math.fround;

export function dotBias(w: Float32Array, wOff: number, x: Float32Array, xOff: number, n: number, bias: number): number {
  let acc = 0;
  for (let j = 0; j < n; j++) acc = f32(acc + f32(w[wOff + j] * x[xOff + j]));
  return f32(acc + bias);
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

/** A sigmoid threshold is usable when, rounded to float32 as the controller holds it, it lies strictly inside (0, 1). */
export function isUsableThreshold(t: number): boolean {
  const f = f32(t);
  return f > 0 && f < 1;
}

/** The controller's decision. Ties do not invoke: the safe side must strictly win. */
export function sigmoidInvokes(p: number, threshold: number): boolean {
  return p > f32(threshold);
}

export function softmaxInvokes(safeLogit: number, otherLogit: number): boolean {
  return safeLogit > otherLogit;
}
