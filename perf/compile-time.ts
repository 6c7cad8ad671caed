// npm run bench's compile-time series: in-process compile work (no start-up) for AXNets of about 10k, 100k
// and 1M parameters on the default NPU, written as .axn text with seeded weights.

import { compileModel } from '../compiler/pipeline.ts';
import { parseModel } from '../frontend/parse-model.ts';
import type { AxModel } from '../ir/model.ts';

/** A 64-input, 64-output AXNet with two gated hidden layers of `h1` and `h2` neurons and a small predictor. */
export function wideModel(h1: number, h2: number): AxModel {
  const text = `model wide {
  input 64
  output 64
  approximator {
    h1 = dense(${h1}, relu) controlled by c1
    h2 = dense(${h2}, relu) controlled by c2
    y = dense(64, linear)
  }
  predictor {
    p = dense(16, relu)
    split pout {
      c1 = control(${h1}, sigmoid)
      c2 = control(${h2}, sigmoid)
      decision = sigmoid(threshold: 0.5)
    }
  }
  weights seed 1
}
`;
  const { model, diagnostics } = parseModel(text, 'wide.axn');
  if (!model) throw new Error(diagnostics.map((d) => d.message).join('\n'));
  return model;
}

function parameters(m: AxModel): number {
  let n = 0;
  for (const l of m.approximator) n += l.weights.length + l.bias.length;
  for (const l of m.predictor?.hidden ?? []) n += l.weights.length + l.bias.length;
  if (m.predictor) n += m.predictor.output.weights.length + m.predictor.output.bias.length;
  return n;
}

/** Table rows: parameters, best-of-three compile milliseconds, the schedule chosen. */
export function compileTimeRows(): string[] {
  const rows: string[] = [];
  for (const [h1, h2] of [[40, 40], [240, 240], [920, 960]]) {
    const model = wideModel(h1, h2);
    let best = Infinity;
    let schedule = '';
    for (let r = 0; r < 3; r++) {
      const t0 = process.hrtime.bigint();
      schedule = compileModel(model).meta.schedule;
      best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e6);
    }
    rows.push(`| 64 → ${h1} → ${h2} → 64 | ${parameters(model).toLocaleString('en-US')} | ${best.toFixed(0)} ms | ${schedule} |`);
  }
  return rows;
}
