// The block engine: runs a block of sample-loop iterations ("lanes", one batch each) instruction by instruction
// in program order, each instruction over every lane that reaches it, on typed-array rows laid out lane-minor
// so the multiply-adds run as SIMD over lanes (machine/block/simd-kernel.ts). Each lane keeps its own float32
// order exactly; the block is an outer loop, never a reassociation. fp32 programs only (plan-blocks.ts).

import { addBias, applyActivationCode, ACT_LINEAR, ACT_RELU, decisionCut, decisionInvokes, gate, softmaxMargin, softmaxSafeProbability } from '../../ir/numerics.ts';
import { bitsToF32 } from '../../ir/float-bits.ts';
import type { Hardware } from '../../hardware/description.ts';
import { DECODED_STRIDE, OP_BY_CODE, SKIP_CONDITIONS, slotsOf, type Mnemonic } from '../../isa/table.ts';
import type { InvokeMode } from '../machine.ts';
import type { BlockPlan } from './plan-blocks.ts';
import { PathTable } from './path-table.ts';
import { createMacKernel, type MacKernel } from './simd-kernel.ts';


const RECV = slotsOf('recv');
const LDW = slotsOf('ldw');
const LDI = slotsOf('ldi');
const NEU = slotsOf('neu');
const STO = slotsOf('sto');
const DECS = slotsOf('decs');
const DECM = slotsOf('decm');
const CPU = slotsOf('cpu');
const SEND = slotsOf('send');
const JMP = slotsOf('jmp');
const MAC = slotsOf('mac');
const FIN = slotsOf('fin');
const SKIP = slotsOf('skip');
const WHEN_ABSENT = SKIP_CONDITIONS.indexOf('absent');
const WHEN_CPU = SKIP_CONDITIONS.indexOf('cpu');
const WHEN_NPU = SKIP_CONDITIONS.indexOf('npu');

/** Opcodes as small integers for the dispatch switch. */
const K_OP: { [M in Mnemonic]: number } = { nop: 0, halt: 1, recv: 2, ldw: 3, ldi: 4, neu: 5, sto: 6, decs: 7, decm: 8, cpu: 9, send: 10, jmp: 11, mac: 12, fin: 13, skip: 14 };
const KIND_BY_CODE = OP_BY_CODE.map((o) => (o ? K_OP[o.mnemonic as Mnemonic] : 1));

/** Floats of lane memory a block may take; the block's lane count is chosen to fit. */
const BLOCK_FLOATS = 1 << 18;
export const MAX_LANES = 1024;

export class BlockEngine {
  readonly plan: BlockPlan;
  /** Lanes per block: a multiple of 4, at most MAX_LANES. */
  readonly lanes: number;
  readonly batch: number;
  readonly inputWidth: number;
  readonly outputWidth: number;
  /** Per sample of the block (lane × batch + slot): its input, written by the host before `run`. */
  readonly x: Float32Array;
  /** Per sample: H(x) as sent. */
  readonly y: Float32Array;
  readonly p: Float64Array;
  readonly score: Float64Array;
  readonly predicted: Uint8Array;
  readonly npuPath: Uint8Array;
  readonly invoked: Uint8Array;
  readonly fallback: Uint8Array;
  readonly present: Uint8Array;
  /** Per lane: instructions its path executed, and its branches' outcomes (1 = taken) in path order. */
  readonly executed: Int32Array;
  /** Per lane: its path's id in `paths` (-1 when the table is full). */
  readonly pathId: Int32Array;
  readonly paths: PathTable;
  readonly outcomes: Uint8Array;
  readonly outcomeCount: Int32Array;
  readonly kernelKind: string;

  private readonly code: Uint32Array;
  private readonly hw: Hardware;
  private readonly dram: Float32Array;
  private readonly invoke: InvokeMode;
  private readonly kernel: MacKernel;
  private readonly memBase: number;
  private readonly wbBase: number;
  private readonly accBase: number;
  private readonly xBase: number;
  private readonly yBase: number;
  /** Per slot: its H(x) is sent by one send of the loop only, so that send may write every lane's y (a lane
   *  that does not pass it sends nothing for the slot, and its y is not valid: not invoked). */
  private readonly soleSend: Uint8Array;
  /** Per pc of the loop: lanes waiting there (out of lockstep), how many, the branch target, the decision's cut. */
  private readonly lists: Int32Array[];
  private readonly waiting: Int32Array;
  private readonly targets: Int32Array;
  private readonly cuts: Float64Array;

