// `axc import`: a TensorFlow.js LayersModel (model.json + weight shards) -> readable .axn source.

import * as path from 'node:path';
import { Command } from 'commander';
import { printModel } from '../../frontend/print-model.ts';
import { writeWeightsFile } from '../../frontend/weights-file.ts';
import { loadLayersModel, tfjsOptions, type TfjsCliOptions } from '../load-model.ts';
import { refuseOverwrite } from '../refuse-overwrite.ts';
import { confirmWritten, quietOption } from '../confirm-written.ts';
import { writeFileAtomic } from '../write-atomic.ts';

export function importCommand(): Command {
  const cmd = new Command('import')
    .description('import a TensorFlow.js / Keras LayersModel (model.json) as readable .axn source')
    .argument('<model.json>', 'the model.json written by tfjs model.save or tensorflowjs_converter, with its weight shards beside it')
    .requiredOption('-o, --output <model.axn>', 'where to write the .axn')
    .option('--weights-file', 'write the weights to <output name>.weights.json beside the .axn instead of inline')
    .addOption(quietOption());
  for (const o of tfjsOptions()) cmd.addOption(o);
  return cmd
    .addHelpText('after', '\nExample:\n  tensorflowjs_converter --input_format keras model.h5 out/\n  axc import out/model.json -o model.axn\n\nThe model must have the AXNet pattern described in frontend/layers-model/README.md.')
    .action((modelPath: string, opts: TfjsCliOptions & { output: string; weightsFile?: boolean; quiet?: boolean }) => {
      const stem = path.basename(opts.output).replace(/\.axn$/, '');
      const weightsName = `${stem}.weights.json`;
      const weightsPath = opts.weightsFile ? path.join(path.dirname(opts.output), weightsName) : undefined;
      const outputs = [
        { role: '-o', path: opts.output },
        { role: 'the weights file', path: weightsPath },
      ];
      refuseOverwrite([{ role: 'the model', path: modelPath }], outputs);
      const model = loadLayersModel(modelPath, opts, outputs);
      if (weightsPath) {
        // The weights first: a model file is only ever beside the weights it names.
        writeFileAtomic(weightsPath, writeWeightsFile(model));
        writeFileAtomic(opts.output, printModel(model, { inlineWeights: false, weightsFile: weightsName }));
        confirmWritten(opts, `${opts.output} and ${weightsPath}: ${model.name}`);
      } else {
        writeFileAtomic(opts.output, printModel(model));
        confirmWritten(opts, `${opts.output}: ${model.name}`);
      }
    });
}
