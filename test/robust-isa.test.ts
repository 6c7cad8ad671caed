// Issue 8 for the ISA tools: what the assembler accepts loads, and what the loader accepts simulates and
// disassembles, with a clean diagnostic (never an internal error) for everything else. Each regression
// test is named after the crash or wrong acceptance it pins down.

import test, { type ExecutionContext } from 'ava';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { Packr } from 'msgpackr';
import { crc32 } from 'node:zlib';
import { compileModel } from '../compiler/pipeline.ts';
import { AxcError } from '../diagnostics/diagnostic.ts';
import { loadModelFile } from '../frontend/parse-model.ts';
import { DEFAULT_HARDWARE } from '../hardware/description.ts';
import { ACTIVATIONS } from '../ir/model.ts';
import { assemble } from '../isa/assemble.ts';
import { packBinary, unpackBinary, type Binary } from '../isa/container.ts';
import { decodeProgram, encodeProgram, type Instruction } from '../isa/encoding.ts';
import { disassemble } from '../isa/disassemble.ts';
import { MAX_DRAM_IMAGE_WORDS } from '../arch/limits.ts';
import { opcodeOf, OP_LAYOUTS, SKIP_CONDITIONS, STAGE_NAMES, type FieldLayout } from '../isa/table.ts';
import { buildReport } from '../simulator/report.ts';
import { Simulator } from '../machine/simulator.ts';
import { timingFor } from '../machine/timing-model.ts';
import { repoRoot, runAxc, type AxcResult } from './support/run-axc.ts';

// ---- helpers ----

const example = (name: string) => path.join(repoRoot, 'examples', name);

function compileExample(name: string): Binary {
  const { model, diagnostics } = loadModelFile(example(`${name}.axn`));
  if (!model) throw new AxcError(diagnostics);
  return compileModel(model);
}

function tempDir(t: ExecutionContext): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'axc-robust-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** Exit 1, nothing on stdout, exactly `expected` (one diagnostic line) on stderr. */
function expectDiagnostic(t: ExecutionContext, r: AxcResult, expected: string): void {
  t.is(r.status, 1, `exit code; stderr:\n${r.stderr}`);
  t.is(r.stdout, '');
  t.false(r.stderr.includes('internal error'), r.stderr);
  t.false(r.stderr.includes('    at '), r.stderr);
  t.is(r.stderr, `${expected}\n`);
}

/** The diagnostics of an AxcError as `[where: ]message [CODE]` strings; fails on any other exception. */
function diagnosticsOf(t: ExecutionContext, f: () => unknown): string[] {
  const e = t.throws(f);
  if (!(e instanceof AxcError)) {
    t.fail(`not an AxcError: ${e?.stack ?? e}`);
    return [];
  }
  return e.diagnostics.map((d) => `${d.loc ? `${d.loc.file}:${d.loc.line}:${d.loc.col}: ` : d.file ? `${d.file}: ` : ''}${d.message} [${d.code}]`);
}

/** Runs `axc asm` on `src` in a fresh directory: the source is left as it was and no binary (or temp file) is left. */
function asmRefuses(t: ExecutionContext, src: string, expected: string, hardware?: object): void {
  const dir = tempDir(t);
  fs.writeFileSync(path.join(dir, 'prog.s'), src);
  const files = ['prog.s'];
  const args = ['asm', 'prog.s', '-o', 'out.bin'];
  if (hardware) {
    fs.writeFileSync(path.join(dir, 'hw.json'), JSON.stringify(hardware));
    files.push('hw.json');
    args.push('--npu', 'hw.json');
  }
  const before = sha256(path.join(dir, 'prog.s'));
  expectDiagnostic(t, runAxc(args, { cwd: dir }), expected);
  t.is(sha256(path.join(dir, 'prog.s')), before);
  t.deepEqual(fs.readdirSync(dir).sort(), files.sort());
}

const SOBEL = compileExample('sobel');
const TINY = compileExample('tiny');

