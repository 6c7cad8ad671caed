// A datapath's number formats by role, resolved: what a binary records and every layer reads. The hardware
// description's schema for it (hardware/datapath.ts) produces this form.

import { parseFormatName, type FormatSpec } from './number-format.ts';

export const LUT_INTERPOLATIONS = ['nearest', 'linear'] as const;

/** How the activation unit computes sigmoid and tanh: in binary64, rounded once ('exact'), or from a table. */
export type LutSpec = 'exact' | { entries: number; range: number; interpolation: (typeof LUT_INTERPOLATIONS)[number] };

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

/** A one-line summary of the roles and the table. */
export function describeDatapath(spec: DatapathSpec | undefined): string {
  const s = spec ?? FP32_DATAPATH_SPEC;
  const lut = s.lut === 'exact' ? 'exact sigmoid/tanh' : `${s.lut.entries}-entry ${s.lut.interpolation} table over ±${s.lut.range}`;
  return `weights ${s.weights}, activations ${s.activations}, accumulator ${s.accumulator}, ${lut}`;
}

