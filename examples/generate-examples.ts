// `npm run examples:train`: trains the examples on generated data, writes each one's .axn, weights file and held-out
// sample inputs, then simulates them and rewrites the README's examples table and quick-start output from the reports.
// `-- --table-only` skips the training: it re-renders the README from the committed files (after a simulator change).

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findBenchmark } from '../benchmarks/registry.ts';
import { compileModel } from '../compiler/pipeline.ts';
import { AxcError } from '../diagnostics/diagnostic.ts';
import { loadModelFile } from '../frontend/parse-model.ts';
import { printModel } from '../frontend/print-model.ts';
import { writeWeightsFile } from '../frontend/weights-file.ts';
import { float32Text } from '../ir/float-text.ts';
import { SeededRandom } from '../ir/seeded-random.ts';
import { formatReport } from '../simulator/format-report.ts';
import { readSamples } from '../simulator/read-samples.ts';
import { referenceRows } from '../simulator/reference-rows.ts';
import type { RunReport } from '../simulator/report.ts';
import { runSimulation } from '../simulator/run-simulation.ts';
import { trainModel } from '../training/train.ts';
import {
  axnHeader,
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
  type TrainedExample,
} from './trained-examples.ts';

const here = new URL('.', import.meta.url).pathname;
const readmeUrl = new URL('../README.md', import.meta.url);

async function train(e: TrainedExample): Promise<void> {
  const { train, test } = exampleData(e);
  const started = Date.now();
  const r = await trainModel({ bench: e.bench, method: 'axnet', ...e.topology, seed: e.seed, data: train, test });
  const model = e.modelName ? { ...r.model, name: e.modelName } : r.model;
  const weightsName = `${e.name}.weights.json`;
  writeFileSync(join(here, weightsName), writeWeightsFile(model));
  writeFileSync(join(here, `${e.name}.axn`), axnHeader(e, r.backend) + printModel(model, { inlineWeights: false, weightsFile: weightsName }));
  writeFileSync(join(here, `${e.name}.x`), sampleText(e, test));
  const m = r.metrics;
  console.log(
    `${e.name}: ${e.bench} on ${r.backend} in ${((Date.now() - started) / 1000).toFixed(1)} s; on ${test.n} test rows true invocation ` +
      `${(100 * m.trueInvocation).toFixed(1)}%, predicted ${(100 * m.predictedInvocation).toFixed(1)}%`,
  );
  // The committed files come from wasm; another backend rounds differently, so its weights differ in the last bits.
  if (r.backend !== 'wasm') console.warn(`warning: trained on tfjs's ${r.backend} backend, not wasm: the weights will not match the committed ones`);
}

/** tiny.axn's weights are hand-written; its inputs are the same 64 seeded rows they always were. */
function writeTinyInputs(): void {
  const rng = new SeededRandom(1005);
  const rows: string[] = [];
  for (let i = 0; i < 64; i++) rows.push([rng.uniform(-1, 1), rng.uniform(-1, 1)].map((v) => float32Text(Math.fround(v))).join(' '));
  writeFileSync(join(here, 'tiny.x'), rows.join('\n') + '\n');
}

/** What `axc compile <name>.axn` then `axc sim --input <name>.x --reference exact` reports (test/examples.test.ts checks they agree). */
async function simulate(e: TrainedExample): Promise<RunReport> {
  const { model, diagnostics } = loadModelFile(join(here, `${e.name}.axn`));
  if (!model) throw new AxcError(diagnostics);
  const bin = compileModel(model);
  const benchmark = findBenchmark(e.bench)!;
  return runSimulation(bin, readSamples(join(here, `${e.name}.x`), model.inputWidth), {
    reference: { rows: referenceRows({ kind: 'exact', benchmark }, model.outputWidth), quality: model.quality! },
    exact: benchmark,
  });
}

if (!process.argv.includes('--table-only')) {
  for (const e of TRAINED_EXAMPLES) await train(e);
  writeTinyInputs();
}
const runs = [];
for (const e of TRAINED_EXAMPLES) runs.push({ example: e, report: await simulate(e) });
let readme = readFileSync(readmeUrl, 'utf8');
readme = betweenMarkers(readme, EXAMPLES_TABLE_BEGIN, EXAMPLES_TABLE_END).replace(renderExamplesTable(runs));
const quick = runs.find((r) => r.example.name === QUICK_START_EXAMPLE)!;
readme = betweenMarkers(readme, QUICK_START_BEGIN, QUICK_START_END).replace(renderQuickStartOutput(formatReport(quick.report)));
writeFileSync(readmeUrl, readme);
console.log(`updated the examples table and the quick-start output in README.md`);
