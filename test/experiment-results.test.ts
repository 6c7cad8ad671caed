// The committed results of `npm run experiments` (experiments/results/results.json) checked against
// themselves and the README: ≥ 10 seeds per cell on every benchmark; the summary, paired differences, matched
// invocation and time ratios recomputed from the runs (the summary's means and intervals also by an independent
// formula); Table I recounted; the README's reading equal to the one rendered from the file.

import { readFileSync } from 'node:fs';
import test from 'ava';
import { cells, matchedInvocation, pairedDifferences, summarize, timeRatios } from '../experiments/derive-results.ts';
import { axnetParameters, baselineParameters, matchedAxnetTopology, MATCH_TOLERANCE } from '../experiments/match-parameters.ts';
import { READING_BEGIN, READING_END, renderReading } from '../experiments/reading.ts';
import type { ExperimentResults } from '../experiments/results.ts';
import { BENCH_DEFAULTS } from '../training/defaults.ts';

const results = JSON.parse(readFileSync(new URL('../experiments/results/results.json', import.meta.url), 'utf8')) as ExperimentResults;
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const BENCHES = ['fft', 'bessel', 'blackscholes', 'jpeg', 'inversek2j', 'kmeans', 'sobel'];

test('every benchmark runs every method over at least 10 initialisation seeds on the fixed split', (t) => {
  for (const b of BENCHES) {
    for (const [method, config] of [['axnet', 'matched'], ['axnet', 'matched-bias1'], ['iterative', 'base'], ['onepass', 'base'], ['shared', 'base']]) {
      const runs = results.runs.filter((r) => r.benchmark === b && r.method === method && r.config === config);
      const seeds = new Set(runs.map((r) => r.initSeed));
      t.true(seeds.size >= 10, `${b} ${method} ${config}: ${seeds.size} seeds`);
      t.true(runs.every((r) => r.splitSeed === results.splitSeed), `${b} ${method} ${config}: one split`);
    }
  }
  for (const group of cells(results.runs)) t.true(group.length >= 5, `${group[0].benchmark} ${group[0].method} ${group[0].config}: ${group.length} runs`);
});

test('the summary, the paired differences, matched invocation and time ratios are what the runs give', (t) => {
  // JSON turns NaN into null, so compare through the same round trip.
  const json = <T>(x: T): T => JSON.parse(JSON.stringify(x));
  t.deepEqual(json(summarize(results.runs)), results.summary);
  t.deepEqual(json(pairedDifferences(results.runs)), results.paired);
  t.deepEqual(json(matchedInvocation(results.runs)), results.matchedInvocation);
  t.deepEqual(json(timeRatios(results.runs)), results.timeRatio);
});

test('each summary mean and interval matches a direct computation from its runs', (t) => {
  // t quantiles for 95% two-sided intervals from a printed table (df 9 and 4): independent of jstat.
  const T: Record<number, number> = { 4: 2.776445, 9: 2.262157 };
  let checked = 0;
  for (const s of results.summary) {
    if (s.metric !== 'trueInvocation' && s.metric !== 'predictionAccuracy') continue;
    const xs = results.runs.filter((r) => r.benchmark === s.benchmark && r.method === s.method && r.config === s.config).map((r) => r[s.metric] as number);
    const n = xs.length;
    if (!T[n - 1]) continue;
    const m = xs.reduce((a, b) => a + b, 0) / n;
    const sd = Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (n - 1));
    const half = (T[n - 1] * sd) / Math.sqrt(n);
    t.true(Math.abs(s.mean - m) < 1e-12, `${s.benchmark} ${s.method} ${s.config} ${s.metric}`);
    t.true(Math.abs(s.ciLow - (m - half)) < 1e-6 && Math.abs(s.ciHigh - (m + half)) < 1e-6, `${s.benchmark} ${s.method} ${s.config} ${s.metric}`);
    checked++;
  }
  t.true(checked >= 2 * 5 * BENCHES.length, `${checked} rows checked`);
});

test("Table I's topologies are the rule's, within ±3%, and the runs trained exactly them", (t) => {
  for (const b of BENCHES) {
    const row = results.tableI.find((r) => r.benchmark === b)!;
    const m = matchedAxnetTopology(b);
    t.deepEqual([row.axnetApprox, row.axnetPredict], [m.approx, m.predict], b);
    t.is(row.baselineParameters, baselineParameters(BENCH_DEFAULTS[b]));
    t.is(row.axnetParameters, axnetParameters(m));
    t.true(Math.abs(row.difference) <= MATCH_TOLERANCE, b);
    for (const r of results.runs.filter((x) => x.benchmark === b && x.config.startsWith('matched'))) {
      t.deepEqual([r.approx, r.predict], [m.approx, m.predict]);
      t.is(r.parameters, row.axnetParameters, 'the trained model has the counted parameters');
    }
    for (const r of results.runs.filter((x) => x.benchmark === b && x.config === 'base' && x.method !== 'shared')) t.is(r.parameters, row.baselineParameters);
  }
});

test("the README's reading of the results is the one rendered from results.json", (t) => {
  const a = readme.indexOf(READING_BEGIN);
  const b = readme.indexOf(READING_END);
  t.true(a >= 0 && b > a, 'the README has the reading section');
  t.is(readme.slice(a, b + READING_END.length), renderReading(results));
});
