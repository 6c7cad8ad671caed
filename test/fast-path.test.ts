// The fast simulator path (machine/block/: block execution and exact timing reuse) against the reference path
// (`axc sim --reference-path`): byte-identical CSVs, reports and traces for every example, with and without
// --invoke all, and for a static and a dynamic schedule on real AxBench inputs; and the timing reuse on
// hand-written programs, one whose timing state never repeats and one whose state does.

import test from 'ava';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { compileModel } from '../compiler/pipeline.ts';
import { findBenchmark } from '../benchmarks/registry.ts';
import { loadModelFile } from '../frontend/parse-model.ts';
import { packBinary, unpackBinary, type Binary } from '../isa/container.ts';
import { assemble } from '../isa/assemble.ts';
import { parseHardware } from '../hardware/load-hardware.ts';
import { ChromeTrace } from '../simulator/chrome-trace.ts';
import { readSamples } from '../simulator/read-samples.ts';
import { referenceRows } from '../simulator/reference-rows.ts';
import { runSimulation } from '../simulator/run-simulation.ts';
import { Simulator } from '../machine/simulator.ts';
import { timingFor } from '../machine/timing-model.ts';
import { fastPathDifference } from '../machine/block/fast-path-check.ts';
import { axbenchFolder } from './support/axbench-data.ts';
import { repoRoot, runAxc } from './support/run-axc.ts';

const EXAMPLES = ['sobel', 'jpeg', 'inversek2j', 'single-control', 'tiny'];

function tempDir(t: { teardown: (f: () => void) => void }): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'axc-fast-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** An input file holding `rows` rows: the given file's rows, repeated, so that a run spans several blocks. */
function repeatRows(from: string, rows: number, to: string): string {
  const lines = readFileSync(from, 'utf8').split('\n').filter((l) => l.trim() !== '');
  const out: string[] = [];
  for (let i = 0; i < rows; i++) out.push(lines[i % lines.length]);
  writeFileSync(to, out.join('\n') + '\n');
  return to;
}

/** `axc sim` on both paths with the same arguments: the CSV, report and trace of each, as bytes. */
function bothPaths(dir: string, bin: string, args: string[]): { fast: Buffer[]; reference: Buffer[] } {
  const run = (tag: string, extra: string[]) => {
    const files = ['csv', 'report.json', 'trace.json'].map((f) => path.join(dir, `${tag}.${f}`));
    const r = runAxc(['sim', bin, ...args, '-o', files[0], '--report', files[1], '--trace', files[2], '--trace-samples', '100:700', '-q', ...extra]);
    if (r.status !== 0) throw new Error(`axc sim ${tag}: ${r.stderr}`);
    return files.map((f) => readFileSync(f));
  };
  return { fast: run('fast', []), reference: run('reference', ['--reference-path']) };
}

function assertSame(t: import('ava').ExecutionContext, got: { fast: Buffer[]; reference: Buffer[] }, what: string): void {
  ['CSV', 'report', 'trace'].forEach((name, i) => t.true(got.fast[i].equals(got.reference[i]), `${what}: ${name} differs between the fast and the reference path`));
  t.true(got.fast[0].length > 1000 && got.fast[2].length > 1000, `${what}: the outputs hold something`);
}

/** runSimulation (what `axc sim` runs) on either path in process: the CSV bytes, the report and the trace. */
async function inProcess(bin: Binary, input: string, fastPath: boolean, opts: { invoke?: 'all'; reference?: string }): Promise<string[]> {
  const chunks: string[] = [];
  const sink = new ChromeTrace(bin.hardware, 'fast-path test');
  const quality = bin.meta.quality;
  const report = await runSimulation(bin, readSamples(input, bin.meta.inputWidth), {
    invoke: opts.invoke,
    fastPath,
    onRow: (row) => void chunks.push(typeof row === 'string' ? row : Buffer.from(row).toString('latin1')),
    trace: { sink, from: 100, to: 700 },
    reference: opts.reference && quality ? { rows: referenceRows({ kind: 'file', path: opts.reference }, bin.meta.outputWidth), quality } : undefined,
    exact: bin.meta.benchmark ? findBenchmark(bin.meta.benchmark) : undefined,
  });
  return [chunks.join(''), JSON.stringify(report), sink.toJSON()];
}

