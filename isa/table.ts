// The NPU instruction set, declared once. Encoder, decoder, assembler, disassembler, the loader's checks,
// the ISA reference (isa/README.md), and the simulator's executor and timing-rule tables (indexByOpcode)
// are all derived from this table.

import { FIELD_BITS } from '../arch/limits.ts';
import { DIAG } from '../diagnostics/catalog.ts';
import type { Hardware } from '../hardware/description.ts';
import { isUsableThreshold } from '../ir/numerics.ts';

/** How an operand is written in assembly: plain number, tile `t3`, PE `p5`, buffer `@12`,
 *  memory `m40`, DRAM `d1024`, sample slot `s2`, numerics layer `q3`, activation name, skip condition name, float32 literal, or a
 *  code label. */
export type OperandKind = 'uint' | 'tile' | 'pe' | 'buf' | 'ocm' | 'dram' | 'slot' | 'layer' | 'act' | 'when' | 'f32' | 'label';

/** When `skip` branches, by its `when` operand: the sample in the slot is absent (the input ran out before the
 *  batch filled); it is absent or goes to the CPU; it is absent or goes to the NPU; no sample of the batch
 *  goes to the NPU (the slot is not read). */
export const SKIP_CONDITIONS = ['absent', 'cpu', 'npu', 'none'] as const;
export type SkipCondition = (typeof SKIP_CONDITIONS)[number];

export interface FieldDecl<N extends string = string> {
  readonly name: N;
  readonly bits: number;
  readonly kind: OperandKind;
  readonly doc: string;
  /** A trailing operand that assembly may leave off, meaning 0, and that disassembly leaves off when it is 0:
   *  a batch-of-one program (slot 0 throughout) reads as it did before batches existed. */
  readonly optional?: true;
}

/** An instruction's operands by name, for the fields `F` declares. */
export type Operands<F extends readonly FieldDecl[]> = { readonly [K in F[number]['name']]: number };

/**
 * What an op's static check (`OpDecl.check`) may consult and report. The loader (isa/verify-program.ts)
 * provides it; checks that follow from field kinds alone (tile numbers, branch targets) it makes itself.
 */
export interface OperandCheck {
  readonly hw: Hardware;
  /** Words in the binary's DRAM image. */
  readonly dramWords: number;
  /** Reports the instruction as illegal: `entry` is an instruction diagnostic of the catalog, whose message
   *  takes the pc and mnemonic (given here) before `args`. */
  report<A extends unknown[]>(entry: InstructionDiagnostic<A>, ...args: A): void;
  /** Reports `what`, the words [start, start + n), if it runs past the end of a `size`-word `unit`. */
  within(what: string, start: number, n: number, size: number, unit: string): void;
  /** Records the sample width a recv takes ('input') or a send gives ('output'); all must agree. */
  sampleWidth(side: 'input' | 'output', words: number): void;
  /** Layers the binary's numerics plan describes (0 for fp32, where every `q` is 0). */
  readonly layers: number;
  /** Records a sample slot a recv fills ('fills') or another op reads ('reads'): the batch is the slots recvs
   *  fill, and every slot read must be one of them. */
  sampleSlot(role: 'fills' | 'reads', slot: number): void;
}

/** A catalog entry about one instruction (diagnostics/catalog.ts, AXB405). */
export interface InstructionDiagnostic<A extends unknown[]> {
  readonly code: string;
  readonly message: (pc: number, mnemonic: string, ...args: A) => string;
  readonly kind: 'input' | 'usage';
  readonly severity: 'error' | 'warning';
}

export interface OpDecl<M extends string = string, F extends readonly FieldDecl[] = readonly FieldDecl[]> {
  readonly mnemonic: M;
  readonly opcode: number;
  /** One sentence on what the instruction does, for the ISA reference (isa/README.md, written by isa/isa-doc.ts). */
  readonly summary: string;
  readonly fields: F;
  /** The loop nest the instruction performs, in the notation of isa/README.md. */
  readonly loop: string;
  /** Where control goes next (default 'next'); the loader's control-flow check (isa/control-flow.ts) reads it. */
  readonly flow?: Flow;
  /** The load-time proof that the operands stay inside the hardware's memories (method syntax: checked
   *  bivariantly, so a table of ops with different fields is one array). */
  check?(a: Operands<F>, v: OperandCheck): void;
}

