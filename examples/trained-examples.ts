// The examples `npm run examples:train` trains (how each is made: benchmark, topology, seed, data) and the
// README blocks that show their figures, rendered from `axc sim` reports so that no figure is typed by hand.

import { generateDataset } from '../benchmarks/generators/generate.ts';
import type { Dataset } from '../benchmarks/dataset.ts';
import { float32Text } from '../ir/float-text.ts';
import { formatPercent, formatRatio } from '../simulator/format-quantities.ts';
import type { RunReport } from '../simulator/report.ts';
import { BENCH_DEFAULTS, DEFAULT_SEED, GENERATED_SAMPLES } from '../training/defaults.ts';
import { splitTrainTest } from '../training/split-dataset.ts';
import type { TrainOptions } from '../training/train.ts';

export interface TrainedExample {
  /** The file stem in examples/: <name>.axn, <name>.weights.json, <name>.x. */
  name: string;
  /** The model's name inside the .axn, when it is not the benchmark's (the file is not named after it). */
  modelName?: string;
  bench: string;
  /** The comment lines the .axn opens with: what the example is and what it shows. */
  about: string[];
  /** What the example sets beyond the benchmark's defaults (training/defaults.ts); the same as `axc train`'s flags. */
  topology: Pick<TrainOptions, 'approx' | 'predict' | 'control' | 'decision'>;
  /** Seeds the generated data, the 80/20 train/test split and the training, as `axc train --seed` does. */
  seed: number;
  /** Generated samples before the split (`axc train --samples`). */
  samples: number;
  /** Rows of the test split written to <name>.x: none of them was trained on, so `--reference exact` judges fairly. */
  inputs: number;
}

/*
 * `axc train`'s defaults throughout (seed 1, 20,000 generated samples, the benchmark's topology and budget),
 * so each weights file is what `axc train` with the header's flags writes, byte for byte (the .axn differs in
 * its comments and single-control's model name), and no seed was picked for a good-looking result. inversek2j and single-control take the sigmoid decision so that both
 * decision kinds stay exercised by the examples, as they were. The .x sizes keep each file at a few tens of
 * kB: jpeg's rows are 64 values wide, so it keeps the 64 rows it always had.
 */
export const TRAINED_EXAMPLES: readonly TrainedExample[] = [
  {
    name: 'sobel',
    bench: 'sobel',
    about: [
      'Sobel edge detection (AxBench sobel): a 3x3 grayscale window -> gradient magnitude.',
      "The approximator's hidden layer is gated by control vector c1 from the predictor (paper Fig. 2).",
    ],
    topology: {},
    seed: DEFAULT_SEED,
    samples: GENERATED_SAMPLES,
    inputs: 256,
  },
  {
    name: 'inversek2j',
    bench: 'inversek2j',
    about: ['Two-joint arm inverse kinematics (AxBench inversek2j): (x, y) -> (theta1, theta2).'],
    topology: { decision: 'sigmoid' },
    seed: DEFAULT_SEED,
    samples: GENERATED_SAMPLES,
    inputs: 1000,
  },
  {
    name: 'jpeg',
    bench: 'jpeg',
    about: ['JPEG encoder kernel (AxBench jpeg): an 8x8 block -> its quantised DCT coefficients.'],
    topology: {},
    seed: DEFAULT_SEED,
    samples: GENERATED_SAMPLES,
    inputs: 64,
  },
  {
    name: 'single-control',
    modelName: 'single_control',
    bench: 'blackscholes',
    about: [
      'Two hidden layers, one control vector (paper §III-D): the predictor gates only the second',
      'hidden layer, so its output layer is 12 control elements + P(x) instead of 16 + 12 + P(x).',
      'The function is AxBench blackscholes: six option parameters -> the option price.',
    ],
    topology: { approx: [6, 16, 12, 1], predict: [6, 8], control: 2, decision: 'sigmoid' },
    seed: DEFAULT_SEED,
    samples: GENERATED_SAMPLES,
    inputs: 500,
  },
];

/** The rest of examples/ is hand-written: tiny.axn spells out every weight, as a language example many tests use. */
export const HAND_WRITTEN_EXAMPLES = ['tiny'] as const;

/** The example's generated data cut as `axc train` cuts it: the training rows and the held-out test rows. */
export function exampleData(e: TrainedExample): { train: Dataset; test: Dataset } {
  return splitTrainTest(generateDataset(e.bench, e.samples, e.seed), e.seed);
}

/** <name>.x: the first `inputs` test rows, one per line, each float32 in its shortest exact decimal. */
export function sampleText(e: TrainedExample, test: Dataset): string {
  const rows: string[] = [];
  for (let i = 0; i < e.inputs; i++) {
    rows.push(Array.from(test.x.subarray(i * test.inputWidth, (i + 1) * test.inputWidth), float32Text).join(' '));
  }
  return rows.join('\n') + '\n';
}

