// How each operand kind is written in assembly: the one place both the assembler and disassembler read.

import { quote } from '../diagnostics/quote.ts';
import { ACTIVATIONS } from '../ir/model.ts';
import type { OperandKind } from './table.ts';
import { float32Text } from '../ir/float-text.ts';

const PREFIX: Partial<Record<OperandKind, string>> = { tile: 't', pe: 'p', buf: '@', ocm: 'm', dram: 'd' };

/** A label name: how `name:` defines one and a branch operand refers to one. */
export const LABEL_NAME = /[A-Za-z_.][\w.]*/;
export const LABEL_SYNTAX = new RegExp(`^${LABEL_NAME.source}$`);


export function formatOperand(kind: OperandKind, value: number, labelOf: (pc: number) => string): string {
  switch (kind) {
    case 'act':
      return ACTIVATIONS[value] ?? String(value);
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

/** Parses one operand; returns a number, a label name to resolve later, or an error message. */
export function parseOperand(kind: OperandKind, text: string): { value: number } | { label: string } | { error: string } {
  const prefix = PREFIX[kind];
  if (prefix) {
    if (!text.startsWith(prefix) || !/^\d+$/.test(text.slice(prefix.length))) return { error: `expected ${describeKind(kind)} like '${prefix}0', got ${quote(text)}` };
    return { value: Number(text.slice(prefix.length)) };
  }
  switch (kind) {
    case 'uint':
      return /^(\d+|0x[0-9a-fA-F]+)$/.test(text) ? { value: Number(text) } : { error: `expected an unsigned integer, got ${quote(text)}` };
    case 'act': {
      const i = (ACTIVATIONS as readonly string[]).indexOf(text);
      return i >= 0 ? { value: i } : { error: `expected an activation (${ACTIVATIONS.join(', ')}), got ${quote(text)}` };
    }
    case 'f32': {
      const v = Number(text);
      if (text.trim() === '' || Number.isNaN(v) || !Number.isFinite(Math.fround(v))) return { error: `expected a finite float32 number, got ${quote(text)}` };
      return { value: Math.fround(v) };
    }
    case 'label':
      if (/^\d+$/.test(text)) return { value: Number(text) };
      return LABEL_SYNTAX.test(text) ? { label: text } : { error: `expected a label or instruction index, got ${quote(text)}` };
    default:
      return { error: `unknown operand kind ${kind}` };
  }
}

export function describeKind(kind: OperandKind): string {
  return { tile: 'a tile', pe: 'a PE', buf: 'a buffer address', ocm: 'an on-chip memory address', dram: 'a DRAM address' }[kind as 'tile'] ?? kind;
}
