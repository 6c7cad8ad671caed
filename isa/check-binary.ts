// The checks every binary passes before anything trusts it: its regions, symbols and metadata (the parts
// the CRC does not vouch for the meaning of), its DRAM image, and its program (verifyProgram, which also
// proves no path runs off the end). The loader runs them on every binary it reads, the simulator on every
// binary it is handed, and the assembler before it writes, so what `axc asm` writes always loads.

import { quote } from '../diagnostics/quote.ts';
import { z } from 'zod';
import { findBenchmarkInfo } from '../benchmarks/catalog.ts';
import { METRICS } from '../ir/model.ts';
import { DIAG } from '../diagnostics/catalog.ts';
import { AxcError, diag, type Diagnostic } from '../diagnostics/diagnostic.ts';
import type { Hardware } from '../hardware/description.ts';
import type { SourceLoc } from '../ir/model.ts';
import type { Binary, BinaryMeta } from './container.ts';
import { decodeProgram, type Instruction } from './encoding.ts';
import { MAX_DRAM_IMAGE_WORDS } from '../arch/limits.ts';
import { LABEL_SYNTAX } from './operands.ts';
import { verifyProgram } from './verify-program.ts';
import { elementHardware } from '../hardware/element-view.ts';
import { describeDatapath, isFp32Datapath } from '../ir/datapath-spec.ts';

const count = z.number().int().min(0);
/** Types of the regions, symbols and metadata; the values' meaning is judged by the rules below. */
const PartsSchema = z.object({
  // Any number: whether a region fits its memory is the region rule's to say, with its own message.
  regions: z.array(z.object({ name: z.string(), kind: z.enum(['input', 'hidden', 'control', 'decision', 'output', 'weights']), space: z.enum(['ocm', 'dram']), addr: z.number(), len: z.number() }).strict()),
  symbols: z.array(z.object({ name: z.string(), pc: count }).strict()),
  meta: z
    .object({
      model: z.string(),
      schedule: z.enum(['static', 'dynamic', 'assembled']),
      inputWidth: count,
      outputWidth: count,
      benchmark: z.string().optional(),
      cpuCyclesPerEvaluation: z.number().int().min(1).max(1e9).optional(),
      quality: z.object({ metric: z.enum(METRICS), bound: z.number().finite().positive() }).strict().optional(),
    })
    .strict(),
});

/** Where each part of a binary came from, so a problem points at its source: for the loader only the
 *  binary's path; for the assembler the .s file and the line of each directive and label. */
export interface BinaryPositions {
  file?: string;
  region?: (i: number) => SourceLoc | undefined;
  symbol?: (i: number) => SourceLoc | undefined;
  meta?: (field: keyof BinaryMeta) => SourceLoc | undefined;
}

export interface CheckedProgram {
  program: Instruction[];
  inputWidth: number;
  outputWidth: number;
  /** Samples the program takes at once: the sample slots its recvs fill (1 for a program without batches). */
  batch: number;
}

/** The rule for the size of the DRAM image: within the hardware's DRAM and within what a binary can carry.
 *  The assembler applies it to each `.data` directive before it allocates the image. */
export function dramImageDiagnostic(words: number, hw: Hardware, where: SourceLoc | string | undefined): Diagnostic | undefined {
  if (words <= Math.min(hw.dramWords, MAX_DRAM_IMAGE_WORDS)) return undefined;
  if (hw.dramWords <= MAX_DRAM_IMAGE_WORDS) return diag(DIAG.dramImageTooLarge, where, words, hw.dramWords, `the DRAM of hardware ${quote(hw.name)}`);
  return diag(DIAG.dramImageTooLarge, where, words, MAX_DRAM_IMAGE_WORDS, 'a binary');
}

/** Runs `f`, giving its unpositioned diagnostics the binary's path. */
function withFile<T>(f: () => T, file: string | undefined): T {
  try {
    return f();
  } catch (e) {
    if (!(e instanceof AxcError) || file === undefined) throw e;
    throw new AxcError(e.diagnostics.map((d) => (d.loc || d.file ? d : { ...d, file })));
  }
}

function memoryOf(space: 'ocm' | 'dram', hw: Hardware): { size: number; name: string; prefix: string } {
  return space === 'ocm' ? { size: hw.onChipMemoryWords, name: 'on-chip memory', prefix: 'm' } : { size: hw.dramWords, name: 'DRAM', prefix: 'd' };
}

