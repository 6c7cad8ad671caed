// The executors of a machine outside fp32: the ops that compute (recv onto the input grid, neu, mac, fin, decm)
// go through their layer's arithmetic (ir/layer-arithmetic.ts, named by the `q` operand), the same objects the
// reference interpreter uses; moves and control flow are fp32's own executors (machine/execute-ops.ts).

import { decisionCut, decisionInvokes, softmaxSafeProbability } from '../ir/numerics.ts';
import { bitsToF32 } from '../ir/float-bits.ts';
import { indexByOpcode, slotsOf } from '../isa/table.ts';
import { BLOCKED, EXECUTORS, HALTED, decide, type Executor } from './execute-ops.ts';
import type { Machine } from './machine.ts';

const RECV = slotsOf('recv');
/** As fp32's recv, but each value is rounded onto the samples' grid (q0) as it enters on-chip memory. */
function execRecvInFormat(m: Machine, c: Uint32Array, at: number, pc: number): number {
  const ocmAt = c[at + RECV.ocm];
  const next = EXECUTORS.recv(m, c, at, pc);
  if (next === BLOCKED || !m.received) return next;
  const input = m.numerics![0];
  const len = c[at + RECV.len];
  const x = m.x;
  const from = c[at + RECV.slot] * m.inputWidth;
  for (let j = 0; j < len; j++) m.ocm[ocmAt + j] = input.toOutput(x[from + j]);
  return next;
}

const NEU = slotsOf('neu');
function execNeuronOpInFormat(m: Machine, c: Uint32Array, at: number, pc: number): number {
  const tile = c[at + NEU.tile];
  const count = c[at + NEU.count];
  const len = c[at + NEU.len];
  const act = c[at + NEU.act];
  const ctl = c[at + NEU.ctl];
  const ar = m.numerics![c[at + NEU.q]];
  const ibase = tile * m.hw.inputBufferWords;
  const xOff = ibase + c[at + NEU.ibuf];
  const cOff = ibase + c[at + NEU.cbuf];
  const oOff = tile * m.hw.outputBufferWords + c[at + NEU.obuf];
  const wbWords = m.hw.weightBufferWords;
  let wOff = tile * m.wbPerTile + c[at + NEU.pe] * wbWords + c[at + NEU.wbuf];
  for (let k = 0; k < count; k++) {
    let h = ar.activate(act, ar.addBias(ar.accumulate(0, m.wb, wOff, m.ib, xOff, len), m.wb[wOff + len]));
    if (ctl) h = ar.gate(h, m.ib[cOff + k]);
    m.ob[oOff + k] = h;
    wOff += wbWords;
  }
  return pc + 1;
}

const MAC = slotsOf('mac');
function execMultiplyAccumulateInFormat(m: Machine, c: Uint32Array, at: number, pc: number): number {
  const tile = c[at + MAC.tile];
  const count = c[at + MAC.count];
  const len = c[at + MAC.len];
  const from = c[at + MAC.from];
  const ar = m.numerics![c[at + MAC.q]];
  const xOff = tile * m.hw.inputBufferWords + c[at + MAC.ibuf];
  const wbWords = m.hw.weightBufferWords;
  let o = tile * m.hw.outputBufferWords + c[at + MAC.obuf];
  let wOff = tile * m.wbPerTile + c[at + MAC.pe] * wbWords + c[at + MAC.wbuf];
  for (let k = 0; k < count; k++) {
    m.ob[o] = ar.accumulate(from ? m.ob[o] : 0, m.wb, wOff, m.ib, xOff, len);
    o++;
    wOff += wbWords;
  }
  return pc + 1;
}

const FIN = slotsOf('fin');
function execFinishNeuronsInFormat(m: Machine, c: Uint32Array, at: number, pc: number): number {
  const tile = c[at + FIN.tile];
  const count = c[at + FIN.count];
  const act = c[at + FIN.act];
  const ctl = c[at + FIN.ctl];
  const ar = m.numerics![c[at + FIN.q]];
  const cOff = tile * m.hw.inputBufferWords + c[at + FIN.cbuf];
  const oOff = tile * m.hw.outputBufferWords + c[at + FIN.obuf];
  const wbWords = m.hw.weightBufferWords;
  let bOff = tile * m.wbPerTile + c[at + FIN.pe] * wbWords + c[at + FIN.wbuf];
  for (let k = 0; k < count; k++) {
    let h = ar.activate(act, ar.addBias(m.ob[oOff + k], m.wb[bOff]));
    if (ctl) h = ar.gate(h, m.ib[cOff + k]);
    m.ob[oOff + k] = h;
    bOff += wbWords;
  }
  return pc + 1;
}

const DECM = slotsOf('decm');
/** The margin is taken on the predictor output layer's grid; P(x) is reported from the logits in float32. */
function execDecideSoftmaxInFormat(m: Machine, c: Uint32Array, at: number, pc: number): number {
  const base = c[at + DECM.ocm];
  const safeIndex = c[at + DECM.safe];
  const safe = m.ocm[base + safeIndex];
  const other = m.ocm[base + 1 - safeIndex];
  const score = m.numerics![c[at + DECM.q]].margin(safe, other);
  const predicted = decisionInvokes(score, decisionCut('softmax', bitsToF32(c[at + DECM.threshold])));
  return decide(m, c[at + DECM.slot], softmaxSafeProbability(safe, other), score, predicted) ? pc + 1 : c[at + DECM.target];
}

/** Dispatch by opcode for a machine outside fp32. */
export const DISPATCH_IN_FORMATS: readonly Executor[] = indexByOpcode(
  'executor',
  { ...EXECUTORS, recv: execRecvInFormat, neu: execNeuronOpInFormat, mac: execMultiplyAccumulateInFormat, fin: execFinishNeuronsInFormat, decm: execDecideSoftmaxInFormat },
  () => HALTED,
);
