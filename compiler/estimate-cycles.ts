// Times a candidate static placement: compiles it and asks the machine for the cycles of the setup stage
// and of one sample down each path (machine/time-paths.ts).

import type { Hardware } from '../hardware/description.ts';
import { isFp32Datapath } from '../ir/datapath-spec.ts';
import { changedView } from '../hardware/element-view.ts';
import { planNumerics } from '../ir/numerics-plan.ts';
import { timeSamplePaths, type PathCycles } from '../machine/time-paths.ts';
import { allocateMemory } from './allocate-memory.ts';
import { batchSamples } from './batch-samples.ts';
import { emitProgram } from './emit-program.ts';
import type { Chunk, FusedModel } from './lowered-ir.ts';

/**
 * The setup stage's cycles and one steady-state sample's down each path. Timed on the machine cut down to
 * the tiles the placement uses: a tile with no work makes no bus request and holds nothing any instruction
 * waits for, so the cycles are the same, and a machine of hundreds of tiles is not allocated per candidate.
 */
export function estimateStaticCycles(f: FusedModel, hw: Hardware, chunks: Chunk[][], peak: number): PathCycles {
  // A static placement exists only when every neuron's fan-in fits at once.
  const fanInChunk = f.ops.map(() => null);
  let tiles = 1;
  for (const op of chunks) for (const c of op) for (const p of c.pieces) tiles = Math.max(tiles, p.tile + 1);
  const whole = tiles < hw.tiles ? changedView(hw, { tiles }) : hw;
  const batched = batchSamples({ ...f, schedule: 'static', reason: 'estimate', chunks, fanInChunk, peakWeightWords: peak }, whole, undefined);
  // Likewise on-chip memory cut down to the words the program touches: a candidate's machine and scoreboard
  // are allocated whole, and the words past them time nothing.
  let ocmEnd = 1;
  for (const r of batched.regions) ocmEnd = Math.max(ocmEnd, r.addr + r.len + (batched.batch - 1) * batched.slotStride);
  const used = changedView(whole, { onChipMemoryWords: Math.min(ocmEnd, whole.onChipMemoryWords) });
  // Timing does not depend on values: outside fp32 any plan with the model's layers will do.
  const numerics = isFp32Datapath(hw.datapath) ? null : planNumerics(f.model, undefined);
  const bin = emitProgram(allocateMemory(batched, used, numerics), used);
  return timeSamplePaths(bin);
}
