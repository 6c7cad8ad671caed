// Which per-sample words a path has written, knowing which slot decisions the path took: batched programs
// guard each slot's work with `skip cpu|npu, sK`, again and again, and a word written under one guard is read
// under the same guard later. A plain must-write analysis sees the impossible path that skips the write and
// takes the read; these facts carry one literal "slot K went to the NPU (or to the CPU)" to rule it out.
//
// A reach condition R (per instruction) is TRUE, a literal, or INFEASIBLE. A word's fact W is ALWAYS (written
// on every path here), NEVER (not known to be), or a literal L (written on every path here where L holds).
// Literals are 2K + 1 for "slot K goes to the NPU" and 2K for "to the CPU". Keeping one literal where two
// would be exact only weakens a fact, never makes it wrong.

import { SKIP_CONDITIONS, slotsOf } from '../../isa/table.ts';

export const TRUE = -1;
export const INFEASIBLE = -3;
export const ALWAYS = -1;
export const NEVER = -2;

const SKIP = slotsOf('skip');
const DECS = slotsOf('decs');
const DECM = slotsOf('decm');
const WHEN_CPU = SKIP_CONDITIONS.indexOf('cpu');
const WHEN_NPU = SKIP_CONDITIONS.indexOf('npu');

/** The literal the taken (or the fall-through) edge of a branch implies, TRUE when none: `skip cpu, sK` is
 *  taken when slot K goes to the CPU (its sample is present: the block engine runs whole batches only),
 *  `skip npu` the other way, a decision of slot K when it sends the sample to the CPU. */
export function edgeLiteral(mnemonic: string, c: Uint32Array, at: number, taken: boolean): number {
  let slot = -1;
  let cpuWhenTaken = true;
  if (mnemonic === 'skip') {
    const when = c[at + SKIP.when];
    if (when !== WHEN_CPU && when !== WHEN_NPU) return TRUE;
    slot = c[at + SKIP.slot];
    cpuWhenTaken = when === WHEN_CPU;
  } else if (mnemonic === 'decs') slot = c[at + DECS.slot];
  else if (mnemonic === 'decm') slot = c[at + DECM.slot];
  else return TRUE;
  const npu = taken !== cpuWhenTaken;
  return 2 * slot + (npu ? 1 : 0);
}

/** The slot a decision decides (its literals change meaning there), else -1. */
export function decidedSlot(mnemonic: string, c: Uint32Array, at: number): number {
  return mnemonic === 'decs' ? c[at + DECS.slot] : mnemonic === 'decm' ? c[at + DECM.slot] : -1;
}

/** R along an edge whose branch implies `lit`. */
export function alongEdge(r: number, lit: number): number {
  if (r === INFEASIBLE || lit === TRUE || r === lit) return r === INFEASIBLE ? r : lit === TRUE ? r : lit;
  if (r === TRUE) return lit;
  if (r >> 1 === lit >> 1) return INFEASIBLE; // the same slot, the other way
  return lit;
}

/** After a decision of `slot`: what was known of its earlier value no longer holds. */
export function forgetSlot(r: number, w: Int32Array, slot: number): number {
  for (let j = 0; j < w.length; j++) if (w[j] >= 0 && w[j] >> 1 === slot) w[j] = NEVER;
  return r >= 0 && r >> 1 === slot ? TRUE : r;
}

/** Whether a read of a word with fact w is safe where r holds. */
export function readable(r: number, w: number): boolean {
  return r === INFEASIBLE || w === ALWAYS || (w >= 0 && w === r);
}

/** A word's fact after a write where r holds. */
export function written(r: number, w: number): number {
  return r === TRUE || w === ALWAYS ? ALWAYS : r === INFEASIBLE ? w : r;
}

/** Whether, arriving along an edge (r, w), a word is written wherever `lit` holds (ALWAYS: wherever it is
 *  reached at all). */
function coveredBy(r: number, w: number, lit: number): boolean {
  if (w === ALWAYS || (w >= 0 && w === r)) return true;
  return lit !== ALWAYS && (w === lit || r === (lit ^ 1));
}

/** The facts at a join of edges (r, w): R, and W into `out`. Plain loops: the planner runs this per
 *  instruction and word. */
export function join(edges: readonly { r: number; w: Int32Array }[], out: Int32Array): number {
  const live = edges.filter((e) => e.r !== INFEASIBLE);
  if (live.length === 0) {
    out.fill(ALWAYS);
    return INFEASIBLE;
  }
  if (live.length === 1) {
    out.set(live[0].w);
    return live[0].r;
  }
  let r = live[0].r;
  for (const e of live) if (e.r !== r) r = TRUE;
  for (let j = 0; j < out.length; j++) {
    let all = true;
    for (let k = 0; k < live.length && all; k++) all = coveredBy(live[k].r, live[k].w[j], ALWAYS);
    if (all) {
      out[j] = ALWAYS;
      continue;
    }
    out[j] = NEVER;
    // A literal that covers every edge, among those the edges mention.
    for (let c = 0; c < 2 * live.length && out[j] === NEVER; c++) {
      const e = live[c >> 1];
      const lit = c & 1 ? e.r : e.w[j];
      if (lit < 0) continue;
      let ok = true;
      for (let k = 0; k < live.length && ok; k++) ok = coveredBy(live[k].r, live[k].w[j], lit);
      if (ok) out[j] = lit;
    }
  }
  return r;
}
