// End-to-end tests of `axc data` and `axc exact` through the real CLI: files that read back as
// generateDataset, determinism, exact over a generated input, and bad input (one coded error, exit 1,
// nothing written). Spawns are costly (~0.5 s each), so there are few.

import test, { type ExecutionContext } from 'ava';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateDataset } from '../benchmarks/generators/generate.ts';
import { readXY } from '../benchmarks/read-axbench.ts';
import { runAxc } from './support/run-axc.ts';

function tempDir(t: ExecutionContext): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'axc-data-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The file's lines, checking it ends with a newline. */
function lines(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  if (!text.endsWith('\n')) throw new Error(`${file} does not end with a newline`);
  return text.slice(0, -1).split('\n');
}

/** One clean error: exit 1 (2 for a usage error), a single `... error: ... [CODE]` line, no stack, nothing on stdout. */
function expectError(t: ExecutionContext, r: { status: number | null; stdout: string; stderr: string }, code: string, pattern?: RegExp, status = 1): void {
  t.is(r.status, status, r.stderr);
  t.is(r.stdout, '');
  const errLines = r.stderr.trimEnd().split('\n');
  t.is(errLines.length, 1, r.stderr);
  t.regex(errLines[0], new RegExp(`error: .* \\[${code}\\]$`));
  if (pattern) t.regex(errLines[0], pattern);
  t.notRegex(r.stderr, /\n\s+at /);
}

test('axc data writes train.x/train.y that read back as generateDataset; the same seed gives the same files', (t) => {
  const dir = tempDir(t);
  const a = path.join(dir, 'a');
  const b = path.join(dir, 'b');
  for (const out of [a, b]) {
    const r = runAxc(['data', 'sobel', '-n', '50', '--seed', '3', '-o', out]);
    t.is(r.status, 0, r.stderr);
  }
  t.is(lines(path.join(a, 'train.x')).length, 50);
  t.is(lines(path.join(a, 'train.y')).length, 50);
  const expected = generateDataset('sobel', 50, 3);
  const { x, y } = readXY(a, 9, 1);
  t.deepEqual(Float32Array.from(x.flatMap((row) => Array.from(row))), expected.x);
  t.deepEqual(Float32Array.from(y.flatMap((row) => Array.from(row))), expected.y);
  for (const f of ['train.x', 'train.y']) t.true(fs.readFileSync(path.join(a, f)).equals(fs.readFileSync(path.join(b, f))), `${f} identical`);
  t.deepEqual(fs.readdirSync(a).sort(), ['train.x', 'train.y'], 'no temporary files left');

  // exact over the generated inputs: train.y is its output rounded to float32
  const e = runAxc(['exact', 'sobel', '--input', path.join(a, 'train.x')]);
  t.is(e.status, 0, e.stderr);
  const exactLines = e.stdout.trimEnd().split('\n');
  t.is(exactLines.length, 50);
  exactLines.forEach((line, i) => {
    const v = Number(line);
    t.is(Math.fround(v), expected.y[i]);
    t.true(Math.abs(v - expected.y[i]) <= Math.abs(expected.y[i]) * 2 ** -24, `line ${i + 1} within float32 rounding`);
  });
  // --output writes the same text to a file
  const yFile = path.join(dir, 'sobel.y');
  const o = runAxc(['exact', 'sobel', '--input', path.join(a, 'train.x'), '--output', yFile]);
  t.is(o.status, 0, o.stderr);
  t.is(fs.readFileSync(yFile, 'utf8'), e.stdout);
});

test('axc data: an unknown benchmark or a bad -n is one coded error, and nothing is written', (t) => {
  const dir = tempDir(t);
  const out = path.join(dir, 'out');
  expectError(t, runAxc(['data', 'sobl', '-n', '10', '-o', out]), 'AXD901', /known benchmarks: sobel, inversek2j, fft, bessel, blackscholes, jpeg, kmeans, jmeint/, 2);
  expectError(t, runAxc(['data', 'sobel', '-n', '12.5', '-o', out]), 'AXD902', /got '12\.5'/, 2); // 0 and > 10^7: test/generators.test.ts
  t.false(fs.existsSync(out));
});

test('axc exact: a malformed input file is a positioned error, and no output file appears', (t) => {
  const dir = tempDir(t);
  const input = path.join(dir, 'bad.x');
  fs.writeFileSync(input, '0.1 0.2 0.3 0.4 0.5 0.6 0.7 0.8 0.9\n0.1 0.2 nope 0.4 0.5 0.6 0.7 0.8 0.9\n');
  const yFile = path.join(dir, 'out.y');
  expectError(t, runAxc(['exact', 'sobel', '--input', input, '--output', yFile]), 'AXS601', new RegExp(`^${input.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2:9: error: 'nope' is not a number`));
  t.false(fs.existsSync(yFile));
  t.deepEqual(fs.readdirSync(dir), ['bad.x'], 'no temporary files left');
  // to stdout: nothing is printed before the error, not even the good first line
  expectError(t, runAxc(['exact', 'sobel', '--input', input]), 'AXS601');
});
