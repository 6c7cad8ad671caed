// Paths through the sample loop, named by their branch outcomes: a trie gives each distinct path a small id,
// and each path's length in instructions is found once, by walking the loop, then looked up. The block engine
// reports a lane's instructions from it, and timing reuse keys its transitions by the id.

import { DECODED_STRIDE, FIRST_OPERAND_SLOT, OP_BY_CODE } from '../../isa/table.ts';
import type { BlockPlan } from './plan-blocks.ts';

export const FLOW_NEXT = 0;
export const FLOW_JUMP = 1;
export const FLOW_BRANCH = 2;

/** How many trie nodes are kept: memory stays flat whatever the run; later paths have no id (-1). */
const MAX_PATH_NODES = 1 << 16;

export class PathTable {
  /** node k's children at 2k (not taken) and 2k + 1 (taken), -1 for none; grows by doubling. */
  private children = new Int32Array(128).fill(-1);
  /** Per node, the length of the path ending there (-1 until asked). */
  private lengths = new Int32Array(64).fill(-1);
  private nodes = 1;
  private readonly start: number;
  /** Per pc of the loop (less the loop's start): FLOW_NEXT, FLOW_JUMP or FLOW_BRANCH; and the target of a jump
   *  or branch. Timing reuse walks paths by them too. */
  readonly flow: Uint8Array;
  readonly target: Int32Array;

  constructor(code: Uint32Array, plan: BlockPlan) {
    this.start = plan.start;
    this.flow = new Uint8Array(plan.limit - plan.start);
    this.target = new Int32Array(plan.limit - plan.start);
    for (let pc = plan.start; pc < plan.limit; pc++) {
      const op = OP_BY_CODE[code[pc * DECODED_STRIDE]];
      if (!op) continue;
      const label = op.layout.findIndex((fd) => fd.kind === 'label');
      if (label >= 0) this.target[pc - plan.start] = code[pc * DECODED_STRIDE + FIRST_OPERAND_SLOT + label];
      this.flow[pc - plan.start] = op.flow === 'jump' ? FLOW_JUMP : op.flow === 'branch' ? FLOW_BRANCH : FLOW_NEXT;
    }
  }

  /** Each of lanes [0, n) (its outcomes from lane × branches, `counts` of them): its path's id into `pathId`
   *  and its length into `executed`. Paths met before are looked up in one walk; new ones go through idOf. */
  nameLanes(outcomes: Uint8Array, counts: Int32Array, branches: number, n: number, pathId: Int32Array, executed: Int32Array): void {
    let children = this.children;
    let lengths = this.lengths;
    for (let l = 0; l < n; l++) {
      const from = l * branches;
      const count = counts[l];
      let node = 0;
      for (let i = 0; i < count && node >= 0; i++) node = children[2 * node + outcomes[from + i]];
      if (node >= 0 && node < lengths.length && lengths[node] >= 0) {
        pathId[l] = node;
        executed[l] = lengths[node];
        continue;
      }
      const id = this.idOf(outcomes, from, count);
      pathId[l] = id;
      executed[l] = this.length(id, outcomes, from, count);
      // The first time a path is met, the trie and the lengths may have grown into new arrays.
      children = this.children;
      lengths = this.lengths;
    }
  }

  /** The id of the path with these outcomes, or -1 when the trie is full. */
  idOf(outcomes: Uint8Array, from: number, n: number): number {
    let node = 0;
    for (let i = 0; i < n; i++) {
      const k = 2 * node + outcomes[from + i];
      let child = this.children[k];
      if (child < 0) {
        if (this.nodes >= MAX_PATH_NODES) return -1;
        if (2 * this.nodes + 2 > this.children.length) {
          const grown = new Int32Array(2 * this.children.length).fill(-1);
          grown.set(this.children);
          this.children = grown;
        }
        child = this.children[k] = this.nodes++;
      }
      node = child;
    }
    return node;
  }

  /** Instructions the path with these outcomes executes, from the loop's start back to it. */
  length(id: number, outcomes: Uint8Array, from: number, n: number): number {
    if (id >= 0 && id < this.lengths.length && this.lengths[id] >= 0) return this.lengths[id];
    let pc = this.start;
    let i = 0;
    let count = 0;
    do {
      const f = this.flow[pc - this.start];
      count++;
      pc = f === FLOW_JUMP ? this.target[pc - this.start] : f === FLOW_BRANCH && i < n && outcomes[from + i++] ? this.target[pc - this.start] : pc + 1;
    } while (pc !== this.start);
    if (id >= 0) {
      if (id >= this.lengths.length) {
        const grown = new Int32Array(Math.max(2 * this.lengths.length, id + 1)).fill(-1);
        grown.set(this.lengths);
        this.lengths = grown;
      }
      this.lengths[id] = count;
    }
    return count;
  }
}
