// The fast path held to the reference path on one binary and input: every result register of every sample
// (its input as reported, H(x) where it was sent) and the whole timing summary, with timing reuse both replayed and checked against
// full timing. The differential tests and the fuzzer's downstream stage share it.

import type { Binary } from '../../isa/container.ts';
import { Simulator, type InvokeMode } from '../simulator.ts';
import { timingFor } from '../timing-model.ts';

interface TimedRun {
  rows: string[];
  summary: string;
  /** Why the fast path did not run (null: it did). */
  off: string | null;
}

function timedRun(bin: Binary, inputs: readonly Float32Array[], invoke: InvokeMode, fast: boolean, verify: boolean): TimedRun {
  const timing = timingFor(bin);
  // Blocks of 4 batches, so that a few dozen samples span several blocks and a short last one.
  const sim = new Simulator(bin, { timing, invoke, fastPath: fast, verifyTimingReuse: verify, blockLanes: 4 });
  const rows: string[] = [];
  const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length)).join(' ');
  sim.runAll(inputs, (r) => rows.push([bits(r.x), r.invoked ? bits(r.y) : '-', bits(Float32Array.of(r.p)), r.score, r.predicted, r.invoked, r.fallback, r.instructions, r.start, r.slot].join(',')));
  sim.close();
  const summary = JSON.stringify(timing.summary(), (_k, v) => (v instanceof Map ? [...v] : v)) + ` instructions ${sim.machine.instructions}`;
  return { rows, summary, off: sim.fastPathOff };
}

/** How the fast path differs from the reference path on `inputs`, or null when it gives the same; and whether
 *  the fast path ran at all (it falls back where its planner cannot prove it exact). `verifyReuse` also runs
 *  it with every reused transition checked against full timing. */
export function fastPathDifference(bin: Binary, inputs: readonly Float32Array[], invoke: InvokeMode, verifyReuse = true): { difference: string | null; ran: boolean } {
  const reference = timedRun(bin, inputs, invoke, false, false);
  const fast = timedRun(bin, inputs, invoke, true, false);
  const ran = fast.off === null;
  const i = fast.rows.findIndex((r, k) => r !== reference.rows[k]);
  if (fast.rows.length !== reference.rows.length || i >= 0) return { difference: `sample ${i}: fast ${fast.rows[i]} vs reference ${reference.rows[i]}`, ran };
  if (fast.summary !== reference.summary) return { difference: `timing summary: fast ${fast.summary.slice(0, 400)} vs reference ${reference.summary.slice(0, 400)}`, ran };
  if (ran && verifyReuse && timedRun(bin, inputs, invoke, true, true).summary !== reference.summary) return { difference: 'timing summary with reuse verified', ran };
  return { difference: null, ran };
}