  /** `wb` is the machine's weight buffers once the setup stage has run. */
  constructor(plan: BlockPlan, code: Uint32Array, hw: Hardware, dram: Float32Array, wb: Float32Array, widths: { input: number; output: number }, invoke: InvokeMode, lanes?: number) {
    this.plan = plan;
    this.code = code;
    this.hw = hw;
    this.dram = dram;
    this.invoke = invoke;
    this.batch = plan.batch;
    this.inputWidth = widths.input;
    this.outputWidth = widths.output;
    const rows = plan.rowCount.ocm + plan.rowCount.ib + plan.rowCount.ob;
    let maxCount = 1;
    for (let pc = plan.start; pc < plan.limit; pc++) {
      const at = pc * DECODED_STRIDE;
      const k = KIND_BY_CODE[code[at]];
      if (k === K_OP.neu) maxCount = Math.max(maxCount, code[at + NEU.count]);
      if (k === K_OP.mac) maxCount = Math.max(maxCount, code[at + MAC.count]);
    }
    const perLane = rows + maxCount + plan.batch * (widths.input + widths.output);
    const fit = Math.max(4, Math.min(MAX_LANES, Math.floor(BLOCK_FLOATS / perLane / 4) * 4));
    if (lanes !== undefined && (lanes % 4 !== 0 || lanes < 4 || lanes > MAX_LANES)) throw new RangeError(`block lanes: ${lanes} is not a multiple of 4 in [4, ${MAX_LANES}]`);
    this.lanes = lanes ?? fit;
    const K = this.lanes;
    this.memBase = 0;
    this.accBase = rows * K;
    this.wbBase = this.accBase + maxCount * K;
    const samplesInBlock = K * plan.batch;
    // The block's inputs and outputs live in the kernel's memory too, so the transposes into and out of the lane
    // rows run there (copyStrided); the memory never grows after this, so the views stay valid.
    this.xBase = this.wbBase + wb.length;
    this.yBase = this.xBase + samplesInBlock * widths.input;
    this.kernel = createMacKernel(this.yBase + samplesInBlock * widths.output);
    this.kernel.f32.set(wb, this.wbBase);
    this.kernelKind = this.kernel.kind;
    const samples = K * plan.batch;
    this.x = this.kernel.f32.subarray(this.xBase, this.xBase + samples * widths.input);
    this.y = this.kernel.f32.subarray(this.yBase, this.yBase + samples * widths.output);
    this.p = new Float64Array(samples);
    this.score = new Float64Array(samples);
    this.predicted = new Uint8Array(samples);
    this.npuPath = new Uint8Array(samples);
    this.invoked = new Uint8Array(samples);
    this.fallback = new Uint8Array(samples);
    this.present = new Uint8Array(samples);
    this.executed = new Int32Array(K);
    this.pathId = new Int32Array(K);
    this.paths = new PathTable(code, plan);
    this.outcomes = new Uint8Array(K * Math.max(1, plan.branches));
    this.outcomeCount = new Int32Array(K);
    this.soleSend = new Uint8Array(plan.batch);
    const sends = new Int32Array(plan.batch);
    for (let pc = plan.start; pc < plan.limit; pc++) if (KIND_BY_CODE[code[pc * DECODED_STRIDE]] === K_OP.send) sends[code[pc * DECODED_STRIDE + SEND.slot]]++;
    for (let b = 0; b < plan.batch; b++) this.soleSend[b] = sends[b] === 1 ? 1 : 0;
    const span = plan.limit - plan.start;
    this.lists = Array.from({ length: span + 1 }, () => new Int32Array(K));
    this.waiting = new Int32Array(span + 1);
    this.targets = new Int32Array(span);
    this.cuts = new Float64Array(span);
    for (let pc = plan.start; pc < plan.limit; pc++) {
      const at = pc * DECODED_STRIDE;
      const k = KIND_BY_CODE[code[at]];
      const i = pc - plan.start;
      if (k === K_OP.skip) this.targets[i] = code[at + SKIP.target];
      if (k === K_OP.decs) {
        this.targets[i] = code[at + DECS.target];
        this.cuts[i] = decisionCut('sigmoid', bitsToF32(code[at + DECS.threshold]));
      }
      if (k === K_OP.decm) {
        this.targets[i] = code[at + DECM.target];
        this.cuts[i] = decisionCut('softmax', bitsToF32(code[at + DECM.threshold]));
      }
    }
  }

