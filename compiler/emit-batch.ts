// Emission of a batch loop (a dynamic schedule with batch > 1): B samples in, then each op's weights loaded
// once per chunk and run over every sample that needs them, the decisions, the CPU's share, the approximator
// for the samples the NPU keeps, and the results out. Each sample's stretch of code sits behind a `skip`
// on its slot, so an absent sample (the input ran out) or one sent to the CPU costs only the guard.

import { activationCode } from '../ir/numerics.ts';
import type { SkipCondition } from '../isa/table.ts';
import type { AllocatedModel, Piece } from './lowered-ir.ts';
import { biasApart, fanInChunks } from './fan-in-chunks.ts';
import { guardFor, STAGE, stageOf, type Emitter } from './emitter.ts';

/** What each tile's input buffer holds, by word range, so a sample's inputs already there are not moved again. */
class HeldInputs {
  private readonly held: { from: number; to: number; key: string }[][];
  constructor(tiles: number) {
    this.held = Array.from({ length: tiles }, () => []);
  }
  /** Whether [at, at + len) of the tile holds `key`; if not, records that it will (dropping what it overlaps). */
  take(tile: number, at: number, len: number, key: string): boolean {
    const list = this.held[tile];
    if (list.some((h) => h.from === at && h.to === at + len && h.key === key)) return true;
    this.held[tile] = list.filter((h) => h.to <= at || at + len <= h.from);
    this.held[tile].push({ from: at, to: at + len, key });
    return false;
  }
}

/**
 * One op over the batch. Samples take turns at the tile buffers: sample b's inputs (and control slice) go to
 * input-buffer lane b mod (lanes that fit), its results or partial sums to output-buffer lane b mod (lanes that
 * fit), so one sample's transfers overlap another's computation. An op summed in fan-in chunks holds every
 * sample's partial sums at once: a batch larger than the output-buffer lanes runs in sub-batches, each loading
 * the weights again.
 */
function emitBatchedOp(e: Emitter, a: AllocatedModel, i: number, when: SkipCondition, held: HeldInputs): void {
  const op = a.ops[i];
  const hw = e.hw;
  const { compute, store } = stageOf(op);
  const B = a.batch;
  const S = a.slotStride;
  const chunkWords = a.fanInChunk[i];
  const ranges = chunkWords === null ? [{ start: 0, end: op.fanIn }] : fanInChunks(op.fanIn, chunkWords);
  const inputLen = ranges[0].end - ranges[0].start;
  // Dynamic pieces start at PE 0 of their tile; the widest sets the output-buffer lane.
  const width = Math.max(...a.chunks[i].flatMap((c) => c.pieces.map((p) => p.count)));
  // A neuron computed at once reads its control slice beside its inputs; one summed in chunks, in `fin`, over them.
  const controls = op.control ? width : 0;
  const span = chunkWords === null ? inputLen + controls : Math.max(inputLen, controls);
  const ibLanes = Math.max(1, Math.min(B, Math.floor(hw.inputBufferWords / span)));
  const obLanes = Math.max(1, Math.min(B, Math.floor(hw.outputBufferWords / width)));
  const ctl = op.control ? 1 : 0;
  const act = activationCode(op.activation);
  const guard = (b: number, stage: number) => guardFor(when, b, stage);
  const loadInput = (tile: number, b: number, at: number, start: number, end: number) => {
    if (!held.take(tile, at, end - start, `${op.input.name}:${b}:${start}:${end}`)) e.emit('ldi', compute, { tile, ibuf: at, ocm: op.input.addr + b * S + start, len: end - start }, op.loc);
  };
  const loadControl = (tile: number, b: number, at: number, first: number, count: number) => {
    if (!held.take(tile, at, count, `${op.control!.name}:${b}:${first}`)) e.emit('ldi', compute, { tile, ibuf: at, ocm: op.control!.addr + b * S + first, len: count }, op.loc);
  };
  const deferStores = (b: number, olane: number, pieces: Piece[]) => {
    for (const p of pieces) {
      const obuf = olane * width + p.pe;
      e.deferStore(p.tile, obuf, obuf + p.count, () => e.emit('sto', store, { tile: p.tile, obuf, ocm: op.output.addr + b * S + p.first, len: p.count }, op.loc), guard(b, store));
    }
  };
  // Before a sample's code writes an output-buffer lane, the stores still reading it go out, outside any guard.
  const freeLane = (olane: number, pieces: Piece[]) => {
    for (const p of pieces) e.flushStores(p.tile, olane * width + p.pe, olane * width + p.pe + p.count);
  };

  for (const chunk of a.chunks[i]) {
    if (chunkWords === null) {
      const row = op.fanIn + 1;
      for (const p of chunk.pieces) e.emit('ldw', compute, { tile: p.tile, pe: p.pe, count: p.count, wbuf: p.wbuf, dram: a.dramBase[i] + p.first * row, row }, op.loc);
      for (let b = 0; b < B; b++) {
        const lane = (b % ibLanes) * span;
        const olane = b % obLanes;
        freeLane(olane, chunk.pieces);
        e.guarded(guard(b, compute), () => {
          for (const p of chunk.pieces) {
            loadInput(p.tile, b, lane, 0, op.fanIn);
            if (op.control) loadControl(p.tile, b, lane + inputLen, p.first, p.count);
            e.emit('neu', compute, { tile: p.tile, pe: p.pe, count: p.count, ibuf: lane, len: op.fanIn, wbuf: p.wbuf, act, ctl, cbuf: op.control ? lane + inputLen : 0, obuf: olane * width + p.pe, q: e.layerOf(op.layer) }, op.loc);
          }
        });
        deferStores(b, olane, chunk.pieces);
      }
      continue;
    }
    const apart = biasApart(hw);
    const last = ranges[ranges.length - 1];
    const biasAt = apart ? 0 : last.end - last.start;
    for (let b0 = 0; b0 < B; b0 += obLanes) {
      const b1 = Math.min(B, b0 + obLanes);
      let dram = a.dramBase[i];
      ranges.forEach(({ start, end }, c) => {
        const row = end - start + (c === ranges.length - 1 && !apart ? 1 : 0);
        for (const p of chunk.pieces) e.emit('ldw', compute, { tile: p.tile, pe: p.pe, count: p.count, wbuf: p.wbuf, dram: dram + p.first * row, row }, op.loc);
        for (let b = b0; b < b1; b++) {
          const lane = (b % ibLanes) * span;
          if (c === 0) freeLane(b - b0, chunk.pieces);
          e.guarded(guard(b, compute), () => {
            for (const p of chunk.pieces) {
              loadInput(p.tile, b, lane, start, end);
              e.emit('mac', compute, { tile: p.tile, pe: p.pe, count: p.count, ibuf: lane, len: end - start, wbuf: p.wbuf, from: c === 0 ? 0 : 1, obuf: (b - b0) * width + p.pe, q: e.layerOf(op.layer) }, op.loc);
            }
          });
        }
        dram += op.width * row;
      });
      if (apart) for (const p of chunk.pieces) e.emit('ldw', compute, { tile: p.tile, pe: p.pe, count: p.count, wbuf: p.wbuf, dram: dram + p.first, row: 1 }, op.loc);
      for (let b = b0; b < b1; b++) {
        const lane = (b % ibLanes) * span;
        e.guarded(guard(b, compute), () => {
          for (const p of chunk.pieces) {
            if (op.control) loadControl(p.tile, b, lane, p.first, p.count);
            e.emit('fin', compute, { tile: p.tile, pe: p.pe, count: p.count, wbuf: p.wbuf + biasAt, act, ctl, cbuf: op.control ? lane : 0, obuf: (b - b0) * width + p.pe, q: e.layerOf(op.layer) }, op.loc);
          }
        });
        deferStores(b, b - b0, chunk.pieces);
      }
    }
  }
  if (store !== STAGE['store-predictions']) e.flushStores();
}

