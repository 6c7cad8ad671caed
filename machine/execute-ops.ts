// One executor per opcode, and the dispatch table built once from the ISA table. Executors are purely
// functional: they read operands from the flat decoded program by name, change machine state and return the
// next pc; they allocate nothing, and know nothing of time (machine/timing-rules.ts times each op).

import { accumulateDot, addBias, applyActivationCode, decisionCut, decisionInvokes, dotBias, gate, softmaxMargin, softmaxSafeProbability } from '../ir/numerics.ts';
import { bitsToF32 } from '../ir/float-bits.ts';
import { indexByOpcode, slotsOf, type Mnemonic } from '../isa/table.ts';
import type { Machine } from './machine.ts';

/** Returned by `recv` when no sample is pending: the run loop stops there until one arrives. */
export const BLOCKED = -2;
/** Returned by `halt`. */
export const HALTED = -1;

export type Executor = (m: Machine, c: Uint32Array, at: number, pc: number) => number;

/** A word-by-word move between memories; a loop rather than subarray() so no view object is allocated. */
function copyWords(src: Float32Array, from: number, dst: Float32Array, to: number, n: number): void {
  for (let j = 0; j < n; j++) dst[to + j] = src[from + j];
}

const RECV = slotsOf('recv');
export function execRecv(m: Machine, c: Uint32Array, at: number, pc: number): number {
  const x = m.pending;
  if (x === null) return BLOCKED;
  copyWords(x, 0, m.ocm, c[at + RECV.ocm], c[at + RECV.len]);
  m.pending = null;
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
  const wb = m.wb;
  const ib = m.ib;
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

/** Whether the controller goes on to the approximator: the predictor's decision, unless a path is forced. */
function takesNpuPath(m: Machine): boolean {
  return m.invoke === 'model' ? m.predicted : m.invoke === 'all';
}

const DECS = slotsOf('decs');
export function execDecideSigmoid(m: Machine, c: Uint32Array, at: number, pc: number): number {
  const p = m.ocm[c[at + DECS.ocm]];
  m.p = p;
  m.score = p;
  m.predicted = decisionInvokes(p, decisionCut('sigmoid', bitsToF32(c[at + DECS.threshold])));
  return takesNpuPath(m) ? pc + 1 : c[at + DECS.target];
}

const DECM = slotsOf('decm');
/** The cut is recomputed per decision (one Math.log) rather than cached: nothing to invalidate when a
 *  program holds several decm, and the cost is noise beside the neuron ops. */
export function execDecideSoftmax(m: Machine, c: Uint32Array, at: number, pc: number): number {
  const base = c[at + DECM.ocm];
  const safeIndex = c[at + DECM.safe];
  const safe = m.ocm[base + safeIndex];
  const other = m.ocm[base + 1 - safeIndex];
  m.p = softmaxSafeProbability(safe, other);
  m.score = softmaxMargin(safe, other);
  m.predicted = decisionInvokes(m.score, decisionCut('softmax', bitsToF32(c[at + DECM.threshold])));
  return takesNpuPath(m) ? pc + 1 : c[at + DECM.target];
}

export function execCpuFallback(m: Machine, _c: Uint32Array, _at: number, pc: number): number {
  m.fallback = true;
  return pc + 1;
}

const SEND = slotsOf('send');
export function execSend(m: Machine, c: Uint32Array, at: number, pc: number): number {
  copyWords(m.ocm, c[at + SEND.ocm], m.y, 0, c[at + SEND.len]);
  m.invoked = true;
  return pc + 1;
}

const JMP = slotsOf('jmp');
export function execJump(_m: Machine, c: Uint32Array, at: number): number {
  return c[at + JMP.target];
}

const MAC = slotsOf('mac');
/** Each PE: one chunk of its multiply-adds, into (or on from) its partial sum, in the order `neu` takes them. */
export function execMultiplyAccumulate(m: Machine, c: Uint32Array, at: number, pc: number): number {
  const tile = c[at + MAC.tile];
  const count = c[at + MAC.count];
  const len = c[at + MAC.len];
  const from = c[at + MAC.from];
  const xOff = tile * m.hw.inputBufferWords + c[at + MAC.ibuf];
  const wbWords = m.hw.weightBufferWords;
  let p = tile * m.hw.pesPerTile + c[at + MAC.pe];
  let wOff = tile * m.wbPerTile + c[at + MAC.pe] * wbWords + c[at + MAC.wbuf];
  const wb = m.wb;
  const ib = m.ib;
  for (let k = 0; k < count; k++) {
    m.ps[p] = accumulateDot(from ? m.ps[p] : 0, wb, wOff, ib, xOff, len);
    p++;
    wOff += wbWords;
  }
  return pc + 1;
}

const FIN = slotsOf('fin');
/** Each PE: bias, activation and gate on its partial sum, as `neu` ends. */
export function execFinishNeurons(m: Machine, c: Uint32Array, at: number, pc: number): number {
  const tile = c[at + FIN.tile];
  const count = c[at + FIN.count];
  const act = c[at + FIN.act];
  const ctl = c[at + FIN.ctl];
  const cOff = tile * m.hw.inputBufferWords + c[at + FIN.cbuf];
  const oOff = tile * m.hw.outputBufferWords + c[at + FIN.obuf];
  const wbWords = m.hw.weightBufferWords;
  const p = tile * m.hw.pesPerTile + c[at + FIN.pe];
  let bOff = tile * m.wbPerTile + c[at + FIN.pe] * wbWords + c[at + FIN.wbuf];
  for (let k = 0; k < count; k++) {
    let h = applyActivationCode(act, addBias(m.ps[p + k], m.wb[bOff]));
    if (ctl) h = gate(h, m.ib[cOff + k]);
    m.ob[oOff + k] = h;
    bOff += wbWords;
  }
  return pc + 1;
}

const EXECUTORS: { readonly [M in Mnemonic]: Executor } = {
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
};

/** Dispatch by opcode, derived from the ISA table; an undefined opcode halts (the loader refuses one). */
export const DISPATCH: readonly Executor[] = indexByOpcode('executor', EXECUTORS, () => HALTED);
