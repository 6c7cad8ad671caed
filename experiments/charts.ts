// Bar charts in the style of the paper's figures, rendered to SVG with vega-lite (no browser needed).

import type { TopLevelSpec } from 'vega-lite';
import { renderSvg } from '../plot/render-svg.ts';
import type { RunResult } from './results.ts';

const METHOD_ORDER = ['axnet', 'iterative', 'onepass', 'shared'];


/** Grouped bars: one group per benchmark, one bar per method (or control placement). */
export function groupedBars(rows: RunResult[], field: keyof RunResult, title: string, yTitle: string, group: 'method' | 'control' = 'method', percent = true): Promise<string> {
  const values = rows.filter((r) => Number.isFinite(r[field] as number)).map((r) => ({ bench: r.bench, series: r[group], value: r[field] }));
  return renderSvg({
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    width: { step: 16 },
    height: 220,
    data: { values },
    mark: { type: 'bar', tooltip: true },
    encoding: {
      x: { field: 'bench', type: 'nominal', title: null, axis: { labelAngle: 0 } },
      xOffset: { field: 'series', sort: group === 'method' ? METHOD_ORDER : ['all', 'first', 'second'] },
      y: { field: 'value', type: 'quantitative', title: yTitle, axis: percent ? { format: '.0%' } : {} },
      color: { field: 'series', type: 'nominal', title: group, sort: group === 'method' ? METHOD_ORDER : ['all', 'first', 'second'] },
    },
    config: { font: 'sans-serif', view: { stroke: null } },
  } as TopLevelSpec);
}

/** Fig. 6: true invocation (solid) with predicted invocation (hatched, here lighter) per method. */
export function invocationChart(rows: RunResult[]): Promise<string> {
  const values = rows.flatMap((r) => [
    { bench: r.bench, method: r.method, kind: 'true', value: r.trueInvocation },
    { bench: r.bench, method: r.method, kind: 'predicted', value: r.predictedInvocation },
  ]);
  return renderSvg({
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: 'True invocation (solid) and predicted invocation (light) on test data',
    width: { step: 14 },
    height: 220,
    data: { values },
    mark: { type: 'bar', tooltip: true },
    encoding: {
      x: { field: 'bench', type: 'nominal', title: null, axis: { labelAngle: 0 } },
      xOffset: { field: 'key', sort: METHOD_ORDER.flatMap((m) => [`${m} true`, `${m} predicted`]) },
      y: { field: 'value', type: 'quantitative', title: 'invocation', axis: { format: '.0%' } },
      color: { field: 'method', type: 'nominal', sort: METHOD_ORDER },
      opacity: { field: 'kind', type: 'ordinal', sort: ['true', 'predicted'], scale: { domain: ['true', 'predicted'], range: [1, 0.45] }, title: null },
    },
    transform: [{ calculate: "datum.method + ' ' + datum.kind", as: 'key' }],
    config: { font: 'sans-serif', view: { stroke: null } },
  } as TopLevelSpec);
}
