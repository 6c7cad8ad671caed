// The simulator: loads a binary (decode once, verify against its hardware), then runs the instruction stream
// batch by batch (a batch of one for most programs), telling the timing model it was handed (if any) of each instruction it executes. State
// is fixed-size, so memory stays flat however many samples run.

import { DIAG } from '../diagnostics/catalog.ts';
import { fail } from '../diagnostics/diagnostic.ts';
import { checkBinary } from '../isa/check-binary.ts';
import type { Binary } from '../isa/container.ts';
import { flattenProgram } from '../isa/encoding.ts';
import { DECODED_STRIDE } from '../isa/table.ts';
import { cpuCostOf, type CpuCostSource } from './binary-cpu-cost.ts';
import { BLOCKED, DISPATCH, HALTED, type Executor } from './execute-ops.ts';
import { DISPATCH_IN_FORMATS } from './execute-formats.ts';
import { fp32Twin } from '../ir/numerics-plan.ts';
import { Machine, type InvokeMode, type Words } from './machine.ts';
import type { TimingModel } from './timing-model.ts';
import { TIMING_RULES } from './timing-rules.ts';

export type { CpuCostSource } from './binary-cpu-cost.ts';
export type { InvokeMode } from './machine.ts';

export interface SimulatorOptions {
  /** The timing and energy observer (machine/timing-model.ts, `timingFor`), told of every instruction the
   *  machine executes. Without one the simulator is functional only, and faster. */
  timing?: TimingModel | null;
  /** The path the controller takes (default 'model': the predictor decides). */
  invoke?: InvokeMode;
  /** Guard against hand-written programs that never come back to `recv`. */
  maxInstructionsPerSample?: number;
  /** Run a binary outside fp32 as its fp32 twin: the same program on the model's unrounded weights, every
   *  grid float32 (`axc sim --shadow fp32`). */
  shadowFp32?: boolean;
}

/** What one sample did. The arrays are views into machine state, valid until the next `push`, `end` or `runSample`. */
export interface SampleResult {
  p: number;
  /** What the controller compared with the decision's cut (ir/numerics.ts): P(x) for `decs`, the safe
   *  logit's margin for `decm`; +Infinity when no decision ran (the sample is always invoked). */
  score: number;
  /** The predictor's decision, whatever the controller was told to do. */
  predicted: boolean;
  /** The approximation subnet ran and H(x) was sent (y is valid). */
  invoked: boolean;
  /** The controller handed the sample to the CPU. */
  fallback: boolean;
  /** The sample as the machine received it, and the batch slot it ran in (its regions are slot 0's + slot ×
   *  the binary's slot stride: `name` for slot 0, `name.sS` for slot S in the binary's regions). */
  x: Float32Array;
  slot: number;
  y: Float32Array;
  ocm: Words;
  /** Instructions executed from the push that completed the sample's batch (its own, for a batch of one). */
  instructions: number;
}

export class Simulator {
  readonly binary: Binary;
  readonly machine: Machine;
  readonly timing: TimingModel | null;
  readonly inputWidth: number;
  readonly outputWidth: number;
  /** Samples the program takes at once; results come out a batch at a time (`push`, `end`). */
  readonly batch: number;
  /** CPU cycles of one exact evaluation: the model's (or its benchmark's), else the hardware default. */
  readonly cpuCyclesPerEvaluation: number;
  readonly cpuCostSource: CpuCostSource;
  /** results[0 .. ready): the samples the latest `push` or `end` completed, in the order they were pushed. */
  readonly results: readonly SampleResult[];
  ready = 0;
  private readonly code: Uint32Array;
  private readonly dispatch: readonly Executor[];
  private readonly budget: number;
  private halted = false;
  private ended = false;
  /** One result record per slot, updated in place when its batch completes. */
  private readonly slotResults: SampleResult[];
  private readonly out: SampleResult[];
  private sinceCollect = 0;

