// Binary encoding of instructions: 128-bit words packed field by field as isa/table.ts lays them out.

import { DIAG } from '../diagnostics/catalog.ts';
import { fail } from '../diagnostics/diagnostic.ts';
import { DECODED_STRIDE, FIRST_OPERAND_SLOT, OPCODE_SLOT, STAGE_SLOT, INSTRUCTION_WORDS, OPCODE_BITS, OP_BY_CODE, STAGE_BITS, STAGE_NAMES, type Mnemonic, type OperandName, type OpLayout } from './table.ts';
import { bitsToF32, f32ToBits } from '../ir/float-bits.ts';

/** One instruction as tools see it; f32 operands hold their float32 value, all others unsigned integers. */
export interface Instruction {
  op: number;
  stage: number;
  args: number[];
}


/** The operands of `ins`, a `mnemonic`, by name; throws if `ins` is another op. */
export function operandsOf<M extends Mnemonic>(ins: Instruction, mnemonic: M): { readonly [K in OperandName<M>]: number } {
  const op = OP_BY_CODE[ins.op];
  if (op?.mnemonic !== mnemonic) throw new Error(`instruction is ${op?.mnemonic ?? `opcode ${ins.op}`}, not ${mnemonic}`);
  // A plain loop: the loader calls this for every instruction of every binary it checks.
  const named: Record<string, number> = {};
  const fields = op.fields;
  for (let i = 0; i < fields.length; i++) named[fields[i].name] = ins.args[i];
  return named as { [K in OperandName<M>]: number };
}

function putBits(words: Uint32Array, base: number, offset: number, bits: number, value: number): void {
  let v = value;
  let pos = offset;
  let remaining = bits;
  while (remaining > 0) {
    const shift = pos & 31;
    const take = Math.min(remaining, 32 - shift);
    const scale = 2 ** take;
    const part = v % scale;
    v = Math.floor(v / scale);
    const i = base + (pos >>> 5);
    words[i] = (words[i] | (part << shift)) >>> 0;
    pos += take;
    remaining -= take;
  }
}

function getBits(words: Uint32Array, base: number, offset: number, bits: number): number {
  let value = 0;
  let scale = 1;
  let pos = offset;
  let remaining = bits;
  while (remaining > 0) {
    const shift = pos & 31;
    const take = Math.min(remaining, 32 - shift);
    const mask = take === 32 ? 0xffffffff : (1 << take) - 1;
    const part = (words[base + (pos >>> 5)] >>> shift) & mask;
    value += (part >>> 0) * scale;
    scale *= 2 ** take;
    pos += take;
    remaining -= take;
  }
  return value;
}

function fieldBits(op: OpLayout, i: number, value: number): number {
  const fd = op.layout[i];
  const bits = fd.kind === 'f32' ? f32ToBits(value) : value;
  if (!Number.isInteger(bits) || bits < 0 || bits >= 2 ** fd.bits)
    throw new RangeError(`${op.mnemonic}.${fd.name} = ${value} does not fit ${fd.bits} unsigned bits`);
  return bits;
}

export function encodeInstruction(ins: Instruction, words: Uint32Array, at: number): void {
  const op = OP_BY_CODE[ins.op];
  if (!op) throw new RangeError(`no opcode ${ins.op}`);
  if (ins.args.length !== op.layout.length) throw new RangeError(`${op.mnemonic} takes ${op.layout.length} operands, got ${ins.args.length}`);
  if (!Number.isInteger(ins.stage) || ins.stage < 0 || ins.stage >= STAGE_NAMES.length) throw new RangeError(`stage ${ins.stage}`);
  const base = at * INSTRUCTION_WORDS;
  words.fill(0, base, base + INSTRUCTION_WORDS);
  putBits(words, base, 0, OPCODE_BITS, ins.op);
  putBits(words, base, OPCODE_BITS, STAGE_BITS, ins.stage);
  op.layout.forEach((fd, i) => putBits(words, base, fd.offset, fd.bits, fieldBits(op, i, ins.args[i])));
}

export function encodeProgram(program: readonly Instruction[]): Uint32Array {
  const words = new Uint32Array(program.length * INSTRUCTION_WORDS);
  program.forEach((ins, i) => encodeInstruction(ins, words, i));
  return words;
}

/** Decodes one instruction; unknown opcodes, bad stages and stray bits are illegal. */
export function decodeInstruction(words: Uint32Array, at: number): Instruction {
  const base = at * INSTRUCTION_WORDS;
  const opcode = getBits(words, base, 0, OPCODE_BITS);
  const op = OP_BY_CODE[opcode];
  if (!op) fail(DIAG.unknownOpcode, undefined, at, opcode);
  const stage = getBits(words, base, OPCODE_BITS, STAGE_BITS);
  if (stage >= STAGE_NAMES.length) fail(DIAG.badStageTag, undefined, at, stage);
  const args = op.layout.map((fd) => {
    const bits = getBits(words, base, fd.offset, fd.bits);
    return fd.kind === 'f32' ? bitsToF32(bits) : bits;
  });
  const end = op.layout.length ? op.layout[op.layout.length - 1].offset + op.layout[op.layout.length - 1].bits : OPCODE_BITS + STAGE_BITS;
  for (let pos = end; pos < INSTRUCTION_WORDS * 32; ) {
    const take = Math.min(32 - (pos & 31), INSTRUCTION_WORDS * 32 - pos);
    if (getBits(words, base, pos, take) !== 0) fail(DIAG.reservedBitsSet, undefined, at, op.mnemonic);
    pos += take;
  }
  return { op: opcode, stage, args };
}

export function decodeProgram(words: Uint32Array): Instruction[] {
  if (words.length % INSTRUCTION_WORDS !== 0) fail(DIAG.binaryCodeLength, undefined, words.length, INSTRUCTION_WORDS);
  const out: Instruction[] = [];
  for (let i = 0; i < words.length / INSTRUCTION_WORDS; i++) out.push(decodeInstruction(words, i));
  return out;
}

/** Flat decoded form for the simulator: DECODED_STRIDE slots per instruction (opcode, stage, raw field bits). */
export function flattenProgram(program: readonly Instruction[]): Uint32Array {
  const table = new Uint32Array(program.length * DECODED_STRIDE);
  program.forEach((ins, pc) => {
    const op = OP_BY_CODE[ins.op]!;
    const at = pc * DECODED_STRIDE;
    table[at + OPCODE_SLOT] = ins.op;
    table[at + STAGE_SLOT] = ins.stage;
    op.layout.forEach((fd, i) => {
      table[at + FIRST_OPERAND_SLOT + i] = fd.kind === 'f32' ? f32ToBits(ins.args[i]) : ins.args[i];
    });
  });
  return table;
}
