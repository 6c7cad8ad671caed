// The number formats a datapath role can take (fp32, fp16, bf16, fixed<W>.<F>, int8, int32) and the one
// conversion rule into each: round to nearest, ties to even; fixed point saturates, floating point overflows
// to ±Infinity. Values are carried as binary64 numbers that lie exactly on the format's grid.

import { clip, quote } from '../diagnostics/quote.ts';

/** A format as named in a hardware description. int8 and int32 leave their scale to the compiler (per layer). */
export type FormatSpec =
  | { kind: 'float'; name: string; bits: number; precision: number; emin: number; emax: number }
  | { kind: 'fixed'; name: string; bits: number; frac: number }
  | { kind: 'int'; name: 'int8' | 'int32'; bits: 8 | 32 };

/** A format with its scale fixed: the grid its values lie on. Fixed-point codes run from min to max; the value
 *  of code k is k·2^-frac. */
export type Grid =
  | { readonly kind: 'float'; readonly precision: number; readonly emin: number; readonly maxFinite: number }
  | { readonly kind: 'fixed'; readonly frac: number; readonly min: number; readonly max: number };

const FLOATS: Record<string, FormatSpec> = {
  fp32: { kind: 'float', name: 'fp32', bits: 32, precision: 24, emin: -126, emax: 127 },
  fp16: { kind: 'float', name: 'fp16', bits: 16, precision: 11, emin: -14, emax: 15 },
  bf16: { kind: 'float', name: 'bf16', bits: 16, precision: 8, emin: -126, emax: 127 },
};

export const FORMAT_NAMES_DOC = 'fp32, fp16, bf16, int8, fixed<W>.<F> (4 ≤ W ≤ 32, 0 ≤ F < W)';

/** The format a name denotes, or why it denotes none. `int32` is an accumulator format only (the caller checks). */
export function parseFormatName(name: string): FormatSpec | string {
  const q = quote(name);
  const fl = FLOATS[name];
  if (fl) return fl;
  if (name === 'int8' || name === 'int32') return { kind: 'int', name, bits: name === 'int8' ? 8 : 32 };
  const m = /^fixed(\d+)\.(\d+)$/.exec(name);
  if (m) {
    const w = Number(m[1]);
    const f = Number(m[2]);
    if (w < 4 || w > 32) return `${q} has ${clip(m[1], 12)} bits; fixed point takes 4 to 32`;
    if (f >= w) return `${q} has ${f} fraction bits in ${w}; at most ${w - 1}, leaving the sign bit`;
    return { kind: 'fixed', name, bits: w, frac: f };
  }
  if (/^int\d+$/.test(name)) return `${q} is not a format; the integer formats are int8 (weights and activations) and int32 (accumulator)`;
  return `${q} is not a format; use ${FORMAT_NAMES_DOC}`;
}

/** Values of this format a 32-bit word holds: narrow values pack, the rest of the word is unused. */
export function valuesPerWord(f: FormatSpec): number {
  return Math.max(1, Math.floor(32 / f.bits));
}

export function floatGrid(f: Extract<FormatSpec, { kind: 'float' }>): Grid {
  return { kind: 'float', precision: f.precision, emin: f.emin, maxFinite: (2 - 2 ** (1 - f.precision)) * 2 ** f.emax };
}

export function fixedGrid(bits: number, frac: number, symmetric = false): Grid {
  const max = 2 ** (bits - 1) - 1;
  return { kind: 'fixed', frac, min: symmetric ? -max : -max - 1, max };
}

export const FP32_GRID = floatGrid(FLOATS.fp32 as Extract<FormatSpec, { kind: 'float' }>);

