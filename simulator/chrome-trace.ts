// Collects timing events as Chrome trace events (chrome://tracing, Perfetto): one track per tile,
// per data bus, the controller, the CPU, and the samples. Times are converted from cycles to µs.

import type { Hardware } from '../hardware/description.ts';
import { STAGE_NAMES } from '../isa/table.ts';
import type { TraceSink } from './timing-model.ts';
import { DIAG } from '../diagnostics/catalog.ts';
import { fail } from '../diagnostics/diagnostic.ts';

const PID = 1;
const TID = { samples: 1, controller: 2, cpu: 3, bus: 10, tile: 100 } as const;

/** Traces are held in memory until the run ends; past this many events, ask for a narrower range. */
export const MAX_TRACE_EVENTS = 2_000_000;

export class ChromeTrace implements TraceSink {
  private readonly events: string[] = [];
  private readonly usPerCycle: number;

  constructor(hw: Hardware, label: string) {
    this.usPerCycle = 1 / hw.clockMHz;
    const meta = (tid: number, name: string, sort: number) => {
      this.events.push(JSON.stringify({ name: 'thread_name', ph: 'M', pid: PID, tid, args: { name } }));
      this.events.push(JSON.stringify({ name: 'thread_sort_index', ph: 'M', pid: PID, tid, args: { sort_index: sort } }));
    };
    this.events.push(JSON.stringify({ name: 'process_name', ph: 'M', pid: PID, args: { name: `NPU ${hw.name}: ${label}` } }));
    meta(TID.samples, 'samples', 0);
    meta(TID.controller, 'controller', 1);
    meta(TID.cpu, 'CPU', 2);
    for (let b = 0; b < hw.bus.dataBuses; b++) meta(TID.bus + b, `data bus ${b}`, 3 + b);
    for (let t = 0; t < hw.tiles; t++) meta(TID.tile + t, `tile ${t}`, 100 + t);
  }

  private push(name: string, cat: string, tid: number, start: number, end: number, args?: Record<string, number | string>): void {
    if (this.events.length >= MAX_TRACE_EVENTS)
      fail(DIAG.badOption, undefined, `the trace passed ${MAX_TRACE_EVENTS.toLocaleString('en-US')} events; trace fewer samples with --trace-samples (e.g. 0:1000)`);
    const e: Record<string, unknown> = { name, cat, ph: 'X', pid: PID, tid, ts: start * this.usPerCycle, dur: (end - start) * this.usPerCycle };
    e.args = { ...args, startCycle: start, endCycle: end };
    this.events.push(JSON.stringify(e));
  }

  event(name: string, kind: 'tile' | 'bus' | 'controller' | 'cpu', lane: number, start: number, end: number, stage: number, args?: Record<string, number | string>): void {
    const tid = kind === 'tile' ? TID.tile + lane : kind === 'bus' ? TID.bus + lane : kind === 'cpu' ? TID.cpu : TID.controller;
    this.push(name, STAGE_NAMES[stage], tid, start, end, args);
  }

  sample(index: number, start: number, end: number, path: 'npu' | 'cpu'): void {
    this.push(`sample ${index} (${path})`, 'sample', TID.samples, start, end, { sample: index });
  }

  get eventCount(): number {
    return this.events.length;
  }

  toJSON(): string {
    return `{"displayTimeUnit":"ns","traceEvents":[\n${this.events.join(',\n')}\n]}\n`;
  }
}
