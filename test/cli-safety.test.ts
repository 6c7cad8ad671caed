// The CLI's promises about the user's files and terminal, through the real `axc`: an output never
// overwrites an input (same path, ./, symlink, hard link), devices and FIFOs stay what they are,
// interrupts leave no temporary file and exit 130, stdout errors are one line, usage errors exit 2.

import test, { type ExecutionContext } from 'ava';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { compileModel } from '../compiler/pipeline.ts';
import { loadModelFile } from '../frontend/parse-model.ts';
import { packBinary } from '../isa/container.ts';
import { binPath, repoRoot, runAxcAsync, spawnAxc, type AxcResult } from './support/run-axc.ts';

const example = (name: string) => path.join(repoRoot, 'examples', name);
/** Samples in examples/sobel.x (one per line), which several runs below read. */
const SOBEL_SAMPLES = fs.readFileSync(example('sobel.x'), 'utf8').trim().split('\n').length;

const SOBEL_BIN: Uint8Array = (() => {
  const { model, diagnostics } = loadModelFile(example('sobel.axn'));
  if (!model) throw new Error(JSON.stringify(diagnostics));
  return packBinary(compileModel(model));
})();

function tempDir(t: ExecutionContext): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'axc-safety-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A work folder holding sobel's model, weights, inputs, a compiled binary, tiny.axn and an assembly file. */
function workDir(t: ExecutionContext): string {
  const dir = tempDir(t);
  for (const f of ['sobel.axn', 'sobel.weights.json', 'sobel.x', 'tiny.axn', 'npu-small.json']) fs.copyFileSync(example(f), path.join(dir, f));
  fs.writeFileSync(path.join(dir, 'sobel.bin'), SOBEL_BIN);
  fs.writeFileSync(path.join(dir, 'a.s'), 'recv m0, 1\nsend m0, 1\nhalt\n');
  return dir;
}

const hashOf = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

function hashes(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fs.readdirSync(dir).sort()) {
    const p = path.join(dir, f);
    if (fs.lstatSync(p).isFile()) out[f] = hashOf(p);
  }
  return out;
}

function assertNoCrash(t: ExecutionContext, r: AxcResult): void {
  t.false(r.stderr.includes('    at '), `stack trace on stderr:\n${r.stderr}`);
  t.false(r.stderr.includes('internal error'), `internal error:\n${r.stderr}`);
}

/** Exit `status`, one diagnostic line with `code` on stderr, nothing on stdout. */
function expectOneLine(t: ExecutionContext, r: AxcResult, status: number, code: string, says: string[] = []): void {
  t.is(r.status, status, r.stderr);
  assertNoCrash(t, r);
  t.is(r.stdout, '');
  const lines = r.stderr.trimEnd().split('\n');
  t.is(lines.length, 1, r.stderr);
  t.true(lines[0].endsWith(`[${code}]`), lines[0]);
  for (const s of says) t.true(lines[0].includes(s), `'${lines[0]}' lacks '${s}'`);
}

