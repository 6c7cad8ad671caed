// Every kind of bad input through the real CLI: one `[file[:line:col]: ]error: MESSAGE [CODE]` line on
// stderr, exit code 1 (2 for commander usage errors), no stack trace, and no output file (or leftover
// temporary file) afterwards, however far the run got before failing.

import test, { type ExecutionContext } from 'ava';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pack, unpack } from 'msgpackr';
import { compileModel } from '../compiler/pipeline.ts';
import { loadModelFile } from '../frontend/parse-model.ts';
import { packBinary, unpackBinary } from '../isa/container.ts';
import { AtomicWriter } from '../cli/write-atomic.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import { repoRoot, runAxc, type AxcResult } from './support/run-axc.ts';

const example = (name: string) => path.join(repoRoot, 'examples', name);

function tempDir(t: ExecutionContext): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'axc-bad-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A valid sobel binary, compiled in-process once (no spawn). */
const SOBEL_BIN: Uint8Array = (() => {
  const { model, diagnostics } = loadModelFile(example('sobel.axn'));
  if (!model) throw new Error(JSON.stringify(diagnostics));
  return packBinary(compileModel(model));
})();

const SOBEL_X_LINES = fs.readFileSync(example('sobel.x'), 'utf8').split('\n').filter((l) => l !== '');

const DIAG_LINE = /^(?:(.+?): )?error: (.+) \[([A-Z]{3}\d{3})\]$/;

interface Expect {
  code: string;
  /** Exact text before `: error: ` (e.g. `file:3:5`); omit for `error: ...` with no position. */
  where?: string;
  /** Substrings the message must contain. */
  says?: string[];
}

function assertNoCrash(t: ExecutionContext, r: AxcResult): void {
  t.false(r.stderr.includes('    at '), `stack trace on stderr:\n${r.stderr}`);
  t.false(r.stderr.includes('Error:'), `raw Error on stderr:\n${r.stderr}`);
  t.false(r.stderr.includes('internal error'), `internal error:\n${r.stderr}`);
}

/** Exit 1 (or `status`), nothing on stdout, exactly one well-formed diagnostic line with the expected code and position. */
function expectOneDiag(t: ExecutionContext, r: AxcResult, e: Expect, status = 1): void {
  t.is(r.status, status, `exit code; stderr:\n${r.stderr}`);
  t.is(r.stdout, '');
  assertNoCrash(t, r);
  t.true(r.stderr.endsWith('\n'));
  const lines = r.stderr.slice(0, -1).split('\n');
  t.is(lines.length, 1, `expected one diagnostic, got:\n${r.stderr}`);
  const m = DIAG_LINE.exec(lines[0]);
  if (!m) {
    t.fail(`not a diagnostic line: ${lines[0]}`);
    return;
  }
  t.is(m[3], e.code, lines[0]);
  t.is<string | undefined, string | undefined>(m[1], e.where, lines[0]);
  for (const s of e.says ?? []) t.true(m[2].includes(s), `message '${m[2]}' lacks '${s}'`);
}

/** The directory holds exactly these files (no outputs, no `.name.PID.tmp` leftovers). */
function expectOnly(t: ExecutionContext, dir: string, files: string[]): void {
  t.deepEqual(fs.readdirSync(dir).sort(), [...files].sort());
}

/** 1-based `line:col` of the first occurrence of `needle` in `text`. */
function lineCol(text: string, needle: string): string {
  const off = text.indexOf(needle);
  if (off < 0) throw new Error(`test bug: '${needle}' not found`);
  const before = text.slice(0, off);
  return `${before.split('\n').length}:${off - before.lastIndexOf('\n')}`;
}

// ---- .axn models ----

const TINY = fs.readFileSync(example('tiny.axn'), 'utf8');
/** tiny.axn with seeded weights, so a width change does not also break the inline weight shapes. */
const TINY_SEEDED = TINY.replace(/ {2}weights \{[\s\S]*?\n {2}\}\n/, '  weights seed 1\n');

