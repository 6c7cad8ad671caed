// `axc sim`: runs prog.bin over input samples; writes the per-sample CSV, the run report and a trace.

import { Command, Option } from 'commander';
import { findBenchmark } from '../../benchmarks/registry.ts';
import { DIAG } from '../../diagnostics/catalog.ts';
import { fail } from '../../diagnostics/diagnostic.ts';
import { ChromeTrace } from '../../simulator/chrome-trace.ts';
import { csvRowSink } from '../../simulator/csv-sink.ts';
import { formatReport } from '../../simulator/format-report.ts';
import { readSamples } from '../../simulator/read-samples.ts';
import { referenceRows } from '../../simulator/reference-rows.ts';
import { reportJson } from '../../simulator/report.ts';
import { csvHeader, runSimulation, type RunReport } from '../../simulator/run-simulation.ts';
import { confirmWritten } from '../confirm-written.ts';
import { releaseInputOnInterrupt } from '../interrupt.ts';
import { readBinaryFile } from '../load-binary.ts';
import { simulationProgress } from '../progress.ts';
import { referenceOptions, resolveReference, type ReferenceCliOptions } from '../reference-options.ts';
import { refuseOverwrite } from '../refuse-overwrite.ts';
import { applyThresholdOption, parseThresholdOption, THRESHOLD_HELP } from '../threshold-option.ts';
import { AtomicWriter, writeStdout } from '../write-atomic.ts';
import { warn } from '../warn.ts';

/** `A:B` (samples A to B-1), `:B`, `A:` or `N` (the first N). */
export function parseSampleRange(text: string): { from: number; to: number } {
  const m = /^(\d*):(\d*)$/.exec(text) ?? /^()(\d+)$/.exec(text);
  const from = m?.[1] ? Number(m[1]) : 0;
  const to = m?.[2] ? Number(m[2]) : Infinity;
  if (!m || from >= to) fail(DIAG.badTraceSamples, undefined, text);
  return { from, to };
}


