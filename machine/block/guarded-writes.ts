// Which per-sample words a path has written, knowing which slot states the path went through: batched programs
// guard each slot's work with `skip absent|cpu|npu, sK`, again and again, and a word written under one guard is
// read under the same guard later. A plain must-write analysis sees the impossible path that skips the write
// and takes the read; these facts carry one literal "slot K is in one of these states" to rule it out.
//
// A received slot is in one of three states: absent (the input ended before it filled), present and sent to the
// CPU, present and sent to the NPU. A literal is a slot and a proper subset of those states, 8K + mask.
// A reach condition R (per instruction) is TRUE, a literal, NO_NPU (no slot goes to the NPU: the taken edge of
// `skip none`, which jumps over a whole stage's NPU work), or INFEASIBLE. A word's fact W is ALWAYS (written on
// every path here), NEVER (not known to be), or a literal L (written on every path here where L holds).
// Keeping one condition where two would be exact only weakens a fact, never makes it wrong. Literals only ever
// name slots already received in the batch (the planner gives none before a slot's recv, and forgets them at
// it), which NO_NPU and `readable` rely on.

import { SKIP_CONDITIONS, slotsOf } from '../../isa/table.ts';

export const TRUE = -1;
export const INFEASIBLE = -3;
const NO_NPU = -4;
export const ALWAYS = -1;
export const NEVER = -2;

/** The states a received slot can be in, as mask bits. */
const ABSENT = 1;
const CPU = 2;
const NPU = 4;
const PRESENT = CPU | NPU;
const ANY = ABSENT | PRESENT;

const SKIP = slotsOf('skip');
const DECS = slotsOf('decs');
const DECM = slotsOf('decm');
/** Per skip condition, the states in which it branches. */
const SKIP_TAKEN: Record<(typeof SKIP_CONDITIONS)[number], number> = { absent: ABSENT, cpu: ABSENT | CPU, npu: ABSENT | NPU, none: ANY };
const WHEN_NONE = SKIP_CONDITIONS.indexOf('none');

const slotOf = (lit: number) => lit >> 3;
const maskOf = (lit: number) => lit & 7;

/** The operations on facts for one batch shape: per slot, the states it can be in once received (`maybeAbsent`:
 *  the input may have ended before it, as in a short last batch; otherwise its sample is present). */