async function assertSameInProcess(t: import('ava').ExecutionContext, bin: Binary, input: string, what: string, opts: { invoke?: 'all'; reference?: string } = {}): Promise<string> {
  const fast = await inProcess(bin, input, true, opts);
  const reference = await inProcess(bin, input, false, opts);
  ['CSV', 'report', 'trace'].forEach((name, i) => t.true(fast[i] === reference[i], `${what}: ${name} differs between the fast and the reference path`));
  t.true(fast[0].length > 1000 && fast[2].length > 1000, `${what}: the outputs hold something`);
  return fast[1];
}

for (const name of EXAMPLES) {
  test(`${name}: CSV, report and trace are identical on both paths, with and without --invoke all`, async (t) => {
    const dir = tempDir(t);
    const { model } = loadModelFile(path.join(repoRoot, 'examples', `${name}.axn`));
    const bin = unpackBinary(packBinary(compileModel(model!)));
    // The fast path must actually run this program: otherwise the comparison would hold trivially.
    t.is(new Simulator(bin, { fastPath: true }).fastPathOff, null);
    // 1,203 rows: several blocks of 256 batches and a partial one.
    const input = repeatRows(path.join(repoRoot, 'examples', `${name}.x`), 1203, path.join(dir, 'in.x'));
    await assertSameInProcess(t, bin, input, name);
    await assertSameInProcess(t, bin, input, `${name} --invoke all`, { invoke: 'all' });
  });
}

test('through the CLI: axc sim and axc sim --reference-path write the same files', (t) => {
  const dir = tempDir(t);
  const bin = path.join(dir, 'sobel.bin');
  t.is(runAxc(['compile', 'examples/sobel.axn', '-o', bin, '-q']).status, 0);
  const input = repeatRows(path.join(repoRoot, 'examples', 'sobel.x'), 1203, path.join(dir, 'in.x'));
  assertSame(t, bothPaths(dir, bin, ['-i', input]), 'sobel via the CLI');
});

test('sobel and jpeg on real AxBench inputs, static and dynamic schedules, judged against the AxBench outputs: identical on both paths', async (t) => {
  for (const bench of ['sobel', 'jpeg']) {
    const data = axbenchFolder(bench);
    const { model } = loadModelFile(path.join(repoRoot, 'examples', `${bench}.axn`));
    for (const schedule of ['static', 'dynamic'] as const) {
      // Dynamic: a batch of 4 samples shares each weight load, so the blocks hold whole and partial batches.
      const bin = unpackBinary(packBinary(compileModel(model!, { schedule, ...(schedule === 'dynamic' ? { batch: 4 } : {}) })));
      const off = new Simulator(bin, { fastPath: true }).fastPathOff;
      t.log(`${bench} ${schedule}: ${off ?? 'block engine'}`);
      // Both run on the block engine in both schedules (a fallback would make the comparison trivial).
      t.is(off, null);
      const report = JSON.parse(await assertSameInProcess(t, bin, path.join(data, 'train.x'), `${bench} ${schedule}`, { reference: path.join(data, 'train.y') }));
      t.true(report.samples > 1800, `${bench}: all AxBench rows ran`);
    }
  }
});

/** The tiny example compiled in process, and a simulator over it on either path. */
function simulate(bin: ReturnType<typeof unpackBinary>, inputs: Float32Array[], fast: boolean, verify = false) {
  const timing = timingFor(bin);
  const sim = new Simulator(bin, { timing, fastPath: fast, verifyTimingReuse: verify, blockLanes: 8 });
  const rows: string[] = [];
  sim.runAll(inputs, (r) => rows.push([r.invoked ? Array.from(r.y).join(' ') : '-', r.p, r.invoked, r.fallback, r.instructions, r.start].join(',')));
  sim.close();
  const summary = JSON.stringify(timing.summary(), (_k, v) => (v instanceof Map ? [...v] : v));
  return { rows, summary, sim };
}

// A loop with a data-dependent branch (P(x) is the sample's first value) that moves no sample over the data
// bus (the host has its own link), while every iteration loads 512 weights from DRAM that nothing reads. DRAM
// takes 128 cycles per load and the loop far fewer, so the DRAM backlog, and with it the timing state relative
// to each sample's start, grows without bound: no state ever repeats. Without the load the state repeats.
const LOOP = (withLoad: boolean) => `.model timing-reuse
.cpu 40
.region x input m0 4
.region y output m0 1
.data d0 ${Array.from({ length: 512 }, (_, i) => ((i % 7) - 3) / 4).join(', ')}
.stage predict
sample:
    recv m0, 4
${withLoad ? '    ldw  t0, p0, 8, @0, d0, 64\n' : ''}.stage decide
    decs m0, 0.5, cpu_path
.stage output
    send m0, 1
    jmp  sample
cpu_path:
    cpu
    jmp  sample
`;

