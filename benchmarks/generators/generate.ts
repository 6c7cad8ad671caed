// Seeded, deterministic data sets for the AxBench benchmarks: inputs from the generators beside this
// file (same distributions as the real data, see README.md here), outputs from each benchmark's exact
// function. A data set depends only on (bench, n, seed); the first n samples of a longer one with the
// same bench and seed are the same (generation is sample by sample from one random stream).

import type { Benchmark } from '../benchmark.ts';
import type { Dataset } from '../dataset.ts';
import { f32 } from '../float32.ts';
import { BENCHMARKS, findBenchmark } from '../registry.ts';
import { DIAG } from '../../diagnostics/catalog.ts';
import { fail, fromCommandLine } from '../../diagnostics/diagnostic.ts';
import { fnv1a } from '../../ir/fnv1a.ts';
import { isSeed, SeededRandom } from '../../ir/seeded-random.ts';
import { besselInputs } from './bessel.ts';
import { blackscholesInputs } from './blackscholes.ts';
import { fftInputs } from './fft.ts';
import { inversek2jInputs } from './inversek2j.ts';
import { jmeintInputs } from './jmeint.ts';
import { jpegInputs } from './jpeg.ts';
import { kmeansInputs } from './kmeans.ts';
import type { InputGenerator } from './sampler.ts';
import { sobelInputs } from './sobel.ts';

/** Each benchmark's input sampler, in the order of BENCHMARKS. */
export const GENERATORS: readonly InputGenerator[] = [
  sobelInputs, inversek2jInputs, fftInputs, besselInputs, blackscholesInputs, jpegInputs, kmeansInputs, jmeintInputs,
];

/** The largest data set generateDataset and `axc data` make. */
export const MAX_SAMPLES = 10_000_000;

/** The benchmark and generator called `bench`, or an AXD901 error listing the known names. */
export function findGenerator(bench: string): { benchmark: Benchmark; generator: InputGenerator } {
  const benchmark = findBenchmark(bench);
  const generator = GENERATORS.find((g) => g.bench === bench);
  if (!benchmark || !generator) fail(fromCommandLine(DIAG.unknownBenchmark), undefined, bench, BENCHMARKS.map((b) => b.name).join(', '));
  return { benchmark, generator };
}

/**
 * The random stream of (bench, seed): the seed mixed with the name's FNV-1a hash (a different stream per
 * benchmark for the same seed) through a bijective 32-bit mixer.
 */
function streamFor(bench: string, seed: number): SeededRandom {
  let z = (seed ^ fnv1a(bench)) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x7feb352d) >>> 0;
  z = Math.imul(z ^ (z >>> 15), 0x846ca68b) >>> 0;
  return new SeededRandom((z ^ (z >>> 16)) >>> 0);
}

function checkCount(n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > MAX_SAMPLES) fail(DIAG.dataBadCount, undefined, String(n), MAX_SAMPLES);
}

function checkSeed(seed: number): void {
  if (!isSeed(seed)) fail(DIAG.dataBadSeed, undefined, String(seed));
}

/**
 * Yields the data set of (bench, n, seed) in consecutive parts of at most `chunk` samples (for writing
 * large data sets with flat memory). Concatenated, the parts are generateDataset(bench, n, seed).
 */
export function* generateChunks(bench: string, n: number, seed: number, chunk = 4096): Generator<Dataset> {
  const { benchmark, generator } = findGenerator(bench);
  checkCount(n);
  checkSeed(seed);
  const next = generator.start(streamFor(bench, seed));
  const inW = benchmark.inputWidth;
  const outW = benchmark.outputWidth;
  const out = new Float64Array(outW);
  for (let done = 0; done < n; ) {
    const size = Math.min(chunk, n - done);
    const x = new Float32Array(size * inW);
    const y = new Float32Array(size * outW);
    for (let i = 0; i < size; i++) {
      next(x, i * inW);
      benchmark.exact(x.subarray(i * inW, (i + 1) * inW), out);
      for (let j = 0; j < outW; j++) y[i * outW + j] = f32(out[j]);
    }
    done += size;
    yield { bench, n: size, inputWidth: inW, outputWidth: outW, x, y };
  }
}

/**
 * n samples of `bench` (1 <= n <= MAX_SAMPLES) from `seed` (an integer in [0, 2^32)): inputs drawn from
 * the benchmark's generator, y = exact(x) rounded to float32. The same arguments give the same bytes.
 * Bad arguments throw an AxcError (AXD901 unknown benchmark, AXD902 count, AXD903 seed).
 */
export function generateDataset(bench: string, n: number, seed: number): Dataset {
  const { benchmark } = findGenerator(bench);
  checkCount(n);
  const x = new Float32Array(n * benchmark.inputWidth);
  const y = new Float32Array(n * benchmark.outputWidth);
  let at = 0;
  for (const part of generateChunks(bench, n, seed, 65536)) {
    x.set(part.x, at * benchmark.inputWidth);
    y.set(part.y, at * benchmark.outputWidth);
    at += part.n;
  }
  return { bench, n, inputWidth: benchmark.inputWidth, outputWidth: benchmark.outputWidth, x, y };
}
