// `axc disasm`: prog.bin -> readable assembly that `axc asm` accepts back.

import { Command } from 'commander';
import { disassemble } from '../../isa/disassemble.ts';
import { readBinaryFile } from '../load-binary.ts';
import { confirmWritten, quietOption } from '../confirm-written.ts';
import { refuseOverwrite } from '../refuse-overwrite.ts';
import { writeFileAtomic } from '../write-atomic.ts';

export function disasmCommand(): Command {
  return new Command('disasm')
    .description('disassemble an NPU binary')
    .argument('<prog.bin>', 'the binary')
    .option('-o, --output <file.s>', "write to a file instead of stdout ('-': stdout)")
    .option('--data', 'include the DRAM weight image as .data directives, so the text assembles back to the whole binary')
    .option('--no-source', 'omit the source-line comments')
    .addOption(quietOption())
    .action((binPath: string, opts: { output?: string; data?: boolean; source: boolean; quiet?: boolean }) => {
      refuseOverwrite([{ role: 'the binary', path: binPath }], [{ role: '-o', path: opts.output }]);
      const text = disassemble(readBinaryFile(binPath), { data: opts.data, sourceLines: opts.source });
      if (opts.output && opts.output !== '-') {
        writeFileAtomic(opts.output, text);
        confirmWritten(opts, opts.output);
      } else process.stdout.write(text);
    });
}
