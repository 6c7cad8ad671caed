// Assembly text -> Binary, for hand-written programs and for round-tripping disassembly.
// Syntax: one instruction per line, `label:` prefixes, `;` comments, and the directives
// .stage NAME, .region NAME KIND mADDR LEN, .data dADDR v, v, ..., .model NAME, .schedule NAME,
// .benchmark NAME, .cpu CYCLES and .quality METRIC BOUND.

import { BENCHMARK_CATALOG, findBenchmarkInfo } from '../benchmarks/catalog.ts';
import { DIAG } from '../diagnostics/catalog.ts';
import { AxcError, diag, type Diagnostic } from '../diagnostics/diagnostic.ts';
import { DEFAULT_HARDWARE, type Hardware } from '../hardware/description.ts';
import { DECIMAL_NUMBER } from '../ir/float-text.ts';
import { METRICS, type Metric, type Quality, type SourceLoc } from '../ir/model.ts';
import { checkBinary, dramImageDiagnostic } from './check-binary.ts';
import type { Binary, BinaryMeta, Region, RegionKind } from './container.ts';
import { encodeProgram, type Instruction } from './encoding.ts';
import { LABEL_NAME, parseOperand } from './operands.ts';
import { OP_BY_MNEMONIC, STAGE_NAMES } from './table.ts';
import { verifyProgram } from './verify-program.ts';

const LABEL_DEFINITION = new RegExp(`^\\s*(${LABEL_NAME.source}):`);

const REGION_KINDS: readonly RegionKind[] = ['input', 'hidden', 'control', 'decision', 'output', 'weights'];

interface Fixup {
  pc: number;
  arg: number;
  label: string;
  line: number;
  col: number;
}

