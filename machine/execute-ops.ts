// One executor per opcode, and the dispatch table built once from the ISA table. Executors are purely
// functional: they read operands from the flat decoded program by name, change machine state and return the
// next pc; they allocate nothing, and know nothing of time (machine/timing-rules.ts times each op).

import { accumulateDot, addBias, applyActivationCode, decisionCut, decisionInvokes, dotBias, gate, softmaxMargin, softmaxSafeProbability } from '../ir/numerics.ts';
import { bitsToF32 } from '../ir/float-bits.ts';
import { indexByOpcode, slotsOf, SKIP_CONDITIONS, type Mnemonic } from '../isa/table.ts';
import type { Machine, Words } from './machine.ts';

/** Returned by `recv` when no sample is pending: the run loop stops there until one arrives. */
export const BLOCKED = -2;
/** Returned by `halt`. */
export const HALTED = -1;

export type Executor = (m: Machine, c: Uint32Array, at: number, pc: number) => number;

/** A word-by-word move between memories; a loop rather than subarray() so no view object is allocated. */
export function copyWords(src: Words, from: number, dst: Words, to: number, n: number): void {
  for (let j = 0; j < n; j++) dst[to + j] = src[from + j];
}

const RECV = slotsOf('recv');
export function execRecv(m: Machine, c: Uint32Array, at: number, pc: number): number {
  const slot = c[at + RECV.slot];
  // A new batch waits until the host has collected the last one's results.
  if (slot === 0 && m.filled > 0) {
    m.batchComplete = true;
    return BLOCKED;
  }
  const x = m.pending;
  if (x === null) {
    if (!m.inputEnded || slot === 0) return BLOCKED;
    // The input ran out part way through a batch: this slot stays absent, and the batch goes on short.
    m.received = false;
    return pc + 1;
  }
  const len = c[at + RECV.len];
  copyWords(x, 0, m.ocm, c[at + RECV.ocm], len);
  copyWords(x, 0, m.x, slot * m.inputWidth, len);
  m.startSample(slot);
  m.pending = null;
  m.received = true;
  return pc + 1;
}

const LDW = slotsOf('ldw');
export function execLoadWeights(m: Machine, c: Uint32Array, at: number, pc: number): number {
  const row = c[at + LDW.row];
  const count = c[at + LDW.count];
  const wbWords = m.hw.weightBufferWords;
  let dst = c[at + LDW.tile] * m.wbPerTile + c[at + LDW.pe] * wbWords + c[at + LDW.wbuf];
  let src = c[at + LDW.dram];
  for (let k = 0; k < count; k++) {
    copyWords(m.dram, src, m.wb, dst, row);
    src += row;
    dst += wbWords;
  }
  return pc + 1;
}

const LDI = slotsOf('ldi');
export function execLoadInput(m: Machine, c: Uint32Array, at: number, pc: number): number {
  copyWords(m.ocm, c[at + LDI.ocm], m.ib, c[at + LDI.tile] * m.hw.inputBufferWords + c[at + LDI.ibuf], c[at + LDI.len]);
  return pc + 1;
}

const NEU = slotsOf('neu');
/** Each PE: multiply-add unit over the input buffer, bias, activation unit, then the switch unit's Hadamard multiply. */
export function execNeuronOp(m: Machine, c: Uint32Array, at: number, pc: number): number {
  const tile = c[at + NEU.tile];
  const count = c[at + NEU.count];
  const len = c[at + NEU.len];
  const act = c[at + NEU.act];
  const ctl = c[at + NEU.ctl];
  const ibase = tile * m.hw.inputBufferWords;
  const xOff = ibase + c[at + NEU.ibuf];
  const cOff = ibase + c[at + NEU.cbuf];
  const oOff = tile * m.hw.outputBufferWords + c[at + NEU.obuf];
  const wbWords = m.hw.weightBufferWords;
  let wOff = tile * m.wbPerTile + c[at + NEU.pe] * wbWords + c[at + NEU.wbuf];
  // This table serves fp32 machines, whose memories are float32 (machine/execute-formats.ts serves the rest).
  const wb = m.wb as Float32Array;
  const ib = m.ib as Float32Array;
  for (let k = 0; k < count; k++) {
    let h = applyActivationCode(act, dotBias(wb, wOff, ib, xOff, len, wb[wOff + len]));
    if (ctl) h = gate(h, ib[cOff + k]);
    m.ob[oOff + k] = h;
    wOff += wbWords;
  }
  return pc + 1;
}

const STO = slotsOf('sto');
export function execStoreOutput(m: Machine, c: Uint32Array, at: number, pc: number): number {
  copyWords(m.ob, c[at + STO.tile] * m.hw.outputBufferWords + c[at + STO.obuf], m.ocm, c[at + STO.ocm], c[at + STO.len]);
  return pc + 1;
}

/** Records a slot's decision; returns whether the controller goes on to the approximator: the predictor's
 *  decision, unless a path is forced. */
export function decide(m: Machine, slot: number, p: number, score: number, predicted: boolean): boolean {
  m.p[slot] = p;
  m.score[slot] = score;
  m.predicted[slot] = predicted ? 1 : 0;
  const npu = m.invoke === 'model' ? predicted : m.invoke === 'all';
  m.npuPath[slot] = npu ? 1 : 0;
  return npu;
}

const DECS = slotsOf('decs');
export function execDecideSigmoid(m: Machine, c: Uint32Array, at: number, pc: number): number {
  const p = m.ocm[c[at + DECS.ocm]];
  const predicted = decisionInvokes(p, decisionCut('sigmoid', bitsToF32(c[at + DECS.threshold])));
  return decide(m, c[at + DECS.slot], p, p, predicted) ? pc + 1 : c[at + DECS.target];
}

