// What `axc compile` says about the program it made: the schedule and why, the PEs it uses, and the
// cycles per sample the timing model gives down each path.

import { totalPes, type Hardware } from '../hardware/description.ts';
import type { PathCycles } from '../machine/time-paths.ts';
import type { BatchedModel, ScheduledModel } from './lowered-ir.ts';

/** PEs that hold or compute some neuron, over the whole program. */
export function pesUsed(s: ScheduledModel, hw: Hardware): number {
  const used = new Uint8Array(totalPes(hw));
  for (const chunks of s.chunks) for (const c of chunks) for (const p of c.pieces) used.fill(1, p.tile * hw.pesPerTile + p.pe, p.tile * hw.pesPerTile + p.pe + p.count);
  return used.reduce((a, b) => a + b, 0);
}

/** Cycles as the timing model gives them: whole, or to one decimal when a batch's share is not whole. */
function cyclesText(c: number): string {
  return Number.isInteger(c) ? String(c) : c.toFixed(1);
}

/** Two lines: the schedule and why, with the batch; the PEs used and the timing model's cycles per sample
 *  down each path. */
export function explainSchedule(s: BatchedModel, hw: Hardware, cycles: PathCycles, hasDecision: boolean): string[] {
  const path = hasDecision ? `${cyclesText(cycles.npuSample)} cycles per sample on the NPU path, ${cyclesText(cycles.cpuSample)} on the CPU path` : `${cyclesText(cycles.npuSample)} cycles per sample`;
  return [`${s.schedule} schedule: ${s.reason}; batch ${s.batchReason}`, `${pesUsed(s, hw)} of ${totalPes(hw)} PEs used; ${path}, after ${cycles.setup} cycles of setup`];
}
