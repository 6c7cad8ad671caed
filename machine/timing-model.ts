// The NPU's timing, an observer of the functional machine: after each executed instruction, its timing
// rule (machine/timing-rules.ts) says when it starts and ends, from unit availability, data dependencies
// and bus arbitration, and counts the actions it performs for the energy model.
//
// The machine model:
// - The controller issues one instruction per cycle, in program order. An instruction issues when the
//   controller is free, the unit or port it needs is free, and its operands are ready (machine/scoreboard.ts).
// - A requester (a tile, or the CPU) has one port and one transfer at a time; its own transfers queue at its
//   port, which is not a bus conflict. A transfer requests a bus when it issues (a weight load: when its
//   DRAM data arrives, machine/dram-pipeline.ts); machine/data-bus.ts arbitrates.
// - The first sample starts when the setup stage (the resident weight loads) has finished.
// - Decisions are branches: nothing issues until the controller has read P(x) and signalled. The CPU
//   fallback occupies the CPU (and so its port) for the model's CPU cycles.

import type { Hardware } from '../hardware/description.ts';
import { elementHardware, packingOf, type Packing } from '../hardware/element-view.ts';
import type { Binary } from '../isa/container.ts';
import { ACTION, newActionCounts, type ActionCounts } from './actions.ts';
import { cpuCostOf } from './binary-cpu-cost.ts';
import { DataBus } from './data-bus.ts';
import { DramPipeline } from './dram-pipeline.ts';
import { RunStats } from './run-stats.ts';
import { Scoreboard } from './scoreboard.ts';
import type { TimingSummary } from './timing-summary.ts';

export interface TraceSink {
  /** A stretch of work on a unit (`lane` is the tile or bus index), from `start` to `end` in cycles. */
  event(name: string, kind: 'tile' | 'bus' | 'controller' | 'cpu', lane: number, start: number, end: number, stage: number, args?: Record<string, number | string>): void;
}

export class TimingModel {
  readonly hw: Hardware;
  readonly latency: Hardware['latency'];
  /** Words per tile's input and output buffer, PEs per tile: to find a tile's slice of the scoreboard. */
  readonly ibWords: number;
  readonly obWords: number;
  readonly pesPerTile: number;
  readonly board: Scoreboard;
  readonly bus: DataBus;
  readonly dram: DramPipeline;
  readonly stats = new RunStats();
  readonly actions: ActionCounts = newActionCounts();
  /** NPU cycles of one CPU evaluation, and the CPU's own clock cycles for it. */
  readonly cpuCycles: number;
  readonly cpuClockCycles: number;
  /** Receives timing events while set; it may be changed between samples. */
  trace: TraceSink | null = null;

  /** Earliest cycle the controller can issue the next instruction. (This and setupEnd are read and restored by
   *  machine/block/timing-reuse.ts, as are the other parts' times.) */
  next = 0;
  /** When the setup stage's last instruction completes; samples wait for it. */
  setupEnd = 0;

  /** Values of each role per 32-bit word, and each role's value as a fraction of a word (1 in fp32): transfers
   *  move packed words, and memory energy is counted in words' worth of bits. */
  private readonly pack: Packing;
  readonly bitsOf: { weights: number; activations: number; accumulator: number };

  constructor(hw: Hardware, cpuClockCyclesPerEvaluation: number) {
    this.hw = hw;
    this.latency = hw.latency;
    const view = elementHardware(hw);
    this.ibWords = view.inputBufferWords;
    this.obWords = view.outputBufferWords;
    this.pesPerTile = hw.pesPerTile;
    this.pack = packingOf(hw);
    this.bitsOf = { weights: this.pack.weightBits / 32, activations: this.pack.activationBits / 32, accumulator: this.pack.accumulatorBits / 32 };
    this.board = new Scoreboard(view);
    this.bus = new DataBus(hw);
    this.dram = new DramPipeline(hw);
    this.cpuClockCycles = cpuClockCyclesPerEvaluation;
    this.cpuCycles = Math.ceil((cpuClockCyclesPerEvaluation * hw.clockMHz) / hw.cpu.clockMHz);
  }

