// The actions the energy model counts (Accelergy-style: energy = Σ count × energy per action), and the
// components they are reported under.

import type { Hardware } from '../hardware/description.ts';

export const ACTION = {
  macMult: 0,
  macAdd: 1,
  biasAdd: 2,
  relu: 3,
  lutLookup: 4,
  hadamardMult: 5,
  weightBufferWord: 6,
  inputBufferWord: 7,
  outputBufferWord: 8,
  onChipMemoryWord: 9,
  dramWord: 10,
  busWord: 11,
  controlSignal: 12,
  decision: 13,
  softmaxLookup: 14,
  softmaxMult: 15,
  cpuCycle: 16,
} as const;

export const ACTION_COUNT = Object.keys(ACTION).length;

/** Counts per action, indexed by ACTION; the timing rules (machine/timing-rules.ts) add to them as ops run. */
export type ActionCounts = Float64Array;

export function newActionCounts(): ActionCounts {
  return new Float64Array(ACTION_COUNT);
}

export const COMPONENTS = ['peMac', 'activation', 'multiplier', 'buffers', 'onChipMemory', 'dram', 'bus', 'controller', 'cpu', 'leakage'] as const;
export type Component = (typeof COMPONENTS)[number];

type ActionName = keyof typeof ACTION;

/** Which component each action's energy is charged to, and its energy per action from the hardware. */
const PRICES: Record<ActionName, [Component, (hw: Hardware) => number]> = {
  macMult: ['peMac', (hw) => hw.energy.fp32Mult],
  macAdd: ['peMac', (hw) => hw.energy.fp32Add],
  biasAdd: ['peMac', (hw) => hw.energy.fp32Add],
  relu: ['activation', (hw) => hw.energy.reluCompare],
  lutLookup: ['activation', (hw) => hw.energy.lutLookup],
  hadamardMult: ['multiplier', (hw) => hw.energy.fp32Mult],
  weightBufferWord: ['buffers', (hw) => hw.energy.weightBufferWord],
  inputBufferWord: ['buffers', (hw) => hw.energy.inputBufferWord],
  outputBufferWord: ['buffers', (hw) => hw.energy.outputBufferWord],
  onChipMemoryWord: ['onChipMemory', (hw) => hw.energy.onChipMemoryWord],
  dramWord: ['dram', (hw) => hw.energy.dramWord],
  busWord: ['bus', (hw) => hw.energy.busWord],
  controlSignal: ['controller', (hw) => hw.energy.controlSignal],
  decision: ['controller', (hw) => hw.energy.decision],
  softmaxLookup: ['controller', (hw) => hw.energy.lutLookup],
  softmaxMult: ['controller', (hw) => hw.energy.fp32Mult],
  cpuCycle: ['cpu', (hw) => hw.cpu.energyPerCyclePj],
};

export interface EnergyBreakdown {
  /** Picojoules per component; `total` is their sum, added in COMPONENTS order. */
  components: Record<Component, number>;
  total: number;
  actions: Record<ActionName, number>;
}

/** Energy in pJ: action counts × energy per action, plus leakage power × run time. */
export function priceActions(hw: Hardware, counts: ActionCounts, seconds: number): EnergyBreakdown {
  const components = Object.fromEntries(COMPONENTS.map((c) => [c, 0])) as Record<Component, number>;
  const actions = {} as Record<ActionName, number>;
  for (const name of Object.keys(ACTION) as ActionName[]) {
    const n = counts[ACTION[name]];
    actions[name] = n;
    const [component, price] = PRICES[name];
    components[component] += n * price(hw);
  }
  components.leakage = hw.energy.leakageMilliwatts * 1e-3 * seconds * 1e12;
  let total = 0;
  for (const c of COMPONENTS) total += components[c];
  return { components, total, actions };
}