/** 'next': pc + 1 (recv also ends the program there when the input is exhausted); 'branch': pc + 1 or the
 *  target operand; 'jump': the target only; 'halt': nowhere, the program ends. */
export type Flow = 'next' | 'branch' | 'jump' | 'halt';

const B = FIELD_BITS;
const f = <const N extends string>(name: N, bits: number, kind: OperandKind, doc: string, optional?: true): FieldDecl<N> => ({ name, bits, kind, doc, ...(optional ? { optional } : {}) });
/** Declares one op, keeping its mnemonic and field names as types (so `check` and `slotsOf` know them). */
const op = <const M extends string, const F extends readonly FieldDecl[]>(d: OpDecl<M, F>): OpDecl<M, F> => d;

const tile = f('tile', B.tile, 'tile', 'tile index');
const pe = f('pe', B.pe, 'pe', 'first PE within the tile');
const count = f('count', B.count, 'uint', 'number of consecutive PEs');
const len = f('len', B.len, 'uint', 'number of words');
const target = f('target', B.target, 'label', 'branch target (instruction index)');
/** Which sample of the batch an op concerns; a batch-of-one program leaves it off (slot 0). */
const slot = f('slot', B.slot, 'slot', 'sample slot in the batch (s0 when left off)', true);
/** Whose number formats an op computes in (a binary outside fp32 records each layer's); fp32 leaves it off. */
const layer = f('q', B.layer, 'layer', 'numerics layer whose formats the op computes in (q0, left off, in fp32)', true);
function checkLayer(a: { q: number }, v: OperandCheck): void {
  if (a.q > v.layers) v.report(DIAG.noSuchLayer, a.q, v.layers);
}
/** How a neuron ends, for `neu` and `fin` alike: activation, gate and where the result goes. */
const finishFields = [
  f('act', B.act, 'act', 'activation: linear, relu, sigmoid, tanh'),
  f('ctl', B.flag, 'uint', '1 routes the activation through the Hadamard multiplier'),
  f('cbuf', B.bufAddr, 'buf', 'input-buffer address of the control slice (element k for PE pe + k)'),
  f('obuf', B.bufAddr, 'buf', 'output-buffer address of the first result'),
] as const;

export const INSTRUCTION_BITS = 128;
export const INSTRUCTION_WORDS = INSTRUCTION_BITS / 32;
/** Every instruction starts with the opcode, then the stage tag, then its own fields in order. */
export const OPCODE_BITS = 6;
export const STAGE_BITS = B.stage;

/** The PEs [pe, pe + count) must lie in one tile. */
function checkPes(a: { pe: number; count: number }, v: OperandCheck): void {
  if (a.pe + a.count > v.hw.pesPerTile) v.report(DIAG.pesExceedTile, a.pe, a.count, v.hw.pesPerTile);
}

/** Outside (0, 1) a decision is constant (or, for softmax, its cut is not even a number): refused as the frontends refuse it. */
function checkThreshold(a: { threshold: number }, v: OperandCheck): void {
  if (!isUsableThreshold(a.threshold)) v.report(DIAG.unusableThreshold, a.threshold);
}

