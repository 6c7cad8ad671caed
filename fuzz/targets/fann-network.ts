// FANN .nn networks (examples/fann-fixtures.ts), mutated as text: read by the FANN importer from a scratch
// file, then compiled and run.

import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { AxcError } from '../../diagnostics/diagnostic.ts';
import { FANN_LINEAR, FANN_SIGMOID, FANN_SIGMOID_SYMMETRIC, fannText, randomNet } from '../../examples/fann-fixtures.ts';
import { readFannModel } from '../../frontend/fann/read-fann.ts';
import { compileAndExercise } from '../downstream.ts';
import type { FuzzTarget } from '../fuzz-target.ts';
import { applyTextMutations, textMutationsArbitrary } from '../text-mutations.ts';

const FANN_KEYWORDS = [
  'FANN_FLO_2.1', 'FANN_FIX_2.1', 'FANN_FLO_1.1', 'num_layers=', 'connection_rate=', 'network_type=1', 'layer_sizes=', 'scale_included=1',
  '(0, 0, 0.0)', '(4, 3, 5.0e-01)', '(9, 7, 1.0)', '(0, 1.0e+39)', '(4294967296, 1.0)', '(3, nan)', ' inf', '-0.5', '65536 ',
  'neurons (num_inputs, activation_function, activation_steepness)=', 'connections (connected_to_neuron, weight)=',
];

/** Small networks with the features AxBench's have: sigmoid, sigmoid_symmetric and linear layers, one or two hidden. */
function fannSeeds(): { name: string; text: string }[] {
  return [
    { name: 'two-hidden', text: fannText(randomNet(1, 3, [{ width: 4, activation: FANN_SIGMOID, steepness: 0.5 }, { width: 3, activation: FANN_SIGMOID, steepness: 0.5 }, { width: 1, activation: FANN_SIGMOID, steepness: 0.5 }])) },
    { name: 'tanh-out', text: fannText(randomNet(2, 4, [{ width: 2, activation: FANN_SIGMOID, steepness: 0.5 }, { width: 4, activation: FANN_SIGMOID_SYMMETRIC, steepness: 0.5 }])) },
    { name: 'linear-out-scaled', text: fannText(randomNet(3, 2, [{ width: 3, activation: FANN_SIGMOID, steepness: 1 }, { width: 2, activation: FANN_LINEAR, steepness: 0.5 }]), { scaleIncluded: true }) },
  ];
}

export const fannNetworkTarget: FuzzTarget = {
  name: 'fann',
  about: 'FANN .nn networks (text mutations)',
  cases: () =>
    fc.record({ seed: fc.constantFrom(...fannSeeds()), mutations: textMutationsArbitrary(FANN_KEYWORDS) }).map(({ seed, mutations }) => ({
      seed: `${seed.name}.nn`,
      mutations,
      files: { 'net.nn': applyTextMutations(seed.text, mutations) },
      main: 'net.nn',
    })),
  run: async (c, probe, scratch) => {
    const file = path.join(scratch, c.main);
    fs.writeFileSync(file, c.files[c.main]);
    const model = await probe.stage('import', 'rejected', () => {
      const r = readFannModel(file);
      if (!r.model) throw new AxcError(r.diagnostics);
      return r.model;
    });
    await compileAndExercise(probe, model);
  },
};
