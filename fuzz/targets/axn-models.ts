// .axn model text, mutated: once for models with inline weights (or `weights seed`), once for models whose
// weights come from a file (the file itself left valid). A model that loads is compiled and run.

import fc from 'fast-check';
import { AxcError } from '../../diagnostics/diagnostic.ts';
import { compileAndExercise } from '../downstream.ts';
import type { FuzzCase, FuzzTarget } from '../fuzz-target.ts';
import type { Probe } from '../outcome.ts';
import { exampleModels, parseInMemory, type ExampleModel } from '../seed-corpus.ts';
import { applyTextMutations, textMutationsArbitrary } from '../text-mutations.ts';

export const AXN_KEYWORDS = [
  'model', 'input', 'output', 'quality', 'abs', 'rmse', 'benchmark', 'cpu', 'cycles', 'approximator', 'predictor', 'split', 'weights',
  'seed', 'dense', 'control', 'controlled by', 'decision', 'sigmoid', 'softmax', 'relu', 'linear', 'tanh', 'threshold:', 'safe:',
  'h.w', 'h.b = [', ' = [[1, 2], [3]]', 'dense(999999, relu)', 'dense(0, relu)', 'weights seed 4294967296', 'weights "nope.json"',
  'weights "../../etc/passwd"', 'input 4294967296', 'output 0', 'control(1e39, linear)', 'y = dense(1, linear)',
];

function axnCases(seeds: ExampleModel[]): fc.Arbitrary<FuzzCase> {
  return fc.record({ seed: fc.constantFrom(...seeds), mutations: textMutationsArbitrary(AXN_KEYWORDS) }).map(({ seed, mutations }) => {
    const files: Record<string, string> = { [`${seed.name}.axn`]: applyTextMutations(seed.axn, mutations) };
    if (seed.weightsFile) files[seed.weightsFile.name] = seed.weightsFile.text;
    return { seed: `${seed.name}.axn`, mutations, files, main: `${seed.name}.axn` };
  });
}

/** Loads the case's main .axn file (with its weights file from the case) and compiles what loads. */
export async function runAxnCase(c: FuzzCase, probe: Probe): Promise<void> {
  const model = await probe.stage('load', 'rejected', () => {
    const r = parseInMemory(c.files[c.main] as string, c.main, c.files);
    if (!r.model) throw new AxcError(r.diagnostics);
    return r.model;
  });
  await compileAndExercise(probe, model);
}

export const axnInlineTarget: FuzzTarget = {
  name: 'axn-inline',
  about: '.axn text of the examples whose weights are inline or seeded',
  cases: () => axnCases(exampleModels().filter((e) => !e.weightsFile)),
  run: (c, probe) => runAxnCase(c, probe),
};

export const axnWithFileTarget: FuzzTarget = {
  name: 'axn-file',
  about: '.axn text of the examples that name a weights file (the file left valid)',
  cases: () => axnCases(exampleModels().filter((e) => e.weightsFile)),
  run: (c, probe) => runAxnCase(c, probe),
};
