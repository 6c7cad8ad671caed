// The AXNet graph: the typed IR that every frontend produces and every compiler pass starts from.
// Semantics are those of DESIGN.md §1; numerics are fixed by ir/numerics.ts.

import type { SourceLoc } from '../diagnostics/source-loc.ts';

export const ACTIVATIONS = ['linear', 'relu', 'sigmoid', 'tanh'] as const;
export type Activation = (typeof ACTIVATIONS)[number];

export const METRICS = ['abs', 'rel', 'rmse'] as const;
export type Metric = (typeof METRICS)[number];

/** Where a layer or segment was declared; defined with the diagnostics (the lowest layer), re-exported here. */
export type { SourceLoc };

export interface DenseLayer {
  name: string;
  inWidth: number;
  width: number;
  activation: Activation;
  /** Row-major [width][inWidth]: row j holds neuron j's incoming weights (one PE's weight vector). */
  weights: Float32Array;
  bias: Float32Array;
  loc?: SourceLoc;
}

/** A layer of the approximation subnet; hidden layers may be gated by a control segment. */
export interface ApproxLayer extends DenseLayer {
  /** Name of the control segment that gates this layer (h = f(a) ⊙ c), or null. Never set on the output layer. */
  control: string | null;
}

/** One named slice c(i) of the predictor's output layer. */
export interface ControlSegment {
  name: string;
  width: number;
  activation: Activation;
  loc?: SourceLoc;
}

/** Both kinds invoke when their score exceeds the cut their threshold gives (ir/numerics.ts, decisionCut):
 *  sigmoid when P(x) > threshold, softmax when the safe logit's probability does (0.5: the safe logit wins). */
export type Decision =
  | { kind: 'sigmoid'; threshold: number; loc?: SourceLoc }
  | { kind: 'softmax'; safeIndex: 0 | 1; threshold: number; loc?: SourceLoc };

export type DecisionKind = Decision['kind'];

/** The predictor's single output dense layer, split into [c(1) .. c(k), decision]. */
export interface PredictorOutput {
  name: string;
  inWidth: number;
  segments: ControlSegment[];
  decision: Decision;
  /** Row-major [Σ segment widths + decisionWidth][inWidth], segments first in declared order, decision last. */
  weights: Float32Array;
  bias: Float32Array;
  loc?: SourceLoc;
}

export interface Predictor {
  hidden: DenseLayer[];
  output: PredictorOutput;
}

export interface Quality {
  metric: Metric;
  bound: number;
}

export interface AxModel {
  name: string;
  inputWidth: number;
  outputWidth: number;
  /** Hidden layers first, the output layer last. */
  approximator: ApproxLayer[];
  /** Null for a plain approximator that is always invoked (e.g. an imported MLP with no predictor). */
  predictor: Predictor | null;
  quality: Quality | null;
  /** The benchmark (benchmarks/registry.ts) whose exact function the CPU computes for rejected samples. */
  benchmark?: string;
  /** CPU cycles of one exact evaluation; defaults to the benchmark's estimate, then the hardware's. */
  cpuCycles?: number;
  /** Where the model came from, for diagnostics and the binary's source map. */
  sourceFile?: string;
  loc?: SourceLoc;
}

export function decisionWidth(d: Decision): number {
  return d.kind === 'sigmoid' ? 1 : 2;
}

/** Width of the predictor's output layer: Σ control widths + 1 (sigmoid) or + 2 (softmax). */
export function predictorOutputWidth(out: PredictorOutput): number {
  let w = decisionWidth(out.decision);
  for (const s of out.segments) w += s.width;
  return w;
}

/** Offset of each control segment inside the predictor output vector, by name. */
export function segmentOffsets(out: PredictorOutput): Map<string, number> {
  const m = new Map<string, number>();
  let off = 0;
  for (const s of out.segments) {
    m.set(s.name, off);
    off += s.width;
  }
  return m;
}

export function decisionOffset(out: PredictorOutput): number {
  let off = 0;
  for (const s of out.segments) off += s.width;
  return off;
}

export function parameterCount(model: AxModel): number {
  let n = 0;
  for (const l of model.approximator) n += l.weights.length + l.bias.length;
  if (model.predictor) {
    for (const l of model.predictor.hidden) n += l.weights.length + l.bias.length;
    n += model.predictor.output.weights.length + model.predictor.output.bias.length;
  }
  return n;
}
