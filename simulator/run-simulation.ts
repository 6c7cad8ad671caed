// Runs a binary over a stream of samples: one CSV row per sample, an optional bounded Chrome trace,
// the run report from the timing and energy model and, given a reference, the quality of the outputs.

import { NUMBER_TEXT_MAX, writeAscii, writeFloat32Text, writeFloat64Text } from '../ir/float-ascii.ts';
import type { Quality } from '../ir/model.ts';
import type { Binary } from '../isa/container.ts';
import { sampleQuality } from '../quality/error-metric.ts';
import { QualityTally } from '../quality/quality-tally.ts';
import { ChromeTrace } from './chrome-trace.ts';
import { rowBytesFor, type OnRow } from './csv-sink.ts';
import type { ExactFunction } from './exact-function.ts';
import { buildReport, type RunReport } from './report.ts';
import { datapathReport, QuantizationTally } from './datapath-report.ts';
import { TAKE_BUFFERED, type SampleGenerator } from './read-samples.ts';
import type { ReferenceRows } from './reference-rows.ts';
import { Simulator, type InvokeMode } from '../machine/simulator.ts';
import { timingFor } from '../machine/timing-model.ts';

export type { RunReport } from './report.ts';

export interface RunOptions {
  /** 'all' runs the approximator on every sample, whatever the predictor decides (default 'model'). */
  invoke?: Exclude<InvokeMode, 'none'>;
  /** Receives each CSV row (with its newline); the header comes first. A csvRowSink's takes the rows as bytes. */
  onRow?: OnRow;
  /** Called every 1024 samples with the number done. */
  onProgress?: (samples: number) => void;
  /** Trace samples [from, to) into this trace. */
  trace?: { sink: ChromeTrace; from: number; to: number };
  /** Judge every sample's H(x) against these rows by this metric: the CSV's err and safe, the report's quality. */
  reference?: { rows: ReferenceRows; quality: Quality };
  /** The exact function of the binary's `.benchmark` (benchmarks/registry.ts, findBenchmark): the CSV rows of
   *  samples the CPU computes carry its result. Without it those rows are empty, as for a binary naming none. */
  exact?: ExactFunction;
  /** Run the binary (outside fp32) in fp32 beside its format, and report what the format changed. */
  shadowFp32?: boolean;
  /** false: the per-sample reference path only (`axc sim --reference-path`); by default the sample loop runs a
   *  block at a time where that is proved exact (machine/block/), with byte-identical results. */
  fastPath?: boolean;
}

/** The CSV header: H(x) (or the CPU's exact output), P(x), invoked and, with a reference, err and safe. */
export function csvHeader(outputWidth: number, withQuality = false): string {
  const cols = [];
  for (let j = 0; j < outputWidth; j++) cols.push(`y${j}`);
  cols.push('p', 'invoked');
  if (withQuality) cols.push('err', 'safe');
  return cols.join(',') + '\n';
}

const COMMA = 44;

/** True when every value of y is finite. */
function allFinite(y: Float32Array): boolean {
  for (let j = 0; j < y.length; j++) if (!Number.isFinite(y[j])) return false;
  return true;
}

