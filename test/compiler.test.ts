// Compiler behaviour: control-vector fusion (all-layer and single), static vs dynamic scheduling and
// the refusal of a static schedule that cannot fit, allocation limits, and IR dumps after every pass.

import test from 'ava';
import { batchSamples, DEFAULT_BATCH_CAP } from '../compiler/batch-samples.ts';
import { allocateMemory } from '../compiler/allocate-memory.ts';
import { emitProgram } from '../compiler/emit-program.ts';
import { estimateStaticCycles } from '../compiler/estimate-cycles.ts';
import { fuseControlVectors } from '../compiler/fuse-control-vectors.ts';
import { scheduleNeurons } from '../compiler/schedule-neurons.ts';
import { timeSamplePaths } from '../machine/time-paths.ts';
import { Simulator } from '../machine/simulator.ts';
import { interpretModel } from '../ir/interpret-model.ts';
import { compileModel, PASSES } from '../compiler/pipeline.ts';
import { AxcError } from '../diagnostics/diagnostic.ts';
import { loadModelFile } from '../frontend/parse-model.ts';
import { HardwareSchema } from '../hardware/description.ts';
import type { AxModel } from '../ir/model.ts';
import { decodeProgram, operandsOf } from '../isa/encoding.ts';
import { opcodeOf } from '../isa/table.ts';
import { buildModel } from './support/random-model.ts';

function example(name: string): AxModel {
  const { model, diagnostics } = loadModelFile(`examples/${name}.axn`);
  if (!model) throw new AxcError(diagnostics);
  return model;
}

const codes = (e: unknown) => (e as AxcError).diagnostics.map((d) => d.code);
const LDW = opcodeOf('ldw');
const NEU = opcodeOf('neu');

function ldwAfterLoop(bin: ReturnType<typeof compileModel>): { before: number; inside: number; rows: number } {
  // The loop: one sample at a time, or a batch of them.
  const loop = bin.symbols.find((s) => s.name === 'sample' || s.name === 'batch')!.pc;
  const prog = decodeProgram(bin.code);
  let before = 0;
  let inside = 0;
  let rows = 0;
  prog.forEach((ins, pc) => {
    if (ins.op !== LDW) return;
    if (pc < loop) before++;
    else inside++;
    const a = operandsOf(ins, 'ldw');
    rows += a.count * a.row;
  });
  return { before, inside, rows };
}

test('a single-control model gets exactly one control segment and pays for no others', (t) => {
  const m = example('single-control');
  const f = fuseControlVectors(m);
  const controls = f.ops.filter((o) => o.role === 'control');
  t.deepEqual(controls.map((o) => [o.name, o.width]), [['c2', 12]]);
  t.deepEqual(f.regions.filter((r) => r.kind === 'control').map((r) => r.name), ['c2']);
  const gated = f.ops.filter((o) => o.control);
  t.deepEqual(gated.map((o) => [o.name, o.control!.name]), [['h2', 'c2']]);
  // The predictor's output layer is 12 + 1 wide, not 16 + 12 + 1.
  t.is(f.ops.filter((o) => o.subnet === 'predictor' && o.role !== 'hidden').reduce((s, o) => s + o.width, 0), 13);
  // Only h2's neu instructions route through the Hadamard multiplier.
  const bin = compileModel(m);
  const neurons = decodeProgram(bin.code).filter((i) => i.op === NEU).map((i) => operandsOf(i, 'neu'));
  const gatedNeurons = neurons.filter((a) => a.ctl === 1).reduce((s, a) => s + a.count, 0);
  t.is(gatedNeurons, 12);
});

test('all-layer control fuses one gate into every hidden layer', (t) => {
  const m = buildModel({
    input: 3, approxHidden: [{ width: 4, activation: 'relu' }, { width: 5, activation: 'tanh' }], output: 2, outputActivation: 'linear',
    predictorHidden: [{ width: 3, activation: 'relu' }], control: 'all', controlActivations: ['sigmoid'], decision: { kind: 'softmax', safeIndex: 0, threshold: 0.5 },
    hasPredictor: true, seed: 3, scale: 1,
  });
  const f = fuseControlVectors(m);
  t.deepEqual(f.ops.filter((o) => o.control).map((o) => `${o.name}⊙${o.control!.name}`), ['h0⊙c0', 'h1⊙c1']);
  const decision = f.regions.find((r) => r.kind === 'decision')!;
  t.is(decision.len, 2);
  t.deepEqual(f.decision && { kind: f.decision.kind, at: f.decision.at.addr }, { kind: 'softmax', at: decision.addr });
});

test('static schedule: every weight row is loaded once, before the sample loop', (t) => {
  for (const name of ['sobel', 'inversek2j', 'jpeg', 'single-control', 'tiny']) {
    const bin = compileModel(example(name));
    t.is(bin.meta.schedule, 'static', name);
    const l = ldwAfterLoop(bin);
    t.is(l.inside, 0, name);
    t.is(l.rows, bin.dram.length, `${name}: rows loaded = weight image`);
  }
});

test('dynamic schedule loads every weight row inside the loop, once per batch (or per sample at --batch 1)', (t) => {
  for (const batch of [1, 4, undefined]) {
    const bin = compileModel(example('jpeg'), { schedule: 'dynamic', batch });
    t.is(bin.meta.schedule, 'dynamic');
    t.is(new Simulator(bin).batch, batch ?? DEFAULT_BATCH_CAP, String(batch));
    const l = ldwAfterLoop(bin);
    t.is(l.before, 0);
    t.is(l.rows, bin.dram.length);
  }
});

const TOO_SMALL = HardwareSchema.parse({ name: 'tiny-npu', tiles: 1, pesPerTile: 2, weightBufferWords: 40 });

