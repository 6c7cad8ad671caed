// The tfjs path through the real CLI: export an .axn, import it back, compile both, same program.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { mlp, removeFixtures, write } from '../examples/tfjs-fixtures.ts';
import { runAxc } from './support/run-axc.ts';

test('axc export, then axc import and axc compile of model.json, give the same program as the .axn', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'axc-tfjs-cli-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const ex = runAxc(['export', 'examples/single-control.axn', '-o', join(dir, 'tfjs')]);
  t.is(ex.status, 0, ex.stderr);
  t.regex(ex.stderr, /wrote .*model\.json and .*group1-shard1of1\.bin \(tfjs backend: (wasm|cpu|tensorflow)\)/);
  const im = runAxc(['import', join(dir, 'tfjs', 'model.json'), '-o', join(dir, 'back.axn')]);
  t.is(im.status, 0, im.stderr);
  t.regex(readFileSync(join(dir, 'back.axn'), 'utf8'), /decision = sigmoid\(threshold: 0\.5\)/);
  const disasm = (bin: string) => {
    const r = runAxc(['disasm', bin, '--no-source', '--data']);
    t.is(r.status, 0, r.stderr);
    return r.stdout.split('\n').filter((l) => !l.startsWith(';')).join('\n');
  };
  for (const [src, bin] of [['examples/single-control.axn', 'a.bin'], [join(dir, 'tfjs', 'model.json'), 'b.bin'], [join(dir, 'back.axn'), 'c.bin']]) {
    const c = runAxc(['compile', src, '-o', join(dir, bin)]);
    t.is(c.status, 0, c.stderr);
  }
  const a = disasm(join(dir, 'a.bin'));
  t.is(disasm(join(dir, 'b.bin')), a);
  t.is(disasm(join(dir, 'c.bin')), a);
});

test('--threshold and --safe-index on a model.json with no decision are usage errors, not silently ignored', (t) => {
  const written = write(mlp());
  t.teardown(removeFixtures);
  for (const flag of [['--threshold', '0.7'], ['--safe-index', '0']]) {
    const r = runAxc(['compile', written.file, '-o', join(written.dir, 'x.bin'), ...flag]);
    t.is(r.status, 2, r.stderr);
    t.regex(r.stderr, new RegExp(`^error: ${flag[0]} sets the decision of an imported AXNet; this model\\.json \\(one output\\) has no predictor and always runs on the NPU \\[AXU703\\]\\n$`));
  }
});
