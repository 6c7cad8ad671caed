// Pass: scheduling. Places each op's neurons on PEs: static keeps every weight row resident, dynamic
// reloads each chunk of at most (tiles × PEs) neurons into PE 0.. just before it runs. `auto` picks
// static whenever it fits.
//
// Static placement is chosen in compiler/tune-placement.ts (layouts in compiler/place-static.ts).

import { DIAG } from '../diagnostics/catalog.ts';
import { fail } from '../diagnostics/diagnostic.ts';
import { totalPes, type Hardware } from '../hardware/description.ts';
import type { Chunk, FusedModel, NeuronOp, Piece, ScheduledModel } from './lowered-ir.ts';
import { tuneStaticPlacement } from './tune-placement.ts';
import { biasApart } from './fan-in-chunks.ts';
import { packingOf } from '../hardware/element-view.ts';

/** The weights counted: in 32-bit words in fp32, and as values packed into words in a narrower format (the
 *  compiler's capacities are in values: hardware/element-view.ts). */
function weightsText(values: number, hw: Hardware): string {
  const pack = packingOf(hw).weights;
  return pack === 1 ? `${values} weight words` : `${values} weights (${Math.ceil(values / pack)} words packed)`;
}

export type ScheduleMode = 'auto' | 'static' | 'dynamic';

function chunkRanges(op: NeuronOp, pes: number): { first: number; count: number }[] {
  const out = [];
  for (let first = 0; first < op.width; first += pes) out.push({ first, count: Math.min(pes, op.width - first) });
  return out;
}

/**
 * Whether an op's neurons are computed at once (`neu`): a neuron's weights and bias fit a PE's weight buffer, and
 * its inputs, with a gated op's control slice beside them (one word per PE of a tile), a tile's input buffer.
 */
function computedAtOnce(op: NeuronOp, hw: Hardware): boolean {
  const controls = op.control ? Math.min(hw.pesPerTile, op.width) : 0;
  return op.fanIn + 1 <= hw.weightBufferWords && op.fanIn + controls <= hw.inputBufferWords;
}

/**
 * The PEs of a tile an op's dynamic pieces use: all of them, unless the op is summed in fan-in chunks and gated:
 * its control slice, loaded over the inputs once the last chunk's multiply-adds have read them, must fit the
 * input buffer on its own.
 */
function pieceWidth(op: NeuronOp, hw: Hardware): number {
  return op.control && !computedAtOnce(op, hw) ? Math.min(hw.pesPerTile, hw.inputBufferWords) : hw.pesPerTile;
}

/** A dynamic chunk on PEs 0.. of consecutive tiles, `width` of each, its rows loaded at weight-buffer address 0. */
function piecesFromPe0(width: number, first: number, count: number): Piece[] {
  const pieces: Piece[] = [];
  for (let g = 0; g < count; ) {
    const n = Math.min(width, count - g);
    pieces.push({ tile: Math.floor(g / width), pe: 0, count: n, first: first + g, wbuf: 0 });
    g += n;
  }
  return pieces;
}

function placeDynamic(f: FusedModel, hw: Hardware): Chunk[][] {
  return f.ops.map((op) => {
    const width = pieceWidth(op, hw);
    return chunkRanges(op, hw.tiles * width).map(({ first, count }) => ({ first, count, pieces: piecesFromPe0(width, first, count) }));
  });
}

/**
 * The fan-in words an op's neurons take at a time: null when they are computed at once; otherwise as many as a
 * PE's weight buffer holds (beside the last chunk's bias, unless it is loaded apart: compiler/fan-in-chunks.ts)
 * and a tile's input buffer holds. Any buffer of at least one word runs any op this way.
 */
function fanInChunkOf(op: NeuronOp, hw: Hardware): number | null {
  if (computedAtOnce(op, hw)) return null;
  return Math.min(hw.weightBufferWords - (biasApart(hw) ? 0 : 1), hw.inputBufferWords);
}

export function scheduleNeurons(f: FusedModel, hw: Hardware, mode: ScheduleMode): ScheduledModel {
  const fanInChunk = f.ops.map((op) => fanInChunkOf(op, hw));
  // The most weight words a dynamic schedule puts in a PE at once: a whole row, or a chunk (with its bias).
  const rowWords = (op: NeuronOp, i: number) => {
    const n = fanInChunk[i];
    return n === null ? op.fanIn + 1 : n + (biasApart(hw) ? 0 : 1);
  };
  const peakDynamic = Math.max(...f.ops.map(rowWords));
  const pes = totalPes(hw);
  const weightWords = f.ops.reduce((s, op) => s + op.rows.length, 0);
  // A neuron summed in chunks cannot keep its weights resident on one PE, and a narrowed piece leaves PEs of
  // a tile out of a static layout's reach: only a dynamic schedule runs either.
  const split = f.ops.findIndex((_, i) => fanInChunk[i] !== null);
  if (split >= 0) {
    const op = f.ops[split];
    const gated = op.control ? ` (with its control slice of ${Math.min(hw.pesPerTile, op.width)} words)` : '';
    const why = `'${op.name}' has fan-in ${op.fanIn}, more than one PE${gated} and tile hold at once, so its neurons are summed in chunks of ${fanInChunk[split]}`;
    if (mode === 'static') fail(DIAG.staticDoesNotFit, f.model.loc ?? f.model.sourceFile, why);
    const reason = mode === 'auto' ? `auto: static does not fit (${why})` : `requested dynamic: weights reloaded layer by layer every sample; ${why}`;
    return { ...f, schedule: 'dynamic', reason, chunks: placeDynamic(f, hw), fanInChunk, peakWeightWords: peakDynamic };
  }
  if (mode !== 'dynamic') {
    const tuned = tuneStaticPlacement(f, hw);
    if ('chunks' in tuned) {
      const reason = `${weightsText(weightWords, hw)} resident on ${pes} PEs; busiest PE uses ${tuned.peak} of ${hw.weightBufferWords}${packingOf(hw).weights > 1 ? ' weights' : ''}; ${tuned.why}`;
      return { ...f, schedule: 'static', reason: mode === 'auto' ? `auto: fits, ${reason}` : reason, chunks: tuned.chunks, fanInChunk, peakWeightWords: tuned.peak };
    }
    const why = `the model's ${weightsText(weightWords, hw)} do not fit: ${tuned.overflow}`;
    if (mode === 'static') fail(DIAG.staticDoesNotFit, f.model.loc ?? f.model.sourceFile, why);
    const chunks = placeDynamic(f, hw);
    return { ...f, schedule: 'dynamic', reason: `auto: static does not fit (${why})`, chunks, fanInChunk, peakWeightWords: peakDynamic };
  }
  return { ...f, schedule: 'dynamic', reason: 'requested dynamic: weights reloaded layer by layer every sample', chunks: placeDynamic(f, hw), fanInChunk, peakWeightWords: peakDynamic };
}
