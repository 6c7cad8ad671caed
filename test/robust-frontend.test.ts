// Inputs that used to crash, flood or stall the readers (issue 8): deep nesting in .axn weight lists and in
// JSON files, huge lines and tokens, thousands of errors, and a file of the wrong kind. Each is one clear,
// bounded diagnostic, exit 1, no stack trace, input unchanged, nothing written. Loaders are checked in-process;
// a few runs of the real CLI check what the user sees.

import test, { type ExecutionContext } from 'ava';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compileModel } from '../compiler/pipeline.ts';
import { DIAG } from '../diagnostics/catalog.ts';
import { AxcError, diag, formatDiagnostic, limitPerFile, MAX_DIAGNOSTICS_PER_FILE, type Diagnostic } from '../diagnostics/diagnostic.ts';
import { clip, quote, QUOTE_MAX_CHARS } from '../diagnostics/quote.ts';
import { loadModelFile, MAX_WEIGHT_NESTING, parseModel } from '../frontend/parse-model.ts';
import { readLayersModel } from '../frontend/layers-model/read-layers-model.ts';
import { readWeightsFile } from '../frontend/weights-file.ts';
import { parseHardware } from '../hardware/load-hardware.ts';
import { sniffFileKind } from '../frontend/file-kind.ts';
import { MAX_JSON_DEPTH, tooDeepOffset } from '../input/json-depth.ts';
import { packBinary } from '../isa/container.ts';
import { parseSampleLine } from '../simulator/read-samples.ts';
import { repoRoot, runAxc, type AxcResult } from './support/run-axc.ts';

const example = (name: string) => path.join(repoRoot, 'examples', name);
const SOBEL = fs.readFileSync(example('sobel.axn'), 'utf8');
const SOBEL_BIN: Uint8Array = (() => {
  const { model, diagnostics } = loadModelFile(example('sobel.axn'));
  if (!model) throw new Error(JSON.stringify(diagnostics));
  return packBinary(compileModel(model));
})();

/** sobel.axn with `weights { ... }` holding `block` in place of its weights file. */
const sobelWithWeights = (block: string) => SOBEL.replace('weights "sobel.weights.json"', `weights {\n  h1.w = ${block}\n}`);

function tempDir(t: ExecutionContext): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'axc-robust-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const sha = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** 1-based `line:col` of offset `off` in `text`. */
function lineColAt(text: string, off: number): string {
  const before = text.slice(0, off);
  return `${before.split('\n').length}:${off - before.lastIndexOf('\n')}`;
}

/** The one diagnostic in `ds`, checked for code and position. */
function only(t: ExecutionContext, ds: readonly Diagnostic[], code: string, where?: string): Diagnostic {
  t.is(ds.length, 1, ds.map(formatDiagnostic).join('\n'));
  t.is(ds[0].code, code);
  if (where) t.is(ds[0].loc ? `${ds[0].loc.file}:${ds[0].loc.line}:${ds[0].loc.col}` : ds[0].file, where);
  return ds[0];
}

// Any C0 control other than newline, or DEL: what must never reach the terminal from a message.
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f]/;

/** Exit 1, no stdout, no stack, exactly `lines` on stderr; the input unchanged and nothing else in `dir`. */
function expectFailure(t: ExecutionContext, r: AxcResult, lines: string[], dir: string, inputs: Record<string, string>): void {
  t.is(r.status, 1, r.stderr);
  t.is(r.stdout, '');
  t.false(r.stderr.includes('    at '), r.stderr);
  t.false(r.stderr.includes('internal error'), r.stderr);
  t.false(RAW_CONTROL.test(r.stderr), 'raw control character on stderr');
  t.deepEqual(r.stderr.split('\n').slice(0, -1), lines);
  t.deepEqual(fs.readdirSync(dir).sort(), Object.keys(inputs).sort(), 'no output or temporary file left');
  for (const [name, hash] of Object.entries(inputs)) t.is(sha(path.join(dir, name)), hash, `${name} changed`);
}

// ---- quoting and the per-file cap ----

