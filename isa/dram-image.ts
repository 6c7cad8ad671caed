// The DRAM image of a binary outside fp32, as stored: the weights packed in their own format (fp16 and bf16 as
// their 16-bit patterns, fixed point and int8 as two's-complement codes in 8, 16 or 32 bits), with the numerics
// plan that says which grid each span is on. fp32 images stay raw float32 (isa/container.ts).

import { z } from 'zod';
import { MAX_NUMERIC_LAYERS } from '../arch/limits.ts';
import { DIAG } from '../diagnostics/catalog.ts';
import { fail } from '../diagnostics/diagnostic.ts';
import { quote } from '../diagnostics/quote.ts';
import { DatapathField } from '../hardware/datapath.ts';
import { datapathOf, isFp32Datapath } from '../ir/datapath-spec.ts';
import type { Hardware } from '../hardware/description.ts';
import type { Grid } from '../ir/number-format.ts';
import type { NumericsPlan } from '../ir/numerics-plan.ts';
import type { Binary, DramSpan } from './container.ts';
import { bytesOf } from './typed-bytes.ts';

const int = (min: number, max: number) => z.number().int().min(min).max(max);
const GridSchema = z.union([
  z.object({ kind: z.literal('float'), precision: int(2, 24), emin: int(-1022, 0), maxFinite: z.number().positive().max(3.5e38) }).strict(),
  z.object({ kind: z.literal('fixed'), frac: int(-64, 96), min: int(-(2 ** 31), -1), max: int(1, 2 ** 31 - 1) }).strict(),
]);
const PlanSchema = z
  .object({
    spec: DatapathField,
    input: GridSchema,
    layers: z.array(z.object({ name: z.string(), grids: z.object({ weights: GridSchema, accumulator: GridSchema, output: GridSchema }).strict() }).strict()).max(MAX_NUMERIC_LAYERS),
  })
  .strict();
const SpansSchema = z.array(z.object({ addr: int(0, 2 ** 32), len: int(0, 2 ** 32), layer: int(0, MAX_NUMERIC_LAYERS) }).strict());

