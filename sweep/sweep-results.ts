// A finished sweep's rows and the files made of them: results.csv and results.json (one row per cell, in the
// cells' fixed order), and summary.md (the frontier as a table).

import type { CellOutcome } from './run-cell.ts';
import type { Cell } from './sweep-cells.ts';
import { paretoFront } from './pareto.ts';
import { reportValue } from './report-fields.ts';
import type { LoadedSweep } from './sweep-spec.ts';

export interface SweepRow {
  model: string;
  axes: Record<string, unknown>;
  /** Each objective's value by its label, null where the cell has none. */
  objectives: Record<string, number | null>;
  pareto: 0 | 1;
  status: 'ok' | 'failed';
  error: string | null;
  key: string;
}

export function sweepRows(sweep: LoadedSweep, cells: readonly Cell[], outcomes: readonly CellOutcome[]): SweepRow[] {
  const rows = cells.map((c, i) => {
    const o = outcomes[i];
    const objectives = Object.fromEntries(sweep.objectives.map((ob) => [ob.label, o.ok ? reportValue(o.report, ob.field) : null]));
    return { model: c.model, axes: c.axes, objectives, pareto: 0 as 0 | 1, status: o.ok ? ('ok' as const) : ('failed' as const), error: o.ok ? null : o.error, key: c.job.key };
  });
  const front = paretoFront(rows.map((r) => ({ scores: sweep.objectives.map((ob) => (r.objectives[ob.label] === null ? null : ob.maximise ? -r.objectives[ob.label]! : r.objectives[ob.label])) })));
  front.forEach((on, i) => (rows[i].pareto = on ? 1 : 0));
  return rows;
}

/** A value as a CSV cell: numbers in JavaScript's shortest text, objects as JSON, quoted when needed. */
function cell(v: unknown): string {
  const text = v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function resultsCsv(sweep: LoadedSweep, rows: readonly SweepRow[]): string {
  const axes = Object.keys(sweep.spec.axes);
  const head = ['model', ...axes, ...sweep.objectives.map((o) => o.label), 'pareto', 'status', 'error', 'key'];
  const lines = rows.map((r) => [r.model, ...axes.map((a) => r.axes[a]), ...sweep.objectives.map((o) => r.objectives[o.label]), r.pareto, r.status, r.error, r.key].map(cell).join(','));
  return [head.map(cell).join(','), ...lines].join('\n') + '\n';
}

export function resultsJson(rows: readonly SweepRow[]): string {
  return JSON.stringify(rows, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), 2) + '\n';
}

export function summaryMarkdown(sweep: LoadedSweep, rows: readonly SweepRow[]): string {
  const axes = Object.keys(sweep.spec.axes);
  const front = rows.filter((r) => r.pareto === 1);
  const failed = rows.filter((r) => r.status === 'failed').length;
  const esc = (v: unknown) => (v === null || v === undefined ? '—' : typeof v === 'object' ? `\`${JSON.stringify(v)}\`` : String(v)).replace(/\|/g, '\\|');
  const out = [
    `# Sweep: ${rows.length} cells, ${front.length} on the Pareto frontier${failed ? `, ${failed} failed` : ''}`,
    '',
    `Objectives: ${sweep.objectives.map((o) => `\`${o.field}\` (${o.maximise ? 'maximised' : 'minimised'})`).join(', ')}.`,
    '',
    `| model | ${[...axes, ...sweep.objectives.map((o) => o.label)].join(' | ')} | key |`,
    `| --- | ${[...axes, ...sweep.objectives].map(() => '---').join(' | ')} | --- |`,
    ...front.map((r) => `| ${esc(r.model)} | ${[...axes.map((a) => esc(r.axes[a])), ...sweep.objectives.map((o) => esc(r.objectives[o.label]))].join(' | ')} | ${r.key.slice(0, 12)} |`),
  ];
  return out.join('\n') + '\n';
}
