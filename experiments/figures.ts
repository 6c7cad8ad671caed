// The paper's figures (Fig. 2 and Figs 6–10) drawn from results.json as vega-lite charts rendered to SVG, and the
// choices results.md shares with them: which configuration stands for each method, and which cells break their bound.

import type { TopLevelSpec } from 'vega-lite';
import { renderSvg } from '../plot/render-svg.ts';
import { BASELINE_CONFIG, HEADLINE_CONFIG } from './derive-results.ts';
import { mean } from './summary-statistics.ts';
import type { ExperimentResults, MatchedInvocationRow, SummaryMetric, SummaryRow } from './results.ts';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';
const CONFIG = { font: 'sans-serif', view: { stroke: null }, title: { anchor: 'start', subtitleColor: '#444' }, legend: { labelLimit: 260 } };

/** Baselines first and AXNet last, as the paper orders its bars. */
const METHOD_ORDER = ['onepass', 'iterative', 'shared', 'axnet'];
const METHOD_COLORS: Record<string, string> = { onepass: '#4c78a8', iterative: '#f58518', shared: '#8c8c8c', axnet: '#e45756' };
const OTHER_COLORS = ['#54a24b', '#b279a2', '#72b7b2', '#eeca3b', '#9d755d'];
const FLAG = 'firebrick';
/** The gap between benchmark groups, as a share of a group's band. */
const PADDING_INNER = 0.25;

export const AVERAGE = 'average';
export const CONTROL_CONFIGS = ['control-all', 'control-first', 'control-second'];
/** The benchmark whose AXNet size sweep Fig. 9 shows, as in the paper. */
const SWEPT_BENCHMARK = 'jpeg';

export const FIGURES = [
  { file: 'fig2-invocation-during-training.svg', caption: 'Fig. 2: validation invocation during training (shared and AXNet)' },
  { file: 'fig6-invocation.svg', caption: 'Fig. 6: true and predicted invocation on test data' },
  { file: 'fig7-accuracy.svg', caption: 'Fig. 7: prediction accuracy, both definitions' },
  { file: 'fig8-error.svg', caption: "Fig. 8: approximation error relative to onepass's, with each bound" },
  { file: 'fig9-jpeg-sizes.svg', caption: "Fig. 9: jpeg's AXNet size sweep against iterative" },
  { file: 'fig10a-parameters-time.svg', caption: 'Fig. 10a: parameters at matched invocation, and plateau time, against iterative' },
  { file: 'fig10b-energy-efficiency.svg', caption: 'Fig. 10b: energy efficiency (simulated estimate)' },
  { file: 'fig10c-control.svg', caption: 'Fig. 10c: where the control vectors go' },
] as const;

export const finite = (x: number | null | undefined): x is number => typeof x === 'number' && Number.isFinite(x);

/** The paper sets AXNet at the baseline's parameter count (Table I) against each baseline on its own topology. */
export function comparedConfig(method: string): string {
  return method === 'axnet' ? HEADLINE_CONFIG : BASELINE_CONFIG;
}

/** Benchmarks in the order the runs were made. */
export function benchmarksOf(r: ExperimentResults): string[] {
  return [...new Set([...r.runs.map((x) => x.benchmark), ...r.summary.map((x) => x.benchmark)])];
}

/** The methods that have a compared cell, known ones in the paper's order and any others after them. */
export function methodsOf(r: ExperimentResults): string[] {
  const present = new Set(r.summary.filter((x) => x.config === comparedConfig(x.method)).map((x) => x.method));
  return [...METHOD_ORDER.filter((m) => present.has(m)), ...[...present].filter((m) => !METHOD_ORDER.includes(m)).sort()];
}

export type SummaryLookup = (benchmark: string, method: string, config: string, metric: SummaryMetric) => SummaryRow | undefined;

export function summaryLookup(r: ExperimentResults): SummaryLookup {
  const index = new Map(r.summary.map((x) => [[x.benchmark, x.method, x.config, x.metric].join('\u0000'), x]));
  return (benchmark, method, config, metric) => index.get([benchmark, method, config, metric].join('\u0000'));
}

