// Hardware descriptions, mutated as text and as values; one that parses is used to compile two examples
// (one static-scheduled, one with a weights file), which must then pack, load and run.

import fc from 'fast-check';
import { AxcError } from '../../diagnostics/diagnostic.ts';
import { parseHardware } from '../../hardware/load-hardware.ts';
import { compileAndExercise } from '../downstream.ts';
import type { FuzzTarget } from '../fuzz-target.ts';
import { applyJsonMutations, jsonMutationsArbitrary } from '../json-mutations.ts';
import { exampleModels, hardwareSeeds, parseInMemory } from '../seed-corpus.ts';

const HARDWARE_KEYWORDS = ['"tiles"', '"pesPerTile"', '"weightBufferWords"', '"bus"', '"dataBuses"', '"widthWords"', '"latency"', '"energy"', '"cpu"', '"name"', '"ocmWords"', '0', '65536', '1e9'];

/** The models every accepted hardware description compiles. */
const MODELS = ['tiny', 'sobel'];

export const hardwareJsonTarget: FuzzTarget = {
  name: 'hardware',
  about: 'hardware-description JSON, used to compile examples when it parses',
  cases: () =>
    fc.record({ seed: fc.constantFrom(...hardwareSeeds()), mutations: jsonMutationsArbitrary(HARDWARE_KEYWORDS) }).map(({ seed, mutations }) => ({
      seed: seed.name,
      mutations,
      files: { 'hw.json': applyJsonMutations(seed.text, mutations) },
      main: 'hw.json',
    })),
  run: async (c, probe) => {
    const hardware = await probe.stage('load', 'rejected', () => parseHardware(c.files[c.main] as string, c.main));
    for (const e of exampleModels().filter((m) => MODELS.includes(m.name))) {
      const files: Record<string, string> = e.weightsFile ? { [e.weightsFile.name]: e.weightsFile.text } : {};
      const { model, diagnostics } = parseInMemory(e.axn, `${e.name}.axn`, files);
      if (!model) throw new AxcError(diagnostics); // outside any stage: a broken seed is a harness failure
      await compileAndExercise(probe, model, hardware);
    }
  },
};
