// The IR after each compiler pass: fused neuron ops with their on-chip addresses, then their
// placement on PEs (schedule), then their buffer and DRAM addresses (allocate).

import type { Activation, AxModel, SourceLoc } from '../ir/model.ts';
import type { Region } from '../isa/container.ts';
import type { NumericsPlan } from '../ir/numerics-plan.ts';

/** One dense computation the PEs perform: a layer, or one segment of the predictor's split output layer. */
export interface NeuronOp {
  name: string;
  subnet: 'predictor' | 'approximator';
  /** The hidden layers feed the next op; segments and the approximator's output are results. */
  role: 'hidden' | 'control' | 'decision' | 'output';
  fanIn: number;
  width: number;
  activation: Activation;
  /** The weight-buffer image, [width][fanIn + 1]: each neuron's weights, then its bias. */
  rows: Float32Array;
  input: Region;
  output: Region;
  /** The fused Hadamard gate: the control segment this op's activations are multiplied by. */
  control: Region | null;
  /** The model layer it computes (ir/numerics-plan.ts, modelLayers order), whose number formats it uses. */
  layer: number;
  loc?: SourceLoc;
}

/** `layer`: the predictor's output layer, whose grid the softmax margin is taken on. */
export type DecisionOp =
  | { kind: 'sigmoid'; threshold: number; at: Region; layer: number; loc?: SourceLoc }
  | { kind: 'softmax'; safeIndex: 0 | 1; threshold: number; at: Region; layer: number; loc?: SourceLoc };

export interface FusedModel {
  model: AxModel;
  /** In execution order: predictor ops (stage 1), then approximator ops (stage 4). */
  ops: NeuronOp[];
  /** On-chip memory map; P(x) and each control segment at fixed addresses. */
  regions: Region[];
  input: Region;
  output: Region;
  decision: DecisionOp | null;
}

/**
 * A run of neurons of one op on consecutive PEs of one tile, with the weight-buffer address of its rows:
 * the unit the emitter loads weights for and stores results from. (A static layout decides pieces before
 * their addresses: compiler/place-static.ts's UnstackedPiece.)
 */
export interface Piece {
  tile: number;
  pe: number;
  count: number;
  /** Index within the op of the piece's first neuron. */
  first: number;
  wbuf: number;
}

/**
 * Neurons [first, first + count) of one op computed at once (at most tiles × PEs), as the pieces they occupy:
 * one piece per tile, so a static chunk (one tile's PEs) is a single piece, a dynamic one spans tiles.
 */
export interface Chunk {
  first: number;
  count: number;
  pieces: Piece[];
}

export interface ScheduledModel extends FusedModel {
  schedule: 'static' | 'dynamic';
  /** Why this schedule was chosen, for dumps and reports. */
  reason: string;
  /** chunks[i] belongs to ops[i]. */
  chunks: Chunk[][];
  /**
   * fanInChunk[i]: null when ops[i]'s neurons are computed at once (one `neu` per piece: a neuron's weights
   * and inputs fit a PE and a tile); otherwise the fan-in words they take at a time, each neuron summed chunk
   * by chunk (`mac` per fan-in chunk, in order, then `fin`), in a dynamic schedule.
   */
  fanInChunk: (number | null)[];
  /** Highest weight-buffer word used on any PE. */
  peakWeightWords: number;
}

/**
 * A schedule with its batch: how many samples the program takes at once, and where each sample's regions of
 * on-chip memory lie. Slot b's copy of a region is at its address + b × slotStride. A static schedule, and
 * `--batch 1`, take one sample at a time (batch 1, slotStride 0).
 */
export interface BatchedModel extends ScheduledModel {
  batch: number;
  /** Why this batch, for `axc compile`'s explanation. */
  batchReason: string;
  slotStride: number;
}

export interface AllocatedModel extends BatchedModel {
  /** DRAM address of each op's rows. */
  dramBase: number[];
  /** The weight image: float32 in fp32; otherwise each value on its layer's weight grid. */
  dram: Float32Array | Float64Array;
  /** The numerics plan outside fp32 (null in fp32): each layer's grids, which the binary records. */
  numerics: NumericsPlan | null;
  /** Outside fp32, the image in the model's float32 weights, for shadow runs; null in fp32. */
  shadowDram: Float32Array | null;
  /** Input-buffer address of the control slice of each op (after its input). */
  controlSlot: number[];
  dramRegions: Region[];
}
