// Weights files (axc-weights JSON), mutated as text and as values, read through the .axn model that names
// them; a model that loads is compiled and run.

import fc from 'fast-check';
import type { FuzzTarget } from '../fuzz-target.ts';
import { applyJsonMutations, jsonMutationsArbitrary } from '../json-mutations.ts';
import { exampleModels } from '../seed-corpus.ts';
import { runAxnCase } from './axn-models.ts';

const WEIGHTS_KEYWORDS = ['"format"', '"axc-weights"', '"version"', '"layers"', '"w"', '"b"', '[[', ']]', '[1, 2]', '"h1"', '"out"', '"p1"', '"c1"'];

export const weightsJsonTarget: FuzzTarget = {
  name: 'weights',
  about: 'weights JSON files of the examples, read through the model that names them',
  cases: () => {
    const seeds = exampleModels().filter((e) => e.weightsFile);
    return fc.record({ seed: fc.constantFrom(...seeds), mutations: jsonMutationsArbitrary(WEIGHTS_KEYWORDS) }).map(({ seed, mutations }) => ({
      seed: seed.weightsFile!.name,
      mutations,
      files: { [`${seed.name}.axn`]: seed.axn, [seed.weightsFile!.name]: applyJsonMutations(seed.weightsFile!.text, mutations) },
      main: `${seed.name}.axn`,
    }));
  },
  run: (c, probe) => runAxnCase(c, probe),
};
