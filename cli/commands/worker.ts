// `axc worker --queue redis://host:port`: takes sweep cells off the queue and runs them on this machine's
// cores until stopped. It reads only files under --root and writes nothing.

import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { parseJobs } from './sweep.ts';

export function workerCommand(): Command {
  return new Command('worker')
    .description('run sweep cells from a BullMQ queue on Redis (axc sweep --queue) until stopped')
    .requiredOption('--queue <url>', 'the queue: redis://host:port, or rediss://user:password@host:port (TLS)')
    .option('--root <dir>', 'the folder cells name their files under; a path outside it (through .. or a symlink) is refused (default: the working folder)')
    .option('--jobs <N>', 'worker threads (default: the number of cores)', parseJobs)
    .option('--lock <seconds>', 'how long a cell stays with a worker that stops answering before another worker takes it', parseJobs, 30)
    .option('-q, --quiet', 'do not log each cell on stderr')
    .action(async (opts: { queue: string; root?: string; jobs?: number; lock: number; quiet?: boolean }) => {
      // Loaded here, not at the top, so other commands do not pay for BullMQ and ioredis at start-up.
      const { checkReachable, connectionFromUrl, startWorker } = await import('../../sweep/job-queue.ts');
      connectionFromUrl(opts.queue);
      await checkReachable(opts.queue);
      const root = resolve(opts.root ?? process.cwd());
      const w = startWorker({
        url: opts.queue,
        root,
        jobs: opts.jobs ?? availableParallelism(),
        lockSeconds: opts.lock,
        onCell: (key, o) => {
          if (!opts.quiet) process.stderr.write(`axc worker: cell ${key.slice(0, 12)} ${o.ok ? 'done' : `failed: ${o.error.split('\n')[0]}`}\n`);
        },
      });
      await w.worker.waitUntilReady();
      if (!opts.quiet) process.stderr.write(`axc worker: taking cells from ${new URL(opts.queue).host} under ${root}\n`);
      // Runs until a signal: then the current cells finish or are left for another worker (BullMQ's stalled jobs).
      await new Promise<void>((done) => {
        const stop = () => void w.close().then(done, done);
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
