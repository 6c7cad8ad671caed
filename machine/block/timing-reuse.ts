// Exact timing reuse for the block engine's lanes. In a static loop a lane's cycles, conflicts and energy
// depend only on the path it takes and on the timing state it starts in, taken relative to its start. That
// state is captured after every lane timed in full, interned, and the (state, path) -> (next state, counts)
// transition recorded; a lane whose (state, path) has a transition replays it instead of being timed.
//
// Relative state: every time the timing model keeps is read only through a maximum with a time at or after the
// lane's start (the controller's next issue, `base`), so every time at or before `base` acts alike and is kept
// as "before". The exceptions are kept exactly: the last issue (stage cycles are differences from it), the
// batch's start (histogram values are differences from it), and which idle bus the arbiter picks first.

import { DECODED_STRIDE, opcodeOf } from '../../isa/table.ts';
import { FLOW_BRANCH, FLOW_JUMP, type PathTable } from './path-table.ts';
import type { Machine } from '../machine.ts';
import type { TimingModel, TraceSink } from '../timing-model.ts';
import { TIMING_RULES } from '../timing-rules.ts';
import type { BlockPlan } from './plan-blocks.ts';

/** Samples [from, to) go to the sink. */
export interface TraceWindow {
  sink: TraceSink;
  from: number;
  to: number;
}


/** How many states and transitions are kept: memory stays flat whatever the run. */
const MAX_STATES = 4096;
const MAX_TRANSITIONS = 16384;
/** After this many lanes in a row find no transition, capturing stops for the rest of the run. */
const GIVE_UP_AFTER = 1024;

/** A captured state: the times after `base` (cell lists per scoreboard array), the buses, the scalars. */
interface State {
  readonly id: number;
  readonly cells: Float64Array; // (array, index, time - base) triples
  readonly buses: Float64Array; // per bus: time - base when after base, else -(1 + rank among idle buses)
  readonly setupEnd: number;
  readonly dramFree: number;
  readonly lastRequest: number;
  readonly end: number;
  /** Transitions out of this state, by path id. */
  readonly out: (Transition | undefined)[];
}

interface Transition {
  readonly next: State;
  /** The next lane's base, the run's end, the batch start and the last issue, relative to this lane's base. */
  readonly advance: number;
  readonly end: number;
  readonly batchStart: number;
  readonly lastIssue: number;
  readonly lastStage: number;
  readonly samples: number;
  /** Added to the counters (counterArrays, then peBusyCycles and cpuEvaluations), once per use. */
  readonly counts: Float64Array;
  /** Replays not yet added to the counters (`flush`): a whole number of uses times each count is exact, as the
   *  counts are integers or multiples of 1/32 far below 2^53. */
  uses: number;
}

export interface ReuseStats {
  /** Lanes replayed from a transition, and lanes timed in full. */
  reused: number;
  timed: number;
}

export class TimingReuse {
  readonly stats: ReuseStats = { reused: 0, timed: 0 };
  private readonly tm: TimingModel;
  private readonly m: Machine;
  private readonly code: Uint32Array;
  private readonly plan: BlockPlan;
  /** Check every transition against a full timing instead of replaying it (tests). */
  private readonly verify: boolean;
  private readonly arrays: Float64Array[];
  /** Per scoreboard array, the cells the loop can touch: no others change after the first lane. */
  private readonly watched: Int32Array[];
  private readonly counterArrays: Float64Array[];
  private readonly before: Float64Array;
  /** How control leaves each pc of the loop (the block engine's path table), and the recv opcode. */
  private readonly paths: PathTable;
  private readonly recvOpcode: number;
  /** Which samples' instructions the trace sink sees (the Simulator's `trace` option). */
  private readonly traceWindow: TraceWindow | null;
  private readonly states = new Map<string, State>();
  private transitions = 0;
  /** Transitions with replays not yet counted. */
  private readonly unflushed: Transition[] = [];
  /** The state the next lane starts in (null until one has been captured), and its base. */
  private state: State | null = null;
  private base = 0;
  /** The timing model's own arrays lag behind replayed lanes until `materialize`. */
  private stale = false;
  private missesInARow = 0;
  private capturing = true;