/** `bin` with its program replaced (the source map follows, positions kept where instructions remain). */
function withProgram(bin: Binary, program: Instruction[]): Binary {
  return { ...bin, code: encodeProgram(program), sourceMap: program.map((_, pc) => bin.sourceMap[pc] ?? null) };
}

// ---- control running off the end of the program ----

test("sim 'DISPATCH[code[at]] is not a function': asm refuses a program whose last instruction falls through (AXB420 at it)", (t) => {
  asmRefuses(
    t,
    '; one sample in, one out, and then nothing\nrecv m0, 1\n  send m0, 1\n',
    "prog.s:3:3: error: control runs off the end of the program: 'send' at pc 1 is the last instruction and a path continues past it; end every path with 'jmp' (back to the sample loop) or 'halt' [AXB420]",
  );
});

test("sim 'DISPATCH[code[at]] is not a function': a CRC-valid binary whose last instruction is mutated gets the same diagnostic at load", (t) => {
  const program = decodeProgram(SOBEL.code);
  const last = program.length - 1;
  t.is(program[last].op, opcodeOf('jmp'));
  // The closing `jmp sample` becomes a `nop`: the CPU path now falls off the end.
  program[last] = { op: opcodeOf('nop'), stage: program[last].stage, args: [] };
  const dir = tempDir(t);
  fs.writeFileSync(path.join(dir, 'prog.bin'), packBinary(withProgram(SOBEL, program)));
  const before = sha256(path.join(dir, 'prog.bin'));
  const r = runAxc(['sim', 'prog.bin', '--input', example('sobel.x'), '--output', 'out.csv', '--report', 'report.json'], { cwd: dir });
  // The generated jmp has no source line, so the position is the binary.
  expectDiagnostic(t, r, `prog.bin: error: control runs off the end of the program: 'nop' at pc ${last} is the last instruction and a path continues past it; end every path with 'jmp' (back to the sample loop) or 'halt' [AXB420]`);
  t.is(sha256(path.join(dir, 'prog.bin')), before);
  t.deepEqual(fs.readdirSync(dir), ['prog.bin']);
});

