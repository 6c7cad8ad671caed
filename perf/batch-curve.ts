// npm run bench's batch curve: the 64 → 512 → 512 → 64 AXNet of issue 11 on the default NPU (its second
// and output layers summed in fan-in chunks, dynamic schedule), cycles and DRAM energy per sample at
// --batch 1, 2, 4, … 32 and the default, each as a ratio to batch 1, from the timing and energy model, over a
// whole number of batches of every size.

import { compileModel } from '../compiler/pipeline.ts';
import { priceActions } from '../machine/actions.ts';
import { Simulator } from '../machine/simulator.ts';
import { timingFor } from '../machine/timing-model.ts';
import { wideModel } from './compile-time.ts';

/** Per-sample cycles (after setup) and DRAM energy in µJ over `n` samples, every one taking the NPU path. */
function perSample(batch: number | undefined, n: number): { batch: number; cycles: number; dram: number; instructions: number } {
  const bin = compileModel(wideModel(512, 512), { batch });
  const timing = timingFor(bin);
  const sim = new Simulator(bin, { timing, invoke: 'all' });
  const x = new Float32Array(64).fill(0.25);
  for (let i = 0; i < n; i++) sim.push(x);
  sim.end();
  sim.close();
  const s = timing.summary();
  const e = priceActions(bin.hardware, s.actions, s.cycles / (bin.hardware.clockMHz * 1e6));
  return { batch: sim.batch, cycles: (s.cycles - s.setupCycles) / n, dram: e.components.dram / n / 1e6, instructions: bin.code.length / 4 };
}

/** Table rows: batch, instructions, cycles per sample, DRAM µJ per sample, and both as improvements over batch 1. */
export function batchCurveRows(): string[] {
  // Whole batches for every batch size shown, so no short batch at the end of the input tilts a row.
  const fallback = new Simulator(compileModel(wideModel(512, 512))).batch;
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  const n = (32 * fallback) / gcd(32, fallback);
  const one = perSample(1, n);
  const rows: string[] = [];
  for (const b of [1, 2, 4, 8, 16, 32, undefined]) {
    const r = b === 1 ? one : perSample(b, n);
    const label = b === undefined ? `default (${r.batch})` : String(b);
    rows.push(`| ${label} | ${r.instructions.toLocaleString('en-US')} | ${Math.round(r.cycles).toLocaleString('en-US')} | ${(one.cycles / r.cycles).toFixed(2)}× | ${r.dram.toFixed(1)} µJ | ${(one.dram / r.dram).toFixed(2)}× |`);
  }
  return rows;
}
