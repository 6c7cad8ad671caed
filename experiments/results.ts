// What one experiment run measures, and the table of all runs: the data behind results.md and the charts.

import type { TrainResult } from '../sweep/run-training-cell.ts';

/** One training cell's figures (sweep/run-training-cell.ts), less the backend the whole run reports once. */
export type RunResult = Omit<TrainResult, 'backend'>;

export interface ExperimentResults {
  command: string;
  data: string;
  backend: string;
  seed: number;
  budget: string;
  startedAt: string;
  seconds: number;
  comparison: RunResult[];
  controlStudy: RunResult[];
}