// Each case runs in a fresh work folder; `prepare` adds links; the folder must be byte-for-byte unchanged after.
const OVERWRITES: { name: string; args: string[]; prepare?: (dir: string) => void; says: string[] }[] = [
  { name: 'sim --output onto --input', args: ['sim', 'sobel.bin', '--input', 'sobel.x', '--output', 'sobel.x'], says: ["--output 'sobel.x' is the same file as --input 'sobel.x'"] },
  { name: 'sim --output onto the binary, through ./', args: ['sim', 'sobel.bin', '--input', 'sobel.x', '--output', './sobel.bin'], says: ['the binary'] },
  { name: 'sim --report onto a hard link of the binary', args: ['sim', 'sobel.bin', '--input', 'sobel.x', '--report', 'r.json'], prepare: (d) => fs.linkSync(path.join(d, 'sobel.bin'), path.join(d, 'r.json')), says: ["--report 'r.json'", 'the binary'] },
  { name: 'sim --trace onto --npu', args: ['sim', 'sobel.bin', '--input', 'sobel.x', '--npu', 'npu-small.json', '--trace', 'npu-small.json'], says: ['--npu'] },
  { name: 'compile -o onto the model', args: ['compile', 'sobel.axn', '-o', 'sobel.axn'], says: ["-o 'sobel.axn' is the same file as the model 'sobel.axn'"] },
  { name: 'compile -o onto a symlink to the model', args: ['compile', 'sobel.axn', '-o', 'link.bin'], prepare: (d) => fs.symlinkSync('sobel.axn', path.join(d, 'link.bin')), says: ['the model'] },
  { name: "compile -o onto the model's weights file", args: ['compile', 'sobel.axn', '-o', 'sobel.weights.json'], says: ["the weights file of 'sobel.axn'"] },
  { name: 'compile -o onto --npu', args: ['compile', 'tiny.axn', '--npu', 'npu-small.json', '-o', 'npu-small.json'], says: ['--npu'] },
  { name: 'asm -o onto its source', args: ['asm', 'a.s', '-o', './a.s'], says: ['the assembly source'] },
  { name: 'disasm -o onto the binary', args: ['disasm', 'sobel.bin', '-o', 'sobel.bin'], says: ['the binary'] },
  { name: 'exact --output onto --input', args: ['exact', 'sobel', '--input', 'sobel.x', '--output', 'sobel.x'], says: ['--input'] },
  { name: 'export -o writing model.json over the model', args: ['export', 'model.json', '-o', '.'], prepare: (d) => fs.copyFileSync(example('tiny.axn'), path.join(d, 'model.json')), says: ['the model'] },
  { name: 'train -o onto its --data', args: ['train', '--bench', 'sobel', '--data', '.', '-o', 'sobel.x'], says: ['--data'] },
];

for (const c of OVERWRITES) {
  test(`an output never overwrites an input: ${c.name} is refused with exit 2`, async (t) => {
    const dir = workDir(t);
    c.prepare?.(dir);
    const before = hashes(dir);
    const names = fs.readdirSync(dir).sort();
    const r = await runAxcAsync(c.args, { cwd: dir });
    expectOneLine(t, r, 2, 'AXU705', c.says);
    t.deepEqual(hashes(dir), before, 'inputs unchanged');
    t.deepEqual(fs.readdirSync(dir).sort(), names, 'no file or temporary file left');
  });
}

test('outputs that are one file are refused (AXU706, exit 2), however they are spelled', async (t) => {
  const dir = workDir(t);
  const r = await runAxcAsync(['sim', 'sobel.bin', '--input', 'sobel.x', '--output', 'o.csv', '--trace', `${dir}/o.csv`], { cwd: dir });
  expectOneLine(t, r, 2, 'AXU706');
  t.false(fs.existsSync(path.join(dir, 'o.csv')));
});

test('an output that is a device is written to, not replaced by a regular file', async (t) => {
  const dir = workDir(t);
  const [c, s] = await Promise.all([runAxcAsync(['compile', 'sobel.axn', '-o', '/dev/null'], { cwd: dir }), runAxcAsync(['sim', 'sobel.bin', '--input', 'sobel.x', '--output', '/dev/null', '-q'], { cwd: dir })]);
  t.is(c.status, 0, c.stderr);
  t.is(s.status, 0, s.stderr);
  t.true(fs.statSync('/dev/null').isCharacterDevice());
  t.deepEqual(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp')), []);
});

test('an output that is a FIFO is written through, and stays a FIFO', async (t) => {
  const dir = workDir(t);
  const fifo = path.join(dir, 'out.fifo');
  execFileSync('mkfifo', [fifo]);
  const run = runAxcAsync(['disasm', 'sobel.bin', '-o', fifo, '-q'], { cwd: dir });
  let received = '';
  await new Promise<void>((resolve, reject) => {
    fs.createReadStream(fifo, 'utf8')
      .on('data', (d) => (received += d))
      .on('end', resolve)
      .on('error', reject);
  });
  const r = await run;
  t.is(r.status, 0, r.stderr);
  t.regex(received, /^\s*neu /m);
  t.true(fs.statSync(fifo).isFIFO());
});

/** Polls until `dir` holds a `.tmp` file (the outputs are open, the run has started), or throws after `ms`. */
async function waitForTempFile(dir: string, ms = 30_000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (fs.readdirSync(dir).some((f) => f.endsWith('.tmp'))) return;
    await sleep(50);
  }
  throw new Error(`no temporary file appeared in ${dir}`);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  test(`${signal} during sim --output removes every temporary file, names what was not written, exits 130`, async (t) => {
    const dir = workDir(t);
    const fifo = path.join(dir, 'in.fifo');
    execFileSync('mkfifo', [fifo]);
    const run = spawnAxc(['sim', 'sobel.bin', '--input', fifo, '--output', 'out.csv', '--report', 'report.json', '--trace', 'trace.json'], { cwd: dir });
    // Feed some samples and keep the pipe open, so the run is in mid-stream when the signal arrives.
    const writer = fs.createWriteStream(fifo);
    writer.write(fs.readFileSync(path.join(dir, 'sobel.x')));
    await waitForTempFile(dir);
    await sleep(300);
    run.child.kill(signal);
    const r = await run.done;
    writer.destroy();
    t.is(r.status, 130, `${r.signal} ${r.stderr}`);
    assertNoCrash(t, r);
    t.is(r.stderr, 'axc: interrupted; not written: out.csv, report.json, trace.json\n');
    t.deepEqual(fs.readdirSync(dir).sort(), ['a.s', 'in.fifo', 'npu-small.json', 'sobel.axn', 'sobel.bin', 'sobel.weights.json', 'sobel.x', 'tiny.axn']);
  });
}