  /** A lane's on-chip memory word `addr` (for results that ask for it), or NaN where the loop never writes. */
  ocmWord(lane: number, addr: number): number {
    const r = this.plan.rows.ocm[addr];
    return r < 0 ? NaN : this.kernel.f32[this.memBase + r * this.lanes + lane];
  }

  /** Runs lanes [0, n) from the loop's start until each comes back to it. Inputs are in `x`. */
  run(n: number): void {
    const plan = this.plan;
    const start = plan.start;
    const code = this.code;
    const waiting = this.waiting;
    const lists = this.lists;
    waiting.fill(0);
    this.present.fill(0, 0, n * this.batch);
    this.outcomeCount.fill(0, 0, n);
    // In lockstep every lane is at pc; otherwise lists[pc - start] holds the waiting[pc - start] lanes there.
    let lockstep = true;
    for (let pc = start; pc < plan.limit; pc++) {
      const i = pc - start;
      let list: Int32Array | null = null;
      let cnt = n;
      if (!lockstep) {
        cnt = waiting[i];
        if (cnt === 0) continue;
        if (cnt === n) lockstep = true;
        else list = lists[i];
      }
      // Writes to per-sample memory that no lane elsewhere will read go to every lane: no list, no mask.
      const mem = list !== null && plan.unmasked[i] ? null : list;
      const memCnt = mem === null ? n : cnt;
      const at = pc * DECODED_STRIDE;
      const kind = KIND_BY_CODE[code[at]];
      let to = -1;
      switch (kind) {
        case K_OP.recv:
          this.recv(at, pc, list, cnt);
          break;
        case K_OP.ldw:
          this.loadWeights(at);
          break;
        case K_OP.ldi:
          if (plan.copies.skipped[i]) break;
          this.copyRows(plan.rows.ocm[code[at + LDI.ocm]], plan.rows.ib[code[at + LDI.tile] * this.hw.inputBufferWords + code[at + LDI.ibuf]], code[at + LDI.len], n, mem, memCnt);
          break;
        case K_OP.sto:
          this.copyRows(plan.rows.ob[code[at + STO.tile] * this.hw.outputBufferWords + code[at + STO.obuf]], plan.rows.ocm[code[at + STO.ocm]], code[at + STO.len], n, mem, memCnt);
          break;
        case K_OP.neu:
          this.neuron(at, i, n, mem, memCnt);
          break;
        case K_OP.mac:
          this.multiplyAccumulate(at, i, n, mem, memCnt);
          break;
        case K_OP.fin:
          this.finishNeurons(at, i, mem, memCnt);
          break;
        case K_OP.send:
          this.send(at, list, cnt, n);
          break;
        case K_OP.cpu: {
          const slot = code[at + CPU.slot];
          for (let j = 0; j < cnt; j++) this.fallback[(list === null ? j : list[j]) * this.batch + slot] = 1;
          break;
        }
        case K_OP.jmp:
          to = code[at + JMP.target];
          break;
        case K_OP.nop:
          break;
        case K_OP.decs:
        case K_OP.decm:
        case K_OP.skip: {
          const target = this.targets[i];
          const tIdx = target - start;
          const taken = kind === K_OP.skip ? this.skipLanes(at, list, cnt) : this.decideLanes(at, i, kind, list, cnt);
          // A branch to the next instruction moves every lane there, taken or not.
          if (target === pc + 1) break;
          if (list === null && (taken === 0 || taken === n)) {
            to = taken ? target : -1;
            break;
          }
          // The lanes part: each goes to the list where its branch sends it (the target's, unless it is the
          // loop's start, where lanes are done).
          lockstep = false;
          const a = lists[i + 1];
          const b = target === start ? null : lists[tIdx];
          let na = waiting[i + 1];
          let nb = b === null ? 0 : waiting[tIdx];
          for (let j = 0; j < cnt; j++) {
            const l = list === null ? j : list[j];
            if (this.outcomes[l * plan.branches + this.outcomeCount[l] - 1]) {
              if (b !== null) b[nb++] = l;
            } else a[na++] = l;
          }
          waiting[i + 1] = na;
          if (b !== null) waiting[tIdx] = nb;
          continue;
        }
        default:
          throw new Error(`block engine: opcode ${code[at]} at pc ${pc} (the planner admits no such loop)`);
      }
      const dest = to >= 0 ? to : pc + 1;
      if (lockstep) {
        if (dest === start) break;
        pc = dest - 1;
        continue;
      }
      // Out of step: the lanes here move on together.
      if (dest === start) continue;
      const d = dest - start;
      if (waiting[d] === 0) {
        lists[i] = lists[d];
        lists[d] = list!;
      } else {
        const into = lists[d];
        let k = waiting[d];
        for (let j = 0; j < cnt; j++) into[k++] = list![j];
      }
      waiting[d] += cnt;
    }
    // Each lane's path: its id, and from that its length in instructions.
    this.paths.nameLanes(this.outcomes, this.outcomeCount, plan.branches, n, this.pathId, this.executed);
  }

