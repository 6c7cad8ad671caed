// `axc export`: an .axn model -> a TensorFlow.js LayersModel directory (model.json + weight shard).

import { Command } from 'commander';
import { DIAG } from '../../diagnostics/catalog.ts';
import { AxcError, describeFsError, fail, hasErrors } from '../../diagnostics/diagnostic.ts';
import { loadModelFile } from '../../frontend/parse-model.ts';
import { exportLayersModel, exportPaths } from '../../tfjs/export-layers-model.ts';
import { writeFileAtomic } from '../write-atomic.ts';

export function exportCommand(): Command {
  return new Command('export')
    .description('export an .axn model as a TensorFlow.js LayersModel (tf.loadLayersModel can load and predict with it)')
    .argument('<model.axn>', 'the model')
    .requiredOption('-o, --output <dir>', 'directory for model.json and its weight shard (created if missing)')
    .addHelpText('after', '\nUses @tensorflow/tfjs-node when installed, else @tensorflow/tfjs on the wasm or cpu backend.\n\nExample:\n  axc export examples/sobel.axn -o /tmp/sobel-tfjs')
    .action(async (modelPath: string, opts: { output: string }) => {
      const { model, diagnostics } = loadModelFile(modelPath);
      if (!model || hasErrors(diagnostics)) throw new AxcError(diagnostics);
      const exported = await exportLayersModel(model);
      let paths: { modelJson: string; weights: string };
      try {
        paths = exportPaths(opts.output);
      } catch (e) {
        fail(DIAG.fileUnwritable, undefined, opts.output, describeFsError(e));
      }
      // The shard first: a model.json is only ever beside the weights it names.
      writeFileAtomic(paths.weights, exported.weights);
      writeFileAtomic(paths.modelJson, exported.modelJson);
      process.stderr.write(`axc: wrote ${paths.modelJson} and ${paths.weights} (tfjs backend: ${exported.backend})\n`);
    });
}
