// axc sweep --queue and axc worker on a real redis-server (started here on a free loopback port, persistence
// off, stopped after): two workers give the local run's results.csv byte for byte, a worker killed mid-cell
// loses nothing, and a worker refuses jobs that escape its root or are malformed without falling over.

import test from 'ava';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Queue, QueueEvents } from 'bullmq';
import { connectionFromUrl, QUEUE_NAME, startWorker } from '../sweep/job-queue.ts';
import type { CellOutcome } from '../sweep/run-cell.ts';
import { startRedis, type RedisServer } from './support/redis-server.ts';
import { repoRoot, runAxc, spawnAxc, type SpawnedAxc } from './support/run-axc.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'axc-queue-'));
let redis: RedisServer;
const workers: SpawnedAxc[] = [];
test.before(async () => {
  redis = await startRedis();
});
test.after.always(async () => {
  for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGKILL');
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const examples = path.join(repoRoot, 'examples');

function readCsv(file: string): string[] {
  return readFileSync(file, 'utf8').trim().split('\n');
}

/** Starts `axc worker` and resolves once it is taking cells. */
async function worker(args: string[]): Promise<SpawnedAxc> {
  const w = spawnAxc(['worker', '--queue', redis.url, ...args], { cwd: dir });
  workers.push(w);
  let err = '';
  await new Promise<void>((resolve, reject) => {
    w.child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      if (err.includes('taking cells')) resolve();
    });
    w.child.once('exit', () => reject(new Error(`worker exited: ${err}`)));
  });
  return w;
}

test.serial('two workers on Redis give the local run, byte for byte; a worker killed mid-cell loses nothing', async (t) => {
  // Longer inputs, so each cell takes a while and the kill lands inside one.
  const rows = readFileSync(path.join(examples, 'jpeg.x'), 'utf8').trim().split('\n');
  writeFileSync(path.join(dir, 'long.x'), Array.from({ length: 16 }, () => rows.join('\n')).join('\n') + '\n');
  writeFileSync(path.join(dir, 'jpeg.axn'), readFileSync(path.join(examples, 'jpeg.axn')));
  writeFileSync(path.join(dir, 'jpeg.weights.json'), readFileSync(path.join(examples, 'jpeg.weights.json')));
  const spec = path.join(dir, 'spec.yaml');
  writeFileSync(spec, 'models:\n  - model: jpeg.axn\n    input: long.x\naxes:\n  tiles: [1, 2, 4]\n  pesPerTile: [2, 4, 8]\n  schedule: [static, dynamic]\nobjectives: [energy.perSamplePj, cycles.perSample.mean]\n');
  const local = runAxc(['sweep', spec, '-o', path.join(dir, 'local')]);
  t.is(local.status, 0, local.stderr);
  // Some static cells do not fit the smallest NPUs: failed rows, the same in both runs.
  const failed = /18 cells \(0 cached, 18 run, (\d+) failed\)/.exec(local.stderr)![1];

  const a = await worker(['--jobs', '1', '--lock', '2']);
  const b = await worker(['--jobs', '1', '--lock', '2']);
  const sweep = spawnAxc(['sweep', spec, '-o', path.join(dir, 'queued'), '--queue', redis.url], { cwd: dir });
  // Kill worker a with SIGKILL once it has finished a cell: it is then inside its next one.
  let log = '';
  await new Promise<void>((resolve) => {
    a.child.stderr!.on('data', (d: Buffer) => {
      log += d.toString();
      if (/cell \w+ done/.test(log)) resolve();
    });
  });
  a.child.kill('SIGKILL');
  const done = await sweep.done;
  b.child.kill('SIGTERM');
  await b.done;
  t.is(done.status, 0, done.stderr);
  t.true(done.stderr.includes(`18 cells (0 cached, 18 run, ${failed} failed)`), done.stderr);
  t.false(done.stderr.includes('Warning'), 'nothing but the confirmation on stderr');
  t.deepEqual(readCsv(path.join(dir, 'queued', 'results.csv')), readCsv(path.join(dir, 'local', 'results.csv')));
  t.true(readFileSync(path.join(dir, 'queued', 'results.csv')).equals(readFileSync(path.join(dir, 'local', 'results.csv'))));
  // Every cell exactly once: 18 distinct keys, each with its one recorded outcome.
  const keys = readCsv(path.join(dir, 'queued', 'results.csv')).slice(1).map((l) => l.split(',').pop());
  t.is(new Set(keys).size, 18);
});