test('quote: user text is cut at 60 characters with an ellipsis and control characters are escaped', (t) => {
  t.is(quote('h1'), "'h1'");
  t.is(quote('a'.repeat(QUOTE_MAX_CHARS)), `'${'a'.repeat(QUOTE_MAX_CHARS)}'`);
  t.is(quote('a'.repeat(1_000_000)), `'${'a'.repeat(QUOTE_MAX_CHARS)}…'`);
  t.is(quote('x\u0001y\n\u007f'), "'x\\x01y\\n\\x7f'");
  t.is(clip('😀'.repeat(100)).length, QUOTE_MAX_CHARS + 1, 'a surrogate pair is never split');
});

test('limitPerFile: 20 diagnostics per file, then one "N more errors" line, summary notes always kept', (t) => {
  const at = (file: string, line: number) => diag(DIAG.syntax, { file, line, col: 1 }, `problem ${line}`);
  const note: Diagnostic = { ...diag(DIAG.tooManyErrors, { file: 'a.axn', line: 99, col: 1 }, 20), summary: true };
  const ds = [...Array.from({ length: 30 }, (_, i) => at('a.axn', i + 1)), at('b.json', 1), note];
  const shown = limitPerFile(ds).map(formatDiagnostic);
  t.is(shown.length, MAX_DIAGNOSTICS_PER_FILE + 3);
  t.is(shown[MAX_DIAGNOSTICS_PER_FILE - 1], 'a.axn:20:1: error: problem 20 [AXN002]');
  t.is(shown[MAX_DIAGNOSTICS_PER_FILE], 'a.axn: error: 10 more errors like these not shown [AXU704]');
  t.is(shown[MAX_DIAGNOSTICS_PER_FILE + 1], 'a.axn:99:1: error: too many errors; axc stopped reading the file here, after the first 20 [AXN003]');
  t.is(shown[MAX_DIAGNOSTICS_PER_FILE + 2], 'b.json:1:1: error: problem 1 [AXN002]');
  t.deepEqual(limitPerFile(ds.slice(0, 5)), ds.slice(0, 5), 'a short list is printed as it is');
});

// ---- .axn: deep weight lists ----

test('RangeError in weightList: 600 nested [ in an inline weight list is AXN004 at the 9th [', (t) => {
  for (const block of ['['.repeat(600) + '1' + ']'.repeat(600), '['.repeat(600) /* unclosed: died inside lodash */]) {
    const src = sobelWithWeights(block);
    const off = src.indexOf('h1.w = ') + 'h1.w = '.length + MAX_WEIGHT_NESTING;
    const d = only(t, parseModel(src, 'deep.axn').diagnostics, 'AXN004', `deep.axn:${lineColAt(src, off)}`);
    t.is(d.message, "weight lists nest at most 8 deep (a weight matrix needs 2); this '[' opens level 9");
  }
  // 8 levels is still a (wrongly shaped) weight list, not a nesting error.
  const codes = parseModel(sobelWithWeights('['.repeat(8) + '1' + ']'.repeat(8)), 'ok.axn').diagnostics.map((d) => d.code);
  t.false(codes.includes('AXN004'));
  t.true(codes.includes('AXN122'));
});

// ---- .axn: floods and huge tokens ----

test('20,000 unexpected characters print 20 errors and a note where reading stopped', (t) => {
  const src = `model m {\n${'@ '.repeat(20_000)}\n}\n`;
  const ds = parseModel(src, 'junk.axn').diagnostics;
  t.is(ds.length, 21);
  t.true(ds.slice(0, 20).every((d, i) => d.code === 'AXN001' && d.loc?.line === 2 && d.loc.col === 2 * i + 1));
  t.is(formatDiagnostic(ds[20]), 'junk.axn:2:41: error: too many errors; axc stopped reading the file here, after the first 20 [AXN003]');
});

test('a flood of syntax errors stops after 20 with a note at the next one', (t) => {
  const src = `model m {\n  approximator {\n${'    h = 1\n'.repeat(5000)}  }\n}\n`;
  const ds = parseModel(src, 'flood.axn').diagnostics;
  t.is(ds.length, 21);
  t.true(ds.slice(0, 20).every((d) => d.code === 'AXN002'));
  t.deepEqual([ds[20].code, ds[20].loc?.line], ['AXN003', 23]);
});

