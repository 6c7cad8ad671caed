// The numbers in an ONNX model's constant tensors (initializers and Constant nodes' values): raw_data, the typed
// fields or external data beside the model, each read only after its size is bounded, as float32 weights or integer
// bounds; external files are read by range and must lie, symbolic links resolved, inside the model's directory.

import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { DIAG } from '../../diagnostics/catalog.ts';
import { describeFsError, diag, type Diagnostic } from '../../diagnostics/diagnostic.ts';
import { quote } from '../../diagnostics/quote.ts';
import { DATA_TYPE, dataTypeName, EXTERNAL, int64ToNumber, type Int64 } from './onnx-schema.ts';
import { dimsText, type ConstTensor } from './onnx-graph.ts';

/** Bytes per element of the types read as numbers. */
const ELEMENT_BYTES: Record<number, number> = { [DATA_TYPE.FLOAT]: 4, [DATA_TYPE.INT32]: 4, [DATA_TYPE.INT64]: 8 };

/** Element count of `dims`, or null when a dimension is negative or the count is beyond any tensor axc reads. */
function elementCount(dims: readonly number[]): number | null {
  let n = 1;
  for (const d of dims) {
    if (!Number.isSafeInteger(d) || d < 0) return null;
    n *= d;
    if (n > 2 ** 31) return null;
  }
  return n;
}

/** The integer types a tensor of integers may have: ONNX's Split sizes are int64; Slice's bounds int32 or int64. */
export type IntTypes = 'int64' | 'int32-or-int64';

/**
 * Reads constant tensors' numbers: raw_data (little-endian), the typed repeated fields, or external data in a
 * file beside the model. Each read names the most values the tensor may hold, and a tensor whose dims say more is
 * refused before anything is allocated or read: nothing here is sized by dims that were not bounded first.
 * Problems are reported (each naming the tensor) and give null.
 */
export class TensorValues {
  /** The external data files read, as resolved paths. */
  readonly externalFiles: string[] = [];
  /** Per resolved external file: its size, or why it is not read. */
  private readonly files = new Map<string, ExternalFile>();
  /** External files already reported (refused, unreadable or cut short): one message per file, for the first tensor. */
  private readonly reported = new Set<string>();

  constructor(
    private readonly modelPath: string,
    private readonly ds: Diagnostic[],
  ) {}

  /** A FLOAT tensor's values, at most `max` of them; `use` says what it is for, in messages ("the weights of Gemm node 'h1'"). */
  floats(c: ConstTensor, use: string, max: number): Float32Array | null {
    if (c.proto.dataType !== DATA_TYPE.FLOAT) {
      this.ds.push(diag(DIAG.onnxTensorType, this.modelPath, c.text, use, dataTypeName(c.proto.dataType), 'FLOAT (float32)'));
      return null;
    }
    const n = this.count(c, use, max);
    if (n === null) return null;
    const bytes = this.bytes(c, n, 4);
    if (bytes === undefined) return null;
    if (bytes) {
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getFloat32(i * 4, true);
      return out;
    }
    const data = c.proto.floatData ?? [];
    return this.countMatches(c, n, data.length, 'float_data') ? Float32Array.from(data) : null;
  }

  /** An integer tensor's values (Slice bounds, Split sizes), at most `max` of them, of the `types` allowed. */
  ints(c: ConstTensor, use: string, types: IntTypes, max: number): { values: number[]; type: number } | null {
    const type = c.proto.dataType ?? 0;
    if (type !== DATA_TYPE.INT64 && (types === 'int64' || type !== DATA_TYPE.INT32)) {
      this.ds.push(diag(DIAG.onnxTensorType, this.modelPath, c.text, use, dataTypeName(type), types === 'int64' ? 'INT64 (ONNX gives Split its sizes as int64)' : 'INT64 (or INT32)'));
      return null;
    }
    const n = this.count(c, use, max);
    if (n === null) return null;
    const size = ELEMENT_BYTES[type];
    const bytes = this.bytes(c, n, size);
    if (bytes === undefined) return null;
    if (bytes) {
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const values: number[] = [];
      for (let i = 0; i < n; i++) values.push(size === 8 ? Number(view.getBigInt64(i * 8, true)) : view.getInt32(i * 4, true));
      return { values, type };
    }
    const held = type === DATA_TYPE.INT64 ? (c.proto.int64Data ?? []) : (c.proto.int32Data ?? []);
    if (!this.countMatches(c, n, held.length, type === DATA_TYPE.INT64 ? 'int64_data' : 'int32_data')) return null;
    return { values: type === DATA_TYPE.INT64 ? held.map((v) => int64ToNumber(v as Int64)) : (held as number[]), type };
  }

  /** The tensor's element count, or null (reported) when its dims are malformed or say more than `max` values. */
  private count(c: ConstTensor, use: string, max: number): number | null {
    const n = elementCount(c.dims);
    if (n === null) this.ds.push(diag(DIAG.onnxTensorSize, this.modelPath, c.text, dimsText(c.dims), 'a dimension is negative or too large'));
    else if (n > max) this.ds.push(diag(DIAG.onnxTensorSize, this.modelPath, c.text, dimsText(c.dims), `that is ${n} values, more than the ${max} axc reads for ${use}`));
    else return n;
    return null;
  }

  private countMatches(c: ConstTensor, n: number, held: number, field: string): boolean {
    if (n === held) return true;
    this.ds.push(diag(DIAG.onnxTensorSize, this.modelPath, c.text, dimsText(c.dims), `that is ${n} value${n === 1 ? '' : 's'}, but ${field} holds ${held}`));
    return false;
  }