export async function runSimulation(binary: Binary, samples: AsyncIterable<Float32Array> | Iterable<Float32Array>, opts: RunOptions = {}): Promise<RunReport> {
  const tr = opts.trace;
  const invoke = opts.invoke ?? 'model';
  const timing = timingFor(binary);
  const fastPath = opts.fastPath !== false;
  const sim = new Simulator(binary, { invoke, timing, fastPath, trace: tr ? { sink: tr.sink, from: tr.from, to: tr.to } : undefined });
  const setupInstructions = sim.machine.instructions;
  // With a benchmark named, samples handed to the CPU carry its exact result; the caller looked the function up.
  // The Simulator has checked the benchmark is known and matches the program's widths (isa/check-binary.ts).
  const exact = binary.meta.benchmark ? opts.exact : undefined;
  const exactY = new Float64Array(sim.outputWidth);
  const ref = opts.reference;
  const tally = ref ? new QualityTally(ref.quality) : null;
  // A sample the controller sends to the CPU is still judged on the H(x) the approximator would have given.
  // A second machine that always invokes computes it, bit for bit the reference interpreter's H(x)
  // (test/differential.test.ts). It runs without a timing model: the run's cycles and energy are its own.
  const shadow = ref && invoke !== 'all' ? new Simulator(binary, { invoke: 'all', fastPath }) : null;
  // --shadow fp32: the same program in fp32 on the model's own weights, with its own invoke-all twin for quality.
  const inFp32 = opts.shadowFp32 && binary.numerics ? new Simulator(binary, { invoke, shadowFp32: true }) : null;
  const inFp32All = inFp32 && ref && invoke !== 'all' ? new Simulator(binary, { invoke: 'all', shadowFp32: true }) : null;
  const quantization = inFp32 ? new QuantizationTally() : null;
  const fp32Tally = inFp32 && ref ? new QualityTally(ref.quality) : null;
  if (opts.onRow) await opts.onRow(csvHeader(sim.outputWidth, ref !== undefined));
  // Rows are written as bytes, each number's text straight into the buffer: no string per value or row.
  const rows = opts.onRow ? rowBytesFor(opts.onRow) : null;
  // A row's longest: the outputs, p and err, each with its comma, then invoked, safe and the newline.
  rows?.fit((sim.outputWidth + 2) * (NUMBER_TEXT_MAX + 1) + 3);
  let n = 0;
  let predicted = 0;
  let invoked = 0;
  let fallbacks = 0;
  let nonFinite = 0;
  // Traced samples whose results are in, closed when the next batch's first recv fixes their end.
  let open: { index: number; start: number; path: 'npu' | 'cpu' }[] = [];
  // The batch start of the samples in `open`.
  let openStart = -1;
  const closeOpen = (end: number) => {
    for (const o of open) tr!.sink.sample(o.index, o.start, end, o.path);
    open = [];
  };
  /** The k results the latest push or end completed (a batch; one sample for most programs), in input order. */
  const settle = async (k: number): Promise<void> => {
    if (k === 0) return;
    const shadowReady = shadow ? (shadow.ready === k ? shadow.results : null) : null;
    const fp32Ready = inFp32 && inFp32.ready === k ? inFp32.results : null;
    const fp32AllReady = inFp32All && inFp32All.ready === k ? inFp32All.results : null;
    for (let i = 0; i < k; i++) {
      const r = sim.results[i];
      const x = r.x;
      if (open.length && r.start !== openStart) closeOpen(r.start);
      if (tr !== undefined && n >= tr.from && n < tr.to) {
        open.push({ index: n, start: r.start, path: r.invoked ? 'npu' : 'cpu' });
        openStart = r.start;
      }
      n++;
      if (r.predicted) predicted++;
      // r.y is a view into machine state: scanned in place, nothing allocated per sample.
      const finite = !r.invoked || allFinite(r.y);
      if (r.invoked) {
        invoked++;
        if (!finite) nonFinite++;
      }
      if (r.fallback) fallbacks++;
      const f = fp32Ready ? fp32Ready[i] : null;
      if (f) quantization!.add(r.invoked, r.y, f.invoked, f.y);
      let judged = '';
      if (ref) {
        const y = await ref.rows.next(x);
        const h = r.invoked ? r.y : shadowReady![i].y;
        const q = sampleQuality(ref.quality, h, 0, y, 0, y.length);
        tally!.add(q.error, q.safe, r.predicted, r.invoked, finite);
        judged = `,${q.error},${q.safe ? 1 : 0}`;
        if (f) {
          const fh = f.invoked ? f.y : fp32AllReady![i].y;
          const fq = sampleQuality(ref.quality, fh, 0, y, 0, y.length);
          fp32Tally!.add(fq.error, fq.safe, f.predicted, f.invoked, !f.invoked || allFinite(f.y));
        }
      }
      if (rows) {
        const buf = rows.buf;
        let pos = rows.pos;
        if (r.invoked) {
          for (let j = 0; j < r.y.length; j++) {
            pos = writeFloat32Text(buf, pos, r.y[j]);
            buf[pos++] = COMMA;
          }
        } else if (exact && r.fallback) {
          exact.exact(x, exactY);
          // The exact function's float64 result, in JavaScript's own shortest text for it.
          for (let j = 0; j < exactY.length; j++) {
            pos = writeFloat64Text(buf, pos, exactY[j]);
            buf[pos++] = COMMA;
          }
        } else for (let j = 0; j < sim.outputWidth; j++) buf[pos++] = COMMA;
        pos = writeFloat32Text(buf, pos, r.p);
        buf[pos++] = COMMA;
        buf[pos++] = r.invoked ? 49 : 48; // '1' or '0'
        if (ref) pos = writeAscii(buf, pos, judged);
        buf[pos++] = 10; // '\n'
        rows.pos = pos;
        const written = rows.rowDone();
        if (written) await written; // a sink that batches rows returns nothing most of the time: no await then
      }
      if (opts.onProgress && (n & 1023) === 0) opts.onProgress(n);
    }
  };
  // As `for await (const x of samples)`, but a sample the reader already has in hand is taken without an
  // await (read-samples.ts TAKE_BUFFERED): one promise per chunk of the file rather than one per sample.
  const it = Symbol.asyncIterator in samples ? samples[Symbol.asyncIterator]() : samples[Symbol.iterator]();
  const takeBuffered = (it as SampleGenerator)[TAKE_BUFFERED];
  let finished = false;
  try {
    for (;;) {
      let x = takeBuffered ? takeBuffered() : null;
      if (x === null) {
        const next = await it.next();
        if (next.done) break;
        x = next.value;
      }
      shadow?.push(x);
      inFp32?.push(x);
      inFp32All?.push(x);
      await settle(sim.push(x));
    }
    shadow?.end();
    inFp32?.end();
    inFp32All?.end();
    await settle(sim.end());
    finished = true;
  } finally {
    // Leaving early (an error) closes the samples, as for await does.
    if (!finished) await it.return?.();
  }
  await ref?.rows.finish(n);
  sim.close();
  const summary = timing.summary();
  if (open.length) closeOpen(summary.cycles);
  const quality = tally ? tally.summary(ref!.rows.name) : null;
  const report = buildReport(binary, sim, summary, { samples: n, predicted, invoked, fallbacks, nonFinite, setupInstructions, invoke }, quality);
  // Outside fp32 only, so fp32 reports stay as they were.
  if (binary.numerics) report.datapath = datapathReport(binary.numerics, sim.machine.numerics!);
  if (quantization) report.quantization = quantization.summary(fp32Tally ? fp32Tally.summary(ref!.rows.name) : null);
  return report;
}