/** "9-8-1 / 9-8": approximator widths, then predictor widths. */
export function topology(approx: readonly number[], predict: readonly number[]): string {
  return `${approx.join('-')} / ${predict.join('-')}`;
}

/** The bound a cell was trained and judged against (every run of a cell shares it), or undefined without runs. */
export function boundOf(r: ExperimentResults, benchmark: string, method: string, config: string): { bound: number; metric: string } | undefined {
  const run = r.runs.find((x) => x.benchmark === benchmark && x.method === method && x.config === config);
  return run && { bound: run.bound, metric: run.metric };
}

export interface OverBound {
  benchmark: string;
  method: string;
  config: string;
  error: SummaryRow;
  bound: number;
  metric: string;
}

/** Every cell (any configuration) whose mean approximation error exceeds its bound: its invocation is not a fair win. */
export function cellsOverBound(r: ExperimentResults): OverBound[] {
  const out: OverBound[] = [];
  for (const row of r.summary) {
    if (row.metric !== 'approximationError' || !finite(row.mean)) continue;
    const b = boundOf(r, row.benchmark, row.method, row.config);
    if (b && row.mean > b.bound) out.push({ benchmark: row.benchmark, method: row.method, config: row.config, error: row, ...b });
  }
  return out;
}

/**
 * A resample of the seeds in which no swept size comes within 5 points counts as an infinite ratio, so the
 * interval's upper end can be +Infinity, which JSON writes as null: a ratio with a lower end but no upper one.
 */
export function unboundedAbove(m: MatchedInvocationRow): boolean {
  return finite(m.parameterRatio) && finite(m.ciLow) && !finite(m.ciHigh);
}

export function arithmeticMean(xs: readonly number[]): number | null {
  return xs.length ? mean(xs) : null;
}

/** Ratios average geometrically: a 2× and a 0.5× cancel out, as they should. */
export function geometricMean(xs: readonly number[]): number | null {
  if (!xs.length || xs.some((x) => x < 0)) return null;
  return Math.exp(xs.reduce((a, b) => a + Math.log(b), 0) / xs.length);
}

// ---- grouped bars: one group per benchmark (and the average), one bar per key ----

interface Bar {
  group: string;
  /** The bar's slot within its group. */
  key: string;
  /** The legend entry that colours it. */
  color: string;
  /** 'true' or 'predicted' where a figure pairs them (the predicted bar is lighter). */
  shade?: string;
  value: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  /** Shown in place of a missing value, so that no value never looks like a 0. */
  note?: string;
  flagged?: boolean;
  /** The interval has no upper end (Fig. 10a: in some resamples no size matched): the whisker runs off the top. */
  openAbove?: boolean;
}

/** The encodings every layer of a bar chart shares, so that each mark lands on its bar's slot. */
interface BarEncodings {
  x: Record<string, unknown>;
  xOffset: Record<string, unknown>;
  y: (field: string) => Record<string, unknown>;
}

interface BarOptions {
  groups: string[];
  keys: string[];
  colors: string[];
  colorTitle: string;
  yTitle: string;
  percent?: boolean;
  shaded?: boolean;
  /** A dashed rule at 1, for ratios. */
  ruleAtOne?: boolean;
  over?: (e: BarEncodings) => unknown[];
  step?: number;
  height?: number;
  title?: unknown;
}

const interval = (row: { mean: number | null; ciLow: number | null; ciHigh: number | null } | undefined) => ({
  value: finite(row?.mean) ? row.mean : null,
  ciLow: finite(row?.ciLow) ? row.ciLow : null,
  ciHigh: finite(row?.ciHigh) ? row.ciHigh : null,
});

function colorRange(names: string[]): string[] {
  let other = 0;
  return names.map((n) => METHOD_COLORS[n] ?? OTHER_COLORS[other++ % OTHER_COLORS.length]);
}

