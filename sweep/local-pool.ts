// The pool that runs a sweep's cells (and the experiments' training cells) on this machine's cores: piscina
// worker threads, each running jobs with sweep-job.ts. From the build they load the bundled cell-worker.js beside
// the CLI; from the sources, cell-worker-from-source.mjs, which loads the TypeScript through tsx's API.

import { Piscina } from 'piscina';
import type { JobOutcome, SweepJob } from './sweep-job.ts';

/** Runs jobs (here on threads, or through the queue: sweep/job-queue.ts) and is closed when done. */
export interface JobPool {
  run(job: SweepJob): Promise<JobOutcome>;
  close(): Promise<void>;
}

export function localPool(jobs: number): JobPool {
  const fromSource = import.meta.url.endsWith('.ts');
  // A worker thread does not inherit the tsx loader: from the sources, a plain module loads the TypeScript.
  const filename = new URL(fromSource ? './cell-worker-from-source.mjs' : './cell-worker.js', import.meta.url).href;
  const pool = new Piscina({ filename, minThreads: jobs, maxThreads: jobs, idleTimeout: 60_000 });
  return {
    run: (job) => pool.run(job) as Promise<JobOutcome>,
    close: () => pool.destroy(),
  };
}