const DECM = slotsOf('decm');
/** The cut is recomputed per decision (one Math.log) rather than cached: nothing to invalidate when a
 *  program holds several decm, and the cost is noise beside the neuron ops. */
export function execDecideSoftmax(m: Machine, c: Uint32Array, at: number, pc: number): number {
  const base = c[at + DECM.ocm];
  const safeIndex = c[at + DECM.safe];
  const safe = m.ocm[base + safeIndex];
  const other = m.ocm[base + 1 - safeIndex];
  const score = softmaxMargin(safe, other);
  const predicted = decisionInvokes(score, decisionCut('softmax', bitsToF32(c[at + DECM.threshold])));
  return decide(m, c[at + DECM.slot], softmaxSafeProbability(safe, other), score, predicted) ? pc + 1 : c[at + DECM.target];
}

const CPU = slotsOf('cpu');
export function execCpuFallback(m: Machine, c: Uint32Array, at: number, pc: number): number {
  m.fallback[c[at + CPU.slot]] = 1;
  return pc + 1;
}

const SEND = slotsOf('send');
export function execSend(m: Machine, c: Uint32Array, at: number, pc: number): number {
  const slot = c[at + SEND.slot];
  copyWords(m.ocm, c[at + SEND.ocm], m.y, slot * m.outputWidth, c[at + SEND.len]);
  m.invoked[slot] = 1;
  return pc + 1;
}

const SKIP = slotsOf('skip');
const WHEN_ABSENT = SKIP_CONDITIONS.indexOf('absent');
const WHEN_CPU = SKIP_CONDITIONS.indexOf('cpu');
const WHEN_NPU = SKIP_CONDITIONS.indexOf('npu');
/** The batch's guard: whether the slot's sample (or, for `none`, any sample) takes the path the code after it serves. */
export function execSkip(m: Machine, c: Uint32Array, at: number, pc: number): number {
  const when = c[at + SKIP.when];
  const slot = c[at + SKIP.slot];
  let skip: boolean;
  if (when === WHEN_ABSENT) skip = m.present[slot] === 0;
  else if (when === WHEN_CPU) skip = m.present[slot] === 0 || m.npuPath[slot] === 0;
  else if (when === WHEN_NPU) skip = m.present[slot] === 0 || m.npuPath[slot] === 1;
  else {
    skip = true;
    for (let s = 0; s < m.batch; s++) if (m.present[s] === 1 && m.npuPath[s] === 1) skip = false;
  }
  return skip ? c[at + SKIP.target] : pc + 1;
}

const JMP = slotsOf('jmp');
export function execJump(_m: Machine, c: Uint32Array, at: number): number {
  return c[at + JMP.target];
}

const MAC = slotsOf('mac');
/** Each PE: one chunk of its multiply-adds, into (or on from) its partial sum in the output buffer, in the
 *  order `neu` takes them. */
export function execMultiplyAccumulate(m: Machine, c: Uint32Array, at: number, pc: number): number {
  const tile = c[at + MAC.tile];
  const count = c[at + MAC.count];
  const len = c[at + MAC.len];
  const from = c[at + MAC.from];
  const xOff = tile * m.hw.inputBufferWords + c[at + MAC.ibuf];
  const wbWords = m.hw.weightBufferWords;
  let o = tile * m.hw.outputBufferWords + c[at + MAC.obuf];
  let wOff = tile * m.wbPerTile + c[at + MAC.pe] * wbWords + c[at + MAC.wbuf];
  const wb = m.wb as Float32Array;
  const ib = m.ib as Float32Array;
  const ob = m.ob;
  for (let k = 0; k < count; k++) {
    ob[o] = accumulateDot(from ? ob[o] : 0, wb, wOff, ib, xOff, len);
    o++;
    wOff += wbWords;
  }
  return pc + 1;
}

const FIN = slotsOf('fin');
/** Each PE: bias, activation and gate on its partial sum, as `neu` ends; the result replaces the sum. */
export function execFinishNeurons(m: Machine, c: Uint32Array, at: number, pc: number): number {
  const tile = c[at + FIN.tile];
  const count = c[at + FIN.count];
  const act = c[at + FIN.act];
  const ctl = c[at + FIN.ctl];
  const cOff = tile * m.hw.inputBufferWords + c[at + FIN.cbuf];
  const oOff = tile * m.hw.outputBufferWords + c[at + FIN.obuf];
  const wbWords = m.hw.weightBufferWords;
  let bOff = tile * m.wbPerTile + c[at + FIN.pe] * wbWords + c[at + FIN.wbuf];
  for (let k = 0; k < count; k++) {
    let h = applyActivationCode(act, addBias(m.ob[oOff + k], m.wb[bOff]));
    if (ctl) h = gate(h, m.ib[cOff + k]);
    m.ob[oOff + k] = h;
    bOff += wbWords;
  }
  return pc + 1;
}

export const EXECUTORS: { readonly [M in Mnemonic]: Executor } = {
  nop: (_m, _c, _at, pc) => pc + 1,
  halt: () => HALTED,
  recv: execRecv,
  ldw: execLoadWeights,
  ldi: execLoadInput,
  neu: execNeuronOp,
  sto: execStoreOutput,
  decs: execDecideSigmoid,
  decm: execDecideSoftmax,
  cpu: execCpuFallback,
  send: execSend,
  jmp: execJump,
  mac: execMultiplyAccumulate,
  fin: execFinishNeurons,
  skip: execSkip,
};

/** Dispatch by opcode, derived from the ISA table; an undefined opcode halts (the loader refuses one). */
export const DISPATCH: readonly Executor[] = indexByOpcode('executor', EXECUTORS, () => HALTED);
