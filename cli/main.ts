// The `axc` command line: subcommands, and the one place errors become messages and exit codes.

import { readFileSync } from 'node:fs';
import { Command, CommanderError, Help, type Option } from 'commander';
import { DIAG } from '../diagnostics/catalog.ts';
import { AxcError, describeFsError, diag, formatDiagnostic, limitPerFile } from '../diagnostics/diagnostic.ts';
import { exitAfterUndo } from './interrupt.ts';
import { asmCommand } from './commands/asm.ts';
import { compileCommand } from './commands/compile.ts';
import { dataCommand } from './commands/data.ts';
import { exactCommand } from './commands/exact.ts';
import { trainCommand } from './commands/train.ts';
import { disasmCommand } from './commands/disasm.ts';
import { exportCommand } from './commands/export.ts';
import { importCommand } from './commands/import.ts';
import { simCommand } from './commands/sim.ts';
import { tuneCommand } from './commands/tune.ts';
import { sweepCommand } from './commands/sweep.ts';
import { workerCommand } from './commands/worker.ts';

const version = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

function buildProgram(): Command {
  const program = new Command('axc')
    .description('AXNet toolchain: compile approximator/predictor networks to an NPU ISA and simulate them')
    .version(version)
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', '\nQuick start:\n  axc compile examples/sobel.axn -o sobel.bin\n  axc sim sobel.bin --input examples/sobel.x');
  for (const cmd of [compileCommand(), simCommand(), tuneCommand(), disasmCommand(), asmCommand(), exportCommand(), importCommand(), dataCommand(), exactCommand(), trainCommand(), sweepCommand(version), workerCommand()]) program.addCommand(cmd);
  for (const c of [program, ...program.commands]) {
    c.showHelpAfterError('(run with --help for usage)');
    c.exitOverride();
    c.configureHelp({ optionDescription: describeOption });
  }
  return program;
}

/** commander's description, which shows choices and defaults, plus "(required)" for a mandatory option. */
function describeOption(this: Help, option: Option): string {
  const text = Help.prototype.optionDescription.call(this, option);
  return option.mandatory ? `${text} (required)` : text;
}

/**
 * A failed write to stdout: a reader that stops early (`axc disasm p.bin | head`) closes the pipe, which is
 * not an error; anything else (a full disk) is one line and exit 1. Pending temporary files are removed.
 */
export function guardStdout(): void {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') exitAfterUndo(0, () => '');
    exitAfterUndo(1, () => formatDiagnostic(diag(DIAG.stdoutUnwritable, undefined, describeFsError(e))));
  });
}

/** Runs the CLI and returns the exit code: 0 ok, 1 bad input, 2 bad usage, 70 internal error. */
export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (e instanceof AxcError) {
      for (const d of limitPerFile(e.diagnostics)) process.stderr.write(`${formatDiagnostic(d)}\n`);
      return e.diagnostics.every((d) => d.usage) ? 2 : 1;
    }
    const err = e as Error;
    process.stderr.write(`axc: internal error: ${err?.message ?? String(e)}\n`);
    if (process.env.AXC_DEBUG) process.stderr.write(`${err?.stack}\n`);
    else process.stderr.write('axc: this is a bug in axc; rerun with AXC_DEBUG=1 for a stack trace and report it\n');
    return 70;
  }
}
