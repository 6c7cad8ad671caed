// results.md: the multi-seed experiment tables in markdown, each mean with its 95% interval, in the order of the
// paper's figures, with the runs whose error broke the bound listed rather than hidden.

import { formatCount, formatPercent, formatRatio } from '../simulator/format-quantities.ts';
import {
  AVERAGE,
  CONTROL_CONFIGS,
  FIGURES,
  arithmeticMean,
  benchmarksOf,
  cellsOverBound,
  comparedConfig,
  finite,
  geometricMean,
  methodsOf,
  summaryLookup,
  topology,
  unboundedAbove,
  type SummaryLookup,
} from './figures.ts';
import type { ExperimentResults, SummaryMetric, SummaryRow } from './results.ts';

type Format = (x: number) => string;

const NONE = '—';
const pct: Format = formatPercent;
const err: Format = (x) => x.toFixed(4);
const seconds: Format = (x) => `${x.toFixed(1)} s`;
const signed = (f: Format): Format => (x) => (x > 0 ? `+${f(x)}` : x < 0 ? `−${f(-x)}` : f(0));

const METRIC_FORMAT: Record<SummaryMetric, Format> = {
  trueInvocation: pct,
  predictedInvocation: pct,
  predictionAccuracy: pct,
  agreement: pct,
  precision: pct,
  recall: pct,
  approximationError: err,
  finalError: err,
  collapsed: pct,
  saturated: pct,
  parameters: formatCount,
  trainSeconds: seconds,
  plateauSeconds: seconds,
  speedup: formatRatio,
  normalizedEnergy: formatRatio,
  energyEfficiency: formatRatio,
  energyEfficiencyCpuHalf: formatRatio,
  energyEfficiencyCpuDouble: formatRatio,
};

/** A difference of two ratios is no longer a ratio, so it is stated as a plain number. */
const DIFFERENCE_FORMAT: Record<SummaryMetric, Format> = { ...METRIC_FORMAT, speedup: (x) => x.toFixed(2), normalizedEnergy: (x) => x.toFixed(2), energyEfficiency: (x) => x.toFixed(2), energyEfficiencyCpuHalf: (x) => x.toFixed(2), energyEfficiencyCpuDouble: (x) => x.toFixed(2) };

/** null, NaN (which JSON turns into null) and a missing row all read "—". */
function show(x: number | null | undefined, f: Format): string {
  return finite(x) ? f(x) : NONE;
}

/** "mean [ciLow, ciHigh]"; the mean alone where the interval is missing. */
function withInterval(x: { mean: number | null; ciLow: number | null; ciHigh: number | null } | undefined, f: Format): string {
  if (!x || !finite(x.mean)) return NONE;
  if (!finite(x.ciLow) || !finite(x.ciHigh)) return f(x.mean);
  return `${f(x.mean)} [${f(x.ciLow)}, ${f(x.ciHigh)}]`;
}

