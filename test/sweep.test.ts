// axc sweep on one machine, through the real CLI: the 12-cell grid with its Pareto column recomputed here from
// the cells' reports, a rerun that runs nothing, a sweep killed half way that resumes without redoing what
// was finished, failed cells as rows, and bad specs refused at their position with nothing written.

import test from 'ava';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { repoRoot, runAxc, spawnAxc } from './support/run-axc.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'axc-sweep-'));
test.after.always(() => rmSync(dir, { recursive: true, force: true }));

const examples = path.join(repoRoot, 'examples');
const at = (...p: string[]) => path.join(dir, ...p);

function writeSpec(name: string, text: string): string {
  const f = at(name);
  writeFileSync(f, text);
  return f;
}

const GRID = `models:
  - model: ${examples}/sobel.axn
    input: ${examples}/sobel.x
    reference: exact
  - model: ${examples}/jpeg.axn
    input: ${examples}/jpeg.x
axes:
  tiles: [1, 2, 4]
  pesPerTile: [4, 8]
objectives: [energy.perSamplePj, cycles.perSample.mean]
`;

function readCsv(file: string): Record<string, string>[] {
  const [head, ...lines] = readFileSync(file, 'utf8').trim().split('\n');
  const cols = head.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i], v])));
}

test.serial('a 12-cell sweep: 12 rows in order, each objective from its cell report, the Pareto column recomputed independently', (t) => {
  const spec = writeSpec('grid.yaml', GRID);
  const r = runAxc(['sweep', spec, '-o', at('grid'), '--jobs', '2']);
  t.is(r.status, 0, r.stderr);
  t.regex(r.stderr, /12 cells \(0 cached, 12 run, 0 failed\)/);
  const rows = readCsv(at('grid', 'results.csv'));
  t.is(rows.length, 12);
  const expectedOrder = ['sobel', 'jpeg'].flatMap((m) => [1, 2, 4].flatMap((tiles) => [4, 8].map((pes) => `${m}:${tiles}:${pes}`)));
  t.deepEqual(rows.map((r) => `${path.basename(r.model, '.axn')}:${r.tiles}:${r.pesPerTile}`), expectedOrder);
  // Objectives straight from each cell's full report.
  const points = rows.map((row) => {
    const cell = JSON.parse(readFileSync(at('grid', 'cells', `${row.key}.json`), 'utf8'));
    t.true(cell.ok);
    t.is(Number(row['energy.perSamplePj']), cell.report.energy.perSamplePj);
    t.is(Number(row['cycles.perSample.mean']), cell.report.cycles.perSample.mean);
    t.is(cell.report.hardware.tiles, Number(row.tiles));
    t.is(cell.report.hardware.pesPerTile, Number(row.pesPerTile));
    return [cell.report.energy.perSamplePj, cell.report.cycles.perSample.mean];
  });
  // Brute force: on the frontier when no other point is <= on both and < on one.
  const front = points.map((p, i) => !points.some((q, j) => j !== i && q[0] <= p[0] && q[1] <= p[1] && (q[0] < p[0] || q[1] < p[1])));
  t.deepEqual(rows.map((r) => r.pareto === '1'), front);
  t.true(front.some(Boolean) && !front.every(Boolean));
  for (const f of ['results.json', 'summary.md', 'pareto.svg']) t.true(existsSync(at('grid', f)), f);
  t.regex(readFileSync(at('grid', 'pareto.svg'), 'utf8'), /^<svg[^>]*>/);
  // The rerun reuses every cell: nothing is recomputed, and results.csv is the same bytes.
  const before = readdirSync(at('grid', 'cells')).map((f) => statSync(at('grid', 'cells', f)).mtimeMs);
  const csv = readFileSync(at('grid', 'results.csv'));
  const again = runAxc(['sweep', spec, '-o', at('grid')]);
  t.is(again.status, 0, again.stderr);
  t.regex(again.stderr, /12 cells \(12 cached, 0 run, 0 failed\)/);
  t.deepEqual(readdirSync(at('grid', 'cells')).map((f) => statSync(at('grid', 'cells', f)).mtimeMs), before);
  t.true(readFileSync(at('grid', 'results.csv')).equals(csv));
  // A record that cannot be read is run again and replaced.
  const damaged = at('grid', 'cells', `${rows[3].key}.json`);
  writeFileSync(damaged, '{"ok":tr');
  const repaired = runAxc(['sweep', spec, '-o', at('grid')]);
  t.regex(repaired.stderr, /12 cells \(11 cached, 1 run, 0 failed\)/);
  t.true(JSON.parse(readFileSync(damaged, 'utf8')).ok);
  t.true(readFileSync(at('grid', 'results.csv')).equals(csv));
});

