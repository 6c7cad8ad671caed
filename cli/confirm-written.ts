// Every command that writes a file says so on stderr, one line, unless -q asks for silence.

import { Option } from 'commander';

export function quietOption(): Option {
  return new Option('-q, --quiet', 'do not confirm the files written');
}

/** `axc: wrote WHAT` on stderr unless quiet. */
export function confirmWritten(opts: { quiet?: boolean }, what: string): void {
  if (!opts.quiet) process.stderr.write(`axc: wrote ${what}\n`);
}
