// The program's control-flow graph, read from each op's declared flow, and the proof that no path runs
// off the end: every path from instruction 0 must end in `halt` or keep looping (back to `recv`, which
// ends the program when the input is exhausted). A program that runs off the end has no next instruction.

import { DIAG } from '../diagnostics/catalog.ts';
import { diag, type Diagnostic } from '../diagnostics/diagnostic.ts';
import type { SourceLoc } from '../ir/model.ts';
import type { Instruction } from './encoding.ts';
import { OP_BY_CODE } from './table.ts';

/** Where control can go after `ins`: on to the next instruction, and/or to its branch target (which may lie
 *  outside the program; the verifier reports that). */
export function successors(ins: Instruction): { fallsThrough: boolean; target?: number } {
  const op = OP_BY_CODE[ins.op]!;
  const flow = op.flow ?? 'next';
  const target = flow === 'branch' || flow === 'jump' ? ins.args[op.layout.findIndex((fd) => fd.kind === 'label')] : undefined;
  return { fallsThrough: flow === 'next' || flow === 'branch', target };
}

/** The diagnostic for a reachable instruction that falls through past the end (only the last one can). */
export function checkControlFlow(program: readonly Instruction[], locOf: (pc: number) => SourceLoc | string | undefined): Diagnostic[] {
  const n = program.length;
  if (n === 0) return [];
  const seen = new Uint8Array(n);
  const work = [0];
  seen[0] = 1;
  const diags: Diagnostic[] = [];
  const visit = (pc: number) => {
    if (pc < n && !seen[pc]) {
      seen[pc] = 1;
      work.push(pc);
    }
  };
  while (work.length) {
    const pc = work.pop()!;
    const { fallsThrough, target } = successors(program[pc]);
    if (fallsThrough && pc + 1 === n) diags.push(diag(DIAG.fallsOffEnd, locOf(pc), pc, OP_BY_CODE[program[pc].op]!.mnemonic));
    if (fallsThrough) visit(pc + 1);
    if (target !== undefined) visit(target);
  }
  return diags;
}
