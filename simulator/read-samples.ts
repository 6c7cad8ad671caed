// Streams samples from a text file: one sample per line, values separated by white space or by commas
// (AxBench's .x files read as they are). Blank lines and lines starting with '#' are skipped.
//
// The file is read in chunks and every line is parsed where it lies in its chunk: no per-line strings,
// closures or regular expressions on the common path. Lines end as node:readline ends them (\n, \r\n or
// a lone \r), numbers are accepted exactly as ir/float-text.ts's DECIMAL_NUMBER accepts them, and each
// value is Math.fround(Number(token)) bit for bit (test/read-samples-differential.test.ts checks all three
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
 * comma) or `end`. Returns Number(token) — NaN when the token is not a plain decimal number. Up to 15
 * significant digits and a decimal exponent within ±22 are converted exactly in double arithmetic
 * (Clinger's fast path: both operands are exact, so the one rounding is the correct one); anything else
 * goes to Number() on the token's text. The token's end is left in `scanEnd`.
 */
let scanEnd = 0;
function scanNumber(s: string, start: number, end: number): number {
  let i = start;
  let c = i < end ? s.charCodeAt(i) : -1;
  let negative = false;
  if (c === 43 || c === 45) {
    negative = c === 45;
    c = ++i < end ? s.charCodeAt(i) : -1;
  }
  let mantissa = 0;
  let digits = 0; // significant digits in mantissa (leading zeros not counted)
  let scale = 0; // decimal exponent of the mantissa's last digit, before the explicit exponent
  let seen = 0; // digits seen before and after the point
  let exact = true;
  while (c >= 48 && c <= 57) {
    if (digits < 15) {
      mantissa = mantissa * 10 + (c - 48);
      if (mantissa !== 0) digits++;
    } else {
      exact = false;
    }
    seen++;
    c = ++i < end ? s.charCodeAt(i) : -1;
  }
  if (c === 46) {
    c = ++i < end ? s.charCodeAt(i) : -1;
    while (c >= 48 && c <= 57) {
      if (digits < 15) {
        mantissa = mantissa * 10 + (c - 48);
        if (mantissa !== 0) digits++;
        scale--;
      } else if (c !== 48) {
        exact = false;
      }
      seen++;
      c = ++i < end ? s.charCodeAt(i) : -1;
    }
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
    return NaN;
  }
  scanEnd = i;
  if (mantissa === 0 && exact) return negative ? -0 : 0;
  if (exact && scale >= -22 && scale <= 22) {
    const v = scale >= 0 ? mantissa * POW10[scale] : mantissa / POW10[-scale];
    return negative ? -v : v;
  }
  return Number(s.slice(start, i));
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
    const number = scanNumber(s, start, end);
    pos = scanEnd;
    if (number !== number) fail(DIAG.inputNumber, { file, line: lineNo, col: start - begin + 1 }, s.slice(start, pos));
    const v = Math.fround(number);
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
 * Yields each sample as a Float32Array of `width` values. The same array is reused for every sample:
 * consume it before asking for the next. Memory stays flat whatever the file's length (a single line is
 * held whole while it spans chunks). `-` reads stdin.
 */
export async function* readSamples(path: string, width: number, cursor?: SampleCursor, role: SampleRole = 'input'): AsyncGenerator<Float32Array> {
  const fromStdin = path === '-';
  const file = fromStdin ? STDIN_NAME : path;
  const stream = fromStdin ? process.stdin.setEncoding('utf8') : createReadStream(path, { encoding: 'utf8' });
  const x = new Float32Array(width);
  const widthCode = role === 'input' ? DIAG.inputWidth : DIAG.referenceWidth;
  let lineNo = 0;
  let samples = 0;
  /** The start of a line that began in an earlier chunk (without its end). */
  let carry = '';
  /** The last chunk ended with '\r': a '\n' starting this one belongs to it. */
  let sawReturn = false;
  /** Parses one line; true when it holds a sample (now in x). */
  const line = (s: string, begin: number, end: number): boolean => {
    lineNo++;
    if (cursor) {
      cursor.bytes += end - begin + 1; // characters, not bytes: close enough for a progress bar
      cursor.line = lineNo;
    }
    if (skipLine(s, begin, end)) return false;
    const n = parseSampleRange(s, begin, end, lineNo, file, x);
    if (n !== width) throw new AxcError(diag(widthCode, { file, line: lineNo, col: 1 }, n, width));
    samples++;
    return true;
  };
  try {
    // stdin is left open on an early return (as node:readline left it); a file's stream is destroyed below.
    const chunks = fromStdin ? stream.iterator({ destroyOnReturn: false }) : stream;
    for await (const chunk of chunks) {
      const s = chunk as string;
      const len = s.length;
      let i = 0;
      if (sawReturn) {
        sawReturn = false;
        if (s.charCodeAt(0) === 10) i = 1;
      }
      let cr = s.indexOf('\r', i);
      let nl = s.indexOf('\n', i);
      while (nl !== -1 || cr !== -1) {
        let stop: number;
        let next: number;
        if (cr === -1 || (nl !== -1 && nl < cr)) {
          stop = nl;
          next = nl + 1;
          nl = s.indexOf('\n', next);
        } else {
          stop = cr;
          next = cr + 1;
          if (next === len) sawReturn = true;
          else if (s.charCodeAt(next) === 10) {
            next++;
            nl = s.indexOf('\n', next);
          }
          cr = s.indexOf('\r', next);
        }
        if (carry !== '') {
          const whole = carry + s.slice(i, stop);
          carry = '';
          if (line(whole, 0, whole.length)) yield x;
        } else if (line(s, i, stop)) yield x;
        i = next;
      }
      if (i < len) carry += s.slice(i);
    }
    if (carry !== '') {
      const whole = carry;
      carry = '';
      if (line(whole, 0, whole.length)) yield x;
    }
  } catch (e) {
    if (e instanceof AxcError) throw e;
    // Opening or reading failed (missing file, a directory, permissions): a message, not a crash.
    fail(DIAG.fileUnreadable, undefined, file, describeFsError(e));
  } finally {
    if (!fromStdin) stream.destroy();
  }
  if (samples === 0) fail(role === 'input' ? DIAG.inputEmpty : DIAG.referenceEmpty, file);
}
