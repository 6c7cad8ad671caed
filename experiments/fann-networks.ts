// npm run experiments:fann -- DIR: what published FANN networks (AxBench's applications/*/fann.config/*.nn)
// cost on the default NPU, and whether axc computes what FANN does. Each .nn in DIR is compiled through the CLI
// (with --benchmark when its name is an AxBench benchmark of the same widths), simulated on real AxBench rows
// read in place (random rows in [0, 1] when there are none), and its outputs compared with libfann's fann_run.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Command } from 'commander';
import { findBenchmarkInfo } from '../benchmarks/catalog.ts';
import { readFann } from '../benchmarks/read-axbench.ts';
import { readFannModel } from '../frontend/fann/read-fann.ts';
import { SeededRandom } from '../ir/seeded-random.ts';
import type { RunReport } from '../simulator/report.ts';
import { removeLibfannRunner, rowRelativeError, runLibfann } from './libfann.ts';

const AXC = path.resolve(new URL('../bin/axc.js', import.meta.url).pathname);
const ROWS = 2000;

function axc(args: string[]): string {
  const r = spawnSync(process.execPath, [AXC, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`axc ${args.join(' ')} failed:\n${r.stderr}`);
  return r.stdout;
}

/** The first ROWS input rows of the benchmark's AxBench data, or seeded rows in [0, 1]. */
function rowsFor(bench: string | null, width: number, dataDir: string): { rows: number[][]; source: string } {
  const info = bench ? findBenchmarkInfo(bench) : undefined;
  if (info) {
    const folder = path.join(dataDir, info.dataDir);
    const x = path.join(folder, 'train.x');
    if (existsSync(x)) {
      const lines = readFileSync(x, 'utf8').split('\n').filter((l) => l.trim() !== '').slice(0, ROWS);
      return { rows: lines.map((l) => l.trim().split(/\s+/).map(Number)), source: `AxBench ${bench}` };
    }
    const fann = path.join(folder, 'aggregated.fann');
    if (existsSync(fann)) return { rows: readFann(fann, info.inputWidth, info.outputWidth).x.slice(0, ROWS).map((r) => Array.from(r)), source: `AxBench ${bench}` };
  }
  const rng = new SeededRandom(1);
  return { rows: Array.from({ length: ROWS }, () => Array.from({ length: width }, () => Math.fround(rng.next()))), source: 'random [0, 1]' };
}

async function main(): Promise<void> {
  const cmd = new Command('experiments:fann')
    .argument('<dir>', 'a folder of FANN .nn files, such as those of AxBench (applications/*/fann.config/*.nn, gathered in one folder)')
    .option('--data <dir>', 'AxBench data, read in place', path.join(path.dirname(AXC), '..', '..', 'shared', 'data', 'axbench'))
    .option('--out <file.md>', 'also write the table to this file')
    .parse();
  const dir = cmd.args[0];
  const opts = cmd.opts<{ data: string; out?: string }>();
  const work = mkdtempSync(path.join(tmpdir(), 'axc-fann-nets-'));
  const lines = [
    '| network | topology | rows | worst row error vs fann_run | NPU cycles/sample | speedup | energy saving |',
    '|---|---|---:|---:|---:|---:|---:|',
  ];
  try {
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.nn')).sort()) {
      const nn = path.join(dir, file);
      const r = readFannModel(nn);
      if (!r.model) throw new Error(`${file}: ${r.diagnostics.map((d) => d.message).join('; ')}`);
      const m = r.model;
      const stem = file.replace(/\.nn$/, '').replace(/^.*-/, '');
      const info = findBenchmarkInfo(stem);
      const bench = info && info.inputWidth === m.inputWidth && info.outputWidth === m.outputWidth ? stem : null;
      const { rows, source } = rowsFor(bench, m.inputWidth, opts.data);
      const x = path.join(work, `${stem}.x`);
      writeFileSync(x, rows.map((row) => row.join(' ')).join('\n') + '\n');
      const bin = path.join(work, `${stem}.bin`);
      axc(['compile', nn, '-o', bin, '-q', ...(bench ? ['--benchmark', bench] : [])]);
      const csv = path.join(work, `${stem}.csv`);
      const reportFile = path.join(work, `${stem}.json`);
      axc(['sim', bin, '-i', x, '-o', csv, '--report', reportFile, '-q']);
      const report = JSON.parse(readFileSync(reportFile, 'utf8')) as RunReport;
      const ours = readFileSync(csv, 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').slice(0, m.outputWidth).map(Number));
      const theirs = runLibfann(nn, rows);
      const worst = Math.max(...ours.map((y, i) => rowRelativeError(y, theirs[i])));
      const topology = [m.inputWidth, ...m.approximator.map((l) => `${l.width} ${l.activation}`)].join(' → ');
      const c = report.comparison;
      lines.push(`| ${file} | ${topology} | ${rows.length} (${source}) | ${worst.toExponential(2)} | ${report.cycles.perSample.mean.toFixed(0)} | ${bench ? `${c.speedup.toFixed(2)}×` : 'n/a'} | ${bench ? `${c.energySaving.toFixed(2)}×` : 'n/a'} |`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
    removeLibfannRunner();
  }
  const table = lines.join('\n') + '\n';
  process.stdout.write(table);
  if (opts.out) writeFileSync(opts.out, table);
}

await main();
