// Pass: emission. Turns the allocated model into the instruction stream of the paper's five stages:
// predict (1), store the control vectors and P(x) (2), decide NPU or CPU (3), approximate (4), output (5).

import { findBenchmarkInfo } from '../benchmarks/catalog.ts';
import { MAX_NUMERIC_LAYERS } from '../arch/limits.ts';
import { DIAG } from '../diagnostics/catalog.ts';
import { fail } from '../diagnostics/diagnostic.ts';
import type { Binary } from '../isa/container.ts';
import { encodeProgram } from '../isa/encoding.ts';
import { verifyProgram } from '../isa/verify-program.ts';
import { activationCode } from '../ir/numerics.ts';
import type { Hardware } from '../hardware/description.ts';
import type { AllocatedModel, Piece } from './lowered-ir.ts';
import { biasApart, fanInChunks } from './fan-in-chunks.ts';
import { Emitter, STAGE, stageOf } from './emitter.ts';
import { emitBatchLoop } from './emit-batch.ts';

/**
 * An op whose neurons are summed in fan-in chunks (a dynamic schedule): for each chunk of neurons, for each
 * fan-in chunk in order, every piece loads that chunk's inputs and weights and multiplies-adds them into its
 * PEs' partial sums (`mac`); then each piece finishes its neurons (`fin`) and stores them.
 */
function emitChunkedOp(e: Emitter, a: AllocatedModel, i: number, chunkWords: number): void {
  const op = a.ops[i];
  const { compute, store } = stageOf(op);
  const ranges = fanInChunks(op.fanIn, chunkWords);
  const apart = biasApart(e.hw);
  // Where each PE's bias lies in its weight buffer: after the last chunk's weights, or alone at the chunk's address.
  const biasAt = apart ? 0 : ranges[ranges.length - 1].end - ranges[ranges.length - 1].start;
  const ctl = op.control ? 1 : 0;
  const cbuf = op.control ? a.controlSlot[i] : 0;
  for (const chunk of a.chunks[i]) {
    let dram = a.dramBase[i];
    ranges.forEach(({ start, end }, c) => {
      const row = end - start + (c === ranges.length - 1 && !apart ? 1 : 0);
      for (const p of chunk.pieces) {
        e.loadInput(op, p.tile, compute, start, end);
        // The partial sums take the output-buffer words a store may still be waiting to read.
        if (c === 0) e.flushStores(p.tile, p.pe, p.pe + p.count);
        e.emit('ldw', compute, { tile: p.tile, pe: p.pe, count: p.count, wbuf: p.wbuf, dram: dram + p.first * row, row }, op.loc);
        e.emit('mac', compute, { tile: p.tile, pe: p.pe, count: p.count, ibuf: 0, len: end - start, wbuf: p.wbuf, from: c === 0 ? 0 : 1, obuf: p.pe, q: e.layerOf(op.layer) }, op.loc);
      }
      dram += op.width * row;
    });
    for (const p of chunk.pieces) {
      if (apart) e.emit('ldw', compute, { tile: p.tile, pe: p.pe, count: p.count, wbuf: p.wbuf, dram: dram + p.first, row: 1 }, op.loc);
      // The control slice goes over the spent inputs (compiler/allocate-memory.ts).
      if (op.control) e.loadControl(p.tile, cbuf, op.control.addr + p.first, p.count, compute, op.loc);
      e.flushStores(p.tile, p.pe, p.pe + p.count);
      e.emit('fin', compute, { tile: p.tile, pe: p.pe, count: p.count, wbuf: p.wbuf + biasAt, act: activationCode(op.activation), ctl, cbuf, obuf: p.pe, q: e.layerOf(op.layer) }, op.loc);
    }
    for (const p of chunk.pieces) e.deferStore(p.tile, p.pe, p.pe + p.count, () => e.emit('sto', store, { tile: p.tile, obuf: p.pe, ocm: op.output.addr + p.first, len: p.count }, op.loc));
  }
  if (store !== STAGE['store-predictions']) e.flushStores();
}

function emitOp(e: Emitter, a: AllocatedModel, i: number): void {
  const chunkWords = a.fanInChunk[i];
  if (chunkWords !== null) return emitChunkedOp(e, a, i, chunkWords);
  const op = a.ops[i];
  const row = op.fanIn + 1;
  const { compute, store } = stageOf(op);
  const loadWeights = (p: Piece) => e.emit('ldw', compute, { tile: p.tile, pe: p.pe, count: p.count, wbuf: p.wbuf, dram: a.dramBase[i] + p.first * row, row }, op.loc);
  for (const chunk of a.chunks[i]) {
    if (a.schedule === 'dynamic') chunk.pieces.forEach(loadWeights);
    for (const p of chunk.pieces) {
      e.loadInput(op, p.tile, compute);
      if (op.control) e.emit('ldi', compute, { tile: p.tile, ibuf: a.controlSlot[i], ocm: op.control.addr + p.first, len: p.count }, op.loc);
      e.flushStores(p.tile, p.pe, p.pe + p.count);
      const ctl = op.control ? 1 : 0;
      const cbuf = op.control ? a.controlSlot[i] : 0;
      e.emit('neu', compute, { tile: p.tile, pe: p.pe, count: p.count, ibuf: 0, len: op.fanIn, wbuf: p.wbuf, act: activationCode(op.activation), ctl, cbuf, obuf: p.pe, q: e.layerOf(op.layer) }, op.loc);
    }
    // Stores wait, so the next tile's loads and computation are not held up behind them in the
    // in-order issue; a store is forced out only when a neu is about to overwrite its slots.
    for (const p of chunk.pieces) e.deferStore(p.tile, p.pe, p.pe + p.count, () => e.emit('sto', store, { tile: p.tile, obuf: p.pe, ocm: op.output.addr + p.first, len: p.count }, op.loc));
  }
  // The next op reads these results from on-chip memory; stage-2 stores wait for the end of stage 1.
  if (store !== STAGE['store-predictions']) e.flushStores();
}

