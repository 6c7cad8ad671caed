// Structural verifier of the AXNet IR: the invariants every frontend must establish and every pass relies on.

import { DIAG } from '../diagnostics/catalog.ts';
import { diag, type Diagnostic } from '../diagnostics/diagnostic.ts';
import { MAX_LAYER_WIDTH } from '../arch/limits.ts';
import { isUsableThreshold } from './numerics.ts';
import { ACTIVATIONS, predictorOutputWidth, type AxModel, type DenseLayer } from './model.ts';

export function verifyModel(m: AxModel): Diagnostic[] {
  const out: Diagnostic[] = [];
  const bad = (why: string, loc = m.loc) => out.push(diag(DIAG.invalidIr, loc ?? m.sourceFile, why));
  const width = (what: string, w: number) => {
    if (!Number.isInteger(w) || w < 1 || w > MAX_LAYER_WIDTH) bad(`${what} is ${w}; widths are integers in [1, ${MAX_LAYER_WIDTH}]`);
  };
  const dense = (l: DenseLayer, inWidth: number) => {
    width(`layer '${l.name}' width`, l.width);
    if (l.inWidth !== inWidth) bad(`layer '${l.name}' takes ${l.inWidth} inputs but is fed ${inWidth}`, l.loc);
    if (!ACTIVATIONS.includes(l.activation)) bad(`layer '${l.name}' has activation '${l.activation}'`, l.loc);
    if (l.weights.length !== l.width * l.inWidth) bad(`layer '${l.name}' has ${l.weights.length} weights, needs ${l.width * l.inWidth}`, l.loc);
    if (l.bias.length !== l.width) bad(`layer '${l.name}' has ${l.bias.length} biases, needs ${l.width}`, l.loc);
  };
  width('input width', m.inputWidth);
  width('output width', m.outputWidth);
  if (m.approximator.length === 0) bad('the approximator has no layers');
  const names = new Set<string>();
  const unique = (n: string) => {
    if (names.has(n)) bad(`name '${n}' is used twice`);
    names.add(n);
  };
  let w = m.inputWidth;
  m.approximator.forEach((l, i) => {
    unique(l.name);
    dense(l, w);
    w = l.width;
    if (i === m.approximator.length - 1 && l.control) bad(`output layer '${l.name}' is controlled`, l.loc);
  });
  if (m.approximator.length && w !== m.outputWidth) bad(`the approximator produces ${w} outputs, the model declares ${m.outputWidth}`);
  const p = m.predictor;
  const controls = m.approximator.filter((l) => l.control).map((l) => l.control!);
  if (!p) {
    if (controls.length) bad('layers are controlled but the model has no predictor');
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
  if (o.inWidth !== w) bad(`predictor output '${o.name}' takes ${o.inWidth} inputs but is fed ${w}`, o.loc);
  const ow = predictorOutputWidth(o);
  if (o.weights.length !== ow * o.inWidth || o.bias.length !== ow) bad(`predictor output '${o.name}' has the wrong number of weights for width ${ow}`, o.loc);
  if (!isUsableThreshold(o.decision.threshold)) bad(`${o.decision.kind} threshold outside (0, 1) as a float32`, o.decision.loc);
  if (o.decision.kind === 'softmax' && o.decision.safeIndex !== 0 && o.decision.safeIndex !== 1) bad('softmax safe index is not 0 or 1', o.decision.loc);
  for (const s of o.segments) {
    unique(s.name);
    width(`control segment '${s.name}' width`, s.width);
    const users = m.approximator.filter((l) => l.control === s.name);
    if (users.length !== 1) bad(`control segment '${s.name}' gates ${users.length} layers; it must gate exactly one`, s.loc);
    else if (users[0].width !== s.width) bad(`control segment '${s.name}' has width ${s.width}, layer '${users[0].name}' has ${users[0].width}`, s.loc);
  }
  for (const c of controls) if (!o.segments.some((s) => s.name === c)) bad(`control '${c}' is not a segment of '${o.name}'`);
  return out;
}
