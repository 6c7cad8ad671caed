// Runs the real `axc` CLI (bin/axc.js) in a child process, for end-to-end tests.

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';

/** The repository root (the directory holding package.json). */
export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export const binPath = path.join(repoRoot, 'bin', 'axc.js');

export interface AxcResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Working directory of the child; default: the repository root. */
  cwd?: string;
  /** Extra environment variables. */
  env?: Record<string, string>;
}

let spawns = 0;

/** How many times runAxc has spawned the CLI in this process (to keep the suite's cost visible). */
export function spawnCount(): number {
  return spawns;
}

export function runAxc(args: string[], opts: RunOptions = {}): AxcResult {
  spawns++;
  const env: NodeJS.ProcessEnv = { ...process.env, ...opts.env };
  delete env.AXC_DEBUG;
  delete env.AXC_UPDATE_GOLDEN;
  const r = spawnSync(process.execPath, [binPath, ...args], { cwd: opts.cwd ?? repoRoot, encoding: 'utf8', env, timeout: 60_000 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