  constructor(tm: TimingModel, m: Machine, code: Uint32Array, plan: BlockPlan, paths: PathTable, opts: { verify?: boolean; trace?: TraceWindow | null } = {}) {
    this.traceWindow = opts.trace ?? null;
    this.tm = tm;
    this.m = m;
    this.code = code;
    this.plan = plan;
    this.verify = opts.verify === true;
    const b = tm.board;
    this.arrays = [b.ocmReady, b.ocmReadDone, b.ibReady, b.ibReadDone, b.obReady, b.obReadDone, b.peFree, b.wbReady, b.portFree];
    const listOf = (rows: Int32Array) => {
      const out: number[] = [];
      for (let i = 0; i < rows.length; i++) if (rows[i] >= 0) out.push(i);
      return Int32Array.from(out);
    };
    const ocm = listOf(plan.rows.ocm);
    const ib = listOf(plan.rows.ib);
    const ob = listOf(plan.rows.ob);
    const pe = plan.pes;
    this.watched = [ocm, ocm, ib, ib, ob, ob, pe, pe, Int32Array.from(b.portFree.keys())];
    const bus = tm.bus;
    this.counterArrays = [tm.actions, tm.stats.stageCycles, bus.transactions, bus.words, bus.conflicts, bus.stallCycles];
    this.before = new Float64Array(this.counterArrays.reduce((s, a) => s + a.length, 0) + 2);
    this.paths = paths;
    this.recvOpcode = opcodeOf('recv');
  }

  /**
   * Times one lane: the loop from its start along the path its branch outcomes give, every recv taking a
   * sample; `firstSample` is the index of its first sample in the run. Returns the cycle its batch started.
   * A lane with a sample in the trace window is always timed in full, each instruction traced as the reference
   * path traces it: by the sample whose recv it follows (the one being pushed when it would run there).
   */
  timeLane(outcomes: Uint8Array, from: number, n: number, pathId: number, firstSample: number): number {
    const tw = this.traceWindow;
    const traced = tw !== null && firstSample < tw.to && firstSample + this.plan.batch > tw.from;
    const path = this.state !== null && this.capturing ? pathId : -1;
    const known = path >= 0 ? this.state!.out[path] : undefined;
    if (known !== undefined && !traced && !this.verify) {
      this.replay(known);
      return this.tm.stats.sampleStart;
    }
    this.materialize();
    const from0 = this.state;
    const base = this.tm.next;
    this.snapshotCounts();
    const { samples, batchStart } = this.walk(outcomes, from, n, traced ? firstSample : -1);
    this.stats.timed++;
    if (this.capturing && this.tm.stats.sampleStart >= 0) {
      const t = this.record(base, samples, batchStart);
      if (known !== undefined) {
        this.check(known, t);
        this.missesInARow = 0;
      } else {
        if (from0 !== null && path >= 0 && this.transitions < MAX_TRANSITIONS) {
          from0.out[path] = t;
          this.transitions++;
        }
        if (++this.missesInARow >= GIVE_UP_AFTER) this.capturing = false;
      }
      this.state = t.next;
      this.base = this.tm.next;
    } else this.state = null;
    return batchStart;
  }

  /** The timing rules along the lane's path. */
  private walk(outcomes: Uint8Array, from: number, n: number, tracedFrom: number): { samples: number; batchStart: number } {
    const code = this.code;
    const tm = this.tm;
    const m = this.m;
    const start = this.plan.start;
    let pc = start;
    let i = 0;
    let samples = 0;
    let batchStart = -1;
    const { flow, target } = this.paths;
    // Untraced lanes (tracedFrom -1) leave the sink alone.
    const tw = tracedFrom >= 0 ? this.traceWindow : null;
    for (;;) {
      const at = pc * DECODED_STRIDE;
      const f = flow[pc - start];
      if (code[at] === this.recvOpcode) {
        m.received = true;
        if (tw !== null) {
          const k = tracedFrom + samples;
          tm.trace = k >= tw.from && k < tw.to ? tw.sink : null;
        }
        samples++;
      }
      TIMING_RULES[code[at]](tm, code, at, m);
      if (pc === start) batchStart = tm.stats.sampleStart;
      if (f === FLOW_JUMP) pc = target[pc - start];
      else if (f === FLOW_BRANCH) pc = i < n && outcomes[from + i++] ? target[pc - start] : pc + 1;
      else pc++;
      if (pc === start) break;
    }
    if (tw !== null) tm.trace = null;
    return { samples, batchStart };
  }

  private snapshotCounts(): void {
    let k = 0;
    for (const a of this.counterArrays) for (let i = 0; i < a.length; i++) this.before[k++] = a[i];
    this.before[k++] = this.tm.stats.peBusyCycles;
    this.before[k] = this.tm.stats.cpuEvaluations;
  }

  /** The transition the lane just timed took, from `base`, and the state it ended in. */
  private record(base: number, samples: number, batchStart: number): Transition {
    const tm = this.tm;
    const counts = new Float64Array(this.before.length);
    let k = 0;
    for (const a of this.counterArrays) for (let i = 0; i < a.length; i++, k++) counts[k] = a[i] - this.before[k];
    counts[k] = tm.stats.peBusyCycles - this.before[k];
    k++;
    counts[k] = tm.stats.cpuEvaluations - this.before[k];
    return {
      next: this.capture(),
      advance: tm.next - base,
      end: tm.stats.end - base,
      batchStart: batchStart - base,
      lastIssue: tm.stats.lastIssue - base,
      lastStage: tm.stats.lastStage,
      samples,
      counts,
      uses: 0,
    };
  }

