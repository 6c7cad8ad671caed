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
import { DEFAULT_HARDWARE, HardwareSchema, type Hardware } from '../../hardware/description.ts';
import { DatapathField } from '../../hardware/datapath.ts';
import { packingOf } from '../../hardware/element-view.ts';
import { datapathOf, describeDatapath } from '../../ir/datapath-spec.ts';
import { FORMAT_NAMES_DOC } from '../../ir/number-format.ts';
import { readSamples } from '../../simulator/read-samples.ts';
import { warn } from '../warn.ts';
import { loadHardwareFile } from '../../hardware/load-hardware.ts';
import { packBinary } from '../../isa/container.ts';
import { INSTRUCTION_WORDS } from '../../isa/table.ts';
import { confirmWritten, quietOption } from '../confirm-written.ts';
import { importOptions, loadAnyModel, type ImportCliOptions } from '../load-model.ts';
import { refuseOverwrite } from '../refuse-overwrite.ts';
import { writeFileAtomic } from '../write-atomic.ts';

function parseBatch(v: string): number {
  const n = Number(v);
  if (!/^\d+$/.test(v.trim()) || n < 1 || n > MAX_BATCH) throw new InvalidArgumentError(`expected a whole number from 1 to ${MAX_BATCH}.`);
  return n;
}

/** The hardware with `--datapath`'s formats, when given. */
function withDatapathOption(hw: Hardware, datapath: string | undefined): Hardware {
  if (datapath === undefined) return hw;
  const parsed = DatapathField.safeParse(datapath);
  if (!parsed.success) fail(DIAG.badDatapathOption, undefined, parsed.error.issues[0]?.message ?? 'not a format');
  return HardwareSchema.parse({ ...hw, datapath: parsed.data });
}

/** `--calibrate`'s rows, copied (the reader reuses its array); read only when the datapath has int8 scales to set. */
async function calibrationRows(path: string | undefined, hw: Hardware, width: number): Promise<Float32Array[] | undefined> {
  if (path === undefined) return undefined;
  if (datapathOf(hw.datapath).activations.kind !== 'int') {
    warn(DIAG.calibrateWithoutInt8, describeDatapath(hw.datapath));
    return undefined;
  }
  const rows: Float32Array[] = [];
  for await (const x of readSamples(path, width)) rows.push(x.slice());
  return rows;
}

export function compileCommand(): Command {
  const cmd = new Command('compile')
    .description('compile an AXNet model (.axn, a TensorFlow.js model.json, a FANN .nn or an ONNX .onnx) to an NPU binary')
    .argument('<model>', 'the model, by extension: .json (a tfjs LayersModel, its weight shards beside it), .nn (a FANN network), .onnx (an ONNX model), else .axn source')
    .option('-o, --output <prog.bin>', 'where to write the binary (required unless --dump-after is given)')
    .option('--npu <hw.json>', 'hardware description (default: the built-in 4-tile x 8-PE NPU)')
    .addOption(new Option('--schedule <mode>', 'static keeps weights resident; dynamic reloads them layer by layer; auto picks static when it fits').choices(['auto', 'static', 'dynamic']).default('auto'))
    .addOption(new Option('--dump-after <pass>', 'print the IR after this pass to stdout').choices(PASSES.map((p) => p.name)))
    .addOption(new Option('--batch <B>', `dynamic schedules: samples that share each weight load, 1 to ${MAX_BATCH} (default: what on-chip memory holds, at most 32; 1 gives one sample at a time)`).argParser(parseBatch))
    .option('--datapath <format>', `number formats, overriding the hardware's: one name for every role (${FORMAT_NAMES_DOC}); a hardware description gives roles one by one`)
    .option('--calibrate <x-file>', 'int8: sample rows (as axc sim reads them) whose ranges set each tensor\'s scale')
    .option('--explain', 'also print where each layer runs (tiles, PEs, chunks) on stderr')
    .addOption(quietOption());
  for (const o of importOptions()) cmd.addOption(o);
  return cmd
    .addHelpText('after', `\nPasses, in order:\n${PASSES.map((p) => `  ${p.name.padEnd(13)} ${p.doc}`).join('\n')}\n\nExamples:\n  axc compile examples/sobel.axn -o sobel.bin\n  axc compile tfjs_out/model.json -o prog.bin --threshold 0.7\n  axc compile sobel.nn -o prog.bin --benchmark sobel --quality rmse:0.1\n  axc compile model.onnx -o prog.bin`)
    .action(async (modelPath: string, opts: ImportCliOptions & { output?: string; npu?: string; schedule: 'auto' | 'static' | 'dynamic'; batch?: number; dumpAfter?: string; explain?: boolean; quiet?: boolean; datapath?: string; calibrate?: string }) => {
      if (!opts.output && !opts.dumpAfter) fail(DIAG.compileNeedsOutput, undefined);
      const outputs = [{ role: '-o', path: opts.output }];
      refuseOverwrite([{ role: 'the model', path: modelPath }, { role: '--npu', path: opts.npu }, { role: '--calibrate', path: opts.calibrate }], outputs);
      const hardware = withDatapathOption(opts.npu ? loadHardwareFile(opts.npu) : DEFAULT_HARDWARE, opts.datapath);
      const model = loadAnyModel(modelPath, opts, outputs);
      const calibration = await calibrationRows(opts.calibrate, hardware, model.inputWidth);
      let scheduled: BatchedModel | undefined;
      const bin = compileModel(model, { hardware, calibration, schedule: opts.schedule, batch: opts.batch, dumpAfter: opts.dumpAfter, onDump: (_, text) => process.stdout.write(text), onScheduled: (s) => (scheduled = s) });
      if (opts.output) {
        writeFileAtomic(opts.output, packBinary(bin));
        const n = bin.code.length / INSTRUCTION_WORDS;
        const pack = packingOf(hardware).weights;
        const weights = pack === 1 ? `${bin.dram.length} weight words` : `${bin.dram.length} weights in ${Math.ceil(bin.dram.length / pack)} words`;
        confirmWritten(opts, `${opts.output}: ${bin.meta.model}, ${bin.meta.schedule} schedule, ${n} instructions, ${weights}`);
      }
      if (opts.output && !opts.quiet && scheduled) {
        for (const line of explainSchedule(scheduled, hardware, timeSamplePaths(bin), Boolean(model.predictor))) process.stderr.write(`axc: ${line}\n`);
      }
      if (opts.explain && scheduled) process.stderr.write(printBatched(scheduled));
    });
}
