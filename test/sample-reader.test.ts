// Library tests of simulator/read-samples.ts: separators, line endings, skipped lines, float32 rounding,
// positioned errors, the real AxBench sobel training inputs read in place, and early termination.

import test, { type ExecutionContext } from 'ava';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { AxcError } from '../diagnostics/diagnostic.ts';
import { readSamples } from '../simulator/read-samples.ts';
import { AXBENCH_DATA } from './support/axbench-data.ts';

const AXBENCH_SOBEL_X = path.join(AXBENCH_DATA, 'sobel', 'train.x');

function tempFile(t: ExecutionContext, text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'axc-samples-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'in.x');
  fs.writeFileSync(file, text);
  return file;
}

/** Copies every sample out (the generator reuses one array). */
async function collect(file: string, width: number): Promise<number[][]> {
  const out: number[][] = [];
  for await (const x of readSamples(file, width)) out.push(Array.from(x));
  return out;
}

async function expectError(t: ExecutionContext, file: string, width: number, code: string, where?: { line: number; col: number }): Promise<AxcError | undefined> {
  const e = await t.throwsAsync(collect(file, width), { instanceOf: AxcError });
  if (!e) return undefined;
  t.is(e.diagnostics.length, 1);
  t.is(e.diagnostics[0].code, code, e.message);
  if (where) t.deepEqual(e.diagnostics[0].loc, { file, ...where });
  return e;
}

test('comma-separated values', async (t) => {
  t.deepEqual(await collect(tempFile(t, '1,2,3\n4,5.5,-6\n'), 3), [
    [1, 2, 3],
    [4, 5.5, -6],
  ]);
});

test('white-space-separated values, with leading and trailing blanks', async (t) => {
  t.deepEqual(await collect(tempFile(t, '1 2\t3\n   4    5 \t 6   \n7 8 9'), 3), [
    [1, 2, 3],
    [4, 5, 6],
    [7, 8, 9],
  ]);
});

test('commas and white space mixed', async (t) => {
  t.deepEqual(await collect(tempFile(t, '1, 2 ,3\n4 ,\t5 6\n  7,8 , 9\n'), 3), [
    [1, 2, 3],
    [4, 5, 6],
    [7, 8, 9],
  ]);
});

test('CRLF line endings', async (t) => {
  t.deepEqual(await collect(tempFile(t, '1,2,3\r\n4 5 6\r\n\r\n7,8,9\r\n'), 3), [
    [1, 2, 3],
    [4, 5, 6],
    [7, 8, 9],
  ]);
  // Positions stay right with CRLF: the bad token is on line 3, column 3.
  await expectError(t, tempFile(t, '1,2,3\r\n\r\n4,x,6\r\n'), 3, 'AXS601', { line: 3, col: 3 });
});

test('blank lines and # comment lines are skipped, but still counted for positions', async (t) => {
  const text = '# x0 x1\n\n1 2\n   \n  # indented comment\n\t\n3 4\n#5 6\n';
  t.deepEqual(await collect(tempFile(t, text), 2), [
    [1, 2],
    [3, 4],
  ]);
  await expectError(t, tempFile(t, `${text}\n  5, six\n`), 2, 'AXS601', { line: 10, col: 6 });
});

test('values are rounded to float32', async (t) => {
  const [x] = await collect(tempFile(t, '0.1 16777217 1e-50 3.4028235e38 -2.5e-3\n'), 5);
  t.not(Math.fround(0.1), 0.1);
  t.deepEqual(x, [Math.fround(0.1), 16777216, 0, Math.fround(3.4028235e38), Math.fround(-2.5e-3)]);
  for (const v of x) t.is(Math.fround(v), v);
  t.is(x[3], 3.4028234663852886e38);
});

test('a row of the wrong width is AXS602 at its line', async (t) => {
  const e = await expectError(t, tempFile(t, '1 2 3\n4 5\n'), 3, 'AXS602', { line: 2, col: 1 });
  t.regex(e?.message ?? '', /2 values, the program expects 3/);
  await expectError(t, tempFile(t, '1 2 3\n\n# c\n4 5 6 7\n'), 3, 'AXS602', { line: 4, col: 1 });
});

test('a non-number is AXS601 at its column; hex is not accepted', async (t) => {
  const line2 = '  4,\t5e ,6';
  const e = await expectError(t, tempFile(t, `1 2 3\n${line2}\n`), 3, 'AXS601', { line: 2, col: line2.indexOf('5e') + 1 });
  t.regex(e?.message ?? '', /'5e' is not a number/);
  await expectError(t, tempFile(t, '1 0x10 3\n'), 3, 'AXS601', { line: 1, col: 3 });
  await expectError(t, tempFile(t, '1 NaN 3\n'), 3, 'AXS601', { line: 1, col: 3 });
});

