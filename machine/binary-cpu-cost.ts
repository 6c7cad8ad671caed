// The CPU cost of one exact evaluation, as a binary states it or, failing that, as its hardware's default.

import type { Binary } from '../isa/container.ts';

/**
 * Where the cost came from: 'model' when the binary records it (the model's `cpu N cycles`, else its
 * benchmark's estimate, chosen by the compiler or an assembler `.cpu` line), or 'hardware-default' when it
 * does not and the hardware description's placeholder applies.
 */
export type CpuCostSource = 'model' | 'hardware-default';

export function cpuCostOf(binary: Binary): { cycles: number; source: CpuCostSource } {
  const recorded = binary.meta.cpuCyclesPerEvaluation;
  return recorded !== undefined ? { cycles: recorded, source: 'model' } : { cycles: binary.hardware.cpu.cyclesPerEvaluation, source: 'hardware-default' };
}
