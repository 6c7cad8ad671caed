// prog.bin compiled from the examples (in fp32, and in three other datapaths), mutated structurally (re-packed with a valid CRC) and as raw bytes;
// one the loader accepts must disassemble, and either fail the simulator's verification cleanly or run.

import fc from 'fast-check';
import { unpackBinary } from '../../isa/container.ts';
import { binaryMutationsArbitrary, mutateBinary } from '../binary-mutations.ts';
import { exerciseBinary } from '../downstream.ts';
import type { FuzzTarget } from '../fuzz-target.ts';
import { compiledExamples, formatBinaries } from '../seed-corpus.ts';

export const programBinaryTarget: FuzzTarget = {
  name: 'bin',
  about: 'prog.bin: code words, instructions, DRAM image, metadata/regions/symbols/hardware fields, raw bytes',
  cases: () =>
    fc
      .record({ seed: fc.constantFrom(...compiledExamples().map((c) => ({ name: `${c.example.name}.bin`, bytes: c.bytes })), ...formatBinaries()), mutations: binaryMutationsArbitrary() })
      .map(({ seed, mutations }) => ({
        seed: seed.name,
        mutations,
        files: { 'prog.bin': mutateBinary(seed.bytes, mutations) },
        main: 'prog.bin',
      })),
  run: async (c, probe) => {
    const binary = await probe.stage('load', 'rejected', () => unpackBinary(c.files[c.main] as Uint8Array, c.main));
    await exerciseBinary(probe, binary, 'rejected');
  },
};
