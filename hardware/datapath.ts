// The hardware description's `datapath` field: the number format of each role (weights, activations,
// accumulator) and how the activation unit computes sigmoid and tanh. Its schema, its defaults, and the
// resolved form every other layer reads.

import { z } from 'zod';
import { parseFormatName, type FormatSpec } from '../ir/number-format.ts';

export const LUT_INTERPOLATIONS = ['nearest', 'linear'] as const;
export const MAX_LUT_ENTRIES = 1 << 16;

const LutTable = z
  .object({
    entries: z
      .number({ error: 'datapath.lut.entries must be a number' })
      .int('datapath.lut.entries must be a whole number')
      .min(2, 'datapath.lut.entries must be at least 2 (a table needs both ends of its range)')
      .max(MAX_LUT_ENTRIES, `datapath.lut.entries must be at most ${MAX_LUT_ENTRIES}`),
    range: z
      .number({ error: 'datapath.lut.range must be a number' })
      .gt(0, 'datapath.lut.range must be greater than 0')
      .max(1e6, 'datapath.lut.range must be at most 1e6'),
    interpolation: z.enum(LUT_INTERPOLATIONS, { error: `datapath.lut.interpolation must be one of ${LUT_INTERPOLATIONS.join(', ')}` }),
  })
  .strict();

const Lut = z.union([z.literal('exact'), LutTable], { error: "datapath.lut must be 'exact' or { entries, range, interpolation }" });
export type LutSpec = z.output<typeof Lut>;

const formatName = (role: string) => z.string({ error: `datapath.${role} must be a format name` });

const DatapathObject = z
  .object({
    weights: formatName('weights').optional(),
    activations: formatName('activations').optional(),
    accumulator: formatName('accumulator').optional(),
    lut: Lut.optional(),
  })
  .strict();

/** The resolved datapath: every role named, as a binary stores it. */
export interface DatapathSpec {
  weights: string;
  activations: string;
  accumulator: string;
  lut: LutSpec;
}

/** The datapath with its formats parsed. */
export interface Datapath {
  weights: FormatSpec;
  activations: FormatSpec;
  accumulator: FormatSpec;
  lut: LutSpec;
}

/**
 * The accumulator a datapath gets when none is named: int32 for int8; for fixed point, the full product
 * (W_w + W_a bits, at most 32, with F_w + F_a fraction bits), so no product is rounded; for floating point,
 * the operand format with the longer significand (each operation rounded to it, as float32 is today); fp32
 * when fixed and floating point mix.
 */
export function defaultAccumulator(w: FormatSpec, a: FormatSpec): string {
  if (w.kind === 'int' || a.kind === 'int') return 'int32';
  if (w.kind === 'fixed' && a.kind === 'fixed') return `fixed${Math.min(32, w.bits + a.bits)}.${Math.min(31, w.frac + a.frac, Math.min(32, w.bits + a.bits) - 1)}`;
  if (w.kind === 'float' && a.kind === 'float') return w.precision > a.precision ? w.name : a.name;
  return 'fp32';
}

export const DatapathField = z
  .union([formatName('datapath'), DatapathObject], { error: 'datapath must be a format name or { weights, activations, accumulator, lut }' })
  .transform((raw, ctx): DatapathSpec => {
    const given = typeof raw === 'string' ? { weights: raw, activations: raw } : raw;
    const at = (role: string) => (typeof raw === 'string' ? [] : [role]);
    const formats: Partial<Record<'weights' | 'activations' | 'accumulator', FormatSpec>> = {};
    // One name for every role is judged once.
    for (const role of typeof raw === 'string' ? (['weights'] as const) : (['weights', 'activations', 'accumulator'] as const)) {
      const name = given[role];
      if (name === undefined) continue;
      const f = parseFormatName(name);
      if (typeof f === 'string') ctx.issues.push({ code: 'custom', input: name, path: at(role), message: f });
      else if (f.name === 'int32' && role !== 'accumulator') ctx.issues.push({ code: 'custom', input: name, path: at(role), message: `int32 is an accumulator format; ${role} take int8, fixed<W>.<F> or a float format` });
      else formats[role] = f;
    }
    if (typeof raw === 'string') formats.activations = formats.weights;
    const w = formats.weights ?? parseFormatName('fp32');
    const a = formats.activations ?? parseFormatName('fp32');
    if (typeof w === 'string' || typeof a === 'string') return z.NEVER;
    if ((given.weights !== undefined && !formats.weights) || (given.activations !== undefined && !formats.activations)) return z.NEVER;
    if ((w.kind === 'int') !== (a.kind === 'int'))
      ctx.issues.push({ code: 'custom', input: raw, path: at(w.kind === 'int' ? 'activations' : 'weights'), message: 'int8 weights and int8 activations go together (their scales meet in the int32 accumulator)' });
    const acc = formats.accumulator;
    if (acc && acc.name === 'int32' && w.kind !== 'int') ctx.issues.push({ code: 'custom', input: raw, path: at('accumulator'), message: 'an int32 accumulator takes int8 weights and activations' });
    if (acc && w.kind === 'int' && acc.name !== 'int32') ctx.issues.push({ code: 'custom', input: raw, path: at('accumulator'), message: 'int8 weights and activations accumulate in int32' });
    if (given.accumulator !== undefined && !acc) return z.NEVER;
    return { weights: w.name, activations: a.name, accumulator: acc?.name ?? defaultAccumulator(w, a), lut: (typeof raw === 'string' ? undefined : raw.lut) ?? 'exact' };
  });

const cache = new Map<string, Datapath>();

/** The parsed formats of a resolved datapath (memoised: the spec was validated when it was read). */
export function datapathOf(spec: DatapathSpec | undefined): Datapath {
  const s = spec ?? FP32_DATAPATH_SPEC;
  const key = JSON.stringify(s);
  let d = cache.get(key);
  if (!d) {
    const parse = (n: string) => parseFormatName(n) as FormatSpec;
    d = { weights: parse(s.weights), activations: parse(s.activations), accumulator: parse(s.accumulator), lut: s.lut };
    cache.set(key, d);
  }
  return d;
}

export const FP32_DATAPATH_SPEC: DatapathSpec = Object.freeze({ weights: 'fp32', activations: 'fp32', accumulator: 'fp32', lut: 'exact' as const });

/** Whether a description computes exactly as float32 did before datapaths existed. */
export function isFp32Datapath(spec: DatapathSpec | undefined): boolean {
  return spec === undefined || (spec.weights === 'fp32' && spec.activations === 'fp32' && spec.accumulator === 'fp32' && spec.lut === 'exact');
}

/** A one-line summary: `fixed16.8` when one format serves every role with the default accumulator. */
export function describeDatapath(spec: DatapathSpec | undefined): string {
  const s = spec ?? FP32_DATAPATH_SPEC;
  const lut = s.lut === 'exact' ? 'exact sigmoid/tanh' : `${s.lut.entries}-entry ${s.lut.interpolation} table over ±${s.lut.range}`;
  return `weights ${s.weights}, activations ${s.activations}, accumulator ${s.accumulator}, ${lut}`;
}
