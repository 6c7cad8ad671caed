// Static check of a program against the hardware it runs on. Every operand is an immediate, so
// every buffer, memory and branch access is proven in range once, before the first sample, and
// control is proven never to run off the end of the program (isa/control-flow.ts).

import { DIAG } from '../diagnostics/catalog.ts';
import { AxcError, diag, type Diagnostic } from '../diagnostics/diagnostic.ts';
import type { Hardware } from '../hardware/description.ts';
import type { SourceLoc } from '../ir/model.ts';
import { operandsOf, type Instruction } from './encoding.ts';
import { checkControlFlow } from './control-flow.ts';
import { MAX_PROGRAM_LENGTH } from '../arch/limits.ts';
import { OP_BY_CODE, type Mnemonic, type OperandCheck } from './table.ts';

/** A binary built for other hardware can fault on every instruction; a few lines say it as well as all. */
const MAX_REPORTED = 5;

export function verifyProgram(
  program: readonly Instruction[],
  hw: Hardware,
  dramWords: number,
  locOf: (pc: number) => SourceLoc | string | undefined = () => undefined,
): { inputWidth: number; outputWidth: number } {
  const diags: Diagnostic[] = [];
  let inputWidth = -1;
  let outputWidth = -1;
  if (program.length > MAX_PROGRAM_LENGTH) diags.push(diag(DIAG.illegalInstruction, undefined, MAX_PROGRAM_LENGTH, `program has ${program.length} instructions; at most ${MAX_PROGRAM_LENGTH} fit the branch target field`));
  let bad: (why: string) => void = () => {};
  const v: OperandCheck = {
    hw,
    dramWords,
    bad: (why) => bad(why),
    within(what, start, n, size, unit) {
      if (start + n > size) bad(`${what} [${start}, ${start + n}) exceeds the ${size}-word ${unit}`);
    },
    sampleWidth(side, words) {
      if (side === 'input') {
        if (inputWidth >= 0 && words !== inputWidth) bad(`receives ${words} words but an earlier recv takes ${inputWidth}`);
        inputWidth = words;
      } else {
        if (outputWidth >= 0 && words !== outputWidth) bad(`sends ${words} words but an earlier send gives ${outputWidth}`);
        outputWidth = words;
      }
    },
  };
  program.forEach((ins, pc) => {
    const op = OP_BY_CODE[ins.op]!;
    const a = operandsOf(ins, op.mnemonic as Mnemonic);
    bad = (why: string) => diags.push(diag(DIAG.illegalInstruction, locOf(pc), pc, `${op.mnemonic}: ${why}`));
    // What follows from a field's kind alone is checked here, for every op alike; the rest is the op's own check.
    op.layout.forEach((fd, i) => {
      if (fd.kind === 'tile' && ins.args[i] >= hw.tiles) bad(`tile ${ins.args[i]} does not exist (the NPU has ${hw.tiles})`);
    });
    op.check?.(a, v);
    op.layout.forEach((fd, i) => {
      if (fd.kind === 'label' && ins.args[i] >= program.length) bad(`branch target ${ins.args[i]} is past the end of the program (${program.length} instructions)`);
    });
  });
  diags.push(...checkControlFlow(program, locOf));
  if (inputWidth < 0) diags.push(diag(DIAG.illegalInstruction, undefined, 0, 'program has no recv, so it never takes a sample'));
  if (diags.length > MAX_REPORTED) throw new AxcError([...diags.slice(0, MAX_REPORTED), diag(DIAG.moreErrors, undefined, diags.length - MAX_REPORTED)]);
  if (diags.length) throw new AxcError(diags);
  return { inputWidth, outputWidth: Math.max(outputWidth, 0) };
}