test('falling off the end is judged on the control-flow graph: a branch that falls through counts, dead code does not', (t) => {
  // decs falls through when the sample is invoked: the path past the last instruction is real.
  t.deepEqual(diagnosticsOf(t, () => assemble('top:\n  recv m0, 1\n  decs m0, 0.5, top\n', 'fall.s')), [
    "fall.s:3:3: control runs off the end of the program: 'decs' at pc 1 is the last instruction and a path continues past it; end every path with 'jmp' (back to the sample loop) or 'halt' [AXB420]",
  ]);
  // A trailing instruction no path reaches cannot run off the end.
  const bin = assemble('top:\n  recv m0, 1\n  send m0, 1\n  jmp top\n  send m0, 1\n', 'dead.s');
  t.is(bin.code.length / 4, 4);
  // halt ends a path; so does the loop back to recv.
  t.notThrows(() => assemble('recv m0, 1\nsend m0, 1\nhalt\n', 'halt.s'));
  // A jump to the end is the verifier's branch-target error, reported once (not also as running off the end).
  t.deepEqual(diagnosticsOf(t, () => assemble('recv m0, 1\njmp 2\n', 'jmp.s')).map((d) => d.replace(/ \[.*$/, '')), [
    'jmp.s:2:1: illegal instruction at pc 1: jmp: branch target 2 is past the end of the program (2 instructions)',
  ]);
});

test("'recv m0, 0' assembled and loaded, but sim could never feed it (blank sample lines are skipped): refused", (t) => {
  t.deepEqual(diagnosticsOf(t, () => assemble('recv m0, 0\njmp 0\n', 'zero.s')), ['zero.s:1:1: illegal instruction at pc 0: recv: receives 0 words; a sample has at least one value [AXB405]']);
});

// ---- .data and the DRAM image ----

test("asm '.data d4294967296 1' crashed with 'Invalid typed array length': refused at the directive (AXB422)", (t) => {
  asmRefuses(
    t,
    'recv m0, 1\n   .data d4294967296 1\njmp 0\n',
    "prog.s:2:4: error: the DRAM image needs 4294967297 words, but the DRAM of hardware 'axnpu-default' holds 268435456 [AXB422]",
  );
});

test("asm '.data d100 1' with --npu dramWords 16 was accepted and simulated: refused at the directive (AXB422)", (t) => {
  asmRefuses(
    t,
    'recv m0, 1\njmp 0\n.data d0 1, 2\n\t.data d100 1\n',
    "prog.s:4:2: error: the DRAM image needs 101 words, but the DRAM of hardware 'small' holds 16 [AXB422]",
    { name: 'small', dramWords: 16 },
  );
});

test('.data d268435455 with dramWords 16 is refused before a 1 GB image is allocated; a larger DRAM is capped by what a binary carries', (t) => {
  const small = { ...DEFAULT_HARDWARE, dramWords: 16 };
  const started = process.memoryUsage().rss;
  t.deepEqual(diagnosticsOf(t, () => assemble('recv m0, 1\njmp 0\n.data d268435455 1\n', 'far.s', small)), [
    `far.s:3:1: the DRAM image needs 268435456 words, but the DRAM of hardware 'axnpu-default' holds 16 [AXB422]`,
  ]);
  t.true(process.memoryUsage().rss - started < 256 * 2 ** 20);
  const huge = { ...DEFAULT_HARDWARE, dramWords: 2 ** 32 - 1 };
  t.deepEqual(diagnosticsOf(t, () => assemble('recv m0, 1\njmp 0\n.data d4294967000 1\n', 'huge.s', huge)), [
    `huge.s:3:1: the DRAM image needs 4294967001 words, but a binary holds ${MAX_DRAM_IMAGE_WORDS} [AXB422]`,
  ]);
});

test('a loaded binary whose DRAM image exceeds its DRAM, or holds NaN, is refused (sim and disasm would trust it)', (t) => {
  // (Its DRAM regions do not fit either; the image is reported first.)
  t.is(
    diagnosticsOf(t, () => unpackBinary(packBinary({ ...TINY, hardware: { ...TINY.hardware, dramWords: 4 } }), 'p.bin'))[0],
    `p.bin: the DRAM image needs ${TINY.dram.length} words, but the DRAM of hardware 'axnpu-default' holds 4 [AXB422]`,
  );
  const dram = TINY.dram.slice();
  dram[3] = NaN;
  t.deepEqual(diagnosticsOf(t, () => unpackBinary(packBinary({ ...TINY, dram }), 'p.bin')), ['p.bin: DRAM word 3 holds NaN; the image must hold finite float32 values [AXB425]']);
});

// ---- regions, symbols, metadata, source maps ----

test("asm '.region c control m2 999999999999999999999' wrote a binary sim and disasm refused: refused at the directive (AXB421)", (t) => {
  asmRefuses(
    t,
    'recv m0, 1\njmp 0\n  .region c control m2 999999999999999999999\n',
    "prog.s:3:3: error: region 'c' at m2 with 1e+21 words does not fit the 65536-word on-chip memory [AXB421]",
  );
});

test('regions must fit their memory, in the assembler and the loader alike', (t) => {
  t.deepEqual(diagnosticsOf(t, () => assemble('recv m0, 1\njmp 0\n.region w weights d0 6\n.region x input m65530 7\n', 'r.s')), [
    "r.s:4:1: region 'x' at m65530 with 7 words does not fit the 65536-word on-chip memory [AXB421]",
  ]);
  const regions = [...TINY.regions, { name: 'w', kind: 'weights' as const, space: 'dram' as const, addr: 2 ** 28, len: 1 }];
  t.deepEqual(diagnosticsOf(t, () => unpackBinary(packBinary({ ...TINY, regions }), 'p.bin')), ["p.bin: region 'w' at d268435456 with 1 words does not fit the 268435456-word DRAM [AXB421]"]);
  // Its name is written as one word in the disassembly's `.region` line.
  const named = [{ ...TINY.regions[0], name: 'x\nrecv m0, 9' }];
  t.deepEqual(diagnosticsOf(t, () => unpackBinary(packBinary({ ...TINY, regions: named }), 'p.bin')), ["p.bin: binary is malformed: region name 'x\\nrecv m0, 9' is not one word [AXB404]"]);
});

test('symbols must be unique label names within the program (disasm prints them as labels)', (t) => {
  const load = (symbols: Binary['symbols']) => () => unpackBinary(packBinary({ ...TINY, symbols }), 'p.bin');
  t.deepEqual(diagnosticsOf(t, load([{ name: 'two words', pc: 0 }])), ["p.bin: bad symbol table: 'two words' is not a label name [AXB424]"]);
  t.deepEqual(diagnosticsOf(t, load([{ name: 'a', pc: 0 }, { name: 'a', pc: 1 }])), ["p.bin: bad symbol table: 'a' is defined twice [AXB424]"]);
  const n = TINY.code.length / 4;
  t.deepEqual(diagnosticsOf(t, load([{ name: 'far', pc: n + 1 }])), [`p.bin: bad symbol table: 'far' is at pc ${n + 1}, past the end of the program (${n} instructions) [AXB424]`]);
});

test("disasm made up a label 'L0' that an existing symbol already had, so its output did not assemble back", (t) => {
  const bin = assemble('recv m0, 1\nL0: jmp 0\n', 'clash.s');
  const text = disassemble(bin);
  const again = assemble(text, 'again.s');
  t.deepEqual(again.code, bin.code);
});

test("disasm of a 200000-instruction program crashed with 'Maximum call stack size exceeded'", (t) => {
  const n = 200_000;
  const program: Instruction[] = [{ op: opcodeOf('recv'), stage: 1, args: [0, 1, 0] }];
  while (program.length < n - 1) program.push({ op: opcodeOf('nop'), stage: 1, args: [] });
  program.push({ op: opcodeOf('jmp'), stage: 1, args: [0] });
  const bin = unpackBinary(packBinary(withProgram({ ...TINY, meta: { ...TINY.meta, inputWidth: 1, outputWidth: 0 }, symbols: [] }, program)));
  const text = disassemble(bin);
  t.is(text.split('\n').filter((l) => l.startsWith('    ')).length, n);
});

test('asm wrote binaries the loader refused (.benchmark of other widths, .cpu over 1e9) and silently ignored .schedule fast and empty .data values: refused at the directive', (t) => {
  t.deepEqual(diagnosticsOf(t, () => assemble('recv m0, 1\njmp 0\n .benchmark jpeg\n', 'b.s')), ["b.s:3:2: the program names benchmark 'jpeg' (64 -> 64) for a 1 -> 0 program [AXB423]"]);
  t.deepEqual(diagnosticsOf(t, () => assemble('.cpu 99999999999\nrecv m0, 1\njmp 0\n', 'c.s')), [
    'c.s:1:1: binary is malformed: its meta.cpuCyclesPerEvaluation is invalid (Too big: expected number to be <=1000000000) [AXB404]',
  ]);
  t.deepEqual(diagnosticsOf(t, () => assemble('.schedule fast\nrecv m0, 1\njmp 0\n', 's.s')), ['s.s:1:1: .schedule takes static, dynamic or assembled [AXA505]']);
  // An empty value between commas was read as a zero weight.
  t.deepEqual(diagnosticsOf(t, () => assemble('recv m0, 1\njmp 0\n.data d0 1,,2\n', 'd.s')), ['d.s:3:1: .data takes dADDR then comma-separated finite float32 values [AXA505]']);
});

test('.quality records the metric and bound a run is judged by; a bad one is refused at the directive, and the loader refuses a bad one in a binary', (t) => {
  const bin = assemble('.quality rel 0.05\nrecv m0, 1\njmp 0\n', 'q.s');
  t.deepEqual(bin.meta.quality, { metric: 'rel', bound: 0.05 });
  t.true(disassemble(bin).includes('\n.quality rel 0.05\n'));
  for (const bad of ['.quality mse 0.1', '.quality rel 0', '.quality rel -1', '.quality rel 0x1', '.quality rel', '.quality abs 0.1 2'])
    t.deepEqual(diagnosticsOf(t, () => assemble(`${bad}\nrecv m0, 1\njmp 0\n`, 'q.s')), ['q.s:1:1: .quality takes METRIC BOUND with METRIC one of abs, rel, rmse and a positive decimal BOUND [AXA505]'], bad);
  const forged = { ...bin, meta: { ...bin.meta, quality: { metric: 'rel' as const, bound: -1 } } };
  t.deepEqual(diagnosticsOf(t, () => unpackBinary(packBinary(forged), 'q.bin')), ['q.bin: binary is malformed: its meta.quality.bound is invalid (Too small: expected number to be >0) [AXB404]']);
});

test("a source map naming a file the binary does not list was loaded as file 'undefined'", (t) => {
  const packr = new Packr({ useRecords: false, moreTypes: false });
  const outer = packr.unpack(packBinary(TINY)) as { magic: string; version: number; crc32: number; body: Uint8Array };
  const body = packr.unpack(outer.body) as { sourceMap: { files: string[]; entries: { bytes: Uint8Array } } };
  const entries = new Uint32Array(Uint8Array.from(body.sourceMap.entries.bytes).buffer);
  t.true(body.sourceMap.files.length >= 1);
  entries[0] = body.sourceMap.files.length + 1;
  body.sourceMap.entries.bytes = new Uint8Array(entries.buffer);
  const newBody = packr.pack(body);
  const bytes = packr.pack({ ...outer, crc32: crc32(newBody), body: newBody });
  t.deepEqual(diagnosticsOf(t, () => unpackBinary(bytes, 'p.bin')), [`p.bin: binary is malformed: source map entry 0 names file ${body.sourceMap.files.length + 1} of ${body.sourceMap.files.length} [AXB404]`]);
});

// ---- property: what asm accepts loads, and what the loader accepts runs ----

const LABELS = ['top', 'a', 'b'];

/** Mostly a value in range for the default NPU, sometimes one just past it. */
const mostly = (max: number, past: number) => fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 0, max }) }, { weight: 1, arbitrary: fc.constant(past) });

