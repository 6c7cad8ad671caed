// How the CLI says a warning from the catalog: one stderr line, `axc: warning: message [CODE]`, and the command goes on.

import type { DiagEntry } from '../diagnostics/catalog.ts';
import { diag, formatDiagnostic } from '../diagnostics/diagnostic.ts';

export function warn<E extends DiagEntry>(entry: E, ...args: Parameters<E['message']>): void {
  process.stderr.write(`axc: ${formatDiagnostic(diag(entry, undefined, ...args))}\n`);
}
