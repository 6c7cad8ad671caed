// Static placement: which tile and PEs each chunk of an op computes on (a layout: one unstacked piece per
// chunk), and stacking the layouts' weight rows into the PEs' weight buffers, for a schedule that keeps every weight resident.

import type { Hardware } from '../hardware/description.ts';
import type { Chunk, FusedModel, Piece } from './lowered-ir.ts';

/** A static chunk's one piece before stackWeights gives it a weight-buffer address: `count` neurons from `first`, on PEs pe.. of `tile`. */
export type UnstackedPiece = Omit<Piece, 'wbuf'>;

/** The machine a layout is made for; a layout made for a smaller machine runs unchanged on a larger one. */
export interface LayoutSize {
  tiles: number;
  pesPerTile: number;
}

/**
 * Lays out ops (by index) on a machine of `size`: each op is cut into chunks of at most one tile's PEs;
 * an op's chunks take distinct tiles, lowest first, up to `spread` tiles (so they compute in parallel),
 * then stack onto the tiles it already uses. Different ops start again from tile 0, so they share tiles
 * and input loads. Within a tile a chunk takes the first window of PEs holding the fewest of this
 * layout's weight words, and weight-buffer space is checked when the layouts are stacked. With
 * `balance`, each op instead starts on the tiles holding the fewest weight words, which fits the
 * largest models at the price of more input loads.
 */
export function layoutOps(f: FusedModel, ops: number[], size: LayoutSize, spread: number, balance = false): UnstackedPiece[][] {
  const words = new Float64Array(size.tiles * size.pesPerTile);
  const tileWords = (t: number) => {
    let w = 0;
    for (let p = 0; p < size.pesPerTile; p++) w += words[t * size.pesPerTile + p];
    return w;
  };
  return ops.map((i) => {
    const op = f.ops[i];
    const row = op.fanIn + 1;
    const order = Array.from({ length: size.tiles }, (_, t) => t);
    if (balance) order.sort((a, b) => tileWords(a) - tileWords(b) || a - b);
    const pieces: UnstackedPiece[] = [];
    const used: number[] = [];
    for (let first = 0; first < op.width; first += size.pesPerTile) {
      const count = Math.min(size.pesPerTile, op.width - first);
      const tile = used.length < Math.min(spread, size.tiles) ? order.find((t) => !used.includes(t))! : used[pieces.length % used.length];
      if (!used.includes(tile)) used.push(tile);
      let pe = 0;
      let least = Infinity;
      for (let p = 0; p + count <= size.pesPerTile; p++) {
        let m = 0;
        for (let k = 0; k < count; k++) m = Math.max(m, words[tile * size.pesPerTile + p + k]);
        if (m < least) {
          least = m;
          pe = p;
        }
      }
      for (let k = 0; k < count; k++) words[tile * size.pesPerTile + pe + k] += row;
      pieces.push({ tile, pe, count, first });
    }
    return pieces;
  });
}

/** Gives every chunk its weight-buffer offset, stacking rows in op order; fails if a weight buffer overflows. */
export function stackWeights(f: FusedModel, hw: Hardware, pieces: UnstackedPiece[][]): { chunks: Chunk[][]; peak: number } | { overflow: string; peak: number } {
  const usage = new Int32Array(hw.tiles * hw.pesPerTile);
  const chunks: Chunk[][] = [];
  for (let i = 0; i < f.ops.length; i++) {
    const op = f.ops[i];
    const row = op.fanIn + 1;
    chunks.push(
      pieces[i].map((s) => {
        const base = s.tile * hw.pesPerTile + s.pe;
        let wbuf = 0;
        for (let k = 0; k < s.count; k++) wbuf = Math.max(wbuf, usage[base + k]);
        for (let k = 0; k < s.count; k++) usage[base + k] = wbuf + row;
        return { first: s.first, count: s.count, pieces: [{ tile: s.tile, pe: s.pe, count: s.count, first: s.first, wbuf }] };
      }),
    );
  }
  const peak = usage.reduce((a, b) => Math.max(a, b), 0);
  if (peak > hw.weightBufferWords) {
    return { overflow: `the best placement found needs ${peak} words in its busiest PE's weight buffer, which holds ${hw.weightBufferWords}`, peak };
  }
  return { chunks, peak };
}
