// How a neuron too wide for one PE is split: its fan-in chunks, in order, and where its bias goes.

import type { Hardware } from '../hardware/description.ts';

/** The fan-in chunks of an op's neurons, in order: [start, end) of each, the last ending at the fan-in. */
export function fanInChunks(fanIn: number, chunk: number): { start: number; end: number }[] {
  const out = [];
  for (let start = 0; start < fanIn; start += chunk) out.push({ start, end: Math.min(fanIn, start + chunk) });
  return out;
}

/** A one-word weight buffer cannot hold a weight and the bias at once: the bias is then loaded on its own,
 *  after the last chunk's multiply-adds, rather than after the last chunk's weights. */
export function biasApart(hw: Hardware): boolean {
  return hw.weightBufferWords < 2;
}
