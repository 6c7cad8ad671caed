// One timing rule per op, keyed by mnemonic and indexed by opcode like the executors (machine/execute-ops.ts), reading operands
// through the same named slots. A rule runs after its op has executed: it finds the issue cycle from the
// scoreboard, the completion from the latencies, updates the scoreboard and counts the op's actions.

import { ACT_LINEAR, ACT_RELU } from '../ir/numerics.ts';
import { indexByOpcode, slotsOf, STAGE_SLOT, type Mnemonic } from '../isa/table.ts';
import { ACTION } from './actions.ts';
import { latest, latest2, raiseAll, setAll } from './scoreboard.ts';
import type { Machine } from './machine.ts';
import type { TimingModel } from './timing-model.ts';

/** A rule reads the instruction's operands; the machine it is handed only for what the operands cannot say
 *  (whether a recv found a sample). */
export type TimingRule = (tm: TimingModel, c: Uint32Array, at: number, m: Machine) => void;

const RECV = slotsOf('recv');
/** A recv that finds the input exhausted, part way through a batch, only takes its issue slot. */
function timeRecv(tm: TimingModel, c: Uint32Array, at: number, m: Machine): void {
  if (!m.received) return timeStep(tm, c, at);
  const stage = c[at + STAGE_SLOT];
  const ocm = c[at + RECV.ocm];
  const len = c[at + RECV.len];
  const b = tm.board;
  const port = tm.bus.cpuRequester;
  const t = latest2(b.ocmReadDone, ocm, b.ocmReady, ocm, len, tm.ready(stage, b.portFree[port]));
  if (c[at + RECV.slot] === 0) tm.stats.startBatch(t);
  tm.stats.addSample();
  const end = tm.transfer(port, t, t, tm.activationWords(len), tm.latency.onChipMemoryCycles, stage, 'recv');
  setAll(b.ocmReady, ocm, len, end);
  tm.actions[ACTION.onChipMemoryWord] += len * tm.bitsOf.activations;
}

const SEND = slotsOf('send');
function timeSend(tm: TimingModel, c: Uint32Array, at: number): void {
  const stage = c[at + STAGE_SLOT];
  const ocm = c[at + SEND.ocm];
  const len = c[at + SEND.len];
  const b = tm.board;
  const port = tm.bus.cpuRequester;
  const t = latest(b.ocmReady, ocm, len, tm.ready(stage, b.portFree[port]));
  const end = tm.transfer(port, t, t, tm.activationWords(len), tm.latency.onChipMemoryCycles, stage, 'send');
  raiseAll(b.ocmReadDone, ocm, len, end);
  tm.actions[ACTION.onChipMemoryWord] += len * tm.bitsOf.activations;
}

const LDI = slotsOf('ldi');
function timeLoadInput(tm: TimingModel, c: Uint32Array, at: number): void {
  const stage = c[at + STAGE_SLOT];
  const tile = c[at + LDI.tile];
  const ocm = c[at + LDI.ocm];
  const len = c[at + LDI.len];
  const ib = tile * tm.ibWords + c[at + LDI.ibuf];
  const b = tm.board;
  let t = latest2(b.ibReadDone, ib, b.ibReady, ib, len, tm.ready(stage, b.portFree[tile]));
  t = latest(b.ocmReady, ocm, len, t);
  const end = tm.transfer(tile, t, t, tm.activationWords(len), tm.latency.onChipMemoryCycles, stage, 'ldi');
  raiseAll(b.ocmReadDone, ocm, len, end);
  setAll(b.ibReady, ib, len, end);
  tm.actions[ACTION.onChipMemoryWord] += len * tm.bitsOf.activations;
  tm.actions[ACTION.inputBufferWord] += len * tm.bitsOf.activations;
}

