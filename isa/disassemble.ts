// Binary -> assembly text. The output re-assembles to the same code (and, with data, the same binary).

import { formatOperand } from './operands.ts';
import { float32Text, float64Text } from '../ir/float-text.ts';
import { decodeProgram } from './encoding.ts';
import { OP_BY_CODE, STAGE_NAMES } from './table.ts';
import type { Binary } from './container.ts';
import { describeDatapath } from '../ir/datapath-spec.ts';
import type { Grid } from '../ir/number-format.ts';
import type { NumericsPlan } from '../ir/numerics-plan.ts';

/** The datapath and what each `q` operand names, as comments: a program outside fp32 reads, but `axc asm`
 *  writes fp32 programs only. */
function describeNumerics(plan: NumericsPlan): string[] {
  const grid = (format: string, g: Grid) => (g.kind === 'fixed' && (format === 'int8' || format === 'int32') ? `${format}·2^${-g.frac}` : format);
  const s = plan.spec;
  const lines = [`; datapath: ${describeDatapath(s)} (axc asm assembles fp32 programs only)`, `; q0 samples on ${grid(s.activations, plan.input)}`];
  plan.layers.forEach((l, i) => lines.push(`; q${i + 1} ${l.name}: weights ${grid(s.weights, l.grids.weights)}, accumulator ${grid(s.accumulator, l.grids.accumulator)}, output ${grid(s.activations, l.grids.output)}`));
  return lines;
}

export interface DisassembleOptions {
  /** Emit the DRAM image as .data directives so the text assembles back to the whole binary. */
  data?: boolean;
  /** Append each instruction's source position as a comment. */
  sourceLines?: boolean;
}

export function disassemble(bin: Binary, opts: DisassembleOptions = {}): string {
  const program = decodeProgram(bin.code);
  const names = new Map<number, string>();
  for (const s of bin.symbols) if (!names.has(s.pc)) names.set(s.pc, s.name);
  // Every symbol name stays taken (even one that lost its pc to another), so a made-up name never repeats one.
  const taken = new Set(bin.symbols.map((s) => s.name));
  for (const ins of program) {
    const op = OP_BY_CODE[ins.op]!;
    op.layout.forEach((fd, i) => {
      const pc = ins.args[i];
      if (fd.kind !== 'label' || names.has(pc)) return;
      let name = `L${pc}`;
      while (taken.has(name)) name = `_${name}`;
      taken.add(name);
      names.set(pc, name);
    });
  }
  const labelOf = (pc: number) => names.get(pc) ?? String(pc);
  const out: string[] = [];
  const hw = bin.hardware;
  out.push(`; model ${bin.meta.model}: ${bin.meta.inputWidth} -> ${bin.meta.outputWidth}, ${bin.meta.schedule} schedule`);
  out.push(`; hardware ${hw.name}: ${hw.tiles} tiles x ${hw.pesPerTile} PEs, weight buffer ${hw.weightBufferWords} words/PE`);
  if (bin.numerics) out.push(...describeNumerics(bin.numerics));
  out.push(`.model ${bin.meta.model}`);
  out.push(`.schedule ${bin.meta.schedule}`);
  if (bin.meta.benchmark) out.push(`.benchmark ${bin.meta.benchmark}`);
  if (bin.meta.cpuCyclesPerEvaluation !== undefined) out.push(`.cpu ${bin.meta.cpuCyclesPerEvaluation}`);
  if (bin.meta.quality) out.push(`.quality ${bin.meta.quality.metric} ${float64Text(bin.meta.quality.bound)}`);
  for (const r of bin.regions) out.push(`.region ${r.name} ${r.kind} ${r.space === 'ocm' ? 'm' : 'd'}${r.addr} ${r.len}`);
  let stage = -1;
  // A loop, not Math.max(...program): spreading a long program overflows the call stack.
  const width = program.reduce((w, ins) => Math.max(w, OP_BY_CODE[ins.op]!.mnemonic.length), 4) + 1;
  program.forEach((ins, pc) => {
    if (ins.stage !== stage) {
      stage = ins.stage;
      out.push(`.stage ${STAGE_NAMES[stage]}`);
    }
    const label = names.get(pc);
    if (label !== undefined) out.push(`${label}:`);
    const op = OP_BY_CODE[ins.op]!;
    // Trailing optional operands that are 0 are left off, as the assembler reads them.
    let shown = op.layout.length;
    while (shown > 0 && op.layout[shown - 1].optional && ins.args[shown - 1] === 0) shown--;
    const operands = op.layout.slice(0, shown).map((fd, i) => formatOperand(fd.kind, ins.args[i], labelOf)).join(', ');
    let line = `    ${op.mnemonic.padEnd(width)}${operands}`.trimEnd();
    const src = bin.sourceMap[pc];
    if (opts.sourceLines !== false && src) line = `${line.padEnd(56)} ; ${src.file}:${src.line}:${src.col}`;
    out.push(line);
  });
  if (opts.data && bin.dram.length > 0) {
    const perLine = 8;
    for (let i = 0; i < bin.dram.length; i += perLine) {
      const vals = Array.from(bin.dram.subarray(i, i + perLine), float32Text);
      out.push(`.data d${i} ${vals.join(', ')}`);
    }
  }
  return out.join('\n') + '\n';
}
