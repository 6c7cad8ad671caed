// `axc import`: a TensorFlow.js LayersModel (model.json + weight shards) -> readable .axn source, and the
// --threshold / --safe-index options that `axc compile` shares for .json models.

import * as path from 'node:path';
import { isUsableThreshold } from '../../ir/numerics.ts';
import { Command, InvalidArgumentError, Option } from 'commander';
import { AxcError, hasErrors } from '../../diagnostics/diagnostic.ts';
import { printModel } from '../../frontend/print-model.ts';
import { writeWeightsFile } from '../../frontend/weights-file.ts';
import { readLayersModel, type ReadLayersModelOptions, type ReadLayersModelResult } from '../../frontend/tfjs/read-layers-model.ts';
import type { AxModel } from '../../ir/model.ts';
import { writeFileAtomic } from '../write-atomic.ts';

function parseThreshold(v: string): number {
  const t = Number(v);
  if (v.trim() === '' || !Number.isFinite(t) || !isUsableThreshold(t)) throw new InvalidArgumentError('the threshold is a number strictly between 0 and 1 (as a float32).');
  return t;
}

/** The options that only apply to a TensorFlow.js model.json. */
export function tfjsOptions(): Option[] {
  return [
    new Option('--threshold <T>', 'model.json only: threshold of a 1-unit sigmoid decision, in (0, 1) (default 0.5)').argParser(parseThreshold),
    new Option('--safe-index <I>', 'model.json only: which logit of a 2-unit softmax decision means "approximate" (default 1)').choices(['0', '1']),
  ];
}

export interface TfjsCliOptions {
  threshold?: number;
  safeIndex?: '0' | '1';
}

export function toReadOptions(o: TfjsCliOptions): ReadLayersModelOptions {
  return { threshold: o.threshold, safeIndex: o.safeIndex === undefined ? undefined : o.safeIndex === '0' ? 0 : 1 };
}

/** Reads a model.json or throws its diagnostics; renames are noted on stderr. */
export function loadTfjsModel(file: string, o: TfjsCliOptions): AxModel {
  const r: ReadLayersModelResult = readLayersModel(file, toReadOptions(o));
  if (!r.model || hasErrors(r.diagnostics)) throw new AxcError(r.diagnostics);
  for (const n of r.renames) process.stderr.write(`axc: note: '${n.from}' is named '${n.to}' in the imported model\n`);
  return r.model;
}

export function importCommand(): Command {
  const cmd = new Command('import')
    .description('import a TensorFlow.js / Keras LayersModel (model.json) as readable .axn source')
    .argument('<model.json>', 'the model.json written by tfjs model.save or tensorflowjs_converter, with its weight shards beside it')
    .requiredOption('-o, --output <model.axn>', 'where to write the .axn')
    .option('--weights-file', 'write the weights to <output name>.weights.json beside the .axn instead of inline');
  for (const o of tfjsOptions()) cmd.addOption(o);
  return cmd
    .addHelpText('after', '\nExample:\n  tensorflowjs_converter --input_format keras model.h5 out/\n  axc import out/model.json -o model.axn\n\nThe model must have the AXNet pattern described in frontend/tfjs/README.md.')
    .action((modelPath: string, opts: TfjsCliOptions & { output: string; weightsFile?: boolean }) => {
      const model = loadTfjsModel(modelPath, opts);
      if (opts.weightsFile) {
        const stem = path.basename(opts.output).replace(/\.axn$/, '');
        const weightsName = `${stem}.weights.json`;
        const weightsPath = path.join(path.dirname(opts.output), weightsName);
        writeFileAtomic(weightsPath, writeWeightsFile(model));
        writeFileAtomic(opts.output, printModel(model, { inlineWeights: false, weightsFile: weightsName }));
        process.stderr.write(`axc: wrote ${opts.output} and ${weightsPath}: ${model.name}\n`);
      } else {
        writeFileAtomic(opts.output, printModel(model));
        process.stderr.write(`axc: wrote ${opts.output}: ${model.name}\n`);
      }
    });
}
