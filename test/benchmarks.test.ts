// Tests of benchmarks/: every exact function against every sample of the real AxBench data (read in
// place from ../shared/data/axbench, never copied; missing data fails), the data loaders (including the
// truncated kmeans .fann), the registry, and the pieces the data do not reach (coplanar jmeint, J_nu
// closed forms, the libm emulations).

import test, { type ExecutionContext } from 'ava';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { besselJ } from '../benchmarks/bessel.ts';
import { f32 } from '../benchmarks/float32.ts';
import { jmeint } from '../benchmarks/jmeint.ts';
import { jpeg } from '../benchmarks/jpeg.ts';
import { LUMINANCE_QUANT, ZIGZAG } from '../benchmarks/jpeg-tables.ts';
import { acosf, asinf, logf } from '../benchmarks/libm-f32.ts';
import { readFann, readXY } from '../benchmarks/read-axbench.ts';
import { BENCHMARKS, findBenchmark } from '../benchmarks/registry.ts';
import { AxcError } from '../diagnostics/diagnostic.ts';
import { AXBENCH_DATA, readAxbenchSamples } from './support/axbench-data.ts';

const DATA = AXBENCH_DATA;
const KMEANS_FANN = path.join(DATA, 'kmeans', 'aggregated.fann');

// ---- every exact function against every real sample -------------------------------------------------

/** Sample counts of the data sets (README of the data; kmeans: the complete pairs of the truncated file). */
const EXPECTED_SAMPLES: Record<string, number> = {
  sobel: 7820, inversek2j: 69997, fft: 7884, bessel: 70000, blackscholes: 15000, jpeg: 1843, kmeans: 5907, jmeint: 7000,
};

for (const b of BENCHMARKS) {
  test(`${b.name}: exact() reproduces every AxBench output within ${b.tolerance.abs.toExponential(3)}`, (t) => {
    const { x, y } = readAxbenchSamples(b.name);
    t.is(x.length, EXPECTED_SAMPLES[b.name]);
    const out = new Float64Array(b.outputWidth);
    let maxErr = 0;
    let worst = -1;
    let failures = 0;
    let firstFailure = '';
    for (let i = 0; i < x.length; i++) {
      out.fill(NaN);
      b.exact(x[i], out);
      let err = 0;
      for (let j = 0; j < b.outputWidth; j++) {
        const e = Math.abs(out[j] - y[i][j]);
        if (!(e <= err)) err = e; // NaN propagates as a failure
      }
      if (!(err <= maxErr)) {
        maxErr = err;
        worst = i;
      }
      if (!(err <= b.tolerance.abs)) {
        if (failures === 0) firstFailure = `sample ${i + 1}: x = [${Array.from(x[i]).join(', ')}], expected [${Array.from(y[i]).join(', ')}], got [${Array.from(out).join(', ')}]`;
        failures++;
      }
    }
    t.log(`${x.length} samples, max abs error ${maxErr.toExponential(3)}${worst >= 0 && maxErr > 0 ? ` (sample ${worst + 1})` : ''}, tolerance ${b.tolerance.abs.toExponential(3)}: ${b.tolerance.why}`);
    t.is(failures, 0, firstFailure);
  });
}

// ---- registry ----------------------------------------------------------------------------------------

test('the registry holds the eight benchmarks with consistent metadata', (t) => {
  t.deepEqual(BENCHMARKS.map((b) => b.name).sort(), ['bessel', 'blackscholes', 'fft', 'inversek2j', 'jmeint', 'jpeg', 'kmeans', 'sobel']);
  t.is(findBenchmark('bessel')?.dataDir, 'bessel_Jnu');
  t.is(findBenchmark('jpeg'), jpeg);
  t.is(findBenchmark('bessel_Jnu'), undefined);
  t.is(findBenchmark('nope'), undefined);
  const shapes = Object.fromEntries(BENCHMARKS.map((b) => [b.name, [b.inputWidth, b.outputWidth]]));
  t.deepEqual(shapes, {
    sobel: [9, 1], inversek2j: [2, 2], fft: [1, 2], bessel: [2, 1], blackscholes: [6, 1], jpeg: [64, 64], kmeans: [6, 1], jmeint: [18, 2],
  });
  for (const b of BENCHMARKS) {
    t.true(Number.isInteger(b.cpuCycles) && b.cpuCycles > 0, `${b.name}.cpuCycles`);
    t.true(b.tolerance.abs >= 0 && b.tolerance.why.length > 0, `${b.name}.tolerance`);
    t.true(fs.existsSync(path.join(DATA, b.dataDir)), `data folder ${b.dataDir}`);
  }
});

test('exact() accepts float32 inputs too', (t) => {
  const x = Float32Array.of(0.25, 0.5);
  const out = new Float64Array(2);
  findBenchmark('inversek2j')!.exact(x, out);
  t.true(out.every(Number.isFinite));
});

