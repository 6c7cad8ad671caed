// Times a candidate static placement by compiling it and running the timing model on two samples, one
// down each path, after the setup stage. Timing depends only on the path a sample takes, not its values.

import type { Hardware } from '../hardware/description.ts';
import { Simulator } from '../machine/simulator.ts';
import { allocateMemory } from './allocate-memory.ts';
import { emitProgram } from './emit-program.ts';
import type { Chunk, FusedModel } from './lowered-ir.ts';

/** [setup cycles, steady-state NPU-path sample, steady-state CPU-path sample]. */
export function estimateStaticCycles(f: FusedModel, hw: Hardware, chunks: Chunk[][], peak: number): [number, number, number] {
  const bin = emitProgram(allocateMemory({ ...f, schedule: 'static', reason: 'estimate', chunks, peakWeightWords: peak }, hw), hw);
  const x = new Float32Array(f.model.inputWidth);
  const cost: [number, number, number] = [0, 0, 0];
  for (const invoke of ['all', 'none'] as const) {
    const sim = new Simulator(bin, { invoke });
    sim.runSample(x);
    sim.runSample(x);
    const t = sim.machine.timing;
    const start = t.sampleStart;
    sim.close();
    cost[0] = t.setupCycles;
    cost[invoke === 'all' ? 1 : 2] = t.end - start;
  }
  return cost;
}
