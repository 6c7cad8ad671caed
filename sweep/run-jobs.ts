// Runs a list of keyed jobs with a cache: a job whose outcome is recorded in <dir>/<key>.json is taken from
// there; the rest run on the pool given (threads here, or the queue), each recorded the moment it finishes,
// so an interrupted run resumes losing at most the jobs that were running. Jobs with the same key run once.

import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JobPool } from './local-pool.ts';
import type { JobOutcome, SweepJob } from './sweep-job.ts';

export interface JobProgress {
  total: number;
  /** Finished so far, cached ones included. */
  done: number;
  cached: number;
  failed: number;
}

/** A job to run, or, with `problem`, one that fails with that reason without running. */
export interface KeyedJob {
  key: string;
  job: SweepJob;
  problem?: string | null;
}

export interface RunJobsOptions {
  /** Where outcomes are recorded, one file per key. */
  dir: string;
  pool: JobPool;
  /** Writes a file whole or not at all. */
  writeFile(path: string, data: string): void;
  onProgress?(p: JobProgress): void;
}

/** A recorded outcome, or null when there is none or it is unreadable (then the job runs again). */
function recorded(file: string): JobOutcome | null {
  if (!existsSync(file)) return null;
  try {
    const o = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    return o && typeof o === 'object' && (o.ok === true ? typeof (o.report ?? o.result) === 'object' : o.ok === false && typeof o.error === 'string') ? (o as unknown as JobOutcome) : null;
  } catch {
    return null;
  }
}

/** JSON with non-finite numbers as the strings "Infinity", "-Infinity", "NaN", as the run report writes them. */
export function outcomeJson(o: unknown): string {
  return JSON.stringify(o, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), 2) + '\n';
}

export async function runJobs(jobs: readonly KeyedJob[], opts: RunJobsOptions): Promise<{ outcomes: JobOutcome[]; progress: JobProgress }> {
  mkdirSync(opts.dir, { recursive: true });
  const file = (key: string) => join(opts.dir, `${key}.json`);
  const outcomes: (JobOutcome | null)[] = jobs.map((j) => recorded(file(j.key)));
  const progress: JobProgress = { total: jobs.length, done: 0, cached: 0, failed: 0 };
  for (const o of outcomes) {
    if (o === null) continue;
    progress.done++;
    progress.cached++;
    if (!o.ok) progress.failed++;
  }
  opts.onProgress?.({ ...progress });
  const running = new Map<string, Promise<{ outcome: JobOutcome; record: boolean }>>();
  const start = (j: KeyedJob): Promise<{ outcome: JobOutcome; record: boolean }> => {
    const known = running.get(j.key);
    if (known) return known;
    const p: Promise<{ outcome: JobOutcome; record: boolean }> = j.problem
      ? Promise.resolve({ outcome: { ok: false, error: j.problem }, record: true })
      : opts.pool.run(j.job).then(
          (outcome) => ({ outcome, record: true }),
          // A worker that crashed is not a property of the job: reported, not recorded, so a rerun tries again.
          (e: unknown) => ({ outcome: { ok: false, error: `the worker failed: ${(e as Error)?.message ?? String(e)}` }, record: false }),
        );
    running.set(j.key, p);
    return p;
  };
  await Promise.all(
    jobs.map(async (j, i) => {
      if (outcomes[i] !== null) return;
      const { outcome, record } = await start(j);
      outcomes[i] = outcome;
      // Written even over an unreadable record (it was run again for that reason); duplicates write the same.
      if (record) opts.writeFile(file(j.key), outcomeJson(outcome));
      progress.done++;
      if (!outcome.ok) progress.failed++;
      opts.onProgress?.({ ...progress });
    }),
  );
  return { outcomes: outcomes as JobOutcome[], progress };
}