  /** The timing model's state now, relative to its next issue, interned. */
  private capture(): State {
    const tm = this.tm;
    const base = tm.next;
    const cells: number[] = [];
    for (let a = 0; a < this.arrays.length; a++) {
      const arr = this.arrays[a];
      const list = this.watched[a];
      for (let j = 0; j < list.length; j++) {
        const v = arr[list[j]];
        if (v > base) cells.push(a, list[j], v - base);
      }
    }
    const free = tm.bus.busFree;
    const buses = new Float64Array(free.length);
    const idle: number[] = [];
    for (let i = 0; i < free.length; i++) if (free[i] > base) buses[i] = free[i] - base;
    else idle.push(i);
    idle.sort((x, y) => free[x] - free[y] || x - y);
    idle.forEach((i, rank) => (buses[i] = -(1 + rank)));
    const after = (t: number) => (t > base ? t - base : 0);
    const s = tm.stats;
    const parts = { setupEnd: after(tm.setupEnd), dramFree: after(tm.dram.free), lastRequest: after(tm.bus.lastRequest), end: after(tm.stats.end) };
    // The exact scalars (last issue, stage, batch start, samples in it) belong to the key as well.
    const key = `${cells.join(',')}|${buses.join(',')}|${parts.setupEnd},${parts.dramFree},${parts.lastRequest},${parts.end}|${s.lastIssue - base},${s.lastStage},${s.sampleStart - base},${s.inBatch}`;
    let state = this.states.get(key);
    if (state === undefined) {
      state = { id: this.states.size, cells: Float64Array.from(cells), buses, ...parts, out: [] };
      if (this.states.size < MAX_STATES) this.states.set(key, state);
      else this.capturing = false;
    }
    return state;
  }

  private replay(t: Transition): void {
    const tm = this.tm;
    const s = tm.stats;
    const base = this.base;
    if (t.uses++ === 0) this.unflushed.push(t);
    s.startBatch(base + t.batchStart);
    for (let i = 0; i < t.samples; i++) s.addSample();
    s.lastIssue = base + t.lastIssue;
    s.lastStage = t.lastStage;
    s.end = base + t.end;
    this.state = t.next;
    this.base = base + t.advance;
    this.stale = true;
    this.missesInARow = 0;
    this.stats.reused++;
  }

  /** Adds the replays so far to the timing model's counters. */
  flush(): void {
    const s = this.tm.stats;
    for (const t of this.unflushed) {
      const u = t.uses;
      let k = 0;
      for (const a of this.counterArrays) for (let i = 0; i < a.length; i++) a[i] += u * t.counts[k++];
      s.peBusyCycles += u * t.counts[k++];
      s.cpuEvaluations += u * t.counts[k];
      t.uses = 0;
    }
    this.unflushed.length = 0;
  }

  /** Brings the timing model's own arrays, times and counters up to the replayed lanes: the current state at its base. */
  materialize(): void {
    this.flush();
    if (!this.stale) return;
    const tm = this.tm;
    const st = this.state!;
    const base = this.base;
    for (let a = 0; a < this.arrays.length; a++) {
      const arr = this.arrays[a];
      const list = this.watched[a];
      for (let j = 0; j < list.length; j++) if (arr[list[j]] > base) arr[list[j]] = base;
    }
    for (let i = 0; i < st.cells.length; i += 3) this.arrays[st.cells[i]][st.cells[i + 1]] = base + st.cells[i + 2];
    const free = tm.bus.busFree;
    let idle = 0;
    for (let i = 0; i < st.buses.length; i++) if (st.buses[i] < 0) idle++;
    for (let i = 0; i < st.buses.length; i++) free[i] = st.buses[i] > 0 ? base + st.buses[i] : base - idle - 1 - st.buses[i];
    tm.next = base;
    tm.setupEnd = base + st.setupEnd;
    tm.dram.free = base + st.dramFree;
    tm.bus.lastRequest = base + st.lastRequest;
    this.stale = false;
  }

  /** Verification: a transition recorded earlier must be what this full timing of the same (state, path) gave. */
  private check(known: Transition, t: Transition): void {
    const same =
      known.next === t.next &&
      known.advance === t.advance &&
      known.end === t.end &&
      known.batchStart === t.batchStart &&
      known.lastIssue === t.lastIssue &&
      known.lastStage === t.lastStage &&
      known.samples === t.samples &&
      known.counts.every((v, i) => v === t.counts[i]);
    if (!same) throw new Error('timing reuse: a recorded transition differs from the full timing of the same state and path');
  }
}
