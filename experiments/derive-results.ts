// The tables results.json derives from its runs: per-cell means with t-intervals, AXNet's paired differences
// against each baseline, matched invocation (Fig. 10a left), plateau-time ratios (Fig. 10a right) and the mean
// validation curves (Fig. 2). A pure function of the runs, so a test can recompute it from the file.

import type { CurvePoint, MatchedInvocationRow, PairedRow, RunRecord, SummaryMetric, SummaryRow, TimeRatioRow } from './results.ts';
import { SUMMARY_METRICS } from './results.ts';
import { mean, pairedBootstrap95, tInterval95 } from './summary-statistics.ts';
import { SeededRandom } from '../ir/seeded-random.ts';

/** The AXNet configuration the comparison (paired differences, Fig. 6–8, 10b) puts against the baselines. */
export const HEADLINE_CONFIG = 'matched';
export const BASELINE_CONFIG = 'base';
export const BASELINES = ['iterative', 'onepass', 'shared'] as const;
/** Metrics whose AXNet − baseline difference is reported. */
export const PAIRED_METRICS = ['trueInvocation', 'predictedInvocation', 'predictionAccuracy', 'agreement', 'approximationError', 'energyEfficiency'] as const satisfies readonly SummaryMetric[];
/** Matched invocation: an AXNet size qualifies when its mean true invocation is at least iterative's less this. */
export const MATCH_INVOCATION_POINTS = 0.05;
/** The seed of every bootstrap, so results.json is reproducible. */
export const BOOTSTRAP_SEED = 20_171_225;
const RESAMPLES = 10_000;

const cellKey = (r: Pick<RunRecord, 'benchmark' | 'method' | 'config'>) => `${r.benchmark}\u0000${r.method}\u0000${r.config}`;

/** Runs grouped by cell, in first-seen order. */
export function cells(runs: readonly RunRecord[]): RunRecord[][] {
  const groups = new Map<string, RunRecord[]>();
  for (const r of runs) {
    const k = cellKey(r);
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k)!.push(r);
  }
  return [...groups.values()];
}

/** Values of `metric` over runs, nulls and NaNs left out. */
function values(runs: readonly RunRecord[], metric: SummaryMetric): number[] {
  return runs.map((r) => r[metric]).filter((v): v is number => v !== null && Number.isFinite(v));
}

export function summarize(runs: readonly RunRecord[]): SummaryRow[] {
  const out: SummaryRow[] = [];
  for (const group of cells(runs)) {
    const { benchmark, method, config } = group[0];
    for (const metric of SUMMARY_METRICS) {
      const i = tInterval95(values(group, metric));
      out.push({ benchmark, method, config, metric, mean: i.mean, ciLow: i.ciLow, ciHigh: i.ciHigh, n: i.n });
    }
  }
  return out;
}

/** The runs of one cell keyed by initialisation seed. */
function bySeed(runs: readonly RunRecord[], benchmark: string, method: string, config: string): Map<number, RunRecord> {
  return new Map(runs.filter((r) => r.benchmark === benchmark && r.method === method && r.config === config).map((r) => [r.initSeed, r]));
}

export function pairedDifferences(runs: readonly RunRecord[]): PairedRow[] {
  const out: PairedRow[] = [];
  const benchmarks = [...new Set(runs.map((r) => r.benchmark))];
  for (const benchmark of benchmarks) {
    const axnet = bySeed(runs, benchmark, 'axnet', HEADLINE_CONFIG);
    for (const baseline of BASELINES) {
      const base = bySeed(runs, benchmark, baseline, BASELINE_CONFIG);
      for (const metric of PAIRED_METRICS) {
        const a: number[] = [];
        const b: number[] = [];
        for (const [seed, ra] of axnet) {
          const rb = base.get(seed);
          const va = ra[metric];
          const vb = rb?.[metric];
          if (va === null || vb === null || vb === undefined || !Number.isFinite(va) || !Number.isFinite(vb)) continue;
          a.push(va);
          b.push(vb);
        }
        if (!a.length) continue;
        const i = pairedBootstrap95(a, b, BOOTSTRAP_SEED, RESAMPLES);
        out.push({ benchmark, baseline, metric, mean: i.mean, ciLow: i.ciLow, ciHigh: i.ciHigh, n: i.n });
      }
    }
  }
  return out;
}

/** AXNet configurations the matched-invocation search may choose from: the size sweep and the matched topology. */
const isSweptSize = (config: string) => /^w\d+$/.test(config) || config === HEADLINE_CONFIG;

/** The smallest swept AXNet (by parameters) whose mean true invocation over `seeds` is within the margin of iterative's. */
function chooseSize(sizes: { config: string; parameters: number; runs: Map<number, RunRecord> }[], iterative: Map<number, RunRecord>, seeds: number[]) {
  const meanOver = (m: Map<number, RunRecord>) => mean(seeds.map((s) => m.get(s)!.trueInvocation));
  const target = meanOver(iterative);
  for (const s of sizes) if (meanOver(s.runs) >= target - MATCH_INVOCATION_POINTS) return { size: s, target, invocation: meanOver(s.runs) };
  return { size: null, target, invocation: null };
}

