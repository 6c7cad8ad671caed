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

export type ScheduleMode = 'auto' | 'static' | 'dynamic';

function chunkRanges(op: NeuronOp, pes: number): { first: number; count: number }[] {
  const out = [];
  for (let first = 0; first < op.width; first += pes) out.push({ first, count: Math.min(pes, op.width - first) });
  return out;
}

/** A dynamic chunk on PEs 0.. (cut at tile boundaries), its rows loaded at weight-buffer address 0. */
function piecesFromPe0(hw: Hardware, first: number, count: number): Piece[] {
  const pieces: Piece[] = [];
  for (let g = 0; g < count; ) {
    const n = Math.min(hw.pesPerTile, count - g);
    pieces.push({ tile: Math.floor(g / hw.pesPerTile), pe: 0, count: n, first: first + g, wbuf: 0 });
    g += n;
  }
  return pieces;
}

function placeDynamic(f: FusedModel, hw: Hardware): Chunk[][] {
  return f.ops.map((op) => chunkRanges(op, totalPes(hw)).map(({ first, count }) => ({ first, count, pieces: piecesFromPe0(hw, first, count) })));
}

export function scheduleNeurons(f: FusedModel, hw: Hardware, mode: ScheduleMode): ScheduledModel {
  const widest = f.ops.reduce((a, op) => (op.fanIn + 1 > a.fanIn + 1 ? op : a), f.ops[0]);
  if (widest.fanIn + 1 > hw.weightBufferWords)
    fail(DIAG.weightBufferTooSmall, widest.loc, widest.name, widest.fanIn, hw.weightBufferWords);
  const pes = totalPes(hw);
  const weightWords = f.ops.reduce((s, op) => s + op.rows.length, 0);
  if (mode !== 'dynamic') {
    const tuned = tuneStaticPlacement(f, hw);
    if ('chunks' in tuned) {
      const reason = `${weightWords} weight words resident on ${pes} PEs; busiest PE uses ${tuned.peak} of ${hw.weightBufferWords}; ${tuned.why}`;
      return { ...f, schedule: 'static', reason: mode === 'auto' ? `auto: fits, ${reason}` : reason, chunks: tuned.chunks, peakWeightWords: tuned.peak };
    }
    const why = `the model's ${weightWords} weight words do not fit: ${tuned.overflow}`;
    if (mode === 'static') fail(DIAG.staticDoesNotFit, f.model.loc ?? f.model.sourceFile, why);
    const chunks = placeDynamic(f, hw);
    return { ...f, schedule: 'dynamic', reason: `auto: static does not fit (${why})`, chunks, peakWeightWords: widest.fanIn + 1 };
  }
  return { ...f, schedule: 'dynamic', reason: 'requested dynamic: weights reloaded layer by layer every sample', chunks: placeDynamic(f, hw), peakWeightWords: widest.fanIn + 1 };
}
