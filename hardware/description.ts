// The NPU hardware description: its schema (the one place every hardware parameter is declared,
// with its bounds, default and meaning) and the built-in default machine.

import { z } from 'zod';
import { MAX_BUFFER_WORDS, MAX_OCM_WORDS, MAX_PES_PER_TILE, MAX_TILES } from '../isa/limits.ts';

const count = (max: number, what: string) =>
  z.number({ error: `${what} must be a number` }).int(`${what} must be a whole number`).min(1, `${what} must be at least 1`).max(max, `${what} must be at most ${max}`);

/** Every field: name, bounds, default, meaning. README's hardware table is generated from `describe`. */
export const HardwareFields = z
  .object({
    name: z.string().min(1).max(64).default('axnpu-default').describe('A label for this machine; carried into binaries and reports.'),
    tiles: count(MAX_TILES, 'tiles').default(4).describe('Number of tiles.'),
    pesPerTile: count(MAX_PES_PER_TILE, 'pesPerTile').default(8).describe('Processing engines per tile; each PE computes one neuron at a time.'),
    weightBufferWords: count(MAX_BUFFER_WORDS, 'weightBufferWords').default(512).describe("Words (float32) in each PE's weight buffer; a neuron needs fan-in + 1 (bias)."),
    inputBufferWords: count(MAX_BUFFER_WORDS, 'inputBufferWords').default(1024).describe("Words in each tile's input buffer; holds a layer's input and the tile's slice of its control vector."),
    outputBufferWords: count(MAX_BUFFER_WORDS, 'outputBufferWords').default(256).describe("Words in each tile's output buffer; one per PE at least."),
    onChipMemoryWords: count(MAX_OCM_WORDS, 'onChipMemoryWords').default(65536).describe('Words of on-chip memory holding the sample, control vectors, P(x), intermediates and H(x).'),
    dramWords: count(2 ** 32 - 1, 'dramWords').default(2 ** 28).describe('Words of DRAM holding the weight image.'),
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
