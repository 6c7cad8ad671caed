// Pass: batching. A dynamic schedule loads every weight from DRAM for each sample it runs; a batch of B
// samples loads each chunk of weights once and runs it over all B. The batch is bounded by on-chip memory,
// which holds every sample's working set: regions laid out by lifetime, so a region whose last reader has
// run lends its words to one produced later, and slot b's copy at slot-0's address + b × stride.

import { MAX_BATCH, MAX_PROGRAM_LENGTH } from '../arch/limits.ts';
import { fanInChunks } from './fan-in-chunks.ts';
import { DIAG } from '../diagnostics/catalog.ts';
import { fail } from '../diagnostics/diagnostic.ts';
import type { Hardware } from '../hardware/description.ts';
import type { Region } from '../isa/container.ts';
import type { BatchedModel, DecisionOp, ScheduledModel } from './lowered-ir.ts';

/** The default batch when on-chip memory would hold more: past it, a batch mostly adds latency (each
 *  sample waits for its batch), while the weight traffic per sample is already a small part of the whole. */
export const DEFAULT_BATCH_CAP = 32;

/** The program a batch loop may grow to by default: it is unrolled over the batch's samples, so a model that
 *  needs many instructions per sample (a small NPU, wide layers) takes a smaller batch. */
export const DEFAULT_PROGRAM_BUDGET = 1 << 14;

/**
 * About how many instructions each sample adds to a batch loop (compiler/emit-batch.ts): per piece of each
 * chunk, its input and control loads, its neu (or a mac per fan-in chunk and a fin) and its store, with the
 * guards around them; the weight loads are shared.
 */
export function instructionsPerSample(s: ScheduledModel): number {
  let n = 8;
  s.ops.forEach((op, i) => {
    const k = s.fanInChunk[i] === null ? 1 : fanInChunks(op.fanIn, s.fanInChunk[i]!).length;
    for (const c of s.chunks[i]) n += k * (2 * c.pieces.length + 1) + 3 * c.pieces.length + 2;
  });
  return n;
}

/** Words one sample's regions take at their own addresses (the layout of the control-fusion pass). */
function separateWords(regions: readonly Region[]): number {
  return regions.reduce((m, r) => Math.max(m, r.addr + r.len), 0);
}

/**
 * The regions laid out by lifetime: in execution order (ops, then the decision, then the send), a region lives
 * from the op that writes it (the sample: from the recv) to its last reader, and takes the lowest words no
 * region alive at the same time holds. Returns the new region for each old one and the words one sample takes.
 */
export function layOutByLifetime(s: ScheduledModel): { moved: Map<Region, Region>; words: number } {
  const born = new Map<Region, number>();
  const dies = new Map<Region, number>();
  const read = (r: Region, at: number) => dies.set(r, Math.max(dies.get(r) ?? at, at));
  born.set(s.input, -1);
  read(s.input, -1);
  s.ops.forEach((op, i) => {
    read(op.input, i);
    if (op.control) read(op.control, i);
    born.set(op.output, i);
    read(op.output, i);
  });
  const lastPredictor = s.ops.reduce((m, op, i) => (op.subnet === 'predictor' ? i : m), -1);
  if (s.decision) read(s.decision.at, lastPredictor + 0.5);
  read(s.output, s.ops.length);
  const placed: { from: number; to: number; addr: number; len: number }[] = [];
  const moved = new Map<Region, Region>();
  let words = 0;
  for (const r of [...s.regions].sort((a, b) => born.get(a)! - born.get(b)! || a.addr - b.addr)) {
    const from = born.get(r)!;
    const to = dies.get(r)!;
    const alive = placed.filter((q) => q.from <= to && from <= q.to).sort((a, b) => a.addr - b.addr);
    let addr = 0;
    for (const q of alive) {
      if (addr + r.len <= q.addr) break;
      addr = Math.max(addr, q.addr + q.len);
    }
    placed.push({ from, to, addr, len: r.len });
    moved.set(r, { ...r, addr });
    words = Math.max(words, addr + r.len);
  }
  return { moved, words };
}

/** The model with every region moved as `moved` says. */
function relocate(s: ScheduledModel, moved: Map<Region, Region>): ScheduledModel {
  const at = (r: Region) => moved.get(r)!;
  const decision: DecisionOp | null = s.decision ? { ...s.decision, at: at(s.decision.at) } : null;
  return {
    ...s,
    regions: s.regions.map(at),
    input: at(s.input),
    output: at(s.output),
    decision,
    ops: s.ops.map((op) => ({ ...op, input: at(op.input), output: at(op.output), control: op.control ? at(op.control) : null })),
  };
}

const DRAM_NOTE = 'each chunk of weights is loaded from DRAM once per batch';

export function batchSamples(s: ScheduledModel, hw: Hardware, requested: number | undefined): BatchedModel {
  const loc = s.model.loc ?? s.model.sourceFile;
  const separate = separateWords(s.regions);
  const compact = layOutByLifetime(s);
  if (compact.words > hw.onChipMemoryWords) fail(DIAG.onChipMemoryTooSmall, loc, compact.words, hw.onChipMemoryWords);
  // One sample at a time keeps the fusion pass's layout whenever it fits, so such programs do not change.
  const single = (reason: string): BatchedModel =>
    separate <= hw.onChipMemoryWords ? { ...s, batch: 1, batchReason: reason, slotStride: 0 } : { ...relocate(s, compact.moved), batch: 1, batchReason: reason, slotStride: 0 };
  if (s.schedule === 'static') {
    const ignored = requested !== undefined && requested > 1 ? ` (--batch ${requested} ignored)` : '';
    return single(`1: the weights stay resident, so a batch would save no loads${ignored}`);
  }
  const fits = Math.min(MAX_BATCH, Math.floor(hw.onChipMemoryWords / compact.words));
  const perSample = instructionsPerSample(s);
  if (requested !== undefined) {
    if (requested > fits) fail(DIAG.batchTooLarge, loc, requested, compact.words, hw.onChipMemoryWords, fits);
    if (requested > 1 && requested * perSample > MAX_PROGRAM_LENGTH) fail(DIAG.batchProgramTooLong, loc, requested, perSample, MAX_PROGRAM_LENGTH);
    if (requested === 1) return single('1, as requested: every weight is loaded from DRAM for each sample');
    return { ...relocate(s, compact.moved), batch: requested, batchReason: `${requested}, as requested: ${DRAM_NOTE}`, slotStride: compact.words };
  }
  const programFits = Math.max(1, Math.floor(DEFAULT_PROGRAM_BUDGET / perSample));
  const batch = Math.min(DEFAULT_BATCH_CAP, fits, programFits);
  const why =
    batch === DEFAULT_BATCH_CAP
      ? `the default cap; on-chip memory would hold ${fits}`
      : batch === fits
        ? `what on-chip memory holds at ${compact.words} words per sample`
        : `keeping the unrolled loop within ${DEFAULT_PROGRAM_BUDGET} instructions at about ${perSample} per sample`;
  if (batch === 1) return single(`1 (${why})`);
  return { ...relocate(s, compact.moved), batch, batchReason: `${batch} (${why}): ${DRAM_NOTE}`, slotStride: compact.words };
}