test('.axn syntax error: file:line:col, AXN002, no output', (t) => {
  const dir = tempDir(t);
  const src = TINY.replace('dense(2, relu)', 'dense(2 relu)');
  t.not(src, TINY);
  fs.writeFileSync(path.join(dir, 'syn.axn'), src);
  const r = runAxc(['compile', 'syn.axn', '-o', 'out.bin'], { cwd: dir });
  expectOneDiag(t, r, { code: 'AXN002', where: `syn.axn:${lineCol(src, 'relu) controlled')}`, says: ["'relu'"] });
  expectOnly(t, dir, ['syn.axn']);
});

test('.axn semantic error: control width mismatch is AXN107 at the reference', (t) => {
  const dir = tempDir(t);
  t.not(TINY_SEEDED, TINY);
  const src = TINY_SEEDED.replace('control(2, linear)', 'control(3, linear)');
  t.not(src, TINY_SEEDED);
  fs.writeFileSync(path.join(dir, 'sem.axn'), src);
  const r = runAxc(['compile', 'sem.axn', '-o', 'out.bin'], { cwd: dir });
  const [line, col] = lineCol(src, 'controlled by c').split(':').map(Number);
  expectOneDiag(t, r, { code: 'AXN107', where: `sem.axn:${line}:${col + 'controlled by '.length}`, says: ["'c' has width 3", "'h'", 'width 2'] });
  expectOnly(t, dir, ['sem.axn']);
});

test('missing model file is AXU701', (t) => {
  const dir = tempDir(t);
  const r = runAxc(['compile', 'nope.axn', '-o', 'out.bin'], { cwd: dir });
  // Like every unreadable file: no position to give, so the path is in the message.
  expectOneDiag(t, r, { code: 'AXU701', says: ["cannot read 'nope.axn': no such file or directory"] });
  expectOnly(t, dir, []);
});

// ---- hardware descriptions (through `compile --npu`) ----

function compileWithNpu(t: ExecutionContext, json: string): { dir: string; r: AxcResult } {
  const dir = tempDir(t);
  fs.writeFileSync(path.join(dir, 'hw.json'), json);
  const r = runAxc(['compile', example('tiny.axn'), '--npu', 'hw.json', '-o', 'out.bin'], { cwd: dir });
  return { dir, r };
}

test('hardware JSON syntax error is AXH301 with line:col', (t) => {
  const json = '{\n  "tiles": 4,\n  "pesPerTile" 8\n}\n';
  const { dir, r } = compileWithNpu(t, json);
  expectOneDiag(t, r, { code: 'AXH301', where: `hw.json:${lineCol(json, '8\n')}`, says: ['not valid JSON'] });
  expectOnly(t, dir, ['hw.json']);
});

test('hardware JSON unknown field is AXH302 at the key', (t) => {
  const json = '{\n  "tiles": 4,\n    "bogus": 1\n}\n';
  const { dir, r } = compileWithNpu(t, json);
  expectOneDiag(t, r, { code: 'AXH302', where: `hw.json:${lineCol(json, '"bogus"')}`, says: ["'bogus'", 'not a hardware parameter'] });
  expectOnly(t, dir, ['hw.json']);
});

test('hardware JSON out-of-range field is AXH302 naming the field', (t) => {
  const json = '{\n  "pesPerTile": 8,\n  "tiles":   300\n}\n';
  const { dir, r } = compileWithNpu(t, json);
  expectOneDiag(t, r, { code: 'AXH302', where: `hw.json:${lineCol(json, '300')}`, says: ["'tiles'", 'at most 256'] });
  expectOnly(t, dir, ['hw.json']);
});

test('hardware JSON field of the wrong type is AXH302', (t) => {
  const json = '{\n  "weightBufferWords": "lots"\n}\n';
  const { dir, r } = compileWithNpu(t, json);
  expectOneDiag(t, r, { code: 'AXH302', where: `hw.json:${lineCol(json, '"lots"')}`, says: ["'weightBufferWords'", 'must be a number'] });
  expectOnly(t, dir, ['hw.json']);
});

