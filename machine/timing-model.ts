// The NPU's timing: when each executed instruction starts and ends, from unit availability, data
// dependencies and bus arbitration, and the actions it performs for the energy model.
//
// The machine model:
// - The controller issues one instruction per cycle, in program order. An instruction issues when the
//   controller is free, the unit or port it needs is free, and its operands are ready: every word of
//   on-chip memory and of each tile buffer, and each PE's weight buffer, carries the cycle its last write
//   completes (read-after-write) and the cycle its last read completes (write-after-read).
// - Transfers over the data bus belong to a requester: the tile they load or store, or the CPU (samples
//   in, results out). A requester has one port and one transfer at a time; its own transfers queue at its
//   port, which is not a bus conflict. A transfer requests a bus when it issues (a weight load: when its
//   DRAM data arrives); requests enter the bus scheduler in program order, so request times never
//   decrease and granting them in order is exactly a first-come-first-served arbiter working cycle by
//   cycle. The scheduler grants the bus that frees first. A request not granted in the cycle it is made is
//   a conflict, and the cycles until the grant are its stall.
// - DRAM serves weight fetches in order, pipelined: a fetch's data arrives a latency after its request,
//   and no sooner than one burst per dramBurstWords words after the previous fetch's data.
// - The first sample starts when the setup stage (the resident weight loads) has finished.
// - Decisions are branches: nothing issues until the controller has read P(x) and signalled. The CPU
//   fallback occupies the CPU (and so its port) for the model's CPU cycles.

import type { Hardware } from '../hardware/description.ts';
import { ACT_LINEAR, ACT_RELU } from '../ir/numerics.ts';
import { ACTION, ACTION_COUNT } from './actions.ts';

export interface TraceSink {
  /** A stretch of work on a unit (`lane` is the tile or bus index), from `start` to `end` in cycles. */
  event(name: string, kind: 'tile' | 'bus' | 'controller' | 'cpu', lane: number, start: number, end: number, stage: number, args?: Record<string, number | string>): void;
}

const max = Math.max;

export class TimingModel {
  readonly hw: Hardware;
  private readonly ocmReady: Float64Array;
  private readonly ocmReadDone: Float64Array;
  private readonly ibReady: Float64Array;
  private readonly ibReadDone: Float64Array;
  private readonly obReady: Float64Array;
  private readonly obReadDone: Float64Array;
  private readonly peFree: Float64Array;
  private readonly wbReady: Float64Array;
  /** One port per tile, then the CPU's. */
  readonly portFree: Float64Array;
  private readonly busFree: Float64Array;

  readonly cpuPort: number;
  /** Per requester (tiles, then CPU). */
  readonly busTransactions: Float64Array;
  readonly busWords: Float64Array;
  readonly busConflicts: Float64Array;
  readonly busStallCycles: Float64Array;
  readonly stageCycles = new Float64Array(6);
  readonly actions = new Float64Array(ACTION_COUNT);
  peBusyCycles = 0;
  cpuEvaluations = 0;

  /** Earliest cycle the controller can issue the next instruction. */
  private next = 0;
  /** The latest bus request so far: requests enter the scheduler in program order. */
  private lastRequest = 0;
  /** When DRAM finishes its latest fetch. */
  private dramFree = 0;
  /** When the setup stage's last instruction completes; samples wait for it. */
  private setupEnd = 0;
  private lastIssue = 0;
  private lastStage = 0;
  /** Latest completion of anything so far: the run's length. */
  end = 0;
  /** Issue cycle of the current sample's recv (-1 before the first). */
  sampleStart = -1;
  /** Cycles before the first sample's recv issues. */
  setupCycles = 0;
  /** Histogram of per-sample cycles (recv to next recv; the last sample to the end of the run): a few distinct values, so memory stays flat. */
  readonly sampleCycles = new Map<number, number>();
  /** NPU cycles of one CPU evaluation. */
  readonly cpuCycles: number;
  readonly cpuClockCycles: number;
  trace: TraceSink | null = null;

  private readonly ibWords: number;
  private readonly obWords: number;
  private readonly pes: number;
  private readonly width: number;
  private readonly hostOnBus: boolean;
  private readonly L: Hardware['latency'];

