// Chrome traces: valid trace-event JSON, tracks for the samples, the controller, the CPU, each bus and
// each tile (with extra lanes for concurrent work), events that nest on every track, and only the requested samples.

import { readdirSync } from 'node:fs';
import test from 'ava';
import { compileModel } from '../compiler/pipeline.ts';
import { AxcError } from '../diagnostics/diagnostic.ts';
import { loadModelFile } from '../frontend/parse-model.ts';
import { HardwareSchema } from '../hardware/description.ts';
import { parseSampleRange } from '../cli/commands/sim.ts';
import { ChromeTrace } from '../simulator/chrome-trace.ts';
import { readSamples } from '../simulator/read-samples.ts';
import { runSimulation } from '../simulator/run-simulation.ts';

interface Ev {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur: number;
  cat: string;
  args: Record<string, number | string>;
}

async function traced(from: number, to: number) {
  const { model, diagnostics } = loadModelFile('examples/sobel.axn');
  if (!model) throw new AxcError(diagnostics);
  const hw = HardwareSchema.parse({ bus: { dataBuses: 2 } });
  const bin = compileModel(model, { hardware: hw });
  const sink = new ChromeTrace(hw, 'test');
  const report = await runSimulation(bin, readSamples('examples/sobel.x', 9), { trace: { sink, from, to } });
  const parsed = JSON.parse(sink.toJSON()) as { traceEvents: Ev[] };
  return { report, events: parsed.traceEvents };
}

test('a trace has the tracks, and holds exactly the requested samples', async (t) => {
  const { report, events } = await traced(3, 6);
  const threads = events.filter((e) => e.ph === 'M' && e.name === 'thread_name').map((e) => String(e.args.name));
  t.deepEqual(threads, ['samples', 'controller', 'CPU', 'data bus 0', 'data bus 1', 'tile 0', 'tile 1', 'tile 2', 'tile 3']);
  const spans = events.filter((e) => e.ph === 'X');
  const samples = spans.filter((e) => e.cat === 'sample');
  t.deepEqual(samples.map((e) => e.args.sample), [3, 4, 5]);
  // Every other event lies inside the traced samples' time span.
  const start = Math.min(...samples.map((e) => e.args.startCycle as number));
  const end = Math.max(...samples.map((e) => e.args.endCycle as number));
  const work = spans.filter((e) => e.cat !== 'sample');
  t.true(work.length > 0);
  for (const e of work) t.true((e.args.startCycle as number) >= start && (e.args.endCycle as number) <= end, `${e.name} at ${e.args.startCycle}`);
  // Categories are stage names; bus events name their requester; times convert at 1000 MHz.
  t.true(work.every((e) => ['predict', 'store-predictions', 'decide', 'approximate', 'output'].includes(e.cat)));
  t.true(work.filter((e) => e.tid >= 10 && e.tid < 100).every((e) => /^(tile \d|cpu)$/.test(String(e.args.requester))));
  t.true(work.every((e) => Math.abs(e.dur - ((e.args.endCycle as number) - (e.args.startCycle as number)) / 1000) < 1e-9));
  t.true(end <= report.cycles.total);
});

test('tracing from sample 0 includes the setup stage', async (t) => {
  const { events } = await traced(0, 1);
  t.true(events.some((e) => e.ph === 'X' && e.cat === 'setup' && e.name === 'ldw'));
});

test('--trace-samples ranges', (t) => {
  t.deepEqual(parseSampleRange('3:7'), { from: 3, to: 7 });
  t.deepEqual(parseSampleRange(':5'), { from: 0, to: 5 });
  t.deepEqual(parseSampleRange('10:'), { from: 10, to: Infinity });
  t.deepEqual(parseSampleRange('25'), { from: 0, to: 25 });
  for (const bad of ['5:5', '7:3', 'a:b', '-1:3', '']) t.throws(() => parseSampleRange(bad), { instanceOf: AxcError }, bad);
});

/** Pairs of complete (X) events on one track that overlap without one containing the other: Perfetto misdraws them. */
function misnested(events: Ev[]): string[] {
  const byTrack = new Map<string, Ev[]>();
  for (const e of events) {
    if (e.ph !== 'X') continue;
    const key = `${e.pid}/${e.tid}`;
    if (!byTrack.has(key)) byTrack.set(key, []);
    byTrack.get(key)!.push(e);
  }
  const bad: string[] = [];
  for (const [track, list] of byTrack) {
    const spans = list.map((e) => ({ name: e.name, start: e.args.startCycle as number, end: e.args.endCycle as number }));
    for (let i = 0; i < spans.length; i++) {
      for (let j = i + 1; j < spans.length; j++) {
        const a = spans[i];
        const b = spans[j];
        const disjoint = a.end <= b.start || b.end <= a.start;
        const nested = (a.start <= b.start && b.end <= a.end) || (b.start <= a.start && a.end <= b.end);
        if (!disjoint && !nested) bad.push(`track ${track}: ${a.name} [${a.start}, ${a.end}) and ${b.name} [${b.start}, ${b.end})`);
      }
    }
  }
  return bad;
}

for (const file of readdirSync('examples').filter((f) => f.endsWith('.axn'))) {
  for (const schedule of ['static', 'dynamic'] as const) {
    test(`events on each track of a trace nest properly: ${file}, ${schedule} schedule`, async (t) => {
      const { model, diagnostics } = loadModelFile(`examples/${file}`);
      if (!model) throw new AxcError(diagnostics);
      const hw = HardwareSchema.parse({});
      const bin = compileModel(model, { hardware: hw, schedule });
      const sink = new ChromeTrace(hw, 'test');
      await runSimulation(bin, readSamples(`examples/${file.replace(/\.axn$/, '.x')}`, model.inputWidth), { trace: { sink, from: 0, to: 20 } });
      const events = (JSON.parse(sink.toJSON()) as { traceEvents: Ev[] }).traceEvents;
      t.true(events.filter((e) => e.ph === 'X').length > 0);
      const bad = misnested(events);
      t.deepEqual(bad.slice(0, 5), [], `${bad.length} overlapping pairs`);
      // Every track an event lands on is named.
      const named = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name').map((e) => e.tid));
      t.true(events.filter((e) => e.ph === 'X').every((e) => named.has(e.tid)));
    });
  }
}

test('pipelined DRAM reads during setup go on extra lanes of their tile', async (t) => {
  const { model, diagnostics } = loadModelFile('examples/jpeg.axn');
  if (!model) throw new AxcError(diagnostics);
  const hw = HardwareSchema.parse({});
  const bin = compileModel(model, { hardware: hw, schedule: 'static' });
  const sink = new ChromeTrace(hw, 'test');
  await runSimulation(bin, readSamples('examples/jpeg.x', 64), { trace: { sink, from: 0, to: 1 } });
  const events = (JSON.parse(sink.toJSON()) as { traceEvents: Ev[] }).traceEvents;
  const names = new Map(events.filter((e) => e.ph === 'M' && e.name === 'thread_name').map((e) => [e.tid, String(e.args.name)]));
  const reads = events.filter((e) => e.ph === 'X' && e.name === 'dram read');
  const tracks = new Set(reads.map((e) => names.get(e.tid)));
  t.true(tracks.has('tile 0') && tracks.has('tile 0, lane 2'), [...tracks].join('; '));
});
