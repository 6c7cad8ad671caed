// Tests of benchmarks/generators/: every generator is deterministic per (bench, n, seed), its outputs are
// the exact function's, and its inputs are distributed like the real AxBench data (read in place from
// ../shared/data/axbench; missing data fails), in ways uniform noise would not be.

import test from 'ava';
import { f32 } from '../benchmarks/float32.ts';
import { OPTIONS } from '../benchmarks/generators/blackscholes.ts';
import { LOG2_N } from '../benchmarks/generators/fft.ts';
import { GENERATORS, generateDataset } from '../benchmarks/generators/generate.ts';
import { BENCHMARKS, findBenchmark } from '../benchmarks/registry.ts';
import type { Dataset } from '../benchmarks/dataset.ts';
import { AxcError } from '../diagnostics/diagnostic.ts';
import { readAxbenchSamples } from './support/axbench-data.ts';


const bytes = (d: Dataset) => Buffer.concat([Buffer.from(d.x.buffer, d.x.byteOffset, d.x.byteLength), Buffer.from(d.y.buffer, d.y.byteOffset, d.y.byteLength)]);
const row = (d: Dataset, i: number) => d.x.subarray(i * d.inputWidth, (i + 1) * d.inputWidth);
const fraction = (n: number, pred: (i: number) => boolean) => {
  let k = 0;
  for (let i = 0; i < n; i++) if (pred(i)) k++;
  return k / n;
};
const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1];

// ---- per benchmark: registry coverage, determinism, shapes, y = exact(x) ------------------------------

test('there is one generator per benchmark, with its input width', (t) => {
  t.deepEqual(GENERATORS.map((g) => g.bench), BENCHMARKS.map((b) => b.name));
  for (const g of GENERATORS) t.is(g.inputWidth, findBenchmark(g.bench)!.inputWidth);
});

for (const b of BENCHMARKS) {
  const n = b.name === 'jpeg' ? 300 : 600;
  test(`${b.name}: deterministic per seed, the right shapes, y = float32(exact(x)) for every sample`, (t) => {
    const d = generateDataset(b.name, n, 7);
    t.like(d, { bench: b.name, n, inputWidth: b.inputWidth, outputWidth: b.outputWidth });
    t.is(d.x.length, n * b.inputWidth);
    t.is(d.y.length, n * b.outputWidth);
    t.true(bytes(d).equals(bytes(generateDataset(b.name, n, 7))), 'same seed, same bytes');
    t.false(bytes(d).subarray(0, d.x.byteLength).equals(bytes(generateDataset(b.name, n, 8)).subarray(0, d.x.byteLength)), 'another seed, other inputs');
    // a shorter data set is the start of a longer one
    t.true(bytes(generateDataset(b.name, 5, 7)).subarray(0, 5 * b.inputWidth * 4).equals(bytes(d).subarray(0, 5 * b.inputWidth * 4)));
    const out = new Float64Array(b.outputWidth);
    let bad = 0;
    for (let i = 0; i < n; i++) {
      const x = row(d, i);
      t.true(x.every(Number.isFinite));
      b.exact(x, out);
      for (let j = 0; j < b.outputWidth; j++) if (!Object.is(d.y[i * b.outputWidth + j], f32(out[j]))) bad++;
    }
    t.is(bad, 0, 'outputs differing from exact(x)');
  });
}

test('bad arguments are AxcErrors with their codes', (t) => {
  const code = (f: () => unknown) => (t.throws(f, { instanceOf: AxcError }) as AxcError).diagnostics[0].code;
  t.is(code(() => generateDataset('sobl', 10, 1)), 'AXD901');
  t.regex((t.throws(() => generateDataset('sobl', 10, 1)) as Error).message, /known benchmarks: sobel, inversek2j/);
  t.is(code(() => generateDataset('sobel', 0, 1)), 'AXD902');
  t.is(code(() => generateDataset('sobel', 2.5, 1)), 'AXD902');
  t.is(code(() => generateDataset('sobel', 1e7 + 1, 1)), 'AXD902');
  t.is(code(() => generateDataset('sobel', 10, -1)), 'AXD903');
  t.is(code(() => generateDataset('sobel', 10, 2 ** 32)), 'AXD903');
});