/** An operand of `fd` written as the assembler reads it. */
function operandText(fd: FieldLayout, lines: number): fc.Arbitrary<string> {
  switch (fd.kind) {
    case 'tile':
      return mostly(3, 4).map((v) => `t${v}`);
    case 'pe':
      return mostly(3, 8).map((v) => `p${v}`);
    case 'buf':
      return mostly(8, 1020).map((v) => `@${v}`);
    case 'ocm':
      return mostly(12, 65535).map((v) => `m${v}`);
    case 'dram':
      return mostly(4, 12).map((v) => `d${v}`);
    case 'act':
      return fc.constantFrom(...ACTIVATIONS);
    case 'when':
      return fc.constantFrom(...SKIP_CONDITIONS);
    case 'layer':
      // Mostly q0, as every fp32 program has it; sometimes a layer the fp32 binary does not describe.
      return mostly(0, 1).map((v) => `q${v}`);
    case 'slot':
      // Mostly slot 0, which every program's recv fills; sometimes one no recv fills.
      return mostly(0, 2).map((v) => `s${v}`);
    case 'f32':
      return fc.constantFrom('0.5', '0', '-1', '1e30');
    case 'label':
      return fc.oneof(fc.constantFrom(...LABELS), fc.integer({ min: 0, max: lines }).map(String));
    case 'uint':
      return fd.bits === 1 ? fc.integer({ min: 0, max: 1 }).map(String) : mostly(3, 9).map(String);
  }
}

