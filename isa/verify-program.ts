// Static check of a program against the hardware it runs on. Every operand is an immediate, so
// every buffer, memory and branch access is proven in range once, before the first sample, and
// control is proven never to run off the end of the program (isa/control-flow.ts).

import { DIAG, type DiagEntry } from '../diagnostics/catalog.ts';
import { AxcError, diag, type Diagnostic } from '../diagnostics/diagnostic.ts';
import type { Hardware } from '../hardware/description.ts';
import type { SourceLoc } from '../ir/model.ts';
import { operandsOf, type Instruction } from './encoding.ts';
import { checkControlFlow } from './control-flow.ts';
import { MAX_PROGRAM_LENGTH } from '../arch/limits.ts';
import { OP_BY_CODE, type InstructionDiagnostic, type Mnemonic, type OperandCheck } from './table.ts';

/** A binary built for other hardware can fault on every instruction; a few lines say it as well as all. */
const MAX_REPORTED = 5;

export function verifyProgram(
  program: readonly Instruction[],
  hw: Hardware,
  dramWords: number,
  locOf: (pc: number) => SourceLoc | string | undefined = () => undefined,
  /** Layers the binary's numerics plan describes, for the `q` operands; 0 for fp32. */
  layers = 0,
): { inputWidth: number; outputWidth: number; batch: number } {
  const diags: Diagnostic[] = [];
  let inputWidth = -1;
  let outputWidth = -1;
  // Slots the recvs fill, and the slots other ops read with where they read them.
  const filled = new Set<number>();
  const reads: { pc: number; mnemonic: string; slot: number }[] = [];
  if (program.length > MAX_PROGRAM_LENGTH) diags.push(diag(DIAG.programTooLong, undefined, program.length, MAX_PROGRAM_LENGTH));
  // The instruction being checked, for the reports of the op's own check.
  let pc = 0;
  let mnemonic = '';
  const v: OperandCheck = {
    hw,
    dramWords,
    layers,
    report<A extends unknown[]>(entry: InstructionDiagnostic<A>, ...args: A) {
      // The entry is one of the catalog's (the interface only narrows its message's first arguments).
      diags.push(diag(entry as DiagEntry, locOf(pc), ...([pc, mnemonic, ...args] as unknown as Parameters<DiagEntry['message']>)));
    },
    within(what, start, n, size, unit) {
      if (start + n > size) v.report(DIAG.rangeExceeds, what, start, n, size, unit);
    },
    sampleWidth(side, words) {
      if (side === 'input') {
        if (inputWidth >= 0 && words !== inputWidth) v.report(DIAG.recvWidthChanges, words, inputWidth);
        inputWidth = words;
      } else {
        if (outputWidth >= 0 && words !== outputWidth) v.report(DIAG.sendWidthChanges, words, outputWidth);
        outputWidth = words;
      }
    },
    sampleSlot(role, slot) {
      if (role === 'fills') filled.add(slot);
      else reads.push({ pc, mnemonic, slot });
    },
  };
  program.forEach((ins, at) => {
    const op = OP_BY_CODE[ins.op]!;
    pc = at;
    mnemonic = op.mnemonic;
    // What follows from a field's kind alone is checked here, for every op alike; the rest is the op's own check.
    op.layout.forEach((fd, i) => {
      if (fd.kind === 'tile' && ins.args[i] >= hw.tiles) v.report(DIAG.noSuchTile, ins.args[i], hw.tiles);
    });
    op.check?.(operandsOf(ins, op.mnemonic as Mnemonic), v);
    op.layout.forEach((fd, i) => {
      if (fd.kind === 'label' && ins.args[i] >= program.length) v.report(DIAG.targetPastEnd, ins.args[i], program.length);
    });
  });
  diags.push(...checkControlFlow(program, locOf));
  if (inputWidth < 0) diags.push(diag(DIAG.programNoRecv, undefined));
  // The batch is slots 0 .. n-1, each filled by some recv: a gap would leave a slot no sample ever enters.
  const batch = filled.size;
  for (let s = 0; s < batch; s++) if (!filled.has(s)) diags.push(diag(DIAG.batchSlotsGap, undefined, Math.max(...filled), s));
  for (const r of reads) {
    if (r.slot >= Math.max(batch, 1)) diags.push(diag(DIAG.slotNeverFilled, locOf(r.pc), r.pc, r.mnemonic, r.slot, batch));
  }
  if (diags.length > MAX_REPORTED) throw new AxcError([...diags.slice(0, MAX_REPORTED), diag(DIAG.moreErrors, undefined, diags.length - MAX_REPORTED)]);
  if (diags.length) throw new AxcError(diags);
  return { inputWidth, outputWidth: Math.max(outputWidth, 0), batch: Math.max(batch, 1) };
}
