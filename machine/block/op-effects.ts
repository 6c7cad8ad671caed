// What each op reads and writes of the machine's memories, in terms of its decoded operands: the facts the
// block planner (machine/block/plan-blocks.ts) needs to prove that samples run independently of each other.
// Keyed by mnemonic like the executors and timing rules, so a new op cannot be added without saying.

import { slotsOf, type Mnemonic } from '../../isa/table.ts';
import type { Hardware } from '../../hardware/description.ts';

/** The memories an op may touch: on-chip memory, and each tile's input, output and weight buffers (flattened
 *  as the machine flattens them: [tile][word], weights [tile][pe][word]); and 'pe', the PEs (tile × pesPerTile +
 *  pe) it occupies, which hold no data but are a timing resource (a `mac` of no words still takes its PEs).
 *  DRAM is read-only and not listed. */
export type Space = 'ocm' | 'ib' | 'ob' | 'wb' | 'pe';

/** Visited once per contiguous range an op touches, reads before writes. */
export type EffectVisitor = (space: Space, write: boolean, start: number, n: number) => void;

/** The effects of one decoded instruction (`c`, `at` as the executors read them) on an element-view hardware. */
export type OpEffects = (c: Uint32Array, at: number, hw: Hardware, visit: EffectVisitor) => void;

const RECV = slotsOf('recv');
const LDW = slotsOf('ldw');
const LDI = slotsOf('ldi');
const NEU = slotsOf('neu');
const STO = slotsOf('sto');
const DECS = slotsOf('decs');
const DECM = slotsOf('decm');
const SEND = slotsOf('send');
const MAC = slotsOf('mac');
const FIN = slotsOf('fin');

/** Rows of `n` words in `count` consecutive PEs' weight buffers, from word `wbuf`; and those PEs. */
function weightRows(c: Uint32Array, at: number, hw: Hardware, tileSlot: number, peSlot: number, count: number, wbuf: number, n: number, write: boolean, visit: EffectVisitor): void {
  const pe = c[at + tileSlot] * hw.pesPerTile + c[at + peSlot];
  visit('pe', write, pe, count);
  const base = pe * hw.weightBufferWords + wbuf;
  for (let k = 0; k < count; k++) visit('wb', write, base + k * hw.weightBufferWords, n);
}

const none: OpEffects = () => {};

export const OP_EFFECTS: { readonly [M in Mnemonic]: OpEffects } = {
  nop: none,
  halt: none,
  recv: (c, at, _hw, visit) => visit('ocm', true, c[at + RECV.ocm], c[at + RECV.len]),
  ldw: (c, at, hw, visit) => weightRows(c, at, hw, LDW.tile, LDW.pe, c[at + LDW.count], c[at + LDW.wbuf], c[at + LDW.row], true, visit),
  ldi: (c, at, hw, visit) => {
    visit('ocm', false, c[at + LDI.ocm], c[at + LDI.len]);
    visit('ib', true, c[at + LDI.tile] * hw.inputBufferWords + c[at + LDI.ibuf], c[at + LDI.len]);
  },
  neu: (c, at, hw, visit) => {
    const ib = c[at + NEU.tile] * hw.inputBufferWords;
    const count = c[at + NEU.count];
    visit('ib', false, ib + c[at + NEU.ibuf], c[at + NEU.len]);
    if (c[at + NEU.ctl]) visit('ib', false, ib + c[at + NEU.cbuf], count);
    weightRows(c, at, hw, NEU.tile, NEU.pe, count, c[at + NEU.wbuf], c[at + NEU.len] + 1, false, visit);
    visit('ob', true, c[at + NEU.tile] * hw.outputBufferWords + c[at + NEU.obuf], count);
  },
  sto: (c, at, hw, visit) => {
    visit('ob', false, c[at + STO.tile] * hw.outputBufferWords + c[at + STO.obuf], c[at + STO.len]);
    visit('ocm', true, c[at + STO.ocm], c[at + STO.len]);
  },
  decs: (c, at, _hw, visit) => visit('ocm', false, c[at + DECS.ocm], 1),
  decm: (c, at, _hw, visit) => visit('ocm', false, c[at + DECM.ocm], 2),
  cpu: none,
  send: (c, at, _hw, visit) => visit('ocm', false, c[at + SEND.ocm], c[at + SEND.len]),
  jmp: none,
  mac: (c, at, hw, visit) => {
    const count = c[at + MAC.count];
    const ob = c[at + MAC.tile] * hw.outputBufferWords + c[at + MAC.obuf];
    visit('ib', false, c[at + MAC.tile] * hw.inputBufferWords + c[at + MAC.ibuf], c[at + MAC.len]);
    weightRows(c, at, hw, MAC.tile, MAC.pe, count, c[at + MAC.wbuf], c[at + MAC.len], false, visit);
    if (c[at + MAC.from]) visit('ob', false, ob, count);
    visit('ob', true, ob, count);
  },
  fin: (c, at, hw, visit) => {
    const count = c[at + FIN.count];
    const ob = c[at + FIN.tile] * hw.outputBufferWords + c[at + FIN.obuf];
    visit('ob', false, ob, count);
    if (c[at + FIN.ctl]) visit('ib', false, c[at + FIN.tile] * hw.inputBufferWords + c[at + FIN.cbuf], count);
    weightRows(c, at, hw, FIN.tile, FIN.pe, count, c[at + FIN.wbuf], 1, false, visit);
    visit('ob', true, ob, count);
  },
  skip: none,
};