test('timing reuse: a program whose timing state never repeats gives exact results; one whose state repeats is reused', (t) => {
  const dir = tempDir(t);
  const hw = path.join(dir, 'hw.json');
  writeFileSync(hw, JSON.stringify({ bus: { hostOnDataBus: false } }));
  const rows = Array.from({ length: 3000 }, (_, i) => [((i * 7919) % 1000) / 1000, 0.25, 0.5, 0.75].join(' '));
  const input = path.join(dir, 'in.x');
  writeFileSync(input, rows.join('\n') + '\n');
  const inputs = rows.map((r) => Float32Array.from(r.split(' ').map(Number)));
  for (const withLoad of [true, false]) {
    const src = path.join(dir, `loop-${withLoad}.s`);
    const bin = path.join(dir, `loop-${withLoad}.bin`);
    writeFileSync(src, LOOP(withLoad));
    const asm = runAxc(['asm', src, '-o', bin, '--npu', hw, '-q']);
    t.is(asm.status, 0, asm.stderr);
    // Through the CLI: the CSV, report and trace are the same bytes on both paths.
    assertSame(t, bothPaths(dir, bin, ['-i', input]), withLoad ? 'never-repeating loop' : 'repeating loop');
    // In process: the same results and timing summary, and whether reuse happened at all.
    const b = unpackBinary(readFileSync(bin));
    const reference = simulate(b, inputs, false);
    const fast = simulate(b, inputs, true);
    const verified = simulate(b, inputs, true, true);
    t.is(fast.sim.fastPathOff, null);
    t.deepEqual(fast.rows, reference.rows);
    t.is(fast.summary, reference.summary);
    t.is(verified.summary, reference.summary);
    const reuse = fast.sim.timingReuse!;
    t.is(reuse.reused + reuse.timed, inputs.length, 'every sample is either reused or timed');
    if (withLoad) t.is(reuse.reused, 0, 'the never-repeating loop reuses nothing');
    else t.true(reuse.reused > inputs.length * 0.9, `the repeating loop reuses most samples: ${JSON.stringify(reuse)}`);
  }
  // The loop with the load really is never repeating: its cycles per sample keep growing.
  const b = unpackBinary(readFileSync(path.join(dir, 'loop-true.bin')));
  const hist = JSON.parse(simulate(b, inputs, false).summary).sampleCycles as [number, number][];
  t.true(hist.length > 1, 'the samples take different numbers of cycles');
});

// A batch of two whose slot-0 work is split over two `skip cpu, s0` guards: the word the first guarded
// region writes, the second reads. The planner proves it (the same decision guards both); with the second
// guard turned the other way the read would see an earlier sample's word, and the planner refuses.
const GUARDED = (secondGuard: 'cpu' | 'npu') => `.model guards
.data d0 0.5, -0.25, 0.125
.stage setup
    ldw  t0, p0, 1, @0, d0, 3
.stage predict
sample:
    recv m0, 2
    recv m2, 2, s1
.stage decide
    decs m0, 0.5, s0done
s0done:
    skip absent, s1, s1done
    decs m2, 0.5, s1done, s1
s1done:
.stage approximate
    skip cpu, s0, p1
    ldi  t0, @0, m0, 2
p1:
    skip ${secondGuard}, s0, p2
    neu  t0, p0, 1, @0, 2, @0, linear, 0, @0, @0
    sto  t0, @0, m4, 1
    send m4, 1
p2:
    skip npu, s0, p3
    cpu
p3:
    skip cpu, s1, p4
    send m2, 1, s1
p4:
    skip npu, s1, p5
    cpu  s1
p5:
    jmp  sample
`;

