// `axc train`: trains an AXNet (or a baseline) for a benchmark on tfjs and writes model.axn, its weights file
// and a summary JSON (metrics on the held-out test split, method, topology, budget, seed, tfjs backend).

import { readdirSync } from 'node:fs';
import path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { generateDataset } from '../../benchmarks/generators/generate.ts';
import { loadDataFolder } from '../../benchmarks/load-data-folder.ts';
import { BENCHMARKS } from '../../benchmarks/registry.ts';
import { DIAG } from '../../diagnostics/catalog.ts';
import { fail } from '../../diagnostics/diagnostic.ts';
import { printModel } from '../../frontend/print-model.ts';
import { writeWeightsFile } from '../../frontend/weights-file.ts';
import { METRICS, type Metric } from '../../ir/model.ts';
import { BENCH_DEFAULTS, DEFAULT_LEARNING_RATE, DEFAULT_SEED, GENERATED_SAMPLES } from '../../training/defaults.ts';
import { splitTrainTest, TEST_FRACTION } from '../../training/split-dataset.ts';
import { METHODS, plannedEpochs, trainModel, VALIDATION_FRACTION, type Method, type TrainOutcome } from '../../training/train.ts';
import { CONTROL_BIAS } from '../../training/network.ts';
import { DEFAULT_ROUNDS } from '../../training/train-iterative.ts';
import { confirmWritten, quietOption } from '../confirm-written.ts';
import { refuseOverwrite } from '../refuse-overwrite.ts';
import { startProgressBar, type ProgressBar } from '../progress.ts';
import { AtomicWriter } from '../write-atomic.ts';
import { formatPercent } from '../../simulator/format-quantities.ts';
import { MAX_SEED, parseSeed } from '../../ir/seeded-random.ts';

interface TrainCliOptions {
  bench: string;
  method: Method;
  approx?: number[];
  predict?: number[];
  control: 'all' | number;
  controlBias?: number;
  decision: 'softmax' | 'sigmoid';
  metric?: Metric;
  bound?: number;
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  rounds?: number;
  seed: number;
  data?: string;
  samples: number;
  output: string;
  quiet?: boolean;
}

function parseTopology(v: string): number[] {
  if (!/^\d+(-\d+)+$/.test(v.trim())) throw new InvalidArgumentError('a topology is layer widths joined by dashes, e.g. 9-8-1.');
  return v.trim().split('-').map(Number);
}

function parseControl(v: string): 'all' | number {
  if (v === 'all') return 'all';
  if (!/^\d+$/.test(v) || Number(v) < 1) throw new InvalidArgumentError("expected 'all' or a 1-based hidden layer number.");
  return Number(v);
}

const positiveNumber = (integer: boolean) => (v: string) => {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) throw new InvalidArgumentError(`expected a positive ${integer ? 'integer' : 'number'}.`);
  return n;
};

function finiteNumber(v: string): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError('expected a number.');
  return n;
}

function seedArgument(v: string): number {
  const seed = parseSeed(v);
  if (seed === null) throw new InvalidArgumentError(`expected an integer from 0 to ${MAX_SEED}.`);
  return seed;
}

function fixed(v: number | null, digits = 4): string {
  return v === null ? 'n/a' : v.toFixed(digits);
}


/** The files `--data` may read: the folder's files, or the one file it names. */
function dataFiles(data: string | undefined): string[] {
  if (!data) return [];
  try {
    return readdirSync(data).map((f) => path.join(data, f));
  } catch {
    return [data];
  }
}

/** The files `-o model.axn` produces: the model, `<stem>.weights.json` and `<stem>.summary.json` beside it. */
export function trainOutputPaths(output: string): { model: string; weights: string; weightsName: string; summary: string } {
  const dir = path.dirname(output);
  const stem = path.basename(output).replace(/\.axn$/, '');
  return { model: output, weights: path.join(dir, `${stem}.weights.json`), weightsName: `${stem}.weights.json`, summary: path.join(dir, `${stem}.summary.json`) };
}

