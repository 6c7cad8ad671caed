// Sweeps over many machines through BullMQ on Redis: the sweep puts each cell on the queue (its key is the job's
// id, so a cell is queued, and recorded, once), workers anywhere take cells and run them on their own pool,
// and the sweep collects the outcomes. A worker trusts nothing it takes: each job is checked against the cell
// schema and every path it names must resolve, symlinks followed, inside the worker's root.

import { realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { Queue, QueueEvents, UnrecoverableError, Worker, type ConnectionOptions } from 'bullmq';
import { DIAG } from '../diagnostics/catalog.ts';
import { describeFsError, diag, fail, formatDiagnostic } from '../diagnostics/diagnostic.ts';
import { localPool, type JobPool } from './local-pool.ts';
import { jobPaths, SweepJobSchema, type JobOutcome, type SweepJob } from './sweep-job.ts';

/** One queue for every sweep: a cell's key names its job, so sweeps that share a cell share its result. */
export const QUEUE_NAME = 'axc-sweep-cells';

/** redis://[user:password@]host:port[/db] or rediss:// (TLS). */
export function connectionFromUrl(url: string): ConnectionOptions {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    fail(DIAG.badQueueUrl, undefined, url);
  }
  if ((u.protocol !== 'redis:' && u.protocol !== 'rediss:') || !u.hostname) fail(DIAG.badQueueUrl, undefined, url);
  const db = u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0;
  if (!Number.isInteger(db) || db < 0) fail(DIAG.badQueueUrl, undefined, url);
  return {
    host: u.hostname,
    port: u.port ? Number(u.port) : 6379,
    db,
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
    // BullMQ's workers block on Redis; they must not give up on a command mid-wait.
    maxRetriesPerRequest: null,
  };
}

/** The queue as a sweep's executor: paths go as the sweep sees them, relative to its root where they lie in it. */
export function queueExecutor(url: string, root: string): JobPool {
  const connection = connectionFromUrl(url);
  const queue = new Queue(QUEUE_NAME, { connection });
  const events = new QueueEvents(QUEUE_NAME, { connection });
  // Every cell waits on these at once: many listeners are the design, not a leak.
  queue.setMaxListeners(0);
  events.setMaxListeners(0);
  const ready = events.waitUntilReady();
  const portable = (p: string) => {
    if (p === 'exact' || !isAbsolute(p)) return p;
    const r = relative(root, p);
    return r.startsWith('..') || isAbsolute(r) ? p : r;
  };
  return {
    async run(job: SweepJob): Promise<JobOutcome> {
      await ready;
      const data: Record<string, unknown> = { ...job };
      for (const k of jobPaths(job)) if (typeof data[k] === 'string') data[k] = portable(data[k] as string);
      const queued = await queue.add('cell', data, { jobId: job.key, attempts: 3, backoff: { type: 'fixed', delay: 500 }, removeOnComplete: { age: 24 * 3600 }, removeOnFail: { age: 24 * 3600 } });
      try {
        return (await queued.waitUntilFinished(events)) as JobOutcome;
      } catch (e) {
        // A job that failed for good (a malformed job, say): the cell fails with the worker's reason.
        return { ok: false, error: `the worker refused the job: ${(e as Error).message}` };
      }
    },
    async close() {
      await events.close();
      await queue.close();
    },
  };
}

/** `path` resolved under `root` with symlinks followed, or why it may not be used: it leaves the root (through
 *  `..`, an absolute path or a symlink), or it cannot be read there. */
export function resolveUnder(root: string, path: string): { path: string } | { refusal: string } {
  if (path === 'exact') return { path };
  const realRoot = realpathSync(root);
  const inside = (p: string) => p === realRoot || p.startsWith(realRoot + sep);
  const lexical = resolve(realRoot, path);
  const escapes = formatDiagnostic(diag(DIAG.workerPathEscapes, undefined, path, root));
  if (!inside(lexical)) return { refusal: escapes };
  let real: string;
  try {
    real = realpathSync(lexical);
  } catch (e) {
    return { refusal: formatDiagnostic(diag(DIAG.workerPathUnreadable, undefined, path, root, describeFsError(e))) };
  }
  return inside(real) ? { path: real } : { refusal: escapes };
}

export interface WorkerOptions {
  url: string;
  root: string;
  jobs: number;
  /** Seconds a job stays locked to a worker that stops renewing it; after that another worker retries it. */
  lockSeconds: number;
  onCell?(key: string, outcome: JobOutcome): void;
}

/** A worker: takes cells off the queue and runs them on a local pool of `jobs` threads. */
export function startWorker(o: WorkerOptions): { worker: Worker; close(): Promise<void> } {
  const pool = localPool(o.jobs);
  const worker = new Worker(
    QUEUE_NAME,
    async (job) => {
      const parsed = SweepJobSchema.safeParse(job.data);
      if (!parsed.success) {
        const i = parsed.error.issues[0];
        throw new UnrecoverableError(formatDiagnostic(diag(DIAG.workerJobInvalid, undefined, `${i.path.join('.') || 'job'}: ${i.message}`)));
      }
      const cell = parsed.data;
      const fields = cell as unknown as Record<string, unknown>;
      for (const k of jobPaths(cell)) {
        const p = fields[k];
        if (typeof p !== 'string') continue;
        const r = resolveUnder(o.root, p);
        if ('refusal' in r) {
          const outcome: JobOutcome = { ok: false, error: r.refusal };
          o.onCell?.(cell.key, outcome);
          return outcome;
        }
        fields[k] = r.path;
      }
      const outcome = await pool.run(cell);
      o.onCell?.(cell.key, outcome);
      return outcome;
    },
    { connection: connectionFromUrl(o.url), concurrency: o.jobs, lockDuration: o.lockSeconds * 1000, stalledInterval: o.lockSeconds * 1000 },
  );
  return {
    worker,
    async close() {
      await worker.close();
      await pool.close();
    },
  };
}