/** t rounded to an integer, ties to even; exact for every binary64 t. */
export function roundHalfEven(t: number): number {
  const f = Math.floor(t);
  const d = t - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

const F64 = new Float64Array(1);
const HI = new Uint32Array(F64.buffer, 4, 1);

/** floor(log2(a)) for a finite a > 0, exactly: the binary64 exponent field (little-endian high word), or for a
 *  subnormal binary64 (no datapath value is one, but a product may be) the slow way. */
function exponentOf(a: number): number {
  F64[0] = a;
  const biased = (HI[0] >>> 20) & 0x7ff;
  if (biased !== 0) return biased - 1023;
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e--;
  else if (2 ** (e + 1) <= a) e++;
  return e;
}

/** 2^e for the exponents grids use, from a table (Math.pow on every conversion is slow). */
const POW2 = Float64Array.from({ length: 2098 }, (_, i) => 2 ** (i - 1074));
function pow2(e: number): number {
  return e >= -1074 && e <= 1023 ? POW2[e + 1074] : 2 ** e;
}

/** Set by `roundToGrid` when its conversion saturated (fixed point) or overflowed (floating point): a flag read
 *  right after the call, rather than a returned pair, so the multiply-add loop allocates nothing. */
export let saturated = false;

/**
 * v on grid g: the nearest grid value, ties to even. `beyond` is the sign of (exact − v) when v stands for an
 * exact value it could not hold (a product whose low bits binary64 lost); it decides only a v that is exactly
 * halfway between two grid values, the one case where those bits matter.
 * Fixed point clamps to [min, max]·2^-frac (NaN becomes 0); floating point overflows to ±Infinity.
 */
export function roundToGrid(g: Grid, v: number, beyond = 0): number {
  saturated = false;
  if (g.kind === 'fixed') {
    if (v !== v) {
      saturated = true;
      return 0;
    }
    const t = v * pow2(g.frac);
    let k = roundHalfEven(t);
    if (beyond !== 0 && t - Math.floor(t) === 0.5) k = beyond > 0 ? Math.ceil(t) : Math.floor(t);
    if (k > g.max) {
      saturated = true;
      k = g.max;
    } else if (k < g.min) {
      saturated = true;
      k = g.min;
    }
    return k * pow2(-g.frac);
  }
  if (v === 0 || v !== v) return v;
  // float32 is Math.fround (test/number-formats.test.ts holds the two equal); only its overflow needs noting.
  // A halfway product to be decided by its dropped bits (`beyond`) takes the general path below.
  if (beyond === 0 && g.precision === 24 && g.emin === -126) {
    const r = Math.fround(v);
    if (r === Infinity || r === -Infinity) saturated = true;
    return r;
  }
  if (v === Infinity || v === -Infinity) {
    saturated = true;
    return v;
  }
  const a = Math.abs(v);
  const e = Math.max(exponentOf(a), g.emin);
  const q = pow2(e - g.precision + 1);
  const t = a / q;
  let k = roundHalfEven(t);
  const towardLarger = v < 0 ? -beyond : beyond;
  if (towardLarger !== 0 && t - Math.floor(t) === 0.5) k = towardLarger > 0 ? Math.ceil(t) : Math.floor(t);
  let r = k * q;
  if (r > g.maxFinite) {
    saturated = true;
    r = Infinity;
  }
  return v < 0 ? -r : r;
}

const SPLIT = 134217729; // 2^27 + 1, Veltkamp's splitter for binary64

/** The sign of a·b − fl(a·b), by Dekker's exact product (a and b far from overflow, as datapath values are). */
export function productResidueSign(a: number, b: number, p: number): number {
  let c = SPLIT * a;
  const ah = c - (c - a);
  const al = a - ah;
  c = SPLIT * b;
  const bh = c - (c - b);
  const bl = b - bh;
  const err = ah * bh - p + ah * bl + al * bh + al * bl;
  return err > 0 ? 1 : err < 0 ? -1 : 0;
}

/** a·b rounded once onto grid g: the exact product, even where binary64 cannot hold it. */
export function productToGrid(g: Grid, a: number, b: number): number {
  const p = a * b;
  const r = roundToGrid(g, p);
  // Only an exact halfway point can be decided by the bits binary64 dropped; rounding is monotonic, so a
  // product that rounded onto a halfway point came from just above or just below it.
  if (isHalfway(g, p)) {
    const s = productResidueSign(a, b, p);
    if (s !== 0) return roundToGrid(g, p, s);
  }
  return r;
}

function isHalfway(g: Grid, v: number): boolean {
  if (v !== v || v === Infinity || v === -Infinity) return false;
  let t: number;
  if (g.kind === 'fixed') t = Math.abs(v) * pow2(g.frac);
  else {
    const a = Math.abs(v);
    if (a === 0) return false;
    t = a / pow2(Math.max(exponentOf(a), g.emin) - g.precision + 1);
  }
  return t - Math.floor(t) === 0.5;
}

/** The largest magnitude on a grid, for choosing scales and describing formats. */
export function gridMax(g: Grid): number {
  return g.kind === 'fixed' ? g.max * 2 ** -g.frac : g.maxFinite;
}

/** A readable name of a grid: `fixed16.8`, `int8·2^-5` (scaled integer), `fp16`. */
export function gridName(spec: FormatSpec, g: Grid): string {
  if (spec.kind === 'int' && g.kind === 'fixed') return `${spec.name}·2^${-g.frac}`;
  return spec.name;
}
