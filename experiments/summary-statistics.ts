// The statistics a multi-seed comparison reports: the mean with its 95% Student-t interval, the paired
// difference of two methods over the same seeds with a seeded percentile-bootstrap 95% interval, and the share
// of seeds whose predictor collapsed (predicted invocation 0). Student's t quantiles come from jstat.

import jstat from 'jstat';
import { SeededRandom } from '../ir/seeded-random.ts';

const { jStat } = jstat;

export interface Interval {
  mean: number;
  ciLow: number;
  ciHigh: number;
  n: number;
}

export function mean(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

/** The sample standard deviation (n − 1 in the denominator). */
export function sampleSd(xs: readonly number[]): number {
  const m = mean(xs);
  let s = 0;
  for (const x of xs) s += (x - m) ** 2;
  return Math.sqrt(s / (xs.length - 1));
}

/** mean ± t_{0.975, n−1} · sd / √n; with one value there is no interval (NaN bounds), not a certain one. */
export function tInterval95(xs: readonly number[]): Interval {
  const n = xs.length;
  if (n === 0) return { mean: NaN, ciLow: NaN, ciHigh: NaN, n };
  const m = mean(xs);
  if (n === 1) return { mean: m, ciLow: NaN, ciHigh: NaN, n };
  const half = (jStat.studentt.inv(0.975, n - 1) * sampleSd(xs)) / Math.sqrt(n);
  return { mean: m, ciLow: m - half, ciHigh: m + half, n };
}

/**
 * The mean of a − b over paired values (the same seeds) with a percentile-bootstrap 95% interval: `resamples`
 * resamplings of the pairs with replacement, drawn from `seed`; the interval runs from the 2.5th to the 97.5th
 * percentile of their means (nearest rank).
 */
export function pairedBootstrap95(a: readonly number[], b: readonly number[], seed: number, resamples = 10_000): Interval {
  if (a.length !== b.length) throw new RangeError(`paired values: ${a.length} against ${b.length}`);
  const d = a.map((v, i) => v - b[i]);
  const n = d.length;
  if (n === 0) return { mean: NaN, ciLow: NaN, ciHigh: NaN, n };
  const rng = new SeededRandom(seed);
  const means = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let s = 0;
    for (let k = 0; k < n; k++) s += d[Math.min(n - 1, Math.floor(rng.uniform(0, n)))];
    means[r] = s / n;
  }
  means.sort();
  const rank = (p: number) => means[Math.min(resamples - 1, Math.max(0, Math.ceil(p * resamples) - 1))];
  return { mean: mean(d), ciLow: rank(0.025), ciHigh: rank(0.975), n };
}

/** The share of runs whose predicted invocation is 0: the predictor sends everything to the CPU. */
export function collapseRate(predictedInvocations: readonly number[]): number {
  return predictedInvocations.length === 0 ? NaN : predictedInvocations.filter((p) => p === 0).length / predictedInvocations.length;
}
