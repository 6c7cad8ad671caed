// The shipped CLI: bin/axc.js runs the esbuild bundle in dist/ (npm test rebuilds it first). Its outputs equal,
// byte for byte, those of the TypeScript sources run in this process; a missing or stale build is refused
// in one line. The refusals run a copy of the bin in a temporary tree, so the real dist/ is never touched.

import test, { type ExecutionContext } from 'ava';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot, runAxc, runAxcInProcess } from './support/run-axc.ts';

function tempDir(t: ExecutionContext): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'axc-build-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test.serial('the built CLI writes what the sources write: compile, disasm, sim --output/--report', async (t) => {
  const dir = tempDir(t);
  for (const name of ['sobel', 'jpeg']) {
    const model = path.join(repoRoot, 'examples', `${name}.axn`);
    const input = path.join(repoRoot, 'examples', `${name}.x`);
    // Both runs write the same paths (reports and messages name them); the built run's files are set aside.
    const bin = path.join(dir, `${name}.bin`);
    const outputs = { csv: path.join(dir, `${name}.csv`), report: path.join(dir, `${name}.json`) };
    const runs = [
      ['compile', model, '-o', bin],
      ['disasm', bin, '--data'],
      ['sim', bin, '--input', input, '--output', outputs.csv, '--report', outputs.report],
    ];
    const built = runs.map((args) => runAxc(args));
    const builtFiles = [bin, outputs.csv, outputs.report].map((f) => fs.readFileSync(f));
    for (const f of [bin, outputs.csv, outputs.report]) fs.rmSync(f);
    for (const [i, args] of runs.entries()) {
      const source = await runAxcInProcess(args);
      t.is(built[i].status, 0, `${name} ${args[0]}: ${built[i].stderr}`);
      t.is(source.status, 0, `${name} ${args[0]}`);
      t.is(built[i].stdout, source.stdout, `${name} ${args[0]}: stdout`);
      t.is(built[i].stderr, source.stderr, `${name} ${args[0]}: stderr`);
    }
    t.deepEqual(builtFiles, [bin, outputs.csv, outputs.report].map((f) => fs.readFileSync(f)), name);
  }
});

test('the build in dist/ is current and reports the package version', (t) => {
  const version = (JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
  const r = runAxc(['--version']);
  t.is(r.status, 0, r.stderr);
  t.is(r.stdout, `${version}\n`);
  t.is(r.stderr, '');
});

/** A copy of bin/axc.js in a temporary tree, with dist/ as `setup` leaves it. */
function runCopiedBin(t: ExecutionContext, setup: (root: string) => void) {
  const root = tempDir(t);
  fs.mkdirSync(path.join(root, 'bin'));
  fs.copyFileSync(path.join(repoRoot, 'bin', 'axc.js'), path.join(root, 'bin', 'axc.js'));
  setup(root);
  const env = { ...process.env };
  delete env.AXC_FROM_SOURCE;
  return spawnSync(process.execPath, [path.join(root, 'bin', 'axc.js'), '--version'], { cwd: root, encoding: 'utf8', env });
}

test('without a build the bin says, in one line, to run npm run build', (t) => {
  const r = runCopiedBin(t, () => {});
  t.is(r.status, 1);
  t.is(r.stdout, '');
  t.is(r.stderr, 'axc: dist/ is missing (axc is not built); run `npm run build` (or set AXC_FROM_SOURCE=1 to run the sources through tsx)\n');
});

test('a build older than one of its sources is refused, naming the source', (t) => {
  const r = runCopiedBin(t, (root) => {
    fs.mkdirSync(path.join(root, 'dist'));
    fs.mkdirSync(path.join(root, 'cli'));
    fs.writeFileSync(path.join(root, 'dist', 'main.js'), 'throw new Error("stale build was run");\n');
    fs.writeFileSync(path.join(root, 'dist', 'inputs.json'), JSON.stringify(['cli/main.ts', 'cli/removed.ts']));
    fs.writeFileSync(path.join(root, 'cli', 'main.ts'), '');
    const past = new Date(Date.now() - 60_000);
    fs.utimesSync(path.join(root, 'dist', 'inputs.json'), past, past);
  });
  t.is(r.status, 1);
  t.is(r.stderr, 'axc: the build in dist/ is older than cli/main.ts; run `npm run build` (or set AXC_FROM_SOURCE=1 to run the sources through tsx)\n');
});
