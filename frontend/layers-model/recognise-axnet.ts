// Recognises the AXNet pattern in a Keras layer graph (approximator chain gated by Multiply with control Dense
// layers, predictor chain, decision Dense) and builds the AxModel IR from it once the weights are known.

import type { Activation, ApproxLayer, AxModel, ControlSegment, Decision, DenseLayer, SourceLoc } from '../../ir/model.ts';
import { kernelToRows } from '../../ir/keras-kernel.ts';
import { DIAG } from '../../diagnostics/catalog.ts';
import { diag, type Diagnostic } from '../../diagnostics/diagnostic.ts';
import { DenseConfigSchema, InputShapeConfigSchema } from './layers-model-schema.ts';
import type { GraphLayer, LayerGraph } from './layer-graph.ts';
import { clip, quote } from '../../diagnostics/quote.ts';

export type KerasActivation = Activation | 'softmax';

const KERAS_ACTIVATIONS: readonly string[] = ['linear', 'relu', 'sigmoid', 'tanh', 'softmax'];
const LAYER_ACTIVATIONS = 'AXNet layers use linear, relu, sigmoid or tanh (softmax only on a 2-unit decision)';

export interface DenseInfo {
  layer: GraphLayer;
  units: number;
  inWidth: number;
  activation: KerasActivation;
  useBias: boolean;
}

export interface ApproxStep {
  dense: DenseInfo;
  /** The control Dense multiplied into this layer's output, and the Multiply doing it. */
  control: DenseInfo | null;
  multiply: GraphLayer | null;
}

export interface AxNetPlan {
  name: string | null;
  input: GraphLayer;
  inputWidth: number;
  /** Hidden layers first, the output layer last. */
  approximator: ApproxStep[];
  predictorHidden: DenseInfo[];
  decision: { dense: DenseInfo; kind: 'sigmoid' | 'softmax' } | null;
  loc: SourceLoc;
}

/** Every Dense of the plan, in the order their weights are read. */
export function planDenses(p: AxNetPlan): DenseInfo[] {
  const out: DenseInfo[] = [];
  for (const s of p.approximator) out.push(s.dense);
  out.push(...p.predictorHidden);
  for (const s of p.approximator) if (s.control) out.push(s.control);
  if (p.decision) out.push(p.decision.dense);
  return out;
}

function inputWidthOf(l: GraphLayer, ds: Diagnostic[]): number | null {
  const p = InputShapeConfigSchema.safeParse(l.config);
  const shape = p.success ? (p.data.batch_input_shape ?? p.data.batchInputShape ?? p.data.batch_shape) : undefined;
  if (!shape) {
    ds.push(l.index < 0 ? diag(DIAG.tfjsSequentialNoInputShape, l.loc, l.name.replace(/_input$/, '')) : diag(DIAG.tfjsInputNoShape, l.loc, l.name));
    return null;
  }
  const n = shape[1];
  if (shape.length !== 2 || typeof n !== 'number') {
    ds.push(diag(DIAG.tfjsBadInputShape, l.loc, l.name, clip(JSON.stringify(shape))));
    return null;
  }
  return n;
}

function isDecisionShaped(d: DenseInfo | undefined): boolean {
  return !!d && ((d.units === 1 && d.activation === 'sigmoid') || (d.units === 2 && d.activation === 'softmax'));
}