  /** The tensor's `n` values' bytes when stored raw or externally, null when it uses the typed fields, undefined on a problem (reported). */
  private bytes(c: ConstTensor, n: number, size: number): Uint8Array | null | undefined {
    const t = c.proto;
    if (t.dataLocation === EXTERNAL) return this.external(c, n * size);
    const raw = t.rawData && t.rawData.length > 0 ? t.rawData : null;
    if (!raw) return null;
    if (raw.length !== n * size) {
      this.ds.push(diag(DIAG.onnxTensorSize, this.modelPath, c.text, dimsText(c.dims), `that is ${n} value${n === 1 ? '' : 's'} (${n * size} bytes), but raw_data holds ${raw.length} bytes`));
      return undefined;
    }
    return raw;
  }

  /**
   * `need` bytes of external data: `location` relative to the model's directory, never outside it, neither as
   * written nor once symbolic links are resolved; a regular file, of which only those bytes are read.
   */
  private external(c: ConstTensor, need: number): Uint8Array | undefined {
    const fail = (d: Diagnostic) => (this.ds.push(d), undefined);
    const fields = new Map((c.proto.externalData ?? []).map((e) => [e.key ?? '', e.value ?? '']));
    const location = fields.get('location');
    if (location === undefined || location === '') return fail(diag(DIAG.onnxExternalField, this.modelPath, c.text, "it has no 'location'"));
    const num = (key: string): number | null | undefined => {
      const v = fields.get(key);
      if (v === undefined) return null;
      return /^\d{1,15}$/.test(v) ? Number(v) : undefined;
    };
    const offset = num('offset');
    const length = num('length');
    if (offset === undefined || length === undefined) {
      const key = offset === undefined ? 'offset' : 'length';
      return fail(diag(DIAG.onnxExternalField, this.modelPath, c.text, `'${key}' is ${quote(fields.get(key)!)}, not a byte count`));
    }
    if (length !== null && length !== need) return fail(diag(DIAG.onnxExternalField, this.modelPath, c.text, `'length' is ${length} bytes but dims ${dimsText(c.dims)} need ${need}`));
    const dir = nodePath.dirname(this.modelPath);
    if (nodePath.isAbsolute(location) || /^[A-Za-z]:|^[\\/]/.test(location)) {
      return fail(diag(DIAG.onnxExternalLocation, this.modelPath, c.text, location, "it is an absolute path; external data lies in files beside the model, named relative to the model's directory"));
    }
    const resolved = nodePath.resolve(dir, location);
    if (!inside(dir, resolved)) return fail(diag(DIAG.onnxExternalLocation, this.modelPath, c.text, location, "it lies outside the model's directory"));
    let file = this.files.get(resolved);
    if (file === undefined) {
      file = examine(dir, resolved);
      this.files.set(resolved, file);
      if ('size' in file) this.externalFiles.push(resolved);
    }
    // One message per file: the tensors after the first one refused are refused for the same reason.
    const once = (d: Diagnostic) => (this.reported.has(resolved) ? undefined : (this.reported.add(resolved), fail(d)));
    if ('outside' in file) return once(diag(DIAG.onnxExternalLocation, this.modelPath, c.text, location, file.outside));
    if ('unreadable' in file) return once(diag(DIAG.onnxExternalUnreadable, this.modelPath, c.text, location, file.unreadable));
    const { size, real } = file;
    const start = offset ?? 0;
    if (start + need > size) return once(diag(DIAG.onnxExternalShort, this.modelPath, c.text, location, `it needs bytes ${start} to ${start + need}, but the file holds ${size} bytes`));
    const read = readAt(real, start, need);
    if (typeof read === 'string') return fail(diag(DIAG.onnxExternalUnreadable, this.modelPath, c.text, location, `${read} (looked for ${resolved})`));
    if (read.length < need) return fail(diag(DIAG.onnxExternalShort, this.modelPath, c.text, location, `it needs bytes ${start} to ${start + need}, but the file ended at byte ${start + read.length} while it was read`));
    return read;
  }
}

/** An external data file: its size, or why it is not read (outside the model's directory, or unreadable). */
type ExternalFile = { size: number; real: string } | { outside: string } | { unreadable: string };

/** What `resolved` (lexically inside `dir`) is: symbolic links are resolved, and a target outside the real
 *  directory of the model is refused like a path that leaves it; only a regular file is read. */
function examine(dir: string, resolved: string): ExternalFile {
  const looked = `(looked for ${resolved})`;
  try {
    const real = fs.realpathSync(resolved);
    if (!inside(fs.realpathSync(dir), real)) return { outside: `it resolves, through a symbolic link, to ${quote(real, 300)}, outside the model's directory` };
    const st = fs.statSync(real);
    return st.isFile() ? { size: st.size, real } : { unreadable: `it is not a regular file ${looked}` };
  } catch (err) {
    return { unreadable: `${describeFsError(err)} ${looked}` };
  }
}

/** Whether `path` lies strictly inside directory `dir` (both absolute, compared as written). */
function inside(dir: string, path: string): boolean {
  const rel = nodePath.relative(dir, path);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${nodePath.sep}`) && !nodePath.isAbsolute(rel);
}

/** `length` bytes of `path` from `offset` (fewer if the file ends first), or why they cannot be read. */
function readAt(path: string, offset: number, length: number): Uint8Array | string {
  let fd: number | null = null;
  try {
    fd = fs.openSync(path, 'r');
    const out = new Uint8Array(length);
    let got = 0;
    while (got < length) {
      const k = fs.readSync(fd, out, got, length - got, offset + got);
      if (k === 0) break;
      got += k;
    }
    return out.subarray(0, got);
  } catch (err) {
    return describeFsError(err);
  } finally {
    if (fd !== null) fs.closeSync(fd);
  }
}
