// What an interrupt (Ctrl-C, SIGTERM) or a fatal stdout error must undo before axc exits: temporary
// files, a hidden cursor, readers blocked on a FIFO. One registry; one line says what was not written.

import { closeSync, constants, openSync, readSync, statSync, writeSync } from 'node:fs';

export interface PendingWork {
  /** The output this work would have produced, named in the interrupt message; absent for helpers (a progress bar). */
  readonly output?: string;
  /** Puts things back; must be synchronous and must not throw. */
  undo(): void;
}

const pending = new Set<PendingWork>();
const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/** 128 + SIGINT: what a shell reports for a job stopped by Ctrl-C. */
export const INTERRUPTED_EXIT = 130;

function onSignal(): void {
  exitAfterUndo(INTERRUPTED_EXIT, (notWritten) => `axc: interrupted; ${notWritten.length ? `not written: ${notWritten.join(', ')}` : 'no output was written'}`);
}

/**
 * Registers work to undo if the process is interrupted; returns the function that unregisters it.
 * The signal handlers are installed only while something is registered: until then the default action
 * ends the process at once, which is right when nothing needs undoing, and it works even while the main
 * thread is blocked in a synchronous read (a JavaScript handler would never run there).
 */
export function undoOnInterrupt(work: PendingWork): () => void {
  if (pending.size === 0) for (const s of SIGNALS) process.on(s, onSignal);
  pending.add(work);
  return () => {
    if (!pending.delete(work)) return;
    if (pending.size === 0) for (const s of SIGNALS) process.off(s, onSignal);
  };
}

/** Undoes everything registered, prints one line (given the outputs not written; none if empty) and exits with `code`. */
export function exitAfterUndo(code: number, message: (notWritten: string[]) => string): never {
  const notWritten = [...pending].flatMap((w) => (w.output ? [w.output] : []));
  for (const w of [...pending].reverse()) {
    try {
      w.undo();
    } catch {
      // Undoing is best effort: one failure must not stop the rest.
    }
  }
  pending.clear();
  const line = message(notWritten);
  if (line) process.stderr.write(`${line}\n`);
  process.exit(code);
}

/**
 * Reading or writing a FIFO blocks a libuv worker thread (in open until the other end appears, then in
 * read or write until data or room does), and Node cannot exit while such a thread is blocked. On
 * interrupt, act as the other end for a moment so the blocked call returns: for a FIFO we read, open it
 * for writing and put in one newline; for one we write, open it for reading and drain what is buffered.
 */
export function releaseFifoOnInterrupt(path: string, weRead: boolean): () => void {
  return undoOnInterrupt({
    undo() {
      let fd: number;
      try {
        fd = openSync(path, (weRead ? constants.O_WRONLY : constants.O_RDONLY) | constants.O_NONBLOCK);
      } catch {
        return; // ENXIO: no reader is waiting on our write end; nothing to release
      }
      try {
        if (weRead) writeSync(fd, '\n');
        else for (let i = 0; i < 1024 && readSync(fd, DRAIN) > 0; i++);
      } catch {
        // EAGAIN: the pipe is full or empty, so nothing of ours is blocked on it
      } finally {
        closeSync(fd);
      }
    },
  });
}

const DRAIN = Buffer.alloc(65536);

/** True when `path` names a FIFO (a named pipe, or the /dev/fd pipes of process substitution). */
export function isFifo(path: string): boolean {
  if (path === '-') return false;
  try {
    return statSync(path).isFIFO();
  } catch {
    return false;
  }
}

/** For an input about to be read asynchronously: if it is a FIFO, release its open on interrupt. */
export function releaseInputOnInterrupt(path: string): () => void {
  return isFifo(path) ? releaseFifoOnInterrupt(path, true) : () => {};
}
