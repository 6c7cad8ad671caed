// The NPU's architectural state: on-chip memory, DRAM, per-tile buffers, per-PE weight buffers,
// the program counter and the controller's per-sample registers. All typed arrays, allocated once.
// Time is not state here: the timing model observes the machine from outside (machine/timing-model.ts).

import type { Hardware } from '../hardware/description.ts';

/** Which path the controller takes after a decision: the predictor's, or one forced for every sample
 *  ('all': the approximator always runs; 'none': every sample goes to the CPU, for timing estimates). */
export type InvokeMode = 'model' | 'all' | 'none';

export class Machine {
  readonly hw: Hardware;
  readonly ocm: Float32Array;
  readonly dram: Float32Array;
  /** [tile][pe][word], flattened. */
  readonly wb: Float32Array;
  /** [tile][word], flattened. */
  readonly ib: Float32Array;
  readonly ob: Float32Array;
  readonly y: Float32Array;
  /** Each PE's partial-sum register, [tile][pe] flattened: a chunked neuron's sum between `mac` and `fin`. */
  readonly ps: Float32Array;
  readonly wbPerTile: number;
  readonly invoke: InvokeMode;

  pc = 0;
  instructions = 0;
  /** The sample waiting for the next `recv`, or null when the program must block there. */
  pending: Float32Array | null = null;
  /** Controller registers for the current sample. */
  p = 1;
  /** What the decision compared with its cut (P(x), or the softmax margin); +Infinity when none ran. */
  score = Infinity;
  predicted = true;
  invoked = false;
  fallback = false;

  constructor(hw: Hardware, dram: Float32Array, outputWidth: number, invoke: InvokeMode) {
    this.hw = hw;
    this.invoke = invoke;
    this.ocm = new Float32Array(hw.onChipMemoryWords);
    this.dram = dram;
    this.wbPerTile = hw.pesPerTile * hw.weightBufferWords;
    this.wb = new Float32Array(hw.tiles * this.wbPerTile);
    this.ib = new Float32Array(hw.tiles * hw.inputBufferWords);
    this.ob = new Float32Array(hw.tiles * hw.outputBufferWords);
    this.y = new Float32Array(outputWidth);
    this.ps = new Float32Array(hw.tiles * hw.pesPerTile);
  }

  resetSampleRegisters(): void {
    this.p = 1;
    this.score = Infinity;
    this.predicted = true;
    this.invoked = false;
    this.fallback = false;
  }
}
