// The AxBench target functions, by name.

import type { Benchmark } from './benchmark.ts';
import { bessel } from './bessel.ts';
import { blackscholes } from './blackscholes.ts';
import { fft } from './fft.ts';
import { inversek2j } from './inversek2j.ts';
import { jmeint } from './jmeint.ts';
import { jpeg } from './jpeg.ts';
import { kmeans } from './kmeans.ts';
import { sobel } from './sobel.ts';

export const BENCHMARKS: readonly Benchmark[] = [sobel, inversek2j, fft, bessel, blackscholes, jpeg, kmeans, jmeint];

/** The benchmark called `name` ('bessel', not its data folder 'bessel_Jnu'), or undefined. */
export function findBenchmark(name: string): Benchmark | undefined {
  return BENCHMARKS.find((b) => b.name === name);
}