/** One sample at a time: the predictor, a decision that branches to the CPU path, the approximator, the send. */
function emitSampleLoop(e: Emitter, a: AllocatedModel): void {
  const m = a.model;
  e.label('sample');
  e.emit('recv', STAGE.predict, { ocm: a.input.addr, len: a.input.len, slot: 0 }, m.loc);
  e.forgetInputs();
  a.ops.forEach((op, i) => {
    if (op.subnet === 'predictor') emitOp(e, a, i);
  });
  e.flushStores();
  const d = a.decision;
  if (d) {
    if (d.kind === 'sigmoid') e.emit('decs', STAGE.decide, { ocm: d.at.addr, threshold: Math.fround(d.threshold), target: 'cpu_fallback', slot: 0 }, d.loc);
    else e.emit('decm', STAGE.decide, { ocm: d.at.addr, safe: d.safeIndex, threshold: Math.fround(d.threshold), target: 'cpu_fallback', slot: 0, q: e.layerOf(d.layer) }, d.loc);
    // The approximator reloads its inputs rather than relying on what the predictor left in the tiles:
    // it costs a transfer at most once per tile, and it makes the approximator's timing independent of
    // the predictor's placement, which the placement tuner relies on (compiler/tune-placement.ts).
    e.forgetInputs();
  }
  a.ops.forEach((op, i) => {
    if (op.subnet === 'approximator') emitOp(e, a, i);
  });
  e.emit('send', STAGE.output, { ocm: a.output.addr, len: a.output.len, slot: 0 }, a.ops[a.ops.length - 1].loc);
  e.emit('jmp', STAGE.output, { target: 'sample' });
  if (d) {
    e.label('cpu_fallback');
    e.emit('cpu', STAGE.decide, { slot: 0 }, d.loc);
    e.emit('jmp', STAGE.decide, { target: 'sample' });
  }
}

/** The on-chip regions of every sample slot: slot 0's under their own names, slot b's as `name.sb`. */
function slotRegions(a: AllocatedModel): AllocatedModel['regions'] {
  const out = [...a.regions];
  for (let b = 1; b < a.batch; b++) for (const r of a.regions) out.push({ ...r, name: `${r.name}.s${b}`, addr: r.addr + b * a.slotStride });
  return out;
}

/** `hw`: capacities in values, as the passes saw them; `description`: the hardware the binary records. */
export function emitProgram(a: AllocatedModel, hw: Hardware, description: Hardware = hw): Binary {
  if (a.numerics && a.numerics.layers.length > MAX_NUMERIC_LAYERS) fail(DIAG.tooManyNumericLayers, a.model.loc ?? a.model.sourceFile, a.numerics.layers.length, MAX_NUMERIC_LAYERS);
  const e = new Emitter(hw, a.numerics !== null);
  const m = a.model;
  if (a.schedule === 'static') {
    a.ops.forEach((op, i) => {
      const row = op.fanIn + 1;
      for (const chunk of a.chunks[i]) for (const p of chunk.pieces) e.emit('ldw', STAGE.setup, { tile: p.tile, pe: p.pe, count: p.count, wbuf: p.wbuf, dram: a.dramBase[i] + p.first * row, row }, op.loc);
    });
  }
  if (a.batch > 1) emitBatchLoop(e, a);
  else emitSampleLoop(e, a);
  e.resolve();
  const sourceMap = e.locs.map((l) => (l ? { file: l.file, line: l.line, col: l.col } : null));
  verifyProgram(e.code, hw, a.dram.length, undefined, a.numerics?.layers.length ?? 0);
  const cpuCycles = m.cpuCycles ?? (m.benchmark ? findBenchmarkInfo(m.benchmark)?.cpuCycles : undefined);
  return {
    hardware: description,
    code: encodeProgram(e.code),
    dram: a.dram,
    ...(a.numerics ? { numerics: a.numerics, shadowDram: a.shadowDram!, dramLayers: a.dramRegions.map((r, i) => ({ addr: r.addr, len: r.len, layer: a.ops[i].layer })) } : {}),
    regions: [...slotRegions(a), ...a.dramRegions],
    symbols: e.labels,
    sourceMap,
    meta: {
      model: m.name,
      schedule: a.schedule,
      inputWidth: m.inputWidth,
      outputWidth: m.outputWidth,
      ...(m.benchmark ? { benchmark: m.benchmark } : {}),
      ...(cpuCycles !== undefined ? { cpuCyclesPerEvaluation: cpuCycles } : {}),
      ...(m.quality ? { quality: { metric: m.quality.metric, bound: m.quality.bound } } : {}),
    },
  };
}