test('an interrupt while sim waits on a FIFO input with no writer leaves nothing behind', async (t) => {
  const dir = workDir(t);
  const fifo = path.join(dir, 'in.fifo');
  execFileSync('mkfifo', [fifo]);
  const run = spawnAxc(['sim', 'sobel.bin', '--input', fifo, '--output', 'out.csv'], { cwd: dir });
  await waitForTempFile(dir);
  await sleep(300);
  run.child.kill('SIGINT');
  const r = await run.done;
  t.is(r.status, 130, `${r.signal} ${r.stderr}`);
  t.is(r.stderr, 'axc: interrupted; not written: out.csv\n');
  t.deepEqual(fs.readdirSync(dir).filter((f) => f.startsWith('.') || f === 'out.csv'), []);
});

test('SIGINT during axc data removes both temporary files and exits 130', async (t) => {
  const dir = tempDir(t);
  const run = spawnAxc(['data', 'jpeg', '-n', '2000000', '-o', dir]);
  await waitForTempFile(dir);
  run.child.kill('SIGINT');
  const r = await run.done;
  t.is(r.status, 130, `${r.signal} ${r.stderr}`);
  t.is(r.stderr, `axc: interrupted; not written: ${path.join(dir, 'train.x')}, ${path.join(dir, 'train.y')}\n`);
  t.deepEqual(fs.readdirSync(dir), []);
});

/**
 * Runs axc under a pseudo-terminal (util-linux `script`), waits until its output shows `cue`, then types
 * Ctrl-C, which the terminal turns into SIGINT for axc as it would for a user. Returns the raw output.
 */
