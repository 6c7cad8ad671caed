// Golden tests: each example's disassembly (and sobel's IR after every pass) against checked-in text.
// Regenerate with `npm run golden:update` (AXC_UPDATE_GOLDEN=1): it rewrites the files that differ and
// fails naming them, for review as a diff; with nothing to rewrite it passes.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import test from 'ava';
import { compileModel, PASSES, type CompileOptions } from '../compiler/pipeline.ts';
import { AxcError } from '../diagnostics/diagnostic.ts';
import { loadModelFile, parseModel } from '../frontend/parse-model.ts';
import { HardwareSchema } from '../hardware/description.ts';
import { disassemble } from '../isa/disassemble.ts';

const UPDATE = process.env.AXC_UPDATE_GOLDEN === '1';
const SMALL = HardwareSchema.parse({ name: 'golden-small', tiles: 2, pesPerTile: 4, weightBufferWords: 80 });

/** A sample file's rows (the examples' are plain comma-separated numbers). */
function rowsOf(file: string): Float32Array[] {
  return readFileSync(file, 'utf8').trim().split('\n').map((l) => Float32Array.from(l.split(/[\s,]+/), Number));
}

function load(name: string, edit?: (source: string) => string) {
  // Relative path, so the source-line comments in the golden files do not depend on the checkout's location.
  const file = `examples/${name}.axn`;
  const { model, diagnostics } = edit ? parseModel(edit(readFileSync(file, 'utf8')), file) : loadModelFile(file);
  if (!model) throw new AxcError(diagnostics);
  return model;
}

/** The trained examples are relu and linear throughout, as the trainer makes them; this keeps tanh and sigmoid neurons golden. */
function tanhAndSigmoid(source: string): string {
  const out = source.replace(/dense\((\d+), relu\) controlled by/, 'dense($1, tanh) controlled by').replace(/control\((\d+), linear\)/, 'control($1, sigmoid)');
  if (!out.includes('tanh) controlled') || !out.includes(', sigmoid)\n')) throw new Error('inversek2j.axn no longer has a gated relu layer and a linear control segment to rewrite');
  return out;
}

/**
 * Compares with the checked-in file. In update mode a file that differs (or is missing) is rewritten and
 * the test fails, naming it: an update is something to review, never a pass, so a stray
 * AXC_UPDATE_GOLDEN in the environment cannot quietly turn every golden test green.
 */
function checkGolden(t: { is: (a: string, b: string, m?: string) => void; fail: (m: string) => void; pass: () => void }, file: string, actual: string) {
  const url = new URL(`golden/${file}`, import.meta.url);
  const expected = existsSync(url) ? readFileSync(url, 'utf8') : null;
  if (UPDATE) {
    if (expected === actual) return t.pass();
    writeFileSync(url, actual);
    return t.fail(`rewrote test/golden/${file}${expected === null ? ' (it was missing)' : ''}: review the diff (git diff test/golden), then run the tests without AXC_UPDATE_GOLDEN`);
  }
  if (expected === null) return t.fail(`test/golden/${file} is missing; run npm run golden:update and review it`);
  t.is(actual, expected, `test/golden/${file} differs; if the change is intended, run npm run golden:update and review the diff`);
}

const CASES: { name: string; golden: string; opts?: CompileOptions; edit?: (source: string) => string }[] = [
  { name: 'sobel', golden: 'sobel.s' },
  { name: 'inversek2j', golden: 'inversek2j.s' },
  { name: 'inversek2j', golden: 'inversek2j-tanh-sigmoid.s', edit: tanhAndSigmoid },
  { name: 'jpeg', golden: 'jpeg.s' },
  { name: 'single-control', golden: 'single-control.s' },
  { name: 'tiny', golden: 'tiny.s' },
  // One sample at a time: the program before batches existed, byte for byte.
  { name: 'jpeg', golden: 'jpeg-dynamic-small.s', opts: { hardware: SMALL, schedule: 'dynamic', batch: 1 } },
  // A batch of two, small enough to review: each weight load serves both samples, each sample's code is guarded.
  { name: 'jpeg', golden: 'jpeg-dynamic-small-batch2.s', opts: { hardware: SMALL, schedule: 'dynamic', batch: 2 } },
  // Outside fp32: each neuron op names its layer's formats (q1 ...), and the header says what they are.
  { name: 'sobel', golden: 'sobel-fixed16.8.s', opts: { hardware: HardwareSchema.parse({ datapath: 'fixed16.8' }) } },
  // int8 packs four weights to a word, so the small NPU's 80-word weight buffers hold whole neurons of jpeg.
  { name: 'jpeg', golden: 'jpeg-int8-small.s', opts: { hardware: HardwareSchema.parse({ ...SMALL, datapath: 'int8' }), schedule: 'dynamic', batch: 1, calibration: rowsOf('examples/jpeg.x') } },
];

for (const c of CASES) {
  test(`disassembly of ${c.golden}`, (t) => {
    checkGolden(t, c.golden, disassemble(compileModel(load(c.name, c.edit), c.opts)));
  });
}

test('sobel IR after every pass', (t) => {
  const model = load('sobel');
  const parts = PASSES.map((p) => {
    let text = '';
    compileModel(model, { dumpAfter: p.name, onDump: (_, s) => (text = s) });
    return `=== after ${p.name} ===\n${text}`;
  });
  checkGolden(t, 'sobel.passes.txt', parts.join('\n'));
});
