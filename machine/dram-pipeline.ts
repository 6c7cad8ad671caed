// DRAM serves weight fetches in order, pipelined: a fetch's data arrives a latency after its request, and
// no sooner than one burst per dramBurstWords words after the previous fetch's data.

import type { Hardware } from '../hardware/description.ts';

export class DramPipeline {
  private readonly latency: number;
  private readonly burstWords: number;
  private readonly burstCycles: number;
  /** When DRAM finishes its latest fetch. */
  free = 0;

  constructor(hw: Hardware) {
    this.latency = hw.latency.dramLatencyCycles;
    this.burstWords = hw.latency.dramBurstWords;
    this.burstCycles = hw.latency.dramBurstCycles;
  }

  /** A fetch of `words` requested at cycle t; returns the cycle its last word arrives. */
  fetch(t: number, words: number): number {
    const start = t + this.latency > this.free ? t + this.latency : this.free;
    this.free = start + Math.ceil(words / this.burstWords) * this.burstCycles;
    return this.free;
  }
}