export const OPS = [
  op({ mnemonic: 'nop', opcode: 0, summary: 'Do nothing for one issue slot.', fields: [], loop: '—' }),
  op({
    mnemonic: 'halt',
    opcode: 1,
    summary: 'Stop the program.',
    fields: [],
    loop: 'stop',
    flow: 'halt',
  }),
  op({
    mnemonic: 'recv',
    opcode: 2,
    summary:
      'Stage 1: take the next sample from the host into on-chip memory as sample `slot` of the batch (slot 0 starts a new batch). With no sample left, slot 0 stops the program; a later slot stays absent and the batch goes on short.',
    fields: [f('ocm', B.ocmAddr, 'ocm', 'destination in on-chip memory'), len, slot],
    loop: 'if slot = 0: the previous batch is done; every slot absent\nif no sample left: (if slot = 0: stop); next\nfor j < len: OCM[ocm + j] = x[j]\nslot present',
    check(a, v) {
      v.sampleSlot('fills', a.slot);
      v.within('on-chip memory range', a.ocm, a.len, v.hw.onChipMemoryWords, 'on-chip memory');
      // A sample file cannot hold an empty sample (blank lines are skipped), so such a program could never run one.
      if (a.len === 0) v.report(DIAG.recvNothing);
      v.sampleWidth('input', a.len);
    },
  }),
  op({
    mnemonic: 'ldw',
    opcode: 3,
    summary: "Load weight rows (fan-in weights then bias) from DRAM into consecutive PEs' weight buffers.",
    fields: [tile, pe, count, f('wbuf', B.bufAddr, 'buf', 'weight-buffer address'), f('dram', B.dramAddr, 'dram', 'DRAM address of the first row'), f('row', B.row, 'uint', 'words per row (fan-in + 1)')],
    loop: 'for k < count: for j < row: WB[tile][pe + k][wbuf + j] = DRAM[dram + k*row + j]',
    check(a, v) {
      checkPes(a, v);
      v.within('weight-buffer range', a.wbuf, a.row, v.hw.weightBufferWords, 'weight buffer');
      v.within('DRAM range', a.dram, a.count * a.row, v.dramWords, 'DRAM image');
    },
  }),
  op({
    mnemonic: 'ldi',
    opcode: 4,
    summary: "Move words from on-chip memory into a tile's input buffer over the data bus.",
    fields: [tile, f('ibuf', B.bufAddr, 'buf', 'input-buffer address'), f('ocm', B.ocmAddr, 'ocm', 'source in on-chip memory'), len],
    loop: 'for j < len: IB[tile][ibuf + j] = OCM[ocm + j]',
    check(a, v) {
      v.within('input-buffer range', a.ibuf, a.len, v.hw.inputBufferWords, 'input buffer');
      v.within('on-chip memory range', a.ocm, a.len, v.hw.onChipMemoryWords, 'on-chip memory');
    },
  }),
  op({
    mnemonic: 'neu',
    opcode: 5,
    summary: 'Each of `count` PEs computes one neuron: multiply-add over the input buffer, bias, activation, and (ctl = 1) the switch-unit Hadamard multiply by its control element.',
    fields: [
      tile,
      pe,
      count,
      f('ibuf', B.bufAddr, 'buf', 'input-buffer address of the layer input'),
      f('len', B.len, 'uint', 'fan-in'),
      f('wbuf', B.bufAddr, 'buf', 'weight-buffer address of each PE\'s row'),
      ...finishFields,
      layer,
    ],
    loop:
      'for k < count:\n  acc = +0; for j < len: acc = f32(acc + f32(WB[tile][pe+k][wbuf+j] * IB[tile][ibuf+j]))\n  h = act(f32(acc + WB[tile][pe+k][wbuf+len]))\n  if ctl: h = f32(h * IB[tile][cbuf + k])\n  OB[tile][obuf + k] = h',
    check(a, v) {
      checkPes(a, v);
      checkLayer(a, v);
      v.within('input-buffer range', a.ibuf, a.len, v.hw.inputBufferWords, 'input buffer');
      v.within('weight-buffer range', a.wbuf, a.len + 1, v.hw.weightBufferWords, 'weight buffer');
      if (a.ctl) v.within('control slice', a.cbuf, a.count, v.hw.inputBufferWords, 'input buffer');
      v.within('output-buffer range', a.obuf, a.count, v.hw.outputBufferWords, 'output buffer');
    },
  }),
  op({
    mnemonic: 'sto',
    opcode: 6,
    summary: "Move words from a tile's output buffer to on-chip memory over the data bus.",
    fields: [tile, f('obuf', B.bufAddr, 'buf', 'output-buffer address'), f('ocm', B.ocmAddr, 'ocm', 'destination in on-chip memory'), len],
    loop: 'for j < len: OCM[ocm + j] = OB[tile][obuf + j]',
    check(a, v) {
      v.within('output-buffer range', a.obuf, a.len, v.hw.outputBufferWords, 'output buffer');
      v.within('on-chip memory range', a.ocm, a.len, v.hw.onChipMemoryWords, 'on-chip memory');
    },
  }),
  op({
    mnemonic: 'decs',
    opcode: 7,
    summary: "Stage 3, sigmoid decision: the controller reads sample `slot`'s P(x) and, unless it exceeds the threshold, branches to the CPU path; the decision stays with the slot for `skip`.",
    fields: [f('ocm', B.ocmAddr, 'ocm', 'address of P(x)'), f('threshold', B.f32, 'f32', 'invoke when P(x) > threshold'), target, slot],
    loop: 'P = OCM[ocm]; score = P\ninvoke = score > threshold\nrecord P, score, invoke for slot\nif not invoke: pc = target',
    flow: 'branch',
    check(a, v) {
      v.sampleSlot('reads', a.slot);
      v.within('P(x) address', a.ocm, 1, v.hw.onChipMemoryWords, 'on-chip memory');
      checkThreshold(a, v);
    },
  }),
  op({
    mnemonic: 'decm',
    opcode: 8,
    summary: "Stage 3, softmax decision: the controller reads sample `slot`'s two logits and, unless the safe one's probability exceeds the threshold, branches to the CPU path; the decision stays with the slot for `skip`.",
    fields: [
      f('ocm', B.ocmAddr, 'ocm', 'address of the two logits'),
      f('safe', B.flag, 'uint', 'index of the safe logit'),
      f('threshold', B.f32, 'f32', 'invoke when the safe probability > threshold (0.5: when the safe logit strictly wins)'),
      target,
      slot,
      layer,
    ],
    // The comparison is in logit space (ir/numerics.ts: softmaxMargin, softmaxCut), so no exp decides.
    loop: 's = OCM[ocm + safe]; o = OCM[ocm + 1 - safe]\nP = f32(1 / (1 + exp(f32(o - s)))); score = f32(s - o)\nt = threshold; invoke = score > f32(log(t / (1 - t)))\nrecord P, score, invoke for slot\nif not invoke: pc = target',
    flow: 'branch',
    check(a, v) {
      v.sampleSlot('reads', a.slot);
      checkLayer(a, v);
      v.within('logit pair', a.ocm, 2, v.hw.onChipMemoryWords, 'on-chip memory');
      checkThreshold(a, v);
    },
  }),
  op({
    mnemonic: 'cpu',
    opcode: 9,
    summary: 'Stage 3: the controller hands sample `slot` to the CPU, which computes the exact function.',
    fields: [slot],
    loop: 'fallback(x of slot)',
    check(a, v) {
      v.sampleSlot('reads', a.slot);
    },
  }),
  op({
    mnemonic: 'send',
    opcode: 10,
    summary: "Stage 5: deliver sample `slot`'s H(x) from on-chip memory to the host.",
    fields: [f('ocm', B.ocmAddr, 'ocm', 'address of H(x)'), len, slot],
    loop: 'for j < len: y[slot][j] = OCM[ocm + j]',
    check(a, v) {
      v.sampleSlot('reads', a.slot);
      v.within('on-chip memory range', a.ocm, a.len, v.hw.onChipMemoryWords, 'on-chip memory');
      v.sampleWidth('output', a.len);
    },
  }),
  op({ mnemonic: 'jmp', opcode: 11, summary: 'Unconditional branch.', fields: [target], loop: 'pc = target', flow: 'jump' }),
  // A neuron whose fan-in does not fit one weight buffer is computed in chunks: `mac` for each chunk, in
  // order, then `fin`. The partial sum carries from chunk to chunk in an output-buffer word, so the float32
  // sum is taken in the same left-to-right order as `neu` (and the reference interpreter) takes it, and the
  // partial sums of several samples can wait side by side while one chunk of weights serves them all.
  op({
    mnemonic: 'mac',
    opcode: 12,
    summary: "Each of `count` PEs multiplies and adds one chunk of its neuron's fan-in into its partial sum, an output-buffer word (from = 0 starts the sum at +0; 1 continues it).",
    fields: [
      tile,
      pe,
      count,
      f('ibuf', B.bufAddr, 'buf', "input-buffer address of the chunk's inputs"),
      f('len', B.len, 'uint', 'words in the chunk'),
      f('wbuf', B.bufAddr, 'buf', "weight-buffer address of each PE's chunk of weights"),
      f('from', B.flag, 'uint', '0: start the partial sum at +0; 1: continue it'),
      f('obuf', B.bufAddr, 'buf', 'output-buffer address of the first partial sum'),
      layer,
    ],
    loop: 'for k < count:\n  acc = from ? OB[tile][obuf+k] : +0\n  for j < len: acc = f32(acc + f32(WB[tile][pe+k][wbuf+j] * IB[tile][ibuf+j]))\n  OB[tile][obuf+k] = acc',
    check(a, v) {
      checkPes(a, v);
      checkLayer(a, v);
      v.within('input-buffer range', a.ibuf, a.len, v.hw.inputBufferWords, 'input buffer');
      v.within('weight-buffer range', a.wbuf, a.len, v.hw.weightBufferWords, 'weight buffer');
      v.within('output-buffer range', a.obuf, a.count, v.hw.outputBufferWords, 'output buffer');
    },
  }),
  op({
    mnemonic: 'fin',
    opcode: 13,
    summary: "Each of `count` PEs finishes its neuron from its partial sum, in place in the output buffer: bias, activation, and (ctl = 1) the switch unit's Hadamard multiply.",
    fields: [
      tile,
      pe,
      count,
      f('wbuf', B.bufAddr, 'buf', "weight-buffer address of each PE's bias"),
      ...finishFields,
      layer,
    ],
    loop: 'for k < count:\n  h = act(f32(OB[tile][obuf + k] + WB[tile][pe+k][wbuf]))\n  if ctl: h = f32(h * IB[tile][cbuf + k])\n  OB[tile][obuf + k] = h',
    check(a, v) {
      checkPes(a, v);
      checkLayer(a, v);
      v.within('bias address', a.wbuf, 1, v.hw.weightBufferWords, 'weight buffer');
      if (a.ctl) v.within('control slice', a.cbuf, a.count, v.hw.inputBufferWords, 'input buffer');
      v.within('output-buffer range', a.obuf, a.count, v.hw.outputBufferWords, 'output buffer');
    },
  }),
  op({
    mnemonic: 'skip',
    opcode: 14,
    summary:
      "A batch's guard: branch when the sample in `slot` is absent (`absent`), absent or sent to the CPU (`cpu`), absent or sent to the NPU (`npu`), or when no sample of the batch goes to the NPU (`none`).",
    fields: [f('when', B.when, 'when', `condition: ${SKIP_CONDITIONS.join(', ')}`), f('slot', B.slot, 'slot', 'sample slot in the batch'), target],
    loop: 'if when(slot): pc = target',
    flow: 'branch',
    check(a, v) {
      v.sampleSlot('reads', a.slot);
    },
  }),
] as const;