test('the planner proves a word written and read under the same slot guard, and refuses it under opposite guards', (t) => {
  const dir = tempDir(t);
  const inputs = Array.from({ length: 45 }, (_, i) => Float32Array.of(((i * 37) % 100) / 100, ((i * 61) % 100) / 100));
  for (const guard of ['cpu', 'npu'] as const) {
    const src = path.join(dir, `guards-${guard}.s`);
    const bin = path.join(dir, `guards-${guard}.bin`);
    writeFileSync(src, GUARDED(guard));
    const asm = runAxc(['asm', src, '-o', bin, '-q']);
    t.is(asm.status, 0, asm.stderr);
    const b = unpackBinary(readFileSync(bin));
    const off = new Simulator(b, { fastPath: true }).fastPathOff;
    if (guard === 'cpu') {
      t.is(off, null, 'the same guard: proved');
      for (const invoke of ['model', 'all'] as const) t.is(fastPathDifference(b, inputs, invoke).difference, null);
    } else t.regex(off ?? '', /reads ib word 0 before the sample has written it/, 'opposite guards: refused');
  }
});

/** Assembles a hand-written program. */
const build = (src: string, hw?: ReturnType<typeof parseHardware>) => unpackBinary(packBinary(assemble(src, 'x.s', hw)));
/** n one-word samples spread over [0, 1). */
const inputs = (n: number) => Array.from({ length: n }, (_, i) => Float32Array.of(((i * 7919) % 1000) / 1000));
/** A program's head: one weight, 0.5, loaded once; then the sample loop's label. */
const oneWeightLoop = (name: string) => `.model ${name}
.data d0 0.5
.stage setup
    ldw  t0, p0, 1, @0, d0, 1
.stage predict
sample:
`;

// A batch of three, pipelined as the dynamic schedule is: slot 1's result is made under one `skip absent, s1`
// guard and stored under a second, with slot 2's guard in between. In the input's short last batch slot 1 or 2
// may be absent; the planner proves the read safe in every such batch at once. Made under slot 2's guard
// instead, the read in a batch of two would see the previous batch's word, and the planner refuses.
const PIPELINED = (writeGuard: 's1' | 's2') => `${oneWeightLoop('pipelined')}    recv m0, 1
    recv m1, 1, s1
    recv m2, 1, s2
    skip absent, ${writeGuard}, made
    ldi  t0, @0, m${writeGuard.slice(1)}, 1
    neu  t0, p0, 1, @0, 1, @0, linear, 0, @0, @0
made:
    skip absent, s2, other
    send m2, 1, s2
other:
    skip absent, s1, stored
    sto  t0, @0, m3, 1
    send m3, 1, s1
stored:
    send m0, 1
    jmp  sample
`;

test('the short-batch proof covers every short batch at once: a result made and stored under the same absent-slot guard is proved, under another slot\'s guard refused', (t) => {
  const same = build(PIPELINED('s1'));
  t.is(new Simulator(same, { fastPath: true }).fastPathOff, null, 'the same guard: proved');
  const other = build(PIPELINED('s2'));
  t.regex(new Simulator(other, { fastPath: true }).fastPathOff ?? '', /reads ob word 0 before the sample has written it \(in a short last batch\)/);
  // 300 samples fill whole batches; 301 and 302 end on a batch of one and of two.
  for (const b of [same, other]) for (const n of [300, 301, 302]) t.is(fastPathDifference(b, inputs(n), 'model').difference, null, `${n} samples`);
});

// A batch of two whose whole NPU stage is jumped over by `skip none` when neither sample goes to the NPU, as
// the dynamic schedule does. Slot 0's result is sent under `skip cpu, s0`: on the jump, slot 0 went to the CPU,
// so the send is not reached there, and the planner proves it. Sent under `skip absent, s0` instead, the send
// would read a word no NPU work wrote, and the planner refuses.
const SKIP_NONE = (sendGuard: 'cpu' | 'absent') => `${oneWeightLoop('stage')}    recv m0, 1
    recv m1, 1, s1
.stage decide
    decs m0, 0.5, s0done
s0done:
    skip absent, s1, s1done
    decs m1, 0.5, s1done, s1
s1done:
.stage approximate
    skip none, s0, output
    skip cpu, s0, s0npu
    ldi  t0, @0, m0, 1
    neu  t0, p0, 1, @0, 1, @0, linear, 0, @0, @0
    sto  t0, @0, m2, 1
s0npu:
    skip cpu, s1, output
    ldi  t0, @0, m1, 1
    neu  t0, p0, 1, @0, 1, @0, linear, 0, @0, @0
    sto  t0, @0, m3, 1
output:
    skip ${sendGuard}, s0, sent0
    send m2, 1
sent0:
    skip npu, s0, cpu0
    cpu
cpu0:
    skip cpu, s1, sent1
    send m3, 1, s1
sent1:
    skip npu, s1, cpu1
    cpu  s1
cpu1:
    jmp  sample
`;

