// The training entry point: options (with per-benchmark defaults) checked once, the chosen method run on
// tfjs, the result exported to an AxModel and measured on the test set with the reference interpreter.

import type { Dataset } from '../benchmarks/dataset.ts';
import { findBenchmark } from '../benchmarks/registry.ts';
import { DIAG } from '../diagnostics/catalog.ts';
import { fail } from '../diagnostics/diagnostic.ts';
import { MAX_LAYER_WIDTH } from '../arch/limits.ts';
import { METRICS, type AxModel, type Metric, type Quality } from '../ir/model.ts';
import { loadTfjs } from '../tfjs-runtime/load-tfjs.ts';
import { BENCH_DEFAULTS, DEFAULT_LEARNING_RATE, DEFAULT_SEED } from './defaults.ts';
import { evaluateModel, type Metrics } from './metrics.ts';
import type { Rows } from './minibatch.ts';
import { CONTROL_BIAS, type ControlChoice, type DecisionKind, type NetSpec } from './network.ts';
import { trainAxnet } from './train-axnet.ts';
import { DEFAULT_ROUNDS, roundEpochs, trainIterative } from './train-iterative.ts';
import { ValidationCheckpoints, type Checkpoint } from './checkpoints.ts';
import { gatherRows } from './minibatch.ts';
import { splitHoldout } from '../quality/holdout-split.ts';
import { trainOnepass } from './train-onepass.ts';
import { trainShared } from './train-shared.ts';
import type { EpochRecord, TrainerContext, TrainerResult } from './trainer.ts';
import { isSeed, MAX_SEED } from '../ir/seeded-random.ts';

export const METHODS = ['axnet', 'onepass', 'iterative', 'shared'] as const;
export type Method = (typeof METHODS)[number];

export interface TrainOptions {
  bench: string;
  method: Method;
  /** Approximator widths: input, hidden..., output (e.g. [9, 8, 1]). Default: the benchmark's. */
  approx?: number[];
  /** Predictor widths: input, hidden... (e.g. [9, 8]). Default: the benchmark's. */
  predict?: number[];
  /** axnet only: gate every hidden layer ('all', the default) or hidden layer k (1-based). */
  control?: 'all' | number;
  /** axnet only: the control segments' initial bias (default CONTROL_BIAS, 0). */
  controlBias?: number;
  /** The decision: 2-way softmax (default) or 1 sigmoid output. */
  decision?: DecisionKind;
  metric?: Metric;
  bound?: number;
  seed?: number;
  /** Seed of the validation rows held out of `data` (default: `seed`); fix it to vary only the initialisation. */
  validationSeed?: number;
  /** Epochs per phase: axnet/shared train jointly this long; onepass trains each subnet this long; iterative per round. */
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  /** iterative only: number of rounds (default 8). */
  rounds?: number;
  /** Training data; VALIDATION_FRACTION of it is held out for checkpoint selection. */
  data: Dataset;
  /** Held-out test data the metrics are measured on. */
  test: Dataset;
  onProgress?(epoch: number, loss: number, invocation: number | null, record: EpochRecord): void;
}

/** The options as used, after defaults: what a run's summary records. */
export interface ResolvedTrainOptions {
  bench: string;
  method: Method;
  approx: number[];
  predict: number[];
  control: 'all' | number | 'none';
  /** The control segments' initial bias; null for a network without control vectors. */
  controlBias: number | null;
  decision: DecisionKind;
  quality: Quality;
  seed: number;
  validationSeed: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  rounds: number | null;
  /** Upper bound of the epochs reported through onProgress. */
  plannedEpochs: number;
}

export interface TrainMetrics extends Metrics {
  /** Wall-clock seconds of training for the whole budget (not of the validation passes or the evaluation). */
  trainingSeconds: number;
  /** Training seconds until validation prediction accuracy reached its plateau (training/checkpoints.ts). */
  plateauSeconds: number;
  /** The validation checkpoint kept. */
  selectedEpoch: number;
}

export interface TrainOutcome {
  model: AxModel;
  metrics: TrainMetrics;
  history: EpochRecord[];
  /** The validation checkpoints, in order. */
  curve: Checkpoint[];
  options: ResolvedTrainOptions;
  /** The tfjs backend that trained it ('tensorflow', 'wasm' or 'cpu'). */
  backend: string;
  notes: Record<string, unknown>;
}