/** Any op but the sample's own recv and send, whose widths must agree across the program. */
const BODY_OPS = OP_LAYOUTS.filter((op) => op.mnemonic !== 'recv' && op.mnemonic !== 'send');

function instructionText(lines: number): fc.Arbitrary<string> {
  return fc.constantFrom(...BODY_OPS).chain((op) => fc.tuple(...op.layout.map((fd) => operandText(fd, lines))).map((args) => `${op.mnemonic} ${args.join(', ')}`.trim()));
}

function lineText(outWidth: number): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 8, arbitrary: instructionText(12) },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...LABELS), instructionText(12)).map(([l, i]) => `${l}: ${i}`) },
    { weight: 2, arbitrary: fc.integer({ min: 0, max: 8 }).map((a) => `send m${a}, ${outWidth}`) },
    { weight: 1, arbitrary: fc.constantFrom(...STAGE_NAMES).map((s) => `.stage ${s}`) },
    { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 0, max: 8 }), fc.array(fc.constantFrom('0.25', '-2', '1'), { minLength: 1, maxLength: 12 })).map(([a, v]) => `.data d${a} ${v.join(', ')}`) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom('input', 'hidden', 'weights'), fc.constantFrom('m', 'd'), mostly(60, 70000), fc.integer({ min: 0, max: 8 })).map(([k, s, a, n]) => `.region r ${k} ${s}${a} ${n}`) },
  );
}

