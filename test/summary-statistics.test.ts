// The multi-seed statistics (experiments/summary-statistics.ts): Student's t quantiles against the published
// table, the t interval against the formula worked by hand, the paired bootstrap's determinism and its edge
// cases, and the collapse rate.

import test from 'ava';
import jstat from 'jstat';
import { collapseRate, mean, pairedBootstrap95, sampleSd, tInterval95 } from '../experiments/summary-statistics.ts';

const { jStat } = jstat;

test("Student's t 97.5% quantiles match the published table (to the table's 3 decimals)", (t) => {
  // Two-sided 95% critical values, from any statistics table: df 1, 2, 4, 9, 29, 120.
  const table: [number, number][] = [[1, 12.706], [2, 4.303], [4, 2.776], [9, 2.262], [29, 2.045], [120, 1.98]];
  for (const [df, v] of table) t.true(Math.abs(jStat.studentt.inv(0.975, df) - v) < 5e-4, `df ${df}: ${jStat.studentt.inv(0.975, df)}`);
});

test('the t interval of 1..5 is 3 ± 2.776445 · √2.5 / √5 = [1.0368, 4.9632]', (t) => {
  const r = tInterval95([1, 2, 3, 4, 5]);
  t.is(r.mean, 3);
  t.is(r.n, 5);
  t.true(Math.abs(sampleSd([1, 2, 3, 4, 5]) - Math.sqrt(2.5)) < 1e-15);
  const half = (2.776445 * Math.sqrt(2.5)) / Math.sqrt(5); // t(0.975, 4) from the table to 6 decimals
  t.true(Math.abs(r.ciLow - (3 - half)) < 1e-5 && Math.abs(r.ciHigh - (3 + half)) < 1e-5, JSON.stringify(r));
  t.deepEqual(tInterval95([0.4]), { mean: 0.4, ciLow: NaN, ciHigh: NaN, n: 1 }, 'one value has no interval');
});

test('the paired bootstrap: the mean difference, inside its interval, the same for the same seed', (t) => {
  const a = [0.61, 0.55, 0.7, 0.52, 0.66, 0.59, 0.63, 0.58, 0.71, 0.49];
  const b = [0.5, 0.57, 0.61, 0.45, 0.6, 0.5, 0.62, 0.49, 0.6, 0.51];
  const r = pairedBootstrap95(a, b, 7);
  t.true(Math.abs(r.mean - (mean(a) - mean(b))) < 1e-15);
  t.true(r.ciLow <= r.mean && r.mean <= r.ciHigh && r.ciLow < r.ciHigh);
  t.deepEqual(pairedBootstrap95(a, b, 7), r, 'seeded: reproducible');
  // A difference that never varies has no spread to resample.
  const c = pairedBootstrap95([1.5, 2.5, 3.5], [1, 2, 3], 1);
  t.deepEqual([c.mean, c.ciLow, c.ciHigh], [0.5, 0.5, 0.5]);
  t.throws(() => pairedBootstrap95([1], [1, 2], 1), { instanceOf: RangeError });
});

test('the collapse rate is the share of runs that predicted no invocation at all', (t) => {
  t.is(collapseRate([0, 0.2, 0, 0.5]), 0.5);
  t.is(collapseRate([0.1, 0.3]), 0);
});