// ---- loaders -----------------------------------------------------------------------------------------

function tempDir(t: ExecutionContext): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'axc-axbench-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function errorText(t: ExecutionContext, fn: () => unknown): string {
  const e = t.throws(fn, { instanceOf: AxcError });
  return e?.message ?? '';
}

test('readXY reads the real sobel data in place', (t) => {
  const { x, y } = readXY(path.join(DATA, 'sobel'));
  t.is(x.length, 7820);
  t.is(y.length, 7820);
  t.true(x.every((r) => r.length === 9) && y.every((r) => r.length === 1));
  t.deepEqual(Array.from(x[0].subarray(0, 5)), [0, 0, 0, 0, 0.591562509537]);
  t.is(y[0][0], 0.704344630241);
});

test('readXY parses whitespace-separated rows and reports positioned errors', (t) => {
  const dir = tempDir(t);
  fs.writeFileSync(path.join(dir, 'train.x'), ' 1 2\t3\n4  5 6\r\n');
  fs.writeFileSync(path.join(dir, 'train.y'), '0.5\n-1e-3\n');
  const { x, y } = readXY(dir);
  t.deepEqual(x.map((r) => Array.from(r)), [[1, 2, 3], [4, 5, 6]]);
  t.deepEqual(y.map((r) => Array.from(r)), [[0.5], [-0.001]]);

  fs.writeFileSync(path.join(dir, 'train.x'), '1 2 3\n4 5\n');
  t.regex(errorText(t, () => readXY(dir)), /train\.x:2:1: error: sample has 2 values, the program expects 3/);
  fs.writeFileSync(path.join(dir, 'train.x'), '1 2 3\n4 zz 6\n');
  t.regex(errorText(t, () => readXY(dir)), /train\.x:2:3: error: 'zz' is not a number/);
  fs.writeFileSync(path.join(dir, 'train.x'), '1 2 3\n4 5 6\n7 8 9\n');
  t.regex(errorText(t, () => readXY(dir)), /train\.y:3:1: error: .*2 samples/);
  t.regex(errorText(t, () => readXY(dir, 4)), /train\.x:1:1: error: sample has 3 values, the program expects 4/);
  t.regex(errorText(t, () => readXY(path.join(dir, 'missing'))), /cannot read .*train\.x.*ENOENT/);
});

test('readFann reads the truncated kmeans file up to its last complete pair', (t) => {
  const d = readFann(KMEANS_FANN, 6, 1);
  t.is(d.declaredCount, 4718592);
  t.true(d.truncated);
  t.is(d.x.length, 5907);
  t.is(d.y.length, 5907);
  t.deepEqual(Array.from(d.x[0]), [0.99609375, 0.99609375, 0.99609375, 0.840187728405, 0.394382923841, 0.783099234104]);
  t.is(d.y[0][0], 0.657061052951);
  t.is(d.y[5906][0], 0.996064997239);
  t.regex(errorText(t, () => readFann(KMEANS_FANN, 6, 2)), /aggregated\.fann:1:1: error: .*declares 6 -> 1 values per sample, expected 6 -> 2/);
});

test('readFann: complete files, every kind of truncation, and malformed pairs', (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'd.fann');
  const read = (text: string) => {
    fs.writeFileSync(file, text);
    const d = readFann(file, 2, 1);
    return { x: d.x.map((r) => Array.from(r)), y: d.y.map((r) => Array.from(r)), truncated: d.truncated };
  };
  const pairs = { x: [[1, 2], [3, 4]], y: [[5], [6]] };
  t.deepEqual(read('2 2 1\n1 2\n5\n3 4\n6\n'), { ...pairs, truncated: false });
  t.deepEqual(read('2 2 1\n1 2\n5\n3 4\n6\n9 9\n9\n'), { ...pairs, truncated: false }, 'pairs beyond the declared count are ignored');
  t.deepEqual(read('3 2 1\n1 2\n5\n3 4\n6\n'), { ...pairs, truncated: true }, 'fewer pairs than declared');
  t.deepEqual(read('3 2 1\n1 2\n5\n3 4\n6\n7 8\n'), { ...pairs, truncated: true }, 'an input line without its output');
  t.deepEqual(read('3 2 1\n1 2\n5\n3 4\n6\n7 8\n0.12'), { ...pairs, truncated: true }, 'a last line without its newline may be cut mid-number');
  t.deepEqual(read('3 2 1\n1 2\n5\n3 4\n6\n7'), { ...pairs, truncated: true }, 'an input line cut short');
  t.deepEqual(read('3 2 1\n1 2\n5\n3 4\n6\n7\n8\n'), { ...pairs, truncated: true }, 'a short last pair');
  fs.writeFileSync(file, '3 2 1\n1 2\n5\n3\n6\n7 8\n9\n');
  t.regex(errorText(t, () => readFann(file, 2, 1)), /d\.fann:4:1: error: sample has 1 value, the program expects 2/);
  fs.writeFileSync(file, '3 2\n1 2\n5\n');
  t.regex(errorText(t, () => readFann(file, 2, 1)), /d\.fann:1:1: error: .*FANN header/);
  fs.writeFileSync(file, '');
  t.regex(errorText(t, () => readFann(file, 2, 1)), /d\.fann: error: input has no samples/);
});