test.serial('a worker refuses paths that leave its root (.. or a symlink) and malformed jobs, and carries on', async (t) => {
  const root = path.join(dir, 'root');
  mkdirSync(root, { recursive: true });
  writeFileSync(path.join(dir, 'outside.x'), '1,2\n');
  symlinkSync(path.join(dir, 'outside.x'), path.join(root, 'escape.x'));
  for (const f of ['tiny.axn', 'tiny.x']) writeFileSync(path.join(root, f), readFileSync(path.join(examples, f)));
  const connection = connectionFromUrl(redis.url);
  const w = startWorker({ url: redis.url, root, jobs: 1, lockSeconds: 5 });
  const queue = new Queue(QUEUE_NAME, { connection });
  const events = new QueueEvents(QUEUE_NAME, { connection });
  await events.waitUntilReady();
  try {
    const hardware = JSON.parse(JSON.stringify((await import('../hardware/description.ts')).DEFAULT_HARDWARE));
    const job = (key: string, model: string, input: string) => ({ kind: 'cell', key: key.repeat(64), model, input, hardware, schedule: 'auto' });
    const run = async (data: unknown, id: string) => JSON.parse((await (await queue.add('cell', data, { jobId: id })).waitUntilFinished(events)) as string) as CellOutcome;
    // A path the worker may not read fails the job (its refusal depends on the worker's --root, so it is not
    // the cell's recorded result); the sweep shows the cell as failed with this reason.
    await t.throwsAsync(run(job('a', '../../etc/passwd', 'tiny.x'), 'escape-dots'), { message: /job names '\.\.\/\.\.\/etc\/passwd', which lies outside the worker's root .* \[AXW810\]/ });
    await t.throwsAsync(run(job('b', 'tiny.axn', 'escape.x'), 'escape-link'), { message: /'escape\.x', which lies outside the worker's root/ });
    await t.throwsAsync(run(job('c', '/etc/hostname', 'tiny.x'), 'escape-absolute'), { message: /'\/etc\/hostname', which lies outside the worker's root/ });
    await t.throwsAsync(run(job('e', 'tiny.axn', 'nowhere.x'), 'missing'), { message: /'nowhere\.x', which cannot be read under the worker's root .* \[AXW812\]/ });
    // 'exact' is a reference only: as a model path it is a file like any other, and there is none.
    await t.throwsAsync(run(job('9', 'exact', 'tiny.x'), 'exact-model'), { message: /'exact', which cannot be read under the worker's root/ });
    // A malformed job fails that job, with the schema's reason; the worker takes the next one.
    await t.throwsAsync(run({ key: 'x', model: 42 }, 'malformed'), { message: /job is malformed: kind: a job is a sweep cell \(kind 'cell'\) or a training cell \(kind 'train'\) \[AXW811\]/ });
    await t.throwsAsync(run({ ...job('f', 'tiny.axn', 'tiny.x'), key: 'x' }, 'malformed-key'), { message: /job is malformed: key: the key is a sha-256 in hex \[AXW811\]/ });
    const good = await run(job('d', 'tiny.axn', 'tiny.x'), 'good');
    t.true(good.ok);
  } finally {
    await events.close();
    await queue.close();
    await w.close();
  }
});

test('a bad --queue URL is a usage error', (t) => {
  const r = runAxc(['worker', '--queue', 'http://localhost:6379']);
  t.is(r.status, 2);
  t.regex(r.stderr, /--queue takes redis:\/\/host:port .* \[AXU728\]/);
});
