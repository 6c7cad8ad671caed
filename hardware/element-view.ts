// What a datapath's widths do to capacity: values of a narrow format pack into the 32-bit words every capacity
// is given in, so the compiler and the machine see each memory in values of the format it holds.

import { MAX_BUFFER_WORDS, MAX_OCM_WORDS } from '../arch/limits.ts';
import { valuesPerWord } from '../ir/number-format.ts';
import { datapathOf, isFp32Datapath } from '../ir/datapath-spec.ts';
import type { Hardware } from './description.ts';

/** Values per word and bits per value of each role. */
export interface Packing {
  weights: number;
  activations: number;
  accumulator: number;
  weightBits: number;
  activationBits: number;
  accumulatorBits: number;
}

export function packingOf(hw: Hardware): Packing {
  const d = datapathOf(hw.datapath);
  return {
    weights: valuesPerWord(d.weights),
    activations: valuesPerWord(d.activations),
    accumulator: valuesPerWord(d.accumulator),
    weightBits: d.weights.bits,
    activationBits: d.activations.bits,
    accumulatorBits: d.accumulator.bits,
  };
}

const views = new WeakMap<Hardware, Hardware>();
/** Views are their own view: the compiler hands one to the code that times candidate placements. */
const isView = new WeakSet<Hardware>();

/**
 * The description with every capacity in values: weight buffers and DRAM in weights, input buffers and on-chip
 * memory in activations, output buffers in accumulator values (they hold partial sums), each bounded by what
 * an address field reaches. In fp32 it is the description itself.
 */
export function elementHardware(hw: Hardware): Hardware {
  if (isFp32Datapath(hw.datapath) || isView.has(hw)) return hw;
  let v = views.get(hw);
  if (!v) {
    const p = packingOf(hw);
    v = Object.freeze({
      ...hw,
      weightBufferWords: Math.min(hw.weightBufferWords * p.weights, MAX_BUFFER_WORDS),
      inputBufferWords: Math.min(hw.inputBufferWords * p.activations, MAX_BUFFER_WORDS),
      outputBufferWords: Math.min(hw.outputBufferWords * p.accumulator, MAX_BUFFER_WORDS),
      onChipMemoryWords: Math.min(hw.onChipMemoryWords * p.activations, MAX_OCM_WORDS),
      dramWords: Math.min(hw.dramWords * p.weights, 2 ** 32 - 1),
    });
    views.set(hw, v);
    isView.add(v);
  }
  return v;
}

/** A view with some fields changed (the tiles a candidate placement uses), still a view. */
export function changedView(view: Hardware, changes: Partial<Hardware>): Hardware {
  const v = Object.freeze({ ...view, ...changes });
  if (isView.has(view)) isView.add(v);
  return v;
}