/** Appends the average group: per key, the mean over the benchmarks that have a value (no interval of its own). */
function withAverage(bars: Bar[], kind: 'arithmetic' | 'geometric'): Bar[] {
  const average = kind === 'geometric' ? geometricMean : arithmeticMean;
  const keys = [...new Set(bars.map((b) => b.key))];
  return [
    ...bars,
    ...keys.map((key) => {
      const of = bars.filter((b) => b.key === key);
      return { group: AVERAGE, key, color: of[0].color, shade: of[0].shade, value: average(of.map((b) => b.value).filter(finite)), ciLow: null, ciHigh: null };
    }),
  ];
}

/**
 * Every quantity drawn is non-negative and the shares are at most 1, but a t-interval over a few seeds can
 * reach past either end; the whisker stops at the end (results.md keeps the interval as computed).
 */
function clipped(b: Bar, percent: boolean): Bar {
  return { ...b, ciLow: b.ciLow === null ? null : Math.max(0, b.ciLow), ciHigh: b.ciHigh === null ? null : percent ? Math.min(1, b.ciHigh) : b.ciHigh };
}

function barLayers(bars: Bar[], o: BarOptions): Record<string, unknown> {
  const e: BarEncodings = {
    x: { field: 'group', type: 'nominal', title: 'benchmark', scale: { domain: o.groups, paddingInner: PADDING_INNER }, axis: { labelAngle: 0 } },
    xOffset: { field: 'key', type: 'nominal', scale: { domain: o.keys } },
    y: (field) => ({ field, type: 'quantitative', title: o.yTitle, axis: o.percent ? { format: '.0%' } : {} }),
  };
  const { x, xOffset, y } = e;
  const color = { field: 'color', type: 'nominal', title: o.colorTitle, scale: { domain: o.colors, range: colorRange(o.colors) } };
  const present = bars.filter((b) => b.value !== null).map((b) => clipped(b, o.percent ?? false));
  const opacity = o.shaded ? { opacity: { field: 'shade', type: 'ordinal', title: 'invocation', scale: { domain: ['true', 'predicted'], range: [1, 0.4] } } } : {};
  const layers: unknown[] = [
    { data: { values: present }, mark: { type: 'bar' }, encoding: { x, xOffset, y: y('value'), color, ...opacity } },
    { data: { values: present.filter((b) => b.flagged) }, mark: { type: 'bar', filled: false, stroke: FLAG, strokeWidth: 2 }, encoding: { x, xOffset, y: y('value') } },
    { data: { values: present.filter((b) => b.ciLow !== null && b.ciHigh !== null) }, mark: { type: 'rule', color: '#222' }, encoding: { x, xOffset, y: y('ciLow'), y2: { field: 'ciHigh' } } },
    { data: { values: present.filter((b) => b.openAbove && b.ciLow !== null) }, mark: { type: 'rule', color: '#222', strokeDash: [2, 2] }, encoding: { x, xOffset, y: y('ciLow'), y2: { value: 0 } } },
    { data: { values: present.filter((b) => b.openAbove && b.ciLow !== null) }, mark: { type: 'text', text: '∞', baseline: 'bottom', dy: -1, fontSize: 11, color: '#222' }, encoding: { x, xOffset, y: { value: 0 } } },
    // A 0 is a result (a collapsed predictor, say) and must not read as a bar left out.
    { data: { values: present.filter((b) => b.value === 0).map((b) => ({ ...b, base: 0 })) }, mark: { type: 'text', text: '0', baseline: 'bottom', dy: -2, fontSize: 9, fontWeight: 'bold', color: '#222' }, encoding: { x, xOffset, y: y('base') } },
    {
      data: { values: bars.filter((b) => b.value === null).map((b) => ({ ...b, base: 0, note: b.note ?? 'n/a' })) },
      mark: { type: 'text', angle: 270, align: 'left', baseline: 'middle', dx: 3, fontSize: 9, color: '#555' },
      encoding: { x, xOffset, y: y('base'), text: { field: 'note' } },
    },
    {
      data: { values: present.filter((b) => b.flagged).map((b) => ({ ...b, top: Math.max(b.value ?? 0, b.ciHigh ?? 0) })) },
      mark: { type: 'text', text: '!', baseline: 'bottom', dy: -2, fontSize: 14, fontWeight: 'bold', color: FLAG },
      encoding: { x, xOffset, y: y('top') },
    },
    ...(o.ruleAtOne ? [{ data: { values: [{ one: 1 }] }, mark: { type: 'rule', strokeDash: [4, 3], color: '#555' }, encoding: { y: y('one') } }] : []),
    ...(o.over?.(e) ?? []),
  ];
  // A width in pixels rather than a step: a layer without xOffset (Fig. 8's bounds) would read a step differently.
  const width = Math.round((o.groups.length * o.keys.length * (o.step ?? 12)) / (1 - PADDING_INNER));
  return { ...(o.title ? { title: o.title } : {}), width, height: o.height ?? 200, layer: layers };
}

