// `axc import`: a model in another framework's format (TensorFlow.js model.json + weight shards, FANN .nn,
// ONNX .onnx) -> readable .axn source.

import * as path from 'node:path';
import { Command } from 'commander';
import { DIAG } from '../../diagnostics/catalog.ts';
import { readFileSync } from 'node:fs';
import { AxcError, describeFsError, fail } from '../../diagnostics/diagnostic.ts';
import { wrongKindOfFile } from '../../frontend/file-kind.ts';
import { printModel } from '../../frontend/print-model.ts';
import { writeWeightsFile } from '../../frontend/weights-file.ts';
import { importOptions, loadAnyModel, modelFormatOf, type ImportCliOptions } from '../load-model.ts';
import { refuseOverwrite } from '../refuse-overwrite.ts';
import { confirmWritten, quietOption } from '../confirm-written.ts';
import { writeFileAtomic } from '../write-atomic.ts';

/** What a file that no importer reads is: .axn source (which compile takes as it is), or some other kind. */
function refuseNonImport(path: string): never {
  let bytes: Uint8Array = new Uint8Array(0);
  try {
    bytes = readFileSync(path);
  } catch (err) {
    fail(DIAG.fileUnreadable, undefined, path, describeFsError(err));
  }
  const wrongKind = wrongKindOfFile(bytes, path, 'a model to import (a model.json, .nn or .onnx file)', ['axn', 'text']);
  if (wrongKind) throw new AxcError(wrongKind);
  fail(DIAG.importNeedsForeignModel, undefined, path);
}

export function importCommand(): Command {
  const cmd = new Command('import')
    .description('import a model (TensorFlow.js model.json, FANN .nn, ONNX .onnx) as readable .axn source')
    .argument('<model>', 'by extension: .json (a tfjs LayersModel, its weight shards beside it), .nn (a FANN network), .onnx (an ONNX model, its external data beside it)')
    .requiredOption('-o, --output <model.axn>', 'where to write the .axn')
    .option('--weights-file', 'write the weights to <output name>.weights.json beside the .axn instead of inline')
    .addOption(quietOption());
  for (const o of importOptions()) cmd.addOption(o);
  return cmd
    .addHelpText(
      'after',
      '\nExamples:\n  tensorflowjs_converter --input_format keras model.h5 out/\n  axc import out/model.json -o model.axn\n  axc import sobel.nn -o sobel.axn --benchmark sobel --quality rmse:0.1\n  axc import model.onnx -o model.axn\n\nThe accepted patterns are described in frontend/layers-model/README.md, frontend/fann/README.md and frontend/onnx/README.md.',
    )
    .action((modelPath: string, opts: ImportCliOptions & { output: string; weightsFile?: boolean; quiet?: boolean }) => {
      if (modelFormatOf(modelPath) === 'axn') refuseNonImport(modelPath);
      const stem = path.basename(opts.output).replace(/\.axn$/, '');
      const weightsName = `${stem}.weights.json`;
      const weightsPath = opts.weightsFile ? path.join(path.dirname(opts.output), weightsName) : undefined;
      const outputs = [
        { role: '-o', path: opts.output },
        { role: 'the weights file', path: weightsPath },
      ];
      refuseOverwrite([{ role: 'the model', path: modelPath }], outputs);
      const model = loadAnyModel(modelPath, opts, outputs);
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
