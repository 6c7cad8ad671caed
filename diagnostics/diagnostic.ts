// A reported problem with its position, how it prints, and the error type that carries a batch of them.

import type { SourceLoc } from './source-loc.ts';
import { DIAG, type DiagEntry } from './catalog.ts';

/** An error stops the command (exit 1 or 2); a warning is printed and the command goes on. */
export type Severity = 'error' | 'warning';

export interface Diagnostic {
  code: string;
  severity: Severity;
  message: string;
  /** Missing when the problem has no position (e.g. a whole-file problem); then `file` may still be set. */
  loc?: SourceLoc;
  file?: string;
  /** A usage error (the command line is wrong, exit 2), not bad input (exit 1). */
  usage?: boolean;
  /** A note that explains the others (e.g. where reading stopped): kept whatever the per-file cap. */
  summary?: boolean;
}

export function diag<E extends DiagEntry>(
  entry: E,
  where: SourceLoc | string | undefined,
  ...args: Parameters<E['message']>
): Diagnostic {
  const message = (entry.message as (...a: unknown[]) => string)(...args);
  const d: Diagnostic = { code: entry.code, severity: entry.severity, message };
  if (typeof where === 'string') d.file = where;
  else if (where) d.loc = where;
  if (entry.kind === 'usage') d.usage = true;
  return d;
}

/** `file:line:col: error: message [CODE]`, or `file: error: ...` / `error: ...` where no position exists. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.loc ? `${d.loc.file}:${d.loc.line}:${d.loc.col}: ` : d.file ? `${d.file}: ` : '';
  return `${where}${d.severity}: ${d.message} [${d.code}]`;
}

/** Diagnostics printed per file; past it one "N more errors" line stands for the rest (floods help nobody). */
export const MAX_DIAGNOSTICS_PER_FILE = 20;

/**
 * The diagnostics to print: per file, the first `max` in order, then one line counting the ones left out,
 * then the file's summary notes. Files keep the order in which they first appear.
 */
export function limitPerFile(ds: readonly Diagnostic[], max = MAX_DIAGNOSTICS_PER_FILE): Diagnostic[] {
  const byFile = new Map<string, { shown: Diagnostic[]; hidden: number; notes: Diagnostic[] }>();
  for (const d of ds) {
    const file = d.loc?.file ?? d.file ?? '';
    let group = byFile.get(file);
    if (!group) byFile.set(file, (group = { shown: [], hidden: 0, notes: [] }));
    if (d.summary) group.notes.push(d);
    else if (group.shown.length < max) group.shown.push(d);
    else group.hidden++;
  }
  const out: Diagnostic[] = [];
  for (const [file, g] of byFile) {
    out.push(...g.shown);
    if (g.hidden > 0) out.push(diag(DIAG.moreErrors, file || undefined, g.hidden));
    out.push(...g.notes);
  }
  return out;
}

export function hasErrors(ds: readonly Diagnostic[]): boolean {
  return ds.some((d) => d.severity === 'error');
}

/** Thrown by library code for bad user input; the CLI prints its diagnostics and exits non-zero, never a stack. */
export class AxcError extends Error {
  readonly diagnostics: Diagnostic[];
  constructor(diagnostics: Diagnostic | Diagnostic[]) {
    const list = Array.isArray(diagnostics) ? diagnostics : [diagnostics];
    super(list.map(formatDiagnostic).join('\n'));
    this.name = 'AxcError';
    this.diagnostics = list;
  }
}

/** `entry` reported about text typed on the command line: a usage error (exit 2) whatever its usual kind. */
export function fromCommandLine<E extends DiagEntry>(entry: E): E {
  return { ...entry, kind: 'usage' };
}

export function fail<E extends DiagEntry>(entry: E, where: SourceLoc | string | undefined, ...args: Parameters<E['message']>): never {
  throw new AxcError(diag(entry, where, ...args));
}

/** 1-based line and column of a character offset in a text (for JSON and other offset-based parsers). */
export function locAt(file: string, text: string, offset: number): SourceLoc {
  return lineIndex(file, text)(offset);
}

/** Offset -> 1-based line:col in O(log lines), by binary search over line starts (for files with many positions). */
export function lineIndex(file: string, text: string): (offset: number) => SourceLoc {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { file, line: lo + 1, col: offset - starts[lo] + 1 };
  };
}

const FS_ERRORS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a directory',
  ENOTDIR: 'a parent is not a directory',
  ENOSPC: 'no space left on the device',
  EROFS: 'read-only file system',
};

/** A short human reason for a failed file operation (no errno jargon, no stack). */
export function describeFsError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code && FS_ERRORS[code]) return FS_ERRORS[code];
  return e instanceof Error ? e.message : String(e);
}
