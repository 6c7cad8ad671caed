// Assembly (.s) text, disassembled from the example programs and mutated. What the assembler accepts has been
// verified by it, so the loader, the disassembler and the simulator's verification must all accept it too.

import fc from 'fast-check';
import { DEFAULT_HARDWARE } from '../../hardware/description.ts';
import { assemble } from '../../isa/assemble.ts';
import { packBinary, unpackBinary } from '../../isa/container.ts';
import { OP_BY_MNEMONIC } from '../../isa/table.ts';
import { exerciseBinary } from '../downstream.ts';
import type { FuzzTarget } from '../fuzz-target.ts';
import { compiledExamples } from '../seed-corpus.ts';
import { applyTextMutations, textMutationsArbitrary } from '../text-mutations.ts';

const ASM_KEYWORDS = [
  ...OP_BY_MNEMONIC.keys(),
  '.stage', '.stage predict', '.region', '.region x input m0 4', '.region w weights d0 99999999', '.data', '.data d4294967295 1', '.data d1e9 1, 2',
  '.model', '.schedule static', '.benchmark sobel', '.cpu 0', 't99', 'p4294967295', '@999999', 'm4294967296', 'd99999999999', 'loop:', 'loop', 'sigmoid', '-1',
];

export const assemblyTextTarget: FuzzTarget = {
  name: 'asm',
  about: '.s text disassembled from the examples; what assembles must load, disassemble and run',
  cases: () =>
    fc.record({ seed: fc.constantFrom(...compiledExamples()), mutations: textMutationsArbitrary(ASM_KEYWORDS) }).map(({ seed, mutations }) => ({
      seed: `${seed.example.name}.s`,
      mutations,
      files: { 'prog.s': applyTextMutations(seed.assembly, mutations) },
      main: 'prog.s',
    })),
  run: async (c, probe) => {
    const binary = await probe.stage('assemble', 'rejected', () => assemble(c.files[c.main] as string, c.main, DEFAULT_HARDWARE));
    const loaded = await probe.stage('pack+load', 'wrong-accept', () => unpackBinary(packBinary(binary)));
    await exerciseBinary(probe, loaded, 'wrong-accept');
  },
};