  /** Words a transfer of `n` activation values moves, packed. */
  activationWords(n: number): number {
    return Math.ceil(n / this.pack.activations);
  }
  /** Words a transfer of `n` weights moves, packed. */
  weightWords(n: number): number {
    return Math.ceil(n / this.pack.weights);
  }

  /** Issue cycle of the current sample's recv (-1 before the first sample and after close). */
  get sampleStart(): number {
    return this.stats.sampleStart;
  }

  /** Cycles so far: the latest completion. */
  get cycles(): number {
    return this.stats.end;
  }

  /** Earliest issue for an instruction of `stage` no sooner than `floor`: the controller must be free and,
   *  for samples, the setup stage finished. */
  ready(stage: number, floor: number): number {
    const t = stage === 0 || this.next > this.setupEnd ? this.next : this.setupEnd;
    return t > floor ? t : floor;
  }

  /** Issues at t: the controller's time since the previous issue is charged to that instruction's stage. */
  issue(t: number, stage: number): void {
    this.stats.issue(t, stage);
  }

  /** The instruction issued, completes at `end`, and the controller can issue again at `next`. */
  complete(next: number, end: number, stage: number): void {
    this.next = next;
    if (end > this.stats.end) this.stats.end = end;
    if (stage === 0 && end > this.setupEnd) this.setupEnd = end;
  }

  /**
   * The skeleton every transfer shares (recv, send, ldi, sto, ldw): issued at t, it asks for a bus at
   * `request` (≥ t), moves `words`, and `latency` cycles after the last beat the destination holds them.
   * The requester's port is busy until then. Returns that cycle; the caller updates the scoreboard.
   */
  transfer(requester: number, t: number, request: number, words: number, latency: number, stage: number, name: string): number {
    this.issue(t, stage);
    let g = request;
    const bus = this.bus;
    const beats = bus.beats(words);
    if (bus.usesBus(requester)) {
      g = bus.grant(requester, request, words);
      this.actions[ACTION.busWord] += words;
      if (this.trace) this.traceBus(this.trace, name, requester, g, beats, words, stage);
    }
    const end = g + beats + latency;
    this.board.portFree[requester] = end;
    this.complete(t + 1, end, stage);
    return end;
  }

  /** Kept out of `transfer`, so that the untraced path stays small enough to inline. */
  private traceBus(trace: TraceSink, name: string, requester: number, g: number, beats: number, words: number, stage: number): void {
    const who = requester === this.bus.cpuRequester ? 'cpu' : `tile ${requester}`;
    trace.event(name, 'bus', this.bus.lastBus, g, g + beats, stage, { requester: who, words, stall: this.bus.lastStall });
  }

  /** Ends the run: the last sample's cycles and the tail of the run are counted. */
  close(): void {
    this.stats.close();
  }

  /** The run's figures so far; after `close()`, the whole run's (before it, the last sample's cycles and
   *  the tail of the last stage are not yet counted). */
  summary(): TimingSummary {
    const s = this.stats;
    const b = this.bus;
    const bus = Array.from(b.transactions, (_, r) => ({
      requester: r === b.cpuRequester ? 'cpu' : `tile ${r}`,
      transactions: b.transactions[r],
      words: b.words[r],
      conflicts: b.conflicts[r],
      stallCycles: b.stallCycles[r],
    }));
    return {
      cycles: s.end,
      setupCycles: s.setupCycles,
      stageCycles: Array.from(s.stageCycles),
      sampleCycles: s.sampleHistogram(),
      peBusyCycles: s.peBusyCycles,
      cpuEvaluations: s.cpuEvaluations,
      npuCyclesPerCpuEvaluation: this.cpuCycles,
      bus,
      actions: this.actions.slice(),
    };
  }
}

/** A timing model for `binary`'s hardware and CPU cost, to hand to a Simulator. */
export function timingFor(binary: Binary): TimingModel {
  return new TimingModel(binary.hardware, cpuCostOf(binary).cycles);
}
