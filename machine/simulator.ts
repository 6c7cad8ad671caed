// The functional simulator: loads a binary (decode once, verify against its hardware), then runs the
// instruction stream sample by sample. State is fixed-size, so memory stays flat however many samples run.

import { DIAG } from '../diagnostics/catalog.ts';
import { fail } from '../diagnostics/diagnostic.ts';
import { checkBinary } from '../isa/check-binary.ts';
import type { Binary } from '../isa/container.ts';
import { flattenProgram } from '../isa/encoding.ts';
import { DECODED_STRIDE } from '../isa/table.ts';
import { BLOCKED, DISPATCH, HALTED } from './execute-ops.ts';
import { Machine } from './machine.ts';
import type { TraceSink } from './timing-model.ts';

export interface SimulatorOptions {
  /** Receives timing events while set; `setTrace` turns it on and off between samples. */
  trace?: TraceSink | null;
  /** Force the approximation subnet on every sample (the controller ignores P(x)). */
  invokeAll?: boolean;
  /** Force a path for every sample: 'all' as invokeAll, 'none' sends every sample to the CPU (for timing estimates). */
  invoke?: 'model' | 'all' | 'none';
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

/**
 * Where the CPU cost of one exact evaluation came from: 'model' when the binary records it (the model's
 * `cpu N cycles`, else its benchmark's estimate, chosen by the compiler or an assembler `.cpu` line), or
 * 'hardware-default' when it does not and the hardware description's placeholder applies.
 */
export type CpuCostSource = 'model' | 'hardware-default';

export class Simulator {
  readonly binary: Binary;
  readonly machine: Machine;
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
    const recorded = binary.meta.cpuCyclesPerEvaluation;
    this.cpuCyclesPerEvaluation = recorded ?? binary.hardware.cpu.cyclesPerEvaluation;
    this.cpuCostSource = recorded !== undefined ? 'model' : 'hardware-default';
    this.machine = new Machine(binary.hardware, binary.dram, this.outputWidth, this.cpuCyclesPerEvaluation);
    this.machine.timing.trace = opts.trace ?? null;
    this.machine.invokeAll = opts.invokeAll === true || opts.invoke === 'all';
    this.machine.invokeNone = opts.invoke === 'none';
    this.budget = opts.maxInstructionsPerSample ?? 50_000_000;
    this.result = { p: 1, score: Infinity, predicted: true, invoked: false, fallback: false, y: this.machine.y, ocm: this.machine.ocm, instructions: 0 };
    this.run(); // the setup stage: runs until the first recv blocks
  }

  /** Executes until `recv` blocks for want of a sample, or the program halts. Returns instructions executed. */
  private run(): number {
    const m = this.machine;
    const code = this.code;
    let pc = m.pc;
    let n = 0;
    for (;;) {
      const at = pc * DECODED_STRIDE;
      const next = DISPATCH[code[at]](m, code, at, pc);
      if (next === BLOCKED) break;
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

  setTrace(sink: TraceSink | null): void {
    this.machine.timing.trace = sink;
  }

  /** Ends the run for the timing model: the last sample's cycles and the tail of the run are counted. */
  close(): void {
    this.machine.timing.close();
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
