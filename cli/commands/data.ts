// `axc data`: writes a seeded synthetic data set of one benchmark as <dir>/train.x and <dir>/train.y,
// AxBench's layout (one sample per line, values separated by a space), float32 values in their shortest
// round-trip text. Both files are written whole or not at all.

import path from 'node:path';
import { Command } from 'commander';
import { generateChunks, MAX_SAMPLES, findGenerator } from '../../benchmarks/generators/generate.ts';
import { DIAG } from '../../diagnostics/catalog.ts';
import { fail } from '../../diagnostics/diagnostic.ts';
import { float32Text } from '../../ir/float-text.ts';
import { confirmWritten, quietOption } from '../confirm-written.ts';
import { ensureOutputDirectory } from '../output-directory.ts';
import { startProgressBar } from '../progress.ts';
import { refuseOverwrite } from '../refuse-overwrite.ts';
import { AtomicWriter } from '../write-atomic.ts';
import { parseSeed } from '../../ir/seeded-random.ts';

/** Rows of a row-major float32 matrix as text lines. */
export function matrixText(values: Float32Array, width: number): string {
  let text = '';
  for (let i = 0; i < values.length; i += width) {
    const row: string[] = [];
    for (let j = 0; j < width; j++) row.push(float32Text(values[i + j]));
    text += row.join(' ') + '\n';
  }
  return text;
}

/** A decimal integer option in [min, max], or null. */
function wholeNumber(text: string, min: number, max: number): number | null {
  if (!/^\d+$/.test(text)) return null;
  const v = Number(text);
  return v >= min && v <= max ? v : null;
}

export function dataCommand(): Command {
  return new Command('data')
    .description('write a seeded synthetic data set of a benchmark (inputs drawn like the AxBench data, outputs from the exact function)')
    .argument('<bench>', 'benchmark: sobel, inversek2j, fft, bessel, blackscholes, jpeg, kmeans or jmeint')
    .requiredOption('-n, --samples <N>', `number of samples, 1 to ${MAX_SAMPLES}`)
    .option('--seed <S>', 'random seed, 0 to 4294967295; the same seed gives the same files', '0')
    .requiredOption('-o, --output <dir>', 'directory for train.x and train.y (created if missing)')
    .addHelpText('after', '\nExample:\n  axc data sobel -n 10000 --seed 1 -o /tmp/sobel-data')
    .addOption(quietOption())
    .action(async (bench: string, opts: { samples: string; seed: string; output: string; quiet?: boolean }) => {
      findGenerator(bench);
      const n = wholeNumber(opts.samples, 1, MAX_SAMPLES) ?? fail(DIAG.dataBadCount, undefined, opts.samples, MAX_SAMPLES);
      const seed = parseSeed(opts.seed) ?? fail(DIAG.dataBadSeed, undefined, opts.seed);
      const xPath = path.join(opts.output, 'train.x');
      const yPath = path.join(opts.output, 'train.y');
      refuseOverwrite([], [{ role: 'the inputs file', path: xPath }, { role: 'the outputs file', path: yPath }]);
      ensureOutputDirectory(opts.output);
      const xOut = new AtomicWriter(xPath);
      let yOut: AtomicWriter | null = null;
      const bar = startProgressBar(`generating ${bench} |{bar}| {value}/{total} samples | eta {eta_formatted}`, n, {});
      try {
        yOut = new AtomicWriter(yPath);
        let done = 0;
        for (const part of generateChunks(bench, n, seed)) {
          await xOut.write(matrixText(part.x, part.inputWidth));
          await yOut.write(matrixText(part.y, part.outputWidth));
          bar?.update((done += part.n));
        }
        bar?.stop();
        await xOut.commit();
        await yOut.commit();
      } catch (e) {
        bar?.stop();
        xOut.abort();
        yOut?.abort();
        throw e;
      }
      confirmWritten(opts, `${xPath} and ${yPath}: ${n} ${bench} samples, seed ${seed}`);
    });
}