test('7 MB line of junk: lexing stops at the 21st error instead of taking minutes and gigabytes', (t) => {
  const src = `model m {\n${'@a'.repeat(3_500_000)}\n}\n`;
  const start = performance.now();
  const ds = parseModel(src, 'big.axn').diagnostics;
  const ms = performance.now() - start;
  t.is(ds.length, 21);
  t.is(ds[20].code, 'AXN003');
  // Before: 20 s of lexing alone and 3.5 million errors. Now the lexer stops within the first 41 characters.
  t.true(ms < 5000, `took ${ms} ms`);
});

test('a million-character token is quoted in 60 characters, control characters escaped', (t) => {
  const ds = parseModel(`model m {\n${'a'.repeat(1_000_000)}\n}\n`, 'long.axn').diagnostics;
  const d = only(t, ds, 'AXN002', 'long.axn:2:1');
  t.is(d.message, `expected '}' after '{' in the model declaration, found '${'a'.repeat(60)}…'`);
  const ctl = parseModel('model m {\n\u0001\u0002 }\n', 'ctl.axn').diagnostics;
  t.is(only(t, ctl, 'AXN001', 'ctl.axn:2:1').message, "unexpected character '\\x01'", 'one error for the run, naming its first character');
});

test('sample reader: a 100,000-character token is quoted in 60 characters', (t) => {
  const err = t.throws(() => parseSampleLine(`1 ${'z'.repeat(100_000)}`, 3, 'in.x', new Float32Array(2)), { instanceOf: AxcError });
  t.is(formatDiagnostic(err.diagnostics[0]), `in.x:3:3: error: '${'z'.repeat(60)}…' is not a number [AXS601]`);
});

// ---- JSON readers: deep nesting ----

test('tooDeepOffset: counts brackets outside strings and comments, flags the first one past the limit', (t) => {
  const nest = (n: number) => '['.repeat(n) + ']'.repeat(n);
  t.is(tooDeepOffset(nest(MAX_JSON_DEPTH)), -1);
  t.is(tooDeepOffset(nest(MAX_JSON_DEPTH + 1)), MAX_JSON_DEPTH);
  t.is(tooDeepOffset(`{"a": "${'['.repeat(1000)}", "b": "\\"[[[["}`), -1);
  t.is(tooDeepOffset(`{"a": 1 // ${'['.repeat(1000)}\n}`), -1);
  t.is(tooDeepOffset(']]]]' + nest(3), 2), 6, 'stray closers do not buy depth');
});

test('stack overflow in parseTree: a weights file nested 5,000 deep is AXU708 at the 65th bracket', (t) => {
  const text = `{"format": "axc-weights", "version": 1,\n "layers": ${'['.repeat(5000)}${']'.repeat(5000)}}`;
  const off = text.indexOf('[') + MAX_JSON_DEPTH - 1; // the layers value's '[' opens level 2
  const d = only(t, readWeightsFile(text, 'w.json').diagnostics, 'AXU708', `w.json:${lineColAt(text, off)}`);
  t.is(d.message, 'the weights file nests arrays and objects more than 64 deep; this bracket opens level 65');
});

test('stack overflow in parseTree: a hardware description nested 6,000 deep is AXU708', (t) => {
  const text = `{"tiles": ${'['.repeat(6000)}${']'.repeat(6000)}}`;
  const err = t.throws(() => parseHardware(text, 'hw.json'), { instanceOf: AxcError });
  only(t, err.diagnostics, 'AXU708', `hw.json:${lineColAt(text, text.indexOf('[') + MAX_JSON_DEPTH - 1)}`);
});

test('stack overflow in parseTree: a model.json nested 6,000 deep is AXU708', (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'model.json');
  const text = `{"modelTopology": {}, "weightsManifest": [], "x": ${'{"a": '.repeat(6000)}1${'}'.repeat(6000)}}`;
  fs.writeFileSync(file, text);
  const off = text.indexOf('{"a"') + (MAX_JSON_DEPTH - 1) * '{"a": '.length; // the first opens level 2
  only(t, readLayersModel(file).diagnostics, 'AXU708', `${file}:${lineColAt(text, off)}`);
});

// ---- the wrong kind of file ----

