// Static check of a program against the hardware it runs on. Every operand is an immediate, so
// every buffer, memory and branch access is proven in range once, before the first sample, and
// control is proven never to run off the end of the program (isa/control-flow.ts).

import { DIAG, type DiagEntry } from '../diagnostics/catalog.ts';
import { AxcError, diag, type Diagnostic } from '../diagnostics/diagnostic.ts';
import type { Hardware } from '../hardware/description.ts';
import type { SourceLoc } from '../ir/model.ts';
import { isUsableThreshold } from '../ir/numerics.ts';
import type { Instruction } from './encoding.ts';
import { checkControlFlow } from './control-flow.ts';
import { MAX_PROGRAM_LENGTH } from '../arch/limits.ts';
import { OP_BY_CODE } from './table.ts';

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
  if (program.length > MAX_PROGRAM_LENGTH) diags.push(diag(DIAG.programTooLong, undefined, program.length, MAX_PROGRAM_LENGTH));
  program.forEach((ins, pc) => {
    const op = OP_BY_CODE[ins.op]!;
    const a: Record<string, number> = {};
    op.layout.forEach((fd, i) => (a[fd.name] = ins.args[i]));
    const bad = <E extends DiagEntry>(entry: E, ...args: Parameters<E['message']>) => diags.push(diag(entry, locOf(pc), ...args));
    const within = (what: string, start: number, n: number, size: number, unit: string) => {
      if (start + n > size) bad(DIAG.rangeExceeds, pc, op.mnemonic, what, start, n, size, unit);
    };
    if ('tile' in a && a.tile >= hw.tiles) bad(DIAG.noSuchTile, pc, op.mnemonic, a.tile, hw.tiles);
    switch (op.mnemonic) {
      case 'recv':
      case 'send': {
        within('on-chip memory range', a.ocm, a.len, hw.onChipMemoryWords, 'on-chip memory');
        if (op.mnemonic === 'recv') {
          // A sample file cannot hold an empty sample (blank lines are skipped), so such a program could never run one.
          if (a.len === 0) bad(DIAG.recvNothing, pc, op.mnemonic);
          if (inputWidth >= 0 && a.len !== inputWidth) bad(DIAG.recvWidthChanges, pc, op.mnemonic, a.len, inputWidth);
          inputWidth = a.len;
        } else {
          if (outputWidth >= 0 && a.len !== outputWidth) bad(DIAG.sendWidthChanges, pc, op.mnemonic, a.len, outputWidth);
          outputWidth = a.len;
        }
        break;
      }
      case 'ldw':
        if (a.pe + a.count > hw.pesPerTile) bad(DIAG.pesExceedTile, pc, op.mnemonic, a.pe, a.count, hw.pesPerTile);
        within('weight-buffer range', a.wbuf, a.row, hw.weightBufferWords, 'weight buffer');
        within('DRAM range', a.dram, a.count * a.row, dramWords, 'DRAM image');
        break;
      case 'ldi':
        within('input-buffer range', a.ibuf, a.len, hw.inputBufferWords, 'input buffer');
        within('on-chip memory range', a.ocm, a.len, hw.onChipMemoryWords, 'on-chip memory');
        break;
      case 'neu':
        if (a.pe + a.count > hw.pesPerTile) bad(DIAG.pesExceedTile, pc, op.mnemonic, a.pe, a.count, hw.pesPerTile);
        within('input-buffer range', a.ibuf, a.len, hw.inputBufferWords, 'input buffer');
        within('weight-buffer range', a.wbuf, a.len + 1, hw.weightBufferWords, 'weight buffer');
        if (a.ctl) within('control slice', a.cbuf, a.count, hw.inputBufferWords, 'input buffer');
        within('output-buffer range', a.obuf, a.count, hw.outputBufferWords, 'output buffer');
        break;
      case 'sto':
        within('output-buffer range', a.obuf, a.len, hw.outputBufferWords, 'output buffer');
        within('on-chip memory range', a.ocm, a.len, hw.onChipMemoryWords, 'on-chip memory');
        break;
      case 'decs':
      case 'decm':
        if (op.mnemonic === 'decs') within('P(x) address', a.ocm, 1, hw.onChipMemoryWords, 'on-chip memory');
        else within('logit pair', a.ocm, 2, hw.onChipMemoryWords, 'on-chip memory');
        // Outside (0, 1) a decision is constant (or, for softmax, its cut is not even a number): refused as the frontends refuse it.
        if (!isUsableThreshold(a.threshold)) bad(DIAG.unusableThreshold, pc, op.mnemonic, a.threshold);
        break;
    }
    if ('target' in a && a.target >= program.length) bad(DIAG.targetPastEnd, pc, op.mnemonic, a.target, program.length);
  });
  diags.push(...checkControlFlow(program, locOf));
  if (inputWidth < 0) diags.push(diag(DIAG.programNoRecv, undefined));
  if (diags.length > MAX_REPORTED) throw new AxcError([...diags.slice(0, MAX_REPORTED), diag(DIAG.moreErrors, undefined, diags.length - MAX_REPORTED)]);
  if (diags.length) throw new AxcError(diags);
  return { inputWidth, outputWidth: Math.max(outputWidth, 0) };
}
