// Runs a binary over a stream of samples: one CSV row per sample, an optional bounded Chrome trace,
// and the run report from the timing and energy model.

import { findBenchmark } from '../benchmarks/registry.ts';
import { float32Text } from '../ir/float-text.ts';
import type { Binary } from '../isa/container.ts';
import { ChromeTrace } from './chrome-trace.ts';
import { buildReport, type RunReport } from './report.ts';
import { Simulator } from './simulator.ts';

export type { RunReport } from './report.ts';

export interface RunOptions {
  invokeAll?: boolean;
  /** Receives each CSV row (with its newline); the header comes first. */
  onRow?: (row: string) => Promise<void> | void;
  /** Called every 1024 samples with the number done. */
  onProgress?: (samples: number) => void;
  /** Trace samples [from, to) into this trace. */
  trace?: { sink: ChromeTrace; from: number; to: number };
}

export function csvHeader(outputWidth: number): string {
  const cols = [];
  for (let j = 0; j < outputWidth; j++) cols.push(`y${j}`);
  cols.push('p', 'invoked');
  return cols.join(',') + '\n';
}

export async function runSimulation(binary: Binary, samples: AsyncIterable<Float32Array> | Iterable<Float32Array>, opts: RunOptions = {}): Promise<RunReport> {
  const tr = opts.trace;
  const sim = new Simulator(binary, { invokeAll: opts.invokeAll, trace: tr && tr.from === 0 ? tr.sink : null });
  const timing = sim.machine.timing;
  const setupInstructions = sim.machine.instructions;
  const emptyY = ','.repeat(sim.outputWidth);
  // With a benchmark named, samples handed to the CPU carry its exact result.
  // The Simulator has checked the benchmark is known and matches the program's widths (isa/check-binary.ts).
  const exact = binary.meta.benchmark ? findBenchmark(binary.meta.benchmark) : undefined;
  const exactY = new Float64Array(sim.outputWidth);
  if (opts.onRow) await opts.onRow(csvHeader(sim.outputWidth));
  let n = 0;
  let predicted = 0;
  let invoked = 0;
  let fallbacks = 0;
  let nonFinite = 0;
  // The traced sample before this one, closed when the next recv fixes its end.
  let open: { index: number; start: number; path: 'npu' | 'cpu' } | null = null;
  for await (const x of samples) {
    const traced = tr !== undefined && n >= tr.from && n < tr.to;
    if (tr) sim.setTrace(traced ? tr.sink : null);
    const r = sim.runSample(x);
    if (open) {
      tr!.sink.sample(open.index, open.start, timing.sampleStart, open.path);
      open = null;
    }
    if (traced) open = { index: n, start: timing.sampleStart, path: r.invoked ? 'npu' : 'cpu' };
    n++;
    if (r.predicted) predicted++;
    if (r.invoked) {
      invoked++;
      // r.y is a view into machine state: scanned in place, nothing allocated per sample.
      for (let j = 0; j < r.y.length; j++) {
        if (!Number.isFinite(r.y[j])) {
          nonFinite++;
          break;
        }
      }
    }
    if (r.fallback) fallbacks++;
    if (opts.onRow) {
      let row = '';
      if (r.invoked) for (let j = 0; j < r.y.length; j++) row += float32Text(r.y[j]) + ',';
      else if (exact && r.fallback) {
        exact.exact(x, exactY);
        for (let j = 0; j < exactY.length; j++) row += `${exactY[j]},`;
      } else row = emptyY;
      await opts.onRow(`${row}${float32Text(r.p)},${r.invoked ? 1 : 0}\n`);
    }
    if (opts.onProgress && (n & 1023) === 0) opts.onProgress(n);
  }
  sim.close();
  if (open) tr!.sink.sample(open.index, open.start, timing.end, open.path);
  return buildReport(binary, sim, { samples: n, predicted, invoked, fallbacks, nonFinite, setupInstructions, invokeAll: opts.invokeAll ?? false });
}