test('sniffFileKind tells binaries, models, JSON files, samples and assembly apart', (t) => {
  const kind = (s: string | Uint8Array) => sniffFileKind(typeof s === 'string' ? Buffer.from(s) : s);
  t.is(kind(SOBEL_BIN), 'binary');
  t.is(kind(SOBEL_BIN.subarray(0, 20)), 'binary', 'a truncated binary is still a binary (unpackBinary says it is cut short)');
  t.is(kind(SOBEL), 'axn');
  t.is(kind(fs.readFileSync(example('sobel.weights.json'))), 'weights');
  t.is(kind(fs.readFileSync(example('npu-small.json'))), 'hardware');
  t.is(kind('{"format": "layers-model", "modelTopology": {}}'), 'tfjs');
  t.is(kind(fs.readFileSync(example('sobel.x'))), 'samples');
  t.is(kind('; hand-written\n.model tiny\n'), 'assembly');
  t.is(kind(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13])), 'data');
  t.is(kind('modle typo {\n}\n'), 'text', 'a broken .axn is parsed and gets positioned errors');
});

test('loaders refuse the wrong kind of file in one line naming what it is', (t) => {
  const dir = tempDir(t);
  const bin = path.join(dir, 'prog.bin');
  fs.writeFileSync(bin, SOBEL_BIN);
  const axnLoad = only(t, loadModelFile(bin).diagnostics, 'AXU709', bin);
  t.is(axnLoad.message, "this is an axc binary, not an .axn model; run it with 'axc sim' or read it with 'axc disasm'");
  t.is(only(t, readLayersModel(bin).diagnostics, 'AXU709', bin).message, "this is an axc binary, not a TensorFlow.js model.json; run it with 'axc sim' or read it with 'axc disasm'");
  const weights = example('sobel.weights.json');
  t.regex(only(t, readLayersModel(weights).diagnostics, 'AXU709', weights).message, /^this is an axc weights file, not a TensorFlow\.js model\.json; /);
  const hw = example('npu-small.json');
  t.regex(only(t, readLayersModel(hw).diagnostics, 'AXU709', hw).message, /^this is a hardware description, not a TensorFlow\.js model\.json; .*--npu/);
  const png = path.join(dir, 'x.png');
  fs.writeFileSync(png, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 1, 2, 3]));
  t.regex(only(t, loadModelFile(png).diagnostics, 'AXU709', png).message, /^this is binary data of a kind axc does not know, not an \.axn model/);
});

// ---- through the CLI ----

test('CLI: compile, export and import of a compiled binary: one line, not 268 lexer errors with raw bytes', (t) => {
  const dir = tempDir(t);
  fs.writeFileSync(path.join(dir, 'prog.bin'), SOBEL_BIN);
  const inputs = { 'prog.bin': sha(path.join(dir, 'prog.bin')) };
  const says = "this is an axc binary, not an .axn model; run it with 'axc sim' or read it with 'axc disasm' [AXU709]";
  expectFailure(t, runAxc(['compile', 'prog.bin', '-o', 'out.bin'], { cwd: dir }), [`prog.bin: error: ${says}`], dir, inputs);
  expectFailure(t, runAxc(['export', 'prog.bin', '-o', 'tfjs'], { cwd: dir }), [`prog.bin: error: ${says}`], dir, inputs);
  expectFailure(
    t,
    runAxc(['import', 'prog.bin', '-o', 'out.axn'], { cwd: dir }),
    ["prog.bin: error: this is an axc binary, not a model to import (a model.json, .nn or .onnx file); run it with 'axc sim' or read it with 'axc disasm' [AXU709]"],
    dir,
    inputs,
  );
});

