// Sample files (.x), mutated as text, read by the streaming sample reader into a simulation of the
// example's own compiled program.

import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { findBenchmark } from '../../benchmarks/registry.ts';
import { readSamples } from '../../simulator/read-samples.ts';
import { runSimulation } from '../../simulator/run-simulation.ts';
import type { FuzzTarget } from '../fuzz-target.ts';
import { compiledExamples } from '../seed-corpus.ts';
import { applyTextMutations, textMutationsArbitrary } from '../text-mutations.ts';

const SAMPLE_KEYWORDS = [',', ', ', ' ', '\t', '#', '# comment', '+1', '-.5', '1e', '1e+', 'e5', '0.1,0.2', '1,,2', '\r\n', '\uFEFF'];

export const sampleFileTarget: FuzzTarget = {
  name: 'samples',
  about: 'sample files of the examples, simulated with the example program',
  cases: () =>
    fc.record({ seed: fc.constantFrom(...compiledExamples().map((c) => c.example.name)), mutations: textMutationsArbitrary(SAMPLE_KEYWORDS) }).map(({ seed, mutations }) => {
      const example = compiledExamples().find((c) => c.example.name === seed)!.example;
      return { seed: `${seed}.x`, mutations, files: { [`${seed}.x`]: applyTextMutations(example.samples, mutations) }, main: `${seed}.x` };
    }),
  run: async (c, probe, scratch) => {
    const program = compiledExamples().find((x) => `${x.example.name}.x` === c.main)!.binary;
    const file = path.join(scratch, c.main);
    fs.writeFileSync(file, c.files[c.main]);
    // Reading and simulating interleave (the reader is a stream), so they are one stage: a refusal from
    // either is clean, as with `axc sim`.
    await probe.stage('read+simulate', 'rejected', () => runSimulation(program, readSamples(file, program.meta.inputWidth), { onRow: () => {}, exact: program.meta.benchmark ? findBenchmark(program.meta.benchmark) : undefined }));
  },
};
