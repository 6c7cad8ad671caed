// Tests of the .axn frontend's diagnostics: one per catalog code it emits, each at an exact line:col,
// plus syntax-error recovery and the printed `file:line:col: error: ... [CODE]` form.

import test, { type ExecutionContext } from 'ava';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseModel, loadModelFile } from '../frontend/parse-model.ts';
import { formatDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.ts';
import { DIAG } from '../diagnostics/catalog.ts';
import { printModel } from '../frontend/print-model.ts';

const BASE = `model m {
  input 2
  output 1
  quality abs < 0.5
  approximator {
    h1 = dense(3, relu) controlled by c1
    out = dense(1, linear)
  }
  predictor {
    p1 = dense(2, relu)
    split pout {
      c1 = control(3, linear)
      decision = sigmoid(threshold: 0.5)
    }
  }
  weights seed 1
}`;

const INLINE = `model m {
  input 2
  output 1
  approximator {
    h1 = dense(2, relu)
    out = dense(1, linear)
  }
  weights {
    h1.w = [[1, 2], [3, 4]]
    h1.b = [0, 0]
    out.w = [1, 1]
    out.b = [0]
  }
}`;

function edit(src: string, from: string, to: string): string {
  if (!src.includes(from)) throw new Error(`test bug: '${from}' not in source`);
  return src.replace(from, to);
}

/** 1-based line:col of the nth occurrence of `needle` (plus `shift` columns). */
function at(src: string, needle: string, nth = 0, shift = 0): string {
  let off = -1;
  for (let i = 0; i <= nth; i++) {
    off = src.indexOf(needle, off + 1);
    if (off < 0) throw new Error(`test bug: occurrence ${nth} of '${needle}' not found`);
  }
  const before = src.slice(0, off);
  const line = before.split('\n').length;
  const col = off - before.lastIndexOf('\n') + shift;
  return `${line}:${col}`;
}

function where(d: Diagnostic): string {
  return d.loc ? `${d.loc.line}:${d.loc.col}` : '-';
}

/** Parses `src`, which must fail with a diagnostic `code` at `pos`; returns that diagnostic. */
function expectDiag(t: ExecutionContext, src: string, code: string, pos: string, readFile?: (p: string) => string): Diagnostic {
  const r = parseModel(src, 'm.axn', readFile ? { readFile } : {});
  t.is(r.model, null);
  const found = r.diagnostics.filter((d) => d.code === code);
  const shown = r.diagnostics.map(formatDiagnostic).join('\n');
  t.true(found.length > 0, `no ${code} among:\n${shown}`);
  t.is(found.length > 0 ? where(found[0]) : '', pos, shown);
  t.is(found[0]?.loc?.file, 'm.axn');
  return found[0];
}

test('the base sources are valid', (t) => {
  for (const src of [BASE, INLINE]) t.deepEqual(parseModel(src, 'm.axn').diagnostics, []);
});

test('AXN001 unexpected character', (t) => {
  const src = edit(BASE, 'input 2', 'input 2 @');
  const d = expectDiag(t, src, DIAG.unexpectedCharacter.code, at(src, '@'));
  t.is(d.message, "unexpected character '@'");
});

test('AXN002 syntax error says what was expected and what was found', (t) => {
  const src = edit(BASE, 'h1 = dense(3, relu)', 'h1 dense(3, relu)');
  const d = expectDiag(t, src, DIAG.syntax.code, at(src, 'dense(3'));
  t.regex(d.message, /expected '=' after 'h1'/);
  t.regex(d.message, /found 'dense'/);
  const src2 = edit(BASE, 'dense(1, linear)', 'dense(1 linear)');
  const d2 = expectDiag(t, src2, DIAG.syntax.code, at(src2, 'linear)'));
  t.regex(d2.message, /expected ',' after '1'.*found 'linear'/);
});

test('AXN002 at end of file', (t) => {
  const src = 'model m {\n  input 2\n';
  const d = expectDiag(t, src, DIAG.syntax.code, '2:10');
  t.regex(d.message, /expected .*'}'.*found end of file/);
});

test('AXN002 activation is a name, but a keyword is not', (t) => {
  const src = edit(BASE, 'dense(3, relu)', 'dense(3, model)');
  expectDiag(t, src, DIAG.syntax.code, at(src, 'model)'));
});

test('AXN101 duplicate name across subnets', (t) => {
  const src = edit(BASE, 'p1 = dense', 'h1 = dense');
  const d = expectDiag(t, src, DIAG.duplicateName.code, at(src, 'h1', 1));
  t.is(d.message, "'h1' is already declared (line 6)");
});

test('AXN102 unknown activation at the identifier', (t) => {
  const src = edit(BASE, 'dense(1, linear)', 'dense(1, gelu)');
  expectDiag(t, src, DIAG.unknownActivation.code, at(src, 'gelu'));
});

test('AXN103 non-positive and non-integer widths', (t) => {
  const src = edit(BASE, 'dense(3, relu)', 'dense(0, relu)');
  expectDiag(t, src, DIAG.nonPositiveWidth.code, at(src, '0, relu'));
  const src2 = edit(BASE, 'input 2', 'input 2.5');
  expectDiag(t, src2, DIAG.nonPositiveWidth.code, at(src2, '2.5'));
});

test('AXN104 width too large, and width × fan-in too large', (t) => {
  const src = edit(BASE, 'dense(3, relu)', 'dense(70000, relu)');
  expectDiag(t, src, DIAG.widthTooLarge.code, at(src, '70000'));
  const src2 = edit(edit(BASE, 'input 2', 'input 65535'), 'p1 = dense(2, relu)', 'p1 = dense(2000, relu)');
  const d = expectDiag(t, src2, DIAG.widthTooLarge.code, at(src2, '2000'));
  t.regex(d.message, /p1/);
});

test('AXN105 undefined control', (t) => {
  const src = edit(BASE, 'controlled by c1', 'controlled by c9');
  expectDiag(t, src, DIAG.undefinedControl.code, at(src, 'c9'));
});

test('AXN106 control used by two layers', (t) => {
  const src = edit(BASE, '    out = dense(1, linear)', '    h2 = dense(3, relu) controlled by c1\n    out = dense(1, linear)');
  const d = expectDiag(t, src, DIAG.controlUsedTwice.code, at(src, 'c1', 1));
  t.regex(d.message, /already controls layer 'h1'/);
});

test('AXN107 control width mismatch', (t) => {
  const src = edit(BASE, 'control(3, linear)', 'control(4, linear)');
  expectDiag(t, src, DIAG.controlWidthMismatch.code, at(src, 'c1'));
});

test('AXN108 unused control', (t) => {
  const src = edit(BASE, '      decision', '      c2 = control(2, linear)\n      decision');
  expectDiag(t, src, DIAG.unusedControl.code, at(src, 'c2'));
});

test('AXN109 missing decision', (t) => {
  const src = edit(BASE, '      decision = sigmoid(threshold: 0.5)\n', '');
  expectDiag(t, src, DIAG.missingDecision.code, at(src, 'pout'));
});

test('AXN110 controlled output layer', (t) => {
  const src = edit(edit(BASE, 'relu) controlled by c1', 'relu)'), 'dense(1, linear)', 'dense(1, linear) controlled by c1');
  expectDiag(t, src, DIAG.controlledOutputLayer.code, at(src, 'controlled'));
});

test('AXN111 output width mismatch', (t) => {
  const src = edit(BASE, 'dense(1, linear)', 'dense(2, linear)');
  expectDiag(t, src, DIAG.outputWidthMismatch.code, at(src, '2, linear'));
});

test('AXN112 empty approximator', (t) => {
  const src = edit(BASE, '    h1 = dense(3, relu) controlled by c1\n    out = dense(1, linear)\n', '');
  expectDiag(t, src, DIAG.emptySubnet.code, at(src, 'approximator'));
});

test('AXN113 missing input', (t) => {
  const src = edit(BASE, '  input 2\n', '');
  const d = expectDiag(t, src, DIAG.missingDeclaration.code, '1:1');
  t.regex(d.message, /'input'/);
});

test('AXN114 duplicate declaration', (t) => {
  const src = edit(BASE, '  output 1\n', '  output 1\n  output 1\n');
  expectDiag(t, src, DIAG.duplicateDeclaration.code, at(src, 'output', 1));
  const src2 = edit(BASE, '      decision = sigmoid(threshold: 0.5)\n', '      decision = sigmoid(threshold: 0.5)\n      decision = softmax(safe: 1)\n');
  expectDiag(t, src2, DIAG.duplicateDeclaration.code, at(src2, 'decision', 1));
});

test('AXN115 bad threshold, for either decision kind', (t) => {
  const src = edit(BASE, 'threshold: 0.5', 'threshold: 1.5');
  expectDiag(t, src, DIAG.badThreshold.code, at(src, '1.5'));
  const soft = edit(BASE, 'sigmoid(threshold: 0.5)', 'softmax(safe: 1, threshold: 0)');
  expectDiag(t, soft, DIAG.badThreshold.code, at(soft, '0)'));
});

test('AXN116 bad bound', (t) => {
  const src = edit(BASE, '< 0.5', '< -0.5');
  expectDiag(t, src, DIAG.badBound.code, at(src, '-0.5'));
});

test('AXN117 bad safe index', (t) => {
  const src = edit(BASE, 'sigmoid(threshold: 0.5)', 'softmax(safe: 2)');
  expectDiag(t, src, DIAG.badSafeIndex.code, at(src, '2)'));
});

test('AXN118 unknown metric', (t) => {
  const src = edit(BASE, 'quality abs', 'quality l2');
  expectDiag(t, src, DIAG.unknownMetric.code, at(src, 'l2'));
});

test('AXN119 bad argument: seed, decision argument name, weight field', (t) => {
  const src = edit(BASE, 'seed 1', 'seed 1.5');
  expectDiag(t, src, DIAG.badWeightsSeed.code, at(src, '1.5'));
  const src2 = edit(BASE, 'threshold: 0.5', 'safe: 0');
  expectDiag(t, src2, DIAG.unknownDecisionArgument.code, at(src2, 'safe'));
  const src3 = edit(INLINE, 'out.b', 'out.bias');
  expectDiag(t, src3, DIAG.unknownWeightField.code, at(src3, 'bias'));
  const src4 = edit(BASE, 'sigmoid(threshold: 0.5)', 'softmax(safe: 1, bound: 0.5)');
  const d = expectDiag(t, src4, DIAG.unknownDecisionArgument.code, at(src4, 'bound'));
  t.regex(d.message, /its arguments are 'safe' and 'threshold'/);
});

test('AXN120 missing weights for a layer', (t) => {
  const src = edit(INLINE, '    out.b = [0]\n', '');
  const d = expectDiag(t, src, DIAG.missingWeights.code, at(src, 'out.w'));
  t.regex(d.message, /bias/);
  const src2 = edit(edit(INLINE, '    out.b = [0]\n', ''), '    out.w = [1, 1]\n', '');
  expectDiag(t, src2, DIAG.missingWeights.code, at(src2, 'weights'));
});

test('AXN121 wrong weight count (flat list and bias)', (t) => {
  const src = edit(INLINE, 'out.w = [1, 1]', 'out.w = [1, 1, 1]');
  const d = expectDiag(t, src, DIAG.weightCount.code, at(src, '[1, 1, 1]'));
  t.is(d.message, "layer 'out' weights needs 2 values, got 3");
  const src2 = edit(INLINE, 'h1.b = [0, 0]', 'h1.b = [0]');
  expectDiag(t, src2, DIAG.weightCount.code, at(src2, '[0]'));
});

test('AXN122 wrong shape: a nested row of the wrong length, wrong row count', (t) => {
  const src = edit(INLINE, '[[1, 2], [3, 4]]', '[[1, 2], [3, 4, 5]]');
  expectDiag(t, src, DIAG.weightShape.code, at(src, '[3, 4, 5]'));
  const src2 = edit(INLINE, '[[1, 2], [3, 4]]', '[[1, 2]]');
  expectDiag(t, src2, DIAG.weightShape.code, at(src2, '[[1, 2]]'));
});

test('AXN123 weights for an unknown layer', (t) => {
  const src = edit(INLINE, '    out.b = [0]\n', '    out.b = [0]\n    zz.w = [1]\n');
  expectDiag(t, src, DIAG.unknownWeightLayer.code, at(src, 'zz'));
});

test('AXN124 weight that is not a finite float32', (t) => {
  const src = edit(INLINE, 'out.w = [1, 1]', 'out.w = [1, 1e39]');
  const d = expectDiag(t, src, DIAG.weightNotFloat32.code, at(src, '1e39'));
  t.regex(d.message, /1e39/);
});

test('AXN125 unreadable weights file, at the weights statement', (t) => {
  const src = edit(BASE, 'weights seed 1', 'weights "nope.json"');
  const d = expectDiag(t, src, DIAG.weightsFileUnreadable.code, at(src, 'weights'), () => {
    throw Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT' });
  });
  t.regex(d.message, /nope\.json/);
});

test('AXN126 malformed weights file, at the JSON value (file:line:col)', (t) => {
  const src = edit(INLINE, /weights \{[\s\S]*\}\n\}/.exec(INLINE)![0], 'weights "m.weights.json"\n}');
  const json = '{\n  "format": "axc-weights",\n  "version": 2,\n  "layers": {}\n}\n';
  const r = parseModel(src, 'm.axn', { readFile: () => json });
  const d = r.diagnostics.find((x) => x.code === DIAG.weightsFileVersion.code);
  t.truthy(d, r.diagnostics.map(formatDiagnostic).join('\n'));
  t.deepEqual(d?.loc, { file: 'm.weights.json', line: 3, col: 14 });

  const bad = '{\n  "format": "axc-weights", "version": 1,\n  "layers": { "h1": { "w": [[1, 2], [3, "x"]] } }\n}';
  const r2 = parseModel(src, 'm.axn', { readFile: () => bad });
  t.deepEqual(
    r2.diagnostics.filter((x) => x.code === DIAG.weightsFileNotNumber.code).map((x) => x.loc),
    [{ file: 'm.weights.json', line: 3, col: 41 }],
  );

  const syntax = '{\n  "format": "axc-weights",\n  "version": 1,,\n}';
  const r3 = parseModel(src, 'm.axn', { readFile: () => syntax });
  t.is(r3.diagnostics[0]?.code, DIAG.weightsFileSyntax.code);
  t.deepEqual(r3.diagnostics[0]?.loc, { file: 'm.weights.json', line: 3, col: 16 });
});

