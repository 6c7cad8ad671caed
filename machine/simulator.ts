// The simulator: loads a binary (decode once, verify against its hardware), then runs the instruction stream
// batch by batch (a batch of one for most programs), telling the timing model it was handed (if any) of each instruction it executes. State
// is fixed-size, so memory stays flat however many samples run. With `fastPath`, the sample loop runs a block
// of batches at a time (machine/block/) where the planner proves that exact; the per-sample path is the reference.

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
import { BlockEngine, MAX_LANES } from './block/block-engine.ts';
import { blockPlanFor } from './block/plan-blocks.ts';
import { TimingReuse, type ReuseStats, type TraceWindow } from './block/timing-reuse.ts';
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
  /** Run the sample loop a block of batches at a time, with exact timing reuse (machine/block/), when the
   *  planner proves that gives the reference path's results; results then come a block at a time. */
  fastPath?: boolean;
  /** Fast path only: time every lane in full and check each reused transition against it (tests). */
  verifyTimingReuse?: boolean;
  /** Fast path only: batches per block, a multiple of 4 (default: as many as fit, at most 256); tests use
   *  small blocks so that short inputs span several. */
  blockLanes?: number;
  /** Trace into this sink the instructions that run while samples [from, to) are pushed, each from the recv
   *  that waits for it (and the setup stage when from is 0). */
  trace?: TraceWindow;
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
  /** The cycle the sample's batch started (its first recv issued); -1 without a timing model. */
  start: number;
}

/** A result of the block engine, read from the block's registers when asked (nothing is copied per sample);
 *  its input and H(x) are views into the block. */
