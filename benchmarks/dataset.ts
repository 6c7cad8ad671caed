// A data set of one benchmark as dense row-major float32 matrices: what generators and loaders
// produce and what trainers and experiments consume.

import type { Samples } from './read-axbench.ts';

export interface Dataset {
  /** The benchmark's name ('sobel', ...). */
  bench: string;
  n: number;
  inputWidth: number;
  outputWidth: number;
  /** n × inputWidth, row-major. */
  x: Float32Array;
  /** n × outputWidth, row-major: the exact function's outputs. */
  y: Float32Array;
}

export function datasetFromSamples(bench: string, s: Samples): Dataset {
  const n = s.x.length;
  const inputWidth = n ? s.x[0].length : 0;
  const outputWidth = n ? s.y[0].length : 0;
  const x = new Float32Array(n * inputWidth);
  const y = new Float32Array(n * outputWidth);
  for (let i = 0; i < n; i++) {
    x.set(s.x[i], i * inputWidth);
    y.set(s.y[i], i * outputWidth);
  }
  return { bench, n, inputWidth, outputWidth, x, y };
}

/** Rows [from, to) as a new data set (copies, so the parts can be shuffled independently). */
export function sliceDataset(d: Dataset, from: number, to: number): Dataset {
  return { ...d, n: to - from, x: d.x.slice(from * d.inputWidth, to * d.inputWidth), y: d.y.slice(from * d.outputWidth, to * d.outputWidth) };
}
