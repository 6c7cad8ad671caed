// pareto.svg: every successful cell on the first two objectives (or the first against the cell's row, with
// one objective), the frontier joined and each of its points labelled by the cell's axis values.

import type { TopLevelSpec } from 'vega-lite';
import type { SweepRow } from './sweep-results.ts';
import type { LoadedSweep } from './sweep-spec.ts';

export function paretoChartSpec(sweep: LoadedSweep, rows: readonly SweepRow[]): TopLevelSpec {
  const [a, b] = sweep.objectives;
  const label = (r: SweepRow) => [r.model.split('/').pop(), ...Object.entries(r.axes).map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)].join(' ');
  const points = rows.flatMap((r, i) => {
    const x = b ? r.objectives[a.label] : i;
    const y = b ? r.objectives[b.label] : r.objectives[a.label];
    return r.status === 'ok' && x !== null && y !== null && Number.isFinite(x) && Number.isFinite(y) ? [{ x, y, frontier: r.pareto === 1 ? 'Pareto frontier' : 'dominated', label: label(r) }] : [];
  });
  const front = points.filter((p) => p.frontier === 'Pareto frontier').sort((p, q) => p.x - q.x || p.y - q.y);
  const x = { field: 'x', type: 'quantitative' as const, title: b ? a.label : 'cell', scale: { zero: false } };
  const y = { field: 'y', type: 'quantitative' as const, title: b ? b.label : a.label, scale: { zero: false } };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: `sweep: ${rows.length} cells, ${front.length} on the frontier`,
    width: 560,
    height: 360,
    layer: [
      { data: { values: points }, mark: { type: 'point', filled: true, size: 50 }, encoding: { x, y, color: { field: 'frontier', type: 'nominal', title: null } } },
      { data: { values: front }, mark: { type: 'line', color: '#d62728' }, encoding: { x, y, order: { field: 'x', type: 'quantitative' } } },
      { data: { values: front }, mark: { type: 'text', align: 'left', dx: 6, dy: -6, fontSize: 9 }, encoding: { x, y, text: { field: 'label', type: 'nominal' } } },
    ],
  } as TopLevelSpec;
}
