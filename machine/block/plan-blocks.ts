// The block planner: decides whether a program's sample loop can run many samples at once, instruction by
// instruction (machine/block/block-engine.ts), with the same results as running them one after another. It
// proves that no sample reads what an earlier sample left behind, and lays out each sample's memory compactly.

import type { Hardware } from '../../hardware/description.ts';
import { DECODED_STRIDE, OP_BY_CODE, SKIP_CONDITIONS, slotsOf, type Flow } from '../../isa/table.ts';
import { OP_EFFECTS, type Space } from './op-effects.ts';
import { decidedSlot, INFEASIBLE, NEVER, slotFacts, TRUE } from './guarded-writes.ts';
import { effectsAsRun, forwardCopies, type ForwardedCopies } from './forward-copies.ts';

const RECV = slotsOf('recv');
const SKIP = slotsOf('skip');
const WHEN_NONE = SKIP_CONDITIONS.indexOf('none');

export interface BlockPlan {
  /** The sample loop's first instruction: the recv of slot 0 where every batch starts. */
  readonly start: number;
  /** One past the loop's last instruction. */
  readonly limit: number;
  readonly batch: number;
  /** Per word of each per-sample memory, its row in a lane's compact copy, or -1 when the loop never touches it;
   *  a contiguous range the loop touches maps to contiguous rows. */
  readonly rows: { readonly [S in Exclude<Space, 'wb' | 'pe'>]: Int32Array };
  /** Rows of each memory: ocm rows come first in a lane's memory, then ib, then ob. */
  readonly rowCount: { readonly [S in Exclude<Space, 'wb' | 'pe'>]: number };
  /** Branch instructions in the loop: no path takes more. */
  readonly branches: number;
  /** Per pc of the loop, which sample of the batch its recv takes (the k-th recv on every path), else -1. */
  readonly recvOrder: Int32Array;
  /** The PEs (tile × pesPerTile + pe) whose weights the loop touches: with the memory words above, every timing
   *  resource the loop's instructions use (machine/block/timing-reuse.ts watches no others). */
  readonly pes: Int32Array;
  /** Per pc of the loop, 1 when its writes to per-sample memory may land in every lane of the block, also
   *  lanes whose path does not pass it: no such lane reads those words afterwards without writing them first.
   *  The block then runs it over all lanes at once, without a mask. */
  readonly unmasked: Uint8Array;
  /** Input-buffer reads taken from the on-chip rows they were copied from, and ldis skipped (forward-copies.ts). */
  readonly copies: ForwardedCopies;
}

/** Beyond this many instructions in the loop, or instructions × per-sample words, the unmasked analysis (a
 *  search per instruction) and copy forwarding are skipped: every lane-dependent write is masked and every ldi
 *  copies; slower, never wrong. */
const UNMASKED_MAX_INSTRUCTIONS = 600;
const UNMASKED_MAX_CELLS = 4_000_000;

/** Plans already made, per binary: every simulator of a binary asks for the same one. */
const plans = new WeakMap<object, Map<string, BlockPlan | string>>();

/** planBlocks for `code`, decoded from `binary`, remembered per binary (and hardware, batch and start). */
export function blockPlanFor(binary: object, code: Uint32Array, hw: Hardware, batch: number, start: number): BlockPlan | string {
  let byArgs = plans.get(binary);
  if (!byArgs) plans.set(binary, (byArgs = new Map()));
  const key = `${JSON.stringify(hw)}|${batch}|${start}`;
  let plan = byArgs.get(key);
  if (plan === undefined) byArgs.set(key, (plan = planBlocks(code, hw, batch, start)));
  return plan;
}

/** Successors of the instruction at pc, by the ISA table's flow. */
function successors(flow: Flow, c: Uint32Array, at: number, targetSlot: number, pc: number): number[] {
  if (flow === 'halt') return [];
  if (flow === 'jump') return [c[at + targetSlot]];
  if (flow === 'branch') return [pc + 1, c[at + targetSlot]];
  return [pc + 1];
}

/**
 * The plan for the loop that starts at `start`, or why there is none. The conditions, each checked here:
 * - every path from `start` comes back to it, with branches only forward (the loop body is acyclic) and no halt;
 * - every path takes the batch's samples by recvs in slot order, slot 0 only at `start`;
 * - every word of on-chip memory and of the tile buffers a sample reads, it has written itself on that path;
 * - every weight-buffer word a sample reads holds the same value for all samples at that point: either the loop
 *   never writes it, or exactly one `ldw` of the loop reaches the read on every path, and no other `ldw` of the
 *   word lies between them (the block runs the loop's instructions in program order for all its samples).
 */
