// The trained examples are what their generator says: each .x is held-out test rows of its seeded data, each
// .axn is the topology its header's `axc train` command names, and the README's figures are a fresh `axc sim`'s.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import test from 'ava';
import { AxcError } from '../diagnostics/diagnostic.ts';
import { loadModelFile } from '../frontend/parse-model.ts';
import type { RunReport } from '../simulator/report.ts';
import { BENCH_DEFAULTS } from '../training/defaults.ts';
import {
  betweenMarkers,
  EXAMPLES_TABLE_BEGIN,
  EXAMPLES_TABLE_END,
  exampleData,
  QUICK_START_BEGIN,
  QUICK_START_END,
  QUICK_START_EXAMPLE,
  renderExamplesTable,
  renderQuickStartOutput,
  sampleText,
  TRAINED_EXAMPLES,
  trainFlags,
} from '../examples/trained-examples.ts';
import { repoRoot, runAxcInProcess } from './support/run-axc.ts';

const example = (file: string) => path.join(repoRoot, 'examples', file);
const README = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
const STALE = 'run `npm run examples:train -- --table-only` (or the whole `npm run examples:train` if the models changed)';

for (const e of TRAINED_EXAMPLES) {
  test(`${e.name}.x is the first ${e.inputs} held-out test rows of its seeded data`, (t) => {
    t.is(readFileSync(example(`${e.name}.x`), 'utf8'), sampleText(e, exampleData(e).test));
  });

  test(`${e.name}.axn is the network its header's axc train command makes`, (t) => {
    const text = readFileSync(example(`${e.name}.axn`), 'utf8');
    t.true(text.includes(`\n#   axc train ${trainFlags(e)}\n`), 'the header names the flags');
    const { model, diagnostics } = loadModelFile(example(`${e.name}.axn`));
    if (!model) throw new AxcError(diagnostics);
    const d = BENCH_DEFAULTS[e.bench];
    t.is(model.name, e.modelName ?? e.bench);
    t.is(model.benchmark, e.bench, 'names its benchmark, so --reference exact works');
    t.deepEqual([model.inputWidth, ...model.approximator.map((l) => l.width)], e.topology.approx ?? d.approx);
    t.deepEqual([model.inputWidth, ...model.predictor!.hidden.map((l) => l.width)], e.topology.predict ?? d.predict);
    t.deepEqual(model.quality, { metric: d.metric, bound: d.bound });
    const gated = model.approximator.filter((l) => l.control).map((l) => l.name);
    const hidden = model.approximator.slice(0, -1).map((l) => l.name);
    const control = e.topology.control ?? 'all';
    t.deepEqual(gated, control === 'all' ? hidden : [hidden[control - 1]]);
    t.is(model.predictor!.output.decision.kind, e.topology.decision ?? 'softmax');
  });
}

test("README's examples table and quick-start output are a fresh axc sim's", async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'axc-examples-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const runs: { example: (typeof TRAINED_EXAMPLES)[number]; report: RunReport }[] = [];
  let quickStart = '';
  for (const e of TRAINED_EXAMPLES) {
    const bin = path.join(dir, `${e.name}.bin`);
    const report = path.join(dir, `${e.name}.json`);
    const c = await runAxcInProcess(['compile', example(`${e.name}.axn`), '-q', '-o', bin]);
    t.is(c.status, 0, c.stderr);
    // As the README's quick start runs it: --reference exact, the report table on stdout.
    const s = await runAxcInProcess(['sim', bin, '--input', example(`${e.name}.x`), '--reference', 'exact', '--report', report]);
    t.is(s.status, 0, s.stderr);
    if (e.name === QUICK_START_EXAMPLE) quickStart = s.stdout;
    runs.push({ example: e, report: JSON.parse(readFileSync(report, 'utf8')) as RunReport });
  }
  t.is(betweenMarkers(README, EXAMPLES_TABLE_BEGIN, EXAMPLES_TABLE_END).inner, renderExamplesTable(runs), `the examples table is stale: ${STALE}`);
  const shown = renderQuickStartOutput(quickStart);
  t.regex(shown, /^speedup .*\n^energy .*\n```$/m, 'the excerpt holds the speedup and energy lines');
  t.is(betweenMarkers(README, QUICK_START_BEGIN, QUICK_START_END).inner, shown, `the quick-start output is stale: ${STALE}`);
});
