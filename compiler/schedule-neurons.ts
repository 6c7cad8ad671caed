// Pass: scheduling. Splits each op into chunks of at most (tiles × PEs) neurons and places them on PEs:
// static keeps every weight row resident (packed to balance the weight buffers), dynamic reloads each
// chunk's rows into PE 0.. just before it runs. `auto` picks static whenever it fits.

import { DIAG } from '../diagnostics/catalog.ts';
import { fail } from '../diagnostics/diagnostic.ts';
import { totalPes, type Hardware } from '../hardware/description.ts';
import type { Chunk, FusedModel, NeuronOp, Piece, ScheduledModel } from './lowered-ir.ts';

export type ScheduleMode = 'auto' | 'static' | 'dynamic';

function chunkRanges(op: NeuronOp, pes: number): { first: number; count: number }[] {
  const out = [];
  for (let first = 0; first < op.width; first += pes) out.push({ first, count: Math.min(pes, op.width - first) });
  return out;
}

/** Cuts the global PE range [start, start + count) at tile boundaries. */
function piecesAt(hw: Hardware, start: number, first: number, count: number, wbufOf: (from: number, to: number) => number): Piece[] {
  const pieces: Piece[] = [];
  let g = start;
  let neuron = first;
  const end = start + count;
  while (g < end) {
    const tile = Math.floor(g / hw.pesPerTile);
    const pe = g % hw.pesPerTile;
    const n = Math.min(hw.pesPerTile - pe, end - g);
    pieces.push({ tile, pe, count: n, first: neuron, wbuf: wbufOf(g, g + n) });
    g += n;
    neuron += n;
  }
  return pieces;
}

/** Start of the window of `n` PEs whose busiest PE is least used (sliding-window maximum, ties to the lowest start). */
function leastLoadedWindow(usage: Int32Array, n: number): number {
  const deque = new Int32Array(usage.length);
  let head = 0;
  let tail = 0;
  let best = 0;
  let bestCost = Infinity;
  for (let i = 0; i < usage.length; i++) {
    while (tail > head && usage[deque[tail - 1]] <= usage[i]) tail--;
    deque[tail++] = i;
    if (deque[head] <= i - n) head++;
    if (i >= n - 1) {
      const cost = usage[deque[head]];
      if (cost < bestCost) {
        bestCost = cost;
        best = i - n + 1;
      }
    }
  }
  return best;
}

function placeStatic(f: FusedModel, hw: Hardware): { chunks: Chunk[][]; peak: number } {
  const usage = new Int32Array(totalPes(hw));
  const chunks = f.ops.map((op) =>
    chunkRanges(op, usage.length).map(({ first, count }) => {
      const start = leastLoadedWindow(usage, count);
      const row = op.fanIn + 1;
      const pieces = piecesAt(hw, start, first, count, (from, to) => {
        let wbuf = 0;
        for (let g = from; g < to; g++) wbuf = Math.max(wbuf, usage[g]);
        for (let g = from; g < to; g++) usage[g] = wbuf + row;
        return wbuf;
      });
      return { first, count, pieces };
    }),
  );
  return { chunks, peak: usage.reduce((a, b) => Math.max(a, b), 0) };
}

function placeDynamic(f: FusedModel, hw: Hardware): Chunk[][] {
  return f.ops.map((op) => chunkRanges(op, totalPes(hw)).map(({ first, count }) => ({ first, count, pieces: piecesAt(hw, 0, first, count, () => 0) })));
}

export function scheduleNeurons(f: FusedModel, hw: Hardware, mode: ScheduleMode): ScheduledModel {
  const widest = f.ops.reduce((a, op) => (op.fanIn + 1 > a.fanIn + 1 ? op : a), f.ops[0]);
  if (widest.fanIn + 1 > hw.weightBufferWords)
    fail(DIAG.cannotSchedule, widest.loc, `'${widest.name}' has fan-in ${widest.fanIn}, so each of its neurons needs ${widest.fanIn + 1} weight words, but a PE's weight buffer holds ${hw.weightBufferWords}`);
  const pes = totalPes(hw);
  const weightWords = f.ops.reduce((s, op) => s + op.rows.length, 0);
  if (mode !== 'dynamic') {
    const placed = placeStatic(f, hw);
    if (placed.peak <= hw.weightBufferWords) {
      const reason = `${weightWords} weight words resident on ${pes} PEs; busiest PE uses ${placed.peak} of ${hw.weightBufferWords}`;
      return { ...f, schedule: 'static', reason: mode === 'auto' ? `auto: fits, ${reason}` : reason, chunks: placed.chunks, peakWeightWords: placed.peak };
    }
    const why = `the model's ${weightWords} weight words need ${placed.peak} words on the busiest of ${pes} PEs, but each PE's weight buffer holds ${hw.weightBufferWords}`;
    if (mode === 'static') fail(DIAG.staticDoesNotFit, f.model.loc ?? f.model.sourceFile, why);
    const chunks = placeDynamic(f, hw);
    return { ...f, schedule: 'dynamic', reason: `auto: static does not fit (${why})`, chunks, peakWeightWords: widest.fanIn + 1 };
  }
  return { ...f, schedule: 'dynamic', reason: 'requested dynamic: weights reloaded layer by layer every sample', chunks: placeDynamic(f, hw), peakWeightWords: widest.fanIn + 1 };
}
