// Streams samples from a text file: one sample per line, values separated by white space or by commas
// (AxBench's .x files read as they are). Blank lines and lines starting with '#' are skipped.

import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { DIAG } from '../diagnostics/catalog.ts';
import { AxcError, describeFsError, diag, fail } from '../diagnostics/diagnostic.ts';
import { DECIMAL_NUMBER } from '../ir/float-text.ts';


const isSpace = (c: number) => c === 32 || c === 9 || c === 13;
const COMMA = 44;

/**
 * Parses one line into `out` (values beyond out.length are counted, not stored); returns the number of
 * values, or throws a positioned error. A comma separates exactly two values: `1,,2` and `1,` are errors.
 */
export function parseSampleLine(line: string, lineNo: number, file: string, out: Float32Array): number {
  let n = 0;
  let pos = 0;
  const at = (p: number) => ({ file, line: lineNo, col: p + 1 });
  const skipSpace = () => {
    while (pos < line.length && isSpace(line.charCodeAt(pos))) pos++;
  };
  skipSpace();
  while (pos < line.length) {
    if (line.charCodeAt(pos) === COMMA) fail(DIAG.inputEmptyValue, at(pos));
    const start = pos;
    while (pos < line.length && !isSpace(line.charCodeAt(pos)) && line.charCodeAt(pos) !== COMMA) pos++;
    const tok = line.slice(start, pos);
    if (!DECIMAL_NUMBER.test(tok)) fail(DIAG.inputNumber, at(start), tok);
    const v = Math.fround(Number(tok));
    if (!Number.isFinite(v)) fail(DIAG.inputRange, at(start), tok);
    if (n < out.length) out[n] = v;
    n++;
    skipSpace();
    if (pos < line.length && line.charCodeAt(pos) === COMMA) {
      pos++;
      skipSpace();
      if (pos >= line.length) fail(DIAG.inputEmptyValue, at(pos));
    }
  }
  return n;
}

/** How messages name standard input, which `-` stands for. */
export const STDIN_NAME = '<stdin>';

/** Where a reader has got to: characters consumed (for a progress bar) and the line of the last row. */
export interface SampleCursor {
  bytes: number;
  line?: number;
}

/** Input samples, or the rows of exact outputs a run is judged against (`axc sim --reference`). */
export type SampleRole = 'input' | 'reference';

/**
 * Yields each sample as a Float32Array of `width` values. The same array is reused for every sample:
 * consume it before asking for the next. Memory stays flat whatever the file's length. `-` reads stdin.
 */
export async function* readSamples(path: string, width: number, cursor?: SampleCursor, role: SampleRole = 'input'): AsyncGenerator<Float32Array> {
  const fromStdin = path === '-';
  const file = fromStdin ? STDIN_NAME : path;
  const stream = fromStdin ? process.stdin.setEncoding('utf8') : createReadStream(path, { encoding: 'utf8' });
  const x = new Float32Array(width);
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let lineNo = 0;
  let samples = 0;
  try {
    for await (const line of lines) {
      lineNo++;
      if (cursor) {
        cursor.bytes += line.length + 1; // characters, not bytes: close enough for a progress bar
        cursor.line = lineNo;
      }
      const t = line.trimStart();
      if (t === '' || t.startsWith('#')) continue;
      const n = parseSampleLine(line, lineNo, file, x);
      if (n !== width) throw new AxcError(diag(role === 'input' ? DIAG.inputWidth : DIAG.referenceWidth, { file, line: lineNo, col: 1 }, n, width));
      samples++;
      yield x;
    }
  } catch (e) {
    if (e instanceof AxcError) throw e;
    // Opening or reading failed (missing file, a directory, permissions): a message, not a crash.
    fail(DIAG.fileUnreadable, undefined, file, describeFsError(e));
  } finally {
    lines.close();
    if (!fromStdin) stream.destroy();
  }
  if (samples === 0) fail(role === 'input' ? DIAG.inputEmpty : DIAG.referenceEmpty, file);
}
