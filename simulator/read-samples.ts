// Streams samples from a text file: one sample per line, values separated by commas and/or white space
// (AxBench's .x files read as they are). Blank lines and lines starting with '#' are skipped.

import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { DIAG } from '../diagnostics/catalog.ts';
import { AxcError, diag, fail, describeFsError } from '../diagnostics/diagnostic.ts';

const SEPARATOR = /[\s,]+/y;
const TOKEN = /[^\s,]+/y;

/** Parses one line into `out`; returns the number of values, or throws a positioned error. */
export function parseSampleLine(line: string, lineNo: number, file: string, out: Float32Array): number {
  let n = 0;
  let pos = 0;
  for (;;) {
    SEPARATOR.lastIndex = pos;
    if (SEPARATOR.test(line)) pos = SEPARATOR.lastIndex;
    if (pos >= line.length) return n;
    TOKEN.lastIndex = pos;
    TOKEN.test(line);
    const tok = line.slice(pos, TOKEN.lastIndex);
    const v = Number(tok);
    if (Number.isNaN(v) || tok.startsWith('0x')) fail(DIAG.inputNumber, { file, line: lineNo, col: pos + 1 }, tok);
    if (n < out.length) out[n] = v;
    n++;
    pos = TOKEN.lastIndex;
  }
}

/**
 * Yields each sample as a Float32Array of `width` values. The same array is reused for every sample:
 * consume it before asking for the next. Memory stays flat whatever the file's length.
 */
export async function* readSamples(file: string, width: number): AsyncGenerator<Float32Array> {
  const stream = createReadStream(file, { encoding: 'utf8' });
  const opened = new Promise<void>((resolve, reject) => {
    stream.once('ready', () => resolve());
    stream.once('error', reject);
  });
  try {
    await opened;
  } catch (e) {
    fail(DIAG.fileUnreadable, undefined, file, describeFsError(e));
  }
  const x = new Float32Array(width);
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let lineNo = 0;
  let samples = 0;
  try {
    for await (const line of lines) {
      lineNo++;
      const t = line.trimStart();
      if (t === '' || t.startsWith('#')) continue;
      const n = parseSampleLine(line, lineNo, file, x);
      if (n !== width) throw new AxcError(diag(DIAG.inputWidth, { file, line: lineNo, col: 1 }, n, width));
      samples++;
      yield x;
    }
  } finally {
    lines.close();
    stream.destroy();
  }
  if (samples === 0) fail(DIAG.inputEmpty, file);
}