function render(spec: Record<string, unknown>): Promise<string> {
  return renderSvg({ $schema: SCHEMA, config: CONFIG, ...spec } as TopLevelSpec);
}

/** A figure whose data is absent from these results: its title, and why it is empty. */
function emptyFigure(title: unknown, note: string): Record<string, unknown> {
  return { title, width: 420, height: 60, data: { values: [{ note }] }, mark: { type: 'text', fontSize: 12, color: '#666' }, encoding: { text: { field: 'note' } } };
}

/** The compared cells of one metric: benchmark × method, the baselines on 'base' and AXNet on 'matched'. */
function comparedBars(r: ExperimentResults, metric: SummaryMetric, key: (m: string) => string = (m) => m, shade?: string): Bar[] {
  const get = summaryLookup(r);
  return benchmarksOf(r).flatMap((b) => methodsOf(r).map((m) => ({ group: b, key: key(m), color: m, shade, ...interval(get(b, m, comparedConfig(m), metric)) })));
}

// ---- the figures ----

function fig2(r: ExperimentResults): Record<string, unknown> {
  const title = {
    text: 'Fig. 2 Validation invocation during training: shared against AXNet',
    subtitle: ['mean over the seeds at each epoch; solid: true invocation, dashed: predicted invocation', 'average: mean over the benchmarks, at the epochs every benchmark reaches'],
  };
  const methods = ['shared', 'axnet'];
  const points = r.curves.filter((c) => methods.includes(c.method));
  if (!points.length) return emptyFigure(title, 'no training curves for shared or axnet in these results');
  const values = points
    .flatMap((c) => [
      { benchmark: c.benchmark, method: c.method, epoch: c.epoch, kind: 'true', value: c.trueInvocation },
      { benchmark: c.benchmark, method: c.method, epoch: c.epoch, kind: 'predicted', value: c.predictedInvocation },
    ])
    .filter((v) => finite(v.value));
  const benchmarks = [...new Set(points.map((c) => c.benchmark))];
  for (const method of methods)
    for (const kind of ['true', 'predicted']) {
      const series = values.filter((v) => v.method === method && v.kind === kind);
      const byEpoch = new Map<number, number[]>();
      for (const v of series) byEpoch.set(v.epoch, [...(byEpoch.get(v.epoch) ?? []), v.value]);
      // Benchmarks train for different budgets; past the shortest one an average would change what it averages.
      const reached = new Set(series.map((v) => v.benchmark)).size;
      for (const [epoch, xs] of byEpoch) if (xs.length === reached) values.push({ benchmark: AVERAGE, method, epoch, kind, value: arithmeticMean(xs) as number });
    }
  return {
    title,
    data: { values },
    facet: { field: 'benchmark', type: 'nominal', title: null, sort: [...benchmarks, AVERAGE], header: { labelFontSize: 12 } },
    columns: 4,
    resolve: { scale: { x: 'independent' } },
    spec: {
      width: 190,
      height: 120,
      mark: { type: 'line', strokeWidth: 1.5 },
      encoding: {
        // Axes set off from the plot, so that a line at 0 (a collapsed predictor) shows rather than hiding in the axis.
        x: { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { offset: 4, tickMinStep: 1 } },
        y: { field: 'value', type: 'quantitative', title: 'validation invocation', axis: { format: '.0%', offset: 4 }, scale: { domain: [0, 1] } },
        color: { field: 'method', type: 'nominal', title: 'method', scale: { domain: methods, range: colorRange(methods) } },
        strokeDash: { field: 'kind', type: 'nominal', title: 'invocation', scale: { domain: ['true', 'predicted'], range: [[1, 0], [5, 3]] } },
      },
    },
  };
}