// ---- binaries ----

function simBinary(t: ExecutionContext, bytes: Uint8Array): { dir: string; r: AxcResult } {
  const dir = tempDir(t);
  fs.writeFileSync(path.join(dir, 'prog.bin'), bytes);
  const r = runAxc(['sim', 'prog.bin', '--input', example('sobel.x'), '--output', 'out.csv', '--report', 'report.json'], { cwd: dir });
  return { dir, r };
}

test('a file that is not a binary is AXB401', (t) => {
  const junk = new Uint8Array(300);
  let s = 12345;
  for (let i = 0; i < junk.length; i++) junk[i] = (s = (s * 1103515245 + 12345) >>> 0) >>> 24;
  const { dir, r } = simBinary(t, junk);
  expectOneDiag(t, r, { code: 'AXB401', where: 'prog.bin' });
  expectOnly(t, dir, ['prog.bin']);
});

test('a binary with one body byte flipped is AXB403', (t) => {
  const bytes = Uint8Array.from(SOBEL_BIN);
  const outer = unpack(bytes) as { body: Uint8Array };
  const i = bytes.length - 5;
  // The body is the last value of the outer map, so its bytes end the file.
  t.true(i >= bytes.length - outer.body.length);
  t.deepEqual(Buffer.from(bytes.subarray(bytes.length - outer.body.length)), Buffer.from(outer.body));
  bytes[i] ^= 0x5a;
  const { dir, r } = simBinary(t, bytes);
  expectOneDiag(t, r, { code: 'AXB403', where: 'prog.bin', says: ['CRC-32'] });
  expectOnly(t, dir, ['prog.bin']);
});

test('a truncated binary is AXB404 and says so, not "bad magic"', (t) => {
  const { dir, r } = simBinary(t, SOBEL_BIN.subarray(0, SOBEL_BIN.length - 7));
  t.is(r.status, 1);
  expectOneDiag(t, r, { code: 'AXB404', where: 'prog.bin', says: ['truncated'] });
  expectOnly(t, dir, ['prog.bin']);
});

test('a binary of another format version is AXB402: a version-1 binary (decm without its threshold) and a future one', (t) => {
  const outer = unpack(SOBEL_BIN) as { magic: string; version: number; crc32: number; body: Uint8Array };
  t.is(outer.magic, 'AXNPU');
  t.is(outer.version, 2);
  // Version 1 through the CLI: its decm would decode with another field layout, so it must not load.
  const v1 = pack({ ...outer, version: 1 });
  const back = unpack(v1) as typeof outer;
  t.is(back.version, 1);
  t.is(back.crc32, outer.crc32);
  const { dir, r } = simBinary(t, v1);
  expectOneDiag(t, r, { code: 'AXB402', where: 'prog.bin', says: ['version 1 is not supported', 'expects version 2', 'recompile'] });
  expectOnly(t, dir, ['prog.bin']);
  // A future version, in-process (same check, no second spawn).
  const e = t.throws(() => unpackBinary(pack({ ...outer, version: 99 }), 'p.bin'));
  t.regex(e!.message, /version 99 is not supported .*expects version 2/);
});

test('a binary whose program does not fit its own hardware is AXB405, no CSV or report', (t) => {
  // Valid container and CRC, but the hardware in it was shrunk: the simulator's verifier rejects the code.
  const bin = unpackBinary(SOBEL_BIN);
  const { dir, r } = simBinary(t, packBinary({ ...bin, hardware: { ...bin.hardware, tiles: 1, pesPerTile: 2 } }));
  t.is(r.status, 1, r.stderr);
  t.is(r.stdout, '');
  assertNoCrash(t, r);
  const lines = r.stderr.trimEnd().split('\n');
  // Every instruction on a missing tile is illegal; the first five are shown, then a count of the rest.
  t.is(lines.length, 6);
  for (const l of lines.slice(0, 5)) t.regex(l, /^.+sobel\.axn:\d+:\d+: error: illegal instruction at pc \d+: .+ \[AXB405\]$/);
  t.regex(lines[5], /^error: \d+ more errors like these not shown \[AXU704\]$/);
  t.false(fs.existsSync(path.join(dir, 'out.csv')));
  t.false(fs.existsSync(path.join(dir, 'report.json')));
});