export function assemble(text: string, file: string, hardware: Hardware = DEFAULT_HARDWARE): Binary {
  const diags: Diagnostic[] = [];
  const program: Instruction[] = [];
  const sourceMap: Binary['sourceMap'] = [];
  const labels = new Map<string, number>();
  /** Where each label, region and metadata directive was written, for the loader's checks (checkBinary). */
  const labelLocs: SourceLoc[] = [];
  const regionLocs: SourceLoc[] = [];
  const metaLocs: Partial<Record<keyof BinaryMeta, SourceLoc>> = {};
  const fixups: Fixup[] = [];
  const regions: Region[] = [];
  const data: { addr: number; values: number[] }[] = [];
  let model = 'assembled';
  let stage = 0;
  let schedule: Binary['meta']['schedule'] = 'assembled';
  let benchmark: string | undefined;
  let quality: Quality | undefined;
  let cpuCycles: number | undefined;
  const err = (line: number, col: number, d: (loc: { file: string; line: number; col: number }) => Diagnostic) => diags.push(d({ file, line, col }));

  text.split(/\r?\n/).forEach((raw, li) => {
    const line = li + 1;
    let body = raw.replace(/;.*$/, '');
    let col0 = 1;
    const labelMatch = LABEL_DEFINITION.exec(body);
    if (labelMatch) {
      const name = labelMatch[1];
      if (labels.has(name)) err(line, body.indexOf(name) + 1, (l) => diag(DIAG.duplicateLabel, l, name));
      else {
        labels.set(name, program.length);
        labelLocs.push({ file, line, col: body.indexOf(name) + 1 });
      }
      col0 += labelMatch[0].length;
      body = body.slice(labelMatch[0].length);
    }
    const trimmed = body.trim();
    if (!trimmed) return;
    const col = col0 + body.indexOf(trimmed);
    const here: SourceLoc = { file, line, col };
    const [head] = trimmed.split(/\s+/, 1);
    const rest = trimmed.slice(head.length).trim();
    if (head.startsWith('.')) {
      const parts = rest.split(/\s+/).filter(Boolean);
      switch (head) {
        case '.stage': {
          const i = STAGE_NAMES.indexOf(parts[0] as (typeof STAGE_NAMES)[number]);
          const n = i >= 0 ? i : /^\d+$/.test(parts[0] ?? '') ? Number(parts[0]) : -1;
          if (n < 0 || n >= STAGE_NAMES.length) err(line, col, (l) => diag(DIAG.badStage, l, STAGE_NAMES.join(', '), STAGE_NAMES.length - 1));
          else stage = n;
          return;
        }
        case '.model':
          if (parts.length !== 1) err(line, col, (l) => diag(DIAG.badModelName, l));
          else {
            model = parts[0];
            metaLocs.model = here;
          }
          return;
        case '.benchmark':
          if (parts.length !== 1 || !findBenchmarkInfo(parts[0])) err(line, col, (l) => diag(DIAG.badBenchmarkDirective, l, BENCHMARK_CATALOG.map((b) => b.name).join(', ')));
          else {
            benchmark = parts[0];
            metaLocs.benchmark = here;
          }
          return;
        case '.cpu':
          if (parts.length !== 1 || !/^\d+$/.test(parts[0]) || Number(parts[0]) < 1) err(line, col, (l) => diag(DIAG.badCpuDirective, l));
          else {
            cpuCycles = Number(parts[0]);
            metaLocs.cpuCyclesPerEvaluation = here;
          }
          return;
        case '.quality': {
          const bound = parts.length === 2 && DECIMAL_NUMBER.test(parts[1]) ? Number(parts[1]) : NaN;
          if (!METRICS.includes(parts[0] as Metric) || !(Number.isFinite(bound) && bound > 0))
            err(line, col, (l) => diag(DIAG.badQualityDirective, l, METRICS.join(', ')));
          else {
            quality = { metric: parts[0] as Metric, bound };
            metaLocs.quality = here;
          }
          return;
        }
        case '.schedule':
          if (parts.length !== 1 || (parts[0] !== 'static' && parts[0] !== 'dynamic' && parts[0] !== 'assembled')) err(line, col, (l) => diag(DIAG.badScheduleDirective, l));
          else {
            schedule = parts[0];
            metaLocs.schedule = here;
          }
          return;
        case '.region': {
          const [name, kind, where, len] = parts;
          const m = /^([md])(\d+)$/.exec(where ?? '');
          if (parts.length !== 4 || !REGION_KINDS.includes(kind as RegionKind) || !m || !/^\d+$/.test(len))
            err(line, col, (l) => diag(DIAG.badRegionDirective, l, REGION_KINDS.join(', ')));
          else {
            regions.push({ name, kind: kind as RegionKind, space: m[1] === 'm' ? 'ocm' : 'dram', addr: Number(m[2]), len: Number(len) });
            regionLocs.push(here);
          }
          return;
        }
        case '.data': {
          const m = /^d(\d+)\s+(.*)$/.exec(rest);
          const texts = m ? m[2].split(',').map((s) => s.trim()) : [];
          const values = texts.map(Number);
          // Number('') is 0: an empty value between commas must be refused, not read as a zero weight.
          if (!m || texts.some((s) => s === '') || values.some((v) => Number.isNaN(v) || !Number.isFinite(Math.fround(v))))
            err(line, col, (l) => diag(DIAG.badDataDirective, l));
          else {
            // Checked before the image is allocated: a far address must not become a huge allocation.
            const tooLarge = dramImageDiagnostic(Number(m[1]) + values.length, hardware, here);
            if (tooLarge) diags.push(tooLarge);
            else data.push({ addr: Number(m[1]), values });
          }
          return;
        }
        default:
          err(line, col, (l) => diag(DIAG.unknownDirective, l, head));
          return;
      }
    }
    const op = OP_BY_MNEMONIC.get(head.toLowerCase());
    if (!op) {
      err(line, col, (l) => diag(DIAG.unknownMnemonic, l, head));
      return;
    }
    const texts = rest ? rest.split(',').map((s) => s.trim()) : [];
    const operandCol = (i: number) => col + trimmed.indexOf(texts[i], head.length);
    const required = op.layout.filter((f) => !f.optional).length;
    if (texts.length < required || texts.length > op.layout.length) {
      err(line, col, (l) => diag(DIAG.operandCount, l, op.mnemonic, required === op.layout.length ? String(required) : `${required} or ${op.layout.length}`, op.layout.map((f) => (f.optional ? `[${f.name}]` : f.name)).join(', ') || 'none', texts.length));
      return;
    }
    const args: number[] = [];
    op.layout.forEach((fd, i) => {
      // A trailing optional operand left off is 0 (table.ts, FieldDecl.optional).
      if (i >= texts.length) return void args.push(0);
      const r = parseOperand(fd.kind, texts[i]);
      if ('expected' in r) {
        err(line, operandCol(i), (l) => diag(DIAG.badOperand, l, op.mnemonic, fd.name, r.expected, texts[i]));
        args.push(0);
      } else if ('label' in r) {
        fixups.push({ pc: program.length, arg: i, label: r.label, line, col: operandCol(i) });
        args.push(0);
      } else if (fd.kind !== 'f32' && r.value >= 2 ** fd.bits) {
        err(line, operandCol(i), (l) => diag(DIAG.operandTooWide, l, op.mnemonic, fd.name, r.value, fd.bits));
        args.push(0);
      } else args.push(r.value);
    });
    program.push({ op: op.opcode, stage, args });
    sourceMap.push({ file, line, col });
  });
  for (const fx of fixups) {
    const pc = labels.get(fx.label);
    if (pc === undefined) diags.push(diag(DIAG.undefinedLabel, { file, line: fx.line, col: fx.col }, fx.label));
    else program[fx.pc].args[fx.arg] = pc;
  }
  if (diags.length) throw new AxcError(diags);

  const dramLen = data.reduce((m, d) => Math.max(m, d.addr + d.values.length), 0);
  const dram = new Float32Array(dramLen);
  for (const d of data) dram.set(d.values, d.addr);
  const { inputWidth, outputWidth } = verifyProgram(program, hardware, dram.length, (pc) => sourceMap[pc] ?? undefined);
  const bin: Binary = {
    hardware,
    code: encodeProgram(program),
    dram,
    regions,
    symbols: [...labels].map(([name, pc]) => ({ name, pc })),
    sourceMap,
    meta: { model, schedule, inputWidth, outputWidth, ...(benchmark ? { benchmark } : {}), ...(cpuCycles !== undefined ? { cpuCyclesPerEvaluation: cpuCycles } : {}), ...(quality ? { quality } : {}) },
  };
  // The loader's own checks, so that every binary `asm` writes loads, simulates and disassembles.
  checkBinary(bin, { file, region: (i) => regionLocs[i], symbol: (i) => labelLocs[i], meta: (field) => metaLocs[field] });
  return bin;
}
