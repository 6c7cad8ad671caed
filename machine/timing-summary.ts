// What a timed run reports: the figures the run report, the trace and the compiler's placement tuner
// read, instead of the timing model's internals.

import type { ActionCounts } from './actions.ts';

/** One bus requester's traffic: a tile, or the CPU. */
export interface RequesterTraffic {
  requester: string;
  transactions: number;
  words: number;
  conflicts: number;
  stallCycles: number;
}

export interface TimingSummary {
  /** Cycles from the start to the last completion. */
  cycles: number;
  /** Cycles before the first sample's recv issued. */
  setupCycles: number;
  /** Cycles per stage, indexed as STAGE_NAMES (isa/table.ts). */
  stageCycles: readonly number[];
  /** Per-sample cycles → number of samples. */
  sampleCycles: ReadonlyMap<number, number>;
  peBusyCycles: number;
  cpuEvaluations: number;
  /** NPU cycles one CPU evaluation takes. */
  npuCyclesPerCpuEvaluation: number;
  /** In requester order: tiles, then the CPU. */
  bus: RequesterTraffic[];
  actions: ActionCounts;
}
