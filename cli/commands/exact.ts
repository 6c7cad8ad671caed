// `axc exact`: runs a benchmark's exact function over an input file (one sample per line, as `axc sim`
// reads) and writes its outputs, one line per sample, values separated by a space in their shortest
// float64 text. Nothing is written if the input has an error: with --output the file appears only when
// complete; on stdout the input is checked in full before the first line is printed.

import { Command } from 'commander';
import { BENCHMARKS, findBenchmark } from '../../benchmarks/registry.ts';
import { DIAG } from '../../diagnostics/catalog.ts';
import { fail, fromCommandLine } from '../../diagnostics/diagnostic.ts';
import { float64Text } from '../../ir/float-text.ts';
import { readSamples } from '../../simulator/read-samples.ts';
import { isFifo, releaseInputOnInterrupt } from '../interrupt.ts';
import { confirmWritten, quietOption } from '../confirm-written.ts';
import { refuseOverwrite } from '../refuse-overwrite.ts';
import { AtomicWriter, writeStdout } from '../write-atomic.ts';

/** Lines are written in batches of this many samples. */
const BATCH = 4096;

export function exactCommand(): Command {
  return new Command('exact')
    .description("run a benchmark's exact function over input samples, one output line per sample")
    .argument('<bench>', 'benchmark: sobel, inversek2j, fft, bessel, blackscholes, jpeg, kmeans or jmeint')
    .requiredOption('-i, --input <file>', "samples: one per line, values separated by commas or white space (AxBench .x files work); '-' reads stdin")
    .option('-o, --output <file>', "where to write the outputs; '-' or absent: stdout")
    .addHelpText('after', '\nExample:\n  axc exact sobel --input ../shared/data/axbench/sobel/train.x --output /tmp/sobel.y')
    .addOption(quietOption())
    .action(async (bench: string, opts: { input: string; output?: string; quiet?: boolean }) => {
      const benchmark = findBenchmark(bench) ?? fail(fromCommandLine(DIAG.unknownBenchmark), undefined, bench, BENCHMARKS.map((b) => b.name).join(', '));
      const toStdout = opts.output === undefined || opts.output === '-';
      refuseOverwrite([{ role: '--input', path: opts.input }], [{ role: '--output', path: opts.output }]);
      // On stdout nothing may appear before the whole input is known to be good: a file is checked in a
      // first pass; stdin or a pipe, which cannot be read twice, has its output held until the end.
      const holdOutput = toStdout && (opts.input === '-' || isFifo(opts.input));
      const releaseInput = releaseInputOnInterrupt(opts.input);
      if (toStdout && !holdOutput) for await (const _ of readSamples(opts.input, benchmark.inputWidth)); // check everything first
      const writer = toStdout ? null : new AtomicWriter(opts.output!);
      const held: string[] = [];
      const emit = async (text: string) => {
        if (writer) await writer.write(text);
        else if (holdOutput) held.push(text);
        else await writeStdout(text);
      };
      const out = new Float64Array(benchmark.outputWidth);
      const values: string[] = new Array(benchmark.outputWidth);
      let samples = 0;
      try {
        let text = '';
        let lines = 0;
        for await (const x of readSamples(opts.input, benchmark.inputWidth)) {
          benchmark.exact(x, out);
          for (let j = 0; j < out.length; j++) values[j] = float64Text(out[j]);
          text += values.join(' ') + '\n';
          samples++;
          if (++lines === BATCH) {
            await emit(text);
            text = '';
            lines = 0;
          }
        }
        await emit(text);
        await writer?.commit();
      } catch (e) {
        writer?.abort();
        throw e;
      } finally {
        releaseInput();
      }
      for (const text of held) await writeStdout(text);
      if (writer) confirmWritten(opts, `${opts.output}: ${samples} ${bench} outputs`);
    });
}
