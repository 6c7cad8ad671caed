// Batches the simulator's CSV rows into large byte chunks before they reach a file: one write (and one await)
// per ~64 KiB instead of one per row, and runSimulation formats each row's numbers straight into the batch
// (ROW_BYTES) instead of building a string per row. Memory stays bounded by the batch size.

/** A buffer runSimulation writes a row's bytes into, from `pos`, then calls rowDone. */
export interface RowBytes {
  buf: Buffer;
  pos: number;
  /** Makes room after pos for a row of up to n bytes, for every row to come: call once before the rows. */
  fit(n: number): void;
  /** After each row: passes the bytes on when the batch is full (or, for a row-by-row consumer, at once). */
  rowDone(): Promise<void> | void;
}

/** Found on a sink's onRow function (as read-samples.ts's TAKE_BUFFERED is on its generator): its RowBytes. */
export const ROW_BYTES: unique symbol = Symbol('the rows batch, as bytes');

/** runSimulation's onRow: takes each row (with its newline) as a string, or as bytes through ROW_BYTES. */
export type OnRow = ((row: string) => Promise<void> | void) & { [ROW_BYTES]?: RowBytes };

export interface CsvRowSink {
  /** runSimulation's onRow: keeps the row, writing the batch when it is full. */
  onRow: OnRow;
  /** Writes what is left; call after the run. */
  flush(): Promise<void> | void;
}

/** Batches rows into chunks of about batchBytes for `write`, which owns each chunk it is handed. */
export function csvRowSink(write: (chunk: Uint8Array) => Promise<void> | void, batchBytes = 1 << 16): CsvRowSink {
  let room = 1 << 10; // beyond batchBytes: the longest row fits after a batch just short of full
  const bytes: RowBytes = {
    buf: Buffer.allocUnsafe(batchBytes + room),
    pos: 0,
    fit(n) {
      if (n <= room) return;
      room = n;
      const old = bytes.buf;
      bytes.buf = Buffer.allocUnsafe(batchBytes + room);
      bytes.buf.set(old.subarray(0, bytes.pos));
    },
    rowDone() {
      if (bytes.pos < batchBytes) return;
      return pass();
    },
  };
  // The stream keeps a chunk until it is on disk: each batch gets a fresh buffer rather than reusing one.
  const pass = () => {
    const chunk = bytes.buf.subarray(0, bytes.pos);
    bytes.buf = Buffer.allocUnsafe(batchBytes + room);
    bytes.pos = 0;
    return write(chunk);
  };
  const onRow: OnRow = (row) => {
    bytes.fit(3 * row.length); // UTF-8 takes at most three bytes per UTF-16 unit
    bytes.pos += bytes.buf.write(row, bytes.pos);
    return bytes.rowDone();
  };
  onRow[ROW_BYTES] = bytes;
  return {
    onRow,
    flush() {
      if (bytes.pos > 0) return pass();
    },
  };
}

/**
 * The RowBytes runSimulation writes rows into for onRow: the sink's own batch, or for any other consumer
 * (stdout, a test collecting rows) a small buffer whose row is handed on as a string each time.
 */
export function rowBytesFor(onRow: OnRow): RowBytes {
  const own = onRow[ROW_BYTES];
  if (own) return own;
  const bytes: RowBytes = {
    buf: Buffer.allocUnsafe(1 << 10),
    pos: 0,
    fit(n) {
      if (n > bytes.buf.length) bytes.buf = Buffer.allocUnsafe(n);
    },
    rowDone() {
      // Every byte of a row is ASCII (number text, commas): latin1 reads them back as the same characters.
      const row = bytes.buf.toString('latin1', 0, bytes.pos);
      bytes.pos = 0;
      return onRow(row);
    },
  };
  return bytes;
}
