// `axc tune`: picks the predictor's decision threshold that invokes the NPU most while meeting a quality
// target on calibration data, judges it on held-out rows, and writes the binary with only that threshold changed.

import { Command } from 'commander';
import { DIAG } from '../../diagnostics/catalog.ts';
import { fail } from '../../diagnostics/diagnostic.ts';
import { DECIMAL_NUMBER } from '../../ir/float-text.ts';
import { packBinary } from '../../isa/container.ts';
import { decisionInstructions, withDecisionThreshold } from '../../isa/decision-threshold.ts';
import { chooseThreshold, judgeThreshold, meetsTarget, TARGET_FIGURE, targetFigure, type ThresholdOutcome, type TuneTarget } from '../../quality/choose-threshold.ts';
import { splitHoldout } from '../../quality/holdout-split.ts';
import { formatError, describeBound } from '../../simulator/format-quality.ts';
import { formatCount as count, formatPercent as pct } from '../../simulator/format-quantities.ts';
import { readSamples } from '../../simulator/read-samples.ts';
import { referenceRows } from '../../simulator/reference-rows.ts';
import { scoreSamples } from '../../simulator/score-samples.ts';
import { confirmWritten, quietOption } from '../confirm-written.ts';
import { releaseInputOnInterrupt } from '../interrupt.ts';
import { readBinaryFile } from '../load-binary.ts';
import { simulationProgress } from '../progress.ts';
import { referenceOptions, resolveReference, type ReferenceCliOptions } from '../reference-options.ts';
import { refuseOverwrite } from '../refuse-overwrite.ts';
import { AtomicWriter, writeFileAtomic } from '../write-atomic.ts';
import { warn } from '../warn.ts';
import { MAX_SEED, parseSeed } from '../../ir/seeded-random.ts';

/** Below this many calibration rows, the choice is warned about. */
const FEW_CALIBRATION_ROWS = 100;

interface TuneCliOptions extends ReferenceCliOptions {
  target: string;
  output: string;
  holdout: string;
  seed: string;
  plot?: string;
  npu?: string;
  quiet?: boolean;
}

/** `violations<=R` or `error<=E`. */
export function parseTarget(text: string): TuneTarget {
  const m = /^\s*(violations|error)\s*<=\s*(\S+)\s*$/.exec(text);
  const max = m && DECIMAL_NUMBER.test(m[2]) ? Number(m[2]) : NaN;
  if (!m || !Number.isFinite(max) || max < 0 || (m[1] === 'violations' && max > 1))
    fail(DIAG.badTarget, undefined, text);
  return { kind: m[1] as TuneTarget['kind'], max };
}

function parseHoldout(text: string): number {
  const f = DECIMAL_NUMBER.test(text) ? Number(text) : NaN;
  if (!(f >= 0 && f < 1)) fail(DIAG.badHoldout, undefined, text);
  return f;
}

function seedOption(text: string): number {
  return parseSeed(text) ?? fail(DIAG.badTuneSeed, undefined, text, MAX_SEED);
}

/** One line of figures for a set of rows under a threshold. */
function describeOutcome(o: ThresholdOutcome, rows: number): string {
  const rate = o.violationRate === null ? 'n/a' : pct(o.violationRate);
  const error = o.error === null ? 'n/a' : formatError(o.error);
  return `${count(rows)} rows: invocation ${pct(o.invocation)} (${count(o.invoked)}), violation rate ${rate} (${count(o.violations)}), mean error ${error}`;
}