test('the planner follows `skip none` over a whole NPU stage: no slot went to the NPU there', (t) => {
  const proved = build(SKIP_NONE('cpu'));
  t.is(new Simulator(proved, { fastPath: true }).fastPathOff, null);
  t.regex(new Simulator(build(SKIP_NONE('absent')), { fastPath: true }).fastPathOff ?? '', /reads ocm word 2 before the sample has written it/);
  for (const invoke of ['model', 'all'] as const) for (const n of [400, 401]) t.is(fastPathDifference(proved, inputs(n), invoke).difference, null, `${invoke}, ${n} samples`);
});

// A word written under `skip npu, s0` before slot 0's decision (never, in fact: a new sample starts on the
// NPU path) and read on the CPU path after it, by a second decision. The decision ends what the guard said,
// so the planner refuses; were it to keep the fact, the read would see an earlier batch's word.
const DECIDED_AGAIN = `${oneWeightLoop('decided')}    recv m0, 1
    skip npu, s0, early
    ldi  t0, @0, m0, 1
    neu  t0, p0, 1, @0, 1, @0, linear, 0, @0, @0
    sto  t0, @0, m2, 1
early:
    decs m0, 0.5, cpu0
    ldi  t0, @0, m0, 1
    neu  t0, p0, 1, @0, 1, @0, linear, 0, @0, @0
    sto  t0, @0, m2, 1
    send m2, 1
    jmp  sample
cpu0:
    decs m2, 0.5, again
again:
    cpu
    jmp  sample
`;

test('a decision ends what an earlier guard said of its slot', (t) => {
  const bin = build(DECIDED_AGAIN);
  t.regex(new Simulator(bin, { fastPath: true }).fastPathOff ?? '', /pc 12 reads ocm word 2 before the sample has written it/);
  t.is(fastPathDifference(bin, inputs(100), 'model').difference, null);
});

// Found by review, each a program the fast path once got wrong; now refused or timed right.
const REVIEWED = {
  // A decision of slot 1 before slot 1's recv, whose recv then resets the slot: the guard after it says
  // nothing about the earlier branch, so the input-buffer word may be an earlier sample's.
  decisionBeforeRecv: `.model ex
.data d0 1.0, 0.0
.stage setup
    ldw  t0, p0, 1, @0, d0, 2
.stage predict
sample:
    recv m0, 1
    decs m0, 0.5, skipw, s1
    ldi  t0, @5, m0, 1
skipw:
    recv m1, 1, s1
    skip cpu, s1, done
    neu  t0, p0, 1, @5, 1, @0, linear, 0, @0, @0
    sto  t0, @0, m2, 1
    send m2, 1, s1
done:
    jmp sample
`,
  // Unguarded sends: in the input's short last batch, slot 1 is absent and its send reads the previous
  // batch's word, which only the reference path's machine holds.
  shortBatchReadsStale: `.model ex
.stage predict
sample:
    recv m0, 1
    recv m1, 1, s1
    send m0, 1
    send m1, 1, s1
    jmp  sample
`,
  // A mac of no words touches no weight word but still occupies its PE: timing reuse must watch that PE.
  emptyMac: `.model ex
.stage predict
sample:
    recv m0, 1
    ldi  t0, @0, m0, 1
.stage decide
    decs m0, 0.5, pathB
.stage approximate
    mac  t0, p0, 1, @0, 0, @0, 0, @0
    jmp  join
pathB:
    nop
    nop
join:
.stage output
    mac  t0, p1, 1, @0, 0, @0, 0, @0
    jmp  sample
`,
};

test('review findings: a decision before its slot is received, and a short batch reading stale words, are refused; an empty mac is timed right', (t) => {
  const decision = build(REVIEWED.decisionBeforeRecv);
  t.regex(new Simulator(decision, { fastPath: true }).fastPathOff ?? '', /reads ib word 5 before the sample has written it/);
  const stale = build(REVIEWED.shortBatchReadsStale);
  t.regex(new Simulator(stale, { fastPath: true }).fastPathOff ?? '', /in a short last batch/);
  for (const b of [decision, stale]) t.is(fastPathDifference(b, inputs(41), 'model').difference, null);
  const empty = build(REVIEWED.emptyMac, parseHardware(JSON.stringify({ latency: { bufferCycles: 60 } }), 'hw.json'));
  const run = fastPathDifference(empty, inputs(200), 'model');
  t.true(run.ran);
  t.is(run.difference, null);
});