function table(head: string[], rows: string[][]): string {
  return [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

const cell = (get: SummaryLookup, b: string, m: string, c: string, metric: SummaryMetric) => withInterval(get(b, m, c, metric), METRIC_FORMAT[metric]);

/** A collapse or saturation rate with the count behind it: a share of three runs reads very differently from one of thirty. */
function collapseRate(row: SummaryRow | undefined): string {
  if (!row || !finite(row.mean)) return NONE;
  return `${pct(row.mean)} (${Math.round(row.mean * row.n)} of ${row.n})`;
}

function header(r: ExperimentResults): string[] {
  const out = [
    '# AXNet against onepass, iterative and shared, over seeds',
    '',
    `Regenerate with \`${r.command}\`.`,
    '',
    `- **Data:** ${r.data}.`,
    `- **TensorFlow.js backend:** ${r.backend}.`,
    `- **Seeds:** initialisation seeds ${r.initSeeds.join(', ')} on split seed ${r.splitSeed}` +
      (r.splitSeeds.length ? `; the split variation uses split seeds ${r.splitSeeds.join(', ')} with the initialisation seed fixed.` : '.'),
    `- **Budget:** ${r.budget}.`,
    `- **Time:** started ${r.startedAt}; took ${(r.seconds / 60).toFixed(1)} min.`,
  ];
  if (r.generatedInstead.length) {
    out.push('- **Generated data instead of AxBench data:**');
    for (const g of r.generatedInstead) out.push(`  - ${g.benchmark}: ${g.reason}`);
  }
  out.push('', 'Every number is the mean over the seeds with its 95% Student-t interval in brackets; "—" marks a value that does not exist (no run, or nothing predicted safe).', '');
  return out;
}

function tableI(r: ExperimentResults): string[] {
  if (!r.tableI.length) return [];
  return [
    '## Table I: topologies at matched parameter counts',
    '',
    table(
      ['benchmark', 'baseline topology', 'baseline parameters', 'AXNet topology', 'AXNet parameters', 'difference'],
      r.tableI.map((t) => [t.benchmark, topology(t.baselineApprox, t.baselinePredict), formatCount(t.baselineParameters), topology(t.axnetApprox, t.axnetPredict), formatCount(t.axnetParameters), show(t.difference, signed(pct))]),
    ),
    '',
  ];
}

function comparison(r: ExperimentResults, get: SummaryLookup): string[] {
  const methods = methodsOf(r);
  const metrics: SummaryMetric[] = ['trueInvocation', 'predictedInvocation', 'predictionAccuracy', 'agreement', 'precision', 'recall', 'approximationError'];
  const rows = benchmarksOf(r).flatMap((b) =>
    methods
      .filter((m) => r.summary.some((x) => x.benchmark === b && x.method === m && x.config === comparedConfig(m)))
      .map((m) => {
        const c = comparedConfig(m);
        return [b, m, c, ...metrics.map((metric) => cell(get, b, m, c, metric)), collapseRate(get(b, m, c, 'collapsed')), collapseRate(get(b, m, c, 'saturated')), show(get(b, m, c, 'parameters')?.mean, formatCount), String(get(b, m, c, 'trueInvocation')?.n ?? NONE)];
      }),
  );
  const averages = methods.map((m) => [
    `**${AVERAGE}**`,
    m,
    comparedConfig(m),
    ...metrics.map((metric) => show(arithmeticMean(benchmarksOf(r).map((b) => get(b, m, comparedConfig(m), metric)?.mean).filter(finite)), METRIC_FORMAT[metric])),
    show(arithmeticMean(benchmarksOf(r).map((b) => get(b, m, comparedConfig(m), 'collapsed')?.mean).filter(finite)), pct),
    show(arithmeticMean(benchmarksOf(r).map((b) => get(b, m, comparedConfig(m), 'saturated')?.mean).filter(finite)), pct),
    NONE,
    NONE,
  ]);
  return [
    '## True and predicted invocation (Fig. 6), prediction accuracy (Fig. 7), approximation error (Fig. 8)',
    '',
    "The baselines on their paper topology ('base'), AXNet at the baseline's parameter count ('matched', Table I). Prediction accuracy is the paper's text, (predicted and safe) / N; agreement is the authors' code, (predicted = safe) / N. The collapse rate is the share of runs whose predictor invoked nothing; the saturation rate, the share that invoked every test row. The average rows are the means of the benchmark means.",
    '',
    table(['benchmark', 'method', 'config', 'true invocation', 'predicted invocation', 'prediction accuracy', 'agreement', 'precision', 'recall', 'approximation error', 'collapse rate', 'saturation rate', 'parameters', 'runs'], [...rows, ...averages]),
    '',
  ];
}

function paired(r: ExperimentResults): string[] {
  if (!r.paired.length) return [];
  return [
    '## Paired differences: AXNet (matched) − baseline',
    '',
    'Over the same initialisation seeds, with a paired bootstrap 95% interval. Differences of shares are in percentage points.',
    '',
    table(
      ['benchmark', 'baseline', 'metric', 'AXNet − baseline', 'pairs'],
      r.paired.map((p) => [p.benchmark, p.baseline, metricTitle(p.metric), withInterval(p, signed(DIFFERENCE_FORMAT[p.metric])), String(p.n)]),
    ),
    '',
  ];
}

/** Rows of cells side by side (benchmark × config), for the smaller studies. */
function studyTable(r: ExperimentResults, get: SummaryLookup, method: string, configs: string[], metrics: SummaryMetric[]): string | null {
  const rows = benchmarksOf(r).flatMap((b) => configs.filter((c) => get(b, method, c, 'trueInvocation')).map((c) => [b, c, ...metrics.map((metric) => cell(get, b, method, c, metric)), collapseRate(get(b, method, c, 'collapsed'))]));
  return rows.length ? table(['benchmark', 'config', ...metrics.map(metricTitle), 'collapse rate'], rows) : null;
}

function metricTitle(metric: SummaryMetric): string {
  return metric.replace(/[A-Z]/g, (c) => ` ${c.toLowerCase()}`);
}

function controlBias(r: ExperimentResults, get: SummaryLookup): string[] {
  const t = studyTable(r, get, 'axnet', ['matched', 'matched-bias1'], ['trueInvocation', 'predictedInvocation', 'predictionAccuracy', 'approximationError']);
  if (!t) return [];
  return ['## Ablation: the control segments\' initial bias', '', "AXNet at the matched size with its control segments starting at the default bias ('matched') and at 1 ('matched-bias1').", '', t, ''];
}

function parametersAndTime(r: ExperimentResults): string[] {
  const out: string[] = [];
  if (r.matchedInvocation.length) {
    const ratios = r.matchedInvocation.map((m) => m.parameterRatio).filter(finite);
    out.push(
      '## Parameters at matched invocation (Fig. 10a, left)',
      '',
      "The smallest swept AXNet whose mean true invocation comes within 5 points of iterative's; its parameters over iterative's, with a 95% interval from resampling the seeds and choosing again. An interval ending in ∞: in more than 2.5% of the resamples no size came within 5 points.",
      '',
      table(
        ['benchmark', 'iterative true invocation', 'AXNet config', 'AXNet true invocation', 'parameters AXNet / iterative', 'runs'],
        [
          ...r.matchedInvocation.map((m) => [
            m.benchmark,
            show(m.iterativeTrueInvocation, pct),
            m.config ?? 'none within 5 pts',
            show(m.axnetTrueInvocation, pct),
            !finite(m.parameterRatio)
              ? `${NONE} (none within 5 pts)`
              : unboundedAbove(m)
                ? `${formatRatio(m.parameterRatio)} [${formatRatio(m.ciLow as number)}, ∞]`
                : withInterval({ mean: m.parameterRatio, ciLow: m.ciLow, ciHigh: m.ciHigh }, formatRatio),
            String(m.n),
          ]),
          [`**${AVERAGE}** (geometric, ${ratios.length} of ${r.matchedInvocation.length} benchmarks)`, NONE, NONE, NONE, show(geometricMean(ratios), formatRatio), NONE],
        ],
      ),
      '',
    );
  }
  if (r.timeRatio.length) {
    out.push(
      '## Training time to the plateau (Fig. 10a, right)',
      '',
      "AXNet's plateau time over iterative's, per seed, with a 95% t-interval.",
      '',
      table(
        ['benchmark', 'plateau time AXNet / iterative', 'runs'],
        [...r.timeRatio.map((t) => [t.benchmark, withInterval(t, formatRatio), String(t.n)]), [`**${AVERAGE}** (geometric)`, show(geometricMean(r.timeRatio.map((t) => t.mean).filter(finite)), formatRatio), NONE]],
      ),
      '',
    );
  }
  return out;
}

function energy(r: ExperimentResults, get: SummaryLookup): string[] {
  const rows = benchmarksOf(r).flatMap((b) =>
    methodsOf(r)
      .filter((m) => get(b, m, comparedConfig(m), 'energyEfficiency'))
      .map((m) => {
        const c = comparedConfig(m);
        return [b, m, cell(get, b, m, c, 'energyEfficiency'), show(get(b, m, c, 'energyEfficiencyCpuHalf')?.mean, formatRatio), show(get(b, m, c, 'energyEfficiencyCpuDouble')?.mean, formatRatio), cell(get, b, m, c, 'speedup'), cell(get, b, m, c, 'normalizedEnergy')];
      }),
  );
  if (!rows.length) return [];
  return [
    '## Energy efficiency (Fig. 10b): a simulated estimate',
    '',
    "**Simulated, not measured:** the NPU simulator's estimate on the test rows with its default hardware description. Energy efficiency is speedup / normalised energy against the CPU alone. The band gives the same estimate with the CPU's energy per cycle halved (×0.5) and doubled (×2), as a sensitivity check on the one constant it leans on most.",
    '',
    table(['benchmark', 'method', 'energy efficiency', 'band: CPU energy ×0.5', 'band: CPU energy ×2', 'speedup', 'normalised energy'], rows),
    '',
  ];
}

function controlPlacement(r: ExperimentResults, get: SummaryLookup): string[] {
  const t = studyTable(r, get, 'axnet', CONTROL_CONFIGS, ['trueInvocation', 'predictedInvocation', 'predictionAccuracy', 'approximationError', 'parameters']);
  if (!t) return [];
  return ['## Where the control vectors go (Fig. 10c)', '', 'AXNet with two hidden layers, control vectors at every hidden layer, the first only or the second only.', '', t, ''];
}

function splitVariation(r: ExperimentResults, get: SummaryLookup): string[] {
  const cells = [...new Map(r.summary.filter((x) => x.config.endsWith('/splits')).map((x) => [[x.benchmark, x.method, x.config].join('\u0000'), x])).values()];
  if (!cells.length) return [];
  const rows = cells.map((x) => {
    const base = x.config.slice(0, -'/splits'.length);
    return [x.benchmark, x.method, base, ...(['trueInvocation', 'predictedInvocation'] as const).flatMap((metric) => [cell(get, x.benchmark, x.method, x.config, metric), cell(get, x.benchmark, x.method, base, metric)])];
  });
  return [
    '## Split variation',
    '',
    'The same cells over other train/test splits (initialisation seed fixed) beside the main runs over initialisation seeds (split fixed): how much of the spread is the split.',
    '',
    table(['benchmark', 'method', 'config', 'true invocation over splits', 'over initialisations', 'predicted invocation over splits', 'over initialisations'], rows),
    '',
  ];
}

function overBound(r: ExperimentResults): string[] {
  const cells = cellsOverBound(r);
  const out = ['## Cells whose mean approximation error exceeds the bound', ''];
  if (!cells.length) return [...out, 'None: every cell\'s mean approximation error is within its bound.', ''];
  return [
    ...out,
    'Their invocation is bought with error beyond what the bound allows, so it is not a fair win. They are outlined and marked "!" in Fig. 8 where the figure shows them.',
    '',
    table(['benchmark', 'method', 'config', 'mean approximation error', 'bound', 'metric'], cells.map((c) => [c.benchmark, c.method, c.config, withInterval(c.error, err), err(c.bound), c.metric])),
    '',
  ];
}

export function renderMarkdown(r: ExperimentResults): string {
  const get = summaryLookup(r);
  const sections = [
    header(r),
    tableI(r),
    comparison(r, get),
    paired(r),
    controlBias(r, get),
    parametersAndTime(r),
    energy(r, get),
    controlPlacement(r, get),
    splitVariation(r, get),
    overBound(r),
    ['## Figures', '', ...FIGURES.map((f) => `- [${f.file}](${f.file}): ${f.caption}`), ''],
  ];
  return sections.flat().join('\n');
}
