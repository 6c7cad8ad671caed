// The simulator: loads a binary (decode once, verify against its hardware), then runs the instruction stream
// sample by sample, telling the timing model it was handed (if any) of each instruction it executes. State
// is fixed-size, so memory stays flat however many samples run.

import { DIAG } from '../diagnostics/catalog.ts';
import { fail } from '../diagnostics/diagnostic.ts';
import { checkBinary } from '../isa/check-binary.ts';
import type { Binary } from '../isa/container.ts';
import { flattenProgram } from '../isa/encoding.ts';
import { DECODED_STRIDE } from '../isa/table.ts';
import { cpuCostOf, type CpuCostSource } from './binary-cpu-cost.ts';
import { BLOCKED, DISPATCH, HALTED } from './execute-ops.ts';
import { Machine, type InvokeMode } from './machine.ts';
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
}

/** What one sample did. The arrays are views into machine state, valid until the next sample. */
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
  y: Float32Array;
  ocm: Float32Array;
  instructions: number;
}

export class Simulator {
  readonly binary: Binary;
  readonly machine: Machine;
  readonly timing: TimingModel | null;
  readonly inputWidth: number;
  readonly outputWidth: number;
  /** CPU cycles of one exact evaluation: the model's (or its benchmark's), else the hardware default. */
  readonly cpuCyclesPerEvaluation: number;
  readonly cpuCostSource: CpuCostSource;
  private readonly code: Uint32Array;
  private readonly budget: number;
  private halted = false;
  private readonly result: SampleResult;

  constructor(binary: Binary, opts: SimulatorOptions = {}) {
    this.binary = binary;
    // The loader's checks, for binaries handed over in-process as well as those read from disk.
    const { program, inputWidth, outputWidth } = checkBinary(binary);
    this.inputWidth = inputWidth;
    this.outputWidth = outputWidth;
    this.code = flattenProgram(program);
    const cost = cpuCostOf(binary);
    this.cpuCyclesPerEvaluation = cost.cycles;
    this.cpuCostSource = cost.source;
    this.machine = new Machine(binary.hardware, binary.dram, this.outputWidth, opts.invoke ?? 'model');
    this.timing = opts.timing ?? null;
    // A timing model for other hardware or another CPU cost would time a different machine than this one runs.
    if (this.timing && (this.timing.hw !== binary.hardware || this.timing.cpuClockCycles !== cost.cycles))
      throw new Error('the timing model handed to the Simulator was not made for this binary (use timingFor(binary))');
    this.budget = opts.maxInstructionsPerSample ?? 50_000_000;
    this.result = { p: 1, score: Infinity, predicted: true, invoked: false, fallback: false, y: this.machine.y, ocm: this.machine.ocm, instructions: 0 };
    this.run(); // the setup stage: runs until the first recv blocks
  }

  /** Executes until `recv` blocks for want of a sample, or the program halts. Returns instructions executed. */
  private run(): number {
    const m = this.machine;
    const code = this.code;
    const timing = this.timing;
    let pc = m.pc;
    let n = 0;
    for (;;) {
      const at = pc * DECODED_STRIDE;
      const op = code[at];
      const next = DISPATCH[op](m, code, at, pc);
      if (next === BLOCKED) break;
      if (timing !== null) TIMING_RULES[op](timing, code, at);
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
    return n;
  }

  /** Ends the run for the timing model: the last sample's cycles and the tail of the run are counted. */
  close(): void {
    this.timing?.close();
  }

  get isHalted(): boolean {
    return this.halted;
  }

  runSample(x: Float32Array): SampleResult {
    if (x.length !== this.inputWidth) fail(DIAG.inputWidth, undefined, x.length, this.inputWidth);
    const m = this.machine;
    if (this.halted) fail(DIAG.haltedBeforeSample, undefined, m.pc);
    m.resetSampleRegisters();
    m.pending = x;
    const n = this.run();
    if (m.pending !== null) fail(DIAG.haltedBeforeSample, undefined, m.pc);
    const r = this.result;
    r.p = m.p;
    r.score = m.score;
    r.predicted = m.predicted;
    r.invoked = m.invoked;
    r.fallback = m.fallback;
    r.instructions = n;
    return r;
  }
}
