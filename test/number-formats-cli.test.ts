// Number formats through the real CLI, on a sobel AXNet trained with `axc train` on real AxBench rows: the
// report's quantization figures (decisions flipped, H(x) deviation) equal an independent count from the CSVs
// of the fp32 and the format's binaries; fixed16.8 deviates a little but not zero; int8 spends less NPU energy
// than fp32; the datapath section names the formats; and the options' refusals.

import test from 'ava';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { RunReport } from '../simulator/report.ts';
import { copyFirstRows } from './support/axbench-data.ts';
import { runAxc, runAxcInProcess } from './support/run-axc.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'axc-formats-'));
test.after.always(() => rmSync(dir, { recursive: true, force: true }));

const ROWS = 2000;
const at = (name: string) => path.join(dir, name);

function readCsv(file: string): Record<string, string>[] {
  const [head, ...lines] = readFileSync(file, 'utf8').trim().split('\n');
  const cols = head.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i], v])));
}

async function axc(args: string[]): Promise<void> {
  const r = await runAxcInProcess(args);
  if (r.status !== 0) throw new Error(`axc ${args.join(' ')}: ${r.stderr}`);
}

const report = (name: string) => JSON.parse(readFileSync(at(name), 'utf8')) as RunReport;

/** The model, trained once; each format's binary; their CSVs (invoke all, and model mode at one threshold) and
 *  reports with --shadow fp32. */
const prepared = (async () => {
  copyFirstRows('sobel', ROWS, at('data'));
  const x = at('data/train.x');
  await axc(['train', '--bench', 'sobel', '--data', at('data'), '--epochs', '4', '--seed', '3', '-q', '-o', at('m.axn')]);
  for (const f of ['fp32', 'fixed16.8', 'int8']) {
    await axc(['compile', at('m.axn'), '--datapath', f, ...(f === 'int8' ? ['--calibrate', x] : []), '-q', '-o', at(`${f}.bin`)]);
    await axc(['sim', at(`${f}.bin`), '-i', x, '--invoke', 'all', '-o', at(`${f}.all.csv`), '-q']);
  }
  // A threshold at the median fp32 P(x): about half the decisions sit on each side, so some can flip.
  const ps = readCsv(at('fp32.all.csv')).map((r) => Number(r.p)).sort((a, b) => a - b);
  const threshold = String(ps[Math.floor(ps.length / 2)]);
  for (const f of ['fp32', 'fixed16.8', 'int8']) {
    await axc(['sim', at(`${f}.bin`), '-i', x, '--threshold', threshold, '-o', at(`${f}.model.csv`), '-q']);
    await axc(['sim', at(`${f}.bin`), '-i', x, '--threshold', threshold, '--shadow', 'fp32', '--reference', 'exact', '--report', at(`${f}.json`), '-q']);
    await axc(['sim', at(`${f}.bin`), '-i', x, '--invoke', 'all', '--shadow', 'fp32', '--report', at(`${f}.all.json`), '-q']);
  }
})();

/** H(x) deviation between two --invoke all CSVs, computed here from the printed float32 values. */
function deviation(a: Record<string, string>[], b: Record<string, string>[]): { mean: number; max: number } {
  let sum = 0;
  let max = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(Math.fround(Number(a[i].y0)) - Math.fround(Number(b[i].y0)));
    sum += d;
    max = Math.max(max, d);
  }
  return { mean: sum / a.length, max };
}