/** Every mnemonic of the ISA, as a type: tables keyed by it (executors, timing rules) must cover exactly these. */
export type Mnemonic = (typeof OPS)[number]['mnemonic'];
type DeclOf<M extends Mnemonic> = Extract<(typeof OPS)[number], { mnemonic: M }>;
/** The operand names of one mnemonic. */
export type OperandName<M extends Mnemonic> = DeclOf<M>['fields'][number]['name'];
/** One instruction's operands by name, as the emitter writes them; a label operand may name a label. */
export type OperandValues<M extends Mnemonic> = { readonly [K in OperandName<M>]: number | string };

export interface FieldLayout extends FieldDecl {
  /** Bit offset within the 128-bit instruction (bit 0 = least significant bit of word 0). */
  offset: number;
}

export interface OpLayout extends OpDecl {
  layout: FieldLayout[];
}

function layOut(op: OpDecl): OpLayout {
  let offset = OPCODE_BITS + STAGE_BITS;
  const layout = op.fields.map((fd) => {
    const l = { ...fd, offset };
    offset += fd.bits;
    return l;
  });
  if (offset > INSTRUCTION_BITS) throw new Error(`ISA table: ${op.mnemonic} needs ${offset} bits`);
  if ((op.flow === 'branch' || op.flow === 'jump') && !op.fields.some((fd) => fd.kind === 'label')) throw new Error(`ISA table: ${op.mnemonic} branches but has no label operand`);
  if (op.fields.some((fd, i) => !fd.optional && op.fields.slice(0, i).some((e) => e.optional))) throw new Error(`ISA table: ${op.mnemonic} has an optional operand before a required one`);
  return { ...op, layout };
}