test('weights file: count and shape errors point into the JSON file', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'axn-diag-'));
  try {
    const axn = path.join(dir, 'm.axn');
    fs.writeFileSync(axn, edit(INLINE, /weights \{[\s\S]*\}\n\}/.exec(INLINE)![0], 'weights "m.json"\n}'));
    const json = [
      '{ "format": "axc-weights", "version": 1, "layers": {',
      '  "h1": { "w": [[1, 2], [3]], "b": [0, 0] },',
      '  "out": { "w": [1, 1, 1], "b": [1e39] },',
      '  "ghost": { "w": [1], "b": [1] }',
      '} }',
    ].join('\n');
    fs.writeFileSync(path.join(dir, 'm.json'), json);
    const r = loadModelFile(axn);
    const got = r.diagnostics.map((d) => `${d.code}@${path.basename(d.loc!.file)}:${d.loc!.line}:${d.loc!.col}`).sort();
    t.deepEqual(got, ['AXN121@m.json:3:17', 'AXN122@m.json:2:25', 'AXN123@m.json:4:3', 'AXN124@m.json:3:34'].sort());
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('AXN127 missing weights declaration', (t) => {
  const src = edit(BASE, '  weights seed 1\n', '');
  expectDiag(t, src, DIAG.weightsMissing.code, '1:1');
});

