// The numerics plan: each layer's grids under a datapath (int8's per-layer scales chosen here, from the weights
// and from calibration samples), its weights rounded onto them, and the arithmetic objects the interpreter and
// the simulator compute through. The layer order here is the one a binary's `q` operands index.

import { datapathOf, FP32_DATAPATH_SPEC, type DatapathSpec, type LutSpec } from './datapath-spec.ts';
import { DIAG } from '../diagnostics/catalog.ts';
import { fail } from '../diagnostics/diagnostic.ts';
import { LayerArithmetic, significantBits, type LayerGrids } from './layer-arithmetic.ts';
import { segmentOffsets, type Activation, type AxModel } from './model.ts';
import { fixedGrid, floatGrid, FP32_GRID, type FormatSpec, type Grid } from './number-format.ts';
import { activationCode } from './numerics.ts';

/** One dense layer as the datapath sees it: the predictor's hidden layers, its output layer (all segments and
 *  the decision), then the approximator's layers. */
export interface PlannedLayer {
  name: string;
  inWidth: number;
  width: number;
  weights: Float32Array;
  bias: Float32Array;
  /** Each output's activation (the predictor output layer mixes its segments' and the decision's). */
  activations: Activation[];
  /** The layer whose output this one reads; -1 for the sample. */
  input: number;
  /** The layer whose output gates this one (the predictor's output layer), or null; its segment starts at
   *  `controlOffset` in that output. */
  control: number | null;
  controlOffset: number;
}

export function modelLayers(model: AxModel): PlannedLayer[] {
  const out: PlannedLayer[] = [];
  let prev = -1;
  let predictorOutput: number | null = null;
  const p = model.predictor;
  if (p) {
    for (const l of p.hidden) {
      out.push({ name: l.name, inWidth: l.inWidth, width: l.width, weights: l.weights, bias: l.bias, activations: new Array(l.width).fill(l.activation), input: prev, control: null, controlOffset: 0 });
      prev = out.length - 1;
    }
    const o = p.output;
    const acts: Activation[] = [];
    for (const s of o.segments) for (let j = 0; j < s.width; j++) acts.push(s.activation);
    if (o.decision.kind === 'sigmoid') acts.push('sigmoid');
    else acts.push('linear', 'linear');
    out.push({ name: o.name, inWidth: o.inWidth, width: acts.length, weights: o.weights, bias: o.bias, activations: acts, input: prev, control: null, controlOffset: 0 });
    predictorOutput = out.length - 1;
  }
  prev = -1;
  for (const l of model.approximator) {
    out.push({ name: l.name, inWidth: l.inWidth, width: l.width, weights: l.weights, bias: l.bias, activations: new Array(l.width).fill(l.activation), input: prev, control: l.control ? predictorOutput : null, controlOffset: l.control && p ? segmentOffsets(p.output).get(l.control)! : 0 });
    prev = out.length - 1;
  }
  return out;
}

/** The grids of every layer: what a binary records and both executors instantiate. */
export interface NumericsPlan {
  spec: DatapathSpec;
  /** The grid samples are received onto. */
  input: Grid;
  layers: { name: string; grids: LayerGrids }[];
}

/** Samples in on-chip memory use the activations' grid; int8 gives each tensor a power-of-two scale 2^-F, the
 *  largest F whose 127·2^-F covers the tensor's largest magnitude, within [MIN_INT8_FRAC, MAX_INT8_FRAC]. */
export const MIN_INT8_FRAC = -16;
export const MAX_INT8_FRAC = 24;

export function int8FracFor(maxAbs: number): number {
  if (!(maxAbs > 0)) return maxAbs === 0 ? MAX_INT8_FRAC : MIN_INT8_FRAC;
  if (!Number.isFinite(maxAbs)) return MIN_INT8_FRAC;
  let f = Math.floor(Math.log2(127 / maxAbs));
  while (127 * 2 ** -f < maxAbs) f--;
  while (127 * 2 ** -(f + 1) >= maxAbs) f++;
  return Math.max(MIN_INT8_FRAC, Math.min(MAX_INT8_FRAC, f));
}

function gridOf(f: FormatSpec, frac = 0): Grid {
  if (f.kind === 'float') return floatGrid(f);
  if (f.kind === 'fixed') return fixedGrid(f.bits, f.frac);
  return f.name === 'int8' ? fixedGrid(8, frac, true) : fixedGrid(32, frac);
}

/**
 * The plan for `model` under `spec`. int8 chooses each tensor's scale from its range: the weights' from the
 * weights and biases, the activations' from `calibration` rows run through the model in fp32; int8 without
 * calibration rows is refused.
 */
export function planNumerics(model: AxModel, spec: DatapathSpec | undefined, calibration?: readonly Float32Array[]): NumericsPlan {
  const s = spec ?? FP32_DATAPATH_SPEC;
  const d = datapathOf(s);
  const layers = modelLayers(model);
  if (d.activations.kind !== 'int') {
    const input = gridOf(d.activations);
    return { spec: s, input, layers: layers.map((l) => ({ name: l.name, grids: { weights: gridOf(d.weights), accumulator: gridOf(d.accumulator), output: gridOf(d.activations) } })) };
  }
  if (!calibration || calibration.length === 0) fail(DIAG.int8NeedsCalibration, model.loc ?? model.sourceFile);
  const ranges = calibrate(model, layers, calibration);
  const inputFrac = int8FracFor(ranges.input);
  const outFrac = ranges.layers.map(int8FracFor);
  const planned = layers.map((l, i) => {
    let wmax = 0;
    for (const w of l.weights) wmax = Math.max(wmax, Math.abs(w));
    for (const w of l.bias) wmax = Math.max(wmax, Math.abs(w));
    const wFrac = int8FracFor(wmax);
    const xFrac = l.input < 0 ? inputFrac : outFrac[l.input];
    // The int32 accumulator holds products exactly: its scale is the weights' times the inputs'.
    return { name: l.name, grids: { weights: gridOf(d.weights, wFrac), accumulator: gridOf(d.accumulator, wFrac + xFrac), output: gridOf(d.activations, outFrac[i]) } };
  });
  return { spec: s, input: gridOf(d.activations, inputFrac), layers: planned };
}

