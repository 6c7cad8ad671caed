// `axc sim`: runs prog.bin over input samples; writes the per-sample CSV and the run report.

import { Command, Option } from 'commander';
import { readSamples } from '../../simulator/read-samples.ts';
import { csvHeader, runSimulation, type RunReport } from '../../simulator/run-simulation.ts';
import { AtomicWriter } from '../write-atomic.ts';
import { readBinaryFile } from '../load-binary.ts';

function summary(r: RunReport): string {
  const pct = (n: number) => (r.samples ? ((100 * n) / r.samples).toFixed(1) : '0.0');
  return [
    `model        ${r.program.model} (${r.program.inputWidth} -> ${r.program.outputWidth}, ${r.program.schedule} schedule, hardware ${r.program.hardware})`,
    `samples      ${r.samples}`,
    `predicted    ${r.predictedInvocations} (${pct(r.predictedInvocations)}%) judged safe to approximate`,
    `invoked      ${r.invoked} (${pct(r.invoked)}%) on the NPU${r.invokeMode === 'all' ? ' (--invoke all)' : ''}`,
    `cpu          ${r.cpuFallbacks} (${pct(r.cpuFallbacks)}%) handed to the CPU`,
    `instructions ${r.instructionsExecuted} executed (${r.instructionsPerSample.toFixed(1)} per sample) + ${r.setupInstructions} setup`,
  ].join('\n') + '\n';
}

export function simCommand(): Command {
  return new Command('sim')
    .description('simulate an NPU binary over input samples')
    .argument('<prog.bin>', 'the binary')
    .requiredOption('-i, --input <file>', 'samples: one per line, values separated by commas or white space (AxBench .x files work)')
    .option('-o, --output <out.csv>', `per-sample results, header ${csvHeader(2).trim().replace('y1', '...')}; '-' for stdout`)
    .option('--report <report.json>', 'write the run report as JSON')
    .addOption(new Option('--invoke <mode>', 'model: the predictor decides; all: run the approximator on every sample').choices(['model', 'all']).default('model'))
    .option('--npu <hw.json>', 'refuse the binary unless it was compiled for this hardware')
    .addHelpText('after', '\nExample:\n  axc sim sobel.bin --input examples/sobel.x --output out.csv --report report.json')
    .action(async (binPath: string, opts: { input: string; output?: string; report?: string; invoke: 'model' | 'all'; npu?: string }) => {
      const bin = readBinaryFile(binPath, opts.npu);
      const toStdout = opts.output === '-';
      // Both outputs are opened before the run, so an unwritable path fails before any work is done.
      const writer = opts.output && !toStdout ? new AtomicWriter(opts.output) : null;
      let reportWriter: AtomicWriter | null = null;
      let report: RunReport;
      try {
        reportWriter = opts.report ? new AtomicWriter(opts.report) : null;
        report = await runSimulation(bin, readSamples(opts.input, bin.meta.inputWidth), {
          invokeAll: opts.invoke === 'all',
          onRow: writer ? (row) => writer.write(row) : toStdout ? (row) => void process.stdout.write(row) : undefined,
        });
        await reportWriter?.write(JSON.stringify(report, null, 2) + '\n');
        await writer?.commit();
        await reportWriter?.commit();
      } catch (e) {
        writer?.abort();
        reportWriter?.abort();
        throw e;
      }
      (toStdout ? process.stderr : process.stdout).write(summary(report));
    });
}
