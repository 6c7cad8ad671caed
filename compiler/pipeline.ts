// The compiler: a flat list of named passes from the AXNet IR to a binary, with a dump after any pass.

import { DIAG } from '../diagnostics/catalog.ts';
import { AxcError, fail } from '../diagnostics/diagnostic.ts';
import { DEFAULT_HARDWARE, type Hardware } from '../hardware/description.ts';
import type { AxModel } from '../ir/model.ts';
import { verifyModel } from '../ir/verify-model.ts';
import type { Binary } from '../isa/container.ts';
import { disassemble } from '../isa/disassemble.ts';
import { allocateMemory } from './allocate-memory.ts';
import { emitProgram } from './emit-program.ts';
import { fuseControlVectors } from './fuse-control-vectors.ts';
import { printAllocated, printAxModel, printFused, printScheduled } from './print-ir.ts';
import { scheduleNeurons, type ScheduleMode } from './schedule-neurons.ts';

export interface CompileOptions {
  hardware?: Hardware;
  schedule?: ScheduleMode;
  /** Called with the printed IR after the named pass. */
  dumpAfter?: string;
  onDump?: (pass: string, text: string) => void;
}

interface PassContext {
  hardware: Hardware;
  schedule: ScheduleMode;
}

interface Pass {
  name: string;
  doc: string;
  run: (ir: any, ctx: PassContext) => any;
  print: (ir: any) => string;
}

export const PASSES: readonly Pass[] = [
  {
    name: 'verify',
    doc: 'check the AXNet graph (widths, weights, control wiring)',
    run: (m: AxModel) => {
      const errors = verifyModel(m);
      if (errors.length) throw new AxcError(errors);
      return m;
    },
    print: printAxModel,
  },
  { name: 'fuse-control', doc: 'fold Hadamard gates into their layers; split the predictor output at fixed addresses', run: (m: AxModel) => fuseControlVectors(m), print: printFused },
  { name: 'schedule', doc: 'choose static or dynamic and place neurons on tiles and PEs', run: (f, ctx) => scheduleNeurons(f, ctx.hardware, ctx.schedule), print: printScheduled },
  { name: 'allocate', doc: 'lay out the DRAM weight image and the tile buffers', run: (s, ctx) => allocateMemory(s, ctx.hardware), print: printAllocated },
  { name: 'emit', doc: 'emit the five-stage instruction stream', run: (a, ctx) => emitProgram(a, ctx.hardware), print: (b: Binary) => disassemble(b) },
];

export const PASS_NAMES = PASSES.map((p) => p.name);

export function compileModel(model: AxModel, opts: CompileOptions = {}): Binary {
  if (opts.dumpAfter !== undefined && !PASS_NAMES.includes(opts.dumpAfter)) fail(DIAG.unknownPass, undefined, opts.dumpAfter, PASS_NAMES.join(', '));
  const ctx: PassContext = { hardware: opts.hardware ?? DEFAULT_HARDWARE, schedule: opts.schedule ?? 'auto' };
  let ir: unknown = model;
  for (const pass of PASSES) {
    ir = pass.run(ir, ctx);
    if (opts.dumpAfter === pass.name) opts.onDump?.(pass.name, pass.print(ir));
  }
  return ir as Binary;
}
