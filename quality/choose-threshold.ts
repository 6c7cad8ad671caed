// Choosing the predictor's decision threshold for a quality target (`axc tune`): one pass over the samples
// sorted by their decision score, so every threshold that changes the invoked set is judged without
// re-simulating. The controller invokes when score > cut(T) (ir/numerics.ts); this module only ever asks
// that rule, so the sets it judges are exactly the sets the simulator invokes.

import { bitsToF32, f32ToBits } from '../ir/float-bits.ts';
import { decisionCut, isUsableThreshold } from '../ir/numerics.ts';

export type { DecisionKind } from '../ir/model.ts';
import type { DecisionKind } from '../ir/model.ts';

/** `violations<=R`: violationRate at most R; `error<=E`: mean Err of the delivered samples at most E. */
export type TuneTarget = { kind: 'violations'; max: number } | { kind: 'error'; max: number };

/** Per sample, in input order: the decision score (P(x), or the softmax margin), its Err and whether it is safe. */
export interface ScoredSamples {
  scores: Float64Array;
  errors: Float64Array;
  safe: Uint8Array;
}

/** The delivered samples' figures under one threshold. */
export interface ThresholdOutcome {
  threshold: number;
  invoked: number;
  /** invoked / samples. */
  invocation: number;
  violations: number;
  /** violations / invoked; null when nothing is invoked. */
  violationRate: number | null;
  /** Mean Err of the invoked samples; null when nothing is invoked. */
  error: number | null;
}

const f32 = Math.fround;
/** The usable thresholds are the positive float32 values below 1, whose bit patterns are in numeric order. */
const LOWEST = 1;
const HIGHEST = f32ToBits(1) - 1;

/** The score a threshold would sit at before rounding: P(x) itself, or the logit of the probability. */
function thresholdForScore(kind: DecisionKind, score: number): number {
  return kind === 'sigmoid' ? f32(score) : f32(1 / (1 + Math.exp(-score)));
}

/** The smallest usable threshold whose cut is at least `lo` (cut is non-decreasing in T), or null. */
function lowestAtLeast(kind: DecisionKind, lo: number): number | null {
  let a = LOWEST;
  let b = HIGHEST;
  if (!(decisionCut(kind, bitsToF32(b)) >= lo)) return null;
  while (a < b) {
    const m = a + Math.floor((b - a) / 2);
    if (decisionCut(kind, bitsToF32(m)) >= lo) b = m;
    else a = m + 1;
  }
  return bitsToF32(a);
}

/**
 * A usable threshold T with lo <= cut(T) < hi, so that exactly the samples scoring above lo (and so at
 * least hi) are invoked; or null when no float32 threshold falls there. Prefers the middle of the gap in
 * score, so the choice does not hug the calibration data; lo = -Infinity means "invoke every sample".
 */
export function thresholdBetween(kind: DecisionKind, lo: number, hi: number): number | null {
  const inGap = (t: number) => isUsableThreshold(t) && decisionCut(kind, t) >= lo && decisionCut(kind, t) < hi;
  const middle = lo === -Infinity ? (kind === 'sigmoid' ? hi / 2 : hi - 1) : lo + (hi - lo) / 2;
  const preferred = thresholdForScore(kind, middle);
  if (inGap(preferred)) return preferred;
  const lowest = lo === -Infinity ? bitsToF32(LOWEST) : lowestAtLeast(kind, lo);
  return lowest !== null && inGap(lowest) ? lowest : null;
}

/** The figures of `rows` (indices into the samples) under threshold t, by the controller's own rule. */
export function judgeThreshold(kind: DecisionKind, t: number, s: ScoredSamples, rows: ArrayLike<number>): ThresholdOutcome {
  const cut = decisionCut(kind, t);
  let invoked = 0;
  let violations = 0;
  let errorSum = 0;
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k];
    if (!(s.scores[i] > cut)) continue;
    invoked++;
    if (!s.safe[i]) violations++;
    errorSum += s.errors[i];
  }
  return outcome(t, invoked, rows.length, violations, errorSum);
}

