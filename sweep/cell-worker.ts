// The worker-thread side of the local pool (piscina): runs the jobs it is handed.

import { runJob, type JobOutcome, type SweepJob } from './sweep-job.ts';

export default function runJobInWorker(job: SweepJob): Promise<JobOutcome> {
  return runJob(job);
}