export function planBlocks(code: Uint32Array, hw: Hardware, batch: number, start: number): BlockPlan | string {
  const n = code.length / DECODED_STRIDE;
  const opAt = (pc: number) => OP_BY_CODE[code[pc * DECODED_STRIDE]];
  const first = opAt(start);
  if (first?.mnemonic !== 'recv' || code[start * DECODED_STRIDE + RECV.slot] !== 0) return `the program does not wait for samples at a recv of slot 0 (pc ${start})`;

  // The loop body: what is reachable from start without coming back to it.
  const inBody = new Uint8Array(n);
  const preds: number[][] = Array.from({ length: n }, () => []);
  const exits: number[] = [];
  const stack = [start];
  inBody[start] = 1;
  let limit = start + 1;
  let branches = 0;
  while (stack.length) {
    const pc = stack.pop()!;
    const at = pc * DECODED_STRIDE;
    const op = opAt(pc);
    if (!op) return `pc ${pc} holds no instruction`;
    if (op.flow === 'halt') return `the sample loop halts at pc ${pc}`;
    if (op.mnemonic === 'recv' && pc !== start && code[at + RECV.slot] === 0) return `pc ${pc} starts a second batch inside the sample loop`;
    if (op.flow === 'branch') branches++;
    const target = op.layout.findIndex((fd) => fd.kind === 'label');
    for (const s of successors(op.flow ?? 'next', code, at, target + 2, pc)) {
      if (s === start) {
        exits.push(pc);
        continue;
      }
      if (s <= pc) return `pc ${pc} branches back to pc ${s}, inside the sample loop`;
      if (s >= n) return `pc ${pc} runs past the end of the program`;
      preds[s].push(pc);
      if (!inBody[s]) {
        inBody[s] = 1;
        if (s + 1 > limit) limit = s + 1;
        stack.push(s);
      }
    }
  }

  // Which memory words the loop touches, and which weight-buffer words it writes.
  const sizes = { ocm: hw.onChipMemoryWords, ib: hw.tiles * hw.inputBufferWords, ob: hw.tiles * hw.outputBufferWords, wb: hw.tiles * hw.pesPerTile * hw.weightBufferWords };
  const touched = { ocm: new Uint8Array(sizes.ocm), ib: new Uint8Array(sizes.ib), ob: new Uint8Array(sizes.ob), wb: new Uint8Array(sizes.wb), pe: new Uint8Array(hw.tiles * hw.pesPerTile) };
  const wbWritten = new Uint8Array(sizes.wb);
  const effects = (pc: number, visit: (space: Space, write: boolean, from: number, len: number) => void) => OP_EFFECTS[opAt(pc)!.mnemonic as keyof typeof OP_EFFECTS](code, pc * DECODED_STRIDE, hw, visit);
  for (let pc = start; pc < limit; pc++) {
    if (!inBody[pc]) continue;
    effects(pc, (space, write, from, len) => {
      touched[space].fill(1, from, from + len);
      if (space === 'wb' && write) wbWritten.fill(1, from, from + len);
    });
  }
  const compact = (marks: Uint8Array, base: number) => {
    const rows = new Int32Array(marks.length).fill(-1);
    let k = base;
    for (let i = 0; i < marks.length; i++) if (marks[i]) rows[i] = k++;
    return { rows, count: k - base };
  };
  const ocm = compact(touched.ocm, 0);
  const ib = compact(touched.ib, ocm.count);
  const ob = compact(touched.ob, ocm.count + ib.count);
  const wb = compact(touched.wb, 0);
  const privateRows = ocm.count + ib.count + ob.count;
  const rowOf = { ocm: ocm.rows, ib: ib.rows, ob: ob.rows };
  // Per weight-buffer word the loop touches, the ldws that write it, in program order.
  const writers: number[][] = Array.from({ length: wb.count }, () => []);

  // Dataflow in program order (a topological order of the acyclic body). Per instruction: which per-sample
  // words the paths to it have written, under which slot states (guarded-writes.ts), and per touched weight
  // word which ldw reaches it (-1: none on any path, -2: different ones, or one on some paths only).
  // It runs for a whole batch (the block engine's lanes), then once for every short one (the last batch of an
  // input, which the reference path runs from the machine state the block never updated): there any slot but
  // the first may be absent, its recv writes nothing and every skip of it branches. Neither may read an
  // unwritten word. Weight reads need no second pass: every path of the loop, short or not, passes the ldw
  // that reaches a read.
  const reaching: (Int32Array | null)[] = new Array(n).fill(null);
  const recvOrder = new Int32Array(limit - start).fill(-1);
  /** Recvs executed up to and including each instruction (the same on every path, checked). */
  const recvsBefore = new Int32Array(n).fill(-1);
  const labelOf = (p: number) => code[p * DECODED_STRIDE + 2 + opAt(p)!.layout.findIndex((fd) => fd.kind === 'label')];
  const analyse = (full: boolean): string | null => {
    // The short pass reads which slots each instruction has received, which only the full pass records.
    if (!full && recvsBefore[start] < 0) throw new Error('planBlocks: the short-batch pass runs after the full one');
    const facts = slotFacts(batch, (slot) => !full && slot > 0);
    /** The edge from p to q: INFEASIBLE, or the condition it implies (TRUE for a jump, a fall-through, both
     *  edges to q, or a branch that tells nothing). */
    const edgeOf = (p: number, q: number) => {
      const op = opAt(p)!;
      if (op.flow !== 'branch') return TRUE;
      const target = labelOf(p);
      if (target === p + 1) return TRUE;
      const at = p * DECODED_STRIDE;
      const taken = q === target;
      const isSkip = op.mnemonic === 'skip';
      // `skip none` tests the whole batch, not its slot operand.
      if (isSkip && code[at + SKIP.when] === WHEN_NONE) return facts.edgeLiteral(op.mnemonic, code, at, taken);
      const slot = isSkip ? code[at + SKIP.slot] : decidedSlot(op.mnemonic, code, at);
      // A slot not received yet in this batch is absent: every skip of it branches, a decision tells nothing.
      if (slot >= recvsBefore[p]) return isSkip ? (taken ? TRUE : INFEASIBLE) : TRUE;
      return facts.edgeLiteral(op.mnemonic, code, at, taken);
    };
    const written: (Int32Array | null)[] = new Array(n).fill(null);
    const reachOut = new Int32Array(n).fill(TRUE);
    const pending = new Int32Array(n); // successors still to take an instruction's facts; freed at zero
    for (let pc = start; pc < limit; pc++) if (inBody[pc]) for (const p of preds[pc]) pending[p]++;
    for (let pc = start; pc < limit; pc++) {
      if (!inBody[pc]) continue;
      let w: Int32Array;
      let r: Int32Array | null = null;
      let recvs = 0;
      let reach: number;
      if (pc === start) {
        w = new Int32Array(privateRows).fill(NEVER);
        if (full) r = new Int32Array(wb.count).fill(-1);
        reach = TRUE;
      } else {
        const ps = preds[pc];
        // A predecessor this is the last successor of hands over its arrays rather than have them copied.
        const last = ps.find((p) => pending[p] === 1);
        w = last === undefined ? new Int32Array(privateRows) : written[last]!;
        reach = facts.join(
          ps.map((p) => ({ r: facts.alongEdge(reachOut[p], edgeOf(p, pc)), w: written[p]! })),
          w,
        );
        if (full) {
          r = pending[ps[0]] === 1 ? reaching[ps[0]]! : reaching[ps[0]]!.slice();
          recvs = recvsBefore[ps[0]];
          for (let i = 1; i < ps.length; i++) {
            const pr = reaching[ps[i]]!;
            for (let j = 0; j < r.length; j++) if (r[j] !== pr[j]) r[j] = -2;
            if (recvsBefore[ps[i]] !== recvs) return `pc ${pc} is reached after different numbers of recvs`;
          }
        }
        for (const p of ps) if (--pending[p] === 0) (written[p] = null), full && (reaching[p] = null);
      }
      const op = opAt(pc)!;
      const isRecv = op.mnemonic === 'recv';
      const slot = isRecv ? code[pc * DECODED_STRIDE + RECV.slot] : -1;
      if (full && isRecv) {
        if (slot !== recvs) return `pc ${pc} receives slot ${slot} as the batch's sample ${recvs}`;
        recvOrder[pc - start] = recvs++;
      }
      let problem = '';
      // A recv starts a new sample in its slot: what was known of the slot lapses, and its writes hold where
      // the sample is present (a recv that finds the input ended writes nothing).
      if (isRecv) reach = facts.forgetSlot(reach, w, slot, false);
      const writeWhere = isRecv ? facts.alongEdge(reach, facts.present(slot)) : reach;
      effects(pc, (space, write, from, len) => {
        if (problem || space === 'pe') return;
        for (let j = from; j < from + len; j++) {
          if (space === 'wb') {
            if (!full) continue;
            const k = wb.rows[j];
            if (write) {
              r![k] = pc;
              if (writers[k][writers[k].length - 1] !== pc) writers[k].push(pc);
            } else {
              const d = r![k];
              if (d === -2 || (d === -1 && wbWritten[j])) return void (problem = `pc ${pc} reads weight-buffer word ${j}, which holds different weights on different paths of the sample loop`);
              if (d >= 0 && writers[k].some((x) => x > d && x < pc)) return void (problem = `pc ${pc} reads weight-buffer word ${j} after another path's ldw overwrote it`);
            }
          } else {
            const k = rowOf[space][j];
            if (write) w[k] = facts.written(writeWhere, w[k]);
            else if (!facts.readable(reach, w[k])) return void (problem = `pc ${pc} reads ${space} word ${j} before the sample has written it${full ? '' : ' (in a short last batch)'}`);
          }
        }
      });
      if (problem) return problem;
      // A decision of a slot changes which way it goes.
      const decided = decidedSlot(op.mnemonic, code, pc * DECODED_STRIDE);
      if (decided >= 0) reach = facts.forgetSlot(reach, w, decided, true);
      reachOut[pc] = reach;
      written[pc] = w;
      if (full) {
        reaching[pc] = r;
        recvsBefore[pc] = recvs;
      }
    }
    return null;
  };
  const wholeBatch = analyse(true);
  if (wholeBatch !== null) return wholeBatch;
  for (const e of exits) if (recvsBefore[e] !== batch) return `a path of the sample loop takes ${recvsBefore[e]} samples, not the batch's ${batch}`;
  if (batch > 1) {
    const shortBatch = analyse(false);
    if (shortBatch !== null) return shortBatch;
  }
  const unmasked = new Uint8Array(limit - start);
  const body: number[] = [];
  for (let pc = start; pc < limit; pc++) if (inBody[pc]) body.push(pc);
  const small = body.length <= UNMASKED_MAX_INSTRUCTIONS && body.length * privateRows <= UNMASKED_MAX_CELLS;
  const succs: number[][] = Array.from({ length: limit - start }, () => []);
  for (const pc of body) for (const p of preds[pc]) succs[p - start].push(pc);
  const copies: ForwardedCopies = small
    ? forwardCopies({ start, limit, body, preds, succs, isLdi: (pc) => opAt(pc)!.mnemonic === 'ldi', effects, ocmRows: ocm.rows, inputRows: ib.rows, inputRowBase: ocm.count, inputRowCount: ib.count })
    : { inputFrom: new Array(limit - start).fill(null), skipped: new Uint8Array(limit - start) };
  // From here on, the instructions as the engine runs them: forwarded reads read on-chip words, skipped ldis nothing.
  const asRun = effectsAsRun(effects, copies, start);
  if (small) {
    // Per instruction, the per-sample words some path from it reads before writing (backward, in reverse
    // program order); the next sample reads none of this sample's words, so the loop's exits contribute none.
    const live: Uint8Array[] = new Array(limit - start);
    const reads = (pc: number, into: Uint8Array, write: boolean, value: number) =>
      asRun(pc, (space, w, from, len) => {
        if (space === 'wb' || space === 'pe' || w !== write) return;
        for (let j = from; j < from + len; j++) into[rowOf[space][j]] = value;
      });
    for (let i = body.length - 1; i >= 0; i--) {
      const pc = body[i];
      const l = new Uint8Array(privateRows);
      for (const q of succs[pc - start]) {
        const lq = live[q - start];
        for (let j = 0; j < privateRows; j++) l[j] |= lq[j];
      }
      reads(pc, l, true, 0);
      reads(pc, l, false, 1);
      live[pc - start] = l;
    }
    // An instruction's writes may go to every lane when no instruction that a path avoiding it reaches (where
    // the lanes it did not serve wait) reads any of them live.
    const seen = new Uint8Array(limit - start);
    for (const pc of body) {
      const writes: number[] = [];
      asRun(pc, (space, w, from, len) => {
        if (space !== 'wb' && space !== 'pe' && w) for (let j = from; j < from + len; j++) writes.push(rowOf[space][j]);
      });
      if (writes.length === 0) continue;
      seen.fill(0);
      const todo = [start];
      seen[0] = 1;
      let clash = false;
      while (todo.length && !clash) {
        const q = todo.pop()!;
        if (q > pc) for (const r of writes) if (live[q - start][r]) clash = true;
        for (const s2 of succs[q - start]) if (s2 !== pc && !seen[s2 - start]) (seen[s2 - start] = 1), todo.push(s2);
      }
      if (!clash) unmasked[pc - start] = 1;
    }
  }
  return {
    start,
    limit,
    batch,
    rows: rowOf,
    rowCount: { ocm: ocm.count, ib: ib.count, ob: ob.count },
    branches,
    recvOrder,
    unmasked,
    copies,
    pes: Int32Array.from(Array.from(touched.pe.keys()).filter((p) => touched.pe[p])),
  };
}
