// Structural verifier of the AXNet IR: the invariants every frontend must establish and every pass relies on.

import { DIAG, type DiagEntry } from '../diagnostics/catalog.ts';
import { diag, type Diagnostic } from '../diagnostics/diagnostic.ts';
import { MAX_LAYER_WIDTH } from '../arch/limits.ts';
import { isUsableThreshold } from './numerics.ts';
import { ACTIVATIONS, predictorOutputWidth, type AxModel, type DenseLayer, type SourceLoc } from './model.ts';

export function verifyModel(m: AxModel): Diagnostic[] {
  const out: Diagnostic[] = [];
  // Where a part has no position, the model's own (or its file) stands in.
  const bad = <E extends DiagEntry>(loc: SourceLoc | undefined, entry: E, ...args: Parameters<E['message']>) => out.push(diag(entry, loc ?? m.loc ?? m.sourceFile, ...args));
  const width = (what: string, w: number) => {
    if (!Number.isInteger(w) || w < 1 || w > MAX_LAYER_WIDTH) bad(m.loc, DIAG.irWidth, what, w, MAX_LAYER_WIDTH);
  };
  const dense = (l: DenseLayer, inWidth: number) => {
    width(`layer '${l.name}' width`, l.width);
    if (l.inWidth !== inWidth) bad(l.loc, DIAG.irLayerFed, l.name, l.inWidth, inWidth);
    if (!ACTIVATIONS.includes(l.activation)) bad(l.loc, DIAG.irActivation, l.name, l.activation);
    if (l.weights.length !== l.width * l.inWidth) bad(l.loc, DIAG.irWeightCount, l.name, l.weights.length, l.width * l.inWidth);
    if (l.bias.length !== l.width) bad(l.loc, DIAG.irBiasCount, l.name, l.bias.length, l.width);
  };
  width('input width', m.inputWidth);
  width('output width', m.outputWidth);
  if (m.approximator.length === 0) bad(m.loc, DIAG.irNoApproximator);
  const names = new Set<string>();
  const unique = (n: string) => {
    if (names.has(n)) bad(m.loc, DIAG.irNameTwice, n);
    names.add(n);
  };
  let w = m.inputWidth;
  m.approximator.forEach((l, i) => {
    unique(l.name);
    dense(l, w);
    w = l.width;
    if (i === m.approximator.length - 1 && l.control) bad(l.loc, DIAG.irOutputControlled, l.name);
  });
  if (m.approximator.length && w !== m.outputWidth) bad(m.loc, DIAG.irOutputWidth, w, m.outputWidth);
  const p = m.predictor;
  const controls = m.approximator.filter((l) => l.control).map((l) => l.control!);
  if (!p) {
    if (controls.length) bad(m.loc, DIAG.irControlWithoutPredictor);
    return out;
  }
  w = m.inputWidth;
  for (const l of p.hidden) {
    unique(l.name);
    dense(l, w);
    w = l.width;
  }
  unique(p.output.name);
  const o = p.output;
  if (o.inWidth !== w) bad(o.loc, DIAG.irPredictorFed, o.name, o.inWidth, w);
  const ow = predictorOutputWidth(o);
  if (o.weights.length !== ow * o.inWidth || o.bias.length !== ow) bad(o.loc, DIAG.irPredictorWeights, o.name, ow);
  if (!isUsableThreshold(o.decision.threshold)) bad(o.decision.loc, DIAG.irThreshold, o.decision.kind);
  if (o.decision.kind === 'softmax' && o.decision.safeIndex !== 0 && o.decision.safeIndex !== 1) bad(o.decision.loc, DIAG.irSafeIndex);
  for (const s of o.segments) {
    unique(s.name);
    width(`control segment '${s.name}' width`, s.width);
    const users = m.approximator.filter((l) => l.control === s.name);
    if (users.length !== 1) bad(s.loc, DIAG.irSegmentUsers, s.name, users.length);
    else if (users[0].width !== s.width) bad(s.loc, DIAG.irSegmentWidth, s.name, s.width, users[0].name, users[0].width);
  }
  for (const c of controls) if (!o.segments.some((s) => s.name === c)) bad(m.loc, DIAG.irControlNotSegment, c, o.name);
  return out;
}
