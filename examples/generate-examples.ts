// Regenerates the examples' deterministic placeholder weights and sample inputs (npm run examples:weights).
// Weights come from `weights seed N` initialisation; inputs are uniform draws over each benchmark's input range.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AxcError } from '../diagnostics/diagnostic.ts';
import { parseModel } from '../frontend/parse-model.ts';
import { writeWeightsFile } from '../frontend/weights-file.ts';
import { float32Text } from '../ir/float-text.ts';
import { SeededRandom } from '../ir/seeded-random.ts';

const here = new URL('.', import.meta.url).pathname;

const EXAMPLES: { name: string; seed: number; inputs: { lo: number; hi: number; width: number } }[] = [
  { name: 'sobel', seed: 6, inputs: { lo: 0, hi: 1, width: 9 } },
  { name: 'inversek2j', seed: 2, inputs: { lo: -1, hi: 1, width: 2 } },
  { name: 'jpeg', seed: 3, inputs: { lo: -0.5, hi: 0.5, width: 64 } },
  { name: 'single-control', seed: 4, inputs: { lo: 0, hi: 1, width: 6 } },
  { name: 'tiny', seed: 5, inputs: { lo: -1, hi: 1, width: 2 } },
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
    const row: string[] = [];
    for (let j = 0; j < ex.inputs.width; j++) row.push(float32Text(Math.fround(rng.uniform(ex.inputs.lo, ex.inputs.hi))));
    rows.push(row.join(' '));
  }
  writeFileSync(join(here, `${ex.name}.x`), rows.join('\n') + '\n');
}
console.log(`wrote weights and ${SAMPLES}-sample inputs for ${EXAMPLES.map((e) => e.name).join(', ')}`);
