// A watchdog for long campaigns: a worker thread that notices when the main thread has been inside one case
// far longer than the hang bound (a true infinite loop cannot be interrupted in-process), names that case
// (format, seed, index: enough to regenerate it) and ends the process, instead of the campaign stalling.

import { Worker } from 'node:worker_threads';

/** Plain JavaScript, so the worker needs no TypeScript loader. */
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { writeSync } = require('node:fs');
const state = new Int32Array(workerData.shared);
const names = workerData.formats;
setInterval(() => {
  const started = Atomics.load(state, 0);
  if (started === 0) return;
  const now = Date.now() % 2000000000;
  const stuck = now - started;
  if (stuck > workerData.limitMs) {
    // Straight to fd 2: a worker's process.stderr is relayed by the main thread, which is the one stuck.
    writeSync(2, 'fuzz watchdog: ' + names[Atomics.load(state, 1)] + ' case #' + Atomics.load(state, 2) + ' (seed ' + workerData.seed + ') has run for ' + stuck + ' ms; it is a hang. Replay: npm run fuzz -- --seed ' + workerData.seed + ' --count ' + (Atomics.load(state, 2) + 1) + ' --format ' + names[Atomics.load(state, 1)] + '\\n');
    // process.exit in a worker would end only the worker, and tsx handles SIGTERM in the main thread (stuck).
    process.kill(process.pid, 'SIGKILL');
  }
}, 500);
`;

export class Watchdog {
  private readonly state = new Int32Array(new SharedArrayBuffer(12));
  private readonly worker: Worker;

  constructor(formats: readonly string[], seed: number, limitMs: number) {
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { shared: this.state.buffer, formats, seed, limitMs } });
    this.worker.unref();
  }

  /** Marks the start of case `index` of format number `format`. */
  enter(format: number, index: number): void {
    Atomics.store(this.state, 1, format);
    Atomics.store(this.state, 2, index);
    // Wall-clock milliseconds (performance.timeOrigin differs between threads), folded to fit an Int32.
    Atomics.store(this.state, 0, Date.now() % 2_000_000_000);
  }

  leave(): void {
    Atomics.store(this.state, 0, 0);
  }

  stop(): Promise<number> {
    return this.worker.terminate();
  }
}
