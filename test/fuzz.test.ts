// The in-process fuzz suite: a fixed-seed, bounded campaign over every input reader (fuzz/), asserting each
// case loads and survives its downstream consumers or fails with AxcError, with bounded messages and time.
// `npm run fuzz` runs the same campaigns with any count and seed.

import test from 'ava';
import { AxcError } from '../diagnostics/diagnostic.ts';
import { runCampaign } from '../fuzz/campaign.ts';
import { describeFinding } from '../fuzz/describe-finding.ts';
import { MESSAGE_LIMIT, runCase } from '../fuzz/outcome.ts';
import { FUZZ_TARGETS } from '../fuzz/targets/all-targets.ts';

/** Fixed, so a failure here is reproducible with `npm run fuzz -- --seed 20260 --count 200 --format F`. */
const SEED = 20260;
/** Cases per format: 8 x 200 cases take about 30 s of CPU (measured: the whole file in ~35 s wall on a
 * shared 2-core machine, the slowest valid case about half a second). */
const COUNT = 200;

// Serial: the cases are CPU-bound, and concurrent tests would inflate each other's measured times.
for (const target of FUZZ_TARGETS) {
  test.serial(`fuzz ${target.name}: ${COUNT} mutated inputs load or fail with AxcError, never crash, hang or wrongly accept`, async (t) => {
    const r = await runCampaign(target, { seed: SEED, count: COUNT });
    t.is(r.cases, COUNT);
    t.deepEqual(
      r.findings.map((f) => `${f.format} #${f.index} ${f.outcome.verdict}`),
      [],
      `${r.findings.length} finding(s) (replay: npm run fuzz -- --seed ${SEED} --count ${COUNT} --format ${target.name}):\n\n${r.findings.map(describeFinding).join('\n\n')}`,
    );
    // The mutations must leave some inputs valid, or the downstream stages would never be exercised.
    t.true(r.accepted + r.simFaults > 0, `no ${target.name} case got past its reader`);
    t.true(r.rejected > 0, `no ${target.name} case was rejected: the mutations are not reaching the reader`);
  });
}

// The classification itself, so that a harness that cannot see a crash does not pass silently.

test('the fuzz harness classifies an ordinary exception as a crash, AxcError as a rejection, and long messages as findings', async (t) => {
  const crash = await runCase(async (probe) => {
    await probe.stage('load', 'rejected', () => {
      throw new TypeError('x is not a function');
    });
  });
  t.is(crash.verdict, 'crash');
  t.regex(crash.error ?? '', /TypeError: x is not a function/);

  const clean = await runCase(async (probe) => {
    await probe.stage('load', 'rejected', () => {
      throw new AxcError({ code: 'AXN002', severity: 'error', message: 'short' });
    });
  });
  t.is(clean.verdict, 'rejected');
  t.is(clean.maxMessageLength, 'short'.length);
  t.is(clean.longMessage, undefined);

  const long = await runCase(async (probe) => {
    await probe.stage('load', 'rejected', () => {
      throw new AxcError({ code: 'AXN002', severity: 'error', message: 'x'.repeat(MESSAGE_LIMIT + 1) });
    });
  });
  t.is(long.verdict, 'rejected');
  t.truthy(long.longMessage);

  const wrong = await runCase(async (probe) => {
    await probe.stage('load', 'rejected', () => 1);
    await probe.stage('pack+load', 'wrong-accept', () => {
      throw new AxcError({ code: 'AXB401', severity: 'error', message: 'refused' });
    });
  });
  t.is(wrong.verdict, 'wrong-accept');
  t.is(wrong.stage, 'pack+load');

  // Hangs are judged by CPU time: a busy case is one, a case that merely waits is not.
  // The busy case spins until it has used 400 ms of CPU, not of wall time: on a loaded machine a
  // 400 ms wall-clock spin can get less than the 200 ms bound and pass for a case that waits.
  const busy = await runCase(async () => {
    const start = process.cpuUsage();
    while (process.cpuUsage(start).user < 400_000);
  }, 200);
  t.is(busy.verdict, 'hang');
  const waiting = await runCase(() => new Promise((r) => setTimeout(r, 400)), 200);
  t.is(waiting.verdict, 'accepted', `a case that sleeps 400 ms used ${waiting.ms} ms of CPU`);
});
