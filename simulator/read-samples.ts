// Streams samples from a text file: one sample per line, values separated by white space or by commas
// (AxBench's .x files read as they are). Blank lines and lines starting with '#' are skipped.
//
// The file is read in chunks and every line is parsed where it lies in its chunk: no per-line strings,
// closures or regular expressions on the common path. Lines end as node:readline ends them (\n, \r\n or
// a lone \r), numbers are accepted exactly as ir/float-text.ts's DECIMAL_NUMBER accepts them, and each
// value is Math.fround(Number(token)) bit for bit (test/csv-path-differential.test.ts checks all three
// against the readline-and-regex reader this replaced).

import { createReadStream } from 'node:fs';
import { DIAG } from '../diagnostics/catalog.ts';
import { AxcError, describeFsError, diag, fail } from '../diagnostics/diagnostic.ts';

const isSpace = (c: number) => c === 32 || c === 9 || c === 13;
const COMMA = 44;

/** Powers of ten exactly representable as doubles: a product or quotient with one of them is correctly rounded. */
const POW10 = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

/**
 * Scans one number of the DECIMAL_NUMBER grammar starting at `start` and ending at a separator (white space,
 * comma) or `end`. Leaves Number(token) in scanned[0] and returns true, or false when the token is not a
 * plain decimal number. Up to 15
 * significant digits and a decimal exponent within ±22 are converted exactly in double arithmetic
 * (Clinger's fast path: both operands are exact, so the one rounding is the correct one); anything else
 * goes to Number() on the token's text. The token's end is left in `scanEnd`.
 */
let scanEnd = 0;
/** scanNumber's value, kept unboxed (a returned double would be allocated when the call is not inlined). */
const scanned = new Float64Array(1);
function scanNumber(s: string, start: number, end: number): boolean {
  let i = start;
  let c = i < end ? s.charCodeAt(i) : -1;
  let negative = false;
  if (c === 43 || c === 45) {
    negative = c === 45;
    c = ++i < end ? s.charCodeAt(i) : -1;
  }
  let mantissa = 0; // the first 15 significant digits (leading zeros add nothing), exact below 1e15
  let scale = 0; // decimal exponent of the mantissa's last digit, before the explicit exponent
  let exact = true;
  const intStart = i;
  while (c >= 48 && c <= 57) {
    if (mantissa < 1e14) mantissa = mantissa * 10 + (c - 48);
    else exact = false;
    c = ++i < end ? s.charCodeAt(i) : -1;
  }
  let seen = i - intStart; // digits before and after the point
  if (c === 46) {
    const fracStart = ++i;
    c = i < end ? s.charCodeAt(i) : -1;
    while (c >= 48 && c <= 57) {
      if (mantissa < 1e14) {
        mantissa = mantissa * 10 + (c - 48);
        scale--;
      } else if (c !== 48) exact = false;
      c = ++i < end ? s.charCodeAt(i) : -1;
    }
    seen += i - fracStart;
  }
  let ok = seen > 0;
  if (ok && (c === 101 || c === 69)) {
    c = ++i < end ? s.charCodeAt(i) : -1;
    let expNegative = false;
    if (c === 43 || c === 45) {
      expNegative = c === 45;
      c = ++i < end ? s.charCodeAt(i) : -1;
    }
    let exp = 0;
    let expDigits = 0;
    while (c >= 48 && c <= 57) {
      if (exp < 1e6) exp = exp * 10 + (c - 48);
      else exact = false;
      expDigits++;
      c = ++i < end ? s.charCodeAt(i) : -1;
    }
    ok = expDigits > 0;
    scale += expNegative ? -exp : exp;
  }
  if (!ok || !(c === -1 || isSpace(c) || c === COMMA)) {
    // Not a number: the token runs to the next separator, as the reader reports it.
    while (i < end && !isSpace((c = s.charCodeAt(i))) && c !== COMMA) i++;
    scanEnd = i;
    return false;
  }
  scanEnd = i;
  if (mantissa === 0 && exact) scanned[0] = negative ? -0 : 0;
  else if (exact && scale >= -22 && scale <= 22) {
    const v = scale >= 0 ? mantissa * POW10[scale] : mantissa / POW10[-scale];
    scanned[0] = negative ? -v : v;
  } else scanned[0] = Number(s.slice(start, i));
  return true;
}