// The temporary file is created synchronously, so an abort before the stream's first I/O turn
// cannot race with an asynchronous open that would recreate it afterwards.
test('aborting an AtomicWriter straight away leaves no temporary file', async (t) => {
  const dir = tempDir(t);
  const w = new AtomicWriter(path.join(dir, 'out.csv'));
  void w.write('y0,p,invoked\n');
  w.abort();
  await sleep(200);
  t.deepEqual(fs.readdirSync(dir), []);
});

// ---- sim inputs: errors after good rows must leave no partial CSV or report ----

function simInput(t: ExecutionContext, input: string | null): { dir: string; r: AxcResult } {
  const dir = tempDir(t);
  fs.writeFileSync(path.join(dir, 'prog.bin'), SOBEL_BIN);
  if (input !== null) fs.writeFileSync(path.join(dir, 'in.x'), input);
  const r = runAxc(['sim', 'prog.bin', '--input', 'in.x', '--output', 'out.csv', '--report', 'report.json'], { cwd: dir });
  return { dir, r };
}

test('a non-number on line 40 of sobel.x is AXS601 at its line:col, no CSV or report', (t) => {
  const lines = [...SOBEL_X_LINES];
  t.true(lines.length > 40, 'the error is in the middle of the file, not on its last line');
  const vals = lines[39].split(' ');
  t.is(vals.length, 9);
  lines[39] = `  ${vals.slice(0, 3).join(', ')}\t${vals[3]} ,1.2.3 ${vals.slice(5).join(',')}`;
  const { dir, r } = simInput(t, lines.join('\n') + '\n');
  const col = lines[39].indexOf('1.2.3') + 1;
  expectOneDiag(t, r, { code: 'AXS601', where: `in.x:40:${col}`, says: ["'1.2.3' is not a number"] });
  expectOnly(t, dir, ['prog.bin', 'in.x']);
});

test('a row with the wrong number of values is AXS602 with its line, no CSV or report', (t) => {
  const lines = [...SOBEL_X_LINES];
  lines[39] = lines[39].split(' ').slice(0, 8).join(' ');
  const { dir, r } = simInput(t, lines.join('\n') + '\n');
  expectOneDiag(t, r, { code: 'AXS602', where: 'in.x:40:1', says: ['8 values', 'expects 9'] });
  expectOnly(t, dir, ['prog.bin', 'in.x']);
});

test('an empty input file is AXS604, no CSV or report', (t) => {
  const { dir, r } = simInput(t, '');
  expectOneDiag(t, r, { code: 'AXS604', where: 'in.x', says: ['no samples'] });
  expectOnly(t, dir, ['prog.bin', 'in.x']);
});

test('a missing input file is AXU701, no CSV or report', (t) => {
  const { dir, r } = simInput(t, null);
  expectOneDiag(t, r, { code: 'AXU701', says: ["'in.x'"] });
  expectOnly(t, dir, ['prog.bin']);
});

// A directory opens fine and fails only on read (EISDIR); that must still be a message, not a crash.
test('an input path that is a directory is AXU701, not an internal error', (t) => {
  const dir = tempDir(t);
  fs.writeFileSync(path.join(dir, 'prog.bin'), SOBEL_BIN);
  fs.mkdirSync(path.join(dir, 'in.x'));
  const r = runAxc(['sim', 'prog.bin', '--input', 'in.x', '--output', 'out.csv'], { cwd: dir });
  expectOneDiag(t, r, { code: 'AXU701', says: ["'in.x'"] });
});

// ---- assembler ----