// ---- what the data do not exercise -------------------------------------------------------------------

test('jmeint: coplanar triangles are tested in their plane', (t) => {
  const out = new Float64Array(2);
  const run = (v: number[]) => {
    jmeint.exact(Float64Array.from(v), out);
    return out[0] === 0.8 && out[1] === 0.2 ? 'hit' : out[0] === 0.2 && out[1] === 0.8 ? 'miss' : 'bad';
  };
  const V = [0, 0, 0, 1, 0, 0, 0, 1, 0];
  t.is(run([...V, 0.5, 0.5, 0, 1.5, 0.5, 0, 0.5, 1.5, 0]), 'hit', 'overlapping edges');
  t.is(run([...V, 0.1, 0.1, 0, 0.3, 0.1, 0, 0.1, 0.3, 0]), 'hit', 'one inside the other');
  t.is(run([...V, 2, 2, 0, 3, 2, 0, 2, 3, 0]), 'miss', 'apart in the same plane');
  t.is(run([...V, 0.2, 0.2, -1, 0.2, 0.2, 1, 0.9, 0.9, 0]), 'hit', 'piercing');
  t.is(run([...V, 0.2, 0.2, 0.5, 0.4, 0.2, 1, 0.2, 0.6, 0.7]), 'miss', 'above the plane');
});

test('bessel: J_nu matches closed forms to 1e-14', (t) => {
  t.true(Math.abs(besselJ(0, 0) - 1) < 1e-14); // Gamma(1) via Stirling: ~2e-15 off
  t.is(besselJ(0.3, 0), 0);
  for (const x of [1e-3, 0.1, 0.5, 0.9999]) {
    t.true(Math.abs(besselJ(0.5, x) - Math.sqrt(2 / (Math.PI * x)) * Math.sin(x)) < 1e-14, `J_1/2(${x})`);
  }
  t.true(Math.abs(besselJ(0, 1) - 0.7651976865579666) < 1e-14); // J_0(1)
  t.true(Math.abs(besselJ(1, 1) - 0.44005058574493355) < 1e-14); // J_1(1)
});

test('jpeg: tables, and a flat block has only a DC term', (t) => {
  t.deepEqual(ZIGZAG.slice(0, 10), [0, 1, 8, 16, 9, 2, 3, 10, 17, 24]);
  t.deepEqual([...ZIGZAG].sort((a, b) => a - b), Array.from({ length: 64 }, (_, i) => i));
  t.is(ZIGZAG[63], 63);
  t.is(LUMINANCE_QUANT[0], 16);
  const out = new Float64Array(64);
  jpeg.exact(new Float64Array(64).fill(-32 / 256), out); // gray 96: DC = 8 * -32 = -256, / 16 = -16
  t.is(out[0] * 256, -16);
  t.true(out.subarray(1).every((v) => v === 0));
});

test('libm emulations: within an ulp of the correct values, and not correctly rounded where the data say so', (t) => {
  const ulp = (v: number) => Math.abs(f32(v) - f32(v * (1 + 2 ** -23)));
  let worst = 0;
  for (let i = -1000; i <= 1000; i++) {
    const x = f32(i / 1000);
    worst = Math.max(worst, Math.abs(acosf(x) - Math.acos(x)) / ulp(Math.acos(x) || 1), Math.abs(asinf(x) - Math.asin(x)) / ulp(Math.asin(x) || 1));
    const y = f32(0.001 + (i + 1000) * 0.05);
    worst = Math.max(worst, Math.abs(logf(y) - Math.log(y)) / ulp(Math.log(y) || 1));
  }
  t.true(worst < 1.5, `worst error ${worst} ulp`);
  t.is(acosf(1), 0);
  t.is(asinf(1), f32(Math.PI / 2));
  t.true(Number.isNaN(acosf(1.5)) && Number.isNaN(asinf(-1.5)) && Number.isNaN(logf(-1)));
  t.is(logf(0), -Infinity);
  // blackscholes' log(S/K) for S = 50/120, K = 41.25/120: the C library returns the float below the
  // correctly rounded one, and the published prices depend on it.
  const ratio = f32(f32(50 / 120) / f32(41.25 / 120));
  t.is(logf(ratio), 0.19237181544303894);
  t.is(f32(Math.log(ratio)), 0.19237183034420013);
});
