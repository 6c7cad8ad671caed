// npm run bench's sweep speed-up: one 64-cell sweep (sobel and jpeg × tiles × PEs per tile × schedule, on
// inputs long enough that a cell takes a fair fraction of a second) run by the built CLI at --jobs 1 and at
// --jobs = cores, each into a fresh folder (nothing cached), in the same run; wall time and their ratio.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';

const repo = new URL('..', import.meta.url).pathname;

function repeatRows(name: string, times: number, dest: string): void {
  const rows = readFileSync(join(repo, 'examples', `${name}.x`), 'utf8').trim();
  writeFileSync(dest, Array.from({ length: times }, () => rows).join('\n') + '\n');
}

function sweepSeconds(spec: string, out: string, jobs: number): { seconds: number; stderr: string } {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [join(repo, 'bin/axc.js'), 'sweep', spec, '-o', out, '--jobs', String(jobs)], { encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`axc sweep failed: ${r.stderr}`);
  return { seconds, stderr: r.stderr.trim() };
}

export function sweepSpeedupRows(): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'axc-sweep-bench-'));
  try {
    repeatRows('sobel', 640, join(dir, 'sobel.x'));
    repeatRows('jpeg', 80, join(dir, 'jpeg.x'));
    const spec = join(dir, 'spec.yaml');
    const ex = join(repo, 'examples');
    writeFileSync(
      spec,
      `models:\n  - model: ${ex}/sobel.axn\n    input: sobel.x\n  - model: ${ex}/jpeg.axn\n    input: jpeg.x\naxes:\n  tiles: [1, 2, 4, 8]\n  pesPerTile: [2, 4, 8, 16]\n  schedule: [static, dynamic]\nobjectives: [energy.perSamplePj, cycles.perSample.mean]\n`,
    );
    const cores = availableParallelism();
    const one = sweepSeconds(spec, join(dir, 'one'), 1);
    const all = sweepSeconds(spec, join(dir, 'all'), cores);
    const same = readFileSync(join(dir, 'one', 'results.csv')).equals(readFileSync(join(dir, 'all', 'results.csv')));
    return [
      `| 1 | ${one.seconds.toFixed(2)} s | 1.00× | |`,
      `| ${cores} (cores) | ${all.seconds.toFixed(2)} s | ${(one.seconds / all.seconds).toFixed(2)}× | results.csv ${same ? 'byte-identical to --jobs 1' : 'DIFFERS from --jobs 1'} |`,
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