function fig6(r: ExperimentResults): Record<string, unknown> {
  const methods = methodsOf(r);
  const keys = methods.flatMap((m) => [`${m} true`, `${m} predicted`]);
  const bars = withAverage([...comparedBars(r, 'trueInvocation', (m) => `${m} true`, 'true'), ...comparedBars(r, 'predictedInvocation', (m) => `${m} predicted`, 'predicted')], 'arithmetic');
  return barLayers(bars, {
    title: {
      text: 'Fig. 6 True invocation (solid) and predicted invocation (light) on test data',
      subtitle: ["baselines on their paper topology, AXNet at the baseline's parameter count (Table I)", 'mean over the seeds, whiskers: its 95% interval; average: mean of the benchmark means'],
    },
    groups: [...benchmarksOf(r), AVERAGE],
    keys,
    colors: methods,
    colorTitle: 'method',
    yTitle: 'test invocation',
    percent: true,
    shaded: true,
    step: 9,
  });
}

function fig7(r: ExperimentResults): Record<string, unknown> {
  const methods = methodsOf(r);
  const groups = [...benchmarksOf(r), AVERAGE];
  const panel = (metric: SummaryMetric, text: string, yTitle: string) =>
    barLayers(withAverage(comparedBars(r, metric), 'arithmetic'), { title: { text, fontSize: 12 }, groups, keys: methods, colors: methods, colorTitle: 'method', yTitle, percent: true, height: 150, step: 14 });
  return {
    title: { text: 'Fig. 7 Prediction accuracy on test data, by both definitions', subtitle: 'mean over the seeds, whiskers: its 95% interval; average: mean of the benchmark means' },
    vconcat: [
      panel('predictionAccuracy', "(a) the paper's text: (predicted and safe) / N", 'prediction accuracy'),
      panel('agreement', "(b) the authors' code: (predicted = safe) / N", 'agreement'),
    ],
  };
}

function fig8(r: ExperimentResults): Record<string, unknown> {
  const methods = methodsOf(r);
  const benchmarks = benchmarksOf(r);
  const get = summaryLookup(r);
  const flagged = new Set(cellsOverBound(r).map((c) => [c.benchmark, c.method, c.config].join('\u0000')));
  const onepassMean = (b: string) => {
    const m = get(b, 'onepass', BASELINE_CONFIG, 'approximationError')?.mean;
    return finite(m) && m > 0 ? m : null;
  };
  const bars: Bar[] = benchmarks.flatMap((b) =>
    methods.map((m) => {
      const scale = onepassMean(b);
      const raw = interval(get(b, m, comparedConfig(m), 'approximationError'));
      const by = (x: number | null) => (x !== null && scale !== null ? x / scale : null);
      return { group: b, key: m, color: m, value: by(raw.value), ciLow: by(raw.ciLow), ciHigh: by(raw.ciHigh), note: scale === null ? 'n/a: no onepass error' : 'n/a', flagged: flagged.has([b, m, comparedConfig(m)].join('\u0000')) };
    }),
  );
  const bounds = benchmarks.flatMap((b) => {
    const scale = onepassMean(b);
    const distinct = new Set(methods.map((m) => boundOf(r, b, m, comparedConfig(m))?.bound).filter(finite));
    return scale === null ? [] : [...distinct].map((bound) => ({ group: b, ratio: bound / scale }));
  });
  return barLayers(withAverage(bars, 'geometric'), {
    title: {
      text: 'Fig. 8 Approximation error on the invoked test samples, relative to onepass',
      subtitle: [
        "mean over the seeds and its 95% interval, both divided by onepass's mean on the same benchmark",
        'black line: the quality bound / onepass mean; red outline and "!": a mean error above the bound',
        'average: geometric mean of the ratios',
      ],
    },
    groups: [...benchmarks, AVERAGE],
    keys: methods,
    colors: methods,
    colorTitle: 'method',
    yTitle: 'error / onepass mean error',
    over: ({ x, y }) => [{ data: { values: bounds }, mark: { type: 'tick', color: '#000', thickness: 2 }, encoding: { x, y: y('ratio') } }],
    step: 14,
  });
}

