// Loaders for the AxBench-derived data files: train.x/train.y pairs (one sample per line) and FANN
// training files (a header line, then input and output lines alternating). Bad input throws an AxcError
// positioned at file:line:col.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DIAG } from '../diagnostics/catalog.ts';
import { fail } from '../diagnostics/diagnostic.ts';

export interface Samples {
  x: Float64Array[];
  y: Float64Array[];
}

export interface FannSamples extends Samples {
  /** The sample count the header declares (may exceed the pairs present when the file is truncated). */
  declaredCount: number;
  /** Whether the file stopped before the declared count or in the middle of a pair. */
  truncated: boolean;
}

/** One line's numbers; a token that is not a finite number is an error at its column. */
function parseLine(line: string, file: string, lineNo: number): Float64Array {
  const values: number[] = [];
  const re = /\S+/g;
  for (let m = re.exec(line); m !== null; m = re.exec(line)) {
    const v = Number(m[0]);
    if (!Number.isFinite(v)) fail(DIAG.inputNumber, { file, line: lineNo, col: m.index + 1 }, m[0]);
    values.push(v);
  }
  return Float64Array.from(values);
}

/** The file's lines, without the empty string after a final newline. */
function readLines(file: string): { lines: string[]; endsWithNewline: boolean } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    fail(DIAG.fileUnreadable, file, file, (e as NodeJS.ErrnoException).code ?? String(e));
  }
  const lines = text.split(/\r?\n/);
  const endsWithNewline = lines[lines.length - 1] === '';
  if (endsWithNewline) lines.pop();
  return { lines, endsWithNewline };
}

/** Parses rows that all have the width of the first row (or `width` when given). */
function readRows(file: string, width?: number): Float64Array[] {
  const { lines } = readLines(file);
  if (lines.length === 0) fail(DIAG.inputEmpty, file);
  const rows: Float64Array[] = [];
  let expected = width;
  for (let i = 0; i < lines.length; i++) {
    const row = parseLine(lines[i], file, i + 1);
    expected ??= row.length;
    if (row.length !== expected || row.length === 0) fail(DIAG.inputWidth, { file, line: i + 1, col: 1 }, row.length, expected);
    rows.push(row);
  }
  return rows;
}

/**
 * Reads `<dir>/train.x` and `<dir>/train.y`: whitespace-separated values, one sample per line, line i of
 * both files belonging to sample i. Every row of a file has the width of its first row (or the width
 * given); the two files must have the same number of lines.
 */
export function readXY(dir: string, inputWidth?: number, outputWidth?: number): Samples {
  const xFile = path.join(dir, 'train.x');
  const yFile = path.join(dir, 'train.y');
  const x = readRows(xFile, inputWidth);
  const y = readRows(yFile, outputWidth);
  if (x.length !== y.length) {
    fail(DIAG.samplesDiffer, { file: yFile, line: Math.min(x.length, y.length) + 1, col: 1 }, yFile, y.length, xFile, x.length);
  }
  return { x, y };
}

/**
 * Reads a FANN training file: a header "count inputWidth outputWidth", then for each sample a line of
 * inputWidth values and a line of outputWidth values. A truncated file - fewer pairs than declared, an
 * input line without its output, or a last line without its newline (possibly cut mid-number) - yields
 * the complete pairs before the cut; a malformed pair before the end is an error.
 */
export function readFann(file: string, inputWidth: number, outputWidth: number): FannSamples {
  const { lines, endsWithNewline } = readLines(file);
  const headerAt = { file, line: 1, col: 1 };
  if (lines.length === 0) fail(DIAG.inputEmpty, file);
  const header = parseLine(lines[0], file, 1);
  if (header.length !== 3 || !header.every((v) => Number.isInteger(v) && v >= 0)) {
    fail(DIAG.fannHeaderSyntax, headerAt, file, lines[0].trim());
  }
  const [declaredCount, inW, outW] = header;
  if (inW !== inputWidth || outW !== outputWidth) {
    fail(DIAG.fannHeaderWidths, headerAt, file, inW, outW, inputWidth, outputWidth);
  }
  // Without a final newline the last line may be cut mid-number, so it is not used.
  const usable = endsWithNewline ? lines.length : lines.length - 1;
  const x: Float64Array[] = [];
  const y: Float64Array[] = [];
  let truncated = false;
  for (let i = 1; x.length < declaredCount; i += 2) {
    if (i + 1 >= usable) {
      truncated = true; // no complete pair left
      break;
    }
    const input = parseLine(lines[i], file, i + 1);
    const output = parseLine(lines[i + 1], file, i + 2);
    if (input.length !== inputWidth || output.length !== outputWidth) {
      if (i + 2 >= usable) {
        truncated = true; // the last pair is short
        break;
      }
      if (input.length !== inputWidth) fail(DIAG.inputWidth, { file, line: i + 1, col: 1 }, input.length, inputWidth);
      fail(DIAG.inputWidth, { file, line: i + 2, col: 1 }, output.length, outputWidth);
    }
    x.push(input);
    y.push(output);
  }
  return { x, y, declaredCount, truncated };
}
