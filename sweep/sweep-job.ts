// The jobs a pool or a queue runs, of either kind: a sweep cell (compile and simulate) or a training cell of
// the experiments. One schema judges every job a worker takes; one function runs it.

import { z } from 'zod';
import { runCell, type CellOutcome } from './run-cell.ts';
import { runTrainingCell, TrainJobSchema, type TrainOutcome } from './run-training-cell.ts';
import { CellJobSchema } from './sweep-cells.ts';

export const SweepJobSchema = z.discriminatedUnion('kind', [CellJobSchema, TrainJobSchema], { error: "a job is a sweep cell (kind 'cell') or a training cell (kind 'train')" });

export type SweepJob = z.output<typeof SweepJobSchema>;
export type JobOutcome = CellOutcome | TrainOutcome;

/** The paths a job names, by field: what a worker must find under its root. */
export function jobPaths(job: SweepJob): ('model' | 'input' | 'reference' | 'data')[] {
  return job.kind === 'cell' ? ['model', 'input', 'reference'] : ['data'];
}

export function runJob(job: SweepJob): Promise<JobOutcome> {
  return job.kind === 'cell' ? runCell(job) : runTrainingCell(job);
}