async function interruptUnderTerminal(args: string[], cwd: string, cue: string): Promise<{ output: string; status: number | null }> {
  const command = [process.execPath, binPath, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const child = spawn('script', ['-qfec', command, '/dev/null'], { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  let typed = false;
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    output += d;
    if (!typed && output.includes(cue)) {
      typed = true;
      child.stdin.write('\x03');
    }
  });
  const status = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { output, status };
}

test('Ctrl-C under a terminal stops the progress bar, shows the cursor again and exits 130', async (t) => {
  const dir = tempDir(t);
  const { output, status } = await interruptUnderTerminal(['data', 'jpeg', '-n', '3000000', '-o', dir], dir, 'generating jpeg');
  const hide = output.lastIndexOf('\x1b[?25l');
  const show = output.lastIndexOf('\x1b[?25h');
  t.true(hide >= 0, `the bar hid the cursor:\n${JSON.stringify(output.slice(0, 300))}`);
  t.true(show > hide, 'the cursor is shown again after the interrupt');
  t.regex(output, /axc: interrupted; not written: .*train\.x, .*train\.y/);
  t.is(status, 130);
  t.deepEqual(fs.readdirSync(dir), []);
});

test('a full disk on stdout is one line and exit 1, not a stack trace', async (t) => {
  const dir = workDir(t);
  const full = fs.openSync('/dev/full', 'w');
  try {
    const [sim, disasm] = await Promise.all([
      runAxcAsync(['sim', 'sobel.bin', '--input', 'sobel.x', '--output', '-', '--report', 'r.json'], { cwd: dir, stdio: ['ignore', full, 'pipe'] }),
      runAxcAsync(['disasm', 'sobel.bin'], { cwd: dir, stdio: ['ignore', full, 'pipe'] }),
    ]);
    for (const r of [sim, disasm]) {
      t.is(r.status, 1, r.stderr);
      assertNoCrash(t, r);
      t.is(r.stderr, 'error: cannot write to standard output: no space left on the device [AXU707]\n');
    }
    t.deepEqual(fs.readdirSync(dir).filter((f) => f.startsWith('.') || f === 'r.json'), [], 'the report was not left behind');
  } finally {
    fs.closeSync(full);
  }
});

test('usage errors exit 2: bad or pointless --trace-samples, sim -q with nothing to write, an unknown benchmark, import-only options on an .axn', async (t) => {
  const dir = workDir(t);
  const cases: [string[], string, string][] = [
    [['sim', 'sobel.bin', '--input', 'sobel.x', '--trace', 't.json', '--trace-samples', '50:10'], 'AXU703', 'A < B'],
    [['sim', 'sobel.bin', '--input', 'sobel.x', '--trace-samples', '0:5'], 'AXU703', 'give --trace'],
    [['sim', 'sobel.bin', '--input', 'sobel.x', '-q'], 'AXU703', 'would show nothing'],
    [['exact', 'sobl', '--input', 'sobel.x'], 'AXD901', "unknown benchmark 'sobl'"],
    [['compile', 'tiny.axn', '-o', 'x.bin', '--threshold', '0.7'], 'AXU703', '--threshold applies to an imported AXNet (a TensorFlow.js model.json or an ONNX model) only'],
    [['compile', 'tiny.axn', '-o', 'x.bin', '--benchmark', 'sobel'], 'AXU703', '--benchmark applies to an imported model (model.json, .nn, .onnx)'],
    [['compile', 'tiny.axn', '-o', 'x.bin', '--quality', 'rmse:-1'], 'AXU703', "--quality takes METRIC<BOUND (or METRIC:BOUND), METRIC one of abs, rel, rmse and BOUND a positive number, such as rmse:0.1; got 'rmse:-1'"],
    [['import', 'tiny.axn', '-o', 'x.axn'], 'AXU703', "axc import reads a model.json, .nn or .onnx file; 'tiny.axn' is read as .axn source"],
  ];
  const results = await Promise.all(cases.map(([args]) => runAxcAsync(args, { cwd: dir })));
  results.forEach((r, i) => expectOneLine(t, r, 2, cases[i][1], [cases[i][2]]));
  t.false(fs.existsSync(path.join(dir, 't.json')));
  t.false(fs.existsSync(path.join(dir, 'x.bin')));
});

test('--help marks required options and shows each default once, the commander way', async (t) => {
  const [sim, train, exact] = await Promise.all(['sim', 'train', 'exact'].map((c) => runAxcAsync([c, '--help'])));
  // An option's help, wrapped over lines, runs until the next line that starts an option.
  const helpOf = (text: string, option: string) => {
    const lines = text.split('\n');
    const start = lines.findIndex((l) => l.includes(option));
    const end = lines.findIndex((l, i) => i > start && /^\s+-/.test(l));
    return lines.slice(start, end).map((l) => l.trim()).join(' ');
  };
  t.regex(helpOf(sim.stdout, '--input <file>'), /\(required\)$/);
  t.regex(helpOf(train.stdout, '--bench <name>'), /\(required\)$/);
  t.regex(helpOf(exact.stdout, '--input <file>'), /\(required\)$/);
  t.regex(helpOf(sim.stdout, '--trace-samples <range>'), /\(default: "0:100"\)$/);
  t.notRegex(helpOf(sim.stdout, '--output <out.csv>'), /required/);
  for (const r of [sim, train, exact]) {
    for (const line of r.stdout.split(/\n(?=\s+-)/)) t.false(/default[\s\S]*default/.test(line), `default shown twice: ${line}`);
    t.notRegex(r.stdout, /\(default [^:]/, 'every default reads "(default: X)"');
  }
});

test('--input - reads stdin, for sim and exact, with the same results as the file', async (t) => {
  const dir = workDir(t);
  const x = fs.readFileSync(path.join(dir, 'sobel.x'));
  const pipeIn = (args: string[]) => spawnSync(process.execPath, [binPath, ...args], { cwd: dir, input: x, encoding: 'utf8' });
  const fromFile = await runAxcAsync(['sim', 'sobel.bin', '--input', 'sobel.x', '--output', '-', '-q', '--report', 'a.json'], { cwd: dir });
  const fromStdin = pipeIn(['sim', 'sobel.bin', '--input', '-', '--output', '-', '-q', '--report', 'b.json']);
  t.is(fromStdin.status, 0, fromStdin.stderr);
  t.is(fromStdin.stdout, fromFile.stdout);
  t.is(fs.readFileSync(path.join(dir, 'b.json'), 'utf8'), fs.readFileSync(path.join(dir, 'a.json'), 'utf8'));
  const exactFile = await runAxcAsync(['exact', 'sobel', '--input', 'sobel.x'], { cwd: dir });
  const exactStdin = pipeIn(['exact', 'sobel', '--input', '-']);
  t.is(exactStdin.status, 0, exactStdin.stderr);
  t.is(exactStdin.stdout, exactFile.stdout);
  t.is(exactStdin.stdout.split('\n').length - 1, SOBEL_SAMPLES);
  const bad = spawnSync(process.execPath, [binPath, 'exact', 'sobel', '--input', '-'], { cwd: dir, input: '1 2 3 4 5 6 7 8 9\nnope\n', encoding: 'utf8' });
  t.is(bad.status, 1);
  t.is(bad.stdout, '', 'nothing printed before the whole of stdin is known to be good');
  t.regex(bad.stderr, /^<stdin>:2:1: error: 'nope' is not a number \[AXS601\]\n$/);
});

test('every command that writes a file confirms it on stderr, and -q silences it', async (t) => {
  const dir = workDir(t);
  const runs: [string[], RegExp][] = [
    [['compile', 'tiny.axn', '-o', 'tiny.bin'], /^axc: wrote tiny\.bin: tiny, static schedule/],
    [['asm', 'a.s', '-o', 'a.bin'], /^axc: wrote a\.bin: 3 instructions/],
    [['disasm', 'sobel.bin', '-o', 'sobel.s'], /^axc: wrote sobel\.s\n$/],
    [['exact', 'sobel', '--input', 'sobel.x', '--output', 'sobel.y'], new RegExp(`^axc: wrote sobel\\.y: ${SOBEL_SAMPLES} sobel outputs\n$`)],
    [['data', 'sobel', '-n', '10', '-o', 'gen'], /^axc: wrote gen\/train\.x and gen\/train\.y: 10 sobel samples, seed 0\n$/],
    [['sim', 'sobel.bin', '--input', 'sobel.x', '--report', 'r.json', '--output', 'o.csv'], new RegExp(`^axc: wrote o\\.csv \\(${SOBEL_SAMPLES} rows\\), r\\.json$`, 'm')],
  ];
  const loud = await Promise.all(runs.map(([args]) => runAxcAsync(args, { cwd: dir })));
  loud.forEach((r, i) => {
    t.is(r.status, 0, r.stderr);
    t.regex(r.stderr, runs[i][1]);
  });
  const quiet = await Promise.all(runs.map(([args]) => runAxcAsync([...args.map((a) => (/\.(bin|s|y|json|csv)$|^gen$/.test(a) && !args.slice(0, 2).includes(a) ? `q-${a}` : a)), '-q'], { cwd: dir })));
  quiet.forEach((r, i) => {
    t.is(r.status, 0, `${runs[i][0].join(' ')}: ${r.stderr}`);
    t.is(r.stderr, '', runs[i][0].join(' '));
  });
});

test('a --trace-samples range past the end of the input is reported', async (t) => {
  const dir = workDir(t);
  const n = SOBEL_SAMPLES;
  const range = `${n - 4}:${n + 36}`;
  const r = await runAxcAsync(['sim', 'sobel.bin', '--input', 'sobel.x', '--trace', 't.json', '--trace-samples', range, '-q'], { cwd: dir });
  t.is(r.status, 0, r.stderr);
  t.is(r.stderr, `axc: warning: --trace-samples ${range} reaches past the input's ${n} samples; the trace holds samples ${n - 4} to ${n - 1} only [AXU724]\n`);
  const beyond = await runAxcAsync(['sim', 'sobel.bin', '--input', 'sobel.x', '--trace', 't2.json', '--trace-samples', `${n + 100}:`, '-q'], { cwd: dir });
  t.regex(beyond.stderr, /the trace holds no sample \[AXU724\]\n$/);
});
