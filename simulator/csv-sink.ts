// Batches the simulator's CSV rows into large chunks before they reach a file: one write (and one await)
// per ~64 KiB instead of one per row. Memory stays bounded by the batch size.

export interface CsvRowSink {
  /** runSimulation's onRow: keeps the row, writing the batch when it is full. */
  onRow(row: string): Promise<void> | void;
  /** Writes what is left; call after the run. */
  flush(): Promise<void> | void;
}

export function csvRowSink(write: (chunk: string) => Promise<void> | void, batchChars = 1 << 16): CsvRowSink {
  let batch = '';
  return {
    onRow(row) {
      batch += row;
      if (batch.length < batchChars) return;
      const chunk = batch;
      batch = '';
      return write(chunk);
    },
    flush() {
      if (batch === '') return;
      const chunk = batch;
      batch = '';
      return write(chunk);
    },
  };
}
