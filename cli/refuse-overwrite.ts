// Refuses, before anything is read or written, an output that is the same file as an input or as
// another output. "The same file" is decided by device and inode, so ./ prefixes, symlinks and hard
// links are all seen through; an output that does not exist yet is compared by its resolved path.

import { realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { DIAG } from '../diagnostics/catalog.ts';
import { fail } from '../diagnostics/diagnostic.ts';

/** A file a command reads or writes, with the name the user knows it by (`--input 'x.csv'`). */
export interface NamedFile {
  role: string;
  path: string | undefined;
}

/** `-` (stdin/stdout) and absent options name no file. */
const namesAFile = (f: NamedFile): f is NamedFile & { path: string } => f.path !== undefined && f.path !== '-';

/** Device and inode of an existing file, or null when it does not exist (a missing input is the reader's to report). */
function existingIdentity(path: string): string | null {
  try {
    const s = statSync(path);
    return `${s.dev}:${s.ino}`;
  } catch {
    return null;
  }
}

/** An output's identity: its device and inode if it exists, else its absolute path with symlinked parents resolved. */
function outputIdentity(path: string): string {
  const existing = existingIdentity(path);
  if (existing) return existing;
  try {
    return `path:${join(realpathSync(dirname(resolve(path))), basename(path))}`;
  } catch {
    return `path:${resolve(path)}`;
  }
}

const describe = (f: NamedFile & { path: string }) => `${f.role} '${f.path}'`;

/** Throws a usage error (exit 2) when an output would overwrite an input or another output. */
export function refuseOverwrite(inputs: readonly NamedFile[], outputs: readonly NamedFile[]): void {
  const ins = inputs.filter(namesAFile).map((f) => ({ f, id: existingIdentity(f.path) }));
  const seen: { f: NamedFile & { path: string }; id: string }[] = [];
  for (const out of outputs.filter(namesAFile)) {
    const id = outputIdentity(out.path);
    const input = ins.find((i) => i.id !== null && i.id === id);
    if (input) fail(DIAG.outputIsInput, undefined, describe(out), describe(input.f));
    const other = seen.find((o) => o.id === id);
    if (other) fail(DIAG.outputsCollide, undefined, describe(other.f), describe(out));
    seen.push({ f: out, id });
  }
}