export function emitBatchLoop(e: Emitter, a: AllocatedModel): void {
  const m = a.model;
  const B = a.batch;
  const S = a.slotStride;
  const d = a.decision;
  const held = new HeldInputs(e.hw.tiles);
  e.label('batch');
  for (let b = 0; b < B; b++) e.emit('recv', STAGE.predict, { ocm: a.input.addr + b * S, len: a.input.len, slot: b }, m.loc);
  a.ops.forEach((op, i) => {
    if (op.subnet === 'predictor') emitBatchedOp(e, a, i, 'absent', held);
  });
  e.flushStores();
  const output = e.fresh('output');
  if (d) {
    for (let b = 0; b < B; b++) {
      e.guarded(guardFor('absent', b, STAGE.decide), () => {
        // The decision is kept for the slot's guards: there is nothing to branch to yet.
        const decided = e.fresh(`s${b}.decided`);
        const at = d.at.addr + b * S;
        if (d.kind === 'sigmoid') e.emit('decs', STAGE.decide, { ocm: at, threshold: Math.fround(d.threshold), target: decided, slot: b }, d.loc);
        else e.emit('decm', STAGE.decide, { ocm: at, safe: d.safeIndex, threshold: Math.fround(d.threshold), target: decided, slot: b, q: e.layerOf(d.layer) }, d.loc);
        e.label(decided);
      });
    }
    // The CPU starts on its samples at once, while the NPU runs the approximator for the others.
    for (let b = 0; b < B; b++) e.guarded(guardFor('npu', b, STAGE.decide), () => e.emit('cpu', STAGE.decide, { slot: b }, d.loc));
    const none = guardFor('none', 0, STAGE.decide);
    e.emit('skip', STAGE.decide, { when: none.when, slot: 0, target: output }, d.loc);
  }
  const when: SkipCondition = d ? 'cpu' : 'absent';
  a.ops.forEach((op, i) => {
    if (op.subnet === 'approximator') emitBatchedOp(e, a, i, when, held);
  });
  e.flushStores();
  e.label(output);
  const loc = a.ops[a.ops.length - 1].loc;
  for (let b = 0; b < B; b++) e.guarded(guardFor(when, b, STAGE.output), () => e.emit('send', STAGE.output, { ocm: a.output.addr + b * S, len: a.output.len, slot: b }, loc));
  e.emit('jmp', STAGE.output, { target: 'batch' });
}
