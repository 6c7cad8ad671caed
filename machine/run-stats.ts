// What a timed run adds up: cycles per stage (charged from one issue to the next), the setup stage's
// length, the histogram of per-sample cycles, PE busy cycles and CPU evaluations.

import { STAGE_NAMES } from '../isa/table.ts';

export class RunStats {
  readonly stageCycles = new Float64Array(STAGE_NAMES.length);
  /** Latest completion of anything so far: the run's length. */
  end = 0;
  /** Cycles before the first sample's recv issues. */
  setupCycles = 0;
  /** Issue cycle of the current batch's first recv (-1 before the first sample and after close). */
  sampleStart = -1;
  /** Samples in the current batch so far. */
  inBatch = 0;
  /** Histogram of per-sample cycles (a batch's first recv to the next batch's, the last batch to the end of the
   *  run, shared evenly among the batch's samples, the first few taking a cycle more, so that they sum to the
   *  batch's; a batch of one is its sample): a few
   *  distinct values, so memory stays flat. The latest value's count is held apart (`runValue`, `runCount`)
   *  until the value changes, since in a steady state it repeats: see `sampleHistogram`. */
  private readonly sampleCycles = new Map<number, number>();
  private runValue = -1;
  private runCount = 0;
  peBusyCycles = 0;
  cpuEvaluations = 0;

  lastIssue = 0;
  lastStage = 0;

  /** Charges the controller's time since the previous issue to that instruction's stage. */
  issue(t: number, stage: number): void {
    this.stageCycles[this.lastStage] += t - this.lastIssue;
    this.lastIssue = t;
    this.lastStage = stage;
  }

  /** A batch's first recv issued at t: the previous batch (if any) ends there, and a new one starts. */
  startBatch(t: number): void {
    if (this.sampleStart < 0) this.setupCycles = t;
    else this.countBatch(t - this.sampleStart);
    this.sampleStart = t;
    this.inBatch = 0;
  }

  /** A recv took a sample into the current batch. */
  addSample(): void {
    this.inBatch++;
  }

  /** Ends the run: charges the tail, from the last issue to the last completion, to the last stage, and
   *  closes the last sample. */
  close(): void {
    this.issue(Math.max(this.end, this.lastIssue), this.lastStage);
    if (this.sampleStart >= 0) this.countBatch(this.end - this.sampleStart);
    this.sampleStart = -1;
  }

  private countBatch(cycles: number): void {
    const n = this.inBatch;
    if (n <= 1) return this.countSample(cycles);
    const share = Math.floor(cycles / n);
    const more = cycles - share * n;
    for (let i = 0; i < n; i++) this.countSample(i < more ? share + 1 : share);
  }

  private countSample(cycles: number): void {
    if (cycles === this.runValue) {
      this.runCount++;
      return;
    }
    this.flushRun();
    this.runValue = cycles;
    this.runCount = 1;
  }

  private flushRun(): void {
    if (this.runCount > 0) this.sampleCycles.set(this.runValue, (this.sampleCycles.get(this.runValue) ?? 0) + this.runCount);
    this.runCount = 0;
    this.runValue = -1;
  }

  /** Per-sample cycles → number of samples, so far. */
  sampleHistogram(): Map<number, number> {
    this.flushRun();
    return new Map(this.sampleCycles);
  }
}
