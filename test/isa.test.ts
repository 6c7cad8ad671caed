// The ISA table's derived tools agree: encode/decode at every field's extremes, the decoder's
// rejections, asm(disasm(bin)), the container round trip and corruption checks, and the ISA doc.

import { readFileSync } from 'node:fs';
import test from 'ava';
import { compileModel } from '../compiler/pipeline.ts';
import { AxcError } from '../diagnostics/diagnostic.ts';
import { loadModelFile } from '../frontend/parse-model.ts';
import { assemble } from '../isa/assemble.ts';
import { packBinary, unpackBinary, type Binary } from '../isa/container.ts';
import { decodeInstruction, encodeInstruction, encodeProgram, type Instruction } from '../isa/encoding.ts';
import { disassemble } from '../isa/disassemble.ts';
import { renderIsaDoc } from '../isa/isa-doc.ts';
import { INSTRUCTION_WORDS, OP_LAYOUTS, OPCODE_BITS, STAGE_NAMES } from '../isa/table.ts';

const EXAMPLES = ['sobel', 'inversek2j', 'jpeg', 'single-control', 'tiny'];

function compileExample(name: string): Binary {
  const { model, diagnostics } = loadModelFile(`examples/${name}.axn`);
  if (!model) throw new AxcError(diagnostics);
  return compileModel(model);
}

function codeOf(e: unknown): string[] {
  return (e as AxcError).diagnostics.map((d) => d.code);
}

const F32_EXTREMES = [0, -0, 3.4028234663852886e38, -3.4028234663852886e38, 1.401298464324817e-45, 1.1754943508222875e-38, 1];

test('decode(encode(i)) = i for every opcode at the extremes of every field', (t) => {
  let checked = 0;
  const words = new Uint32Array(INSTRUCTION_WORDS);
  for (const op of OP_LAYOUTS) {
    const extremes = (kind: string, bits: number) => (kind === 'f32' ? F32_EXTREMES : [0, 1, 2 ** bits - 1, 2 ** (bits - 1)]);
    for (let stage = 0; stage < STAGE_NAMES.length; stage++) {
      for (const pick of ['min', 'max'] as const) {
        const args = op.layout.map((f) => (f.kind === 'f32' ? (pick === 'min' ? -0 : 3.4028234663852886e38) : pick === 'min' ? 0 : 2 ** f.bits - 1));
        const ins: Instruction = { op: op.opcode, stage, args };
        encodeInstruction(ins, words, 0);
        t.deepEqual(decodeInstruction(words, 0), ins);
        checked++;
      }
    }
    op.layout.forEach((f, i) => {
      for (const v of extremes(f.kind, f.bits)) {
        const args = op.layout.map((g, j) => (j === i ? v : g.kind === 'f32' ? 0.5 : 1));
        const ins: Instruction = { op: op.opcode, stage: STAGE_NAMES.length - 1, args };
        encodeInstruction(ins, words, 0);
        const back = decodeInstruction(words, 0);
        t.deepEqual(back, ins, `${op.mnemonic}.${f.name} = ${v}`);
        if (f.kind === 'f32') t.true(Object.is(back.args[i], v), `${op.mnemonic}.${f.name} keeps the sign of ${v}`);
        checked++;
      }
    });
  }
  t.true(checked > OP_LAYOUTS.length * 10);
});

test('the encoder refuses values that do not fit their field', (t) => {
  const words = new Uint32Array(INSTRUCTION_WORDS);
  for (const op of OP_LAYOUTS) {
    op.layout.forEach((f, i) => {
      if (f.kind === 'f32') return;
      const args = op.layout.map(() => 0);
      args[i] = 2 ** f.bits;
      t.throws(() => encodeInstruction({ op: op.opcode, stage: 0, args }, words, 0), { instanceOf: RangeError }, `${op.mnemonic}.${f.name}`);
      args[i] = -1;
      t.throws(() => encodeInstruction({ op: op.opcode, stage: 0, args }, words, 0), { instanceOf: RangeError });
    });
  }
});

test('the decoder rejects unknown opcodes, bad stage tags and stray reserved bits', (t) => {
  const words = new Uint32Array(INSTRUCTION_WORDS);
  words[0] = (1 << OPCODE_BITS) - 1;
  t.deepEqual(codeOf(t.throws(() => decodeInstruction(words, 0))), ['AXB405']);
  const halt = OP_LAYOUTS.find((o) => o.mnemonic === 'halt')!;
  encodeInstruction({ op: halt.opcode, stage: 0, args: [] }, words, 0);
  words[0] |= 7 << OPCODE_BITS; // stage 7 does not exist
  t.regex((t.throws(() => decodeInstruction(words, 0)) as Error).message, /stage tag 7/);
  encodeInstruction({ op: halt.opcode, stage: 0, args: [] }, words, 0);
  words[3] = 1 << 31;
  t.regex((t.throws(() => decodeInstruction(words, 0)) as Error).message, /reserved bits of 'halt'/);
});

