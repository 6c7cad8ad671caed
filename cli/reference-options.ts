// The options that judge a run's outputs, shared by `axc sim` and `axc tune`: --reference, --metric, --bound,
// and how they resolve against what the binary records of its model (benchmark and quality line).

import { statSync } from 'node:fs';
import { Option } from 'commander';
import { findBenchmark } from '../benchmarks/registry.ts';
import { DIAG } from '../diagnostics/catalog.ts';
import { describeFsError, fail } from '../diagnostics/diagnostic.ts';
import { DECIMAL_NUMBER } from '../ir/float-text.ts';
import { METRICS, type Metric, type Quality } from '../ir/model.ts';
import type { BinaryMeta } from '../isa/container.ts';
import type { ReferenceSource } from '../simulator/reference-rows.ts';

export interface ReferenceCliOptions {
  input: string;
  reference?: string;
  metric?: Metric;
  bound?: string;
}

export function referenceOptions(required: boolean): Option[] {
  const reference = new Option(
    '--reference <file|exact>',
    "the exact outputs to judge H(x) against: a file with one row per input sample (AxBench .y files work; '-' reads stdin), or 'exact' to compute them with the benchmark the model names",
  );
  if (required) reference.makeOptionMandatory();
  return [
    reference,
    new Option('--metric <metric>', "the error metric (default: the model's quality line)").choices(METRICS),
    new Option('--bound <B>', "the error bound: a sample is safe when Err < B (default: the model's quality line)"),
  ];
}

/** The reference and the metric it is judged by, or null without --reference. Fails with a usage error when they cannot be resolved. */
export function resolveReference(meta: BinaryMeta, opts: ReferenceCliOptions): { source: ReferenceSource; quality: Quality } | null {
  if (opts.reference === undefined) {
    if (opts.metric !== undefined || opts.bound !== undefined) fail(DIAG.judgingWithoutReference, undefined);
    return null;
  }
  let bound: number | undefined;
  if (opts.bound !== undefined) {
    bound = DECIMAL_NUMBER.test(opts.bound) ? Number(opts.bound) : NaN;
    if (!(Number.isFinite(bound) && bound > 0)) fail(DIAG.badBoundOption, undefined, opts.bound);
  }
  const metric = opts.metric ?? meta.quality?.metric;
  bound ??= meta.quality?.bound;
  if (metric === undefined || bound === undefined) {
    if (!meta.quality && opts.metric === undefined && opts.bound === undefined) fail(DIAG.noQualityMetric, undefined, meta.model);
    fail(DIAG.qualityHalfGiven, undefined, meta.model, metric === undefined ? 'metric' : 'bound');
  }
  if (opts.reference === 'exact') {
    const benchmark = meta.benchmark ? findBenchmark(meta.benchmark) : undefined;
    if (!benchmark) fail(DIAG.referenceNoBenchmark, undefined, meta.model);
    return { source: { kind: 'exact', benchmark }, quality: { metric, bound } };
  }
  if (opts.reference === '-' && opts.input === '-') fail(DIAG.stdinTwice, undefined);
  if (opts.reference !== '-') {
    // Found before the run, not at the first sample, when rows may already have gone to stdout. (A stat does
    // not open the file, so a FIFO is not blocked on here.)
    let isDirectory = false;
    try {
      isDirectory = statSync(opts.reference).isDirectory();
    } catch (e) {
      fail(DIAG.fileUnreadable, undefined, opts.reference, describeFsError(e));
    }
    if (isDirectory) fail(DIAG.fileUnreadable, undefined, opts.reference, 'it is a directory');
  }
  return { source: { kind: 'file', path: opts.reference }, quality: { metric, bound } };
}