const STO = slotsOf('sto');
function timeStore(tm: TimingModel, c: Uint32Array, at: number): void {
  const stage = c[at + STAGE_SLOT];
  const tile = c[at + STO.tile];
  const ocm = c[at + STO.ocm];
  const len = c[at + STO.len];
  const ob = tile * tm.obWords + c[at + STO.obuf];
  const b = tm.board;
  let t = latest(b.obReady, ob, len, tm.ready(stage, b.portFree[tile]));
  t = latest2(b.ocmReadDone, ocm, b.ocmReady, ocm, len, t);
  const end = tm.transfer(tile, t, t, tm.activationWords(len), tm.latency.bufferCycles, stage, 'sto');
  raiseAll(b.obReadDone, ob, len, end);
  setAll(b.ocmReady, ocm, len, end);
  tm.actions[ACTION.outputBufferWord] += len * tm.bitsOf.accumulator;
  tm.actions[ACTION.onChipMemoryWord] += len * tm.bitsOf.activations;
}

const LDW = slotsOf('ldw');
/** The DRAM read starts at issue; the tile's port is needed only for the bus transfer that follows. PEs
 *  still computing keep reading their weights, so the load waits for them. */
function timeLoadWeights(tm: TimingModel, c: Uint32Array, at: number): void {
  const stage = c[at + STAGE_SLOT];
  const tile = c[at + LDW.tile];
  const count = c[at + LDW.count];
  const p = tile * tm.pesPerTile + c[at + LDW.pe];
  const values = count * c[at + LDW.row];
  const words = tm.weightWords(values);
  const b = tm.board;
  const t = latest(b.peFree, p, count, tm.ready(stage, 0));
  const fetched = tm.dram.fetch(t, words);
  if (tm.trace) tm.trace.event('dram read', 'tile', tile, t, fetched, stage, { words });
  const request = fetched > b.portFree[tile] ? fetched : b.portFree[tile];
  const end = tm.transfer(tile, t, request, words, tm.latency.bufferCycles, stage, 'ldw');
  setAll(b.wbReady, p, count, end);
  tm.actions[ACTION.dramWord] += values * tm.bitsOf.weights;
  tm.actions[ACTION.weightBufferWord] += values * tm.bitsOf.weights;
}

/** A neuron's multiply-adds over `len` inputs on each of `count` PEs: their actions (the tile broadcasts each
 *  input word to its PEs), and their cycles. */
function accumulate(tm: TimingModel, count: number, len: number): number {
  const a = tm.actions;
  a[ACTION.macMult] += count * len;
  a[ACTION.macAdd] += count * len;
  a[ACTION.weightBufferWord] += count * len * tm.bitsOf.weights;
  a[ACTION.inputBufferWord] += len * tm.bitsOf.activations;
  return len * tm.latency.macCycles;
}

/** Finishing `count` neurons: bias (a weight-buffer word each), activation, the gate's control word and
 *  multiply when `ctl`, the output word: their actions, and their cycles. */
function finish(tm: TimingModel, count: number, act: number, ctl: number): number {
  const a = tm.actions;
  const L = tm.latency;
  a[ACTION.biasAdd] += count;
  a[ACTION.weightBufferWord] += count * tm.bitsOf.weights;
  if (ctl) a[ACTION.inputBufferWord] += count * tm.bitsOf.activations;
  a[ACTION.outputBufferWord] += count * tm.bitsOf.accumulator;
  if (act === ACT_RELU) a[ACTION.relu] += count;
  else if (act !== ACT_LINEAR) a[ACTION.lutLookup] += count;
  if (ctl) a[ACTION.hadamardMult] += count;
  const activation = act === ACT_LINEAR ? 0 : act === ACT_RELU ? L.reluCycles : L.lutCycles;
  return L.biasCycles + activation + (ctl ? L.hadamardCycles : 0);
}