export const OP_LAYOUTS: readonly OpLayout[] = (OPS as readonly OpDecl[]).map(layOut);

export const OP_BY_MNEMONIC: ReadonlyMap<string, OpLayout> = new Map(OP_LAYOUTS.map((o) => [o.mnemonic, o]));
export const OP_BY_CODE: readonly (OpLayout | undefined)[] = (() => {
  const a: (OpLayout | undefined)[] = new Array(1 << OPCODE_BITS).fill(undefined);
  for (const o of OP_LAYOUTS) {
    if (a[o.opcode]) throw new Error(`ISA table: opcode ${o.opcode} used twice`);
    a[o.opcode] = o;
  }
  return a;
})();

/** The slots of a decoded instruction record (isa/encoding.ts, flattenProgram): the opcode, the stage tag, then
 *  the operands in field order. */
export const OPCODE_SLOT = 0;
export const STAGE_SLOT = 1;
export const FIRST_OPERAND_SLOT = 2;

/** Slots per decoded instruction: opcode, stage, then up to the widest op's fields. */
export const DECODED_STRIDE = FIRST_OPERAND_SLOT + Math.max(...OPS.map((o) => o.fields.length));

/** Where each operand of `mnemonic` sits in a decoded instruction record (isa/encoding.ts, flattenProgram):
 *  the executors and the timing rules read operands through these slots, by name. */
