// Runs the real `axc` CLI (bin/axc.js) in a child process, for end-to-end tests.

import { spawn, spawnSync, type ChildProcess, type StdioOptions } from 'node:child_process';
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

export interface SpawnedAxc {
  child: ChildProcess;
  /** Resolves when the child exits, with its status (null if a signal ended it), signal and output. */
  done: Promise<AxcResult & { signal: NodeJS.Signals | null }>;
}

/** Starts the real CLI without waiting for it (for interrupts, FIFOs and concurrency). */
export function spawnAxc(args: string[], opts: RunOptions & { stdio?: StdioOptions } = {}): SpawnedAxc {
  spawns++;
  const env: NodeJS.ProcessEnv = { ...process.env, ...opts.env };
  delete env.AXC_DEBUG;
  delete env.AXC_UPDATE_GOLDEN;
  const child = spawn(process.execPath, [binPath, ...args], { cwd: opts.cwd ?? repoRoot, env, stdio: opts.stdio ?? ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const done = new Promise<AxcResult & { signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status, signal) => resolve({ status, signal, stdout, stderr }));
  });
  return { child, done };
}

/** At most this many runAxcAsync children at once: enough to overlap start-up, few enough for 2 cores. */
const MAX_CONCURRENT = 3;
let running = 0;
const waiting: (() => void)[] = [];

/** runAxc without blocking the test worker, so independent CLI runs overlap (a few at a time). */
export async function runAxcAsync(args: string[], opts: RunOptions & { stdio?: StdioOptions } = {}): Promise<AxcResult & { signal: NodeJS.Signals | null }> {
  if (running >= MAX_CONCURRENT) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await spawnAxc(args, opts).done;
  } finally {
    running--;
    waiting.shift()?.();
  }
}

/**
 * The CLI's entry point in this process, with its output captured: what bin/axc.js runs, without a spawn
 * (each spawn costs about half a second of CPU, more under tsx). For quick refusals; callers must run serially, since
 * stdout and stderr are borrowed while it runs.
 */
export async function runAxcInProcess(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const { main } = await import('../../cli/main.ts');
  const out = { stdout: '', stderr: '' };
  const { stdout, stderr } = process;
  const capture = (key: 'stdout' | 'stderr') => ((chunk: string | Uint8Array) => ((out[key] += String(chunk)), true)) as typeof process.stdout.write;
  const saved = [stdout.write, stderr.write] as const;
  stdout.write = capture('stdout');
  stderr.write = capture('stderr');
  try {
    return { status: await main(args), ...out };
  } finally {
    [stdout.write, stderr.write] = saved;
  }
}