test('auto picks dynamic when static cannot fit, and says why', (t) => {
  let dump = '';
  const bin = compileModel(example('sobel'), { hardware: TOO_SMALL, dumpAfter: 'schedule', onDump: (_, s) => (dump = s) });
  t.is(bin.meta.schedule, 'dynamic');
  t.regex(dump, /auto: static does not fit \(the model's 259 weight words do not fit: the best placement found needs (\d+) words in its busiest PE's weight buffer, which holds 40\)/);
  // 259 words over 2 PEs cannot take less than 130 in the busier one.
  t.true(Number(/needs (\d+) words/.exec(dump)![1]) >= 130);
});

test('a forced static schedule that cannot fit is refused with the reason', (t) => {
  const e = t.throws(() => compileModel(example('sobel'), { hardware: TOO_SMALL, schedule: 'static' })) as AxcError;
  t.deepEqual(codes(e), ['AXC201']);
  t.regex(e.message, /examples\/sobel\.axn:\d+:\d+: error: static schedule does not fit this NPU: the model's 259 weight words do not fit: the best placement found needs \d+ words/);
});

test('a layer whose fan-in exceeds a weight buffer is summed in chunks, down to a buffer of one word', (t) => {
  const hw = HardwareSchema.parse({ weightBufferWords: 32 });
  const bin = compileModel(example('jpeg'), { hardware: hw });
  t.is(bin.meta.schedule, 'dynamic');
  // jpeg's 64-input layers take three chunks each (31, 31 and 2).
  const ops = decodeProgram(bin.code);
  t.is(ops.filter((i) => i.op === opcodeOf('mac')).length, 3 * ops.filter((i) => i.op === opcodeOf('fin')).length);
  // One word holds one weight at a time, and then the bias on its own: 64 mac per fin, and a one-word ldw before each fin.
  const one = decodeProgram(compileModel(example('jpeg'), { hardware: HardwareSchema.parse({ weightBufferWords: 1 }) }).code);
  const fins = one.filter((i) => i.op === opcodeOf('fin')).length;
  t.true(fins > 0);
  t.true(one.filter((i) => i.op === opcodeOf('mac')).length >= 16 * fins);
});

test('on-chip memory too small for one sample is reported; any input buffer runs the model', (t) => {
  // One sample's regions, each from the op that writes it to its last reader, laid out so that those alive at
  // once do not share words: the most alive at once is while the predictor's split runs, x 64 + p1 16 + c1 16 +
  // logits 2 = 98 words (h1 later takes what p1 and the logits held). Separately they would take 178.
  const ocm = t.throws(() => compileModel(example('jpeg'), { hardware: HardwareSchema.parse({ onChipMemoryWords: 97 }) })) as AxcError;
  t.regex(ocm.message, /one sample's working set .* needs 98 words of on-chip memory, but the NPU has 97 \[AXC202\]/);
  const fits = compileModel(example('jpeg'), { hardware: HardwareSchema.parse({ onChipMemoryWords: 98 }) });
  t.is(new Simulator(fits).batch, 1, 'static: one sample at a time, in the lifetime layout');
  // Inputs are loaded chunk by chunk; a gated layer summed in chunks takes its control slice over its spent
  // inputs, so even a one-word input buffer runs it.
  const model = example('jpeg');
  for (const words of [8, 1]) {
    const bin = compileModel(model, { hardware: HardwareSchema.parse({ inputBufferWords: words }) });
    t.is(bin.meta.schedule, 'dynamic');
    const x = Float32Array.from({ length: 64 }, (_, j) => (j % 7) / 7);
    const e = interpretModel(model, x);
    new Simulator(bin, { invoke: 'all' }).runAll([x], (r) => t.deepEqual(Array.from(r.y), Array.from(e.y), `H(x) on a ${words}-word input buffer`));
  }
});

test('--dump-after works for every pass and rejects unknown ones', (t) => {
  const m = example('tiny');
  for (const p of PASSES) {
    let got = '';
    compileModel(m, { dumpAfter: p.name, onDump: (name, s) => (got = `${name}:${s}`) });
    t.true(got.startsWith(`${p.name}:`) && got.length > p.name.length + 20, p.name);
  }
  const e = t.throws(() => compileModel(m, { dumpAfter: 'optimise' })) as AxcError;
  t.deepEqual(codes(e), ['AXC203']);
  t.regex(e.message, /passes are: verify, fuse-control, schedule, batch, allocate, emit/);
});

test('the verify pass rejects a malformed IR', (t) => {
  const m = example('tiny');
  const broken: AxModel = { ...m, approximator: m.approximator.map((l, i) => (i === 0 ? { ...l, bias: new Float32Array(1) } : l)) };
  const e = t.throws(() => compileModel(broken)) as AxcError;
  t.deepEqual(codes(e), ['AXC204']);
  t.regex(e.message, /layer 'h' has 1 biases, needs 2/);
});

test('compilation is deterministic', (t) => {
  const a = compileModel(example('jpeg'));
  const b = compileModel(example('jpeg'));
  t.deepEqual(a, b);
});

test('a static placement is timed on the tiles it uses, with the cycles the whole machine gives it', (t) => {
  const hw = HardwareSchema.parse({ tiles: 64 });
  for (const name of ['sobel', 'jpeg', 'inversek2j', 'single-control']) {
    const f = fuseControlVectors(example(name));
    const s = scheduleNeurons(f, hw, 'static');
    const full = timeSamplePaths(emitProgram(allocateMemory(batchSamples(s, hw, undefined), hw), hw));
    t.deepEqual(estimateStaticCycles(f, hw, s.chunks, s.peakWeightWords), full, name);
  }
});
