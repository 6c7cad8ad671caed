// `axc compile` explains itself: the schedule and why, the PEs used, and the cycles per sample the timing
// model gives; checked against what the simulator then measures, and `--explain`'s placement per layer.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { runAxc } from './support/run-axc.ts';

const dir = mkdtempSync(join(tmpdir(), 'axc-explain-'));
test.after.always(() => rmSync(dir, { recursive: true, force: true }));

for (const name of ['sobel', 'jpeg']) {
  test(`${name}: the NPU-path cycles compile states are the simulator's steady per-sample cycles under --invoke all`, (t) => {
    const bin = join(dir, `${name}.bin`);
    const c = runAxc(['compile', `examples/${name}.axn`, '-o', bin]);
    t.is(c.status, 0, c.stderr);
    const m = /axc: (\d+) of (\d+) PEs used; (\d+) cycles per sample on the NPU path, (\d+) on the CPU path, after (\d+) cycles of setup/.exec(c.stderr);
    t.truthy(m, c.stderr);
    const report = join(dir, `${name}.json`);
    const s = runAxc(['sim', bin, '--input', `examples/${name}.x`, '--invoke', 'all', '-q', '--report', report]);
    t.is(s.status, 0, s.stderr);
    const r = JSON.parse(readFileSync(report, 'utf8'));
    t.is(r.cycles.perSample.p50, Number(m![3]), 'steady NPU-path sample');
    t.is(r.cycles.setup, Number(m![5]), 'setup');
  });
}

test('a wide model on a small weight buffer is explained as dynamic in fan-in chunks; --explain lists each layer; -q says nothing', (t) => {
  const npu = join(dir, 'small.json');
  writeFileSync(npu, '{ "weightBufferWords": 32 }');
  const c = runAxc(['compile', 'examples/jpeg.axn', '-o', join(dir, 'j.bin'), '--npu', npu, '--explain']);
  t.is(c.status, 0, c.stderr);
  t.regex(c.stderr, /axc: dynamic schedule: auto: static does not fit \('p1' has fan-in 64, more than one PE and tile hold at once, so its neurons are summed in chunks of 31\)/);
  t.regex(c.stderr, /\n {2}h1: fan-in 64 summed in chunks of 31\n {4}neurons \[0, 16\): t0\.p0\+8@wb0 t1\.p0\+8@wb0\n/);
  const q = runAxc(['compile', 'examples/jpeg.axn', '-o', join(dir, 'q.bin'), '--npu', npu, '-q']);
  t.is(q.status, 0);
  t.is(q.stderr, '');
});