export function matchedInvocation(runs: readonly RunRecord[]): MatchedInvocationRow[] {
  const out: MatchedInvocationRow[] = [];
  for (const benchmark of [...new Set(runs.map((r) => r.benchmark))]) {
    const iterative = bySeed(runs, benchmark, 'iterative', BASELINE_CONFIG);
    const configs = [...new Set(runs.filter((r) => r.benchmark === benchmark && r.method === 'axnet' && isSweptSize(r.config)).map((r) => r.config))];
    const sizes = configs
      .map((config) => {
        const m = bySeed(runs, benchmark, 'axnet', config);
        return { config, parameters: [...m.values()][0].parameters, runs: m };
      })
      .sort((x, y) => x.parameters - y.parameters || x.config.localeCompare(y.config));
    // Only seeds every size and iterative ran, so each mean is over the same initialisations.
    const seeds = [...iterative.keys()].filter((s) => sizes.every((z) => z.runs.has(s))).sort((a, b) => a - b);
    if (!seeds.length || !sizes.length) continue;
    const itParams = iterative.get(seeds[0])!.parameters;
    const pick = chooseSize(sizes, iterative, seeds);
    const row: MatchedInvocationRow = {
      benchmark,
      iterativeTrueInvocation: pick.target,
      config: pick.size?.config ?? null,
      axnetTrueInvocation: pick.invocation,
      parameterRatio: pick.size ? pick.size.parameters / itParams : null,
      ciLow: null,
      ciHigh: null,
      n: seeds.length,
    };
    if (pick.size) {
      // Resample the seeds, choose again, and take the 2.5th and 97.5th percentiles of the chosen ratio (a
      // resample in which no size qualifies counts as +Infinity: no match at that draw).
      const rng = new SeededRandom(BOOTSTRAP_SEED);
      const ratios = new Float64Array(RESAMPLES);
      for (let k = 0; k < RESAMPLES; k++) {
        const draw = seeds.map(() => seeds[Math.min(seeds.length - 1, Math.floor(rng.uniform(0, seeds.length)))]);
        const again = chooseSize(sizes, iterative, draw);
        ratios[k] = again.size ? again.size.parameters / itParams : Infinity;
      }
      ratios.sort();
      const rank = (p: number) => ratios[Math.min(RESAMPLES - 1, Math.max(0, Math.ceil(p * RESAMPLES) - 1))];
      row.ciLow = rank(0.025);
      row.ciHigh = rank(0.975);
    }
    out.push(row);
  }
  return out;
}

/**
 * Per seed, AXNet's plateau time over iterative's, with a t-interval over the seeds. Seeds where either
 * predictor collapsed are left out: a run that never invokes anything plateaus at once, at accuracy 0.
 */
export function timeRatios(runs: readonly RunRecord[]): TimeRatioRow[] {
  const out: TimeRatioRow[] = [];
  for (const benchmark of [...new Set(runs.map((r) => r.benchmark))]) {
    const axnet = bySeed(runs, benchmark, 'axnet', HEADLINE_CONFIG);
    const it = bySeed(runs, benchmark, 'iterative', BASELINE_CONFIG);
    const ratios = [...axnet].filter(([s, r]) => it.has(s) && it.get(s)!.plateauSeconds > 0 && !r.collapsed && !it.get(s)!.collapsed).map(([s, r]) => r.plateauSeconds / it.get(s)!.plateauSeconds);
    if (!ratios.length) continue;
    const i = tInterval95(ratios);
    out.push({ benchmark, mean: i.mean, ciLow: i.ciLow, ciHigh: i.ciHigh, n: i.n });
  }
  return out;
}

/** Validation invocation by epoch, averaged over the seeds of one cell. */
export function meanCurves(curves: readonly { benchmark: string; method: string; points: readonly { epoch: number; trueInvocation: number; predictedInvocation: number }[] }[]): CurvePoint[] {
  const sums = new Map<string, CurvePoint>();
  for (const c of curves) {
    for (const p of c.points) {
      const k = `${c.benchmark}\u0000${c.method}\u0000${p.epoch}`;
      const s = sums.get(k) ?? { benchmark: c.benchmark, method: c.method, epoch: p.epoch, trueInvocation: 0, predictedInvocation: 0, n: 0 };
      s.trueInvocation += p.trueInvocation;
      s.predictedInvocation += p.predictedInvocation;
      s.n++;
      sums.set(k, s);
    }
  }
  return [...sums.values()].map((s) => ({ ...s, trueInvocation: s.trueInvocation / s.n, predictedInvocation: s.predictedInvocation / s.n }));
}