export function simCommand(): Command {
  const cmd = new Command('sim')
    .description('simulate an NPU binary over input samples: outputs, cycles, bus conflicts, energy')
    .argument('<prog.bin>', 'the binary')
    .requiredOption('-i, --input <file>', "samples: one per line, values separated by commas or white space (AxBench .x files work); '-' reads stdin")
    .option('-o, --output <out.csv>', `per-sample results, header ${csvHeader(2).trim().replace('y1', '...')} (with --reference also err,safe); '-' for stdout`)
    .option('--report <report.json>', 'write the run report as JSON (schema axc-sim-report/2, see README)')
    .option('--trace <trace.json>', 'write a Chrome trace (open in https://ui.perfetto.dev or chrome://tracing)')
    .option('--trace-samples <range>', 'samples to trace: A:B (A to B-1), :B, A: or N (the first N)', '0:100')
    .addOption(new Option('--invoke <mode>', 'model: the predictor decides; all: run the approximator on every sample').choices(['model', 'all']).default('model'))
    .option('--threshold <T>', THRESHOLD_HELP, parseThresholdOption)
    .option('--npu <hw.json>', 'refuse the binary unless it was compiled for this hardware')
    .addOption(new Option('--shadow <format>', "run the model in this format beside the binary's and report what the binary's format changed (the report's quantization section)").choices(['fp32']))
    .option('--reference-path', 'run every sample instruction by instruction, the reference the fast block path is tested against (same results, slower)')
    .option('-q, --quiet', 'print no report table and no confirmation of the files written')
    .addHelpText('after', '\nExamples:\n  axc sim sobel.bin --input examples/sobel.x --output out.csv --report report.json --trace trace.json\n  axc sim sobel.bin --input train.x --reference train.y --report report.json');
  for (const o of referenceOptions(false)) cmd.addOption(o);
  return cmd.action(async (binPath: string, opts: SimCliOptions, cmd: Command) => {
    const traceSamplesGiven = cmd.getOptionValueSource('traceSamples') === 'cli';
    if (traceSamplesGiven && !opts.trace) fail(DIAG.traceSamplesWithoutTrace, undefined);
    if (opts.quiet && !opts.output && !opts.report && !opts.trace) fail(DIAG.quietShowsNothing, undefined);
    const range = parseSampleRange(opts.traceSamples);
    refuseOverwrite(
      [{ role: 'the binary', path: binPath }, { role: '--input', path: opts.input }, { role: '--npu', path: opts.npu }, { role: '--reference', path: opts.reference === 'exact' ? undefined : opts.reference }],
      [{ role: '--output', path: opts.output }, { role: '--report', path: opts.report }, { role: '--trace', path: opts.trace }],
    );
    const bin = applyThresholdOption(readBinaryFile(binPath, opts.npu), opts.threshold, binPath);
    if (opts.shadow && !bin.numerics) warn(DIAG.shadowInFp32);
    const judge = resolveReference(bin.meta, opts);
    const toStdout = opts.output === '-';
    // Every output is opened before the run, so an unwritable path fails before any work is done.
    const writers: AtomicWriter[] = [];
    const open = (path: string | undefined) => {
      if (!path) return null;
      const w = new AtomicWriter(path);
      writers.push(w);
      return w;
    };
    let report: RunReport;
    const releaseInput = releaseInputOnInterrupt(opts.input);
    const releaseReference = judge?.source.kind === 'file' ? releaseInputOnInterrupt(judge.source.path) : () => {};
    const progress = simulationProgress(opts.input);
    try {
      const csv = toStdout ? null : open(opts.output);
      const reportOut = open(opts.report);
      const traceOut = open(opts.trace);
      // Rows to a file are batched (the file appears whole at commit anyway); to stdout they go row by row.
      const rows = csv ? csvRowSink((chunk) => csv.write(chunk)) : null;
      const sink = traceOut ? new ChromeTrace(bin.hardware, `${bin.meta.model} (${binPath})`) : null;
      report = await runSimulation(bin, readSamples(opts.input, bin.meta.inputWidth, progress?.consumed), {
        invoke: opts.invoke === 'all' ? 'all' : 'model',
        onRow: rows ? rows.onRow : toStdout ? writeStdout : undefined,
        onProgress: progress ? (n) => progress.update(n) : undefined,
        trace: sink ? { sink, ...range } : undefined,
        reference: judge ? { rows: referenceRows(judge.source, bin.meta.outputWidth), quality: judge.quality } : undefined,
        exact: bin.meta.benchmark ? findBenchmark(bin.meta.benchmark) : undefined,
        shadowFp32: opts.shadow === 'fp32',
        fastPath: !opts.referencePath,
      });
      await rows?.flush();
      progress?.stop();
      await reportOut?.write(reportJson(report));
      if (sink) await traceOut!.write(sink.toJSON());
      for (const w of writers) await w.commit();
    } catch (e) {
      progress?.stop();
      for (const w of writers) w.abort();
      throw e;
    } finally {
      releaseInput();
      releaseReference();
    }
    if (opts.trace && range.to > report.samples) {
      const traced = range.from >= report.samples ? 'holds no sample' : `holds samples ${range.from} to ${report.samples - 1} only`;
      warn(DIAG.tracePastInput, opts.traceSamples, report.samples, traced);
    }
    if (!opts.quiet) {
      (toStdout ? process.stderr : process.stdout).write(formatReport(report));
    }
    const files = [opts.output && !toStdout ? `${opts.output} (${report.samples} rows)` : null, opts.report ?? null, opts.trace ?? null].filter((f) => f !== null);
    if (files.length) confirmWritten(opts, files.join(', '));
  });
}

interface SimCliOptions extends ReferenceCliOptions {
  input: string;
  output?: string;
  report?: string;
  trace?: string;
  traceSamples: string;
  invoke: 'model' | 'all';
  threshold?: number;
  npu?: string;
  quiet?: boolean;
  shadow?: 'fp32';
  referencePath?: boolean;
}
