// The quality metric Err and the "safe to approximate" test of DESIGN.md §1, in plain float64 arithmetic:
// the one definition that training labels, training metrics, `axc sim --reference` and `axc tune` all use.
//
//   abs   e_j = |H_j - y_j|                 safe when e_j < B for every output j
//   rel   e_j = |H_j - y_j| / |y_j|         (0 when H_j = y_j, +Infinity when y_j = 0 and H_j != y_j)
//   rmse  e   = sqrt(mean_j (H_j - y_j)^2)  one number per sample ("image diff"); safe when e < B
//
// A sample's reported error (the "approximation error" metric) is the mean of its e_j (rmse: e).
// A NaN anywhere makes the sample unsafe, since NaN < B is false.

import type { Metric, Quality } from '../ir/model.ts';

export interface SampleQuality {
  safe: boolean;
  /** Mean of the per-output errors (abs, rel) or the sample's rmse. */
  error: number;
}

/** Err of output j: |h - y| (abs) or |h - y| / |y| (rel). */
export function outputError(metric: Exclude<Metric, 'rmse'>, h: number, y: number): number {
  const d = Math.abs(h - y);
  if (metric === 'abs') return d;
  if (d === 0) return 0;
  return d / Math.abs(y); // +Infinity when y = 0
}

/** Err of one sample: h[hOff .. hOff+width) against y[yOff .. yOff+width). */
export function sampleQuality(q: Quality, h: ArrayLike<number>, hOff: number, y: ArrayLike<number>, yOff: number, width: number): SampleQuality {
  if (q.metric === 'rmse') {
    let s = 0;
    for (let j = 0; j < width; j++) {
      const d = h[hOff + j] - y[yOff + j];
      s += d * d;
    }
    const e = Math.sqrt(s / width);
    return { safe: e < q.bound, error: e };
  }
  let safe = true;
  let sum = 0;
  for (let j = 0; j < width; j++) {
    const e = outputError(q.metric, h[hOff + j], y[yOff + j]);
    if (!(e < q.bound)) safe = false;
    sum += e;
  }
  return { safe, error: sum / width };
}

/** plabel of `rows` rows (row-major, `width` outputs each): 1 where the row is safe, else 0. */
export function safeRowLabels(q: Quality, h: ArrayLike<number>, y: ArrayLike<number>, width: number, rows: number): Float32Array {
  const out = new Float32Array(rows);
  for (let i = 0; i < rows; i++) out[i] = sampleQuality(q, h, i * width, y, i * width, width).safe ? 1 : 0;
  return out;
}
