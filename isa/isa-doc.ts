// Renders the ISA reference (isa/README.md) from the instruction table; a test keeps the file current.

import { FIELD_BITS, MAX_DRAM_IMAGE_WORDS } from '../arch/limits.ts';
import { INSTRUCTION_BITS, OPCODE_BITS, OP_LAYOUTS, STAGE_BITS, STAGE_NAMES, type OperandKind } from './table.ts';

const SYNTAX: Record<OperandKind, string> = {
  tile: '`t3`',
  pe: '`p5`',
  buf: '`@12` (buffer word address)',
  ocm: '`m40` (on-chip memory word address)',
  dram: '`d1024` (DRAM word address)',
  uint: '`7` or `0x7`',
  slot: '`s2` (sample slot; may be left off when 0)',
  layer: '`q3` (numerics layer; left off when 0, as in every fp32 program)',
  act: '`linear` `relu` `sigmoid` `tanh`',
  when: '`absent` `cpu` `npu` `none`',
  f32: '`0.5` (float32)',
  label: 'a label, or an instruction index',
};

export function renderIsaDoc(): string {
  const out: string[] = [];
  out.push('# The axc NPU instruction set');
  out.push('');
  out.push('<!-- Generated from isa/table.ts by `npm run isa:doc`; test/isa.test.ts fails when it is stale. -->');
  out.push('');
  out.push(
    `Every instruction is ${INSTRUCTION_BITS} bits: four little-endian 32-bit words. Bits 0–${OPCODE_BITS - 1} hold the opcode, bits ` +
      `${OPCODE_BITS}–${OPCODE_BITS + STAGE_BITS - 1} the stage tag, and the operands follow in the order listed, each at the bit offset shown. ` +
      'Bits past the last operand must be zero; the decoder rejects anything else as an illegal instruction.',
  );
  out.push('');
  out.push('Words are float32. `OCM` is on-chip memory, `DRAM` the weight image, `IB[t]`/`OB[t]` the input and output buffers of tile `t`, ' +
    '`WB[t][p]` the weight buffer of PE `p` of tile `t`. `f32(v)` rounds to float32; arithmetic order is exactly as written (see `ir/numerics.ts`).');
  out.push('');
  out.push('## Stage tags');
  out.push('');
  out.push('The tag says which of the paper\'s five stages (§IV) an instruction belongs to; stage 0 is setup before the first sample. Tags do not change what an instruction does; reports and traces group by them.');
  out.push('');
  out.push('| tag | stage |');
  out.push('| --- | --- |');
  STAGE_NAMES.forEach((n, i) => out.push(`| ${i} | \`${n}\` |`));
  out.push('');
  out.push('## Execution model');
  out.push('');
  out.push('The program starts at instruction 0. `recv` blocks until the host offers a sample and stops the program when the input is exhausted, ' +
    'so a compiled program is a setup prologue followed by a loop that begins with `recv`. Each sample ends with `send` (H(x) delivered) or `cpu` (handed to the CPU). ' +
    'Every operand is an immediate, so the loader checks every access against the hardware description once, before the first sample.');
  out.push('');
  const mnemonics = (flow: string) => OP_LAYOUTS.filter((o) => o.flow === flow).map((o) => `\`${o.mnemonic}\``).join(', ');
  out.push(`The loader also follows every path from instruction 0 through the branches (${mnemonics('branch')} may branch, ${mnemonics('jump')} always does) ` +
    `and refuses a program in which a path runs past its last instruction: every path must end in ${mnemonics('halt')} or branch back (a compiled program jumps back to \`recv\` after each sample). ` +
    '`axc asm` applies the loader\'s checks before it writes, so a binary it writes always loads.');
  out.push('');
  out.push('## Summary');
  out.push('');
  out.push('| opcode | mnemonic | operands | what it does |');
  out.push('| --- | --- | --- | --- |');
  for (const op of OP_LAYOUTS) out.push(`| ${op.opcode} | \`${op.mnemonic}\` | ${op.layout.map((f) => f.name).join(', ') || '—'} | ${op.summary} |`);
  out.push('');
  out.push('## Instructions');
  for (const op of OP_LAYOUTS) {
    out.push('');
    out.push(`### \`${op.mnemonic}\` (opcode ${op.opcode})`);
    out.push('');
    out.push(op.summary);
    out.push('');
    out.push('```');
    out.push(`${op.mnemonic} ${op.layout.map((f) => (f.optional ? `[${f.name}]` : f.name)).join(', ')}`.trimEnd());
    out.push('');
    out.push(op.loop);
    out.push('```');
    if (op.layout.length) {
      out.push('');
      out.push('| operand | bits | offset | written as | meaning |');
      out.push('| --- | --- | --- | --- | --- |');
      for (const f of op.layout) out.push(`| \`${f.name}\` | ${f.bits} | ${f.offset} | ${SYNTAX[f.kind]} | ${f.doc} |`);
    }
  }
  out.push('');
  out.push('## Assembly syntax');
  out.push('');
  out.push('One instruction per line: the mnemonic, then comma-separated operands. `name:` defines a label; `;` starts a comment. Directives:');
  out.push('');
  out.push('| directive | meaning |');
  out.push('| --- | --- |');
  out.push(`| \`.stage NAME\` | stage tag for the following instructions (${STAGE_NAMES.map((n) => `\`${n}\``).join(', ')}, or 0–${STAGE_NAMES.length - 1}) |`);
  out.push('| `.region NAME KIND mADDR LEN` | a named span of memory (`m` on-chip, `d` DRAM) that lies within it, KIND one of input, hidden, control, decision, output, weights |');
  out.push(`| \`.data dADDR v, v, ...\` | DRAM contents (float32) starting at ADDR; the image must fit the hardware's \`dramWords\` and at most ${MAX_DRAM_IMAGE_WORDS} words (what a binary carries) |`);
  out.push('| `.model NAME`, `.schedule static\\|dynamic\\|assembled` | metadata carried into the binary |');
  out.push('| `.benchmark NAME` | the exact function the CPU computes for samples the predictor rejects |');
  out.push('| `.cpu CYCLES` | CPU cycles of one exact evaluation (default: the benchmark\'s estimate, then the hardware\'s) |');
  out.push('| `.quality METRIC BOUND` | the model\'s quality line (`abs`, `rel` or `rmse`, and a positive bound): what `axc sim --reference` and `axc tune` judge outputs by unless `--metric`/`--bound` say otherwise |');
  out.push('');
  out.push('## Field widths');
  out.push('');
  out.push('Architectural limits come from `arch/limits.ts`; the hardware-description schema bounds its parameters by them.');
  out.push('');
  out.push('| field | bits |');
  out.push('| --- | --- |');
  for (const [k, v] of Object.entries(FIELD_BITS)) out.push(`| ${k} | ${v} |`);
  out.push('');
  return out.join('\n');
}