test('CLI: sim of an .axn and export of a model.json say what the file is and which command takes it', (t) => {
  const dir = tempDir(t);
  fs.writeFileSync(path.join(dir, 'm.axn'), SOBEL);
  fs.writeFileSync(path.join(dir, 'model.json'), '{"format": "layers-model", "modelTopology": {}, "weightsManifest": []}\n');
  const inputs = { 'm.axn': sha(path.join(dir, 'm.axn')), 'model.json': sha(path.join(dir, 'model.json')) };
  expectFailure(
    t,
    runAxc(['sim', 'm.axn', '--input', example('sobel.x')], { cwd: dir }),
    ["m.axn: error: this is an .axn model, not an axc binary; compile it with 'axc compile' or export it with 'axc export' [AXU709]"],
    dir,
    inputs,
  );
  expectFailure(
    t,
    runAxc(['export', 'model.json', '-o', 'tfjs'], { cwd: dir }),
    ["model.json: error: this is a TensorFlow.js model.json, not an .axn model; compile it with 'axc compile' or turn it into an .axn with 'axc import' [AXU709]"],
    dir,
    inputs,
  );
});

test('CLI: RangeError in weightList and stack overflow in a hardware description are positioned errors', (t) => {
  const dir = tempDir(t);
  const src = sobelWithWeights('['.repeat(600) + '1' + ']'.repeat(600));
  const hw = `{"tiles": ${'['.repeat(6000)}${']'.repeat(6000)}}`;
  fs.writeFileSync(path.join(dir, 'deep.axn'), src);
  fs.writeFileSync(path.join(dir, 'hw.json'), hw);
  const inputs = { 'deep.axn': sha(path.join(dir, 'deep.axn')), 'hw.json': sha(path.join(dir, 'hw.json')) };
  const at = lineColAt(src, src.indexOf('h1.w = ') + 'h1.w = '.length + MAX_WEIGHT_NESTING);
  expectFailure(
    t,
    runAxc(['compile', 'deep.axn', '-o', 'out.bin'], { cwd: dir }),
    [`deep.axn:${at}: error: weight lists nest at most 8 deep (a weight matrix needs 2); this '[' opens level 9 [AXN004]`],
    dir,
    inputs,
  );
  expectFailure(
    t,
    runAxc(['compile', example('sobel.axn'), '--npu', 'hw.json', '-o', 'out.bin'], { cwd: dir }),
    [`hw.json:1:${'{"tiles": '.length + MAX_JSON_DEPTH}: error: the hardware description nests arrays and objects more than 64 deep; this bracket opens level 65 [AXU708]`],
    dir,
    inputs,
  );
});

test('CLI: a 7 MB one-line .axn of junk fails fast with 20 errors and a stop note', (t) => {
  const dir = tempDir(t);
  fs.writeFileSync(path.join(dir, 'big.axn'), `model m {\n${'@a'.repeat(3_500_000)}\n}\n`);
  const inputs = { 'big.axn': sha(path.join(dir, 'big.axn')) };
  const start = performance.now();
  const r = runAxc(['compile', 'big.axn', '-o', 'out.bin'], { cwd: dir });
  const ms = performance.now() - start;
  const lines = Array.from({ length: 20 }, (_, i) => `big.axn:2:${2 * i + 1}: error: unexpected character '@' [AXN001]`);
  lines.push('big.axn:2:41: error: too many errors; axc stopped reading the file here, after the first 20 [AXN003]');
  expectFailure(t, r, lines, dir, inputs);
  t.true(ms < 30_000, `took ${ms} ms (it took 276 s before)`); // generous: CLI start-up on a loaded machine
});

test('CLI: 30 semantic errors print 20 and one "10 more errors" line', (t) => {
  const dir = tempDir(t);
  const name = (i: number) => String(i).padStart(2, '0');
  const layers = Array.from({ length: 30 }, (_, i) => `    l${name(i)} = dense(1, bogus${name(i)})\n`).join('');
  const src = `model m {\n  input 1\n  output 1\n  approximator {\n${layers}  }\n  weights seed 1\n}\n`;
  fs.writeFileSync(path.join(dir, 'many.axn'), src);
  const inputs = { 'many.axn': sha(path.join(dir, 'many.axn')) };
  const r = runAxc(['compile', 'many.axn', '-o', 'out.bin'], { cwd: dir });
  const lines = Array.from({ length: 20 }, (_, i) => `many.axn:${5 + i}:20: error: unknown activation 'bogus${name(i)}'; expected linear, relu, sigmoid or tanh [AXN102]`);
  lines.push('many.axn: error: 10 more errors like these not shown [AXU704]');
  expectFailure(t, r, lines, dir, inputs);
});
