// The hardware description's `datapath` field: the number format of each role (weights, activations,
// accumulator) and how the activation unit computes sigmoid and tanh. Its schema, which resolves what the user
// wrote (one name, or roles one by one) to the form every other layer reads (ir/datapath-spec.ts).

import { z } from 'zod';
import { parseFormatName, type FormatSpec } from '../ir/number-format.ts';
import { defaultAccumulator, LUT_INTERPOLATIONS, type DatapathSpec } from '../ir/datapath-spec.ts';

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

const formatName = (role: string) => z.string({ error: `datapath.${role} must be a format name` });

const DatapathObject = z
  .object({
    weights: formatName('weights').optional(),
    activations: formatName('activations').optional(),
    accumulator: formatName('accumulator').optional(),
    lut: Lut.optional(),
  })
  .strict();

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