  constructor(hw: Hardware, cpuClockCyclesPerEvaluation: number) {
    this.hw = hw;
    this.L = hw.latency;
    this.ibWords = hw.inputBufferWords;
    this.obWords = hw.outputBufferWords;
    this.pes = hw.pesPerTile;
    this.width = hw.bus.widthWords;
    this.hostOnBus = hw.bus.hostOnDataBus;
    this.ocmReady = new Float64Array(hw.onChipMemoryWords);
    this.ocmReadDone = new Float64Array(hw.onChipMemoryWords);
    this.ibReady = new Float64Array(hw.tiles * hw.inputBufferWords);
    this.ibReadDone = new Float64Array(hw.tiles * hw.inputBufferWords);
    this.obReady = new Float64Array(hw.tiles * hw.outputBufferWords);
    this.obReadDone = new Float64Array(hw.tiles * hw.outputBufferWords);
    this.peFree = new Float64Array(hw.tiles * hw.pesPerTile);
    this.wbReady = new Float64Array(hw.tiles * hw.pesPerTile);
    this.cpuPort = hw.tiles;
    this.portFree = new Float64Array(hw.tiles + 1);
    this.busFree = new Float64Array(hw.bus.dataBuses);
    this.busTransactions = new Float64Array(hw.tiles + 1);
    this.busWords = new Float64Array(hw.tiles + 1);
    this.busConflicts = new Float64Array(hw.tiles + 1);
    this.busStallCycles = new Float64Array(hw.tiles + 1);
    this.cpuClockCycles = cpuClockCyclesPerEvaluation;
    this.cpuCycles = Math.ceil((cpuClockCyclesPerEvaluation * hw.clockMHz) / hw.cpu.clockMHz);
  }

  /** Charges the controller's time since the previous issue to that instruction's stage. */
  private issue(t: number, stage: number): void {
    this.stageCycles[this.lastStage] += t - this.lastIssue;
    this.lastIssue = t;
    this.lastStage = stage;
  }

  private finish(end: number, stage: number): void {
    if (end > this.end) this.end = end;
    if (stage === 0 && end > this.setupEnd) this.setupEnd = end;
  }

  /** Earliest issue for an instruction of `stage`: after the controller is free and, for samples, after setup. */
  private ready(stage: number): number {
    return stage === 0 ? this.next : max(this.next, this.setupEnd);
  }

  /** Grants a bus to `requester` asking at cycle t for `words`; returns the grant cycle. */
  private arbitrate(requester: number, t: number, words: number, stage: number, name: string): number {
    if (requester === this.cpuPort && !this.hostOnBus) return t; // the host's own link: no bus, no contention
    const request = max(t, this.lastRequest);
    this.lastRequest = request;
    const buses = this.busFree;
    let b = 0;
    for (let i = 1; i < buses.length; i++) if (buses[i] < buses[b]) b = i;
    const grant = max(request, buses[b]);
    const beats = Math.ceil(words / this.width);
    buses[b] = grant + beats;
    this.busTransactions[requester]++;
    this.busWords[requester] += words;
    if (grant > request) {
      this.busConflicts[requester]++;
      this.busStallCycles[requester] += grant - request;
    }
    this.actions[ACTION.busWord] += words;
    if (this.trace) this.trace.event(name, 'bus', b, grant, grant + beats, stage, { requester: requester === this.cpuPort ? 'cpu' : `tile ${requester}`, words, stall: grant - request });
    return grant;
  }

  private maxOf(a: Float64Array, from: number, n: number, floor: number): number {
    let m = floor;
    for (let j = 0; j < n; j++) if (a[from + j] > m) m = a[from + j];
    return m;
  }

  private setAll(a: Float64Array, from: number, n: number, v: number): void {
    for (let j = 0; j < n; j++) a[from + j] = v;
  }

  private raiseAll(a: Float64Array, from: number, n: number, v: number): void {
    for (let j = 0; j < n; j++) if (a[from + j] < v) a[from + j] = v;
  }

