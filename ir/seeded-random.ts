// Deterministic pseudo-random numbers (splitmix32) for seeded weight initialisation and generated inputs.

export class SeededRandom {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  /** Uniform integer in [0, 2^32). */
  nextUint32(): number {
    this.state = (this.state + 0x9e3779b9) >>> 0;
    let z = this.state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  }
  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }
}

/** Seeds are the generator's 32-bit state: whole numbers from 0 to MAX_SEED. */
export const MAX_SEED = 0xffffffff;

export function isSeed(n: number): boolean {
  return Number.isInteger(n) && n >= 0 && n <= MAX_SEED;
}

/** A seed written as decimal digits (no sign, exponent or spaces), or null: the one rule every `--seed` option reads by. */
export function parseSeed(text: string): number | null {
  return /^\d+$/.test(text) && isSeed(Number(text)) ? Number(text) : null;
}
