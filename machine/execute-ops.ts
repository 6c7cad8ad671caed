// One executor per opcode, and the dispatch table built once from the ISA table.
// Executors read operands from the flat decoded program and return the next pc; they allocate nothing.

import { applyActivationCode, decisionCut, decisionInvokes, dotBias, gate, softmaxMargin, softmaxSafeProbability } from '../ir/numerics.ts';
import { bitsToF32 } from '../ir/float-bits.ts';
import { fieldSlot, OP_BY_CODE, OP_LAYOUTS } from '../isa/table.ts';
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

const S = (op: string, f: string) => fieldSlot(op, f);

const RECV = { ocm: S('recv', 'ocm'), len: S('recv', 'len') };
export function execRecv(m: Machine, c: Uint32Array, at: number, pc: number): number {
  const x = m.pending;
  if (x === null) return BLOCKED;
  copyWords(x, 0, m.ocm, c[at + RECV.ocm], c[at + RECV.len]);
  m.pending = null;
  m.timing.recv(c[at + RECV.ocm], c[at + RECV.len], c[at + 1]);
  return pc + 1;
}

const LDW = { tile: S('ldw', 'tile'), pe: S('ldw', 'pe'), count: S('ldw', 'count'), wbuf: S('ldw', 'wbuf'), dram: S('ldw', 'dram'), row: S('ldw', 'row') };
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
  m.timing.loadWeights(c[at + LDW.tile], c[at + LDW.pe], count, row, c[at + 1]);
  return pc + 1;
}

const LDI = { tile: S('ldi', 'tile'), ibuf: S('ldi', 'ibuf'), ocm: S('ldi', 'ocm'), len: S('ldi', 'len') };
export function execLoadInput(m: Machine, c: Uint32Array, at: number, pc: number): number {
  copyWords(m.ocm, c[at + LDI.ocm], m.ib, c[at + LDI.tile] * m.hw.inputBufferWords + c[at + LDI.ibuf], c[at + LDI.len]);
  m.timing.loadInput(c[at + LDI.tile], c[at + LDI.ibuf], c[at + LDI.ocm], c[at + LDI.len], c[at + 1]);
  return pc + 1;
}

const NEU = {
  tile: S('neu', 'tile'), pe: S('neu', 'pe'), count: S('neu', 'count'), ibuf: S('neu', 'ibuf'), len: S('neu', 'len'),
  wbuf: S('neu', 'wbuf'), act: S('neu', 'act'), ctl: S('neu', 'ctl'), cbuf: S('neu', 'cbuf'), obuf: S('neu', 'obuf'),
};
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
  m.timing.neuron(tile, c[at + NEU.pe], count, c[at + NEU.ibuf], len, act, ctl, c[at + NEU.cbuf], c[at + NEU.obuf], c[at + 1]);
  return pc + 1;
}

const STO = { tile: S('sto', 'tile'), obuf: S('sto', 'obuf'), ocm: S('sto', 'ocm'), len: S('sto', 'len') };
export function execStoreOutput(m: Machine, c: Uint32Array, at: number, pc: number): number {
  copyWords(m.ob, c[at + STO.tile] * m.hw.outputBufferWords + c[at + STO.obuf], m.ocm, c[at + STO.ocm], c[at + STO.len]);
  m.timing.store(c[at + STO.tile], c[at + STO.obuf], c[at + STO.ocm], c[at + STO.len], c[at + 1]);
  return pc + 1;
}

const DECS = { ocm: S('decs', 'ocm'), threshold: S('decs', 'threshold'), target: S('decs', 'target') };
export function execDecideSigmoid(m: Machine, c: Uint32Array, at: number, pc: number): number {
  const p = m.ocm[c[at + DECS.ocm]];
  m.p = p;
  m.score = p;
  m.predicted = decisionInvokes(p, decisionCut('sigmoid', bitsToF32(c[at + DECS.threshold])));
  m.timing.decide(c[at + DECS.ocm], 1, false, c[at + 1]);
  return (m.predicted || m.invokeAll) && !m.invokeNone ? pc + 1 : c[at + DECS.target];
}

const DECM = { ocm: S('decm', 'ocm'), safe: S('decm', 'safe'), threshold: S('decm', 'threshold'), target: S('decm', 'target') };
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
  m.timing.decide(base, 2, true, c[at + 1]);
  return (m.predicted || m.invokeAll) && !m.invokeNone ? pc + 1 : c[at + DECM.target];
}

export function execCpuFallback(m: Machine, c: Uint32Array, at: number, pc: number): number {
  m.fallback = true;
  m.timing.cpu(c[at + 1]);
  return pc + 1;
}

const SEND = { ocm: S('send', 'ocm'), len: S('send', 'len') };
export function execSend(m: Machine, c: Uint32Array, at: number, pc: number): number {
  copyWords(m.ocm, c[at + SEND.ocm], m.y, 0, c[at + SEND.len]);
  m.invoked = true;
  m.timing.send(c[at + SEND.ocm], c[at + SEND.len], c[at + 1]);
  return pc + 1;
}

const JMP = { target: S('jmp', 'target') };
export function execJump(m: Machine, c: Uint32Array, at: number): number {
  m.timing.step(c[at + 1]);
  return c[at + JMP.target];
}

const EXECUTORS: Record<string, Executor> = {
  nop: (m, c, at, pc) => {
    m.timing.step(c[at + 1]);
    return pc + 1;
  },
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
};

/** Dispatch by opcode, derived from the ISA table; an op without an executor is a build error, caught at load. */
export const DISPATCH: readonly Executor[] = (() => {
  for (const op of OP_LAYOUTS) if (!EXECUTORS[op.mnemonic]) throw new Error(`simulator has no executor for '${op.mnemonic}'`);
  for (const name of Object.keys(EXECUTORS)) if (!OP_LAYOUTS.some((o) => o.mnemonic === name)) throw new Error(`executor '${name}' is not in the ISA table`);
  return OP_BY_CODE.map((op) => (op ? EXECUTORS[op.mnemonic] : () => HALTED));
})();