/** A program text: usually `top: recv` (with data for the weight loads), random lines, then mostly a jump back or a halt. */
const programText = fc
  .tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 3 }))
  .chain(([width, outWidth]) =>
    fc.tuple(
      fc.oneof({ weight: 9, arbitrary: fc.constant(`top: recv m0, ${width}`) }, { weight: 1, arbitrary: fc.constant('top: nop') }),
      fc.array(lineText(outWidth), { maxLength: 8 }),
      fc.constantFrom('jmp top', 'jmp top', 'halt', ''),
    ),
  )
  .map(([first, body, close]) => [first, '.data d0 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16', ...body, close].join('\n') + '\n');

/** Runs a couple of samples; an AxcError (a clean refusal or fault) is fine, anything else is a crash. */
function simulate(bin: Binary): void {
  try {
    const timing = timingFor(bin);
    const sim = new Simulator(bin, { maxInstructionsPerSample: 2000, timing });
    let samples = 0;
    for (; samples < 2 && !sim.isHalted; samples++) sim.runSample(new Float32Array(sim.inputWidth).fill(0.5 + samples));
    sim.close();
    buildReport(bin, sim, timing.summary(), { samples, predicted: samples, invoked: 0, fallbacks: 0, nonFinite: 0, setupInstructions: 0, invoke: 'model' });
  } catch (e) {
    if (!(e instanceof AxcError)) throw e;
  }
}

test('property: whatever asm accepts unpacks, disassembles, assembles back and simulates; so does any code bit flip the loader accepts', (t) => {
  let accepted = 0;
  let flippedAccepted = 0;
  fc.assert(
    fc.property(programText, fc.nat(), fc.integer({ min: 0, max: 127 }), (text, at, bit) => {
      let bin: Binary;
      try {
        bin = assemble(text, 'p.s');
      } catch (e) {
        if (e instanceof AxcError) return;
        throw e;
      }
      accepted++;
      const back = unpackBinary(packBinary(bin), 'p.bin');
      t.deepEqual(back, bin);
      const again = assemble(disassemble(back, { data: true }), 'again.s', back.hardware);
      t.deepEqual(again.code, bin.code);
      simulate(back);
      // One flipped code bit behind a valid CRC: refused cleanly, or it runs.
      const code = bin.code.slice();
      code[(at % (code.length / 4)) * 4 + (bit >> 5)] ^= 1 << (bit & 31);
      let mutated: Binary;
      try {
        mutated = unpackBinary(packBinary({ ...bin, code }), 'm.bin');
      } catch (e) {
        if (e instanceof AxcError) return;
        throw e;
      }
      flippedAccepted++;
      disassemble(mutated, { data: true });
      simulate(mutated);
    }),
    { seed: 20261130, numRuns: 400 },
  );
  t.true(accepted >= 100, `only ${accepted} of 400 programs assembled; the generator no longer exercises the loader`);
  t.log(`${accepted} assembled, ${flippedAccepted} bit flips loaded`);
});