function fig9(r: ExperimentResults): Record<string, unknown> {
  const b = SWEPT_BENCHMARK;
  const title = {
    text: `Fig. 9 ${b}: true and predicted invocation against AXNet's size`,
    subtitle: [
      "AXNet with every hidden layer N wide, and the matched AXNet; mean over the seeds, whiskers: its 95% interval",
      "dashed rule and band: iterative's true invocation (base topology) and its 95% interval",
      'labels: approximator / predictor widths',
    ],
  };
  const get = summaryLookup(r);
  const configs = [...new Set(r.summary.filter((x) => x.benchmark === b && x.method === 'axnet' && (/^w\d+$/.test(x.config) || x.config === HEADLINE_CONFIG)).map((x) => x.config))];
  const points = configs
    .map((config) => {
      const run = r.runs.find((x) => x.benchmark === b && x.method === 'axnet' && x.config === config);
      const widths = run ? topology(run.approx, run.predict) : config;
      return { parameters: get(b, 'axnet', config, 'parameters')?.mean, topology: config === HEADLINE_CONFIG ? `${widths} (matched)` : widths, true: interval(get(b, 'axnet', config, 'trueInvocation')), predicted: interval(get(b, 'axnet', config, 'predictedInvocation')) };
    })
    .filter((p): p is typeof p & { parameters: number } => finite(p.parameters) && p.parameters > 0)
    .sort((p, q) => p.parameters - q.parameters);
  if (!points.length) return emptyFigure(title, `no AXNet size sweep on ${b} in these results`);
  const yTitle = 'test invocation';
  const x = { field: 'parameters', type: 'quantitative', title: 'AXNet parameters (mean over the seeds, log scale)', scale: { type: 'log', nice: false, padding: 24 } };
  const y = (field: string) => ({ field, type: 'quantitative', title: yTitle, axis: { format: '.0%' } });
  const kinds = ['true invocation', 'predicted invocation'];
  const color = { field: 'kind', type: 'nominal', title: 'AXNet', scale: { domain: kinds, range: [METHOD_COLORS.axnet, '#f4a9a8'] } };
  const last = points.length - 1;
  const values = points.flatMap((p, i) => [
    { ...p.true, parameters: p.parameters, kind: kinds[0], topology: p.topology, label: i === last ? 'last' : i % 2 === 0 ? 'above' : 'below' },
    { ...p.predicted, parameters: p.parameters, kind: kinds[1], topology: p.topology, label: null },
  ]);
  const present = values.filter((v) => v.value !== null).map((v) => ({ ...v, ciLow: v.ciLow === null ? null : Math.max(0, v.ciLow), ciHigh: v.ciHigh === null ? null : Math.min(1, v.ciHigh) }));
  const errorBars = (kind: string, dx: number) => ({
    data: { values: present.filter((v) => v.kind === kind && v.ciLow !== null && v.ciHigh !== null) },
    mark: { type: 'rule', xOffset: dx },
    encoding: { x, y: y('ciLow'), y2: { field: 'ciHigh' }, color },
  });
  // Neighbouring sizes alternate above and below their point, and the rightmost reads leftwards, so labels stay apart and inside.
  const label = (where: string, mark: Record<string, unknown>) => ({
    data: { values: present.filter((v) => v.label === where) },
    mark: { type: 'text', fontSize: 9, color: '#333', ...mark },
    encoding: { x, y: y('value'), text: { field: 'topology' } },
  });
  const iterative = interval(get(b, 'iterative', BASELINE_CONFIG, 'trueInvocation'));
  const reference =
    iterative.value === null
      ? [{ data: { values: [{ note: 'no iterative result on this benchmark' }] }, mark: { type: 'text', align: 'right', color: METHOD_COLORS.iterative, x: { expr: 'width' }, y: 8 }, encoding: { text: { field: 'note' } } }]
      : [
          ...(iterative.ciLow !== null && iterative.ciHigh !== null
            ? [{ data: { values: [{ lo: Math.max(0, iterative.ciLow), hi: Math.min(1, iterative.ciHigh) }] }, mark: { type: 'rect', color: METHOD_COLORS.iterative, opacity: 0.15 }, encoding: { y: y('lo'), y2: { field: 'hi' }, x: { value: 0 }, x2: { value: 'width' } } }]
            : []),
          { data: { values: [iterative] }, mark: { type: 'rule', color: METHOD_COLORS.iterative, strokeDash: [6, 3] }, encoding: { y: y('value') } },
          {
            data: { values: [{ ...iterative, label: `iterative, base: ${(100 * iterative.value).toFixed(1)}%` }] },
            mark: { type: 'text', align: 'left', baseline: 'middle', dx: 4, color: METHOD_COLORS.iterative, fontSize: 10 },
            encoding: { x: { value: 'width' }, y: y('value'), text: { field: 'label' } },
          },
        ];
  return {
    title,
    width: 480,
    height: 260,
    layer: [
      ...reference,
      { data: { values: present }, mark: { type: 'line', point: { filled: true, size: 40 } }, encoding: { x, y: y('value'), color } },
      errorBars(kinds[0], -2),
      errorBars(kinds[1], 2),
      label('above', { align: 'left', dx: 5, dy: -9 }),
      label('below', { align: 'left', dx: 5, dy: 11 }),
      label('last', { align: 'right', dx: -6, dy: -9 }),
      { data: { values: present.filter((v) => v.value === 0) }, mark: { type: 'text', text: '0', baseline: 'bottom', dy: -6, fontSize: 9, fontWeight: 'bold', color: '#222' }, encoding: { x, y: y('value') } },
    ],
    // The rule's label sits right of the plot, where no point can cover it; the legend goes below.
    config: { ...CONFIG, legend: { ...CONFIG.legend, orient: 'bottom' } },
  };
}