export function recogniseAxNet(g: LayerGraph): { plan: AxNetPlan | null; diagnostics: Diagnostic[] } {
  const ds: Diagnostic[] = [];
  const done = () => ({ plan: null, diagnostics: ds });

  // Layer classes, names, calls, and references.
  const byName = new Map<string, GraphLayer>();
  for (const l of g.layers) {
    if (byName.has(l.name)) ds.push(diag(DIAG.tfjsLayerNameTwice, l.loc, l.name));
    else byName.set(l.name, l);
    if (l.className !== 'InputLayer' && l.className !== 'Dense' && l.className !== 'Multiply') ds.push(diag(DIAG.tfjsUnsupportedLayer, l.loc, l.name, l.className));
    if (l.calls > 1) ds.push(diag(DIAG.tfjsLayerReused, l.loc, l.name, l.calls));
  }
  if (ds.length) return done();
  const refOk = (r: { layer: string; node: number; tensor: number }, where: string, loc: SourceLoc) => {
    if (!byName.has(r.layer)) ds.push(diag(DIAG.tfjsRefToNothing, loc, where, r.layer));
    else if (r.node !== 0 || r.tensor !== 0) ds.push(diag(DIAG.tfjsRefNotFirst, loc, where, r.node, r.tensor, r.layer));
  };
  for (const l of g.layers) l.inbound.forEach((r) => refOk(r, `layer ${quote(l.name)}`, l.loc));
  g.inputs.forEach((r) => refOk(r, 'input_layers', g.loc));
  g.outputs.forEach((r) => refOk(r, 'output_layers', g.loc));
  for (const l of g.layers) {
    const want = l.className === 'InputLayer' ? 0 : l.className === 'Dense' ? 1 : 2;
    if (l.inbound.length === want) continue;
    if (l.className === 'Multiply') ds.push(diag(DIAG.tfjsMultiplyArity, l.loc, l.name, l.inbound.length));
    else if (l.className === 'Dense') ds.push(diag(DIAG.tfjsDenseInputs, l.loc, l.name, l.inbound.length));
    else ds.push(diag(DIAG.tfjsInputHasInbound, l.loc, l.name));
  }
  if (ds.length) return done();

  // Inputs and outputs.
  const inputLayers = g.layers.filter((l) => l.className === 'InputLayer');
  if (g.inputs.length !== 1 || inputLayers.length !== 1) {
    ds.push(diag(DIAG.tfjsInputCount, g.loc, Math.max(g.inputs.length, inputLayers.length)));
    return done();
  }
  const input = byName.get(g.inputs[0].layer)!;
  if (input.className !== 'InputLayer') {
    ds.push(diag(DIAG.tfjsInputNotInputLayer, input.loc, input.name, input.className));
    return done();
  }
  if (g.outputs.length !== 1 && g.outputs.length !== 2) {
    ds.push(diag(DIAG.tfjsOutputCount, g.loc, g.outputs.length));
    return done();
  }
  const inputWidth = inputWidthOf(input, ds);
  if (inputWidth === null) return done();

  // Dense configs and widths.
  const dense = new Map<string, DenseInfo>();
  const widths = new Map<string, number>();
  const visiting = new Set<string>();
  const computed = new Set<string>();
  const widthOf = (l: GraphLayer): number | null => {
    if (computed.has(l.name)) return widths.get(l.name) ?? null;
    if (l === input) return inputWidth;
    if (visiting.has(l.name)) {
      ds.push(diag(DIAG.tfjsCycle, l.loc, l.name));
      return null;
    }
    visiting.add(l.name);
    let w: number | null = null;
    if (l.className === 'Dense') {
      const c = DenseConfigSchema.safeParse(l.config);
      const inW = widthOf(byName.get(l.inbound[0].layer)!);
      if (!c.success) {
        const issue = c.error.issues[0];
        ds.push(diag(DIAG.tfjsMalformed, l.loc, `layer ${quote(l.name)} config${issue.path.length ? `.${issue.path.join('.')}` : ''}`, issue.message));
      } else if (inW !== null) {
        const act = c.data.activation ?? 'linear';
        if (!KERAS_ACTIVATIONS.includes(act)) ds.push(diag(DIAG.tfjsUnsupportedActivation, l.loc, l.name, act, LAYER_ACTIVATIONS));
        else {
          dense.set(l.name, { layer: l, units: c.data.units, inWidth: inW, activation: act as KerasActivation, useBias: c.data.use_bias ?? true });
          w = c.data.units;
        }
      }
    } else if (l.className === 'Multiply') {
      w = widthOf(byName.get(l.inbound[0].layer)!);
      widthOf(byName.get(l.inbound[1].layer)!);
    }
    visiting.delete(l.name);
    computed.add(l.name);
    if (w !== null) widths.set(l.name, w);
    return w;
  };
  for (const l of g.layers) widthOf(l);
  if (ds.length) return done();

  // Roles: every layer plays exactly one part in the pattern.
  const roles = new Map<string, string>();
  const assign = (l: GraphLayer, role: string): boolean => {
    const had = roles.get(l.name);
    if (had) {
      ds.push(diag(DIAG.tfjsTwoRoles, l.loc, l.name, had, role));
      return false;
    }
    roles.set(l.name, role);
    return true;
  };
  assign(input, 'the input');
  const src = (l: GraphLayer) => byName.get(l.inbound[0].layer)!;

  const outs = g.outputs.map((r) => byName.get(r.layer)!);
  let decision: AxNetPlan['decision'] = null;
  let predictorTensor: GraphLayer | null = null;
  const predictorHidden: DenseInfo[] = [];
  if (outs.length === 2) {
    const [h, p] = outs;
    if (!isDecisionShaped(dense.get(p.name)) && isDecisionShaped(dense.get(h.name))) {
      ds.push(diag(DIAG.tfjsOutputOrder, h.loc, h.name, p.name));
      return done();
    }
    const d = dense.get(p.name);
    if (!d) {
      ds.push(diag(DIAG.tfjsDecisionNotDense, p.loc, p.name, p.className));
      return done();
    }
    if (!isDecisionShaped(d)) {
      ds.push(diag(DIAG.tfjsDecisionShape, p.loc, p.name, d.units, d.activation));
      return done();
    }
    assign(p, 'the decision');
    decision = { dense: d, kind: d.activation === 'softmax' ? 'softmax' : 'sigmoid' };
    // The predictor's hidden chain, from the decision's input back to the model input.
    predictorTensor = src(p);
    for (let cur = predictorTensor; cur !== input; cur = src(cur)) {
      const hd = dense.get(cur.name);
      if (!hd) {
        ds.push(diag(DIAG.tfjsDecisionThrough, cur.loc, p.name, cur.className, cur.name));
        return done();
      }
      if (hd.activation === 'softmax') ds.push(diag(DIAG.tfjsUnsupportedActivation, cur.loc, cur.name, 'softmax', LAYER_ACTIVATIONS));
      if (!assign(cur, 'a predictor hidden layer')) return done();
      predictorHidden.unshift(hd);
    }
  }

  // The approximator chain, from output 0 back to the input.
  const out0 = outs[0];
  const outDense = dense.get(out0.name);
  if (!outDense) {
    ds.push(out0.className === 'Multiply' ? diag(DIAG.tfjsOutputIsGate, out0.loc, out0.name) : diag(DIAG.tfjsOutputNotDense, out0.loc, out0.name, out0.className));
    return done();
  }
  const approximator: ApproxStep[] = [];
  const layerActivation = (d: DenseInfo) => {
    if (d.activation === 'softmax') ds.push(diag(DIAG.tfjsUnsupportedActivation, d.layer.loc, d.layer.name, 'softmax', LAYER_ACTIVATIONS));
  };
  layerActivation(outDense);
  if (!assign(out0, 'the approximator output')) return done();
  approximator.push({ dense: outDense, control: null, multiply: null });
  for (let cur = src(out0); cur !== input; ) {
    const hd = dense.get(cur.name);
    if (hd) {
      layerActivation(hd);
      if (!assign(cur, 'an approximator hidden layer')) return done();
      approximator.unshift({ dense: hd, control: null, multiply: null });
      cur = src(cur);
      continue;
    }
    // A Multiply: a gated hidden layer.
    const m = cur;
    if (!decision) {
      ds.push(diag(DIAG.tfjsGateWithoutPredictor, m.loc, m.name, g.kind === 'sequential'));
      return done();
    }
    const [a, b] = m.inbound.map((r) => byName.get(r.layer)!);
    const pName = predictorTensor === input ? `the input ${quote(input.name)}` : `the predictor's last hidden layer ${quote(predictorTensor!.name)}`;
    const isControl = (l: GraphLayer) => dense.has(l.name) && src(l) === predictorTensor;
    let hiddenL: GraphLayer;
    let controlL: GraphLayer;
    if (isControl(b) && dense.has(a.name)) [hiddenL, controlL] = [a, b];
    else if (isControl(a) && dense.has(b.name)) [hiddenL, controlL] = [b, a];
    else {
      const what = (l: GraphLayer) => (l === input ? `the input ${quote(l.name)}` : dense.has(l.name) ? `Dense ${quote(l.name)} (fed by ${quote(src(l).name)})` : `${clip(l.className)} ${quote(l.name)}`);
      ds.push(diag(DIAG.tfjsGateOperands, m.loc, m.name, what(a), what(b), pName));
      return done();
    }
    const hidden = dense.get(hiddenL.name)!;
    const control = dense.get(controlL.name)!;
    if (roles.get(controlL.name) === 'a control vector') {
      ds.push(diag(DIAG.tfjsControlShared, m.loc, m.name, controlL.name));
      return done();
    }
    if (control.units !== hidden.units) {
      ds.push(diag(DIAG.tfjsControlWidth, controlL.loc, controlL.name, control.units, hiddenL.name, hidden.units, m.name));
      return done();
    }
    if (control.activation === 'softmax') ds.push(diag(DIAG.tfjsUnsupportedActivation, controlL.loc, controlL.name, 'softmax', LAYER_ACTIVATIONS));
    layerActivation(hidden);
    if (!assign(m, 'a gate') || !assign(controlL, 'a control vector') || !assign(hiddenL, 'an approximator hidden layer')) return done();
    approximator.unshift({ dense: hidden, control, multiply: m });
    cur = src(hiddenL);
  }
  for (const l of g.layers) {
    if (!roles.has(l.name)) ds.push(diag(DIAG.tfjsLayerUnused, l.loc, l.name, l.className));
  }
  if (ds.length) return done();
  return { plan: { name: g.name, input, inputWidth, approximator, predictorHidden, decision, loc: g.loc }, diagnostics: ds };
}

