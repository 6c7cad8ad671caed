// `npm run experiments` twice with the same seeds, on a small grid (sobel, 2 seeds, 1 epoch, 600 rows), once
// on one worker thread and once on two, with separate caches: the same results.json apart from the measured
// times.

import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import test from 'ava';
import type { ExperimentResults } from '../experiments/results.ts';

const run = promisify(execFile);
const root = new URL('..', import.meta.url).pathname;
const TIMES = new Set(['trainSeconds', 'plateauSeconds']);

/** results.json without what a clock measures. */
function untimed(r: ExperimentResults) {
  return {
    ...r,
    // The command names each run's --jobs and --out.
    command: r.command.replace(/ --jobs \d+ --out \S+$/, ''),
    seconds: 0,
    startedAt: '',
    runs: r.runs.map((x) => ({ ...x, trainSeconds: 0, plateauSeconds: 0 })),
    summary: r.summary.filter((s) => !TIMES.has(s.metric)),
    timeRatio: r.timeRatio.map((t) => t.benchmark),
  };
}

test('the same seeds give the same results.json (times aside) at --jobs 1 and --jobs 2', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'axc-exp-'));
  try {
    const results: ExperimentResults[] = [];
    for (const jobs of ['1', '2']) {
      const out = path.join(dir, `j${jobs}`);
      const args = ['--import', 'tsx', 'experiments/run-experiments.ts', '--benches', 'sobel', '--seeds', '2', '--split-seeds', '2', '--epochs-scale', '0.05', '--steps', '1', '--max-rows', '600', '--samples', '800', '--jobs', jobs, '--out', out];
      await run(process.execPath, args, { cwd: root, maxBuffer: 1 << 24 });
      results.push(JSON.parse(readFileSync(path.join(out, 'results.json'), 'utf8')));
    }
    const [a, b] = results;
    t.true(a.runs.length >= 2 * 12, `${a.runs.length} runs`);
    t.deepEqual(new Set(a.runs.map((r) => r.initSeed)), new Set([1, 2]));
    t.deepEqual(untimed(a), untimed(b));
    // The grid trained something: not every run collapsed, and the matched AXNet has Table I's parameters.
    t.true(a.runs.some((r) => r.predictedInvocation > 0));
    t.true(a.runs.filter((r) => r.config === 'matched').every((r) => r.parameters === a.tableI[0].axnetParameters));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
