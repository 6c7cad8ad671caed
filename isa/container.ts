// prog.bin: the self-describing binary (code, weight image, memory map, hardware, source map)
// and its msgpack container with magic number, format version and CRC-32.

import { crc32 } from 'node:zlib';
import { Packr } from 'msgpackr';
import { DIAG } from '../diagnostics/catalog.ts';
import { fail } from '../diagnostics/diagnostic.ts';
import { HardwareSchema, type Hardware } from '../hardware/description.ts';
import type { Quality } from '../ir/model.ts';
import { checkBinary } from './check-binary.ts';
import { INSTRUCTION_WORDS } from './table.ts';
import type { NumericsPlan } from '../ir/numerics-plan.ts';
import { checkNumericsParts, decodeDram, encodeDram } from './dram-image.ts';
import { bytesOf } from './typed-bytes.ts';

export const BINARY_MAGIC = 'AXNPU';
/** 2: `decm` gained its threshold field. A version-1 binary is refused rather than decoded: its `decm`
 *  would be read with a different field layout, and the controller would take the wrong decisions. */
export const BINARY_VERSION = 2;

export type RegionKind = 'input' | 'hidden' | 'control' | 'decision' | 'output' | 'weights';

/** A named span of on-chip memory (space 'ocm') or DRAM (space 'dram'), in float32 words. */
export interface Region {
  name: string;
  kind: RegionKind;
  space: 'ocm' | 'dram';
  addr: number;
  len: number;
}

export interface SourcePosition {
  file: string;
  line: number;
  col: number;
}

export interface Binary {
  hardware: Hardware;
  /** Encoded instructions, INSTRUCTION_WORDS little-endian 32-bit words each. */
  code: Uint32Array;
  /** The DRAM image: weight rows, from DRAM address 0; float32 in fp32, otherwise each value on its layer's
   *  weight grid (stored packed in the weight format: isa/dram-image.ts). */
  dram: Float32Array | Float64Array;
  /** Outside fp32: each layer's grids (ir/numerics-plan.ts), which the `q` operands name. */
  numerics?: NumericsPlan;
  /** Outside fp32: which layer's weight grid each span of the DRAM image is on. */
  dramLayers?: DramSpan[];
  /** Outside fp32: the image as the model's float32 weights, for runs in fp32 beside the format (--shadow). */
  shadowDram?: Float32Array;
  regions: Region[];
  /** Branch targets by name, for readable disassembly. */
  symbols: { name: string; pc: number }[];
  /** Per instruction, where it came from (null for generated glue with no source line). */
  sourceMap: (SourcePosition | null)[];
  meta: BinaryMeta;
}

export interface DramSpan {
  addr: number;
  len: number;
  layer: number;
}

export interface BinaryMeta {
  model: string;
  schedule: 'static' | 'dynamic' | 'assembled';
  inputWidth: number;
  outputWidth: number;
  /** The benchmark whose exact function the CPU computes for rejected samples, when the model names one. */
  benchmark?: string;
  /** CPU cycles of one exact evaluation, when the model or its benchmark says; otherwise the hardware's default applies. */
  cpuCyclesPerEvaluation?: number;
  /** The model's quality line (metric and bound), which `axc sim --reference` and `axc tune` judge outputs by. */
  quality?: Quality;
}

const packr = new Packr({ useRecords: false, moreTypes: false });


function copyAligned(b: Uint8Array): ArrayBuffer {
  const buf = new ArrayBuffer(b.byteLength);
  new Uint8Array(buf).set(b);
  return buf;
}

/** Serialises a binary. The CRC covers the body bytes exactly as stored. */
export function packBinary(bin: Binary): Uint8Array {
  const files = [...new Set(bin.sourceMap.filter((p): p is SourcePosition => p !== null).map((p) => p.file))];
  const fileIndex = new Map(files.map((f, i) => [f, i]));
  const map = new Uint32Array(bin.sourceMap.length * 3);
  bin.sourceMap.forEach((p, i) => {
    if (!p) return;
    map[i * 3] = fileIndex.get(p.file)! + 1;
    map[i * 3 + 1] = p.line;
    map[i * 3 + 2] = p.col;
  });
  const body = packr.pack({
    hardware: bin.hardware,
    code: { dtype: 'u32', length: bin.code.length, bytes: bytesOf(bin.code) },
    dram: bin.numerics ? encodeDram(bin) : { dtype: 'f32', length: bin.dram.length, bytes: bytesOf(bin.dram as Float32Array) },
    ...(bin.numerics ? { numerics: bin.numerics, dramLayers: bin.dramLayers, shadowDram: { dtype: 'f32', length: bin.shadowDram!.length, bytes: bytesOf(bin.shadowDram!) } } : {}),
    regions: bin.regions,
    symbols: bin.symbols,
    sourceMap: { files, entries: { dtype: 'u32', length: map.length, bytes: bytesOf(map) } },
    meta: bin.meta,
  });
  return packr.pack({ magic: BINARY_MAGIC, version: BINARY_VERSION, crc32: crc32(body), body });
}

