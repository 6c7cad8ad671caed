// Chrome traces: valid trace-event JSON, one track per tile, bus, the controller and the CPU, and only
// the requested samples.

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
