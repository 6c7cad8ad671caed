// What one experiment run measures, and the table of all runs: the data behind results.md and the charts.

export interface RunResult {
  bench: string;
  method: string;
  /** For the control-placement study (Fig. 10c): 'all', 'first' or 'second'; otherwise 'all'. */
  control: string;
  trueInvocation: number;
  predictedInvocation: number;
  predictionAccuracy: number;
  /** Mean error over the predicted-safe test samples (NaN when none is predicted safe). */
  approximationError: number;
  parameters: number;
  trainSeconds: number;
}

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