  recv(ocm: number, len: number, stage: number): void {
    const port = this.cpuPort;
    let t = max(this.ready(stage), this.portFree[port]);
    t = this.maxOf(this.ocmReadDone, ocm, len, t);
    t = this.maxOf(this.ocmReady, ocm, len, t);
    this.issue(t, stage);
    if (this.sampleStart < 0) this.setupCycles = t;
    else this.countSample(t - this.sampleStart);
    this.sampleStart = t;
    const g = this.arbitrate(port, t, len, stage, 'recv');
    const end = g + Math.ceil(len / this.width) + this.L.onChipMemoryCycles;
    this.setAll(this.ocmReady, ocm, len, end);
    this.portFree[port] = end;
    this.actions[ACTION.onChipMemoryWord] += len;
    this.next = t + 1;
    this.finish(end, stage);
  }

  send(ocm: number, len: number, stage: number): void {
    const port = this.cpuPort;
    let t = max(this.ready(stage), this.portFree[port]);
    t = this.maxOf(this.ocmReady, ocm, len, t);
    this.issue(t, stage);
    const g = this.arbitrate(port, t, len, stage, 'send');
    const end = g + this.L.onChipMemoryCycles + Math.ceil(len / this.width);
    this.raiseAll(this.ocmReadDone, ocm, len, end);
    this.portFree[port] = end;
    this.actions[ACTION.onChipMemoryWord] += len;
    this.next = t + 1;
    this.finish(end, stage);
  }

  loadInput(tile: number, ibuf: number, ocm: number, len: number, stage: number): void {
    const ib = tile * this.ibWords + ibuf;
    let t = max(this.ready(stage), this.portFree[tile]);
    t = this.maxOf(this.ocmReady, ocm, len, t);
    t = this.maxOf(this.ibReadDone, ib, len, t);
    t = this.maxOf(this.ibReady, ib, len, t);
    this.issue(t, stage);
    const g = this.arbitrate(tile, t, len, stage, 'ldi');
    const end = g + this.L.onChipMemoryCycles + Math.ceil(len / this.width);
    this.raiseAll(this.ocmReadDone, ocm, len, end);
    this.setAll(this.ibReady, ib, len, end);
    this.portFree[tile] = end;
    this.actions[ACTION.onChipMemoryWord] += len;
    this.actions[ACTION.inputBufferWord] += len;
    this.next = t + 1;
    this.finish(end, stage);
  }

  store(tile: number, obuf: number, ocm: number, len: number, stage: number): void {
    const ob = tile * this.obWords + obuf;
    let t = max(this.ready(stage), this.portFree[tile]);
    t = this.maxOf(this.obReady, ob, len, t);
    t = this.maxOf(this.ocmReadDone, ocm, len, t);
    t = this.maxOf(this.ocmReady, ocm, len, t);
    this.issue(t, stage);
    const g = this.arbitrate(tile, t, len, stage, 'sto');
    const end = g + this.L.bufferCycles + Math.ceil(len / this.width);
    this.raiseAll(this.obReadDone, ob, len, end);
    this.setAll(this.ocmReady, ocm, len, end);
    this.portFree[tile] = end;
    this.actions[ACTION.outputBufferWord] += len;
    this.actions[ACTION.onChipMemoryWord] += len;
    this.next = t + 1;
    this.finish(end, stage);
  }

  loadWeights(tile: number, pe: number, count: number, row: number, stage: number): void {
    const p = tile * this.pes + pe;
    // The DRAM read starts at issue; the tile's port is needed only for the bus transfer that follows.
    const t = this.maxOf(this.peFree, p, count, this.ready(stage)); // PEs still computing keep reading their weights
    this.issue(t, stage);
    const words = count * row;
    const L = this.L;
    const fetched = max(t + L.dramLatencyCycles, this.dramFree) + Math.ceil(words / L.dramBurstWords) * L.dramBurstCycles;
    this.dramFree = fetched;
    if (this.trace) this.trace.event('dram read', 'tile', tile, t, fetched, stage, { words });
    const g = this.arbitrate(tile, max(fetched, this.portFree[tile]), words, stage, 'ldw');
    const end = g + Math.ceil(words / this.width) + L.bufferCycles;
    this.setAll(this.wbReady, p, count, end);
    this.portFree[tile] = end;
    this.actions[ACTION.dramWord] += words;
    this.actions[ACTION.weightBufferWord] += words;
    this.next = t + 1;
    this.finish(end, stage);
  }

