// `axc sweep spec.yaml -o DIR`: every combination of the spec's axes for every model, compiled and simulated
// on this machine's cores (piscina) or through a BullMQ queue on Redis (--queue), with cells cached in DIR.

import { availableParallelism } from 'node:os';
import { Command, InvalidArgumentError } from 'commander';
import { runSweep } from '../../sweep/run-sweep.ts';
import { readSweepSpec } from '../../sweep/sweep-spec.ts';
import { confirmWritten, quietOption } from '../confirm-written.ts';
import { ensureOutputDirectory } from '../output-directory.ts';
import { startProgressBar, type ProgressBar } from '../progress.ts';
import { writeFileAtomic } from '../write-atomic.ts';

export function parseJobs(v: string): number {
  const n = Number(v);
  if (!/^\d+$/.test(v.trim()) || n < 1 || n > 1024) throw new InvalidArgumentError('expected a whole number from 1 to 1024.');
  return n;
}

export function sweepCommand(version: string): Command {
  return new Command('sweep')
    .description('compile and simulate every combination of hardware fields and options for one or more models; results, Pareto frontier and cached cells in DIR')
    .argument('<spec>', 'the sweep: a YAML or JSON file of models, hardware, axes and objectives (see README)')
    .requiredOption('-o, --output <dir>', 'where results.csv, results.json, summary.md, pareto.svg and cells/ go; a rerun reuses the cells there')
    .option('--jobs <N>', 'worker threads on this machine (default: the number of cores)', parseJobs)
    .option('--queue <url>', 'run the cells on workers anywhere through BullMQ on Redis (redis://host:port, rediss:// for TLS); start them with axc worker')
    .addOption(quietOption())
    .addHelpText('after', '\nExample:\n  axc sweep examples/sweep.yaml -o sweep-out\n  axc sweep examples/sweep.yaml -o sweep-out --queue redis://10.0.0.5:6379   # with axc worker on other machines')
    .action(async (specPath: string, opts: { output: string; jobs?: number; queue?: string; quiet?: boolean }) => {
      // The pool and the queue client (piscina, BullMQ, ioredis) load only here: at the top they would cost every
      // axc command, `axc --version` included, a third of a second of start-up.
      const { connectionFromUrl, openQueueExecutor } = await import('../../sweep/job-queue.ts');
      const { localPool } = await import('../../sweep/local-pool.ts');
      if (opts.queue) connectionFromUrl(opts.queue);
      const sweep = readSweepSpec(specPath);
      const executor = opts.queue ? await openQueueExecutor(opts.queue, process.cwd()) : localPool(opts.jobs ?? availableParallelism());
      ensureOutputDirectory(opts.output);
      // Drawn from the first report on, when the number of cells is known.
      const shown: { bar: ProgressBar | null; started: boolean } = { bar: null, started: false };
      try {
        const result = await runSweep(sweep, {
          outDir: opts.output,
          version,
          executor,
          writeFile: writeFileAtomic,
          onProgress: (p) => {
            if (!shown.started) {
              shown.started = true;
              shown.bar = startProgressBar('sweep |{bar}| {value}/{total} cells | {cached} cached | {failed} failed | eta {eta_formatted}', p.total, { cached: 0, failed: 0 });
            }
            shown.bar?.update(p.done, { cached: p.cached, failed: p.failed });
          },
        });
        shown.bar?.stop();
        const front = result.rows.filter((r) => r.pareto === 1).length;
        confirmWritten(opts, `${opts.output}: ${result.rows.length} cells (${result.cached} cached, ${result.computed} run, ${result.failed} failed), ${front} on the Pareto frontier`);
      } finally {
        shown.bar?.stop();
        await executor.close();
      }
    });
}