test('only plain decimals are numbers: hex, binary, octal and Infinity spellings are rejected', async (t) => {
  for (const tok of ['0X10', '0x10', '0b101', '0o7', 'Infinity', '-Infinity', '1_000', '1e', '--1'])
    await expectError(t, tempFile(t, `1 ${tok} 3\n`), 3, 'AXS601', { line: 1, col: 3 });
});

test('values beyond float32 range and empty comma-separated fields are positioned errors', async (t) => {
  await expectError(t, tempFile(t, '1 1e39 3\n'), 3, 'AXS606', { line: 1, col: 3 });
  await expectError(t, tempFile(t, '1,2,3\n5,,6\n'), 3, 'AXS605', { line: 2, col: 3 });
  await expectError(t, tempFile(t, '1, 2,\n'), 3, 'AXS605', { line: 1, col: 6 });
  await expectError(t, tempFile(t, ',1,2\n'), 3, 'AXS605', { line: 1, col: 1 });
});

test('an empty file, or one with only comments, is AXS604', async (t) => {
  await expectError(t, tempFile(t, ''), 2, 'AXS604');
  await expectError(t, tempFile(t, '# nothing here\n\n   \n'), 2, 'AXS604');
});

test('a missing file is AXU701', async (t) => {
  const file = path.join(path.dirname(tempFile(t, '')), 'missing.x');
  const e = await expectError(t, file, 2, 'AXU701');
  t.true(e?.message.includes(file));
});

// ---- the real AxBench data, read in place ----

function axbenchText(): string {
  if (!fs.existsSync(AXBENCH_SOBEL_X)) throw new Error(`AxBench sobel inputs missing: ${AXBENCH_SOBEL_X} (expected the shared data directory beside the repository)`);
  return fs.readFileSync(AXBENCH_SOBEL_X, 'utf8');
}

const parseLine = (l: string) => l.trim().split(/\s+/).map((s) => Math.fround(Number(s)));

test('reads the real AxBench sobel train.x (width 9)', async (t) => {
  const lines = axbenchText().split('\n').filter((l) => l.trim() !== '');
  t.is(lines.length, 7820);
  const first = parseLine(lines[0]);
  const last = parseLine(lines[lines.length - 1]);
  t.is(first.length, 9);
  t.true(first.some((v) => v !== 0), 'first line should have a non-zero value');

  let n = 0;
  let firstSeen: number[] | null = null;
  let lastSeen: number[] = [];
  let array: Float32Array | null = null;
  let sameArray = true;
  for await (const x of readSamples(AXBENCH_SOBEL_X, 9)) {
    if (n === 0) firstSeen = Array.from(x);
    if (array && array !== x) sameArray = false;
    array = x;
    t.is(x.length, 9);
    lastSeen = Array.from(x);
    n++;
  }
  t.is(n, lines.length);
  t.deepEqual(firstSeen, first);
  t.deepEqual(lastSeen, last);
  t.true(sameArray, 'the generator documents that it reuses one array');
});

// ---- early termination ----

/** Open file descriptors of this process that point at `file` (Linux /proc). */
function fdsOpenOn(file: string): number {
  const real = fs.realpathSync(file);
  let n = 0;
  for (const fd of fs.readdirSync('/proc/self/fd')) {
    try {
      if (fs.readlinkSync(`/proc/self/fd/${fd}`) === real) n++;
    } catch {
      // the directory's own fd, or one closed meanwhile
    }
  }
  return n;
}

test('stopping early (break after 10) neither throws nor leaks the file', async (t) => {
  axbenchText();
  t.is(fdsOpenOn(AXBENCH_SOBEL_X), 0);
  for (let round = 0; round < 20; round++) {
    let n = 0;
    await t.notThrowsAsync(async () => {
      for await (const x of readSamples(AXBENCH_SOBEL_X, 9)) {
        t.is(x.length, 9);
        if (++n === 10) break;
      }
    });
    t.is(n, 10);
  }
  // Closing is asynchronous: give the streams a moment, then no descriptor on the file may remain.
  for (let i = 0; i < 50 && fdsOpenOn(AXBENCH_SOBEL_X) > 0; i++) await sleep(20);
  t.is(fdsOpenOn(AXBENCH_SOBEL_X), 0);

  // The generator still works normally afterwards, and an explicit return() also ends it quietly.
  const gen = readSamples(AXBENCH_SOBEL_X, 9);
  const a = await gen.next();
  t.false(a.done);
  t.deepEqual(Array.from(a.value as Float32Array), parseLine(axbenchText().split('\n')[0]));
  const r = await gen.return(undefined);
  t.true(r.done);
  t.true((await gen.next()).done);
  for (let i = 0; i < 50 && fdsOpenOn(AXBENCH_SOBEL_X) > 0; i++) await sleep(20);
  t.is(fdsOpenOn(AXBENCH_SOBEL_X), 0);
});
