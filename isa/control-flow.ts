// The program's control-flow graph, read from each op's declared flow, and the proof that no path runs
// off the end: every path from instruction 0 must end in `halt` or keep looping (back to `recv`, which
// ends the program when the input is exhausted). A program that runs off the end has no next instruction.

import { DIAG } from '../diagnostics/catalog.ts';
import { diag, type Diagnostic } from '../diagnostics/diagnostic.ts';
import type { SourceLoc } from '../ir/model.ts';
import type { Instruction } from './encoding.ts';
import { OP_BY_CODE } from './table.ts';

/** Where control can go after the instruction at `pc` (targets may lie outside the program; the verifier reports those). */
export function successors(ins: Instruction, pc: number): number[] {
  const op = OP_BY_CODE[ins.op]!;
  const target = () => ins.args[op.layout.findIndex((fd) => fd.kind === 'label')];
  switch (op.flow ?? 'next') {
    case 'halt':
      return [];
    case 'jump':
      return [target()];
    case 'branch':
      return [pc + 1, target()];
    case 'next':
      return [pc + 1];
  }
}

/** One diagnostic per reachable instruction whose fall-through leaves the program (there is at most one: the last). */
export function checkControlFlow(program: readonly Instruction[], locOf: (pc: number) => SourceLoc | string | undefined): Diagnostic[] {
  const n = program.length;
  if (n === 0) return [];
  const seen = new Uint8Array(n);
  const work = [0];
  seen[0] = 1;
  const diags: Diagnostic[] = [];
  while (work.length) {
    const pc = work.pop()!;
    for (const next of successors(program[pc], pc)) {
      if (next === n && next === pc + 1) diags.push(diag(DIAG.fallsOffEnd, locOf(pc), pc, OP_BY_CODE[program[pc].op]!.mnemonic));
      else if (next < n && !seen[next]) {
        seen[next] = 1;
        work.push(next);
      }
    }
  }
  return diags;
}