class BlockResult implements SampleResult {
  private words: Float32Array | null = null;
  constructor(
    readonly x: Float32Array,
    readonly y: Float32Array,
    readonly slot: number,
    private readonly engine: BlockEngine,
    private readonly lane: number,
    private readonly index: number,
    private readonly machineOcm: Words,
    private readonly starts: Float64Array,
  ) {}
  get p(): number {
    return this.engine.p[this.index];
  }
  get score(): number {
    return this.engine.score[this.index];
  }
  get predicted(): boolean {
    return this.engine.predicted[this.index] === 1;
  }
  get invoked(): boolean {
    return this.engine.invoked[this.index] === 1;
  }
  get fallback(): boolean {
    return this.engine.fallback[this.index] === 1;
  }
  get instructions(): number {
    return this.engine.executed[this.lane];
  }
  get start(): number {
    return this.starts[this.lane];
  }
  /** The lane's on-chip memory, gathered when asked for: words the loop never touches are the machine's; words
   *  it touches but this sample's path did not write hold an earlier sample's values. */
  get ocm(): Float32Array {
    const w = (this.words ??= new Float32Array(this.machineOcm.length));
    for (let a = 0; a < w.length; a++) {
      const v = this.engine.ocmWord(this.lane, a);
      w[a] = Number.isNaN(v) && this.engine.plan.rows.ocm[a] < 0 ? this.machineOcm[a] : v;
    }
    return w;
  }
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
  results: readonly SampleResult[];
  ready = 0;
  /** The block engine, when the fast path runs this binary; else why not (null: not asked for). */
  readonly block: BlockEngine | null = null;
  readonly fastPathOff: string | null = null;
  /** Lanes replayed from a recorded timing transition and lanes timed in full (fast path with timing). */
  get timingReuse(): ReuseStats | null {
    return this.reuse?.stats ?? null;
  }
  private readonly reuse: TimingReuse | null = null;
  private readonly blockOut: BlockResult[] = [];
  /** Per lane of the block: the cycle its batch started. */
  private readonly laneStarts = new Float64Array(MAX_LANES);
  /** Samples waiting in the block's input. */
  private buffered = 0;
  /** Results pushRows has handed over. */
  private rowsDone = 0;
  /** Samples pushed so far (their indices choose what is traced). */
  private pushed = 0;
  private readonly traceWindow: TraceWindow | null;
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
      start: -1,
    }));
    this.out = new Array(batch);
    this.results = this.out;
    this.traceWindow = opts.trace ?? null;
    if (this.timing && this.traceWindow) this.timing.trace = this.traceWindow.from === 0 ? this.traceWindow.sink : null;
    this.run(); // the setup stage: runs until the first recv blocks
    this.sinceCollect = 0;
    if (opts.fastPath && !this.halted) {
      const plan = numerics ? 'the binary computes outside fp32' : blockPlanFor(binary, this.code, m.hw, batch, m.pc);
      if (typeof plan === 'string') this.fastPathOff = plan;
      else {
        const engine = new BlockEngine(plan, this.code, m.hw, dram as Float32Array, m.wb as Float32Array, { input: inputWidth, output: outputWidth }, m.invoke, opts.blockLanes);
        this.block = engine;
        if (this.timing) this.reuse = new TimingReuse(this.timing, m, this.code, plan, engine.paths, { verify: opts.verifyTimingReuse, trace: this.traceWindow });
        for (let l = 0; l < engine.lanes; l++)
          for (let s = 0; s < batch; s++) {
            const i = l * batch + s;
            this.blockOut.push(new BlockResult(engine.x.subarray(i * inputWidth, (i + 1) * inputWidth), engine.y.subarray(i * outputWidth, (i + 1) * outputWidth), s, engine, l, i, m.ocm, this.laneStarts));
          }
      }
    }
  }

  /** Runs lanes [0, lanes) of the block on the samples buffered, times them, and makes their results current. */
  private runBlock(lanes: number): void {
    const e = this.block!;
    const B = this.batch;
    e.run(lanes);
    const timing = this.timing;
    const first = this.pushed - this.buffered;
    for (let l = 0; l < lanes; l++) {
      const executed = e.executed[l];
      this.machine.instructions += executed;
      let start = -1;
      if (timing) start = this.reuse!.timeLane(e.outcomes, l * e.plan.branches, e.outcomeCount[l], e.pathId[l], first + l * B);
      this.laneStarts[l] = start;
    }
    this.reuse?.flush();
    this.results = this.blockOut;
    this.ready = lanes * B;
    this.buffered = 0;
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
      r.start = this.timing ? this.timing.sampleStart : -1;
      this.out[this.ready++] = r;
    }
    this.sinceCollect = 0;
    m.clearBatch();
  }

  /** Ends the run for the timing model: the last sample's cycles and the tail of the run are counted. */
  close(): void {
    this.reuse?.materialize();
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
    const e = this.block;
    if (e !== null) {
      // A loop, not set(): for a few words per sample it is the cheaper copy.
      const into = e.x;
      const w = this.inputWidth;
      const at = this.buffered * w;
      for (let j = 0; j < w; j++) into[at + j] = x[j];
      this.buffered++;
      this.pushed++;
      if (this.buffered < e.lanes * this.batch) return (this.ready = 0);
      this.runBlock(e.lanes);
      return this.ready;
    }
    return this.pushReference(x);
  }

  /** The reference path's push: the machine runs instruction by instruction as far as the sample lets it. */
  private pushReference(x: Float32Array): number {
    const m = this.machine;
    const tw = this.traceWindow;
    // The trace follows the sample being pushed: a batch runs on the push of its last sample.
    if (this.timing && tw) this.timing.trace = this.pushed >= tw.from && this.pushed < tw.to ? tw.sink : null;
    this.pushed++;
    this.results = this.out;
    m.pending = x;
    this.advance();
    if (m.pending !== null) fail(DIAG.haltedBeforeSample, undefined, m.pc);
    return this.ready;
  }

  /** No more samples: the machine finishes the batch in hand (short); returns how many results completed. */
  end(): number {
    if (this.ended) return (this.ready = 0);
    const e = this.block;
    if (e !== null && this.buffered > 0) return this.endBlock(e);
    this.ended = true;
    this.machine.inputEnded = true;
    this.results = this.out;
    if (this.halted) return (this.ready = 0);
    this.reuse?.materialize();
    this.advance();
    return this.ready;
  }

  /** The end of the input with samples buffered: whole batches run as a block, the short batch left (if any)
   *  on the reference path, which takes over from the loop's start. */
  private endBlock(e: BlockEngine): number {
    const B = this.batch;
    const lanes = Math.floor(this.buffered / B);
    const rest = this.buffered - lanes * B;
    const out: SampleResult[] = [];
    // The short batch's samples sit after the whole ones: copied out first, since the whole ones' results are
    // views into the block's input and must keep theirs.
    const w = this.inputWidth;
    const tail = e.x.slice(lanes * B * w, (lanes * B + rest) * w);
    if (lanes > 0) {
      this.pushed -= rest;
      this.buffered -= rest;
      this.runBlock(lanes);
      for (let i = 0; i < this.ready; i++) out.push(this.blockOut[i]);
      this.pushed += rest;
    }
    this.reuse?.materialize();
    // The reference path sees the short batch's samples pushed one by one, then the end of the input.
    this.pushed -= rest;
    for (let i = 0; i < rest; i++) {
      const k = this.pushReference(tail.subarray(i * w, (i + 1) * w));
      for (let j = 0; j < k; j++) out.push(this.out[j]);
    }
    this.buffered = 0;
    (this as { block: BlockEngine | null }).block = null;
    const k = this.end();
    for (let j = 0; j < k; j++) out.push(this.out[j]);
    this.results = out;
    return (this.ready = out.length);
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

  /** Pushes every row of `rows` (samples of the input width, one after another, as a batch for tfjs is laid
   *  out), handing `each` every result that completes, with its index among the samples pushed so far by this
   *  method; the input is not ended. On the fast path the rows go straight into the block. Returns the number
   *  of results handed over. */
  pushRows(rows: Float32Array, each: (r: SampleResult, index: number) => void): number {
    const w = this.inputWidth;
    if (rows.length % w !== 0) fail(DIAG.inputWidth, undefined, rows.length % w, w);
    let done = 0;
    const take = (k: number) => {
      for (let i = 0; i < k; i++) each(this.results[i], this.rowsDone++);
      done += k;
    };
    for (let at = 0; at < rows.length; ) {
      const e = this.block;
      if (e === null || this.halted || this.ended) {
        take(this.push(rows.subarray(at, at + w)));
        at += w;
        continue;
      }
      // As many rows as the block has room for, copied in one go.
      const room = (e.lanes * this.batch - this.buffered) * w;
      const n = Math.min(room, rows.length - at);
      e.x.set(rows.subarray(at, at + n), this.buffered * w);
      this.buffered += n / w;
      this.pushed += n / w;
      at += n;
      if (this.buffered === e.lanes * this.batch) {
        this.runBlock(e.lanes);
        take(this.ready);
      } else this.ready = 0;
    }
    return done;
  }

  /** One sample through a program that takes one at a time (a batch of one): its result. */
  runSample(x: Float32Array): SampleResult {
    if (this.batch !== 1) throw new Error(`runSample: this program takes batches of ${this.batch}; use push and end`);
    if (this.block !== null) throw new Error('runSample: the fast path returns results a block at a time; use push and end');
    if (this.push(x) !== 1) fail(DIAG.haltedBeforeSample, undefined, this.machine.pc);
    return this.results[0];
  }
}