function summaryJson(r: TrainOutcome, data: { source: string; samples: number; train: number; test: number; generatorSeed: number | null }): string {
  const o = r.options;
  const summary = {
    format: 'axc-train-summary',
    version: 1,
    bench: o.bench,
    method: o.method,
    topology: { approx: o.approx.join('-'), predict: o.predict.join('-'), control: o.control, decision: o.decision },
    quality: o.quality,
    budget: { epochs: o.epochs, batchSize: o.batchSize, learningRate: o.learningRate, rounds: o.rounds, epochsRun: r.history.length, optimizer: 'adam' },
    controlBias: o.controlBias,
    selection: { rule: 'the validation checkpoint with the highest net delivery ((predicted and safe) - (predicted and unsafe)) / N, then the highest true invocation, then the earliest', validationFraction: VALIDATION_FRACTION, selectedEpoch: r.metrics.selectedEpoch, curve: r.curve },
    seed: o.seed,
    data,
    backend: r.backend,
    metrics: r.metrics,
    notes: r.notes,
    history: r.history,
  };
  return JSON.stringify(summary, null, 2) + '\n';
}

export function trainCommand(): Command {
  const benches = BENCHMARKS.map((b) => b.name);
  return new Command('train')
    .description('train an AXNet (or the onepass / iterative / weight-sharing baseline) for a benchmark and write model.axn')
    .addOption(new Option('--bench <name>', 'benchmark').choices(benches).makeOptionMandatory())
    .addOption(new Option('--method <method>', 'training method').choices([...METHODS]).default('axnet'))
    .option('--approx <widths>', 'approximator topology, input-hidden...-output (default: per benchmark, e.g. sobel 9-8-1)', parseTopology)
    .option('--predict <widths>', 'predictor topology, input-hidden... (default: per benchmark, e.g. sobel 9-8)', parseTopology)
    .option('--control <all|layer>', "axnet: gate all hidden layers, or only hidden layer N (1-based)", parseControl, 'all')
    .addOption(new Option('--decision <kind>', 'the predictor decision P(x)').choices(['softmax', 'sigmoid']).default('softmax'))
    .addOption(new Option('--metric <metric>', 'quality metric Err (default: per benchmark)').choices([...METRICS]))
    .option('--bound <B>', 'error bound: a sample is safe when Err < B (default: per benchmark)', positiveNumber(false))
    .option('--epochs <N>', 'epochs per phase (default: per benchmark)', positiveNumber(true))
    .option('--batch-size <N>', 'mini-batch size (default: per benchmark)', positiveNumber(true))
    .option('--learning-rate <R>', `Adam learning rate (default: ${DEFAULT_LEARNING_RATE})`, positiveNumber(false))
    .option('--rounds <N>', `iterative: number of rounds (default: ${DEFAULT_ROUNDS})`, positiveNumber(true))
    .option('--control-bias <b>', `axnet: the control segments' initial bias (default: ${CONTROL_BIAS}; 1 opens the gates from the start)`, finiteNumber)
    .option('--seed <N>', 'seed of the initial weights, the shuffles and the train/test split', seedArgument, DEFAULT_SEED)
    .option('--data <dir>', 'AxBench-style data folder (train.x + train.y, as `axc data` writes; or a .fann file) (default: generated data)')
    .option('--samples <N>', 'samples to generate when --data is not given', positiveNumber(true), GENERATED_SAMPLES)
    .requiredOption('-o, --output <model.axn>', 'the model to write; <stem>.weights.json and <stem>.summary.json go beside it')
    .addOption(quietOption())
    .addHelpText(
      'after',
      `\nThe data are shuffled with the seed and split ${Math.round(100 * (1 - TEST_FRACTION))}/${Math.round(100 * TEST_FRACTION)} into train/test, and ${Math.round(100 * VALIDATION_FRACTION)}% of the training part is held out to choose the checkpoint kept (the best validation net delivery: outputs delivered within the bound minus those delivered beyond it); the metrics are measured on the test part with the reference interpreter.\nUses @tensorflow/tfjs-node when installed, else @tensorflow/tfjs on the wasm or cpu backend.\n\nExamples:\n  axc train --bench sobel -o sobel.axn\n  axc train --bench sobel --method onepass --data ../shared/data/axbench/sobel -o sobel-onepass.axn\n  axc compile sobel.axn -o sobel.bin`,
    )
    .action(async (opts: TrainCliOptions) => {
      const bench = opts.bench;
      if (!BENCH_DEFAULTS[bench] && (!opts.approx || !opts.predict)) fail(DIAG.trainNoDefaultTopology, undefined, bench);
      const paths = trainOutputPaths(opts.output);
      refuseOverwrite(
        dataFiles(opts.data).map((p) => ({ role: '--data', path: p })),
        [{ role: '-o', path: paths.model }, { role: 'the weights file', path: paths.weights }, { role: 'the summary', path: paths.summary }],
      );
      const all = opts.data ? loadDataFolder(bench, opts.data) : generateDataset(bench, opts.samples, opts.seed);
      if (all.n < 10) fail(DIAG.trainDataTooSmall, undefined, opts.data ?? 'the generated data', all.n, 10);
      const { train, test } = splitTrainTest(all, opts.seed);
      // Open every output before training, so an unwritable path fails in a second, not after the run.
      const outs = { weights: new AtomicWriter(paths.weights), model: null as AtomicWriter | null, summary: null as AtomicWriter | null };
      try {
        outs.model = new AtomicWriter(paths.model);
        outs.summary = new AtomicWriter(paths.summary);
      } catch (e) {
        outs.weights.abort();
        outs.model?.abort();
        throw e;
      }
      const abortAll = () => [outs.weights, outs.model, outs.summary].forEach((w) => w?.abort());
      const stream = process.stderr;
      let bar: ProgressBar | null = null;
      const started = Date.now();
      const result = await (async () => {
        try {
          return await trainModel({
            bench,
            method: opts.method,
            approx: opts.approx,
            predict: opts.predict,
            control: opts.control,
            controlBias: opts.controlBias,
            decision: opts.decision,
            metric: opts.metric,
            bound: opts.bound,
            seed: opts.seed,
            epochs: opts.epochs,
            batchSize: opts.batchSize,
            learningRate: opts.learningRate,
            rounds: opts.rounds,
            data: train,
            test,
            onProgress: (epoch, loss, invocation, rec) => {
              if (!stream.isTTY) return;
              bar ??= startProgressBar(
                `training ${opts.method} |{bar}| epoch {value}/{total} | {phase} | loss {loss} | invocation {inv} | {secs}s`,
                plannedEpochs(opts.method, opts.epochs ?? BENCH_DEFAULTS[bench]?.epochs ?? 1, opts.rounds),
                { loss: '-', inv: '-', phase: '', secs: 0 },
                stream,
              );
              bar?.update(epoch, { loss: loss.toFixed(4), inv: invocation === null ? '-' : formatPercent(invocation), phase: rec.phase, secs: Math.round((Date.now() - started) / 1000) });
            },
          });
        } catch (e) {
          abortAll();
          throw e;
        } finally {
          (bar as ProgressBar | null)?.stop();
        }
      })();
      const data = { source: opts.data ?? 'generated', samples: all.n, train: train.n, test: test.n, generatorSeed: opts.data ? null : opts.seed };
      try {
        await outs.weights.write(writeWeightsFile(result.model));
        await outs.model!.write(printModel(result.model, { inlineWeights: false, weightsFile: paths.weightsName }));
        await outs.summary!.write(summaryJson(result, data));
        // The weights first: a model file is only ever beside the weights it names.
        await outs.weights.commit();
        await outs.model!.commit();
        await outs.summary!.commit();
      } catch (e) {
        abortAll();
        throw e;
      }
      const m = result.metrics;
      const o = result.options;
      const lines = [
        `trained ${o.bench} with ${o.method}: approximator ${o.approx.join('-')}, predictor ${o.predict.join('-')}${o.method === 'axnet' ? `, control ${o.control}` : ''}, ${o.decision} decision, ${m.parameters} parameters`,
        `  quality ${o.quality.metric} < ${o.quality.bound}; ${result.history.length} epochs (batch ${o.batchSize}, Adam ${o.learningRate}), seed ${o.seed}, ${m.trainingSeconds.toFixed(1)} s on tfjs backend '${result.backend}'`,
        `  kept epoch ${m.selectedEpoch}: the best net delivery (delivered within the bound minus beyond it) on ${Math.round(100 * VALIDATION_FRACTION)}% of the training rows held out for validation`,
        `  test set (${m.samples} of ${all.n} ${opts.data ? `samples from ${opts.data}` : 'generated samples'}): true invocation ${formatPercent(m.trueInvocation)}, predicted invocation ${formatPercent(m.predictedInvocation)}, accuracy ${formatPercent(m.accuracy)}, error ${fixed(m.error)}`,
      ];
      process.stdout.write(lines.join('\n') + '\n');
      confirmWritten(opts, `${paths.model}, ${paths.weights} and ${paths.summary}`);
    });
}
