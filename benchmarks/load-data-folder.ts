// A benchmark's data set read from disk: the one rule `axc train --data` and `npm run experiments --data`
// use to find the samples in a folder (AxBench's train.x/train.y, or a FANN file).

import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { DIAG } from '../diagnostics/catalog.ts';
import { describeFsError, fail } from '../diagnostics/diagnostic.ts';
import { datasetFromSamples, type Dataset } from './dataset.ts';
import { readFann, readXY } from './read-axbench.ts';
import { findBenchmark } from './registry.ts';

/**
 * A data folder: AxBench's train.x/train.y (also what `axc data` writes), or a FANN file (kmeans'
 * aggregated.fann, preferred when a folder holds several), or the path of a .fann file itself. Rows are
 * checked against the benchmark's widths.
 */
export function loadDataFolder(bench: string, dir: string): Dataset {
  const b = findBenchmark(bench)!;
  let isDir: boolean;
  try {
    isDir = statSync(dir).isDirectory();
  } catch (e) {
    fail(DIAG.fileUnreadable, undefined, dir, describeFsError(e));
  }
  if (!isDir) {
    if (dir.endsWith('.fann')) return datasetFromSamples(bench, readFann(dir, b.inputWidth, b.outputWidth));
    fail(DIAG.trainDataFolder, undefined, dir);
  }
  if (existsSync(path.join(dir, 'train.x')) || existsSync(path.join(dir, 'train.y'))) {
    return datasetFromSamples(bench, readXY(dir, b.inputWidth, b.outputWidth));
  }
  const fann = readdirSync(dir).filter((f) => f.endsWith('.fann')).sort();
  if (fann.length === 0) fail(DIAG.trainDataFolder, undefined, dir);
  const file = fann.includes('aggregated.fann') ? 'aggregated.fann' : fann[0];
  return datasetFromSamples(bench, readFann(path.join(dir, file), b.inputWidth, b.outputWidth));
}
