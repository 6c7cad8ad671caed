// The actions the energy model counts (Accelergy-style: energy = Σ count × energy per action), and the
// components they are reported under.

import type { Hardware } from '../hardware/description.ts';
import { datapathOf, isFp32Datapath } from '../ir/datapath-spec.ts';
import { formatEnergy } from '../hardware/format-energy.ts';

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
  macMult: ['peMac', (hw) => arithmeticPrices(hw).mac],
  macAdd: ['peMac', (hw) => arithmeticPrices(hw).accumulate],
  biasAdd: ['peMac', (hw) => arithmeticPrices(hw).accumulate],
  relu: ['activation', (hw) => hw.energy.reluCompare],
  lutLookup: ['activation', (hw) => hw.energy.lutLookup],
  hadamardMult: ['multiplier', (hw) => arithmeticPrices(hw).gate],
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

/**
 * The datapath's arithmetic: in fp32 the description's own figures; otherwise each format's (hardware/
 * format-energy.ts): a multiply-add multiplies at the wider of the weight and activation formats and adds in the
 * accumulator's, the gate multiplies activations. Memory and bus actions are counted in 32-bit words moved
 * (machine/timing-rules.ts), so they scale with the bits.
 */
function arithmeticPrices(hw: Hardware): { mac: number; accumulate: number; gate: number } {
  if (isFp32Datapath(hw.datapath)) return { mac: hw.energy.fp32Mult, accumulate: hw.energy.fp32Add, gate: hw.energy.fp32Mult };
  const d = datapathOf(hw.datapath);
  return {
    mac: Math.max(formatEnergy(d.weights).mult, formatEnergy(d.activations).mult),
    accumulate: formatEnergy(d.accumulator).add,
    gate: formatEnergy(d.activations).mult,
  };
}

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
