// One pass of a binary over its samples for threshold tuning: per sample, the decision score the
// controller compares with the threshold and the Err of H(x) against the reference. The approximator runs
// on every sample, so each threshold's outcome follows from these figures without simulating again.

import type { Quality } from '../ir/model.ts';
import type { Binary } from '../isa/container.ts';
import type { ScoredSamples } from '../quality/choose-threshold.ts';
import { sampleQuality } from '../quality/error-metric.ts';
import type { ReferenceRows } from './reference-rows.ts';
import { Simulator } from '../machine/simulator.ts';

/** A growable Float64Array: samples arrive from a stream of unknown length. */
class Column {
  data = new Float64Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const grown = new Float64Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = v;
  }
  values(): Float64Array {
    return this.data.slice(0, this.length);
  }
}

export async function scoreSamples(binary: Binary, samples: AsyncIterable<Float32Array>, reference: { rows: ReferenceRows; quality: Quality }, onProgress?: (n: number) => void): Promise<ScoredSamples> {
  const sim = new Simulator(binary, { invoke: 'all' });
  const scores = new Column();
  const errors = new Column();
  const safe = new Column();
  const take = async (k: number) => {
    for (let i = 0; i < k; i++) {
      const r = sim.results[i];
      const y = await reference.rows.next(r.x);
      const q = sampleQuality(reference.quality, r.y, 0, y, 0, y.length);
      scores.push(r.score);
      errors.push(q.error);
      safe.push(q.safe ? 1 : 0);
      if (onProgress && (scores.length & 1023) === 0) onProgress(scores.length);
    }
  };
  for await (const x of samples) await take(sim.push(x));
  await take(sim.end());
  await reference.rows.finish(scores.length);
  return { scores: scores.values(), errors: errors.values(), safe: Uint8Array.from(safe.values()) };
}