  private recv(at: number, pc: number, list: Int32Array | null, cnt: number): void {
    const c = this.code;
    const K = this.lanes;
    const B = this.batch;
    const k = this.plan.recvOrder[pc - this.plan.start];
    const row = this.memBase + this.plan.rows.ocm[c[at + RECV.ocm]] * K;
    const len = c[at + RECV.len];
    const w = this.inputWidth;
    const f = this.kernel.f32;
    const x = this.x;
    if (list === null) {
      this.kernel.copyStrided(row, 1, K, this.xBase + k * w, B * w, 1, cnt, len);
      for (let l = 0, s = k; l < cnt; l++, s += B) this.startSample(s);
      return;
    }
    for (let j0 = 0; j0 < cnt; j0++) {
      const l = list[j0];
      const s = l * B + k;
      for (let j = 0; j < len; j++) f[row + j * K + l] = x[s * w + j];
      this.startSample(s);
    }
  }

  /** Sample s is received: its registers start as Machine.startSample starts a slot's (no decision yet: NPU). */
  private startSample(s: number): void {
    this.present[s] = 1;
    this.p[s] = 1;
    this.score[s] = Infinity;
    this.predicted[s] = 1;
    this.npuPath[s] = 1;
    this.invoked[s] = 0;
    this.fallback[s] = 0;
  }

  private loadWeights(at: number): void {
    const c = this.code;
    const hw = this.hw;
    const row = c[at + LDW.row];
    const count = c[at + LDW.count];
    const f = this.kernel.f32;
    let dst = this.wbBase + (c[at + LDW.tile] * hw.pesPerTile + c[at + LDW.pe]) * hw.weightBufferWords + c[at + LDW.wbuf];
    let src = c[at + LDW.dram];
    for (let k = 0; k < count; k++) {
      for (let j = 0; j < row; j++) f[dst + j] = this.dram[src + j];
      src += row;
      dst += hw.weightBufferWords;
    }
  }

  /** Rows [from, from + len) to rows [to, to + len), for the listed lanes (all n when list is null). */
  private copyRows(from: number, to: number, len: number, n: number, list: Int32Array | null, cnt: number): void {
    const f = this.kernel.f32;
    const K = this.lanes;
    for (let j = 0; j < len; j++) {
      const s = this.memBase + (from + j) * K;
      const d = this.memBase + (to + j) * K;
      if (list === null) f.copyWithin(d, s, s + n);
      else
        for (let i = 0; i < cnt; i++) {
          const l = list[i];
          f[d + l] = f[s + l];
        }
    }
  }

  /** Lanes rounded up to the kernel's vector width. */
  private span(n: number): number {
    return (n + 3) & ~3;
  }

  /** The first row of the input-buffer range from tile word `word` as the instruction at loop index i reads it:
   *  the on-chip rows it was copied from where the planner forwards the copy, else the buffer's own. */
  private inputRow(i: number, tile: number, word: number): number {
    const rows = this.plan.rows;
    const w = tile * this.hw.inputBufferWords + word;
    const from = this.plan.copies.inputFrom[i]?.get(w);
    return from === undefined ? rows.ib[w] : rows.ocm[from];
  }

  private neuron(at: number, i: number, n: number, list: Int32Array | null, cnt: number): void {
    const c = this.code;
    const hw = this.hw;
    const plan = this.plan;
    const K = this.lanes;
    const tile = c[at + NEU.tile];
    const count = c[at + NEU.count];
    const len = c[at + NEU.len];
    const wOff = this.wbBase + (tile * hw.pesPerTile + c[at + NEU.pe]) * hw.weightBufferWords + c[at + NEU.wbuf];
    const xRow = len > 0 ? this.inputRow(i, tile, c[at + NEU.ibuf]) : 0;
    const ctl = c[at + NEU.ctl];
    const cRow = ctl ? this.inputRow(i, tile, c[at + NEU.cbuf]) : 0;
    const oRow = plan.rows.ob[tile * hw.outputBufferWords + c[at + NEU.obuf]];
    const act = c[at + NEU.act];
    // Every lane, relu or linear: one kernel call sums and ends the neurons, the sums never stored.
    if (list === null && (act === ACT_RELU || act === ACT_LINEAR)) {
      this.kernel.neuronRows(count, this.memBase + oRow * K, K, wOff, hw.weightBufferWords, this.memBase + xRow * K, K, len, this.span(n), act === ACT_RELU ? 1 : 0, ctl ? 1 : 0, this.memBase + cRow * K);
      return;
    }
    this.kernel.accumulateRows(count, this.accBase, K, wOff, hw.weightBufferWords, this.memBase + xRow * K, K, len, this.span(n), 0);
    this.finishRows(count, act, ctl, wOff + len, this.accBase, cRow, oRow, list, cnt);
  }

