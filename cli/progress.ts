// A progress bar for long simulations: drawn on stderr when it is a terminal, absent otherwise.

import { statSync } from 'node:fs';
import { Presets, SingleBar } from 'cli-progress';

export interface SimulationProgress {
  /** Characters of the input consumed so far; the reader advances it. */
  readonly consumed: { bytes: number };
  update(samples: number): void;
  stop(): void;
}

export function simulationProgress(inputPath: string, stream: NodeJS.WriteStream = process.stderr): SimulationProgress | null {
  if (!stream.isTTY) return null;
  let total = 0;
  try {
    total = statSync(inputPath).size;
  } catch {
    return null; // the reader reports the unreadable file
  }
  const bar = new SingleBar(
    { format: 'simulating |{bar}| {percentage}% | {samples} samples | {rate} samples/s | eta {eta_formatted}', stream, hideCursor: true, clearOnComplete: true, etaBuffer: 20 },
    Presets.shades_classic,
  );
  const consumed = { bytes: 0 };
  const started = Date.now();
  bar.start(Math.max(total, 1), 0, { samples: 0, rate: 0 });
  return {
    consumed,
    update(samples: number) {
      const seconds = (Date.now() - started) / 1000;
      bar.update(Math.min(consumed.bytes, total), { samples, rate: seconds > 0 ? Math.round(samples / seconds) : 0 });
    },
    stop() {
      bar.stop();
    },
  };
}