/** Storage dtype of the weight format: its bit pattern (floats) or its codes' width (fixed point). */
function dtypeOf(hw: Hardware): { dtype: string; bytes: 1 | 2 | 4 } {
  const w = datapathOf(hw.datapath).weights;
  if (w.kind === 'float') return w.name === 'fp32' ? { dtype: 'f32', bytes: 4 } : { dtype: w.name, bytes: 2 };
  return w.bits <= 8 ? { dtype: 'i8', bytes: 1 } : w.bits <= 16 ? { dtype: 'i16', bytes: 2 } : { dtype: 'i32', bytes: 4 };
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** The binary16 pattern of a value binary16 holds exactly (or ±Infinity, NaN). */
export function float16Bits(v: number): number {
  if (v !== v) return 0x7e00;
  const sign = v < 0 || Object.is(v, -0) ? 0x8000 : 0;
  const a = Math.abs(v);
  if (a === Infinity) return sign | 0x7c00;
  if (a < 2 ** -14) return sign | (a * 2 ** 24);
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e--;
  else if (2 ** (e + 1) <= a) e++;
  return sign | ((e + 15) << 10) | ((a / 2 ** e - 1) * 1024);
}

export function float16Value(b: number): number {
  const s = b & 0x8000 ? -1 : 1;
  const e = (b >> 10) & 31;
  const m = b & 1023;
  if (e === 0) return s * m * 2 ** -24;
  if (e === 31) return m ? NaN : s * Infinity;
  return s * (1 + m / 1024) * 2 ** (e - 15);
}

function encodeValue(dtype: string, v: number, g: Grid): number {
  if (dtype === 'fp16') return float16Bits(v);
  if (dtype === 'bf16') {
    f32[0] = v;
    return u32[0] >>> 16;
  }
  return v * 2 ** (g as Extract<Grid, { kind: 'fixed' }>).frac;
}

function decodeValue(dtype: string, c: number, g: Grid): number {
  if (dtype === 'fp16') return float16Value(c);
  if (dtype === 'bf16') {
    u32[0] = c << 16;
    return f32[0];
  }
  return c * 2 ** -(g as Extract<Grid, { kind: 'fixed' }>).frac;
}

function codesArray(dtype: string, n: number): Uint16Array | Int8Array | Int16Array | Int32Array {
  return dtype === 'fp16' || dtype === 'bf16' ? new Uint16Array(n) : dtype === 'i8' ? new Int8Array(n) : dtype === 'i16' ? new Int16Array(n) : new Int32Array(n);
}

export function encodeDram(bin: Binary): { dtype: string; length: number; bytes: Uint8Array } {
  const { dtype } = dtypeOf(bin.hardware);
  const n = bin.dram.length;
  if (dtype === 'f32') return { dtype, length: n, bytes: bytesOf(Float32Array.from(bin.dram)) };
  const codes = codesArray(dtype, n);
  for (const s of bin.dramLayers ?? []) {
    const g = bin.numerics!.layers[s.layer].grids.weights;
    for (let j = s.addr; j < s.addr + s.len; j++) codes[j] = encodeValue(dtype, bin.dram[j], g);
  }
  return { dtype, length: n, bytes: bytesOf(codes) };
}

/** The numerics plan and DRAM spans of a binary outside fp32, checked for shape and against its hardware. */
export function checkNumericsParts(body: { numerics?: unknown; dramLayers?: unknown }, hw: Hardware, file: string | undefined): { numerics: NumericsPlan; dramLayers: DramSpan[] } {
  const plan = PlanSchema.safeParse(body.numerics);
  if (!plan.success) fail(DIAG.binaryNumerics, file, `its numerics plan is malformed (${plan.error.issues[0]?.path.join('.')}: ${plan.error.issues[0]?.message})`);
  if (isFp32Datapath(hw.datapath)) fail(DIAG.binaryNumerics, file, 'it carries a numerics plan but its hardware computes in fp32');
  if (JSON.stringify(plan.data.spec) !== JSON.stringify(hw.datapath)) fail(DIAG.binaryNumerics, file, "its numerics plan is for another datapath than its hardware's");
  const spans = SpansSchema.safeParse(body.dramLayers);
  if (!spans.success) fail(DIAG.binaryNumerics, file, 'its DRAM spans are malformed');
  return { numerics: plan.data as NumericsPlan, dramLayers: spans.data };
}

export function decodeDram(raw: unknown, plan: NumericsPlan, spans: DramSpan[], hw: Hardware, file: string | undefined): Float64Array {
  const o = raw as { dtype?: unknown; length?: unknown; bytes?: unknown };
  const width = o?.dtype === 'f32' || o?.dtype === 'i32' ? 4 : o?.dtype === 'i8' ? 1 : 2;
  if (!o || typeof o.dtype !== 'string' || !(o.bytes instanceof Uint8Array) || typeof o.length !== 'number' || o.bytes.byteLength !== o.length * width)
    fail(DIAG.binaryNotTypedArray, file, 'DRAM image', 'packed weight');
  const n = o.length as number;
  const dtype = o.dtype as string;
  // The image must be stored as the hardware's weight format says: other codes would load weights off its grid.
  if (dtype !== dtypeOf(hw).dtype) fail(DIAG.binaryNumerics, file, `its DRAM image is stored as ${quote(dtype)}, but its weights are ${quote(dtypeOf(hw).dtype)}`);
  const buf = new ArrayBuffer(n * width);
  new Uint8Array(buf).set(o.bytes as Uint8Array);
  const codes = dtype === 'f32' ? new Float32Array(buf) : dtype === 'fp16' || dtype === 'bf16' ? new Uint16Array(buf) : dtype === 'i8' ? new Int8Array(buf) : dtype === 'i16' ? new Int16Array(buf) : dtype === 'i32' ? new Int32Array(buf) : null;
  if (!codes) fail(DIAG.binaryNumerics, file, `its DRAM image has the unknown dtype '${dtype}'`);
  // Every word belongs to exactly one span, in order, and each span's layer exists.
  let next = 0;
  for (const s of spans) {
    if (s.addr !== next || s.layer >= plan.layers.length) fail(DIAG.binaryNumerics, file, 'its DRAM spans do not tile the image layer by layer');
    next += s.len;
  }
  if (next !== n) fail(DIAG.binaryNumerics, file, `its DRAM spans cover ${next} values of ${n}`);
  const out = new Float64Array(n);
  for (const s of spans) {
    const g = plan.layers[s.layer].grids.weights;
    if (dtype !== 'f32' && dtype !== 'fp16' && dtype !== 'bf16' && g.kind !== 'fixed') fail(DIAG.binaryNumerics, file, 'its DRAM image holds codes of a floating-point grid');
    for (let j = s.addr; j < s.addr + s.len; j++) out[j] = dtype === 'f32' ? codes[j] : decodeValue(dtype, codes[j], g);
  }
  return out;
}
