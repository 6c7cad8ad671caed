// `axc compile`: model file -> prog.bin, with optional IR dumps after any pass.

import { Command, InvalidArgumentError, Option } from 'commander';
import { MAX_BATCH } from '../../arch/limits.ts';
import { DIAG } from '../../diagnostics/catalog.ts';
import { fail } from '../../diagnostics/diagnostic.ts';
import { compileModel, PASSES } from '../../compiler/pipeline.ts';
import { explainSchedule } from '../../compiler/explain-schedule.ts';
import type { BatchedModel } from '../../compiler/lowered-ir.ts';
import { printBatched } from '../../compiler/print-ir.ts';
import { timeSamplePaths } from '../../machine/time-paths.ts';
import { DEFAULT_HARDWARE } from '../../hardware/description.ts';
import { loadHardwareFile } from '../../hardware/load-hardware.ts';
import { packBinary } from '../../isa/container.ts';
import { INSTRUCTION_WORDS } from '../../isa/table.ts';
import { confirmWritten, quietOption } from '../confirm-written.ts';
import { loadAnyModel, tfjsOptions, type TfjsCliOptions } from '../load-model.ts';
import { refuseOverwrite } from '../refuse-overwrite.ts';
import { writeFileAtomic } from '../write-atomic.ts';

function parseBatch(v: string): number {
  const n = Number(v);
  if (!/^\d+$/.test(v.trim()) || n < 1 || n > MAX_BATCH) throw new InvalidArgumentError(`expected a whole number from 1 to ${MAX_BATCH}.`);
  return n;
}

export function compileCommand(): Command {
  const cmd = new Command('compile')
    .description('compile an AXNet model (.axn, or a TensorFlow.js model.json) to an NPU binary')
    .argument('<model>', 'the model: an .axn file, or a tfjs LayersModel .json (its weight shards beside it)')
    .option('-o, --output <prog.bin>', 'where to write the binary (required unless --dump-after is given)')
    .option('--npu <hw.json>', 'hardware description (default: the built-in 4-tile x 8-PE NPU)')
    .addOption(new Option('--schedule <mode>', 'static keeps weights resident; dynamic reloads them layer by layer; auto picks static when it fits').choices(['auto', 'static', 'dynamic']).default('auto'))
    .addOption(new Option('--dump-after <pass>', 'print the IR after this pass to stdout').choices(PASSES.map((p) => p.name)))
    .addOption(new Option('--batch <B>', `dynamic schedules: samples that share each weight load, 1 to ${MAX_BATCH} (default: what on-chip memory holds, at most 32; 1 gives one sample at a time)`).argParser(parseBatch))
    .option('--explain', 'also print where each layer runs (tiles, PEs, chunks) on stderr')
    .addOption(quietOption());
  for (const o of tfjsOptions()) cmd.addOption(o);
  return cmd
    .addHelpText('after', `\nPasses, in order:\n${PASSES.map((p) => `  ${p.name.padEnd(13)} ${p.doc}`).join('\n')}\n\nExamples:\n  axc compile examples/sobel.axn -o sobel.bin\n  axc compile tfjs_out/model.json -o prog.bin --threshold 0.7`)
    .action((modelPath: string, opts: TfjsCliOptions & { output?: string; npu?: string; schedule: 'auto' | 'static' | 'dynamic'; batch?: number; dumpAfter?: string; explain?: boolean; quiet?: boolean }) => {
      if (!opts.output && !opts.dumpAfter) fail(DIAG.compileNeedsOutput, undefined);
      const outputs = [{ role: '-o', path: opts.output }];
      refuseOverwrite([{ role: 'the model', path: modelPath }, { role: '--npu', path: opts.npu }], outputs);
      const hardware = opts.npu ? loadHardwareFile(opts.npu) : DEFAULT_HARDWARE;
      const model = loadAnyModel(modelPath, opts, outputs);
      let scheduled: BatchedModel | undefined;
      const bin = compileModel(model, { hardware, schedule: opts.schedule, batch: opts.batch, dumpAfter: opts.dumpAfter, onDump: (_, text) => process.stdout.write(text), onScheduled: (s) => (scheduled = s) });
      if (opts.output) {
        writeFileAtomic(opts.output, packBinary(bin));
        const n = bin.code.length / INSTRUCTION_WORDS;
        confirmWritten(opts, `${opts.output}: ${bin.meta.model}, ${bin.meta.schedule} schedule, ${n} instructions, ${bin.dram.length} weight words`);
      }
      if (opts.output && !opts.quiet && scheduled) {
        for (const line of explainSchedule(scheduled, hardware, timeSamplePaths(bin), Boolean(model.predictor))) process.stderr.write(`axc: ${line}\n`);
      }
      if (opts.explain && scheduled) process.stderr.write(printBatched(scheduled));
    });
}
