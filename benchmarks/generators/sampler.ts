// The shape every input generator has, and the small random helpers they share. All randomness comes
// from one SeededRandom stream (ir/seeded-random.ts), consumed sample by sample, so a data set of n
// samples is the first n samples of every longer one with the same seed.

import type { SeededRandom } from '../../ir/seeded-random.ts';

/** Writes one sample's inputs (inputWidth float32 values) into `out` at `at`. Stateful: call in order. */
export type NextSample = (out: Float32Array, at: number) => void;

export interface InputGenerator {
  /** The benchmark's name, as in benchmarks/registry.ts. */
  bench: string;
  inputWidth: number;
  /** One line: what is drawn, and from what. */
  description: string;
  /** A fresh sampler whose every draw comes from `rng`. */
  start(rng: SeededRandom): NextSample;
}

/** Uniform integer in [0, n), n <= 2^32 (multiply-shift: no modulo bias worth the name for small n). */
export function randomInt(rng: SeededRandom, n: number): number {
  return Math.floor(rng.next() * n);
}

/** Uniform integer in [lo, hi]. */
export function randomIntBetween(rng: SeededRandom, lo: number, hi: number): number {
  return lo + randomInt(rng, hi - lo + 1);
}

/** One element of `items`, uniformly. */
export function pick<T>(rng: SeededRandom, items: readonly T[]): T {
  return items[randomInt(rng, items.length)];
}

/** An element of `items` drawn with the given (unnormalised) weights. */
export function pickWeighted<T>(rng: SeededRandom, items: readonly (readonly [T, number])[]): T {
  let total = 0;
  for (const [, w] of items) total += w;
  let u = rng.next() * total;
  for (const [v, w] of items) {
    if (u < w) return v;
    u -= w;
  }
  return items[items.length - 1][0];
}

/** A standard normal deviate (Box-Muller, one deviate per pair of uniforms: simple and stateless). */
export function normal(rng: SeededRandom): number {
  const u = 1 - rng.next(); // (0, 1]: log is finite
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}
