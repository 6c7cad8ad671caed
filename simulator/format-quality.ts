// The quality block of the run report's table: how good the delivered outputs were against the reference,
// with the bound stated and any violation of it flagged on a line of its own.

import type { QualitySummary } from '../quality/quality-tally.ts';
import { formatCount as count, formatPercent as pct } from './format-quantities.ts';

/** An error value: four significant digits, and Infinity or NaN spelled out. */
export function formatError(e: number): string {
  if (!Number.isFinite(e)) return String(e);
  return Number(e.toPrecision(4)).toString();
}

/** The bound as a reader writes it: `rmse < 0.1`. */
export function describeBound(q: Pick<QualitySummary, 'metric' | 'bound'>): string {
  return `${q.metric} < ${q.bound}`;
}

const rateOrNone = (r: number | null) => (r === null ? 'n/a' : pct(r));

/** The block's lines; `delivered` is the run's count of NPU outputs (the report's invocation.invoked). */
export function formatQuality(q: QualitySummary, delivered: number): string[] {
  const lines = [
    `quality      judged by ${describeBound(q)} against ${q.reference === 'exact' ? 'the exact function' : q.reference}, ${count(q.samples)} samples`,
    `  safe       ${count(q.safe)} samples (${pct(q.trueInvocation)}) meet the bound with H(x); the predictor chose ${count(q.predicted)} (${pct(q.predictedInvocation)})`,
    `  predictor  accuracy ${pct(q.predictionAccuracy)} (chosen and safe), agreement ${pct(q.agreement)}, precision ${rateOrNone(q.precision)}, recall ${rateOrNone(q.recall)}`,
  ];
  if (q.approximationError === null) lines.push('  delivered  none: the NPU delivered no output');
  else
    lines.push(
      `  delivered  ${count(delivered)} outputs: mean error ${formatError(q.approximationError)}, max ${formatError(q.maxError!)}; ` +
        `${count(q.violations)} broke the bound (${pct(q.violationRate!)})${q.nonFinite ? `, ${count(q.nonFinite)} not finite` : ''}`,
    );
  lines.push(`  final      mean error ${formatError(q.finalError)} of what the user receives (CPU results count as exact)`);
  if (q.violations > 0) lines.push(`  VIOLATED   ${count(q.violations)} of the ${count(delivered)} NPU outputs (${pct(q.violationRate!)}) broke the bound ${describeBound(q)}`);
  return lines;
}
