// Sweeps over many machines through BullMQ on Redis: the sweep puts each cell on the queue (its key is the job's
// id, so a cell is queued, and recorded, once), workers anywhere take cells and run them on their own pool,
// and the sweep collects the outcomes. A worker trusts nothing it takes: each job is checked against the cell
// schema and every path it names must resolve, symlinks followed, inside the worker's root.

import { realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { Queue, QueueEvents, UnrecoverableError, Worker, type ConnectionOptions } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import { DIAG } from '../diagnostics/catalog.ts';
import { describeFsError, diag, fail, formatDiagnostic } from '../diagnostics/diagnostic.ts';
import { localPool, type JobPool } from './local-pool.ts';
import { jobPaths, SweepJobSchema, type JobOutcome, type SweepJob } from './sweep-job.ts';
import { outcomeJson } from './run-jobs.ts';

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

/**
 * Fails clearly when Redis does not answer a PING within 10 s. BullMQ's own clients retry forever (as workers
 * must), so an unreachable queue would otherwise hang without a word; this probe gives up.
 */
export async function checkReachable(url: string): Promise<void> {
  const probe = new Redis({ ...(connectionFromUrl(url) as RedisOptions), lazyConnect: true, connectTimeout: 10_000, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  probe.on('error', () => {}); // reported below, once
  try {
    await probe.connect();
    await probe.ping();
  } catch {
    fail(DIAG.queueUnreachable, undefined, new URL(url).host);
  } finally {
    probe.disconnect();
  }
}

/** The queue as a sweep's executor, once Redis answers: paths go as the sweep sees them, relative to its root
 *  where they lie in it. */
export async function openQueueExecutor(url: string, root: string): Promise<JobPool> {
  await checkReachable(url);
  const connection = connectionFromUrl(url);
  const queue = new Queue(QUEUE_NAME, { connection });
  const events = new QueueEvents(QUEUE_NAME, { connection });
  // Every cell waits on these at once: many listeners are the design, not a leak.
  queue.setMaxListeners(0);
  events.setMaxListeners(0);
  await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
  const portable = (p: string) => {
    if (!isAbsolute(p)) return p;
    const r = relative(root, p);
    if (r.startsWith('..') || isAbsolute(r)) return p;
    // A file named `exact` must not read as the benchmark's exact reference.
    return r === 'exact' ? `.${sep}exact` : r;
  };
  return {
    async run(job: SweepJob): Promise<JobOutcome> {
      const data: Record<string, unknown> = { ...job };
      for (const k of jobPaths(job)) if (typeof data[k] === 'string' && !(k === 'reference' && data[k] === 'exact')) data[k] = portable(data[k] as string);
      // A job that failed before (a worker crash, a refusal by one worker's settings) is tried afresh; a
      // completed one is the cell's result, whichever sweep asked for it.
      const earlier = await queue.getJob(job.key);
      if (earlier && (await earlier.isFailed())) await earlier.remove();
      const queued = await queue.add('cell', data, { jobId: job.key, attempts: 3, backoff: { type: 'fixed', delay: 500 }, removeOnComplete: { age: 24 * 3600 }, removeOnFail: { age: 24 * 3600 } });
      // A job that failed for good rejects here: the cell fails with the worker's reason and is not recorded.
      // The outcome comes as JSON text, so non-finite figures survive the queue (BullMQ would turn them into null).
      const text = (await queued.waitUntilFinished(events)) as unknown;
      return (typeof text === 'string' ? JSON.parse(text) : text) as JobOutcome;
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
  const realRoot = realpathSync(root);
  const within = (p: string, r: string) => p === r || p.startsWith(r.endsWith(sep) ? r : r + sep);
  const inside = (p: string) => within(p, realRoot);
  // Lexically inside the root as given or as resolved (the root may be reached through a symlink), then,
  // symlinks followed, inside the resolved root.
  const lexical = resolve(realRoot, path);
  const escapes = formatDiagnostic(diag(DIAG.workerPathEscapes, undefined, path, root));
  if (!inside(lexical) && !within(resolve(root, path), resolve(root))) return { refusal: escapes };
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
        if (k === 'reference' && p === 'exact') continue;
        const r = resolveUnder(o.root, p);
        if ('refusal' in r) {
          o.onCell?.(cell.key, { ok: false, error: r.refusal });
          // Fails the job, not recorded as the cell's result: the refusal depends on this worker's --root.
          throw new UnrecoverableError(r.refusal);
        }
        fields[k] = r.path;
      }
      const outcome = await pool.run(cell);
      o.onCell?.(cell.key, outcome);
      return outcomeJson(outcome);
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
