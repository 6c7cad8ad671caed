// The timing summary placement tuning needs from the machine: the setup stage's cycles and one steady-state
// sample's cycles down each path. The compiler asks for this, not for the Simulator and its timing state.

import type { Binary } from '../isa/container.ts';
import { Simulator } from './simulator.ts';
import { timingFor } from './timing-model.ts';

export interface PathCycles {
  /** Cycles of the setup stage (weights to the tiles), before the first sample. */
  setup: number;
  /** One steady-state sample that the controller sends to the NPU. */
  npuSample: number;
  /** One steady-state sample that the controller sends to the CPU. */
  cpuSample: number;
}

/** Runs two batches down each path and times the second, after the setup stage, per sample. Timing depends
 *  only on the path a sample takes, not its values, so zeros will do. */
export function timeSamplePaths(bin: Binary): PathCycles {
  const x = new Float32Array(bin.meta.inputWidth);
  const cycles: PathCycles = { setup: 0, npuSample: 0, cpuSample: 0 };
  for (const invoke of ['all', 'none'] as const) {
    const timing = timingFor(bin);
    const sim = new Simulator(bin, { invoke, timing });
    for (let i = 0; i < sim.batch; i++) sim.push(x);
    for (let i = 0; i < sim.batch; i++) sim.push(x);
    const start = timing.sampleStart;
    sim.end();
    sim.close();
    const summary = timing.summary();
    cycles.setup = summary.setupCycles;
    const perSample = (summary.cycles - start) / sim.batch;
    if (invoke === 'all') cycles.npuSample = perSample;
    else cycles.cpuSample = perSample;
  }
  return cycles;
}