test('AXN128 controlled by in the predictor', (t) => {
  const src = edit(BASE, 'p1 = dense(2, relu)', 'p1 = dense(2, relu) controlled by c1');
  expectDiag(t, src, DIAG.controlInPredictor.code, at(src, 'controlled', 1));
});

test('AXN129 decision not last in the split', (t) => {
  const src = edit(BASE, '      c1 = control(3, linear)\n      decision = sigmoid(threshold: 0.5)', '      decision = sigmoid(threshold: 0.5)\n      c1 = control(3, linear)');
  const d = expectDiag(t, src, DIAG.decisionNotLast.code, at(src, 'decision'));
  t.regex(d.message, /after 'c1'/);
});

test('AXN130 unknown decision kind', (t) => {
  const src = edit(BASE, 'sigmoid(threshold: 0.5)', 'argmax(threshold: 0.5)');
  expectDiag(t, src, DIAG.unknownDecision.code, at(src, 'argmax'));
});

test('AXN131 predictor without a split', (t) => {
  const src = edit(edit(BASE, /    split pout \{[\s\S]*?\n    \}\n/.exec(BASE)![0], ''), ' controlled by c1', '');
  expectDiag(t, src, DIAG.missingSplit.code, at(src, 'predictor'));
});

test('AXU701 loadModelFile on a missing file', (t) => {
  const p = path.join(os.tmpdir(), 'axn-definitely-missing', 'x.axn');
  const r = loadModelFile(p);
  t.is(r.model, null);
  t.is(r.diagnostics.length, 1);
  t.is(r.diagnostics[0].code, DIAG.fileUnreadable.code);
  t.is(r.diagnostics[0].message, `cannot read '${p}': no such file or directory`);
});

