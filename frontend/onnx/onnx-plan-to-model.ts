// An ONNX AXNet plan (recognise-onnx-axnet.ts) as the AxModel IR: each dense's weights read and laid out as IR
// rows, the predictor output's rows stacked in the IR's segment order, and names made .axn identifiers.

import type { ApproxLayer, AxModel, ControlSegment, Decision, DenseLayer } from '../../ir/model.ts';
import { kernelToRows } from '../../ir/keras-kernel.ts';
import { DIAG } from '../../diagnostics/catalog.ts';
import { diag, type Diagnostic } from '../../diagnostics/diagnostic.ts';
import { clip, quote } from '../../diagnostics/quote.ts';
import { sanitiseName, uniqueNamer, type Rename } from '../layers-model/recognise-axnet.ts';
import { MAX_LAYER_WEIGHTS, MAX_LAYER_WIDTH } from '../../arch/limits.ts';
import { layerLimit, layerName, type DenseMatch, type LayerMatch, type OnnxAxNetPlan } from './recognise-onnx-axnet.ts';
import type { TensorValues } from './tensor-values.ts';

export interface OnnxBuildOptions {
  threshold: number;
  safeIndex: 0 | 1;
  sourceFile: string;
}

/** A dense's weights as IR rows [units][inWidth] and its bias, or null (reported: wrong type, size, or not finite).
 *  Its dims were bounded by the matcher (weightRank, checkFanIn); nothing is allocated once a read has failed. */
function readDense(d: DenseMatch, values: TensorValues, ds: Diagnostic[], file: string): { rows: Float32Array; bias: Float32Array } | null {
  const use = (what: string) => `the ${what} of ${d.main.op} node ${quote(d.main.name)}`;
  const w = values.floats(d.weight, use('weights'), MAX_LAYER_WEIGHTS);
  if (!w) return null;
  const b = d.bias ? values.floats(d.bias, use('bias'), MAX_LAYER_WIDTH) : new Float32Array(d.units);
  if (!b) return null;
  for (const [t, v, what] of [[d.weight, w, 'weights'], [d.bias, b, 'bias']] as const) {
    const bad = v.findIndex((x) => !Number.isFinite(x));
    if (t && bad >= 0) {
      ds.push(diag(DIAG.onnxTensorNotFinite, file, t.text, use(what), bad, v[bad]));
      return null;
    }
  }
  return { rows: d.rowsFirst ? w : kernelToRows(w, d.inWidth, d.units), bias: b };
}

/** The plan with its weights read, as the IR. Null (with diagnostics) when the stacked predictor output is beyond
 *  the NPU's limits or a weight cannot be read; both are found before the predictor output is allocated. */
export function onnxPlanToModel(plan: OnnxAxNetPlan, values: TensorValues, ds: Diagnostic[], opts: OnnxBuildOptions): { model: AxModel | null; renames: Rename[] } {
  const file = opts.sourceFile;
  const renames: Rename[] = [];
  const fail = () => ({ model: null, renames });
  // The IR's one predictor output layer: the control rows in the order of the layers they gate, then the decision's
  // logits. Separate heads are stacked, so each within the limits does not make their stack so.
  const segmentRows = plan.approximator.flatMap((s) => (s.gate ? [s.gate.rows] : []));
  const parts = plan.decision ? [...segmentRows, plan.decision.rows] : [];
  const inWidth = plan.decision?.rows.dense.inWidth ?? 0;
  const total = parts.reduce((n, r) => n + r.to - r.from, 0);
  const tooLarge = plan.decision ? layerLimit(total, inWidth, "a layer's width and fan-in") : null;
  if (tooLarge) {
    const heads = [...new Set(parts.map((r) => r.dense))].map((d) => `${clip(d.main.op)} node ${quote(d.main.name)}`).join(', ');
    ds.push(diag(DIAG.onnxPredictorTooLarge, file, heads, total, inWidth, tooLarge));
    return fail();
  }
  // Every dense's weights, each read once; the model is built only when all could be.
  const denses = [...plan.approximator.map((s) => s.layer.dense), ...plan.predictorHidden.map((l) => l.dense), ...parts.map((r) => r.dense)];
  const read = new Map<DenseMatch, { rows: Float32Array; bias: Float32Array } | null>();
  for (const d of denses) if (!read.has(d)) read.set(d, readDense(d, values, ds, file));
  if ([...read.values()].some((w) => w === null)) return fail();
  const weightsOf = (d: DenseMatch) => read.get(d)!;

  const nameFor = uniqueNamer(renames);
  const toLayer = (l: LayerMatch): DenseLayer => {
    const w = weightsOf(l.dense)!;
    return { name: nameFor(layerName(l.dense)), inWidth: l.dense.inWidth, width: l.dense.units, activation: l.activation, weights: w.rows, bias: w.bias };
  };
  const approximator: ApproxLayer[] = [];
  const segments: ControlSegment[] = [];
  plan.approximator.forEach((s, i) => {
    const l = toLayer(s.layer);
    let control: string | null = null;
    if (s.gate) {
      control = nameFor(s.gate.nameHint ?? `c${i + 1}`);
      segments.push({ name: control, width: s.gate.rows.to - s.gate.rows.from, activation: s.gate.activation });
    }
    approximator.push({ ...l, control });
  });
  const hidden = plan.predictorHidden.map(toLayer);
  let predictor: AxModel['predictor'] = null;
  if (plan.decision) {
    const dec = plan.decision;
    const split = plan.splitName ? nameFor(plan.splitName) : nameFor('pout', false);
    const weights = new Float32Array(total * inWidth);
    const bias = new Float32Array(total);
    let row = 0;
    for (const r of parts) {
      const w = weightsOf(r.dense)!;
      weights.set(w.rows.subarray(r.from * inWidth, r.to * inWidth), row * inWidth);
      bias.set(w.bias.subarray(r.from, r.to), row);
      row += r.to - r.from;
    }
    const decision: Decision = dec.kind === 'sigmoid' ? { kind: 'sigmoid', threshold: opts.threshold } : { kind: 'softmax', safeIndex: opts.safeIndex, threshold: opts.threshold };
    predictor = { hidden, output: { name: split, inWidth, segments, decision, weights, bias } };
  }
  const name = sanitiseName(plan.name);
  if (name !== plan.name) renames.unshift({ from: plan.name, to: name });
  const outputWidth = plan.approximator[plan.approximator.length - 1].layer.dense.units;
  return { model: { name, inputWidth: plan.inputWidth, outputWidth, approximator, predictor, quality: null, sourceFile: opts.sourceFile }, renames };
}
