// Collects timing events as Chrome trace events (chrome://tracing, Perfetto): tracks for the samples,
// the controller, the CPU, each data bus and each tile. Times are converted from cycles to µs.

import type { Hardware } from '../hardware/description.ts';
import { STAGE_NAMES } from '../isa/table.ts';
import type { TraceSink } from '../machine/timing-model.ts';
import { DIAG } from '../diagnostics/catalog.ts';
import { fail } from '../diagnostics/diagnostic.ts';

const PID = 1;
/** Thread ids of each unit's first track; a unit's extra lanes take ids from EXTRA_LANE_TID up. */
const TID = { samples: 1, controller: 2, cpu: 3, bus: 10, tile: 100 } as const;
const EXTRA_LANE_TID = 10_000;
/** The samples track's extra lanes count apart, so their ids do not depend on when samples are reported. */
const EXTRA_SAMPLE_LANE_TID = 5_000;
/** Lanes of one unit sort together: unit order × this + lane. */
const LANES_PER_UNIT = 1000;

/** Traces are held in memory until the run ends; past this many events, ask for a narrower range. */
export const MAX_TRACE_EVENTS = 2_000_000;

/**
 * The tracks of one unit (a tile, a bus, the controller, the CPU, the samples). Trace viewers draw the
 * complete events of one track as a stack, so two events on a track must not partly overlap. A unit
 * can have concurrent work (a tile's pipelined DRAM reads, neuron instructions on different PEs), so
 * each event goes on the unit's first lane whose last event has ended, and a new lane opens when none has.
 */
interface Unit {
  name: string;
  sortIndex: number;
  tids: number[];
  /** Per lane, the end cycle of its last event: events on a lane are disjoint and in order. */
  laneEnd: number[];
  /** Where its events go. */
  out: string[];
}

export class ChromeTrace implements TraceSink {
  private readonly events: string[] = [];
  /** The samples track's events, kept apart and written after the units': the simulator's fast path reports a
   *  block's samples after timing the block, the reference path each sample as it completes, and the file must
   *  not depend on which ran. */
  private readonly sampleEvents: string[] = [];
  private readonly usPerCycle: number;
  private readonly samples: Unit;
  private readonly controller: Unit;
  private readonly cpu: Unit;
  private readonly buses: Unit[] = [];
  private readonly tiles: Unit[] = [];
  private nextTid = EXTRA_LANE_TID;
  private nextSampleTid = EXTRA_SAMPLE_LANE_TID;

  constructor(hw: Hardware, label: string) {
    this.usPerCycle = 1 / hw.clockMHz;
    this.events.push(JSON.stringify({ name: 'process_name', ph: 'M', pid: PID, args: { name: `NPU ${hw.name}: ${label}` } }));
    this.samples = this.unit('samples', TID.samples, 0);
    this.controller = this.unit('controller', TID.controller, 1);
    this.cpu = this.unit('CPU', TID.cpu, 2);
    for (let b = 0; b < hw.bus.dataBuses; b++) this.buses.push(this.unit(`data bus ${b}`, TID.bus + b, 3 + b));
    for (let t = 0; t < hw.tiles; t++) this.tiles.push(this.unit(`tile ${t}`, TID.tile + t, 100 + t));
  }

  private unit(name: string, tid: number, order: number): Unit {
    // The first lane's names go with every unit's, before any event; later lanes' go where the unit's events go.
    const u: Unit = { name, sortIndex: order * LANES_PER_UNIT, tids: [], laneEnd: [], out: this.events };
    this.openLane(u, tid);
    if (order === 0) u.out = this.sampleEvents;
    return u;
  }

  private openLane(u: Unit, tid: number): void {
    const lane = u.tids.length;
    u.tids.push(tid);
    u.laneEnd.push(-Infinity);
    const name = lane === 0 ? u.name : `${u.name}, lane ${lane + 1}`;
    u.out.push(JSON.stringify({ name: 'thread_name', ph: 'M', pid: PID, tid, args: { name } }));
    u.out.push(JSON.stringify({ name: 'thread_sort_index', ph: 'M', pid: PID, tid, args: { sort_index: u.sortIndex + lane } }));
  }

  /** The track for an event from `start` to `end` on unit `u`: its first lane that is free by `start`. */
  private track(u: Unit, start: number, end: number): number {
    let lane = u.laneEnd.findIndex((laneEnd) => laneEnd <= start);
    if (lane < 0) {
      lane = u.tids.length;
      this.openLane(u, u.out === this.sampleEvents ? this.nextSampleTid++ : this.nextTid++);
    }
    u.laneEnd[lane] = end;
    return u.tids[lane];
  }

  private push(name: string, cat: string, u: Unit, start: number, end: number, args?: Record<string, number | string>): void {
    if (this.eventCount >= MAX_TRACE_EVENTS)
      fail(DIAG.traceTooLarge, undefined, MAX_TRACE_EVENTS);
    const e: Record<string, unknown> = { name, cat, ph: 'X', pid: PID, tid: this.track(u, start, end), ts: start * this.usPerCycle, dur: (end - start) * this.usPerCycle };
    e.args = { ...args, startCycle: start, endCycle: end };
    u.out.push(JSON.stringify(e));
  }

  event(name: string, kind: 'tile' | 'bus' | 'controller' | 'cpu', lane: number, start: number, end: number, stage: number, args?: Record<string, number | string>): void {
    const u = kind === 'tile' ? this.tiles[lane] : kind === 'bus' ? this.buses[lane] : kind === 'cpu' ? this.cpu : this.controller;
    this.push(name, STAGE_NAMES[stage], u, start, end, args);
  }

  sample(index: number, start: number, end: number, path: 'npu' | 'cpu'): void {
    this.push(`sample ${index} (${path})`, 'sample', this.samples, start, end, { sample: index });
  }

  get eventCount(): number {
    return this.events.length + this.sampleEvents.length;
  }

  toJSON(): string {
    return `{"displayTimeUnit":"ns","traceEvents":[\n${this.events.concat(this.sampleEvents).join(',\n')}\n]}\n`;
  }
}