// Copy forwarding (machine/block/forward-copies.ts): a neu reads the input-buffer word an ldi copied from m0.
// With nothing between, it reads m0's row and the ldi is skipped. With m0 overwritten in between, the buffer
// holds the old value and must be read as such. And where the CPU path overwrites m0 after the copy, that
// write must stay masked to the CPU lanes: the NPU lanes read m0's row in the copy's place. Copies of
// different words that meet at a join are not forwarded.
const FORWARD = (between: string) => `${oneWeightLoop('forward')}    recv m0, 1
    ldi  t0, @0, m0, 1
${between}    neu  t0, p0, 1, @0, 1, @0, linear, 0, @0, @0
    sto  t0, @0, m1, 1
    send m1, 1
    jmp  sample
`;
/** Writes m0 with t1's neuron of m0 (no weights loaded there: 0, not m0). */
const OVERWRITE_M0 = `    ldi  t1, @0, m0, 1
    neu  t1, p0, 1, @0, 1, @0, linear, 0, @0, @0
    sto  t1, @0, m0, 1
`;
const FORWARD_PAST_CPU_PATH = `${oneWeightLoop('forward-masked')}    recv m0, 1
    ldi  t0, @0, m0, 1
    decs m0, 0.5, cpuw
    jmp  npu
cpuw:
${OVERWRITE_M0}    cpu
    jmp  sample
npu:
    neu  t0, p0, 1, @0, 1, @0, linear, 0, @0, @0
    sto  t0, @0, m1, 1
    send m1, 1
    jmp  sample
`;

// Two paths copy different words (m0, and m1 = 0.5 m0) into the same buffer word, which the join reads.
const FORWARD_JOINED = `${oneWeightLoop('forward-joined')}    recv m0, 1
    ldi  t0, @1, m0, 1
    neu  t0, p0, 1, @1, 1, @0, linear, 0, @0, @1
    sto  t0, @1, m1, 1
    decs m0, 0.5, other
    ldi  t0, @0, m0, 1
    jmp  joined
other:
    ldi  t0, @0, m1, 1
joined:
    neu  t0, p0, 1, @0, 1, @0, linear, 0, @0, @0
    sto  t0, @0, m2, 1
    send m2, 1
    jmp  sample
`;

test('copy forwarding: a read takes the on-chip row its buffer word was copied from, unless that word was overwritten; the copy is skipped; a write on another path stays masked; different copies joined stay copies', (t) => {
  const planOf = (bin: Binary) => new Simulator(bin, { fastPath: true }).block!.plan;
  const plain = build(FORWARD(''));
  const p = planOf(plain);
  // pc 2 is the ldi, pc 3 the neu (after the setup ldw and the recv).
  t.is(p.copies.inputFrom[3 - p.start]?.get(0), 0, 'the neu reads m0 in place of ib word 0');
  t.is(p.copies.skipped[2 - p.start], 1, 'the ldi is skipped');
  const overwritten = build(FORWARD(OVERWRITE_M0));
  const q = planOf(overwritten);
  // pc 6 is t0's neu, after t1's ldi, neu and sto.
  t.is(q.copies.inputFrom[6 - q.start] ?? null, null, 'm0 was overwritten: the neu reads the buffer');
  t.is(q.copies.skipped[2 - q.start], 0, 'so the copy stays');
  const masked = build(FORWARD_PAST_CPU_PATH);
  const r = planOf(masked);
  // pc 7 is the CPU path's sto to m0, pc 10 the NPU path's neu.
  t.is(r.copies.inputFrom[10 - r.start]?.get(0), 0, 'the NPU path reads m0 in place of the copy');
  t.is(r.unmasked[7 - r.start], 0, "the CPU path's write of m0 stays masked");
  const joined = build(FORWARD_JOINED);
  const j = planOf(joined);
  // pcs 6 and 8 are the two paths' ldis, pc 9 the neu where they join.
  t.is(j.copies.inputFrom[9 - j.start] ?? null, null, 'copies of different words join: the neu reads the buffer');
  t.deepEqual([j.copies.skipped[6 - j.start], j.copies.skipped[8 - j.start]], [0, 0]);
  for (const b of [plain, overwritten, masked, joined]) for (const invoke of ['model', 'all'] as const) t.is(fastPathDifference(b, inputs(203), invoke).difference, null);
});
