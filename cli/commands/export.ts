// `axc export`: an .axn model -> a TensorFlow.js LayersModel directory (model.json + weight shard).

import { Command } from 'commander';
import { exportLayersModel, exportPaths } from '../../tfjs-runtime/export-layers-model.ts';
import { confirmWritten, quietOption } from '../confirm-written.ts';
import { loadAxnModel } from '../load-model.ts';
import { ensureOutputDirectory } from '../output-directory.ts';
import { refuseOverwrite } from '../refuse-overwrite.ts';
import { writeFileAtomic } from '../write-atomic.ts';

export function exportCommand(): Command {
  return new Command('export')
    .description('export an .axn model as a TensorFlow.js LayersModel (tf.loadLayersModel can load and predict with it)')
    .argument('<model.axn>', 'the model')
    .requiredOption('-o, --output <dir>', 'directory for model.json and its weight shard (created if missing)')
    .addOption(quietOption())
    .addHelpText('after', '\nUses @tensorflow/tfjs-node when installed, else @tensorflow/tfjs on the wasm or cpu backend.\n\nExample:\n  axc export examples/sobel.axn -o /tmp/sobel-tfjs')
    .action(async (modelPath: string, opts: { output: string; quiet?: boolean }) => {
      const paths = exportPaths(opts.output);
      const outputs = [
        { role: 'the exported model.json', path: paths.modelJson },
        { role: 'the exported weight shard', path: paths.weights },
      ];
      refuseOverwrite([{ role: 'the model', path: modelPath }], outputs);
      const model = loadAxnModel(modelPath, outputs);
      const exported = await exportLayersModel(model);
      ensureOutputDirectory(opts.output);
      // The shard first: a model.json is only ever beside the weights it names.
      writeFileAtomic(paths.weights, exported.weights);
      writeFileAtomic(paths.modelJson, exported.modelJson);
      confirmWritten(opts, `${paths.modelJson} and ${paths.weights} (tfjs backend: ${exported.backend})`);
    });
}
