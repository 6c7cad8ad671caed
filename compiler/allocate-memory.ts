// Pass: allocation. Lays out the DRAM weight image (each op's rows, contiguous) and each op's input
// buffer (layer input at @0, control slice right after), and checks the buffers and DRAM fit the NPU (on-chip
// memory is the batch pass's to check).

import { DIAG } from '../diagnostics/catalog.ts';
import { fail } from '../diagnostics/diagnostic.ts';
import type { Hardware } from '../hardware/description.ts';
import type { Region } from '../isa/container.ts';
import type { AllocatedModel, BatchedModel } from './lowered-ir.ts';
import { roundToGrid } from '../ir/number-format.ts';
import type { NumericsPlan } from '../ir/numerics-plan.ts';
import { biasApart, fanInChunks } from './fan-in-chunks.ts';

export function allocateMemory(s: BatchedModel, hw: Hardware, numerics: NumericsPlan | null = null): AllocatedModel {
  // A neuron computed at once reads its control slice beside its inputs; one summed in chunks reads it in
  // `fin`, after the last chunk's inputs are spent, so it is loaded over them at @0.
  const controlSlot: number[] = [];
  s.ops.forEach((op, i) => {
    const widestPiece = Math.max(...s.chunks[i].flatMap((c) => c.pieces.map((p) => p.count)));
    const chunk = s.fanInChunk[i];
    const controls = op.control ? widestPiece : 0;
    const need = chunk === null ? op.fanIn + controls : Math.max(chunk, controls);
    if (need > hw.inputBufferWords)
      fail(DIAG.inputBufferTooSmall, op.loc, op.name, need, chunk ?? op.fanIn, op.control ? widestPiece : null, hw.inputBufferWords);
    controlSlot.push(chunk === null ? op.fanIn : 0);
  });

  const dramBase: number[] = [];
  const dramRegions: Region[] = [];
  let next = 0;
  for (const op of s.ops) {
    dramBase.push(next);
    dramRegions.push({ name: op.name, kind: 'weights', space: 'dram', addr: next, len: op.rows.length });
    next += op.rows.length;
  }
  if (next > hw.dramWords) fail(DIAG.dramTooSmall, s.model.loc ?? s.model.sourceFile, next, hw.dramWords);
  const dram = numerics ? new Float64Array(next) : new Float32Array(next);
  const shadowDram = numerics ? new Float32Array(next) : null;
  s.ops.forEach((op, i) => {
    const chunk = s.fanInChunk[i];
    const rows = chunk === null ? op.rows : chunkMajorRows(op.rows, op.width, op.fanIn, chunk, biasApart(hw));
    if (!numerics) return dram.set(rows, dramBase[i]);
    shadowDram!.set(rows, dramBase[i]);
    // Weights and biases are stored on their layer's grid, rounded once from the model's float32 values.
    const g = numerics.layers[op.layer].grids.weights;
    for (let j = 0; j < rows.length; j++) dram[dramBase[i] + j] = roundToGrid(g, rows[j]);
  });
  return { ...s, dramBase, dram, shadowDram, numerics, controlSlot, dramRegions };
}

/**
 * The weight image of an op summed in fan-in chunks: chunk by chunk, each neuron's weights of that chunk
 * (and, in the last chunk, its bias after them), so that one `ldw` loads a chunk's rows for a run of neurons.
 * Row r of chunk [start, end) is at (words of the earlier chunks) + r × (end − start, + 1 in the last chunk).
 * With `biasApart` no chunk holds a bias; the biases follow the last chunk, one word per neuron.
 */
function chunkMajorRows(rows: Float32Array, width: number, fanIn: number, chunk: number, apart: boolean): Float32Array {
  const out = new Float32Array(rows.length);
  let at = 0;
  const chunks = fanInChunks(fanIn, chunk);
  chunks.forEach(({ start, end }, c) => {
    const last = c === chunks.length - 1 && !apart;
    for (let r = 0; r < width; r++) {
      const row = r * (fanIn + 1);
      out.set(rows.subarray(row + start, row + end), at);
      at += end - start;
      if (last) out[at++] = rows[row + fanIn];
    }
  });
  if (apart) for (let r = 0; r < width; r++) out[at++] = rows[r * (fanIn + 1) + fanIn];
  return out;
}
