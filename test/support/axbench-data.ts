// The real AxBench data, which the tests read in place from ../shared/data/axbench (beside the checkout,
// never copied into the repository): where it is, and the readers the suites share. Missing data fail the test.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { readFann, readXY, type Samples } from '../../benchmarks/read-axbench.ts';
import { findBenchmark } from '../../benchmarks/registry.ts';
import { repoRoot } from './run-axc.ts';

export const AXBENCH_DATA = path.join(repoRoot, '..', 'shared', 'data', 'axbench');

/** A benchmark's data folder; throws (failing the test) if it is missing. */
export function axbenchFolder(bench: string): string {
  const dir = path.join(AXBENCH_DATA, findBenchmark(bench)!.dataDir);
  if (!existsSync(dir)) throw new Error(`AxBench data not found at ${dir}: these tests need the real data, read in place`);
  return dir;
}

/** A benchmark's real samples at full (float64) precision: train.x/train.y, or kmeans' aggregated.fann. */
export function readAxbenchSamples(bench: string): Samples {
  const b = findBenchmark(bench)!;
  const dir = axbenchFolder(bench);
  return bench === 'kmeans' ? readFann(path.join(dir, 'aggregated.fann'), b.inputWidth, b.outputWidth) : readXY(dir, b.inputWidth, b.outputWidth);
}

/** Writes the first `rows` lines of a benchmark's train.x and train.y into the folder `dest`: a small data set for quick training. */
export function copyFirstRows(bench: string, rows: number, dest: string): void {
  const src = axbenchFolder(bench);
  mkdirSync(dest, { recursive: true });
  for (const name of ['train.x', 'train.y']) writeFileSync(path.join(dest, name), readFileSync(path.join(src, name), 'utf8').split('\n').slice(0, rows).join('\n') + '\n');
}