  private multiplyAccumulate(at: number, i: number, n: number, list: Int32Array | null, cnt: number): void {
    const c = this.code;
    const hw = this.hw;
    const plan = this.plan;
    const K = this.lanes;
    const f = this.kernel.f32;
    const tile = c[at + MAC.tile];
    const count = c[at + MAC.count];
    const len = c[at + MAC.len];
    const from = c[at + MAC.from] ? 1 : 0;
    const wOff = this.wbBase + (tile * hw.pesPerTile + c[at + MAC.pe]) * hw.weightBufferWords + c[at + MAC.wbuf];
    const xRow = len > 0 ? this.inputRow(i, tile, c[at + MAC.ibuf]) : 0;
    const oBase = this.memBase + plan.rows.ob[tile * hw.outputBufferWords + c[at + MAC.obuf]] * K;
    if (list === null) {
      this.kernel.accumulateRows(count, oBase, K, wOff, hw.weightBufferWords, this.memBase + xRow * K, K, len, this.span(n), from);
      return;
    }
    // Only the lanes here may change: sum into scratch, then copy their results back.
    if (from) f.copyWithin(this.accBase, oBase, oBase + count * K);
    this.kernel.accumulateRows(count, this.accBase, K, wOff, hw.weightBufferWords, this.memBase + xRow * K, K, len, this.span(n), from as 0 | 1);
    for (let k = 0; k < count; k++)
      for (let i = 0; i < cnt; i++) {
        const l = list[i];
        f[oBase + k * K + l] = f[this.accBase + k * K + l];
      }
  }

  private finishNeurons(at: number, i: number, list: Int32Array | null, cnt: number): void {
    const c = this.code;
    const hw = this.hw;
    const plan = this.plan;
    const tile = c[at + FIN.tile];
    const count = c[at + FIN.count];
    const ctl = c[at + FIN.ctl];
    const bias = this.wbBase + (tile * hw.pesPerTile + c[at + FIN.pe]) * hw.weightBufferWords + c[at + FIN.wbuf];
    const cRow = ctl ? this.inputRow(i, tile, c[at + FIN.cbuf]) : 0;
    const oRow = plan.rows.ob[tile * hw.outputBufferWords + c[at + FIN.obuf]];
    this.finishRows(count, c[at + FIN.act], ctl, bias, this.memBase + oRow * this.lanes, cRow, oRow, list, cnt);
  }

  /** Bias, activation and gate of `count` neurons whose sums sit in rows from `sums` (stride: lanes), into the
   *  output rows from `oRow`; PE k's bias is at `bias` + k weight-buffer rows. */
  private finishRows(count: number, act: number, ctl: number, bias: number, sums: number, cRow: number, oRow: number, list: Int32Array | null, cnt: number): void {
    const f = this.kernel.f32;
    const K = this.lanes;
    const wbw = this.hw.weightBufferWords;
    // Every lane, relu or linear: the kernel finishes them all (lanes past cnt compute harmlessly).
    if (list === null && (act === ACT_RELU || act === ACT_LINEAR)) {
      const lanes = this.span(cnt);
      this.kernel.finishRows(count, sums, K, bias, wbw, this.memBase + oRow * K, K, this.memBase + cRow * K, K, lanes, act === ACT_RELU ? 1 : 0, ctl ? 1 : 0);
      return;
    }
    for (let k = 0; k < count; k++) {
      const b = f[bias + k * wbw];
      const a = sums + k * K;
      const o = this.memBase + (oRow + k) * K;
      const g = this.memBase + (cRow + k) * K;
      // Every lane, relu or linear: the common case gets loops of its own, with nothing to decide per lane.

      for (let i = 0; i < cnt; i++) {
        const l = list === null ? i : list[i];
        const v = addBias(f[a + l], b);
        let h = act === ACT_RELU ? (v > 0 ? v : 0) : act === ACT_LINEAR ? v : applyActivationCode(act, v);
        if (ctl) h = gate(h, f[g + l]);
        f[o + l] = h;
      }
    }
  }