function fig10a(r: ExperimentResults): Record<string, unknown> {
  const listed = new Set([...r.matchedInvocation.map((x) => x.benchmark), ...r.timeRatio.map((x) => x.benchmark)]);
  const benchmarks = [...new Set([...benchmarksOf(r).filter((b) => listed.has(b)), ...listed])];
  const keys = ['parameters at matched invocation', 'time to the plateau'];
  const title = {
    text: 'Fig. 10a AXNet against iterative: parameters and training time',
    subtitle: [
      "parameters: the smallest swept AXNet whose true invocation is within 5 points of iterative's,",
      "its parameters / iterative's, whiskers: 95% interval from resampling the seeds",
      "time: AXNet's training time to the plateau / iterative's, whiskers: 95% t-interval",
      'dashed rule: equal; average: geometric mean of the ratios there are',
    ],
  };
  if (!benchmarks.length) return emptyFigure(title, 'no matched-invocation or time-ratio rows in these results');
  const bars: Bar[] = benchmarks.flatMap((b) => {
    const m = r.matchedInvocation.find((x) => x.benchmark === b);
    const t = r.timeRatio.find((x) => x.benchmark === b);
    return [
      { group: b, key: keys[0], color: keys[0], ...interval(m && { mean: m.parameterRatio, ciLow: m.ciLow, ciHigh: m.ciHigh }), note: m ? 'none within 5 pts' : 'n/a', openAbove: m !== undefined && unboundedAbove(m) },
      { group: b, key: keys[1], color: keys[1], ...interval(t) },
    ];
  });
  if (bars.some((b) => b.openAbove)) title.subtitle.push('dotted whisker to ∞: in some resamples no size came within 5 points, so the interval has no upper end');
  return barLayers(withAverage(bars, 'geometric'), { title, groups: [...benchmarks, AVERAGE], keys, colors: keys, colorTitle: 'AXNet / iterative', yTitle: 'AXNet / iterative', ruleAtOne: true, step: 22 });
}