export function tuneCommand(): Command {
  const cmd = new Command('tune')
    .description("choose the predictor's decision threshold that invokes the NPU most while meeting a quality target")
    .argument('<prog.bin>', 'the binary to tune')
    .requiredOption('-i, --input <file>', "calibration samples, one per line (AxBench .x files work); '-' reads stdin")
    .requiredOption('--target <spec>', 'violations<=R: at most a fraction R of delivered outputs break the bound; error<=E: their mean error is at most E')
    .requiredOption('-o, --output <tuned.bin>', 'the tuned binary: the input binary with only the threshold changed')
    .option('--holdout <F>', 'fraction of the rows (seeded) kept out of the choice and used to judge it', '0.2')
    .option('--seed <N>', 'seed of the holdout split', '1')
    .option('--plot <curve.svg>', 'draw invocation and the target figure against the threshold (SVG)')
    .option('--npu <hw.json>', 'refuse the binary unless it was compiled for this hardware')
    .addOption(quietOption())
    .addHelpText('after', '\nExample:\n  axc tune sobel.bin --input train.x --reference train.y --target "violations<=0.05" -o sobel-tuned.bin --plot curve.svg');
  for (const o of referenceOptions(true)) cmd.addOption(o);
  return cmd.action(async (binPath: string, opts: TuneCliOptions) => {
    const target = parseTarget(opts.target);
    const holdout = parseHoldout(opts.holdout);
    const seed = seedOption(opts.seed);
    refuseOverwrite(
      [{ role: 'the binary', path: binPath }, { role: '--input', path: opts.input }, { role: '--npu', path: opts.npu }, { role: '--reference', path: opts.reference === 'exact' ? undefined : opts.reference }],
      [{ role: '--output', path: opts.output }, { role: '--plot', path: opts.plot }],
    );
    const bin = readBinaryFile(binPath, opts.npu);
    const decisions = decisionInstructions(bin);
    if (decisions.length === 0) fail(DIAG.tuneNoDecision, undefined, binPath);
    const kind = decisions[0].kind;
    if (decisions.some((d) => d.kind !== kind)) fail(DIAG.tuneMixedDecisions, undefined, binPath);
    const judge = resolveReference(bin.meta, opts)!;
    const releaseInput = releaseInputOnInterrupt(opts.input);
    const releaseReference = judge.source.kind === 'file' ? releaseInputOnInterrupt(judge.source.path) : () => {};
    const progress = simulationProgress(opts.input);
    let scored;
    try {
      scored = await scoreSamples(bin, readSamples(opts.input, bin.meta.inputWidth, progress?.consumed), { rows: referenceRows(judge.source, bin.meta.outputWidth), quality: judge.quality }, progress ? (n) => progress.update(n) : undefined);
    } finally {
      progress?.stop();
      releaseInput();
      releaseReference();
    }
    const n = scored.scores.length;
    const { calibration, holdout: held } = splitHoldout(n, holdout, seed);
    if (calibration.length === 0) fail(DIAG.holdoutLeavesNothing, undefined, opts.holdout, n);
    // A handful of rows can be met by luck; say so rather than refuse, since a small set may be all there is.
    if (calibration.length < FEW_CALIBRATION_ROWS)
      warn(DIAG.fewCalibrationRows, calibration.length);
    const { chosen, best, curve } = chooseThreshold(kind, scored, calibration, target);
    const was = decisions.map((d) => d.threshold);
    const targetText = `${target.kind}<=${target.max}`;
    if (!chosen) {
      const figure = TARGET_FIGURE[target.kind];
      const value = best ? targetFigure(best, target) : null;
      const bestText =
        best && value !== null
          ? `the best achievable ${figure} is ${target.kind === 'violations' ? pct(value) : formatError(value)} (threshold ${best.threshold}, invocation ${pct(best.invocation)}), judged by ${describeBound(judge.quality)}`
          : 'no threshold invokes any sample';
      fail(DIAG.targetUnreachable, undefined, targetText, calibration.length, bestText);
    }
    const out: string[] = [];
    out.push(`target       ${targetText}: the ${TARGET_FIGURE[target.kind]} of the delivered outputs, judged by ${describeBound(judge.quality)}`);
    const t = chosen.threshold;
    out.push(`threshold    ${t} (${kind} decision; was ${[...new Set(was)].join(', ')})`);
    out.push(`calibration  ${describeOutcome(chosen, calibration.length)}`);
    if (held.length > 0) {
      const h = judgeThreshold(kind, t, scored, held);
      out.push(`holdout      ${describeOutcome(h, held.length)}${h.invoked > 0 && !meetsTarget(h, target) ? `  [misses the target on held-out rows]` : ''}`);
    } else out.push('holdout      none (--holdout 0): the figures above are judged on the rows the threshold was chosen on');
    const tuned = packBinary(withDecisionThreshold(bin, t));
    if (opts.plot) {
      const { renderSvg } = await import('../../plot/render-svg.ts');
      const { thresholdCurveSpec } = await import('../../plot/threshold-curve.ts');
      const svg = await renderSvg(thresholdCurveSpec(curve, target, t, `${bin.meta.model}: threshold against ${targetText} (${count(calibration.length)} calibration rows)`));
      const plot = new AtomicWriter(opts.plot);
      try {
        await plot.write(svg);
        writeFileAtomic(opts.output, tuned);
        await plot.commit();
      } catch (e) {
        plot.abort();
        throw e;
      }
    } else writeFileAtomic(opts.output, tuned);
    process.stdout.write(out.join('\n') + '\n');
    confirmWritten(opts, [opts.output, opts.plot].filter(Boolean).join(', '));
  });
}
