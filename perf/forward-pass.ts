// The baseline the simulator is measured against: a plain TypeScript float32 forward pass of the same
// AXNet (predictor, decision, and the approximator when invoked), with preallocated buffers and loops.

import { decisionOffset, type AxModel } from '../ir/model.ts';
import { activationCode, applyActivationCode, gate, sigmoidInvokes, softmaxInvokes } from '../ir/numerics.ts';

const f32 = Math.fround;

interface Layer {
  w: Float32Array;
  b: Float32Array;
  inW: number;
  rows: number;
  firstRow: number;
  act: number;
  out: Float32Array;
}

export function makeForwardPass(model: AxModel): (x: Float32Array) => boolean {
  const layer = (w: Float32Array, b: Float32Array, inW: number, rows: number, firstRow: number, act: number): Layer => ({ w, b, inW, rows, firstRow, act, out: new Float32Array(rows) });
  const run = (l: Layer, x: Float32Array, control: Float32Array | null) => {
    for (let j = 0; j < l.rows; j++) {
      const r = l.firstRow + j;
      let acc = 0;
      for (let i = 0; i < l.inW; i++) acc = f32(acc + f32(l.w[r * l.inW + i] * x[i]));
      let h = applyActivationCode(l.act, f32(acc + l.b[r]));
      if (control) h = gate(h, control[j]);
      l.out[j] = h;
    }
    return l.out;
  };
  const p = model.predictor;
  const hidden = p ? p.hidden.map((l) => layer(l.weights, l.bias, l.inWidth, l.width, 0, activationCode(l.activation))) : [];
  const segs = new Map<string, Layer>();
  let row = 0;
  for (const s of p?.output.segments ?? []) {
    segs.set(s.name, layer(p!.output.weights, p!.output.bias, p!.output.inWidth, s.width, row, activationCode(s.activation)));
    row += s.width;
  }
  const d = p?.output.decision;
  const dec = p && d ? layer(p.output.weights, p.output.bias, p.output.inWidth, d.kind === 'sigmoid' ? 1 : 2, decisionOffset(p.output), activationCode(d.kind === 'sigmoid' ? 'sigmoid' : 'linear')) : null;
  const approx = model.approximator.map((l) => ({ l: layer(l.weights, l.bias, l.inWidth, l.width, 0, activationCode(l.activation)), control: l.control }));
  return (x: Float32Array) => {
    let invoke = true;
    if (p && dec && d) {
      let h = x;
      for (const l of hidden) h = run(l, h, null);
      for (const s of segs.values()) run(s, h, null);
      const z = run(dec, h, null);
      invoke = d.kind === 'sigmoid' ? sigmoidInvokes(z[0], d.threshold) : softmaxInvokes(z[d.safeIndex], z[1 - d.safeIndex], d.threshold);
    }
    if (invoke) {
      let h = x;
      for (const a of approx) h = run(a.l, h, a.control ? segs.get(a.control)!.out : null);
    }
    return invoke;
  };
}
