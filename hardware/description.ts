// The NPU hardware description: its schema (the one place every hardware parameter is declared,
// with its bounds, default and meaning) and the built-in default machine.

import { z } from 'zod';
import { MAX_BUFFER_WORDS, MAX_OCM_WORDS, MAX_PES_PER_TILE, MAX_TILES } from '../arch/limits.ts';
import { DatapathField } from './datapath.ts';

const count = (max: number, what: string) =>
  z.number({ error: `${what} must be a number` }).int(`${what} must be a whole number`).min(1, `${what} must be at least 1`).max(max, `${what} must be at most ${max}`);

const cycles = (what: string, dflt: number, doc: string, min = 0) =>
  z.number({ error: `${what} must be a number` }).int(`${what} must be a whole number of cycles`).min(min, `${what} must be at least ${min}`).max(1_000_000, `${what} must be at most 1000000`).default(dflt).describe(doc);
const picojoules = (what: string, dflt: number, doc: string) =>
  z.number({ error: `${what} must be a number` }).min(0, `${what} must not be negative`).max(1e12, `${what} must be at most 1e12`).default(dflt).describe(doc);

/** Latencies in NPU clock cycles. Defaults are assumptions for a simple 45 nm NPU unless a source is named. */
const LatencyFields = z
  .object({
    macCycles: cycles('latency.macCycles', 1, 'Initiation interval of the multiply-add unit: cycles per input word of a neuron (pipelined).', 1),
    biasCycles: cycles('latency.biasCycles', 1, 'Cycles to add the bias after the last multiply-add.'),
    reluCycles: cycles('latency.reluCycles', 1, 'Activation unit: cycles for relu (a compare).'),
    lutCycles: cycles('latency.lutCycles', 4, 'Activation unit: cycles for sigmoid/tanh in the lookup unit.'),
    hadamardCycles: cycles('latency.hadamardCycles', 1, "Switch unit's Hadamard multiplier: cycles per gated activation (all PEs in parallel)."),
    bufferCycles: cycles('latency.bufferCycles', 1, 'Access latency of a tile input/output buffer, added once per transfer.'),
    onChipMemoryCycles: cycles('latency.onChipMemoryCycles', 2, 'Access latency of the on-chip memory, added once per transfer.'),
    dramLatencyCycles: cycles('latency.dramLatencyCycles', 100, 'Cycles from a DRAM read request to its first burst (about 100 ns at 1 GHz).'),
    dramBurstWords: cycles('latency.dramBurstWords', 16, 'Words per DRAM burst (64 bytes).', 1),
    dramBurstCycles: cycles('latency.dramBurstCycles', 4, 'Cycles per DRAM burst after the first word arrives.'),
    decisionCycles: cycles('latency.decisionCycles', 2, 'Controller: cycles to read P(x) and compare it with the threshold.'),
    softmaxCycles: cycles('latency.softmaxCycles', 6, 'Controller: extra cycles to turn two logits into a softmax probability.'),
    controlBusCycles: cycles('latency.controlBusCycles', 1, 'Control bus: cycles for an invoke signal to reach the PEs or the CPU.'),
  })
  .strict();

const BusFields = z
  .object({
    dataBuses: count(16, 'bus.dataBuses').default(1).describe('Number of data buses the bus scheduler arbitrates; a transfer holds one bus.'),
    widthWords: count(64, 'bus.widthWords').default(2).describe('Words (float32) a data bus moves per cycle (2 = 64 bits).'),
    hostOnDataBus: z.boolean({ error: 'bus.hostOnDataBus must be true or false' }).default(true).describe('true: samples in and results out cross the shared data bus (paper §IV); false: the host has its own link to on-chip memory.'),
  })
  .strict();

/** Energy per action in picojoules, counted the way Accelergy does (actions × energy per action). */
const EnergyFields = z
  .object({
    fp32Mult: picojoules('energy.fp32Mult', 3.7, 'A float32 multiply: each MAC and each Hadamard gate (Horowitz, ISSCC 2014, 45 nm).'),
    fp32Add: picojoules('energy.fp32Add', 0.9, 'A float32 add: each MAC accumulation and each bias add (Horowitz 2014).'),
    reluCompare: picojoules('energy.reluCompare', 0.1, 'A relu in the activation unit: a sign test, costed as an int32 add (Horowitz 2014).'),
    lutLookup: picojoules('energy.lutLookup', 10, 'A sigmoid/tanh evaluation in the activation unit. Assumed: one read of a small SRAM table, costed as Horowitz 2014\'s 8 KB SRAM read (10 pJ per 64 bits), in every number format and whether the datapath computes sigmoid/tanh exactly or interpolates (the interpolation\'s multiply-add is not counted).'),
    weightBufferWord: picojoules('energy.weightBufferWord', 5, 'Read or write of one word of a PE weight buffer (8 KB-class SRAM: 10 pJ per 64 bits, Horowitz 2014).'),
    inputBufferWord: picojoules('energy.inputBufferWord', 5, 'Read or write of one word of a tile input buffer (8 KB-class SRAM).'),
    outputBufferWord: picojoules('energy.outputBufferWord', 5, 'Read or write of one word of a tile output buffer (8 KB-class SRAM).'),
    onChipMemoryWord: picojoules('energy.onChipMemoryWord', 50, 'Read or write of one word of on-chip memory (256 KB; the 1 MB SRAM figure, 100 pJ per 64 bits, Horowitz 2014).'),
    dramWord: picojoules('energy.dramWord', 975, 'One word read from DRAM (Horowitz 2014: 1.3–2.6 nJ per 64-bit access; the midpoint, per 32-bit word).'),
    busWord: picojoules('energy.busWord', 2, 'One word moved over the data bus (assumed: on-chip wires, not in the Horowitz table).'),
    controlSignal: picojoules('energy.controlSignal', 1, 'One invoke signal on the control bus (assumed).'),
    decision: picojoules('energy.decision', 0.9, 'The controller comparing P(x) with the threshold (an fp32 add, Horowitz 2014); softmax adds one lutLookup and one fp32Mult.'),
    leakageMilliwatts: picojoules('energy.leakageMilliwatts', 0, 'Static power of the NPU in mW, charged over the run time (off by default).'),
  })
  .strict();

