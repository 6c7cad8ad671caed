// The schema of results.json: every training run of `npm run experiments`, and the tables derived from them
// (summary, paired differences, Table I, matched invocation, training-time ratios, training curves). The
// markdown, the figures and the README's reading of the results are all rendered from this one file.

/** One training run: one benchmark × method × configuration × (split seed, initialisation seed). */
export interface RunRecord {
  benchmark: string;
  method: string;
  /**
   * What was trained: 'base' (a baseline on its paper topology), 'matched' (AXNet at the baseline's parameter
   * count, Table I), 'matched-bias1' (the same, control segments starting at 1), 'w<N>' (AXNet with every hidden
   * layer N wide: the size sweep), 'control-all' | 'control-first' | 'control-second' (Fig. 10c), and
   * '<config>/splits' (the split-variation runs: other split seeds, initialisation seed fixed).
   */
  config: string;
  splitSeed: number;
  initSeed: number;
  /** Approximator widths (input, hidden..., output) and predictor widths (input, hidden...). */
  approx: number[];
  predict: number[];
  /** AXNet's initial control-segment bias; null for the methods without control vectors. */
  controlBias: number | null;
  trueInvocation: number;
  predictedInvocation: number;
  /** (predicted and safe) / N: the paper's text. */
  predictionAccuracy: number;
  /** (predicted = safe) / N: the authors' and Xu et al.'s code. */
  agreement: number;
  /** (predicted and safe) / predicted; null when nothing was predicted safe. */
  precision: number | null;
  /** (predicted and safe) / safe; null when no test sample was safe. */
  recall: number | null;
  /** Mean Err over the invoked test samples; null when none was invoked. */
  approximationError: number | null;
  /** Mean Err of what the user receives (0 where the CPU computed): the "overall error". */
  finalError: number;
  /** The quality bound the run was trained and judged against, and its metric. */
  bound: number;
  metric: string;
  /** 1 when the predictor collapsed (predicted invocation 0), else 0: its mean is the collapse rate. */
  collapsed: number;
  /** Trainable values of the network as trained (a shared layer counts once). */
  parameters: number;
  /** Training wall-clock seconds for the whole budget (validation excluded). */
  trainSeconds: number;
  /** Training seconds until the plateau on validation prediction accuracy (README states the criterion). */
  plateauSeconds: number;
  /** The checkpoint kept (by validation prediction accuracy), counted in epochs over the whole run. */
  selectedEpoch: number;
  /** From the NPU simulator on the test rows (default hardware): CPU-only cycles / cycles. */
  speedup: number;
  /** Energy / CPU-only energy. */
  normalizedEnergy: number;
  /** speedup / normalizedEnergy. */
  energyEfficiency: number;
  /** energyEfficiency with the CPU's energy per cycle halved and doubled: the sensitivity band. */
  energyEfficiencyCpuHalf: number;
  energyEfficiencyCpuDouble: number;
}

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