/** Checks a binary's every part against itself and its hardware; returns the decoded program and its widths. */
export function checkBinary(bin: Binary, at: BinaryPositions = {}): CheckedProgram {
  const parts = PartsSchema.safeParse({ regions: bin.regions, symbols: bin.symbols, meta: bin.meta });
  if (!parts.success) {
    const issue = parts.error.issues[0];
    const [part, key] = issue.path;
    const loc = part === 'regions' ? at.region?.(Number(key)) : part === 'symbols' ? at.symbol?.(Number(key)) : part === 'meta' ? at.meta?.(key as keyof BinaryMeta) : undefined;
    throw new AxcError(diag(DIAG.binaryPartInvalid, loc ?? at.file, issue.path.join('.') || 'body', issue.message));
  }
  // Capacities in values of the formats each memory holds: what the program's addresses count.
  const hw = elementHardware(bin.hardware);
  const diags: Diagnostic[] = [];
  if (!isFp32Datapath(hw.datapath) && !bin.numerics) diags.push(diag(DIAG.binaryNumerics, at.file, `its hardware computes in ${describeDatapath(hw.datapath)} but it carries no numerics plan (axc asm writes fp32 programs)`));
  const image = dramImageDiagnostic(bin.dram.length, hw, at.file);
  if (image) diags.push(image);
  else {
    for (let i = 0; i < bin.dram.length; i++) {
      if (Number.isFinite(bin.dram[i])) continue;
      diags.push(diag(DIAG.dramNotFinite, at.file, i, bin.dram[i]));
      break;
    }
  }
  bin.regions.forEach((r, i) => {
    // The disassembly writes `.region NAME ...`; a name that is not one token would not read back.
    if (!/^[^\s;]+$/.test(r.name)) diags.push(diag(DIAG.binaryRegionName, at.region?.(i) ?? at.file, r.name));
    const mem = memoryOf(r.space, hw);
    const fits = Number.isSafeInteger(r.addr) && Number.isSafeInteger(r.len) && r.addr >= 0 && r.len >= 0 && r.addr + r.len <= mem.size;
    if (!fits) diags.push(diag(DIAG.regionOutOfRange, at.region?.(i) ?? at.file, r.name, `${mem.prefix}${r.addr}`, r.len, mem.size, mem.name));
  });
  if (diags.length) throw new AxcError(diags);

  const program = withFile(() => decodeProgram(bin.code), at.file);
  if (bin.sourceMap.length !== program.length) throw new AxcError(diag(DIAG.binarySourceMapShort, at.file));
  const { inputWidth, outputWidth, batch } = verifyProgram(program, hw, bin.dram.length, (pc) => bin.sourceMap[pc] ?? at.file, bin.numerics?.layers.length ?? 0);

  // Symbols name branch targets in the disassembly, so each must be a label the assembler reads back, once.
  const names = new Set<string>();
  bin.symbols.forEach((s, i) => {
    const where = at.symbol?.(i) ?? at.file;
    if (!LABEL_SYNTAX.test(s.name)) diags.push(diag(DIAG.symbolNotLabel, where, s.name));
    else if (names.has(s.name)) diags.push(diag(DIAG.symbolTwice, where, s.name));
    else if (s.pc > program.length) diags.push(diag(DIAG.symbolPastEnd, where, s.name, s.pc, program.length));
    names.add(s.name);
  });
  const { meta } = bin;
  if (meta.inputWidth !== inputWidth || meta.outputWidth !== outputWidth)
    diags.push(diag(DIAG.binaryMetaWidths, at.file, meta.inputWidth, meta.outputWidth, inputWidth, outputWidth));
  if (meta.benchmark !== undefined) {
    const where = at.meta?.('benchmark') ?? at.file;
    const b = findBenchmarkInfo(meta.benchmark);
    if (!b) diags.push(diag(DIAG.binaryUnknownBenchmark, where, meta.benchmark));
    else if (b.inputWidth !== inputWidth || b.outputWidth !== outputWidth) diags.push(diag(DIAG.benchmarkWidths, where, b.name, b.inputWidth, b.outputWidth, inputWidth, outputWidth));
  }
  if (diags.length) throw new AxcError(diags);
  return { program, inputWidth, outputWidth, batch };
}