/**
 * Parses characters [begin, end) of `s` as one line into `out` (values beyond out.length are counted, not
 * stored); returns the number of values, or throws an error positioned at columns counted from `begin`.
 * A comma separates exactly two values: `1,,2` and `1,` are errors.
 */
function parseSampleRange(s: string, begin: number, end: number, lineNo: number, file: string, out: Float32Array): number {
  let n = 0;
  let pos = begin;
  while (pos < end && isSpace(s.charCodeAt(pos))) pos++;
  while (pos < end) {
    if (s.charCodeAt(pos) === COMMA) fail(DIAG.inputEmptyValue, { file, line: lineNo, col: pos - begin + 1 });
    const start = pos;
    const ok = scanNumber(s, start, end);
    pos = scanEnd;
    if (!ok) fail(DIAG.inputNumber, { file, line: lineNo, col: start - begin + 1 }, s.slice(start, pos));
    const v = Math.fround(scanned[0]);
    if (v === Infinity || v === -Infinity) fail(DIAG.inputRange, { file, line: lineNo, col: start - begin + 1 }, s.slice(start, pos));
    if (n < out.length) out[n] = v;
    n++;
    while (pos < end && isSpace(s.charCodeAt(pos))) pos++;
    if (pos < end && s.charCodeAt(pos) === COMMA) {
      pos++;
      while (pos < end && isSpace(s.charCodeAt(pos))) pos++;
      if (pos >= end) fail(DIAG.inputEmptyValue, { file, line: lineNo, col: pos - begin + 1 });
    }
  }
  return n;
}

/**
 * Parses one line into `out` (values beyond out.length are counted, not stored); returns the number of
 * values, or throws a positioned error. A comma separates exactly two values: `1,,2` and `1,` are errors.
 */
export function parseSampleLine(line: string, lineNo: number, file: string, out: Float32Array): number {
  return parseSampleRange(line, 0, line.length, lineNo, file, out);
}