function outcome(threshold: number, invoked: number, samples: number, violations: number, errorSum: number): ThresholdOutcome {
  return {
    threshold,
    invoked,
    invocation: samples ? invoked / samples : 0,
    violations,
    violationRate: invoked ? violations / invoked : null,
    error: invoked ? errorSum / invoked : null,
  };
}

/** What each kind of target bounds, as reports name it. */
export const TARGET_FIGURE: Record<TuneTarget['kind'], string> = { violations: 'violation rate', error: 'mean error' };

/** The figure a target bounds, under one threshold: the violation rate or the mean error (null when nothing is invoked). */
export function targetFigure(o: ThresholdOutcome, target: TuneTarget): number | null {
  return target.kind === 'violations' ? o.violationRate : o.error;
}

export function meetsTarget(o: ThresholdOutcome, target: TuneTarget): boolean {
  const v = targetFigure(o, target);
  return v !== null && v <= target.max;
}

/**
 * Every distinct invoked set a threshold can give on `rows`, from the fewest samples to all of them, each
 * with a threshold that gives it: the curve of invocation against threshold. Sets no float32 threshold can
 * give (scores too close to 1, or a margin past the float32 probabilities) are left out.
 */
export function sweepThresholds(kind: DecisionKind, s: ScoredSamples, rows: ArrayLike<number>): ThresholdOutcome[] {
  // A NaN score is never above a cut, so it is never invoked and takes no part.
  const order = Array.from(rows).filter((i) => !Number.isNaN(s.scores[i]));
  // Descending; a comparison rather than a difference, which infinite margins would make NaN.
  order.sort((a, b) => (s.scores[b] > s.scores[a] ? 1 : s.scores[b] < s.scores[a] ? -1 : 0));
  const points: ThresholdOutcome[] = [];
  let invoked = 0;
  let violations = 0;
  let errorSum = 0;
  for (let k = 0; k < order.length; ) {
    const hi = s.scores[order[k]];
    // Take the whole group of equal scores: no threshold separates them.
    while (k < order.length && s.scores[order[k]] === hi) {
      const i = order[k++];
      invoked++;
      if (!s.safe[i]) violations++;
      errorSum += s.errors[i];
    }
    const lo = k < order.length ? s.scores[order[k]] : -Infinity;
    const t = thresholdBetween(kind, lo, hi);
    if (t !== null) points.push(outcome(t, invoked, rows.length, violations, errorSum));
  }
  return points;
}

/**
 * The threshold with the most invocation that meets the target on `rows`, and the best the target's figure
 * gets (with the most invocation among equals) if none does. The chosen point is judged again in input
 * order, as the simulator sums, so the figures reported are the simulator's to the last bit; a point the
 * sweep's summation order let through by an ulp is passed over for the next.
 */
export function chooseThreshold(kind: DecisionKind, s: ScoredSamples, rows: ArrayLike<number>, target: TuneTarget): { chosen: ThresholdOutcome | null; best: ThresholdOutcome | null; curve: ThresholdOutcome[] } {
  const curve = sweepThresholds(kind, s, rows);
  const figure = (o: ThresholdOutcome) => targetFigure(o, target) ?? Infinity;
  let best: ThresholdOutcome | null = null;
  for (const o of curve) if (!best || figure(o) < figure(best) || (figure(o) === figure(best) && o.invoked > best.invoked)) best = o;
  const meeting = curve.filter((o) => meetsTarget(o, target)).sort((a, b) => b.invoked - a.invoked);
  for (const o of meeting) {
    const judged = judgeThreshold(kind, o.threshold, s, rows);
    if (meetsTarget(judged, target)) return { chosen: judged, best, curve };
  }
  return { chosen: null, best, curve };
}
