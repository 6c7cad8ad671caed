// Regenerates the examples' deterministic placeholder weights and sample inputs (npm run examples:weights).
// Weights come from `weights seed N` initialisation; inputs are drawn over each benchmark's input range.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AxcError } from '../diagnostics/diagnostic.ts';
import { parseModel } from '../frontend/parse-model.ts';
import { writeWeightsFile } from '../frontend/weights-file.ts';
import { float32Text } from '../ir/float-text.ts';
import { SeededRandom } from '../ir/seeded-random.ts';

const here = new URL('.', import.meta.url).pathname;

type Sampler = (rng: SeededRandom) => number[];
const uniform = (lo: number, hi: number, width: number): Sampler => (rng) => Array.from({ length: width }, () => rng.uniform(lo, hi));
/** inversek2j: a reachable (x, y), from forward kinematics of two random joint angles, as AxBench draws them. */
const armEnd: Sampler = (rng) => {
  const t1 = rng.uniform(0, Math.PI / 2);
  const t2 = rng.uniform(0, Math.PI / 2);
  return [0.5 * Math.cos(t1) + 0.5 * Math.cos(t1 + t2), 0.5 * Math.sin(t1) + 0.5 * Math.sin(t1 + t2)];
};

const EXAMPLES: { name: string; seed: number; inputs: Sampler }[] = [
  { name: 'sobel', seed: 6, inputs: uniform(0, 1, 9) },
  { name: 'inversek2j', seed: 2, inputs: armEnd },
  { name: 'jpeg', seed: 3, inputs: uniform(-0.5, 0.5, 64) },
  { name: 'single-control', seed: 4, inputs: uniform(0, 1, 6) },
  { name: 'tiny', seed: 5, inputs: uniform(-1, 1, 2) },
];

const SAMPLES = 64;

for (const ex of EXAMPLES) {
  const file = join(here, `${ex.name}.axn`);
  const { readFileSync } = await import('node:fs');
  const text = readFileSync(file, 'utf8');
  const m = /weights\s+"([^"]+)"/.exec(text);
  if (m) {
    const seeded = text.replace(m[0], `weights seed ${ex.seed}`);
    const { model, diagnostics } = parseModel(seeded, file);
    if (!model) throw new AxcError(diagnostics);
    writeFileSync(join(here, m[1]), writeWeightsFile(model));
  }
  const rng = new SeededRandom(1000 + ex.seed);
  const rows: string[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    rows.push(ex.inputs(rng).map((v) => float32Text(Math.fround(v))).join(' '));
  }
  writeFileSync(join(here, `${ex.name}.x`), rows.join('\n') + '\n');
}
console.log(`wrote weights and ${SAMPLES}-sample inputs for ${EXAMPLES.map((e) => e.name).join(', ')}`);
