// Runs several simulators of one binary side by side over the same samples: each push or end completes the
// same batch on every one, so their results (and machine state) can be compared at the moment they complete.

import assert from 'node:assert/strict';
import type { SampleResult, Simulator } from '../../machine/simulator.ts';

/** Pushes every input to every simulator, then ends them; `each` gets the i-th sample's result from each. */
export function lockstep(sims: Simulator[], inputs: Iterable<Float32Array>, each: (results: SampleResult[], index: number) => void): number {
  let n = 0;
  const settle = (counts: number[]) => {
    assert.ok(counts.every((k) => k === counts[0]), `simulators of one binary complete batches together: ${counts.join(', ')}`);
    for (let i = 0; i < counts[0]; i++) each(sims.map((s) => s.results[i]), n++);
  };
  for (const x of inputs) settle(sims.map((s) => s.push(x)));
  settle(sims.map((s) => s.end()));
  return n;
}

/** The on-chip words of `name` for the sample in `slot`, from the binary's region list. */
export function slotRegionName(name: string, slot: number): string {
  return slot === 0 ? name : `${name}.s${slot}`;
}
