// The sweep engine: expands the spec into cells, runs them through the cache (sweep/run-jobs.ts: cells
// recorded in <dir>/cells are reused, the rest run on the pool or queue given), then writes the results, the
// frontier and its chart.

import { join } from 'node:path';
import type { JobPool } from './local-pool.ts';
import type { CellOutcome } from './run-cell.ts';
import { runJobs, type JobProgress } from './run-jobs.ts';
import { expandCells } from './sweep-cells.ts';
import { paretoChartSpec } from './pareto-chart.ts';
import { resultsCsv, resultsJson, summaryMarkdown, sweepRows, type SweepRow } from './sweep-results.ts';
import type { LoadedSweep } from './sweep-spec.ts';

export interface SweepOptions {
  outDir: string;
  /** The axc version, part of every cell's key. */
  version: string;
  /** Runs the cells not cached. */
  executor: JobPool;
  /** Writes a file whole or not at all (the CLI's atomic writer). */
  writeFile(path: string, data: string): void;
  onProgress?(p: JobProgress): void;
}

export interface SweepOutcome {
  rows: SweepRow[];
  cached: number;
  computed: number;
  failed: number;
}

export async function runSweep(sweep: LoadedSweep, opts: SweepOptions): Promise<SweepOutcome> {
  const cells = expandCells(sweep, opts.version);
  const { outcomes, progress } = await runJobs(
    cells.map((c) => ({ key: c.job.key, job: c.job, problem: c.problem })),
    { dir: join(opts.outDir, 'cells'), pool: opts.executor, writeFile: opts.writeFile, onProgress: opts.onProgress },
  );
  const rows = sweepRows(sweep, cells, outcomes as CellOutcome[]);
  opts.writeFile(join(opts.outDir, 'results.csv'), resultsCsv(sweep, rows));
  opts.writeFile(join(opts.outDir, 'results.json'), resultsJson(rows));
  opts.writeFile(join(opts.outDir, 'summary.md'), summaryMarkdown(sweep, rows));
  // vega is slow to load: only a finished sweep pays for it.
  const { renderSvg } = await import('../plot/render-svg.ts');
  opts.writeFile(join(opts.outDir, 'pareto.svg'), await renderSvg(paretoChartSpec(sweep, rows)));
  return { rows, cached: progress.cached, computed: cells.length - progress.cached, failed: progress.failed };
}