function fig10b(r: ExperimentResults): Record<string, unknown> {
  const methods = methodsOf(r);
  const get = summaryLookup(r);
  const benchmarks = benchmarksOf(r);
  const bands = benchmarks.flatMap((b) =>
    methods.flatMap((m) => {
      const lo = get(b, m, comparedConfig(m), 'energyEfficiencyCpuHalf')?.mean;
      const hi = get(b, m, comparedConfig(m), 'energyEfficiencyCpuDouble')?.mean;
      return finite(lo) && finite(hi) ? [{ group: b, key: m, bandLow: lo, bandHigh: hi }] : [];
    }),
  );
  for (const m of methods) {
    const of = bands.filter((x) => x.key === m);
    const lo = geometricMean(of.map((x) => x.bandLow));
    const hi = geometricMean(of.map((x) => x.bandHigh));
    if (lo !== null && hi !== null) bands.push({ group: AVERAGE, key: m, bandLow: lo, bandHigh: hi });
  }
  return barLayers(withAverage(comparedBars(r, 'energyEfficiency'), 'geometric'), {
    title: {
      text: 'Fig. 10b Energy efficiency against the CPU alone: a SIMULATED estimate',
      subtitle: [
        'estimated by the NPU simulator with its default hardware description, not measured',
        'energy efficiency = speedup / normalised energy; bar: mean over the seeds, whiskers: its 95% interval',
        "grey band: the same with the CPU's energy per cycle ×0.5 and ×2 (sensitivity; means over the seeds)",
        'dashed rule: no gain over the CPU; average: geometric mean',
      ],
    },
    groups: [...benchmarks, AVERAGE],
    keys: methods,
    colors: methods,
    colorTitle: 'method',
    yTitle: 'energy efficiency (×)',
    ruleAtOne: true,
    // A thick translucent stroke over the bar, the interval's thin whisker on top of it: both stay readable.
    over: ({ x, xOffset, y }) => [{ data: { values: bands }, mark: { type: 'rule', color: '#000', opacity: 0.3, strokeWidth: 8, strokeCap: 'butt' }, encoding: { x, xOffset, y: y('bandLow'), y2: { field: 'bandHigh' } } }],
    step: 16,
  });
}

function fig10c(r: ExperimentResults): Record<string, unknown> {
  const get = summaryLookup(r);
  const title = {
    text: 'Fig. 10c Where the control vectors go: true invocation of AXNet',
    subtitle: ['two-hidden-layer approximators, control at every hidden layer, the first only, the second only', 'mean over the seeds, whiskers: its 95% interval; average: mean of the benchmark means'],
  };
  const benchmarks = benchmarksOf(r).filter((b) => CONTROL_CONFIGS.some((c) => get(b, 'axnet', c, 'trueInvocation')));
  if (!benchmarks.length) return emptyFigure(title, 'no control-placement runs in these results');
  const bars = benchmarks.flatMap((b) => CONTROL_CONFIGS.map((c) => ({ group: b, key: c, color: c, ...interval(get(b, 'axnet', c, 'trueInvocation')) })));
  return barLayers(withAverage(bars, 'arithmetic'), { title, groups: [...benchmarks, AVERAGE], keys: CONTROL_CONFIGS, colors: CONTROL_CONFIGS, colorTitle: 'control vectors', yTitle: 'test invocation (true)', percent: true, step: 22 });
}

const DRAW: Record<(typeof FIGURES)[number]['file'], (r: ExperimentResults) => Record<string, unknown>> = {
  'fig2-invocation-during-training.svg': fig2,
  'fig6-invocation.svg': fig6,
  'fig7-accuracy.svg': fig7,
  'fig8-error.svg': fig8,
  'fig9-jpeg-sizes.svg': fig9,
  'fig10a-parameters-time.svg': fig10a,
  'fig10b-energy-efficiency.svg': fig10b,
  'fig10c-control.svg': fig10c,
};

/** Every figure of results.md, as SVG text to be written under its file name. */
export async function renderFigures(r: ExperimentResults): Promise<{ file: string; svg: string }[]> {
  const out: { file: string; svg: string }[] = [];
  // One at a time: each render is CPU-bound, so running them together gains nothing and holds every view in memory.
  for (const { file } of FIGURES) out.push({ file, svg: await render(DRAW[file](r)) });
  return out;
}
