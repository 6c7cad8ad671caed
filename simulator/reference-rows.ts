// The exact outputs a run is judged against, one row per input sample: read from a file (AxBench .y files
// as they are) or computed by the benchmark's exact function. Rows are float32, as the trainers' data
// sets hold them, so a simulation and `axc train` measure Err on the same numbers.

import { DIAG } from '../diagnostics/catalog.ts';
import { fail } from '../diagnostics/diagnostic.ts';
import type { ExactFunction } from './exact-function.ts';
import { readSamples, STDIN_NAME, type SampleCursor } from './read-samples.ts';

export type ReferenceSource = { kind: 'file'; path: string } | { kind: 'exact'; benchmark: ExactFunction };

/** Hands out reference rows in step with the input; the row is a view, valid until the next call. */
export interface ReferenceRows {
  /** The report's name for the reference: the file path, or "exact". */
  readonly name: string;
  /** The row for input sample `x` (the next one); fails when the reference has run out. */
  next(x: Float32Array): Promise<Float32Array>;
  /** After the input's last sample: fails when the reference has rows left over. */
  finish(samples: number): Promise<void>;
}

export function referenceRows(source: ReferenceSource, width: number): ReferenceRows {
  if (source.kind === 'exact') {
    const { benchmark } = source;
    const exact = new Float64Array(width);
    const row = new Float32Array(width);
    return {
      name: 'exact',
      async next(x) {
        benchmark.exact(x, exact);
        row.set(exact); // rounds each value to float32
        return row;
      },
      async finish() {},
    };
  }
  const file = source.path === '-' ? STDIN_NAME : source.path;
  const cursor: SampleCursor = { bytes: 0, line: 0 };
  const rows = readSamples(source.path, width, cursor, 'reference');
  let taken = 0;
  return {
    name: source.path,
    async next() {
      const r = await rows.next();
      if (r.done) fail(DIAG.referenceShort, file, taken);
      taken++;
      return r.value;
    },
    async finish(samples) {
      // An empty reference is reported by the reader itself when the input was empty too.
      const r = await rows.next();
      if (!r.done) {
        await rows.return(undefined);
        fail(DIAG.referenceLong, { file, line: cursor.line!, col: 1 }, samples);
      }
    },
  };
}