export function slotsOf<M extends Mnemonic>(mnemonic: M): { readonly [K in OperandName<M>]: number } {
  const op = OP_BY_MNEMONIC.get(mnemonic)!;
  return Object.fromEntries(op.fields.map((fd, i) => [fd.name, FIRST_OPERAND_SLOT + i])) as { [K in OperandName<M>]: number };
}

/**
 * A per-op table (executors, timing rules) laid out by opcode for dispatch. Its type already demands one
 * entry per mnemonic; this checks it again when the module loads, in both directions, for tables built
 * around the type system. Opcodes the ISA leaves undefined get `undefinedOp`.
 */
export function indexByOpcode<T>(what: string, table: { readonly [M in Mnemonic]: T }, undefinedOp: T): readonly T[] {
  const entries = table as Readonly<Record<string, T>>;
  for (const o of OP_LAYOUTS) if (!Object.hasOwn(entries, o.mnemonic)) throw new Error(`no ${what} for '${o.mnemonic}'`);
  for (const name of Object.keys(entries)) if (!OP_BY_MNEMONIC.has(name)) throw new Error(`${what} for '${name}', which is not in the ISA table`);
  return OP_BY_CODE.map((o) => (o ? entries[o.mnemonic] : undefinedOp));
}

export function opcodeOf(mnemonic: Mnemonic): number {
  const op = OP_BY_MNEMONIC.get(mnemonic);
  if (!op) throw new Error(`ISA table has no op ${mnemonic}`);
  return op.opcode;
}

export const STAGE_NAMES = ['setup', 'predict', 'store-predictions', 'decide', 'approximate', 'output'] as const;
