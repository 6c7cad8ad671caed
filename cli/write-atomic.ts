// Output files are written whole or not at all: write a temporary file beside the target, then rename.

import { createWriteStream, openSync, renameSync, rmSync, writeFileSync, type WriteStream } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { DIAG } from '../diagnostics/catalog.ts';
import { describeFsError, fail } from '../diagnostics/diagnostic.ts';

let written = 0;

/** A temporary name beside the target, unique within this process even for the same target. */
function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${written++}.tmp`);
}

export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const tmp = tempPathFor(path);
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    fail(DIAG.fileUnwritable, undefined, path, describeFsError(e));
  }
}

/** A streamed output that only appears at `path` once `commit` succeeds; `abort` leaves nothing behind. */
export class AtomicWriter {
  private readonly tmp: string;
  private readonly stream: WriteStream;
  private error: Error | null = null;

  constructor(readonly path: string) {
    this.tmp = tempPathFor(path);
    // Created synchronously: an unwritable destination fails here, before any work, and abort() can
    // always remove the file (an asynchronously opened stream could create it after the removal).
    let fd: number;
    try {
      fd = openSync(this.tmp, 'w');
    } catch (e) {
      fail(DIAG.fileUnwritable, undefined, path, describeFsError(e));
    }
    this.stream = createWriteStream('', { fd });
    this.stream.on('error', (e) => (this.error = e));
  }

  /** Writes a chunk, waiting for the stream to drain when its buffer is full. */
  async write(chunk: string): Promise<void> {
    if (this.error) this.fail();
    if (!this.stream.write(chunk)) await new Promise<void>((resolve) => this.stream.once('drain', resolve));
  }

  async commit(): Promise<void> {
    await new Promise<void>((resolve) => this.stream.end(resolve));
    if (this.error) this.fail();
    try {
      renameSync(this.tmp, this.path);
    } catch (e) {
      this.error = e as Error;
      this.fail();
    }
  }

  abort(): void {
    this.stream.destroy();
    rmSync(this.tmp, { force: true });
  }

  private fail(): never {
    this.abort();
    fail(DIAG.fileUnwritable, undefined, this.path, describeFsError(this.error));
  }
}
