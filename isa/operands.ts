// How each operand kind is written in assembly: the one place both the assembler and disassembler read.

import { ACTIVATIONS } from '../ir/model.ts';
import { SKIP_CONDITIONS, type OperandKind } from './table.ts';
import { float32Text } from '../ir/float-text.ts';

const PREFIX: Partial<Record<OperandKind, string>> = { tile: 't', pe: 'p', buf: '@', ocm: 'm', dram: 'd', slot: 's', layer: 'q' };
/** Operands written as a name: the value is the name's index. */
const NAMES: Partial<Record<OperandKind, readonly string[]>> = { act: ACTIVATIONS, when: SKIP_CONDITIONS };

/** A label name: how `name:` defines one and a branch operand refers to one. */
export const LABEL_NAME = /[A-Za-z_.][\w.]*/;
export const LABEL_SYNTAX = new RegExp(`^${LABEL_NAME.source}$`);


export function formatOperand(kind: OperandKind, value: number, labelOf: (pc: number) => string): string {
  switch (kind) {
    case 'act':
    case 'when':
      return NAMES[kind]![value] ?? String(value);
    case 'f32':
      return float32Text(value);
    case 'label':
      return labelOf(value);
    case 'uint':
      return String(value);
    default:
      return PREFIX[kind]! + value;
  }
}

/** Parses one operand; returns a number, a label name to resolve later, or what the operand should have been. */
export function parseOperand(kind: OperandKind, text: string): { value: number } | { label: string } | { expected: string } {
  const prefix = PREFIX[kind];
  if (prefix) {
    if (!text.startsWith(prefix) || !/^\d+$/.test(text.slice(prefix.length))) return { expected: `${describeKind(kind)} like '${prefix}0'` };
    return { value: Number(text.slice(prefix.length)) };
  }
  switch (kind) {
    case 'uint':
      return /^(\d+|0x[0-9a-fA-F]+)$/.test(text) ? { value: Number(text) } : { expected: 'an unsigned integer' };
    case 'act':
    case 'when': {
      const names = NAMES[kind]!;
      const i = names.indexOf(text);
      return i >= 0 ? { value: i } : { expected: `${kind === 'act' ? 'an activation' : 'a skip condition'} (${names.join(', ')})` };
    }
    case 'f32': {
      const v = Number(text);
      if (text.trim() === '' || Number.isNaN(v) || !Number.isFinite(Math.fround(v))) return { expected: 'a finite float32 number' };
      return { value: Math.fround(v) };
    }
    case 'label':
      if (/^\d+$/.test(text)) return { value: Number(text) };
      return LABEL_SYNTAX.test(text) ? { label: text } : { expected: 'a label or instruction index' };
    default:
      // Every kind is handled above (by prefix or by case): reaching this is a bug in axc, not bad input.
      throw new Error(`unknown operand kind ${kind}`);
  }
}

export function describeKind(kind: OperandKind): string {
  return { tile: 'a tile', pe: 'a PE', buf: 'a buffer address', ocm: 'an on-chip memory address', dram: 'a DRAM address', slot: 'a sample slot', layer: 'a numerics layer' }[kind as 'tile'] ?? kind;
}