test.serial('a sweep interrupted half way resumes: the cells finished before Ctrl-C are not run again', async (t) => {
  // 24 cells of jpeg on a longer input, one thread, so the kill lands part way.
  const rows = readFileSync(path.join(examples, 'jpeg.x'), 'utf8').trim().split('\n');
  writeFileSync(at('long.x'), Array.from({ length: 12 }, () => rows.join('\n')).join('\n') + '\n');
  const spec = writeSpec('long.yaml', `models:\n  - model: ${examples}/jpeg.axn\n    input: long.x\naxes:\n  tiles: [1, 2, 3, 4]\n  pesPerTile: [2, 4, 8]\n  schedule: [static, dynamic]\nobjectives: [energy.perSamplePj, -peUtilization]\n`);
  const out = at('long');
  const run = spawnAxc(['sweep', spec, '-o', out, '--jobs', '1']);
  const cellsDone = () => (existsSync(path.join(out, 'cells')) ? readdirSync(path.join(out, 'cells')).filter((f) => f.endsWith('.json')).length : 0);
  while (cellsDone() < 8) {
    if (run.child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  // Ctrl-C: the cells in flight are lost, nothing half-written is left behind.
  run.child.kill('SIGINT');
  const ended = await run.done;
  t.not(ended.status, 0);
  const finished = cellsDone();
  t.true(finished >= 8 && finished < 24, `interrupted after ${finished} of 24 cells`);
  t.false(existsSync(path.join(out, 'results.csv')), 'no results yet');
  t.deepEqual(readdirSync(out, { recursive: true }).filter((f) => !String(f).endsWith('.json') && String(f) !== 'cells'), [], 'no temporary files');
  const again = runAxc(['sweep', spec, '-o', out, '--jobs', '2']);
  t.is(again.status, 0, again.stderr);
  t.regex(again.stderr, new RegExp(`24 cells \\(${finished} cached, ${24 - finished} run, `));
  t.is(readCsv(path.join(out, 'results.csv')).length, 24);
  t.log(`interrupted with ${finished} of 24 cells done; the rerun took ${finished} from the cache and ran ${24 - finished}`);
});

test.serial('a cell that cannot compile is a row saying why, not a crash of the sweep', (t) => {
  // jpeg's 64-wide layer does not fit a static schedule on 2 PEs with 8-word weight buffers.
  const spec = writeSpec('fail.yaml', `models:\n  - model: ${examples}/jpeg.axn\n    input: ${examples}/jpeg.x\naxes:\n  schedule: [static, dynamic]\n  weightBufferWords: [8]\n  pesPerTile: [2]\nobjectives: [cycles.total]\n`);
  const r = runAxc(['sweep', spec, '-o', at('fail')]);
  t.is(r.status, 0, r.stderr);
  const rows = readCsv(at('fail', 'results.csv'));
  t.deepEqual(rows.map((x) => [x.schedule, x.status]), [['static', 'failed'], ['dynamic', 'ok']]);
  t.regex(readFileSync(at('fail', 'results.csv'), 'utf8'), /static schedule does not fit/);
  t.is(rows[0].pareto, '0');
  t.is(rows[1].pareto, '1');
});

test('bad specs: one positioned error each, exit 1, nothing written', (t) => {
  const cases: [string, string, RegExp][] = [
    ['unknown axis', `models:\n  - model: ${examples}/tiny.axn\n    input: ${examples}/tiny.x\naxes:\n  tilez: [1, 2]\nobjectives: [cycles.total]\n`, /:5:3: error: axis 'tilez' is neither a hardware field .* \[AXW804\]/],
    ['empty axis', `models:\n  - model: ${examples}/tiny.axn\n    input: ${examples}/tiny.x\naxes:\n  tiles: []\nobjectives: [cycles.total]\n`, /:5:10: error: sweep spec field 'axes.tiles': an axis lists at least one value \[AXW802\]/],
    ['objective not numeric', `models:\n  - model: ${examples}/tiny.axn\n    input: ${examples}/tiny.x\nobjectives: [cycles.total, program.model]\n`, /:4:28: error: objective 'program.model' is not a number field of the run report .* \[AXW806\]/],
    ['missing model file', `models:\n  - model: nowhere.axn\n    input: ${examples}/tiny.x\nobjectives: [cycles.total]\n`, /:2:12: error: 'nowhere.axn' cannot be read: .* \[AXW803\]/],
    ['YAML syntax', `models:\n  - model: ${examples}/tiny.axn\n    input: [unclosed\nobjectives: [cycles.total]\n`, /:\d+:\d+: error: sweep spec is not valid YAML or JSON: .* \[AXW801\]/],
    ['bad axis value', `models:\n  - model: ${examples}/tiny.axn\n    input: ${examples}/tiny.x\naxes:\n  tiles: [1, 0]\nobjectives: [cycles.total]\n`, /:5:14: error: a value of axis 'tiles' cannot be used: tiles: tiles must be at least 1 \[AXW805\]/],
  ];
  for (const [name, text, expected] of cases) {
    const spec = writeSpec(`bad-${name.replace(/\W+/g, '-')}.yaml`, text);
    const out = at(`bad-${name.replace(/\W+/g, '-')}`);
    const r = runAxc(['sweep', spec, '-o', out]);
    t.is(r.status, 1, name);
    t.regex(r.stderr, expected, name);
    t.is(r.stderr.trim().split('\n').length, 1, `${name}: one message`);
    t.false(r.stderr.includes('    at '), `${name}: no stack trace`);
    t.false(existsSync(out), `${name}: nothing written`);
  }
});

test('a queue whose Redis does not answer is one clear error, not a hang', (t) => {
  const r = runAxc(['sweep', writeSpec('unreachable.yaml', `models:\n  - model: ${examples}/tiny.axn\n    input: ${examples}/tiny.x\nobjectives: [cycles.total]\n`), '-o', at('unreachable'), '--queue', 'redis://127.0.0.1:1']);
  t.is(r.status, 1);
  t.regex(r.stderr, /the queue's Redis at '127\.0\.0\.1:1' does not answer .* \[AXW813\]/);
  t.false(r.stderr.includes('    at '));
  t.false(existsSync(at('unreachable')), 'nothing written');
});

test('a JSON spec reads as YAML does', (t) => {
  mkdirSync(at('json'), { recursive: true });
  const spec = writeSpec('json/spec.json', JSON.stringify({ models: [{ model: `${examples}/tiny.axn`, input: `${examples}/tiny.x` }], axes: { 'bus.dataBuses': [1, 2] }, objectives: ['cycles.total'] }, null, 2));
  const r = runAxc(['sweep', spec, '-o', at('json', 'out')]);
  t.is(r.status, 0, r.stderr);
  t.deepEqual(readCsv(at('json', 'out', 'results.csv')).map((x) => x['bus.dataBuses']), ['1', '2']);
});