  constructor(binary: Binary, opts: SimulatorOptions = {}) {
    this.binary = binary;
    // The loader's checks, for binaries handed over in-process as well as those read from disk.
    const { program, inputWidth, outputWidth, batch } = checkBinary(binary);
    this.inputWidth = inputWidth;
    this.outputWidth = outputWidth;
    this.batch = batch;
    this.code = flattenProgram(program);
    const cost = cpuCostOf(binary);
    this.cpuCyclesPerEvaluation = cost.cycles;
    this.cpuCostSource = cost.source;
    const shadow = opts.shadowFp32 === true && binary.numerics !== undefined;
    if (shadow && !binary.shadowDram) throw new Error('a binary outside fp32 carries its float32 weights for shadow runs');
    const numerics = binary.numerics ? (shadow ? fp32Twin(binary.numerics) : binary.numerics) : null;
    const dram = shadow ? Float64Array.from(binary.shadowDram!) : binary.dram;
    const m = new Machine(binary.hardware, dram, { input: inputWidth, output: outputWidth, batch }, opts.invoke ?? 'model', numerics);
    this.dispatch = numerics ? DISPATCH_IN_FORMATS : DISPATCH;
    this.machine = m;
    this.timing = opts.timing ?? null;
    // A timing model for other hardware or another CPU cost would time a different machine than this one runs.
    if (this.timing && (this.timing.hw !== binary.hardware || this.timing.cpuClockCycles !== cost.cycles))
      throw new Error('the timing model handed to the Simulator was not made for this binary (use timingFor(binary))');
    this.budget = opts.maxInstructionsPerSample ?? 50_000_000;
    this.slotResults = Array.from({ length: batch }, (_, s) => ({
      p: 1,
      score: Infinity,
      predicted: true,
      invoked: false,
      fallback: false,
      x: m.x.subarray(s * inputWidth, (s + 1) * inputWidth),
      slot: s,
      y: m.y.subarray(s * outputWidth, (s + 1) * outputWidth),
      ocm: m.ocm,
      instructions: 0,
    }));
    this.out = new Array(batch);
    this.results = this.out;
    this.run(); // the setup stage: runs until the first recv blocks
    this.sinceCollect = 0;
  }

  /** Executes until `recv` blocks (for want of a sample, or with a batch to collect), or the program halts. */
  private run(): void {
    const m = this.machine;
    const code = this.code;
    const timing = this.timing;
    const dispatch = this.dispatch;
    let pc = m.pc;
    let n = 0;
    for (;;) {
      const at = pc * DECODED_STRIDE;
      const op = code[at];
      const next = dispatch[op](m, code, at, pc);
      if (next === BLOCKED) break;
      if (timing !== null) TIMING_RULES[op](timing, code, at, m);
      n++;
      if (next === HALTED) {
        this.halted = true;
        break;
      }
      if (n > this.budget) fail(DIAG.runawayProgram, undefined, pc, this.budget);
      pc = next;
    }
    m.pc = pc;
    m.instructions += n;
    this.sinceCollect += n;
  }

  /** Runs on from a block, collecting each batch that completes, until the machine needs what the host has
   *  not given (a sample, or the end of the input) or halts. */
  private advance(): void {
    const m = this.machine;
    this.ready = 0;
    for (;;) {
      this.run();
      if (m.batchComplete || (this.halted && m.filled > 0)) {
        this.collect();
        if (!this.halted) continue;
      }
      return;
    }
  }

  /** The batch in hand is done: its samples' results, in slot order, become results[ready ..]. */
  private collect(): void {
    const m = this.machine;
    for (let s = 0; s < m.batch; s++) {
      if (m.present[s] === 0) continue;
      const r = this.slotResults[s];
      r.p = m.p[s];
      r.score = m.score[s];
      r.predicted = m.predicted[s] === 1;
      r.invoked = m.invoked[s] === 1;
      r.fallback = m.fallback[s] === 1;
      r.instructions = this.sinceCollect;
      this.out[this.ready++] = r;
    }
    this.sinceCollect = 0;
    m.clearBatch();
  }

  /** Ends the run for the timing model: the last sample's cycles and the tail of the run are counted. */
  close(): void {
    this.timing?.close();
  }

  get isHalted(): boolean {
    return this.halted;
  }

  /** Hands the machine one sample and runs as far as it can; returns how many results completed (`results`):
   *  none while a batch is filling, then the batch. */
  push(x: Float32Array): number {
    if (x.length !== this.inputWidth) fail(DIAG.inputWidth, undefined, x.length, this.inputWidth);
    const m = this.machine;
    if (this.halted || this.ended) fail(DIAG.haltedBeforeSample, undefined, m.pc);
    m.pending = x;
    this.advance();
    if (m.pending !== null) fail(DIAG.haltedBeforeSample, undefined, m.pc);
    return this.ready;
  }

  /** No more samples: the machine finishes the batch in hand (short); returns how many results completed. */
  end(): number {
    if (this.ended) return (this.ready = 0);
    this.ended = true;
    this.machine.inputEnded = true;
    if (this.halted) return (this.ready = 0);
    this.advance();
    return this.ready;
  }

  /** Runs every sample of `xs`, then ends the input; `each` is handed every result in input order, with its
   *  index. Returns the number of samples. */
  runAll(xs: Iterable<Float32Array>, each: (r: SampleResult, index: number) => void): number {
    let n = 0;
    const take = (k: number) => {
      for (let i = 0; i < k; i++) each(this.results[i], n++);
    };
    for (const x of xs) take(this.push(x));
    take(this.end());
    return n;
  }

  /** One sample through a program that takes one at a time (a batch of one): its result. */
  runSample(x: Float32Array): SampleResult {
    if (this.batch !== 1) throw new Error(`runSample: this program takes batches of ${this.batch}; use push and end`);
    if (this.push(x) !== 1) fail(DIAG.haltedBeforeSample, undefined, this.machine.pc);
    return this.results[0];
  }
}