/** Epochs a run reports at most: onepass trains two subnets in turn; iterative two per round. */
export function plannedEpochs(method: Method, epochs: number, rounds = DEFAULT_ROUNDS): number {
  if (method === 'onepass') return 2 * epochs;
  if (method !== 'iterative') return epochs;
  let n = 0;
  for (let r = 1; r <= rounds; r++) n += 2 * roundEpochs(epochs, r);
  return n;
}

/** The share of the training data held out as validation rows for checkpoint selection, for every method. */
export const VALIDATION_FRACTION = 0.1;

const topo = (t: number[]) => t.join('-');

function checkWidths(which: string, t: number[]): void {
  for (const w of t) {
    if (!Number.isInteger(w) || w < 1 || w > MAX_LAYER_WIDTH) fail(DIAG.topologyWidths, undefined, which, topo(t), MAX_LAYER_WIDTH);
  }
}

function positive(name: string, v: number, integer: boolean): void {
  if (!Number.isFinite(v) || v <= 0 || (integer && !Number.isInteger(v))) fail(DIAG.trainNotPositive, undefined, name, integer, v);
}

/** Fills in the benchmark's defaults and checks every option; bad options throw AxcError (AXT9xx). */
export function resolveTrainOptions(o: TrainOptions): ResolvedTrainOptions {
  const d = BENCH_DEFAULTS[o.bench];
  if (!d && (!o.approx || !o.predict || o.metric === undefined || o.bound === undefined)) {
    fail(DIAG.trainNoDefaults, undefined, o.bench, Object.keys(BENCH_DEFAULTS).join(', '));
  }
  if (!METHODS.includes(o.method)) fail(DIAG.trainUnknownMethod, undefined, o.method, METHODS.join(', '));
  const approx = o.approx ?? d.approx;
  const predict = o.predict ?? d.predict;
  checkWidths('approximator', approx);
  checkWidths('predictor', predict);
  const { data, test } = o;
  if (approx.length < 3) fail(DIAG.approximatorTooShort, undefined, topo(approx));
  if (predict.length < 1) fail(DIAG.predictorTooShort, undefined, topo(predict));
  if (approx[0] !== data.inputWidth || approx[approx.length - 1] !== data.outputWidth) {
    fail(DIAG.approximatorDataWidths, undefined, topo(approx), data.inputWidth, data.outputWidth);
  }
  if (predict[0] !== data.inputWidth) fail(DIAG.predictorDataWidth, undefined, topo(predict), data.inputWidth);
  if (test.inputWidth !== data.inputWidth || test.outputWidth !== data.outputWidth) fail(DIAG.trainTestShape, undefined);
  const hidden = approx.length - 2;
  let control: ResolvedTrainOptions['control'] = 'none';
  let controlBias: number | null = null;
  if (o.controlBias !== undefined && (o.method !== 'axnet' || !Number.isFinite(o.controlBias))) fail(DIAG.trainBadControlBias, undefined, o.method, o.controlBias);
  if (o.method === 'axnet') {
    controlBias = o.controlBias ?? CONTROL_BIAS;
    control = o.control ?? 'all';
    if (control !== 'all' && !(Number.isInteger(control) && control >= 1 && control <= hidden)) {
      fail(DIAG.trainBadControl, undefined, hidden, topo(approx), control);
    }
  } else if (o.control !== undefined && o.control !== 'all') {
    // 'all' is the CLI default; a specific layer only means something for AXNet
    fail(DIAG.trainControlNeedsAxnet, undefined, o.method);
  }
  if (o.method === 'shared' && (predict.length < 2 || predict[1] !== approx[1])) {
    fail(DIAG.predictorNotShared, undefined, topo(predict), approx[0], approx[1]);
  }
  const decision = o.decision ?? 'softmax';
  if (decision !== 'softmax' && decision !== 'sigmoid') fail(DIAG.trainUnknownDecision, undefined, decision);
  const metric = o.metric ?? d.metric;
  if (!METRICS.includes(metric)) fail(DIAG.trainUnknownMetric, undefined, metric, METRICS.join(', '));
  const bound = o.bound ?? d.bound;
  positive('the error bound', bound, false);
  const epochs = o.epochs ?? d.epochs;
  positive('epochs', epochs, true);
  const batchSize = o.batchSize ?? d.batchSize;
  positive('the batch size', batchSize, true);
  const learningRate = o.learningRate ?? d?.learningRate ?? DEFAULT_LEARNING_RATE;
  positive('the learning rate', learningRate, false);
  const seed = o.seed ?? DEFAULT_SEED;
  if (!isSeed(seed)) fail(DIAG.trainBadSeed, undefined, MAX_SEED, seed);
  const validationSeed = o.validationSeed ?? seed;
  if (!isSeed(validationSeed)) fail(DIAG.trainBadSeed, undefined, MAX_SEED, validationSeed);
  const rounds = o.method === 'iterative' ? (o.rounds ?? DEFAULT_ROUNDS) : null;
  if (rounds !== null) positive('rounds', rounds, true);
  if (data.n < 10) fail(DIAG.trainDataTooSmall, undefined, 'the training set', data.n, 10); // one row or more is held out for validation
  if (test.n < 1) fail(DIAG.trainDataTooSmall, undefined, 'the test set', test.n, 1);
  return { bench: o.bench, method: o.method, approx, predict, control, controlBias, decision, quality: { metric, bound }, seed, validationSeed, epochs, batchSize, learningRate, rounds, plannedEpochs: plannedEpochs(o.method, epochs, rounds ?? DEFAULT_ROUNDS) };
}

