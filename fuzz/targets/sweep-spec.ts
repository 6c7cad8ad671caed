// Sweep specs (YAML and JSON), mutated as text; one the reader accepts is expanded into cells, and its first
// cell is compiled and simulated as a worker would run it.

import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { runCell } from '../../sweep/run-cell.ts';
import { expandCells } from '../../sweep/sweep-cells.ts';
import { readSweepSpec } from '../../sweep/sweep-spec.ts';
import type { FuzzTarget } from '../fuzz-target.ts';
import { REPO_ROOT, sweepSeeds } from '../seed-corpus.ts';
import { applyTextMutations, textMutationsArbitrary } from '../text-mutations.ts';

const SWEEP_KEYWORDS = ['models:', 'axes:', 'objectives:', 'hardware:', '- ', ': [', ']', '{', '}', '"', 'tiles', 'bus.dataBuses', 'schedule', 'batch', 'threshold', 'datapath', 'energy.perSamplePj', '-cycles.total', 'exact', '..', '/', '0', '-1', '1e9', 'null', '&a', '*a', '!!binary', '\t'];

/** The files the seeds name, copied beside the spec. */
const FILES = ['tiny.axn', 'tiny.x', 'sobel.axn', 'sobel.x', 'sobel.weights.json', 'jpeg.axn', 'jpeg.x', 'jpeg.weights.json', 'npu-small.json'];

export const sweepSpecTarget: FuzzTarget = {
  name: 'sweep',
  about: 'sweep specs (YAML, JSON); an accepted one is expanded and its first cell run',
  cases: () =>
    fc.record({ seed: fc.constantFrom(...sweepSeeds()), mutations: textMutationsArbitrary(SWEEP_KEYWORDS) }).map(({ seed, mutations }) => ({
      seed: seed.name,
      mutations,
      files: { [seed.name]: applyTextMutations(seed.text, mutations) },
      main: seed.name,
    })),
  run: async (c, probe, scratch) => {
    for (const f of FILES) fs.copyFileSync(path.join(REPO_ROOT, 'examples', f), path.join(scratch, f));
    const file = path.join(scratch, c.main);
    fs.writeFileSync(file, c.files[c.main]);
    const sweep = await probe.stage('load', 'rejected', () => readSweepSpec(file));
    const cells = await probe.stage('expand', 'wrong-accept', () => expandCells(sweep, 'fuzz'));
    if (cells.length > 0 && cells[0].problem === null) await probe.stage('run', 'wrong-accept', () => runCell(cells[0].job));
  },
};