const NEU = slotsOf('neu');
function timeNeuronOp(tm: TimingModel, c: Uint32Array, at: number): void {
  const stage = c[at + STAGE_SLOT];
  const tile = c[at + NEU.tile];
  const pe = c[at + NEU.pe];
  const count = c[at + NEU.count];
  const len = c[at + NEU.len];
  const ctl = c[at + NEU.ctl];
  const p = tile * tm.pesPerTile + pe;
  const ib = tile * tm.ibWords;
  const x = ib + c[at + NEU.ibuf];
  const cv = ib + c[at + NEU.cbuf];
  const ob = tile * tm.obWords + c[at + NEU.obuf];
  const b = tm.board;
  let t = latest2(b.peFree, p, b.wbReady, p, count, tm.ready(stage, 0));
  t = latest(b.ibReady, x, len, t);
  if (ctl) t = latest(b.ibReady, cv, count, t);
  t = latest(b.obReadDone, ob, count, t);
  tm.issue(t, stage);
  const duration = tm.latency.bufferCycles + accumulate(tm, count, len) + finish(tm, count, c[at + NEU.act], ctl);
  const end = t + duration;
  setAll(b.peFree, p, count, end);
  raiseAll(b.ibReadDone, x, len, end);
  if (ctl) raiseAll(b.ibReadDone, cv, count, end);
  setAll(b.obReady, ob, count, end);
  tm.stats.peBusyCycles += count * duration;
  if (tm.trace) tm.trace.event('neu', 'tile', tile, t, end, stage, { pes: `${pe}..${pe + count - 1}`, fanIn: len });
  tm.complete(t + 1, end, stage);
}

const MAC = slotsOf('mac');
/** One chunk of a neuron's fan-in: the PE is busy for its multiply-adds, and its partial sum is an output-buffer
 *  word, read back when the chunk continues a sum and written when it ends, so the next mac or fin waits for it. */
function timeMultiplyAccumulate(tm: TimingModel, c: Uint32Array, at: number): void {
  const stage = c[at + STAGE_SLOT];
  const tile = c[at + MAC.tile];
  const pe = c[at + MAC.pe];
  const count = c[at + MAC.count];
  const len = c[at + MAC.len];
  const p = tile * tm.pesPerTile + pe;
  const x = tile * tm.ibWords + c[at + MAC.ibuf];
  const ob = tile * tm.obWords + c[at + MAC.obuf];
  const from = c[at + MAC.from];
  const b = tm.board;
  let t = latest2(b.peFree, p, b.wbReady, p, count, tm.ready(stage, 0));
  t = latest(b.ibReady, x, len, t);
  // The partial sums: read back when continuing, and written in place (after any store still reading them).
  t = from ? latest2(b.obReady, ob, b.obReadDone, ob, count, t) : latest(b.obReadDone, ob, count, t);
  tm.issue(t, stage);
  if (from) tm.actions[ACTION.outputBufferWord] += count * tm.bitsOf.accumulator;
  tm.actions[ACTION.outputBufferWord] += count * tm.bitsOf.accumulator;
  const duration = tm.latency.bufferCycles + accumulate(tm, count, len);
  const end = t + duration;
  setAll(b.peFree, p, count, end);
  raiseAll(b.ibReadDone, x, len, end);
  setAll(b.obReady, ob, count, end);
  tm.stats.peBusyCycles += count * duration;
  if (tm.trace) tm.trace.event('mac', 'tile', tile, t, end, stage, { pes: `${pe}..${pe + count - 1}`, chunk: len });
  tm.complete(t + 1, end, stage);
}

const FIN = slotsOf('fin');
function timeFinishNeurons(tm: TimingModel, c: Uint32Array, at: number): void {
  const stage = c[at + STAGE_SLOT];
  const tile = c[at + FIN.tile];
  const pe = c[at + FIN.pe];
  const count = c[at + FIN.count];
  const ctl = c[at + FIN.ctl];
  const p = tile * tm.pesPerTile + pe;
  const cv = tile * tm.ibWords + c[at + FIN.cbuf];
  const ob = tile * tm.obWords + c[at + FIN.obuf];
  const b = tm.board;
  let t = latest2(b.peFree, p, b.wbReady, p, count, tm.ready(stage, 0));
  if (ctl) t = latest(b.ibReady, cv, count, t);
  // The partial sums are read in place, then overwritten by the results.
  t = latest2(b.obReady, ob, b.obReadDone, ob, count, t);
  tm.issue(t, stage);
  tm.actions[ACTION.outputBufferWord] += count * tm.bitsOf.accumulator;
  const duration = tm.latency.bufferCycles + finish(tm, count, c[at + FIN.act], ctl);
  const end = t + duration;
  setAll(b.peFree, p, count, end);
  if (ctl) raiseAll(b.ibReadDone, cv, count, end);
  setAll(b.obReady, ob, count, end);
  tm.stats.peBusyCycles += count * duration;
  if (tm.trace) tm.trace.event('fin', 'tile', tile, t, end, stage, { pes: `${pe}..${pe + count - 1}` });
  tm.complete(t + 1, end, stage);
}