for (const name of EXAMPLES) {
  test(`asm(disasm --data bin) reproduces ${name}'s code, weights, memory map and labels`, (t) => {
    const bin = compileExample(name);
    const whole = assemble(disassemble(bin, { data: true }), 'round-trip.s', bin.hardware);
    t.deepEqual(whole.code, bin.code);
    t.deepEqual(whole.dram, bin.dram);
    t.deepEqual(whole.regions, bin.regions);
    t.deepEqual(whole.symbols, bin.symbols);
    t.deepEqual(whole.meta, bin.meta);
  });

  test(`unpack(pack(${name})) round-trips`, (t) => {
    const bin = compileExample(name);
    t.deepEqual(unpackBinary(packBinary(bin)), bin);
  });
}

test('without its DRAM image, a program whose ldw reads weights is refused at load', (t) => {
  const bin = compileExample('tiny');
  const e = t.throws(() => assemble(disassemble(bin), 'no-data.s', bin.hardware)) as AxcError;
  t.regex(e.diagnostics[0].message, /ldw: DRAM range \[0, 6\) exceeds the 0-word DRAM image/);
});

test('a corrupted binary is refused with one clear sentence', (t) => {
  const bytes = packBinary(compileExample('tiny'));
  const flipped = bytes.slice();
  flipped[flipped.length - 20] ^= 0x40;
  t.deepEqual(codeOf(t.throws(() => unpackBinary(flipped, 'p.bin'))), ['AXB403']);
  t.deepEqual(codeOf(t.throws(() => unpackBinary(new TextEncoder().encode('#!/bin/sh\necho hi\n'), 'p.bin'))), ['AXB401']);
  t.deepEqual(codeOf(t.throws(() => unpackBinary(bytes.subarray(0, bytes.length - 7), 'p.bin'))).length, 1);
});

test('assembler errors carry file:line:col', (t) => {
  const e = t.throws(() => assemble('.stage predict\nloop:\n    recv m0, 2\n    frob t0\n    jmp nowhere\n    ldi t9999, @0, m0, 2\n', 'bad.s')) as AxcError;
  const got = e.diagnostics.map((d) => `${d.loc?.line}:${d.loc?.col} ${d.code}`);
  t.deepEqual(got, ['4:5 AXA501', '6:9 AXA502', '5:9 AXA503']);
});

test('a hand-written program assembles, and the loader checks it against the hardware', (t) => {
  const src = ['.stage predict', 'top:', '  recv m0, 2', '  ldi t0, @0, m0, 2', '  jmp top'].join('\n');
  const bin = assemble(src, 'ok.s');
  t.is(bin.meta.inputWidth, 2);
  t.is(bin.code.length, 3 * INSTRUCTION_WORDS);
  const e = t.throws(() => assemble(src.replace('t0', 't4'), 'tile.s')) as AxcError;
  t.regex(e.message, /tile 4 does not exist \(the NPU has 4\)/);
  t.is(e.diagnostics[0].loc?.line, 4);
});

test('encodeProgram packs instructions back to back', (t) => {
  const nop = OP_LAYOUTS.find((o) => o.mnemonic === 'nop')!;
  const jmp = OP_LAYOUTS.find((o) => o.mnemonic === 'jmp')!;
  const words = encodeProgram([{ op: nop.opcode, stage: 1, args: [] }, { op: jmp.opcode, stage: 2, args: [0] }]);
  t.is(words.length, 2 * INSTRUCTION_WORDS);
  t.deepEqual(decodeInstruction(words, 1), { op: jmp.opcode, stage: 2, args: [0] });
});

test('isa/README.md is current with the instruction table (npm run isa:doc regenerates it)', (t) => {
  t.is(readFileSync(new URL('../isa/README.md', import.meta.url), 'utf8'), renderIsaDoc());
});

test('a binary whose metadata is invalid or contradicts its program is refused, not trusted', async (t) => {
  const bin = compileExample('tiny');
  for (const meta of [{ ...bin.meta, inputWidth: -1 }, { ...bin.meta, cpuCyclesPerEvaluation: -5 }, { ...bin.meta, schedule: 'fast' }]) {
    const e = t.throws(() => unpackBinary(packBinary({ ...bin, meta: meta as Binary['meta'] }), 'p.bin')) as AxcError;
    t.deepEqual(codeOf(e), ['AXB404'], JSON.stringify(meta));
  }
  t.deepEqual(codeOf(t.throws(() => unpackBinary(packBinary({ ...bin, symbols: [null as never] }), 'p.bin'))), ['AXB404']);
  // Valid on its own, but the program receives 2 words, not 3.
  const { Simulator } = await import('../machine/simulator.ts');
  t.regex((t.throws(() => new Simulator(unpackBinary(packBinary({ ...bin, meta: { ...bin.meta, inputWidth: 3 } })))) as Error).message, /metadata says 3 -> 1 but its program receives 2/);
  // A benchmark whose widths differ from the program's.
  const { runSimulation } = await import('../simulator/run-simulation.ts');
  await t.throwsAsync(runSimulation({ ...bin, meta: { ...bin.meta, benchmark: 'jpeg' } }, [new Float32Array(2)]), { message: /benchmark 'jpeg' \(64 -> 64\) for a 2 -> 1 program/ });
});