test('several independent semantic errors are all reported in one run', (t) => {
  let src = edit(BASE, 'dense(1, linear)', 'dense(1, gelu)');
  src = edit(src, 'quality abs', 'quality l2');
  src = edit(src, 'threshold: 0.5', 'threshold: 0');
  const codes = parseModel(src, 'm.axn').diagnostics.map((d) => d.code).sort();
  t.deepEqual(codes, ['AXN102', 'AXN115', 'AXN118']);
});

test('recovery: three separate syntax errors give at least three diagnostics', (t) => {
  const src = `model m {
  input = 2
  output 1
  approximator {
    h1 = dense(3 relu)
    out = dense(1, linear)
  }
  predictor {
    split pout {
      decision sigmoid(threshold: 0.5)
    }
  }
  weights seed 1
}`;
  const ds = parseModel(src, 'm.axn').diagnostics;
  t.true(ds.length >= 3, ds.map(formatDiagnostic).join('\n'));
  t.true(ds.every((d) => d.code === DIAG.syntax.code));
  t.deepEqual(ds.slice(0, 3).map(where), ['2:9', '5:18', at(src, 'sigmoid')]);
});

test('formatted output is file:line:col: error: message [CODE]', (t) => {
  const src = edit(BASE, 'dense(1, linear)', 'dense(1, gelu)');
  const r = parseModel(src, 'models/m.axn');
  t.deepEqual(r.diagnostics.map(formatDiagnostic), [
    `models/m.axn:${at(src, 'gelu')}: error: unknown activation 'gelu'; expected linear, relu, sigmoid or tanh [AXN102]`,
  ]);
});