/** A decision reads `words` words of on-chip memory; the controller issues nothing more until it has
 *  decided and signalled. */
function timeDecision(tm: TimingModel, stage: number, ocm: number, words: number, softmax: boolean): void {
  const b = tm.board;
  const t = latest(b.ocmReady, ocm, words, tm.ready(stage, 0));
  tm.issue(t, stage);
  const L = tm.latency;
  const end = t + L.onChipMemoryCycles + L.decisionCycles + (softmax ? L.softmaxCycles : 0) + L.controlBusCycles;
  raiseAll(b.ocmReadDone, ocm, words, end);
  const a = tm.actions;
  a[ACTION.onChipMemoryWord] += words;
  a[ACTION.decision]++;
  if (softmax) {
    a[ACTION.softmaxLookup]++;
    a[ACTION.softmaxMult]++;
  }
  a[ACTION.controlSignal]++;
  if (tm.trace) tm.trace.event(softmax ? 'decm' : 'decs', 'controller', 0, t, end, stage);
  tm.complete(end, end, stage);
}

const DECS = slotsOf('decs');
const DECM = slotsOf('decm');

function timeCpuFallback(tm: TimingModel, c: Uint32Array, at: number): void {
  const stage = c[at + STAGE_SLOT];
  const port = tm.bus.cpuRequester;
  const t = tm.ready(stage, tm.board.portFree[port]);
  tm.issue(t, stage);
  const start = t + tm.latency.controlBusCycles;
  const end = start + tm.cpuCycles;
  tm.board.portFree[port] = end;
  tm.stats.cpuEvaluations++;
  tm.actions[ACTION.controlSignal]++;
  tm.actions[ACTION.cpuCycle] += tm.cpuClockCycles;
  if (tm.trace) tm.trace.event('exact f(x)', 'cpu', 0, start, end, stage);
  tm.complete(t + 1, end, stage);
}

/** Branches and no-ops: one issue slot on the controller. */
function timeStep(tm: TimingModel, c: Uint32Array, at: number): void {
  const stage = c[at + STAGE_SLOT];
  const t = tm.ready(stage, 0);
  tm.issue(t, stage);
  tm.complete(t + 1, t + 1, stage);
}

const RULES: { readonly [M in Mnemonic]: TimingRule } = {
  nop: timeStep,
  // The program ends at halt: nothing issues after it, so it takes no time.
  halt: () => {},
  recv: timeRecv,
  ldw: timeLoadWeights,
  ldi: timeLoadInput,
  neu: timeNeuronOp,
  sto: timeStore,
  decs: (tm, c, at) => timeDecision(tm, c[at + STAGE_SLOT], c[at + DECS.ocm], 1, false),
  decm: (tm, c, at) => timeDecision(tm, c[at + STAGE_SLOT], c[at + DECM.ocm], 2, true),
  cpu: timeCpuFallback,
  send: timeSend,
  jmp: timeStep,
  mac: timeMultiplyAccumulate,
  fin: timeFinishNeurons,
  skip: timeStep,
};

/** Timing rules by opcode, checked against the ISA table in both directions when this module loads. */
export const TIMING_RULES: readonly TimingRule[] = indexByOpcode('timing rule', RULES, () => {});
