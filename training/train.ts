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
import type { ControlChoice, DecisionKind, NetSpec } from './network.ts';
import { trainAxnet } from './train-axnet.ts';
import { DEFAULT_ROUNDS, trainIterative } from './train-iterative.ts';
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
  /** The decision: 2-way softmax (default) or 1 sigmoid output. */
  decision?: DecisionKind;
  metric?: Metric;
  bound?: number;
  seed?: number;
  /** Epochs per phase: axnet/shared train jointly this long; onepass trains each subnet this long; iterative per round. */
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  /** iterative only: number of rounds (default 3). */
  rounds?: number;
  /** Training data. */
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
  decision: DecisionKind;
  quality: Quality;
  seed: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  rounds: number | null;
  /** Upper bound of the epochs reported through onProgress. */
  plannedEpochs: number;
}

export interface TrainMetrics extends Metrics {
  /** Wall-clock seconds of training (not of the evaluation). */
  trainingSeconds: number;
}

export interface TrainOutcome {
  model: AxModel;
  metrics: TrainMetrics;
  history: EpochRecord[];
  options: ResolvedTrainOptions;
  /** The tfjs backend that trained it ('tensorflow', 'wasm' or 'cpu'). */
  backend: string;
  notes: Record<string, unknown>;
}

/** Epochs a run reports at most: onepass trains two subnets in turn; iterative two per round. */
export function plannedEpochs(method: Method, epochs: number, rounds = DEFAULT_ROUNDS): number {
  return method === 'onepass' ? 2 * epochs : method === 'iterative' ? 2 * epochs * rounds : epochs;
}

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
  if (o.method === 'axnet') {
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
  const rounds = o.method === 'iterative' ? (o.rounds ?? DEFAULT_ROUNDS) : null;
  if (rounds !== null) positive('rounds', rounds, true);
  if (data.n < 2) fail(DIAG.trainDataTooSmall, undefined, 'the training set', data.n, 2);
  if (test.n < 1) fail(DIAG.trainDataTooSmall, undefined, 'the test set', test.n, 1);
  return { bench: o.bench, method: o.method, approx, predict, control, decision, quality: { metric, bound }, seed, epochs, batchSize, learningRate, rounds, plannedEpochs: plannedEpochs(o.method, epochs, rounds ?? DEFAULT_ROUNDS) };
}

function rowsOf(d: Dataset): Rows {
  return { n: d.n, x: d.x, xWidth: d.inputWidth, y: d.y, yWidth: d.outputWidth };
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
  };
  const history: EpochRecord[] = [];
  const ctx: TrainerContext = {
    tf,
    spec,
    train: rowsOf(opts.data),
    quality: r.quality,
    epochs: r.epochs,
    batchSize: r.batchSize,
    learningRate: r.learningRate,
    seed: r.seed,
    onEpoch: (rec) => {
      if (!Number.isFinite(rec.loss)) fail(DIAG.trainDiverged, undefined, rec.epoch, rec.phase);
      opts.onProgress?.(rec.epoch, rec.loss, rec.trueInvocation ?? rec.predictedInvocation, rec);
    },
  };
  const started = performance.now();
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
  const trainingSeconds = (performance.now() - started) / 1000;
  history.push(...result.history);
  const model = result.net.toAxModel({ name: r.bench, quality: r.quality, benchmark: findBenchmark(r.bench) ? r.bench : undefined });
  result.net.dispose();
  const metrics: TrainMetrics = { ...evaluateModel(model, opts.test, r.quality), trainingSeconds };
  return { model, metrics, history, options: r, backend, notes: result.notes };
}