test('bad input never throws', (t) => {
  const inputs = ['', '}', 'model', 'model m { weights { a.w = [[[1]]] } }', '\u0000\u0001', 'model m { input 1e400 output -0 }', '"'];
  for (const s of inputs) {
    const r = t.notThrows(() => parseModel(s, 'x.axn'));
    void r;
    const res = parseModel(s, 'x.axn');
    t.is(res.model, null, JSON.stringify(s));
    t.true(res.diagnostics.length > 0);
  }
});

// ---- the CPU fallback: benchmark and cpu declarations

test('AXD901 unknown benchmark, at its name', (t) => {
  const src = edit(BASE, 'quality abs < 0.5', 'quality abs < 0.5\n  benchmark sobol');
  const d = expectDiag(t, src, DIAG.unknownBenchmark.code, at(src, 'sobol'));
  t.regex(d.message, /^unknown benchmark 'sobol'; known benchmarks: sobel, inversek2j, /);
  t.falsy(d.usage, 'a name read from a file is bad input (exit 1), not a usage error as on the command line');
});

test('AXN133 a benchmark whose widths differ from the model', (t) => {
  const src = edit(BASE, 'quality abs < 0.5', 'quality abs < 0.5\n  benchmark sobel');
  const d = expectDiag(t, src, DIAG.benchmarkWidth.code, at(src, 'sobel'));
  t.is(d.message, "benchmark 'sobel' maps 9 inputs to 1 outputs, but the model maps 2 to 1");
});

test('AXN134 cpu cycles must be a positive whole number', (t) => {
  for (const bad of ['0', '2.5', '-3', '2e9']) {
    const src = edit(BASE, 'quality abs < 0.5', `quality abs < 0.5\n  cpu ${bad} cycles`);
    expectDiag(t, src, DIAG.badCpuCycles.code, at(src, `cpu ${bad}`, 0, 4));
  }
});

test('benchmark and cpu declarations reach the IR, print back, and are declared at most once', (t) => {
  const src = edit(BASE, 'input 2\n  output 1', 'input 2\n  output 2\n  benchmark inversek2j\n  cpu 700 cycles').replace('out = dense(1, linear)', 'out = dense(2, linear)');
  const r = parseModel(src, 'm.axn');
  t.deepEqual(r.diagnostics, []);
  t.is(r.model?.benchmark, 'inversek2j');
  t.is(r.model?.cpuCycles, 700);
  const again = parseModel(printModel(r.model!), 'm.axn');
  t.is(again.model?.benchmark, 'inversek2j');
  t.is(again.model?.cpuCycles, 700);
  const twice = edit(src, 'cpu 700 cycles', 'cpu 700 cycles\n  cpu 5 cycles');
  expectDiag(t, twice, DIAG.duplicateDeclaration.code, at(twice, 'cpu 5'));
});

test('AXN115 a threshold that rounds to 0 or 1 as a float32 is refused', (t) => {
  for (const thr of ['0.99999999999', '1e-50']) {
    const src = edit(BASE, 'sigmoid(threshold: 0.5)', `sigmoid(threshold: ${thr})`);
    expectDiag(t, src, DIAG.badThreshold.code, at(src, thr));
  }
});
