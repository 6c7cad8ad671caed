// The README's reading of the results, rendered from results.json so every figure it quotes is the file's:
// where AXNet wins and where it does not (a difference counts only when its 95% interval excludes 0), by how
// much, the collapse rates, the control-bias ablation, parameters at matched invocation and training time.

import { BASELINES, HEADLINE_CONFIG } from './derive-results.ts';
import type { ExperimentResults, PairedRow, SummaryMetric } from './results.ts';

export const READING_BEGIN = '<!-- experiments:reading:begin (rendered by npm run experiments from experiments/results/results.json) -->';
export const READING_END = '<!-- experiments:reading:end -->';

/** Percentage points with a sign, one decimal. */
const points = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(100 * x).toFixed(1)}`;
const pct = (x: number | null) => (x === null || !Number.isFinite(x) ? '—' : `${x < 0 ? '−' : ''}${Math.abs(100 * x).toFixed(1)}%`);
/** A 95% interval; JSON keeps a missing bound (one run) as null. */
const interval = (lo: number | null, hi: number | null, f: (x: number) => string) => (lo === null || hi === null || !Number.isFinite(lo) || !Number.isFinite(hi) ? '(one run: no interval)' : `[${f(lo)}, ${f(hi)}]`);

function verdict(p: PairedRow): 'ahead' | 'behind' | 'tied' {
  if (p.ciLow > 0) return 'ahead';
  if (p.ciHigh < 0) return 'behind';
  return 'tied';
}

export function renderReading(r: ExperimentResults): string {
  const benches = [...new Set(r.runs.map((x) => x.benchmark))];
  const paired = (b: string, baseline: string, metric: SummaryMetric) => r.paired.find((p) => p.benchmark === b && p.baseline === baseline && p.metric === metric);
  const cell = (b: string, method: string, config: string, metric: SummaryMetric) => r.summary.find((s) => s.benchmark === b && s.method === method && s.config === config && s.metric === metric);
  const out: string[] = [READING_BEGIN, ''];
  const n = r.initSeeds.length;
  out.push(`\`${r.command}\` trained ${r.runs.filter((x) => !x.config.endsWith('/splits') || x.splitSeed !== r.splitSeed).length} models in ${(r.seconds / 60).toFixed(1)} minutes (tfjs backend ${r.backend}; ${r.budget}). The tables and figures are in [experiments/results/](experiments/results/results.md).`, '');
  out.push(`${n} initialisation seeds per cell on split ${r.splitSeed}; differences are AXNet (matched parameters) minus the baseline over the same seeds, in percentage points, with a paired bootstrap 95% interval. "ahead" and "behind" need the interval to exclude 0.`, '');
  for (const metric of ['trueInvocation', 'predictionAccuracy'] as const) {
    out.push(`**${metric === 'trueInvocation' ? 'True invocation' : 'Prediction accuracy (predicted and safe / N)'}**, AXNet − baseline:`, '');
    out.push(`| benchmark | ${BASELINES.map((b) => `vs ${b}`).join(' | ')} |`, `| --- | ${BASELINES.map(() => '---').join(' | ')} |`);
    for (const b of benches) {
      const cols = BASELINES.map((base) => {
        const p = paired(b, base, metric);
        return p ? `${points(p.mean)} ${interval(p.ciLow, p.ciHigh, points)} ${verdict(p)}` : '—';
      });
      out.push(`| ${b} | ${cols.join(' | ')} |`);
    }
    const tally = BASELINES.map((base) => {
      const v = benches.map((b) => paired(b, base, metric)).filter((p): p is PairedRow => !!p).map(verdict);
      return `against ${base} AXNet is ahead on ${v.filter((x) => x === 'ahead').length}, behind on ${v.filter((x) => x === 'behind').length} and tied on ${v.filter((x) => x === 'tied').length} of ${v.length} benchmarks`;
    });
    out.push('', `In ${metric === 'trueInvocation' ? 'true invocation' : 'prediction accuracy'}, ${tally.join('; ')}.`, '');
  }
  // The compared cells only; results.md gives every cell's collapse rate.
  const compared = (s: { method: string; config: string }) => (s.method === 'axnet' ? s.config === HEADLINE_CONFIG || s.config === `${HEADLINE_CONFIG}-bias1` : s.config === 'base');
  const collapses = r.summary.filter((s) => s.metric === 'collapsed' && s.mean > 0 && compared(s));
  out.push(
    collapses.length
      ? `**Collapse** (the predictor invokes nothing on the test rows), share of seeds: ${benches
          .map((b) => {
            const here = collapses.filter((s) => s.benchmark === b);
            return here.length ? `${b}: ${here.map((s) => `${s.method}${s.method === 'axnet' ? ` ${s.config}` : ''} ${pct(s.mean)}`).join(', ')}` : '';
          })
          .filter(Boolean)
          .join('; ')}. Other compared cells never collapsed.`
      : '**Collapse** (the predictor invokes nothing on the test rows): no seed of any compared cell collapsed.',
    '',
  );
  const bias = benches.flatMap((b) => {
    const zero = cell(b, 'axnet', HEADLINE_CONFIG, 'trueInvocation');
    const one = cell(b, 'axnet', `${HEADLINE_CONFIG}-bias1`, 'trueInvocation');
    return zero && one ? [`${b} ${pct(zero.mean)} ${interval(zero.ciLow, zero.ciHigh, pct)} against ${pct(one.mean)} ${interval(one.ciLow, one.ciHigh, pct)}`] : [];
  });
  if (bias.length) out.push(`**Control bias 0 (default) against 1**, AXNet true invocation: ${bias.join('; ')}.`, '');
  const matched = r.matchedInvocation.map((m) =>
    m.parameterRatio === null
      ? `${m.benchmark} none of the swept sizes comes within 5 points of iterative's ${pct(m.iterativeTrueInvocation)}`
      : // An upper end that is not finite (null once in JSON): in some resamples of the seeds no size qualifies.
        `${m.benchmark} ${m.parameterRatio.toFixed(2)}× [${m.ciLow?.toFixed(2) ?? '—'}, ${m.ciHigh !== null && Number.isFinite(m.ciHigh) ? m.ciHigh.toFixed(2) : 'no match'}] (${m.config})`,
  );
  if (matched.length) out.push(`**Parameters at matched invocation** (AXNet / iterative, Fig. 10a left): ${matched.join('; ')}.`, '');
  const times = r.timeRatio.map((t) => `${t.benchmark} ${t.mean.toFixed(2)}× ${interval(t.ciLow, t.ciHigh, (x) => x.toFixed(2))} (${t.n} seed${t.n === 1 ? '' : 's'})`);
  if (times.length) out.push(`**Training time to the plateau** (AXNet / iterative, Fig. 10a right; seeds where neither collapsed): ${times.join('; ')}.`, '');
  const energy = benches.flatMap((b) => {
    const a = cell(b, 'axnet', HEADLINE_CONFIG, 'energyEfficiency');
    const it = cell(b, 'iterative', 'base', 'energyEfficiency');
    return a && it ? [`${b} ${a.mean.toFixed(2)} against ${it.mean.toFixed(2)}`] : [];
  });
  if (energy.length) out.push(`**Energy efficiency** (simulated estimate, speedup ÷ normalised energy on the default NPU; AXNet against iterative): ${energy.join('; ')}.`, '');
  out.push(READING_END);
  return out.join('\n');
}

/** `readme` with its reading section replaced by `reading`; null when the markers are missing. */
export function spliceReading(readme: string, reading: string): string | null {
  const a = readme.indexOf(READING_BEGIN);
  const b = readme.indexOf(READING_END);
  if (a < 0 || b < a) return null;
  return readme.slice(0, a) + reading + readme.slice(b + READING_END.length);
}
