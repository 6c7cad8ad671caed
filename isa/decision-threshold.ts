// The decision instructions of a binary (decs, decm) and their thresholds: listing them, and a copy of the
// binary with every threshold set to T, for `axc sim --threshold` and threshold tuning without recompiling.

import type { DecisionKind } from '../ir/model.ts';
import { isUsableThreshold } from '../ir/numerics.ts';
import type { Binary } from './container.ts';
import { decodeProgram, encodeInstruction } from './encoding.ts';
import { OP_BY_MNEMONIC } from './table.ts';

export interface DecisionInstruction {
  pc: number;
  kind: DecisionKind;
  /** The float32 threshold the instruction holds. */
  threshold: number;
}

/** Decision ops by opcode, with the index of their threshold operand, read from the ISA table. */
const DECISION_OPS: ReadonlyMap<number, { kind: DecisionKind; slot: number }> = new Map(
  ([['decs', 'sigmoid'], ['decm', 'softmax']] as const).map(([mnemonic, kind]) => {
    const op = OP_BY_MNEMONIC.get(mnemonic)!;
    const slot = op.layout.findIndex((f) => f.name === 'threshold');
    if (slot < 0 || op.layout[slot].kind !== 'f32') throw new Error(`ISA table: ${mnemonic} has no f32 threshold field`);
    return [op.opcode, { kind, slot }];
  }),
);

/** Every decs and decm in program order. The code must be loadable (the loader has checked it). */
export function decisionInstructions(bin: Binary): DecisionInstruction[] {
  const out: DecisionInstruction[] = [];
  decodeProgram(bin.code).forEach((ins, pc) => {
    const d = DECISION_OPS.get(ins.op);
    if (d) out.push({ pc, kind: d.kind, threshold: ins.args[d.slot] });
  });
  return out;
}

/**
 * A copy of `bin` whose code differs only in the threshold field of every decs and decm, set to f32(t).
 * Each is decoded and re-encoded through the table's layout, so every other bit stays as it was. The input
 * is not modified; the copy has its own code array and shares the other (read-only) parts with it.
 */
export function withDecisionThreshold(bin: Binary, t: number): Binary {
  if (!isUsableThreshold(t)) throw new RangeError(`decision threshold ${t} is not strictly between 0 and 1 as a float32`);
  const code = bin.code.slice();
  decodeProgram(bin.code).forEach((ins, pc) => {
    const d = DECISION_OPS.get(ins.op);
    if (!d) return;
    const args = ins.args.slice();
    args[d.slot] = Math.fround(t);
    encodeInstruction({ ...ins, args }, code, pc);
  });
  return { ...bin, code };
}