// Names: the IR's names are .axn identifiers, which may not be keywords (frontend/tokens.ts).
const KEYWORDS = new Set(['model', 'input', 'output', 'quality', 'benchmark', 'cpu', 'cycles', 'approximator', 'predictor', 'split', 'weights', 'seed', 'dense', 'controlled', 'control', 'by', 'decision']);

export function sanitiseName(raw: string): string {
  let s = raw.replace(/[^A-Za-z0-9_]/g, '_');
  if (s === '' || /^[0-9]/.test(s)) s = `_${s}`;
  if (KEYWORDS.has(s)) s = `${s}_`;
  return s;
}

export interface Rename {
  from: string;
  to: string;
}

/**
 * Gives each raw name an .axn identifier of its own (clashes get `_1`, `_2`, ...), noting every change in
 * `renames` unless `note` is false (a name axc chose itself, such as the split's `pout`, is no user's name).
 */
export function uniqueNamer(renames: Rename[]): (raw: string, note?: boolean) => string {
  const taken = new Set<string>();
  return (raw, note = true) => {
    const base = sanitiseName(raw);
    let s = base;
    for (let k = 1; taken.has(s); k++) s = `${base}_${k}`;
    taken.add(s);
    if (note && s !== raw) renames.push({ from: raw, to: s });
    return s;
  };
}

