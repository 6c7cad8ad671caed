// FANN's own forward pass, as the reference for the FANN importer: libfann's fann_run, reached through
// experiments/libfann-run.c, compiled once per process against Debian's libfann-dev (.ci/run installs it).

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const SOURCE = fileURLToPath(new URL('./libfann-run.c', import.meta.url));

let runner: { dir: string; exe: string } | null = null;

function libfannRunner(): string {
  if (runner) return runner.exe;
  if (!existsSync('/usr/include/floatfann.h')) throw new Error('libfann is not installed: apt-get install libfann-dev (.ci/run does this)');
  const dir = mkdtempSync(path.join(tmpdir(), 'axc-libfann-'));
  const exe = path.join(dir, 'libfann-run');
  execFileSync('cc', ['-O1', '-o', exe, SOURCE, '-lfloatfann', '-lm']);
  runner = { dir, exe };
  return exe;
}

/** Removes the compiled runner (call once the process is done with libfann). */
export function removeLibfannRunner(): void {
  if (runner) rmSync(runner.dir, { recursive: true, force: true });
  runner = null;
}

/** fann_run's outputs for each row, as libfann computes them (in float32, FANN's float build). */
export function runLibfann(netPath: string, rows: readonly ArrayLike<number>[]): number[][] {
  const input = rows.map((r) => Array.from(r, (v) => Math.fround(v).toPrecision(9)).join(' ')).join('\n') + '\n';
  const r = spawnSync(libfannRunner(), [netPath], { input, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`libfann could not run ${netPath}: ${r.stderr.trim()}`);
  return r.stdout.trim().split('\n').map((l) => l.split(' ').map(Number));
}

/** max_j |a_j − b_j| / max_j |b_j|: the error relative to the row's largest reference output. */
export function rowRelativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0;
  let scale = 0;
  for (let j = 0; j < b.length; j++) {
    diff = Math.max(diff, Math.abs(a[j] - b[j]));
    scale = Math.max(scale, Math.abs(b[j]));
  }
  return scale === 0 ? diff : diff / scale;
}