/** Each tensor's largest magnitude over the calibration rows, in fp32; a gated layer's covers its values before
 *  and after the gate. */
function calibrate(model: AxModel, layers: PlannedLayer[], rows: readonly Float32Array[]): { input: number; layers: number[] } {
  const numerics = instantiateNumerics(model, planNumerics(model, FP32_DATAPATH_SPEC));
  const maxes = new Array(layers.length).fill(0);
  let input = 0;
  for (const x of rows) {
    for (const v of x) input = Math.max(input, Math.abs(v));
    interpretLayers(numerics, x, (layer, v) => {
      const a = Math.abs(v);
      if (a > maxes[layer] || a !== a) maxes[layer] = a !== a ? Infinity : a;
    });
  }
  return { input, layers: maxes };
}

/** A plan made live: the arithmetic of every layer and of the input, and the weights rounded onto their grids. */
export interface ModelNumerics {
  plan: NumericsPlan;
  layers: PlannedLayer[];
  input: LayerArithmetic;
  arithmetic: LayerArithmetic[];
  weights: Float64Array[];
  bias: Float64Array[];
  /** Weights and biases that saturated when rounded onto their grid, per layer. */
  weightSaturations: number[];
}

/** The same layers with every grid float32 and sigmoid/tanh exact: the plan a shadow run computes in. */
export function fp32Twin(plan: NumericsPlan): NumericsPlan {
  const g = FP32_GRID;
  return { spec: FP32_DATAPATH_SPEC, input: g, layers: plan.layers.map((l) => ({ name: l.name, grids: { weights: g, accumulator: g, output: g } })) };
}

/** The arithmetic that receives samples onto the input grid. */
export function inputArithmetic(plan: NumericsPlan): LayerArithmetic {
  return new LayerArithmetic('input', { weights: plan.input, accumulator: plan.input, output: plan.input }, plan.spec.lut, 0, 0);
}

/**
 * Arithmetic for a machine, which knows each layer's grids but not which layer feeds which: every input and
 * control is bounded by the widest activation grid. q0 receives the samples; q1... are the layers.
 */
export function machineArithmetic(plan: NumericsPlan): LayerArithmetic[] {
  let widest = significantBits(plan.input);
  for (const l of plan.layers) widest = Math.max(widest, significantBits(l.grids.output));
  return [inputArithmetic(plan), ...plan.layers.map((l) => new LayerArithmetic(l.name, l.grids, plan.spec.lut, widest, widest))];
}

export function instantiateNumerics(model: AxModel, plan: NumericsPlan): ModelNumerics {
  const layers = modelLayers(model);
  const lut: LutSpec = plan.spec.lut;
  const input = inputArithmetic(plan);
  const arithmetic = layers.map((l, i) => {
    const inGrid = l.input < 0 ? plan.input : plan.layers[l.input].grids.output;
    return new LayerArithmetic(l.name, plan.layers[i].grids, lut, significantBits(inGrid), l.control === null ? 0 : significantBits(plan.layers[l.control].grids.output));
  });
  const weightSaturations: number[] = [];
  const weights = layers.map((l, i) => Float64Array.from(l.weights, (w) => arithmetic[i].toWeight(w)));
  const bias = layers.map((l, i) => {
    const b = Float64Array.from(l.bias, (w) => arithmetic[i].toWeight(w));
    weightSaturations.push(arithmetic[i].saturations);
    arithmetic[i].saturations = 0;
    return b;
  });
  return { plan, layers, input, arithmetic, weights, bias, weightSaturations };
}

/** The forward pass through every layer in a plan's arithmetic; `observe` sees each output value (and a gated
 *  layer's value before its gate). Returns each layer's output. */
export function interpretLayers(n: ModelNumerics, x: Float32Array, observe?: (layer: number, v: number) => void): Float64Array[] {
  const outs: Float64Array[] = [];
  const xq = new Float64Array(x.length);
  for (let j = 0; j < x.length; j++) xq[j] = n.input.toOutput(x[j]);
  n.layers.forEach((l, i) => {
    const ar = n.arithmetic[i];
    const from = l.input < 0 ? xq : outs[l.input];
    const c = l.control === null ? null : outs[l.control];
    const out = new Float64Array(l.width);
    const w = n.weights[i];
    for (let j = 0; j < l.width; j++) {
      let h = ar.activate(activationCode(l.activations[j]), ar.addBias(ar.accumulate(0, w, j * l.inWidth, from, 0, l.inWidth), n.bias[i][j]));
      if (c) {
        observe?.(i, h);
        h = ar.gate(h, c[l.controlOffset + j]);
      }
      observe?.(i, h);
      out[j] = h;
    }
    outs.push(out);
  });
  return outs;
}


