// Output files are written whole or not at all: write a temporary file beside the target, then rename.
// A target that exists and is not a regular file (a device such as /dev/null, a FIFO) is written directly,
// since renaming over it would replace the device with a plain file.

import { createWriteStream, openSync, renameSync, rmSync, statSync, writeFileSync, type WriteStream } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { DIAG } from '../diagnostics/catalog.ts';
import { describeFsError, fail } from '../diagnostics/diagnostic.ts';
import { releaseFifoOnInterrupt, undoOnInterrupt } from './interrupt.ts';

let written = 0;

/** A temporary name beside the target, unique within this process even for the same target. */
function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${written++}.tmp`);
}

/** What kind of thing the target is now: absent or a regular file (write beside it and rename), or a special file. */
function targetKind(path: string): 'file' | 'fifo' | 'special' {
  try {
    const s = statSync(path);
    if (s.isFIFO()) return 'fifo';
    if (s.isCharacterDevice() || s.isBlockDevice() || s.isSocket()) return 'special';
  } catch {
    // absent: created by the rename
  }
  return 'file';
}

export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  if (targetKind(path) !== 'file') {
    try {
      writeFileSync(path, data);
    } catch (e) {
      fail(DIAG.fileUnwritable, undefined, path, describeFsError(e));
    }
    return;
  }
  const tmp = tempPathFor(path);
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    fail(DIAG.fileUnwritable, undefined, path, describeFsError(e));
  }
}

/** Writes to stdout, waiting when a slow reader has let its buffer fill, so memory stays flat. */
export function writeStdout(text: string): Promise<void> | void {
  if (!process.stdout.write(text)) return drainOrError(process.stdout);
}

/** Resolves when a stream's buffer has drained, or when it failed (so a write error never hangs the writer). */
export function drainOrError(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('error', done);
      resolve();
    };
    stream.once('drain', done);
    stream.once('error', done);
  });
}

/** How much a writer buffers before write() waits for the disk: enough that batched CSV chunks (64 KiB,
 *  simulator/csv-sink.ts) go on being produced while earlier ones are written, and still a bounded amount. */
const WRITE_BUFFER = 1 << 20;

/** A streamed output that only appears at `path` once `commit` succeeds; `abort` (or an interrupt) leaves nothing behind. */
export class AtomicWriter {
  /** The temporary file, or null when writing straight to a device or FIFO. */
  private readonly tmp: string | null;
  private readonly stream: WriteStream;
  private error: Error | null = null;
  private readonly unregister: () => void;

  constructor(readonly path: string) {
    const kind = targetKind(path);
    if (kind === 'file') {
      const tmp = tempPathFor(path);
      this.tmp = tmp;
      // The undo is in place before the file exists: with no SIGINT listener yet, Ctrl-C's default action
      // would end the process at once, even in the middle of this constructor, and leave the file behind.
      this.unregister = undoOnInterrupt({ output: path, undo: () => rmSync(tmp, { force: true }) });
      // Created synchronously: an unwritable destination fails here, before any work, and abort() can
      // always remove the file (an asynchronously opened stream could create it after the removal).
      let fd: number;
      try {
        fd = openSync(tmp, 'w');
      } catch (e) {
        this.unregister();
        fail(DIAG.fileUnwritable, undefined, path, describeFsError(e));
      }
      this.stream = createWriteStream('', { fd, highWaterMark: WRITE_BUFFER });
    } else {
      this.tmp = null;
      // Opened asynchronously: a FIFO's open waits for a reader, and that must not block Ctrl-C.
      this.stream = createWriteStream(path, { flags: 'w', highWaterMark: WRITE_BUFFER });
      this.unregister = kind === 'fifo' ? releaseFifoOnInterrupt(path, false) : () => {};
    }
    this.stream.on('error', (e) => (this.error = e));
  }

  /** Writes a chunk, waiting for the stream to drain when its buffer is full. */
  async write(chunk: string | Uint8Array): Promise<void> {
    if (this.error) this.fail();
    if (!this.stream.write(chunk)) await drainOrError(this.stream);
    if (this.error) this.fail();
  }

  async commit(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.stream.once('error', () => resolve());
      this.stream.end(resolve);
    });
    if (this.error) this.fail();
    if (this.tmp) {
      try {
        renameSync(this.tmp, this.path);
      } catch (e) {
        this.error = e as Error;
        this.fail();
      }
    }
    this.unregister();
  }

  abort(): void {
    this.stream.destroy();
    if (this.tmp) rmSync(this.tmp, { force: true });
    this.unregister();
  }

  private fail(): never {
    this.abort();
    fail(DIAG.fileUnwritable, undefined, this.path, describeFsError(this.error));
  }
}