/** True when characters [begin, end) are blank or a comment: what String.prototype.trimStart leaves is '' or starts with '#'. */
function skipLine(s: string, begin: number, end: number): boolean {
  let i = begin;
  while (i < end) {
    const c = s.charCodeAt(i);
    if (c === 32 || c === 9) {
      i++;
      continue;
    }
    if (c === 35) return true;
    // Other white space trimStart removes (vertical tab, form feed, no-break and Unicode spaces, BOM): ask it.
    if (c === 11 || c === 12 || c >= 128) {
      const t = s.slice(i, end).trimStart();
      return t === '' || t.charCodeAt(0) === 35;
    }
    return false;
  }
  return true;
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
 * Splits chunks of text into lines as node:readline does (\n, \r\n or a lone \r; a \r ending one chunk
 * and a \n starting the next are one line end) and parses each line into `x`. Exported for
 * test/csv-path-differential.test.ts, which feeds it chunks split at random.
 */
export class LineParser {
  readonly x: Float32Array;
  lineNo = 0;
  samples = 0;
  private s = '';
  private i = 0;
  private nl = -1;
  private cr = -1;
  /** The start of a line that began in an earlier chunk (without its end). */
  private carry = '';
  /** The last chunk ended with '\r': a '\n' starting the next one belongs to it. */
  private sawReturn = false;
  private readonly widthCode: typeof DIAG.inputWidth;

  constructor(
    private readonly width: number,
    private readonly file: string,
    private readonly cursor: SampleCursor | undefined,
    role: SampleRole,
  ) {
    this.x = new Float32Array(width);
    this.widthCode = role === 'input' ? DIAG.inputWidth : DIAG.referenceWidth;
  }

  /** Takes the next chunk; call when next() has returned false. */
  feed(s: string): void {
    let i = 0;
    if (this.sawReturn) {
      this.sawReturn = false;
      if (s.charCodeAt(0) === 10) i = 1;
    }
    this.s = s;
    this.i = i;
    this.cr = s.indexOf('\r', i);
    this.nl = s.indexOf('\n', i);
  }

  /** Parses complete lines of the current chunk until one holds a sample (true: it is in x) or the chunk is done. */
  next(): boolean {
    const s = this.s;
    while (this.nl !== -1 || this.cr !== -1) {
      const i = this.i;
      let stop: number;
      let next: number;
      if (this.cr === -1 || (this.nl !== -1 && this.nl < this.cr)) {
        stop = this.nl;
        next = stop + 1;
        this.nl = s.indexOf('\n', next);
      } else {
        stop = this.cr;
        next = stop + 1;
        if (next === s.length) this.sawReturn = true;
        else if (s.charCodeAt(next) === 10) {
          next++;
          this.nl = s.indexOf('\n', next);
        }
        this.cr = s.indexOf('\r', next);
      }
      this.i = next;
      if (this.carry !== '') {
        const whole = this.carry + s.slice(i, stop);
        this.carry = '';
        if (this.line(whole, 0, whole.length)) return true;
      } else if (this.line(s, i, stop)) return true;
    }
    if (this.i < s.length) {
      this.carry += s.slice(this.i);
      this.i = s.length;
    }
    return false;
  }

  /** At the end of the input: parses an unterminated last line; true when it holds a sample. */
  finish(): boolean {
    const whole = this.carry;
    this.carry = '';
    this.s = '';
    this.i = 0;
    return whole !== '' && this.line(whole, 0, whole.length);
  }

  /** Parses one line; true when it holds a sample (now in x). */
  private line(s: string, begin: number, end: number): boolean {
    const lineNo = ++this.lineNo;
    const cursor = this.cursor;
    if (cursor) {
      cursor.bytes += end - begin + 1; // characters, not bytes: close enough for a progress bar
      cursor.line = lineNo;
    }
    if (skipLine(s, begin, end)) return false;
    const n = parseSampleRange(s, begin, end, lineNo, this.file, this.x);
    if (n !== this.width) throw new AxcError(diag(this.widthCode, { file: this.file, line: lineNo, col: 1 }, n, this.width));
    this.samples++;
    return true;
  }
}

/**
 * The reader's synchronous side door, for a consumer that wants to avoid an await per sample
 * (runSimulation): while the generator is suspended after yielding, this returns the next sample when
 * it lies in the chunk already read, or null — then ask the generator (which reads on). Use only between
 * the generator's start and its end; an error it throws leaves the generator to be closed with return().
 */
export const TAKE_BUFFERED: unique symbol = Symbol('take a buffered sample');

export type SampleGenerator = AsyncGenerator<Float32Array> & { [TAKE_BUFFERED]?: () => Float32Array | null };

/**
 * Yields each sample as a Float32Array of `width` values. The same array is reused for every sample:
 * consume it before asking for the next. Memory stays flat whatever the file's length (a single line is
 * held whole while it spans chunks). `-` reads stdin.
 */
export function readSamples(path: string, width: number, cursor?: SampleCursor, role: SampleRole = 'input'): SampleGenerator {
  const file = path === '-' ? STDIN_NAME : path;
  const parser = new LineParser(width, file, cursor, role);
  const gen: SampleGenerator = generateSamples(path, file, parser, role);
  gen[TAKE_BUFFERED] = () => (parser.next() ? parser.x : null);
  return gen;
}

async function* generateSamples(path: string, file: string, parser: LineParser, role: SampleRole): AsyncGenerator<Float32Array> {
  const fromStdin = path === '-';
  const stream = fromStdin ? process.stdin.setEncoding('utf8') : createReadStream(path, { encoding: 'utf8' });
  const x = parser.x;
  try {
    // stdin is left open on an early return (as node:readline left it); a file's stream is destroyed below.
    const chunks = fromStdin ? stream.iterator({ destroyOnReturn: false }) : stream;
    for await (const chunk of chunks) {
      parser.feed(chunk as string);
      while (parser.next()) yield x;
    }
    if (parser.finish()) yield x;
  } catch (e) {
    if (e instanceof AxcError) throw e;
    // Opening or reading failed (missing file, a directory, permissions): a message, not a crash.
    fail(DIAG.fileUnreadable, undefined, file, describeFsError(e));
  } finally {
    if (!fromStdin) stream.destroy();
  }
  if (parser.samples === 0) fail(role === 'input' ? DIAG.inputEmpty : DIAG.referenceEmpty, file);
}