for (const f of ['fixed16.8', 'int8']) {
  test.serial(`${f}: decisions flipped and H(x) deviation equal a count from the fp32 and ${f} CSVs`, async (t) => {
    await prepared;
    const fp32Model = readCsv(at('fp32.model.csv'));
    const model = readCsv(at(`${f}.model.csv`));
    const flipped = model.filter((r, i) => r.invoked !== fp32Model[i].invoked).length;
    const r = report(`${f}.json`);
    t.is(r.quantization!.decisionsFlipped, flipped);
    const all = report(`${f}.all.json`).quantization!;
    t.is(all.compared, ROWS);
    const d = deviation(readCsv(at(`${f}.all.csv`)), readCsv(at('fp32.all.csv')));
    t.is(all.outputDeviation.max, d.max);
    t.true(Math.abs(all.outputDeviation.mean - d.mean) <= 1e-12 * Math.max(1, d.mean), `${all.outputDeviation.mean} vs ${d.mean}`);
    // The fp32 quality beside the format's, from the same reference.
    t.is(r.quantization!.quality!.samples, ROWS);
    t.is(report('fp32.json').quality!.trueInvocation, r.quantization!.quality!.trueInvocation);
    t.log(`${f}: ${flipped} decisions flipped, deviation mean ${d.mean.toPrecision(3)} max ${d.max.toPrecision(3)}`);
  });
}

test.serial('fixed16.8 deviates from fp32 a little but not by zero; int8 spends less NPU energy than fp32', async (t) => {
  await prepared;
  const q = report('fixed16.8.all.json').quantization!;
  t.true(q.outputDeviation.max > 0 && q.outputDeviation.max < 0.05, `max deviation ${q.outputDeviation.max}`);
  const npu = (name: string) => {
    const r = report(name);
    return (r.energy.totalPj - r.energy.breakdownPj.cpu) / r.samples;
  };
  // Under --invoke all every sample runs on the NPU in both, so the energy compares the datapaths alone.
  t.true(npu('int8.all.json') < npu('fp32.all.json') / 2, `${npu('int8.all.json')} vs ${npu('fp32.all.json')}`);
});

test.serial("the report's datapath section: formats, int8 scales per layer, saturations counted per layer", async (t) => {
  await prepared;
  const d = report('int8.json').datapath!;
  t.deepEqual([d.weights, d.activations, d.accumulator, d.lut], ['int8', 'int8', 'int32', 'exact']);
  t.is(d.input.format, 'int8');
  t.true(Number.isInteger(d.input.fractionBits));
  // sobel's default AXNet: predictor 9-8 then its output layer, approximator 9-8-1. The int32 accumulator holds
  // products exactly: its fraction bits are the weights' plus the inputs' (the sample's, or the layer before's).
  t.is(d.layers.length, 4);
  const [pHidden, pOut, aHidden, aOut] = d.layers;
  const frac = (g: { fractionBits: number | null }) => g.fractionBits!;
  t.is(frac(pHidden.accumulator), frac(pHidden.weights) + frac(d.input));
  t.is(frac(pOut.accumulator), frac(pOut.weights) + frac(pHidden.output));
  t.is(frac(aHidden.accumulator), frac(aHidden.weights) + frac(d.input));
  t.is(frac(aOut.accumulator), frac(aOut.weights) + frac(aHidden.output));
  t.is(d.saturations, d.input.saturations + d.layers.reduce((a, l) => a + l.saturations, 0));
  t.is(report('fp32.json').datapath, undefined, 'fp32 reports are as they were');
  t.is(report('fp32.json').quantization, undefined);
});

test('the options refuse what they cannot do, each with one message', (t) => {
  const bad = runAxc(['compile', 'examples/sobel.axn', '--datapath', 'fixed8.9', '-o', at('never.bin')]);
  t.is(bad.status, 2);
  t.is(bad.stderr.trim(), "error: --datapath: 'fixed8.9' has 9 fraction bits in 8; at most 7, leaving the sign bit [AXU725]");
  const int8 = runAxc(['compile', 'examples/sobel.axn', '--datapath', 'int8', '-o', at('never.bin')]);
  t.is(int8.status, 1);
  t.regex(int8.stderr, /^examples\/sobel\.axn:\d+:\d+: error: an int8 datapath needs the range of every tensor .* \[AXC206\]\n$/);
  t.false(int8.stderr.includes('    at '), 'no stack trace');
  const shadow = runAxc(['sim', at('never.bin'), '-i', 'examples/sobel.x', '--shadow', 'fp16']);
  t.is(shadow.status, 2);
  t.regex(shadow.stderr, /--shadow.*fp16.*fp32/);
});