function asm(t: ExecutionContext, src: string): { dir: string; r: AxcResult } {
  const dir = tempDir(t);
  fs.writeFileSync(path.join(dir, 'prog.s'), src);
  const r = runAxc(['asm', 'prog.s', '-o', 'out.bin'], { cwd: dir });
  return { dir, r };
}

test('asm: unknown mnemonic is AXA501 at line:col', (t) => {
  const src = '; hand-written\n.stage predict\nsample:\n    recv m0, 2\n  frob m0, 2\n    jmp sample\n';
  const { dir, r } = asm(t, src);
  expectOneDiag(t, r, { code: 'AXA501', where: `prog.s:${lineCol(src, 'frob')}`, says: ["'frob'"] });
  expectOnly(t, dir, ['prog.s']);
});

test('asm: operand out of range is AXA502 at the operand', (t) => {
  const src = '.stage predict\nsample:\n    recv m0,   99999\n    jmp sample\n';
  const { dir, r } = asm(t, src);
  expectOneDiag(t, r, { code: 'AXA502', where: `prog.s:${lineCol(src, '99999')}`, says: ['99999', '16 bits'] });
  expectOnly(t, dir, ['prog.s']);
});

test('asm: an operand of the wrong kind is AXA502, saying what was expected and what was written', (t) => {
  const src = '.stage predict\nsample:\n    recv x0, 2\n    jmp sample\n';
  const { dir, r } = asm(t, src);
  expectOneDiag(t, r, { code: 'AXA502', where: `prog.s:${lineCol(src, 'x0')}`, says: ["recv operand 'ocm': expected an on-chip memory address like 'm0', got 'x0'"] });
  expectOnly(t, dir, ['prog.s']);
});

test('asm: undefined label is AXA503 at the reference', (t) => {
  const src = '.stage predict\nsample:\n    recv m0, 2\n    jmp nowhere\n';
  const { dir, r } = asm(t, src);
  expectOneDiag(t, r, { code: 'AXA503', where: `prog.s:${lineCol(src, 'nowhere')}`, says: ["'nowhere'"] });
  expectOnly(t, dir, ['prog.s']);
});

// ---- usage ----

test('unknown option exits 2 with commander message, no output', (t) => {
  const dir = tempDir(t);
  const r = runAxc(['compile', example('tiny.axn'), '-o', 'out.bin', '--bogus'], { cwd: dir });
  t.is(r.status, 2);
  t.is(r.stdout, '');
  assertNoCrash(t, r);
  t.is(r.stderr.split('\n')[0], "error: unknown option '--bogus'");
  expectOnly(t, dir, []);
});

test('missing required option exits 2', (t) => {
  const dir = tempDir(t);
  fs.writeFileSync(path.join(dir, 'prog.bin'), SOBEL_BIN);
  const r = runAxc(['sim', 'prog.bin', '--output', 'out.csv'], { cwd: dir });
  t.is(r.status, 2);
  t.is(r.stdout, '');
  assertNoCrash(t, r);
  t.regex(r.stderr.split('\n')[0], /^error: required option '-i, --input <file>' not specified$/);
  expectOnly(t, dir, ['prog.bin']);
});

test('compile without -o is the usage error AXU703, exit 2', (t) => {
  const dir = tempDir(t);
  const r = runAxc(['compile', example('tiny.axn')], { cwd: dir });
  expectOneDiag(t, r, { code: 'AXU703', says: ['-o <prog.bin>', '--dump-after'] }, 2);
  expectOnly(t, dir, []);
});

test('sim refuses to send two outputs to one file (AXU706, exit 2), writing nothing', (t) => {
  const dir = tempDir(t);
  fs.writeFileSync(path.join(dir, 'prog.bin'), SOBEL_BIN);
  const r = runAxc(['sim', 'prog.bin', '--input', example('sobel.x'), '--output', 'same.out', '--report', './same.out'], { cwd: dir });
  expectOneDiag(t, r, { code: 'AXU706', says: ["--output 'same.out' and --report './same.out' are the same file"] }, 2);
  expectOnly(t, dir, ['prog.bin']);
});
