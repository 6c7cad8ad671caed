// Progress bars for long commands (sim, data, train): drawn on stderr when it is a terminal, absent
// otherwise; an interrupt stops the bar, so the line is cleared and the cursor shown again.

import { statSync } from 'node:fs';
import { Presets, SingleBar } from 'cli-progress';
import { undoOnInterrupt } from './interrupt.ts';

export interface ProgressBar {
  update(value: number, payload?: Record<string, unknown>): void;
  stop(): void;
}

/** A cli-progress bar from `format` (its {placeholders}), or null when stderr is not a terminal. */
export function startProgressBar(format: string, total: number, payload: Record<string, unknown>, stream: NodeJS.WriteStream = process.stderr): ProgressBar | null {
  if (!stream.isTTY) return null;
  const bar = new SingleBar({ format, stream, hideCursor: true, clearOnComplete: true, etaBuffer: 20 }, Presets.shades_classic);
  bar.start(Math.max(total, 1), 0, payload);
  const unregister = undoOnInterrupt({ undo: () => bar.stop() });
  return {
    update: (value, p) => bar.update(value, p),
    stop() {
      bar.stop();
      unregister();
    },
  };
}

export interface SimulationProgress {
  /** Characters of the input consumed so far; the reader advances it. */
  readonly consumed: { bytes: number };
  update(samples: number): void;
  stop(): void;
}

/** The bar `axc sim` draws: the share of the input file read, samples and samples per second. */
export function simulationProgress(inputPath: string, stream: NodeJS.WriteStream = process.stderr): SimulationProgress | null {
  if (!stream.isTTY || inputPath === '-') return null;
  let total = 0;
  try {
    total = statSync(inputPath).size;
  } catch {
    return null; // the reader reports the unreadable file
  }
  const bar = startProgressBar('simulating |{bar}| {percentage}% | {samples} samples | {rate} samples/s | eta {eta_formatted}', total, { samples: 0, rate: 0 }, stream);
  if (!bar) return null;
  const consumed = { bytes: 0 };
  const started = Date.now();
  return {
    consumed,
    update(samples: number) {
      const seconds = (Date.now() - started) / 1000;
      bar.update(Math.min(consumed.bytes, total), { samples, rate: seconds > 0 ? Math.round(samples / seconds) : 0 });
    },
    stop: () => bar.stop(),
  };
}
