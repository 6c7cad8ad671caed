// `axc asm`: hand-written assembly -> prog.bin.

import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { DIAG } from '../../diagnostics/catalog.ts';
import { fail, describeFsError } from '../../diagnostics/diagnostic.ts';
import { DEFAULT_HARDWARE } from '../../hardware/description.ts';
import { loadHardwareFile } from '../../hardware/load-hardware.ts';
import { assemble } from '../../isa/assemble.ts';
import { packBinary } from '../../isa/container.ts';
import { INSTRUCTION_WORDS } from '../../isa/table.ts';
import { confirmWritten, quietOption } from '../confirm-written.ts';
import { refuseOverwrite } from '../refuse-overwrite.ts';
import { writeFileAtomic } from '../write-atomic.ts';

export function asmCommand(): Command {
  return new Command('asm')
    .description('assemble a hand-written NPU program (syntax: isa/README.md)')
    .argument('<file.s>', 'the assembly source')
    .requiredOption('-o, --output <prog.bin>', 'where to write the binary')
    .option('--npu <hw.json>', 'hardware description the program targets (default: built-in)')
    .addOption(quietOption())
    .action((srcPath: string, opts: { output: string; npu?: string; quiet?: boolean }) => {
      refuseOverwrite([{ role: 'the assembly source', path: srcPath }, { role: '--npu', path: opts.npu }], [{ role: '-o', path: opts.output }]);
      let text: string;
      try {
        text = readFileSync(srcPath, 'utf8');
      } catch (e) {
        fail(DIAG.fileUnreadable, undefined, srcPath, describeFsError(e));
      }
      const bin = assemble(text, srcPath, opts.npu ? loadHardwareFile(opts.npu) : DEFAULT_HARDWARE);
      writeFileAtomic(opts.output, packBinary(bin));
      confirmWritten(opts, `${opts.output}: ${bin.code.length / INSTRUCTION_WORDS} instructions, ${bin.dram.length} weight words`);
    });
}