export interface DenseWeights {
  /** Keras layout: row-major [inWidth][units]. */
  kernel: Float32Array;
  /** [units], or null when the layer has use_bias: false. */
  bias: Float32Array | null;
}

export interface BuildOptions {
  threshold: number;
  safeIndex: 0 | 1;
  sourceFile: string;
}

export function planToModel(plan: AxNetPlan, weightsOf: (d: DenseInfo) => DenseWeights, opts: BuildOptions): { model: AxModel; renames: Rename[] } {
  const renames: Rename[] = [];
  const nameFor = uniqueNamer(renames);
  const denseLayer = (d: DenseInfo): DenseLayer => {
    const { kernel, bias } = weightsOf(d);
    return {
      name: nameFor(d.layer.name),
      inWidth: d.inWidth,
      width: d.units,
      activation: d.activation as Activation,
      weights: kernelToRows(kernel, d.inWidth, d.units),
      bias: bias ? Float32Array.from(bias) : new Float32Array(d.units),
      loc: d.layer.loc,
    };
  };
  const approximator: ApproxLayer[] = [];
  const segments: ControlSegment[] = [];
  const segmentDenses: DenseInfo[] = [];
  for (const s of plan.approximator) {
    const l = denseLayer(s.dense);
    let control: string | null = null;
    if (s.control) {
      control = nameFor(s.control.layer.name);
      segments.push({ name: control, width: s.control.units, activation: s.control.activation as Activation, loc: s.control.layer.loc });
      segmentDenses.push(s.control);
    }
    approximator.push({ ...l, control });
  }
  let predictor: AxModel['predictor'] = null;
  if (plan.decision) {
    const hidden = plan.predictorHidden.map(denseLayer);
    const d = plan.decision.dense;
    const inWidth = d.inWidth;
    const splitName = nameFor('pout', false);
    // The one predictor output layer: control rows in segment order, then the decision's rows (its pre-activation logits).
    const parts = [...segmentDenses, d].map((x) => ({ x, w: weightsOf(x) }));
    const rows = parts.reduce((n, p) => n + p.x.units, 0);
    const weights = new Float32Array(rows * inWidth);
    const bias = new Float32Array(rows);
    let row = 0;
    for (const { x, w } of parts) {
      weights.set(kernelToRows(w.kernel, inWidth, x.units), row * inWidth);
      if (w.bias) bias.set(w.bias, row);
      row += x.units;
    }
    const decision: Decision =
      plan.decision.kind === 'sigmoid' ? { kind: 'sigmoid', threshold: opts.threshold, loc: d.layer.loc } : { kind: 'softmax', safeIndex: opts.safeIndex, threshold: opts.threshold, loc: d.layer.loc };
    predictor = { hidden, output: { name: splitName, inWidth, segments, decision, weights, bias, loc: d.layer.loc } };
  }
  const outputWidth = plan.approximator[plan.approximator.length - 1].dense.units;
  const model: AxModel = {
    name: sanitiseName(plan.name ?? 'model'),
    inputWidth: plan.inputWidth,
    outputWidth,
    approximator,
    predictor,
    quality: null,
    sourceFile: opts.sourceFile,
    loc: plan.loc,
  };
  if (plan.name !== null && model.name !== plan.name) renames.unshift({ from: plan.name, to: model.name });
  return { model, renames };
}
