// Table I's rule, fixed before any run: AXNet is matched to the baselines' parameter count (within ±3%) by
// keeping the approximator and choosing the predictor's hidden width; when no width comes within 3%, the
// approximator's widest hidden layer loses one unit and the search repeats.

import { BENCH_DEFAULTS } from '../training/defaults.ts';
import { topologyParameters, type NetSpec } from '../training/network.ts';

export const MATCH_TOLERANCE = 0.03;

export interface Topology {
  approx: number[];
  predict: number[];
}

function spec(t: Topology, control: NetSpec['control']): Parameters<typeof topologyParameters>[0] {
  return { inputWidth: t.approx[0], outputWidth: t.approx[t.approx.length - 1], approxHidden: t.approx.slice(1, -1), predictHidden: t.predict.slice(1), control, decision: 'softmax' };
}

/** Parameters of the onepass/iterative network (no control vectors) and of an AXNet gating every hidden layer. */
export const baselineParameters = (t: Topology) => topologyParameters(spec(t, 'none'));
export const axnetParameters = (t: Topology) => topologyParameters(spec(t, 'all'));

/** The approximator with its widest hidden layer (the first among equals) one unit narrower. */
function shrinkWidest(approx: number[]): number[] | null {
  const hidden = approx.slice(1, -1);
  const widest = Math.max(...hidden);
  if (widest <= 1) return null;
  const i = hidden.indexOf(widest);
  return approx.map((w, k) => (k === i + 1 ? w - 1 : w));
}

/** AXNet's topology for `bench` at the baseline's parameter count, by the rule above. */
export function matchedAxnetTopology(bench: string): Topology {
  const d = BENCH_DEFAULTS[bench];
  const target = baselineParameters(d);
  const depth = d.predict.length - 1;
  let approx: number[] | null = d.approx;
  while (approx) {
    let best: { t: Topology; miss: number } | null = null;
    for (let h = 1; h <= 4 * Math.max(...d.predict.slice(1)); h++) {
      const t = { approx, predict: [d.predict[0], ...Array<number>(depth).fill(h)] };
      const miss = Math.abs(axnetParameters(t) - target) / target;
      if (miss <= MATCH_TOLERANCE && (!best || miss < best.miss)) best = { t, miss };
    }
    if (best) return best.t;
    approx = shrinkWidest(approx);
  }
  throw new Error(`no AXNet topology for ${bench} comes within ${100 * MATCH_TOLERANCE}% of ${target} parameters`);
}