/** The `axc train` flags that make the same network: only what differs from its defaults. */
export function trainFlags(e: TrainedExample): string {
  const t = e.topology;
  const flags = [`--bench ${e.bench}`];
  if (t.approx) flags.push(`--approx ${t.approx.join('-')}`);
  if (t.predict) flags.push(`--predict ${t.predict.join('-')}`);
  if (t.control !== undefined && t.control !== 'all') flags.push(`--control ${t.control}`);
  if (t.decision && t.decision !== 'softmax') flags.push(`--decision ${t.decision}`);
  if (e.seed !== DEFAULT_SEED) flags.push(`--seed ${e.seed}`);
  if (e.samples !== GENERATED_SAMPLES) flags.push(`--samples ${e.samples}`);
  return flags.join(' ');
}

/** The .axn's opening comments: what the example is, then how it was made. */
export function axnHeader(e: TrainedExample, backend: string): string {
  const lines = [
    ...e.about,
    `Trained by \`npm run examples:train\` (examples/generate-examples.ts, tfjs ${backend} backend): the weights`,
    `  axc train ${trainFlags(e)}`,
    `writes. examples/${e.name}.x holds ${e.inputs} rows of its held-out test split; figures in README.md.`,
  ];
  return lines.map((l) => `# ${l}`).join('\n') + '\n';
}

export const EXAMPLES_TABLE_BEGIN = '<!-- examples-table:begin (rendered by npm run examples:train) -->';
export const EXAMPLES_TABLE_END = '<!-- examples-table:end -->';
export const QUICK_START_BEGIN = '<!-- quick-start-output:begin (rendered by npm run examples:train) -->';
export const QUICK_START_END = '<!-- quick-start-output:end -->';

/** The example the quick start simulates. */
export const QUICK_START_EXAMPLE = 'sobel';

const widths = (w: number[]) => w.join('-');

function topologyCell(e: TrainedExample): string {
  const d = BENCH_DEFAULTS[e.bench];
  const approx = e.topology.approx ?? d.approx;
  const control = e.topology.control ?? 'all';
  const gated = control === 'all' ? (approx.length > 3 ? 'every hidden layer' : 'the hidden layer') : `hidden layer ${control} only`;
  return `${widths(approx)} · ${widths(e.topology.predict ?? d.predict)}; ${gated} gated; ${e.topology.decision ?? 'softmax'}`;
}

/** The README's table: one row per trained example, its figures from `axc sim <bin> --input examples/<name>.x --reference exact`. */
export function renderExamplesTable(runs: readonly { example: TrainedExample; report: RunReport }[]): string {
  const rows = [
    '| example | benchmark, quality bound | approximator · predictor | trained | `.x` rows | true invocation | predicted invocation | speedup | energy (E / E<sub>CPU</sub>) |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const { example: e, report: r } of runs) {
    const q = r.quality;
    if (!q) throw new Error(`the report of ${e.name} has no quality section: simulate it with --reference exact`);
    const d = BENCH_DEFAULTS[e.bench];
    const trained = `seed ${e.seed}, ${e.samples.toLocaleString('en-US')} generated samples, ${d.epochs} epochs`;
    rows.push(
      `| \`${e.name}.axn\` | ${e.bench}, ${q.metric} < ${q.bound} | ${topologyCell(e)} | ${trained} | ${r.samples} | ${formatPercent(q.trueInvocation)} | ${formatPercent(r.invocation.predictedRate)} | ${formatRatio(r.comparison.speedup)} | ${r.comparison.normalizedEnergy.toFixed(3)} |`,
    );
  }
  return rows.join('\n');
}

/** The lines of `axc sim`'s printed report that the quick start shows: what the NPU ran, how good it was, speedup and energy. */
export function renderQuickStartOutput(simStdout: string): string {
  const keep = /^(invocation |quality |  safe |  delivered |speedup |energy +\d)/;
  const lines = simStdout.split('\n').filter((l) => keep.test(l));
  return ['```text', ...lines, '```'].join('\n');
}

/** `text` with the part between the markers replaced by `body` (for writing), or that part (for checking). */
export function betweenMarkers(text: string, begin: string, end: string): { inner: string; replace(body: string): string } {
  const start = text.indexOf(begin);
  const stop = text.indexOf(end);
  if (start < 0 || stop < start) throw new Error(`README.md has no ${begin} ... ${end} markers`);
  return {
    inner: text.slice(start + begin.length, stop).trim(),
    replace: (body) => `${text.slice(0, start + begin.length)}\n${body}\n${text.slice(stop)}`,
  };
}
