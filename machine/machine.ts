// The NPU's architectural state: on-chip memory, DRAM, per-tile buffers, per-PE weight buffers,
// the program counter and the controller's per-sample registers. All typed arrays, allocated once.
// Time is not state here: the timing model observes the machine from outside (machine/timing-model.ts).

import type { Hardware } from '../hardware/description.ts';
import { elementHardware } from '../hardware/element-view.ts';
import type { LayerArithmetic } from '../ir/layer-arithmetic.ts';
import { machineArithmetic, type NumericsPlan } from '../ir/numerics-plan.ts';

/** A memory's words: float32 in fp32; binary64 outside it, which holds every grid's values exactly. */
export type Words = Float32Array | Float64Array;

/** Which path the controller takes after a decision: the predictor's, or one forced for every sample
 *  ('all': the approximator always runs; 'none': every sample goes to the CPU, for timing estimates). */
export type InvokeMode = 'model' | 'all' | 'none';

export class Machine {
  /** The hardware with its capacities in values (hardware/element-view.ts): what addresses count. */
  readonly hw: Hardware;
  readonly ocm: Words;
  readonly dram: Words;
  /** [tile][pe][word], flattened. */
  readonly wb: Words;
  /** [tile][word], flattened. */
  readonly ib: Words;
  readonly ob: Words;
  /** Outside fp32: the arithmetic of the samples' grid (q0) and of each layer (q1 ...), with their saturation
   *  counts; null in fp32, where ir/numerics.ts computes. */
  readonly numerics: LayerArithmetic[] | null;
  readonly invoke: InvokeMode;
  /** Samples the program takes at once (its recvs' sample slots); 1 for a program without batches. */
  readonly batch: number;
  readonly inputWidth: number;
  readonly outputWidth: number;

  pc = 0;
  instructions = 0;
  /** The sample waiting for the next `recv`, or null when the program must block there. */
  pending: Float32Array | null = null;
  /** The host has no more samples: a recv that finds none stops the program (slot 0) or leaves its slot absent. */
  inputEnded = false;
  /** Whether the latest recv took a sample (the timing model charges one that found none as a step). */
  received = false;
  /** Samples in the batch in hand; a recv into slot 0 waits (`batchComplete`) until the host has collected them. */
  filled = 0;
  batchComplete = false;

  /** Per sample slot, the controller's registers: */
  /** the slot holds a sample of this batch; */
  readonly present: Uint8Array;
  /** its P(x), and what the decision compared with its cut (P(x), or the softmax margin; +Infinity when none ran); */
  readonly p: Float64Array;
  readonly score: Float64Array;
  /** the predictor's decision, and the path taken (the decision, unless the invoke mode forces one); */
  readonly predicted: Uint8Array;
  readonly npuPath: Uint8Array;
  /** H(x) was sent, or the CPU was handed the sample; */
  readonly invoked: Uint8Array;
  readonly fallback: Uint8Array;
  /** [slot][word]: the sample as received, and the H(x) sent. */
  readonly x: Float32Array;
  readonly y: Float32Array;
  readonly wbPerTile: number;

  constructor(description: Hardware, dram: Words, widths: { input: number; output: number; batch: number }, invoke: InvokeMode, numerics: NumericsPlan | null = null) {
    const hw = elementHardware(description);
    this.hw = hw;
    this.invoke = invoke;
    this.numerics = numerics ? machineArithmetic(numerics) : null;
    const words = (n: number): Words => (numerics ? new Float64Array(n) : new Float32Array(n));
    this.ocm = words(hw.onChipMemoryWords);
    this.dram = dram;
    this.wbPerTile = hw.pesPerTile * hw.weightBufferWords;
    this.wb = words(hw.tiles * this.wbPerTile);
    this.ib = words(hw.tiles * hw.inputBufferWords);
    this.ob = words(hw.tiles * hw.outputBufferWords);
    this.batch = widths.batch;
    this.inputWidth = widths.input;
    this.outputWidth = widths.output;
    const b = widths.batch;
    this.present = new Uint8Array(b);
    this.p = new Float64Array(b);
    this.score = new Float64Array(b);
    this.predicted = new Uint8Array(b);
    this.npuPath = new Uint8Array(b);
    this.invoked = new Uint8Array(b);
    this.fallback = new Uint8Array(b);
    this.x = new Float32Array(b * widths.input);
    this.y = new Float32Array(b * widths.output);
  }

  /** A sample enters `slot`: its registers start as for a sample no decision has judged (it goes to the NPU). */
  startSample(slot: number): void {
    this.present[slot] = 1;
    this.p[slot] = 1;
    this.score[slot] = Infinity;
    this.predicted[slot] = 1;
    this.npuPath[slot] = 1;
    this.invoked[slot] = 0;
    this.fallback[slot] = 0;
    this.filled++;
  }

  /** The host has collected the batch: every slot is free for the next. */
  clearBatch(): void {
    this.present.fill(0);
    this.filled = 0;
    this.batchComplete = false;
  }
}
