// Pass: control-vector fusion. Each controlled layer absorbs its Hadamard gate (the PE's switch-unit
// multiply), and the predictor's output layer is split into one op per segment, each written to a
// fixed on-chip address; P(x) gets its own. A single-control model gets exactly one control op.

import type { AxModel, DenseLayer } from '../ir/model.ts';
import type { Region } from '../isa/container.ts';
import type { FusedModel, NeuronOp } from './lowered-ir.ts';

/** Interleaves each neuron's weights with its bias: the [width][fanIn + 1] weight-buffer image. */
function rowsOf(weights: Float32Array, bias: Float32Array, fanIn: number, firstRow: number, width: number): Float32Array {
  const rows = new Float32Array(width * (fanIn + 1));
  for (let r = 0; r < width; r++) {
    rows.set(weights.subarray((firstRow + r) * fanIn, (firstRow + r + 1) * fanIn), r * (fanIn + 1));
    rows[r * (fanIn + 1) + fanIn] = bias[firstRow + r];
  }
  return rows;
}

export function fuseControlVectors(model: AxModel): FusedModel {
  const regions: Region[] = [];
  let next = 0;
  const place = (name: string, kind: Region['kind'], len: number): Region => {
    const r: Region = { name, kind, space: 'ocm', addr: next, len };
    next += len;
    regions.push(r);
    return r;
  };
  const input = place('x', 'input', model.inputWidth);
  const ops: NeuronOp[] = [];
  const denseOp = (l: DenseLayer, subnet: NeuronOp['subnet'], role: NeuronOp['role'], from: Region, to: Region, control: Region | null, layer: number): NeuronOp => ({
    name: l.name,
    subnet,
    role,
    fanIn: l.inWidth,
    width: l.width,
    activation: l.activation,
    rows: rowsOf(l.weights, l.bias, l.inWidth, 0, l.width),
    input: from,
    output: to,
    control,
    layer,
    loc: l.loc,
  });

  let decision: FusedModel['decision'] = null;
  const controlRegions = new Map<string, Region>();
  const p = model.predictor;
  if (p) {
    let prev = input;
    p.hidden.forEach((l, i) => {
      const out = place(l.name, 'hidden', l.width);
      ops.push(denseOp(l, 'predictor', 'hidden', prev, out, null, i));
      prev = out;
    });
    const layer = p.hidden.length;
    const o = p.output;
    let row = 0;
    for (const s of o.segments) {
      const at = place(s.name, 'control', s.width);
      controlRegions.set(s.name, at);
      ops.push({ name: s.name, subnet: 'predictor', role: 'control', fanIn: o.inWidth, width: s.width, activation: s.activation, rows: rowsOf(o.weights, o.bias, o.inWidth, row, s.width), input: prev, output: at, control: null, layer, loc: s.loc });
      row += s.width;
    }
    const d = o.decision;
    const dw = d.kind === 'sigmoid' ? 1 : 2;
    const at = place(d.kind === 'sigmoid' ? 'P(x)' : 'logits', 'decision', dw);
    ops.push({ name: `${o.name}.decision`, subnet: 'predictor', role: 'decision', fanIn: o.inWidth, width: dw, activation: d.kind === 'sigmoid' ? 'sigmoid' : 'linear', rows: rowsOf(o.weights, o.bias, o.inWidth, row, dw), input: prev, output: at, control: null, layer, loc: d.loc ?? o.loc });
    decision = d.kind === 'sigmoid' ? { kind: 'sigmoid', threshold: d.threshold, at, layer, loc: d.loc } : { kind: 'softmax', safeIndex: d.safeIndex, threshold: d.threshold, at, layer, loc: d.loc };
  }

  let prev = input;
  let output = input;
  const firstApproximatorLayer = p ? p.hidden.length + 1 : 0;
  model.approximator.forEach((l, i) => {
    const last = i === model.approximator.length - 1;
    const out = place(last ? 'y' : l.name, last ? 'output' : 'hidden', l.width);
    ops.push(denseOp(l, 'approximator', last ? 'output' : 'hidden', prev, out, l.control ? controlRegions.get(l.control)! : null, firstApproximatorLayer + i));
    prev = out;
    output = out;
  });
  return { model, ops, regions, input, output, decision };
}