export function slotFacts(slots: number, maybeAbsent: (slot: number) => boolean) {
  const universe = Uint8Array.from({ length: slots }, (_, s) => (maybeAbsent(s) ? ANY : PRESENT));
  /** The condition "slot is in one of `mask`'s states". */
  const literal = (slot: number, mask: number): number => {
    const m = mask & universe[slot];
    return m === 0 ? INFEASIBLE : m === universe[slot] ? TRUE : slot * 8 + m;
  };
  /** A fact "written where the slot is in one of `mask`'s states". */
  const fact = (slot: number, mask: number): number => {
    const m = mask & universe[slot];
    return m === 0 ? NEVER : m === universe[slot] ? ALWAYS : slot * 8 + m;
  };

  /** The states R allows `slot` to be in. */
  const statesUnder = (r: number, slot: number): number =>
    universe[slot] & (r === NO_NPU ? ANY & ~NPU : r >= 0 && slotOf(r) === slot ? maskOf(r) : ANY);

  /** Whether, arriving along an edge (r, w), a word is written wherever `lit` holds (TRUE: wherever the edge
   *  is taken at all). */
  const coveredBy = (r: number, w: number, lit: number): boolean => {
    if (w === ALWAYS) return true;
    if (lit >= 0 && (statesUnder(r, slotOf(lit)) & maskOf(lit)) === 0) return true;
    if (w < 0) return false;
    let m = statesUnder(r, slotOf(w));
    if (lit >= 0 && slotOf(lit) === slotOf(w)) m &= maskOf(lit);
    return (m & ~maskOf(w)) === 0;
  };

  return {
    /** The condition the taken (or the fall-through) edge of a received slot's branch, or of `skip none`,
     *  implies: INFEASIBLE, a literal, NO_NPU, or TRUE when none. A decision leaves an absent slot absent. */
    edgeLiteral(mnemonic: string, c: Uint32Array, at: number, taken: boolean): number {
      if (mnemonic === 'skip') {
        const when = c[at + SKIP.when];
        if (when === WHEN_NONE) return taken ? NO_NPU : TRUE;
        const states = SKIP_TAKEN[SKIP_CONDITIONS[when]];
        return literal(c[at + SKIP.slot], taken ? states : ANY & ~states);
      }
      const slot = decidedSlot(mnemonic, c, at);
      return slot < 0 ? TRUE : literal(slot, taken ? ABSENT | CPU : ABSENT | NPU);
    },

    /** The condition a received slot's recv wrote under: its sample is present. */
    present: (slot: number): number => literal(slot, PRESENT),

    /** R along an edge whose branch implies `lit`. Of two literals on different slots, the edge's is kept. */
    alongEdge(r: number, lit: number): number {
      if (r === INFEASIBLE || lit === INFEASIBLE) return INFEASIBLE;
      if (lit === TRUE) return r;
      // Of a slot literal and NO_NPU, NO_NPU is kept: the code a `skip none` jumps to is what reads under it.
      if (lit === NO_NPU) return r >= 0 && (statesUnder(NO_NPU, slotOf(r)) & maskOf(r)) === 0 ? INFEASIBLE : lit;
      if (r === TRUE || (r >= 0 && slotOf(r) !== slotOf(lit))) return lit;
      return literal(slotOf(lit), statesUnder(r, slotOf(lit)) & maskOf(lit));
    },

    /** At a recv of `slot` (a new sample: every fact about it lapses), or at a decision of it (`decision`:
     *  whether it is absent still holds; which way it goes no longer does). Updates W in place, returns R. */
    forgetSlot(r: number, w: Int32Array, slot: number, decision: boolean): number {
      for (let j = 0; j < w.length; j++) {
        if (w[j] < 0 || slotOf(w[j]) !== slot) continue;
        const m = maskOf(w[j]);
        w[j] = decision ? fact(slot, (m & ABSENT) | ((m & PRESENT) === PRESENT ? PRESENT : 0)) : NEVER;
      }
      // A recv starts its sample on the NPU path, and a decision may send it there.
      if (r === NO_NPU) return TRUE;
      if (r < 0 || slotOf(r) !== slot) return r;
      const m = maskOf(r);
      return decision ? literal(slot, (m & ABSENT) | (m & PRESENT ? PRESENT : 0)) : TRUE;
    },

    /** Whether a read of a word with fact w is safe where r holds. */
    readable(r: number, w: number): boolean {
      if (r === INFEASIBLE || w === ALWAYS) return true;
      return w >= 0 && (statesUnder(r, slotOf(w)) & ~maskOf(w)) === 0;
    },

    /** A word's fact after a write where r holds. */
    written(r: number, w: number): number {
      if (r === TRUE || w === ALWAYS) return ALWAYS;
      // Recorded as nothing: no literal says "no slot goes to the NPU". (ALWAYS would be sound here, as after any
      // write where the reach is feasible, the recv's conditional write aside; the literals keep it narrower.)
      if (r === INFEASIBLE || r === NO_NPU) return w;
      if (w >= 0 && slotOf(w) === slotOf(r)) return fact(slotOf(r), maskOf(w) | maskOf(r));
      return r;
    },

    /** The facts at a join of edges (r, w): R, and W into `out`, which may be one of the edges' W. Plain
     *  loops: the planner runs this per instruction and word. */
    join(edges: readonly { r: number; w: Int32Array }[], out: Int32Array): number {
      const live = edges.filter((e) => e.r !== INFEASIBLE);
      if (live.length === 0) {
        out.fill(ALWAYS);
        return INFEASIBLE;
      }
      if (live.length === 1) {
        if (out !== live[0].w) out.set(live[0].w);
        return live[0].r;
      }
      // The edges' conditions: when all are literals of one slot, their union is the join's.
      const slot0 = live[0].r >= 0 ? slotOf(live[0].r) : -1;
      let union = 0;
      for (const e of live) union = union >= 0 && e.r >= 0 && slotOf(e.r) === slot0 ? union | maskOf(e.r) : -1;
      const r = live.every((e) => e.r === NO_NPU) ? NO_NPU : union < 0 ? TRUE : literal(slot0, union);
      // Most words are the same on every edge: the fact stands, and is ALWAYS where every edge's condition
      // implies it (all NEVER can only give facts no path here satisfies). One tight scan: the planner joins
      // thousands of times over thousands of words. Each word's inputs are read before its result is written,
      // so `out` may be one of the edges' arrays.
      const base = live[0].w;
      const others = live.slice(1).map((e) => e.w);
      for (let j = 0; j < out.length; j++) {
        const w0 = base[j];
        let same = 0;
        while (same < others.length && others[same][j] === w0) same++;
        if (same === others.length) {
          out[j] = union > 0 && w0 >= 0 && slotOf(w0) === slot0 && (union & ~maskOf(w0)) === 0 ? ALWAYS : w0;
          continue;
        }
        let all = true;
        for (let k = 0; k < live.length && all; k++) all = coveredBy(live[k].r, live[k].w[j], TRUE);
        let v = all ? ALWAYS : NEVER;
        // Of the slots the edges mention, the first with states in which every edge has written the word: the
        // union of those states (a word written in each of two states is written in either). The edges' own
        // conditions come first: they are the newest, what the guarded code after the join reads under.
        for (let c = 0; c < 2 * live.length && v === NEVER; c++) {
          const e = live[c % live.length];
          const lit = c < live.length ? e.r : e.w[j];
          if (lit < 0) continue;
          const slot = slotOf(lit);
          let mask = 0;
          for (let state = ABSENT; state <= NPU; state <<= 1) {
            if (!(universe[slot] & state)) continue;
            let ok = true;
            for (let k = 0; k < live.length && ok; k++) ok = coveredBy(live[k].r, live[k].w[j], slot * 8 + state);
            if (ok) mask |= state;
          }
          v = fact(slot, mask);
        }
        out[j] = v;
      }
      return r;
    },
  };
}

/** The slot a decision decides (its CPU/NPU literals change meaning there), else -1. */
export function decidedSlot(mnemonic: string, c: Uint32Array, at: number): number {
  return mnemonic === 'decs' ? c[at + DECS.slot] : mnemonic === 'decm' ? c[at + DECM.slot] : -1;
}