  neuron(tile: number, pe: number, count: number, ibuf: number, len: number, act: number, ctl: number, cbuf: number, obuf: number, stage: number): void {
    const p = tile * this.pes + pe;
    const ib = tile * this.ibWords;
    const ob = tile * this.obWords + obuf;
    let t = this.ready(stage);
    t = this.maxOf(this.peFree, p, count, t);
    t = this.maxOf(this.wbReady, p, count, t);
    t = this.maxOf(this.ibReady, ib + ibuf, len, t);
    if (ctl) t = this.maxOf(this.ibReady, ib + cbuf, count, t);
    t = this.maxOf(this.obReadDone, ob, count, t);
    this.issue(t, stage);
    const L = this.L;
    const activation = act === ACT_LINEAR ? 0 : act === ACT_RELU ? L.reluCycles : L.lutCycles;
    const duration = L.bufferCycles + len * L.macCycles + L.biasCycles + activation + (ctl ? L.hadamardCycles : 0);
    const end = t + duration;
    this.setAll(this.peFree, p, count, end);
    this.raiseAll(this.ibReadDone, ib + ibuf, len, end);
    if (ctl) this.raiseAll(this.ibReadDone, ib + cbuf, count, end);
    this.setAll(this.obReady, ob, count, end);
    this.peBusyCycles += count * duration;
    const a = this.actions;
    a[ACTION.macMult] += count * len;
    a[ACTION.macAdd] += count * len;
    a[ACTION.biasAdd] += count;
    a[ACTION.weightBufferWord] += count * (len + 1);
    a[ACTION.inputBufferWord] += len + (ctl ? count : 0); // the tile broadcasts each input word to its PEs
    a[ACTION.outputBufferWord] += count;
    if (act === ACT_RELU) a[ACTION.relu] += count;
    else if (act !== ACT_LINEAR) a[ACTION.lutLookup] += count;
    if (ctl) a[ACTION.hadamardMult] += count;
    if (this.trace) this.trace.event('neu', 'tile', tile, t, end, stage, { pes: `${pe}..${pe + count - 1}`, fanIn: len });
    this.next = t + 1;
    this.finish(end, stage);
  }

  decide(ocm: number, words: number, softmax: boolean, stage: number): void {
    const t = this.maxOf(this.ocmReady, ocm, words, this.ready(stage));
    this.issue(t, stage);
    const L = this.L;
    const end = t + L.onChipMemoryCycles + L.decisionCycles + (softmax ? L.softmaxCycles : 0) + L.controlBusCycles;
    this.raiseAll(this.ocmReadDone, ocm, words, end);
    const a = this.actions;
    a[ACTION.onChipMemoryWord] += words;
    a[ACTION.decision]++;
    if (softmax) {
      a[ACTION.softmaxLookup]++;
      a[ACTION.softmaxMult]++;
    }
    a[ACTION.controlSignal]++;
    if (this.trace) this.trace.event(softmax ? 'decm' : 'decs', 'controller', 0, t, end, stage);
    this.next = end;
    this.finish(end, stage);
  }

  cpu(stage: number): void {
    const port = this.cpuPort;
    const t = max(this.ready(stage), this.portFree[port]);
    this.issue(t, stage);
    const start = t + this.L.controlBusCycles;
    const end = start + this.cpuCycles;
    this.portFree[port] = end;
    this.cpuEvaluations++;
    this.actions[ACTION.controlSignal]++;
    this.actions[ACTION.cpuCycle] += this.cpuClockCycles;
    if (this.trace) this.trace.event('exact f(x)', 'cpu', 0, start, end, stage);
    this.next = t + 1;
    this.finish(end, stage);
  }

  /** Branches and no-ops: one issue slot on the controller. */
  step(stage: number): void {
    const t = this.ready(stage);
    this.issue(t, stage);
    this.next = t + 1;
    this.finish(t + 1, stage);
  }

  private countSample(cycles: number): void {
    this.sampleCycles.set(cycles, (this.sampleCycles.get(cycles) ?? 0) + 1);
  }

  /** Ends the run: charges the tail, from the last issue to the last completion, to the last stage, and closes the last sample. */
  close(): void {
    this.issue(max(this.end, this.lastIssue), this.lastStage);
    if (this.sampleStart >= 0) this.countSample(this.end - this.sampleStart);
    this.sampleStart = -1;
  }
}