// ---- distributions, against the real data ---------------------------------------------------------------

test('sobel: windows look like natural images (smooth, some edges), in the ballpark of the data', (t) => {
  const d = generateDataset('sobel', 20000, 1);
  const r = readAxbenchSamples('sobel');
  const range = (w: ArrayLike<number>) => Math.max(...Array.from(w)) - Math.min(...Array.from(w));
  const stats = (n: number, win: (i: number) => ArrayLike<number>, y: (i: number) => number) => ({
    flat: fraction(n, (i) => range(win(i)) < 1 / 256),
    smooth: fraction(n, (i) => range(win(i)) < 8 / 256),
    edge: fraction(n, (i) => y(i) > 0.1),
    medianY: median(Array.from({ length: n }, (_, i) => y(i))),
  });
  const gen = stats(d.n, (i) => row(d, i), (i) => d.y[i]);
  const dat = stats(r.x.length, (i) => r.x[i], (i) => r.y[i][0]);
  t.log(`synthetic ${JSON.stringify(gen)}`);
  t.log(`data      ${JSON.stringify(dat)}`);
  // Uniform noise gives smooth ~0, edge ~0.97, median output ~0.7 (clipped): every bound below fails for it.
  t.true(Math.abs(gen.smooth - dat.smooth) <= 0.25, 'windows with max - min < 8/256: within 0.25 of the data');
  t.true(gen.edge >= dat.edge / 3 && gen.edge <= dat.edge * 3, 'windows with gradient magnitude > 0.1: within a factor 3 of the data');
  t.true(gen.medianY >= dat.medianY / 2 && gen.medianY <= dat.medianY * 2, 'median gradient magnitude: within a factor 2 of the data');
  // Exactly flat windows (all 9 pixels within 1/256) are rare in the data (0.01%: sensor noise); here
  // they come only from clipped highlights.
  t.true(dat.flat < 0.01 && gen.flat <= 0.1, 'flat windows are rare (<= 10%)');
});

test('jpeg: values on the 1/256 grid within the data range, blocks structured like the data', (t) => {
  const d = generateDataset('jpeg', 1000, 1);
  const r = readAxbenchSamples('jpeg');
  let lo = Infinity;
  let hi = -Infinity;
  for (const xi of r.x) for (const v of xi) (lo = Math.min(lo, v)), (hi = Math.max(hi, v));
  t.deepEqual([lo, hi], [-0.5, 127 / 256]);
  t.true(d.x.every((v) => Number.isInteger(v * 256) && v >= lo && v <= hi));
  const range = (b: ArrayLike<number>) => (Math.max(...Array.from(b)) - Math.min(...Array.from(b))) * 256;
  const gen = median(Array.from({ length: d.n }, (_, i) => range(row(d, i))));
  const dat = median(r.x.map(range));
  t.log(`median block range (gray levels): synthetic ${gen}, data ${dat}`);
  t.true(gen >= dat / 3 && gen <= dat * 3, 'median max - min of a block within a factor 3 of the data (uniform noise: ~250)');
});

test('kmeans: pixels on the 1/256 grid, each paired with 6 centroids uniform in [0, 1)^3', (t) => {
  const d = generateDataset('kmeans', 6000, 1);
  const r = readAxbenchSamples('kmeans');
  t.true(r.x.every((x) => x.slice(0, 3).every((v) => Number.isInteger(v * 256) && v <= 255 / 256)));
  t.is(new Set(r.x.map((x) => x.slice(3).join())).size, 6, 'the data use 6 centroids');
  for (let i = 0; i < d.n; i++) {
    const x = row(d, i);
    for (let c = 0; c < 3; c++) {
      t.true(Number.isInteger(x[c] * 256) && x[c] >= 0 && x[c] <= 255 / 256);
      t.true(x[3 + c] >= 0 && x[3 + c] < 1);
      if (i % 6) t.is(x[c], d.x[(i - 1) * 6 + c], 'six consecutive samples share a pixel');
    }
  }
  // 8 images, 8 x 6 centroids: their coordinates average 1/2 (sd 0.024)
  const many = generateDataset('kmeans', 8 * 1024 * 6, 2);
  const coords: number[] = [];
  for (let i = 0; i < many.n; i += 1024 * 6) for (let k = 0; k < 6; k++) coords.push(...row(many, i + k).subarray(3));
  t.is(new Set(coords).size, 8 * 6 * 3);
  const mean = coords.reduce((a, b) => a + b, 0) / coords.length;
  t.true(Math.abs(mean - 0.5) < 0.1, `centroid mean ${mean}`);
});