function typed<T>(v: unknown, dtype: string, ctor: new (b: ArrayBuffer) => T, what: string, file?: string): T {
  const o = v as { dtype?: unknown; length?: unknown; bytes?: unknown };
  if (!o || o.dtype !== dtype || !(o.bytes instanceof Uint8Array) || typeof o.length !== 'number' || o.bytes.byteLength !== o.length * 4)
    fail(DIAG.binaryNotTypedArray, file, what, dtype);
  return new ctor(copyAligned(o.bytes as Uint8Array));
}

/** Parses and checks a binary: magic, version, CRC, structure, then checkBinary. Every failure is a clear AxcError. */
export function unpackBinary(bytes: Uint8Array, file?: string): Binary {
  let outer: any;
  try {
    outer = packr.unpack(bytes);
  } catch {
    // The magic string sits in the first bytes of the outer map; if it is there, the file was cut short.
    const head = Buffer.from(bytes.subarray(0, 32)).toString('latin1');
    if (head.includes(BINARY_MAGIC)) fail(DIAG.binaryTruncated, file);
    fail(DIAG.notABinary, file);
  }
  if (!outer || typeof outer !== 'object' || outer.magic !== BINARY_MAGIC) fail(DIAG.notABinary, file);
  if (outer.version !== BINARY_VERSION) fail(DIAG.binaryVersion, file, Number(outer.version), BINARY_VERSION);
  if (!(outer.body instanceof Uint8Array) || crc32(outer.body) !== outer.crc32) fail(DIAG.binaryChecksum, file);
  let body: any;
  try {
    body = packr.unpack(outer.body);
  } catch (e) {
    fail(DIAG.binaryBodyUnreadable, file, (e as Error).message);
  }
  const hw = HardwareSchema.safeParse(body?.hardware);
  if (!hw.success) fail(DIAG.binaryHardwareInvalid, file, `${hw.error.issues[0]?.path.join('.')}`, `${hw.error.issues[0]?.message}`);
  const code = typed(body.code, 'u32', Uint32Array, 'code', file);
  if (code.length % INSTRUCTION_WORDS !== 0) fail(DIAG.binaryCodeNotInstructions, file);
  const hasNumerics = body?.numerics !== undefined;
  const parts = hasNumerics ? checkNumericsParts(body, hw.data, file) : null;
  const dram = parts ? decodeDram(body.dram, parts.numerics, parts.dramLayers, hw.data, file) : typed(body.dram, 'f32', Float32Array, 'DRAM image', file);
  const sm = body.sourceMap;
  if (!sm || !Array.isArray(sm.files)) fail(DIAG.binarySourceMapMissing, file);
  if (!sm.files.every((f: unknown) => typeof f === 'string')) fail(DIAG.binarySourceMapFileNames, file);
  const entries = typed(sm.entries, 'u32', Uint32Array, 'source map', file);
  const n = code.length / INSTRUCTION_WORDS;
  if (entries.length !== n * 3) fail(DIAG.binarySourceMapShort, file);
  const sourceMap: (SourcePosition | null)[] = [];
  for (let i = 0; i < n; i++) {
    const fi = entries[i * 3];
    if (fi > sm.files.length) fail(DIAG.binarySourceMapFile, file, i, fi, sm.files.length);
    sourceMap.push(fi === 0 ? null : { file: String(sm.files[fi - 1]), line: entries[i * 3 + 1], col: entries[i * 3 + 2] });
  }
  const shadowDram = parts ? typed(body.shadowDram, 'f32', Float32Array, 'float32 shadow image', file) : undefined;
  if (shadowDram && shadowDram.length !== dram.length) fail(DIAG.binaryNumerics, file, 'its float32 shadow image and its DRAM image differ in length');
  const bin: Binary = { hardware: hw.data, code, dram, sourceMap, regions: body.regions, symbols: body.symbols, meta: body.meta, ...(parts ? { ...parts, shadowDram } : {}) };
  // Whatever passes here simulates and disassembles; the assembler runs the same checks before it writes.
  checkBinary(bin, { file });
  return bin;
}
