// Times a candidate static placement: compiles it and asks the machine for the cycles of the setup stage
// and of one sample down each path (machine/time-paths.ts).

import type { Hardware } from '../hardware/description.ts';
import { timeSamplePaths, type PathCycles } from '../machine/time-paths.ts';
import { allocateMemory } from './allocate-memory.ts';
import { emitProgram } from './emit-program.ts';
import type { Chunk, FusedModel } from './lowered-ir.ts';

/** The setup stage's cycles and one steady-state sample's down each path. */
export function estimateStaticCycles(f: FusedModel, hw: Hardware, chunks: Chunk[][], peak: number): PathCycles {
  // A static placement exists only when every neuron's fan-in fits at once.
  const fanInChunk = f.ops.map((op) => op.fanIn);
  const bin = emitProgram(allocateMemory({ ...f, schedule: 'static', reason: 'estimate', chunks, fanInChunk, peakWeightWords: peak }, hw), hw);
  return timeSamplePaths(bin);
}
