// Copy forwarding for the block planner: an input-buffer range that, on every path to its reader, still holds
// what one `ldi` copied from on-chip memory is read from the on-chip rows instead; an `ldi` none of whose words
// is then read through the input buffer is skipped. Each saves the block engine a copy of every lane's words.

import type { Space } from './op-effects.ts';

/** Visits an instruction's memory effects, reads before writes, as OP_EFFECTS does. */
export type EffectsOf = (pc: number, visit: (space: Space, write: boolean, from: number, len: number) => void) => void;

export interface ForwardedCopies {
  /** Per pc of the loop (from its start): input-buffer ranges it reads, by first word, that it reads from the
   *  on-chip words they were copied from instead, by first on-chip word; null where there are none. */
  readonly inputFrom: (Map<number, number> | null)[];
  /** Per pc of the loop: 1 for an ldi the block engine skips, no word it writes being read through the input
   *  buffer before the next write of it (forwarded reads take the on-chip rows). */
  readonly skipped: Uint8Array;
}

/** What the loop's body looks like to the analysis. */
export interface LoopBody {
  start: number;
  limit: number;
  /** The loop's instructions in program order (a topological order: the body branches only forward). */
  body: readonly number[];
  preds: readonly (readonly number[])[];
  /** Per pc of the loop (from its start), its successors inside the loop. */
  succs: readonly (readonly number[])[];
  isLdi: (pc: number) => boolean;
  effects: EffectsOf;
  /** Per word of on-chip memory and of the input buffers (all tiles'), its row as the plan lays them out (-1:
   *  the loop never touches it); the input-buffer rows are `inputRowCount` rows from `inputRowBase`. */
  ocmRows: Int32Array;
  inputRows: Int32Array;
  inputRowBase: number;
  inputRowCount: number;
}

const UNKNOWN = -1;

/**
 * Forward, per input-buffer word: the on-chip word whose current value it holds on every path (an ldi copied
 * it, and neither has been written since), else UNKNOWN. A read range forwards when its words hold consecutive
 * on-chip words on consecutive rows. Backward, per input-buffer word: whether some path reads it through the
 * buffer before writing it; an ldi none of whose words is, is skipped. The loop's exits read nothing: a result
 * never shows the input buffers, and the next batch writes before it reads (the planner proves that).
 */
export function forwardCopies(loop: LoopBody): ForwardedCopies {
  const { start, limit, body, preds, effects, ocmRows } = loop;
  // Per input-buffer word the loop touches (its row less the base: every word an effect names has one).
  const words = loop.inputRowCount;
  const at = (w: number) => loop.inputRows[w] - loop.inputRowBase;
  const span = limit - start;
  const inputFrom: (Map<number, number> | null)[] = new Array(span).fill(null);
  const copyOut: (Int32Array | null)[] = new Array(span).fill(null);
  for (const pc of body) {
    const ps = preds[pc];
    const copyOf = pc === start || ps.length === 0 ? new Int32Array(words).fill(UNKNOWN) : copyOut[ps[0] - start]!.slice();
    for (let i = 1; i < ps.length; i++) {
      const other = copyOut[ps[i] - start]!;
      for (let w = 0; w < words; w++) if (copyOf[w] !== other[w]) copyOf[w] = UNKNOWN;
    }
    // Reads first: which of its input-buffer ranges this instruction may take from on-chip rows. Ranges that
    // start at the same word share the answer (the engine looks them up by first word), so all must forward.
    const verdict = new Map<number, number>();
    effects(pc, (space, write, from, len) => {
      if (space !== 'ib' || write) return;
      const a = len > 0 ? copyOf[at(from)] : UNKNOWN;
      let ok = a !== UNKNOWN && ocmRows[a] >= 0;
      for (let j = 1; ok && j < len; j++) ok = copyOf[at(from + j)] === a + j && ocmRows[a + j] === ocmRows[a] + j;
      const before = verdict.get(from);
      verdict.set(from, ok && (before === undefined || before === a) ? a : UNKNOWN);
    });
    for (const [from, a] of verdict) if (a !== UNKNOWN) (inputFrom[pc - start] ??= new Map()).set(from, a);
    const ldi = loop.isLdi(pc);
    let copied = -1;
    effects(pc, (space, write, from, len) => {
      if (ldi && space === 'ocm' && !write) copied = from;
      if (!write) return;
      if (space === 'ocm') {
        for (let w = 0; w < words; w++) if (copyOf[w] >= from && copyOf[w] < from + len) copyOf[w] = UNKNOWN;
      } else if (space === 'ib') for (let j = 0; j < len; j++) copyOf[at(from + j)] = ldi ? copied + j : UNKNOWN;
    });
    copyOut[pc - start] = copyOf;
  }

  // Backward: input-buffer words live (read through the buffer before written) after each instruction.
  const succs = loop.succs;
  const liveIn: Uint8Array[] = new Array(span);
  const skipped = new Uint8Array(span);
  for (let i = body.length - 1; i >= 0; i--) {
    const pc = body[i];
    const live = new Uint8Array(words);
    for (const q of succs[pc - start]) {
      const lq = liveIn[q - start];
      for (let w = 0; w < words; w++) live[w] |= lq[w];
    }
    const forwarded = inputFrom[pc - start];
    if (loop.isLdi(pc)) {
      let read = false;
      effects(pc, (space, write, from, len) => {
        if (space === 'ib' && write) for (let j = 0; j < len; j++) read ||= live[at(from + j)] === 1;
      });
      if (!read) skipped[pc - start] = 1;
    }
    // Live before it: what it writes is not, then what it reads through the buffer is.
    for (const reads of [false, true])
      effects(pc, (space, write, from, len) => {
        if (space !== 'ib' || write === reads || (reads && forwarded?.has(from))) return;
        for (let j = 0; j < len; j++) live[at(from + j)] = reads ? 1 : 0;
      });
    liveIn[pc - start] = live;
  }
  return { inputFrom, skipped };
}

/** An instruction's effects as the block engine carries them out: forwarded input-buffer reads read their
 *  on-chip words, and a skipped ldi does nothing. */
export function effectsAsRun(effects: EffectsOf, copies: ForwardedCopies, start: number): EffectsOf {
  return (pc, visit) => {
    if (copies.skipped[pc - start]) return;
    const forwarded = copies.inputFrom[pc - start];
    effects(pc, (space, write, from, len) => {
      const a = space === 'ib' && !write ? forwarded?.get(from) : undefined;
      if (a === undefined) visit(space, write, from, len);
      else visit('ocm', false, a, len);
    });
  };
}
