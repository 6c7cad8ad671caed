// The schema of results.json: every training run of `npm run experiments`, and the tables derived from them
// (summary, paired differences, Table I, matched invocation, training-time ratios, training curves). The
// markdown, the figures and the README's reading of the results are all rendered from this one file.

import type { TrainResult } from '../sweep/run-training-cell.ts';

/**
 * One training run: one benchmark × method × configuration × (split seed, initialisation seed), as its cell
 * measured it (sweep/run-training-cell.ts), less the validation curve (averaged into `curves`) and the backend.
 * `config` is 'base' (a baseline on its paper topology), 'matched' (AXNet at the baseline's parameter count,
 * Table I), 'matched-bias1' (the same, control segments starting at 1), 'w<N>' (AXNet with every hidden layer N
 * wide: the size sweep), 'control-all' | 'control-first' | 'control-second' (Fig. 10c), or '<config>/splits'
 * (the split-variation runs: split seeds varied, initialisation seed fixed).
 */
export type RunRecord = Omit<TrainResult, 'bench' | 'curve' | 'backend'> & {
  benchmark: string;
  /** 1 when the predictor collapsed (predicted invocation 0), else 0: its mean is the collapse rate. */
  collapsed: number;
  /** 1 when the predictor invokes every test row (the paper's saturation), else 0: its mean is the saturation rate. */
  saturated: number;
};

/** The metrics summarised per cell (keys of RunRecord with a number, or null, per run). */
export const SUMMARY_METRICS = [
  'trueInvocation',
  'predictedInvocation',
  'predictionAccuracy',
  'agreement',
  'precision',
  'recall',
  'approximationError',
  'finalError',
  'collapsed',
  'saturated',
  'parameters',
  'trainSeconds',
  'plateauSeconds',
  'speedup',
  'normalizedEnergy',
  'energyEfficiency',
  'energyEfficiencyCpuHalf',
  'energyEfficiencyCpuDouble',
] as const satisfies readonly (keyof RunRecord)[];

export type SummaryMetric = (typeof SUMMARY_METRICS)[number];

/** One cell and metric: the mean over its runs with a 95% Student-t interval (runs whose value is null left out). */
export interface SummaryRow {
  benchmark: string;
  method: string;
  config: string;
  metric: SummaryMetric;
  mean: number;
  ciLow: number;
  ciHigh: number;
  n: number;
}

/** AXNet (config 'matched') − a baseline over the same initialisation seeds, with a paired bootstrap 95% CI. */
export interface PairedRow {
  benchmark: string;
  baseline: string;
  metric: SummaryMetric;
  mean: number;
  ciLow: number;
  ciHigh: number;
  n: number;
}

/** Table I: the baseline topology and the AXNet topology matched to its parameter count (within ±3%). */
export interface TopologyRow {
  benchmark: string;
  baselineApprox: number[];
  baselinePredict: number[];
  baselineParameters: number;
  axnetApprox: number[];
  axnetPredict: number[];
  axnetParameters: number;
  /** (axnet − baseline) / baseline. */
  difference: number;
}

/** Fig. 10a left: the smallest swept AXNet whose mean true invocation is within 5 points of iterative's. */
export interface MatchedInvocationRow {
  benchmark: string;
  iterativeTrueInvocation: number;
  /** The chosen configuration, or null when no swept size comes within 5 points. */
  config: string | null;
  axnetTrueInvocation: number | null;
  /**
   * AXNet parameters / iterative parameters, with a 95% CI from resampling the seeds and choosing again. A
   * resample in which no size qualifies counts as an infinite ratio, so ciHigh may be +Infinity (null in JSON).
   */
  parameterRatio: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  n: number;
}

/** Fig. 10a right: AXNet's plateau time / iterative's, per seed (neither collapsed), summarised with a 95% t-interval. */
export interface TimeRatioRow {
  benchmark: string;
  mean: number;
  ciLow: number;
  ciHigh: number;
  n: number;
}

/** Fig. 2: validation invocation during training, averaged over the seeds, per epoch. */
export interface CurvePoint {
  benchmark: string;
  method: string;
  epoch: number;
  trueInvocation: number;
  predictedInvocation: number;
  n: number;
}

export interface ExperimentResults {
  command: string;
  data: string;
  backend: string;
  splitSeed: number;
  initSeeds: number[];
  splitSeeds: number[];
  budget: string;
  startedAt: string;
  seconds: number;
  /** Benchmarks run on generated data although AxBench data was given, and why. */
  generatedInstead: { benchmark: string; reason: string }[];
  runs: RunRecord[];
  summary: SummaryRow[];
  paired: PairedRow[];
  tableI: TopologyRow[];
  matchedInvocation: MatchedInvocationRow[];
  timeRatio: TimeRatioRow[];
  curves: CurvePoint[];
}
