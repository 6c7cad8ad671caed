// An output directory (`axc export -o DIR`, `axc data -o DIR`): created if missing, refused if it is a file.

import { mkdirSync, statSync, type Stats } from 'node:fs';
import { DIAG } from '../diagnostics/catalog.ts';
import { describeFsError, fail } from '../diagnostics/diagnostic.ts';

/** Makes sure `dir` is a directory, creating it (and its parents) if needed. */
export function ensureOutputDirectory(dir: string): void {
  let existing: Stats | undefined;
  try {
    existing = statSync(dir, { throwIfNoEntry: false });
  } catch (e) {
    fail(DIAG.fileUnwritable, undefined, dir, describeFsError(e));
  }
  if (existing?.isDirectory()) return;
  if (existing) fail(DIAG.outputDirectoryIsFile, undefined, dir);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    fail(DIAG.fileUnwritable, undefined, dir, describeFsError(e));
  }
}
