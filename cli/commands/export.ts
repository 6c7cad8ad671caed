// `axc export`: an .axn model -> a TensorFlow.js LayersModel directory (model.json + weight shard), or with
// `--format onnx` a single ONNX file (frontend/onnx/write-onnx.ts).

import { Command, Option } from 'commander';
import { exportOnnxModel } from '../../frontend/onnx/write-onnx.ts';
import { exportLayersModel, exportPaths } from '../../tfjs-runtime/export-layers-model.ts';
import { confirmWritten, quietOption } from '../confirm-written.ts';
import { loadAxnModel } from '../load-model.ts';
import { ensureOutputDirectory } from '../output-directory.ts';
import { refuseOverwrite } from '../refuse-overwrite.ts';
import { writeFileAtomic } from '../write-atomic.ts';

interface ExportOptions {
  output: string;
  format: 'tfjs' | 'onnx';
  quiet?: boolean;
}

async function exportTfjs(modelPath: string, opts: ExportOptions): Promise<void> {
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
}

function exportOnnx(modelPath: string, opts: ExportOptions, version: string | undefined): void {
  const outputs = [{ role: 'the exported ONNX model', path: opts.output }];
  refuseOverwrite([{ role: 'the model', path: modelPath }], outputs);
  const model = loadAxnModel(modelPath, outputs);
  writeFileAtomic(opts.output, exportOnnxModel(model, { producerVersion: version }));
  confirmWritten(opts, `${opts.output} (ONNX, opset 13)`);
}

export function exportCommand(): Command {
  return new Command('export')
    .description('export an .axn model as a TensorFlow.js LayersModel (tf.loadLayersModel can load and predict with it) or as an ONNX model')
    .argument('<model.axn>', 'the model')
    .requiredOption('-o, --output <path>', 'tfjs: directory for model.json and its weight shard (created if missing); onnx: the .onnx file')
    .addOption(new Option('--format <format>', 'what to write').choices(['tfjs', 'onnx']).default('tfjs'))
    .addOption(quietOption())
    .addHelpText(
      'after',
      '\ntfjs uses @tensorflow/tfjs-node when installed, else @tensorflow/tfjs on the wasm or cpu backend.\n' +
        'onnx writes opset 13 (Gemm, Relu/Sigmoid/Tanh, Slice, Mul, Softmax); input x, outputs y and (with a predictor) decision.\n\n' +
        'Examples:\n  axc export examples/sobel.axn -o /tmp/sobel-tfjs\n  axc export examples/sobel.axn --format onnx -o /tmp/sobel.onnx',
    )
    .action(async (modelPath: string, opts: ExportOptions, cmd: Command) => {
      if (opts.format === 'onnx') exportOnnx(modelPath, opts, cmd.parent?.version());
      else await exportTfjs(modelPath, opts);
    });
}