  private send(at: number, list: Int32Array | null, cnt: number, n: number): void {
    const c = this.code;
    const K = this.lanes;
    const B = this.batch;
    const slot = c[at + SEND.slot];
    const len = c[at + SEND.len];
    const row = this.memBase + this.plan.rows.ocm[c[at + SEND.ocm]] * K;
    const f = this.kernel.f32;
    const w = this.outputWidth;
    if (list === null || this.soleSend[slot]) {
      this.kernel.copyStrided(this.yBase + slot * w, B * w, 1, row, 1, K, n, len);
      for (let i = 0; i < cnt; i++) this.invoked[(list === null ? i : list[i]) * B + slot] = 1;
      return;
    }
    for (let i = 0; i < cnt; i++) {
      const l = list === null ? i : list[i];
      const s = l * B + slot;
      for (let j = 0; j < len; j++) this.y[s * w + j] = f[row + j * K + l];
      this.invoked[s] = 1;
    }
  }

  /** The decision for each lane here: records it for its slot, and the lane's outcome (1: the branch is taken,
   *  the CPU path); returns how many took it. The operands' rows are looked up once for all lanes. */
  private decideLanes(at: number, i: number, kind: number, list: Int32Array | null, cnt: number): number {
    const c = this.code;
    const K = this.lanes;
    const B = this.batch;
    const f = this.kernel.f32;
    const rows = this.plan.rows.ocm;
    const branches = this.plan.branches;
    const cut = this.cuts[i];
    const sigmoid = kind === K_OP.decs;
    const slot = sigmoid ? c[at + DECS.slot] : c[at + DECM.slot];
    // sigmoid: P(x) in the first row; softmax: the safe and the other logit.
    let first: number;
    let second = 0;
    if (sigmoid) first = this.memBase + rows[c[at + DECS.ocm]] * K;
    else {
      const base = c[at + DECM.ocm];
      const safeIndex = c[at + DECM.safe];
      first = this.memBase + rows[base + safeIndex] * K;
      second = this.memBase + rows[base + 1 - safeIndex] * K;
    }
    const invokeModel = this.invoke === 'model';
    const invokeAll = this.invoke === 'all';
    let taken = 0;
    for (let j = 0; j < cnt; j++) {
      const l = list === null ? j : list[j];
      let p: number;
      let score: number;
      if (sigmoid) p = score = f[first + l];
      else {
        const safe = f[first + l];
        const other = f[second + l];
        score = softmaxMargin(safe, other);
        p = softmaxSafeProbability(safe, other);
      }
      const predicted = decisionInvokes(score, cut);
      const s = l * B + slot;
      this.p[s] = p;
      this.score[s] = score;
      this.predicted[s] = predicted ? 1 : 0;
      const npu = invokeModel ? predicted : invokeAll;
      this.npuPath[s] = npu ? 1 : 0;
      const t = npu ? 0 : 1;
      this.outcomes[l * branches + this.outcomeCount[l]++] = t;
      taken += t;
    }
    return taken;
  }

  /** The skip for each lane here: its outcome (1: taken), recorded; returns how many took it. */
  private skipLanes(at: number, list: Int32Array | null, cnt: number): number {
    const c = this.code;
    const when = c[at + SKIP.when];
    const B = this.batch;
    const slot = c[at + SKIP.slot];
    const present = this.present;
    const npuPath = this.npuPath;
    const branches = this.plan.branches;
    let taken = 0;
    for (let j = 0; j < cnt; j++) {
      const l = list === null ? j : list[j];
      const s = l * B + slot;
      let t: number;
      if (when === WHEN_ABSENT) t = present[s] === 0 ? 1 : 0;
      else if (when === WHEN_CPU) t = present[s] === 0 || npuPath[s] === 0 ? 1 : 0;
      else if (when === WHEN_NPU) t = present[s] === 0 || npuPath[s] === 1 ? 1 : 0;
      else {
        // none: taken when no slot of the batch is present and on the NPU path.
        t = 1;
        for (let k = 0; k < B; k++) if (present[l * B + k] === 1 && npuPath[l * B + k] === 1) t = 0;
      }
      this.outcomes[l * branches + this.outcomeCount[l]++] = t;
      taken += t;
    }
    return taken;
  }
}