test('blackscholes: rows come from a small discrete set of options with the data parameter levels', (t) => {
  const d = generateDataset('blackscholes', 15000, 1);
  const r = readAxbenchSamples('blackscholes');
  const distinct = new Set(Array.from({ length: d.n }, (_, i) => row(d, i).join()));
  t.log(`distinct rows: synthetic ${distinct.size} of ${d.n} (set size ${OPTIONS}), data ${new Set(r.x.map((x) => x.join())).size} of ${r.x.length}`);
  t.true(distinct.size <= OPTIONS);
  for (let c = 0; c < 6; c++) {
    const levels = new Set(r.x.map((x) => f32(x[c])));
    t.true(Array.from({ length: d.n }, (_, i) => row(d, i)[c]).every((v) => levels.has(v)), `column ${c} uses only the data's levels`);
  }
});

test('fft: inputs are k/m for FFT stage spans m | 2^11, k < m/2, with the data zero rate', (t) => {
  const d = generateDataset('fft', 8000, 1);
  const N = 2 ** LOG2_N;
  t.true(d.x.every((v) => Number.isInteger(v * N) && v * N < N / 2 && v >= 0));
  const r = readAxbenchSamples('fft');
  t.true(r.x.every((x) => Number.isInteger(x[0] * N) && x[0] < 0.5), 'the data are multiples of 1/2048 below 1/2');
  const gen = fraction(d.n, (i) => d.x[i] === 0);
  const dat = fraction(r.x.length, (i) => r.x[i][0] === 0);
  t.log(`fraction of zeros: synthetic ${gen.toFixed(4)}, data ${dat.toFixed(4)}`);
  t.true(Math.abs(gen - dat) < 0.03);
});

test('bessel: nu and x on the 4-decimal grid of [0, 1)', (t) => {
  const d = generateDataset('bessel', 5000, 1);
  t.true(d.x.every((v) => v >= 0 && v < 1 && v === f32(Math.round(v * 1e4) / 1e4)));
  const mean = d.x.reduce((a, b) => a + b, 0) / d.x.length;
  t.true(Math.abs(mean - 0.5) < 0.02);
});

test('inversek2j: reachable points with joint angles uniform in [0, pi/2], as the data', (t) => {
  const d = generateDataset('inversek2j', 5000, 1);
  const r = readAxbenchSamples('inversek2j');
  const eps = 1e-6;
  for (const xs of [Array.from({ length: d.n }, (_, i) => [d.x[2 * i], d.x[2 * i + 1]]), r.x.map((x) => [x[0], x[1]])]) {
    t.true(xs.every(([x, y]) => x >= -0.5 - eps && x <= 1 + eps && y >= -eps && y <= 1 + eps && Math.hypot(x, y) >= Math.SQRT1_2 - eps && Math.hypot(x, y) <= 1 + eps));
  }
  const meanTheta = (j: number) => Array.from({ length: d.n }, (_, i) => d.y[2 * i + j]).reduce((a, b) => a + b, 0) / d.n;
  t.true(Math.abs(meanTheta(0) - Math.PI / 4) < 0.05 && Math.abs(meanTheta(1) - Math.PI / 4) < 0.05);
});

test('jmeint: coordinates in [0, 1), intersection rate within 15 points of the data', (t) => {
  const d = generateDataset('jmeint', 5000, 1);
  t.true(d.x.every((v) => v >= 0 && v < 1));
  const r = readAxbenchSamples('jmeint');
  const gen = fraction(d.n, (i) => d.y[2 * i] > 0.5);
  const dat = fraction(r.x.length, (i) => r.y[i][0] > 0.5);
  t.log(`intersecting: synthetic ${gen.toFixed(4)}, data ${dat.toFixed(4)}`);
  t.true(Math.abs(gen - dat) <= 0.15);
});
