// The sweep engine: expands the spec into cells, reuses every cell already in <dir>/cells, runs the rest on the
// executor it is given (the local pool or the job queue), records each cell the moment it finishes (so an
// interrupted sweep resumes where it stopped), then writes the results, the frontier and its chart.

import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CellOutcome } from './run-cell.ts';
import type { CellPool } from './local-pool.ts';
import { expandCells, type Cell } from './sweep-cells.ts';
import { paretoChartSpec } from './pareto-chart.ts';
import { resultsCsv, resultsJson, summaryMarkdown, sweepRows, type SweepRow } from './sweep-results.ts';
import type { LoadedSweep } from './sweep-spec.ts';

export interface SweepProgress {
  total: number;
  /** Finished so far, cached ones included. */
  done: number;
  cached: number;
  failed: number;
}

export interface SweepOptions {
  outDir: string;
  /** The axc version, part of every cell's key. */
  version: string;
  /** Runs the cells not cached. */
  executor: CellPool;
  /** Writes a file whole or not at all (the CLI's atomic writer). */
  writeFile(path: string, data: string): void;
  onProgress?(p: SweepProgress): void;
}

export interface SweepOutcome {
  rows: SweepRow[];
  cached: number;
  computed: number;
  failed: number;
}

const cellFile = (dir: string, key: string) => join(dir, 'cells', `${key}.json`);

/** A cell's recorded outcome, or null when there is none (or it is unreadable: then it is run again). */
function recorded(dir: string, key: string): CellOutcome | null {
  const f = cellFile(dir, key);
  if (!existsSync(f)) return null;
  try {
    const o = JSON.parse(readFileSync(f, 'utf8')) as CellOutcome;
    return o && typeof o === 'object' && (o.ok === true ? typeof o.report === 'object' : o.ok === false && typeof o.error === 'string') ? o : null;
  } catch {
    return null;
  }
}

function outcomeJson(o: CellOutcome): string {
  return JSON.stringify(o, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), 2) + '\n';
}

export async function runSweep(sweep: LoadedSweep, opts: SweepOptions): Promise<SweepOutcome> {
  const cells = expandCells(sweep, opts.version);
  mkdirSync(join(opts.outDir, 'cells'), { recursive: true });
  const outcomes: (CellOutcome | null)[] = cells.map((c) => recorded(opts.outDir, c.job.key));
  const progress: SweepProgress = { total: cells.length, done: 0, cached: 0, failed: 0 };
  for (const o of outcomes) {
    if (o === null) continue;
    progress.done++;
    progress.cached++;
    if (!o.ok) progress.failed++;
  }
  opts.onProgress?.({ ...progress });
  const finish = (i: number, o: CellOutcome, record: boolean) => {
    outcomes[i] = o;
    if (record) opts.writeFile(cellFile(opts.outDir, cells[i].job.key), outcomeJson(o));
    progress.done++;
    if (!o.ok) progress.failed++;
    opts.onProgress?.({ ...progress });
  };
  // Cells with the same key (the same model twice in a spec, say) run once.
  const running = new Map<string, Promise<{ outcome: CellOutcome; record: boolean }>>();
  const run = (c: Cell) => {
    let p = running.get(c.job.key);
    if (!p) {
      p = c.problem !== null
        ? Promise.resolve({ outcome: { ok: false as const, error: c.problem }, record: true })
        : opts.executor.run(c.job).then(
            (outcome) => ({ outcome, record: true }),
            // A worker that crashed is not a property of the cell: reported, not recorded, so a rerun tries again.
            (e: unknown) => ({ outcome: { ok: false as const, error: `the worker failed: ${(e as Error)?.message ?? String(e)}` }, record: false }),
          );
      running.set(c.job.key, p);
    }
    return p;
  };
  await Promise.all(
    cells.map(async (c, i) => {
      if (outcomes[i] !== null) return;
      const { outcome, record } = await run(c);
      finish(i, outcome, record && !existsSync(cellFile(opts.outDir, c.job.key)));
    }),
  );
  const done = outcomes as CellOutcome[];
  const rows = sweepRows(sweep, cells, done);
  opts.writeFile(join(opts.outDir, 'results.csv'), resultsCsv(sweep, rows));
  opts.writeFile(join(opts.outDir, 'results.json'), resultsJson(rows));
  opts.writeFile(join(opts.outDir, 'summary.md'), summaryMarkdown(sweep, rows));
  // vega is slow to load: only a finished sweep pays for it.
  const { renderSvg } = await import('../plot/render-svg.ts');
  opts.writeFile(join(opts.outDir, 'pareto.svg'), await renderSvg(paretoChartSpec(sweep, rows)));
  return { rows, cached: progress.cached, computed: cells.length - progress.cached, failed: progress.failed };
}