/** The CPU that computes the exact function for samples the predictor rejects. */
const CpuFields = z
  .object({
    clockMHz: count(100_000, 'cpu.clockMHz').default(1000).describe('CPU clock; CPU cycles are converted to NPU cycles through the two clocks.'),
    energyPerCyclePj: picojoules('cpu.energyPerCyclePj', 70, 'CPU energy per cycle: a simple 45 nm in-order core spends about 70 pJ per instruction (Horowitz 2014), at one instruction per cycle.'),
    cyclesPerEvaluation: count(1e9, 'cpu.cyclesPerEvaluation').default(1000).describe('CPU cycles of one exact evaluation when the model names neither a benchmark nor its own CPU cost.'),
  })
  .strict();

/** Every field: name, bounds, default, meaning. README's hardware table is generated from `describe`. */
export const HardwareFields = z
  .object({
    name: z.string().min(1).max(64).default('axnpu-default').describe('A label for this machine; carried into binaries and reports.'),
    tiles: count(MAX_TILES, 'tiles').default(4).describe('Number of tiles.'),
    pesPerTile: count(MAX_PES_PER_TILE, 'pesPerTile').default(8).describe('Processing engines per tile; each PE computes one neuron at a time.'),
    weightBufferWords: count(MAX_BUFFER_WORDS, 'weightBufferWords').default(512).describe("Words (float32) in each PE's weight buffer; a neuron computed at once needs fan-in + 1 (bias), a wider one is summed in chunks."),
    inputBufferWords: count(MAX_BUFFER_WORDS, 'inputBufferWords').default(1024).describe("Words in each tile's input buffer; holds a layer's input (or one chunk of it) and the tile's slice of its control vector."),
    outputBufferWords: count(MAX_BUFFER_WORDS, 'outputBufferWords').default(256).describe("Words in each tile's output buffer; one per PE at least."),
    onChipMemoryWords: count(MAX_OCM_WORDS, 'onChipMemoryWords').default(65536).describe('Words of on-chip memory holding the sample, control vectors, P(x), intermediates and H(x).'),
    dramWords: count(2 ** 32 - 1, 'dramWords').default(2 ** 28).describe('Words of DRAM holding the weight image.'),
    clockMHz: count(100_000, 'clockMHz').default(1000).describe('NPU clock frequency; converts cycles to time in reports and traces.'),
    latency: LatencyFields.prefault({}).describe('Latencies, in NPU cycles.'),
    bus: BusFields.prefault({}).describe('The shared data bus.'),
    energy: EnergyFields.prefault({}).describe('Energy per action, in pJ.'),
    cpu: CpuFields.prefault({}).describe('The CPU fallback.'),
    datapath: DatapathField.optional().describe(
      "Number formats: one name for every role (fp32, fp16, bf16, int8, fixed<W>.<F>) or { weights, activations, accumulator, lut }; lut is 'exact' or { entries, range, interpolation: nearest | linear }. Absent: fp32 with exact sigmoid/tanh (see Number formats).",
    ),
  })
  .strict();

export const HardwareSchema = HardwareFields.superRefine((hw, ctx) => {
  // Cross-field rules only judge fields that are valid on their own, so one bad value gives one error.
  const valid = (field: keyof typeof HardwareFields.shape) => HardwareFields.shape[field].safeParse(hw[field]).success;
  if (valid('pesPerTile') && valid('outputBufferWords') && hw.outputBufferWords < hw.pesPerTile)
    ctx.addIssue({ code: 'custom', path: ['outputBufferWords'], message: `must be at least pesPerTile (${hw.pesPerTile}) so every PE has an output slot` });
  if (valid('tiles') && valid('pesPerTile') && valid('weightBufferWords')) {
    const weightWords = hw.tiles * hw.pesPerTile * hw.weightBufferWords;
    if (weightWords > 2 ** 28)
      ctx.addIssue({ code: 'custom', path: ['weightBufferWords'], message: `tiles × pesPerTile × weightBufferWords is ${weightWords} words; the simulator holds at most 2^28` });
  }
});

export type Hardware = z.output<typeof HardwareSchema>;

export const DEFAULT_HARDWARE: Hardware = Object.freeze(HardwareSchema.parse({}));

export function totalPes(hw: Hardware): number {
  return hw.tiles * hw.pesPerTile;
}

/** Canonical JSON of a description, field order fixed by the schema, for binaries and comparisons. */
export function canonicalHardware(hw: Hardware): string {
  const shape = Object.keys(HardwareFields.shape) as (keyof Hardware)[];
  const out: Record<string, unknown> = {};
  for (const k of shape) out[k] = hw[k];
  return JSON.stringify(out);
}
