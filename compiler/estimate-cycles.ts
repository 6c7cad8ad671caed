// Times a candidate static placement: compiles it and asks the machine for the cycles of the setup stage
// and of one sample down each path (machine/time-paths.ts).

import type { Hardware } from '../hardware/description.ts';
import { timeSamplePaths } from '../machine/time-paths.ts';
import { allocateMemory } from './allocate-memory.ts';
import { emitProgram } from './emit-program.ts';
import type { Chunk, FusedModel } from './lowered-ir.ts';

/** [setup cycles, steady-state NPU-path sample, steady-state CPU-path sample]. */
export function estimateStaticCycles(f: FusedModel, hw: Hardware, chunks: Chunk[][], peak: number): [number, number, number] {
  const bin = emitProgram(allocateMemory({ ...f, schedule: 'static', reason: 'estimate', chunks, peakWeightWords: peak }, hw), hw);
  const { setup, npuSample, cpuSample } = timeSamplePaths(bin);
  return [setup, npuSample, cpuSample];
}