function rowsOf(d: Dataset, idx?: ArrayLike<number>): Rows {
  if (!idx) return { n: d.n, x: d.x, xWidth: d.inputWidth, y: d.y, yWidth: d.outputWidth };
  return { n: idx.length, x: gatherRows(d.x, d.inputWidth, idx), xWidth: d.inputWidth, y: gatherRows(d.y, d.outputWidth, idx), yWidth: d.outputWidth };
}

export async function trainModel(opts: TrainOptions): Promise<TrainOutcome> {
  const r = resolveTrainOptions(opts);
  const { tf, backend } = await loadTfjs();
  const spec: NetSpec = {
    inputWidth: r.approx[0],
    outputWidth: r.approx[r.approx.length - 1],
    approxHidden: r.approx.slice(1, -1),
    predictHidden: r.predict.slice(1),
    control: r.control as ControlChoice,
    decision: r.decision,
    ...(r.controlBias !== null ? { controlBias: r.controlBias } : {}),
  };
  // The validation rows come from their own seed, so a fixed split can be trained from many initialisations.
  const held = splitHoldout(opts.data.n, VALIDATION_FRACTION, (r.validationSeed ^ 0x2545f491) >>> 0);
  const validation = rowsOf(opts.data, held.holdout);
  const checkpoints = new ValidationCheckpoints(tf, validation, r.quality);
  const history: EpochRecord[] = [];
  const ctx: TrainerContext = {
    tf,
    spec,
    train: rowsOf(opts.data, held.calibration),
    quality: r.quality,
    epochs: r.epochs,
    batchSize: r.batchSize,
    learningRate: r.learningRate,
    seed: r.seed,
    onEpoch: (rec) => {
      if (!Number.isFinite(rec.loss)) fail(DIAG.trainDiverged, undefined, rec.epoch, rec.phase);
      opts.onProgress?.(rec.epoch, rec.loss, rec.trueInvocation ?? rec.predictedInvocation, rec);
    },
    checkpoint: (net, epoch) => checkpoints.check(net, epoch),
  };
  let result: TrainerResult;
  switch (r.method) {
    case 'axnet':
      result = trainAxnet(ctx);
      break;
    case 'shared':
      result = trainShared(ctx);
      break;
    case 'onepass':
      result = trainOnepass(ctx);
      break;
    case 'iterative':
      result = trainIterative(ctx, r.rounds!);
      break;
  }
  history.push(...result.history);
  const selection = checkpoints.restoreBest(result.net);
  const parameters = result.net.parameterCount();
  const model = result.net.toAxModel({ name: r.bench, quality: r.quality, benchmark: findBenchmark(r.bench) ? r.bench : undefined });
  result.net.dispose();
  if (!selection) throw new Error(`${r.method} trained no whole model to checkpoint`);
  const metrics: TrainMetrics = {
    ...evaluateModel(model, opts.test, r.quality),
    parameters,
    trainingSeconds: selection.trainSeconds,
    plateauSeconds: selection.plateauSeconds,
    selectedEpoch: selection.selected.epoch,
  };
  return { model, metrics, history, curve: selection.curve, options: r, backend, notes: result.notes };
}
