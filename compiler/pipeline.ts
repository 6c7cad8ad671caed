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
import { printAllocated, printAxModel, printBatched, printFused, printScheduled } from './print-ir.ts';
import { passesFrom, type PassContext, type PassInfo } from './pass-chain.ts';
import { scheduleNeurons, type ScheduleMode } from './schedule-neurons.ts';
import type { BatchedModel } from './lowered-ir.ts';
import { batchSamples } from './batch-samples.ts';
import { elementHardware } from '../hardware/element-view.ts';
import { isFp32Datapath } from '../ir/datapath-spec.ts';
import { planNumerics, type NumericsPlan } from '../ir/numerics-plan.ts';

/** The datapath's plan for the model (int8 scales from its weights and the calibration rows); null in fp32. */
function planNumericsFor(model: AxModel, ctx: PassContext): NumericsPlan | null {
  return isFp32Datapath(ctx.description.datapath) ? null : planNumerics(model, ctx.description.datapath, ctx.calibration);
}

export interface CompileOptions {
  hardware?: Hardware;
  /** Sample rows that set int8's activation scales (`axc compile --calibrate`). */
  calibration?: readonly Float32Array[];
  schedule?: ScheduleMode;
  /** Called with the printed IR after the named pass. */
  dumpAfter?: string;
  onDump?: (pass: string, text: string) => void;
  /** Samples per batch for a dynamic schedule (`--batch`); default: what on-chip memory holds, capped. */
  batch?: number;
  /** Called with the schedule and batch chosen: static or dynamic and why, where each op's neurons run, the batch. */
  onScheduled?: (s: BatchedModel) => void;
}

/** The compiler, AXNet IR to binary; each `then` is checked by tsc to take the IR the pass before it gives. */
const COMPILER = passesFrom<AxModel>()
  .then({
    name: 'verify',
    doc: 'check the AXNet graph (widths, weights, control wiring)',
    run: (m) => {
      const errors = verifyModel(m);
      if (errors.length) throw new AxcError(errors);
      return m;
    },
    print: printAxModel,
  })
  .then({ name: 'fuse-control', doc: 'fold Hadamard gates into their layers; split the predictor output at fixed addresses', run: (m) => fuseControlVectors(m), print: printFused })
  .then({
    name: 'schedule',
    doc: 'choose static or dynamic and place neurons on tiles and PEs',
    run: (f, ctx) => scheduleNeurons(f, ctx.hardware, ctx.schedule),
    print: printScheduled,
  })
  .then({
    name: 'batch',
    doc: 'choose how many samples share each weight load, and lay out their working sets in on-chip memory',
    run: (s, ctx) => {
      const b = batchSamples(s, ctx.hardware, ctx.batch);
      ctx.onScheduled?.(b);
      return b;
    },
    print: printBatched,
  })
  .then({ name: 'allocate', doc: 'lay out the DRAM weight image and the tile buffers', run: (s, ctx) => allocateMemory(s, ctx.hardware, planNumericsFor(s.model, ctx)), print: printAllocated })
  .then({ name: 'emit', doc: 'emit the five-stage instruction stream', run: (a, ctx) => emitProgram(a, ctx.hardware, ctx.description), print: (b) => disassemble(b) });

export const PASSES: readonly PassInfo[] = COMPILER.passes;

export const PASS_NAMES = PASSES.map((p) => p.name);

export function compileModel(model: AxModel, opts: CompileOptions = {}): Binary {
  if (opts.dumpAfter !== undefined && !PASS_NAMES.includes(opts.dumpAfter)) fail(DIAG.unknownPass, undefined, opts.dumpAfter, PASS_NAMES.join(', '));
  const description = opts.hardware ?? DEFAULT_HARDWARE;
  const ctx: PassContext = { hardware: elementHardware(description), description, calibration: opts.calibration, schedule: opts.schedule ?? 'auto', batch: opts.batch, onScheduled: opts.onScheduled };
  return COMPILER.run(model, ctx, (name, print) => {
    if (opts.dumpAfter === name) opts.onDump?.(name, print());
  });
}
