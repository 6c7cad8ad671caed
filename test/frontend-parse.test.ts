// Tests of the .axn frontend's successful paths: IR contents, seeded and file weights, printModel round trips.

import test from 'ava';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseModel, loadModelFile } from '../frontend/parse-model.ts';
import { printModel } from '../frontend/print-model.ts';
import { writeWeightsFile } from '../frontend/weights-file.ts';
import { float32Text } from '../ir/float-text.ts';
import { formatDiagnostic } from '../diagnostics/diagnostic.ts';
import { predictorOutputWidth, type AxModel } from '../ir/model.ts';
import { SeededRandom } from '../ir/seeded-random.ts';

function parseOk(t: { fail(m: string): void }, src: string, file = 'test.axn', readFile?: (p: string) => string): AxModel {
  const r = parseModel(src, file, readFile ? { readFile } : {});
  if (!r.model || r.diagnostics.length > 0) {
    t.fail(`unexpected diagnostics:\n${r.diagnostics.map(formatDiagnostic).join('\n')}`);
    throw new Error('parse failed');
  }
  return r.model;
}

const f32 = (xs: number[]) => Float32Array.from(xs);

/** The IR without positions, typed arrays as arrays of float32 bit patterns (so -0, NaN payloads etc. count). */
function comparable(m: AxModel): unknown {
  return JSON.parse(
    JSON.stringify(m, (k, v) => {
      if (k === 'loc') return undefined;
      if (v instanceof Float32Array) return { f32bits: Array.from(new Uint32Array(v.buffer, v.byteOffset, v.length)) };
      return v;
    }),
  );
}

const FULL = `# two hidden layers, both controlled
model full {
  input 2
  output 1
  quality rel < 0.25

  approximator {
    h1 = dense(2, relu) controlled by c1   // first hidden
    h2 = dense(3, tanh) controlled by c2
    out = dense(1, linear)
  }

  predictor {
    p1 = dense(2, relu)
    split pout {
      c1 = control(2, linear)
      c2 = control(3, sigmoid)
      decision = sigmoid(threshold: 0.25)
    }
  }

  weights {
    h1.w = [[0.1, -0.2], [1.5e-3, -1.5e-3]]
    h1.b = [0.0, 0.1]
    h2.w = [0.5, -0.5, 1, 2, 3, 4]          # flat, row-major
    h2.b = [1e-3, -2, +3]
    out.w = [[0.3, 0.7, -0.9]]
    out.b = [0.05]
    p1.w = [[1, 0], [0, 1]]
    p1.b = [0, 0]
    pout.w = [
      [0.11, 0.12], [0.21, 0.22],
      [0.31, 0.32], [0.41, 0.42], [0.51, 0.52],
      [0.61, 0.62],
    ]
    pout.b = [1, 2, 3, 4, 5, 6]
  }
}
`;

test('full all-layer-control model with inline weights: every IR field', (t) => {
  const m = parseOk(t, FULL, 'full.axn');
  t.is(m.name, 'full');
  t.is(m.inputWidth, 2);
  t.is(m.outputWidth, 1);
  t.deepEqual(m.quality, { metric: 'rel', bound: 0.25 });
  t.is(m.sourceFile, 'full.axn');
  t.deepEqual(m.loc, { file: 'full.axn', line: 2, col: 1 });

  t.is(m.approximator.length, 3);
  const [h1, h2, out] = m.approximator;
  t.like(h1, { name: 'h1', inWidth: 2, width: 2, activation: 'relu', control: 'c1' });
  t.deepEqual(h1.loc, { file: 'full.axn', line: 8, col: 5 });
  t.deepEqual(h1.weights, f32([0.1, -0.2, 1.5e-3, -1.5e-3]));
  t.deepEqual(h1.bias, f32([0.0, 0.1]));
  t.like(h2, { name: 'h2', inWidth: 2, width: 3, activation: 'tanh', control: 'c2' });
  t.deepEqual(h2.weights, f32([0.5, -0.5, 1, 2, 3, 4]));
  t.deepEqual(h2.bias, f32([1e-3, -2, 3]));
  t.like(out, { name: 'out', inWidth: 3, width: 1, activation: 'linear', control: null });
  t.deepEqual(out.weights, f32([0.3, 0.7, -0.9]));
  t.deepEqual(out.bias, f32([0.05]));
  t.is(out.weights[0], Math.fround(0.3));

  const p = m.predictor!;
  t.truthy(p);
  t.is(p.hidden.length, 1);
  t.like(p.hidden[0], { name: 'p1', inWidth: 2, width: 2, activation: 'relu' });
  t.false('control' in p.hidden[0]);
  t.deepEqual(p.hidden[0].weights, f32([1, 0, 0, 1]));
  t.deepEqual(p.hidden[0].bias, f32([0, 0]));
  const o = p.output;
  t.is(o.name, 'pout');
  t.is(o.inWidth, 2);
  t.deepEqual(o.loc, { file: 'full.axn', line: 15, col: 11 });
  t.deepEqual(
    o.segments.map((s) => ({ name: s.name, width: s.width, activation: s.activation, line: s.loc?.line })),
    [
      { name: 'c1', width: 2, activation: 'linear', line: 16 },
      { name: 'c2', width: 3, activation: 'sigmoid', line: 17 },
    ],
  );
  t.deepEqual(o.decision, { kind: 'sigmoid', threshold: 0.25, loc: { file: 'full.axn', line: 18, col: 7 } });
  t.is(predictorOutputWidth(o), 6);
  t.deepEqual(o.weights, f32([0.11, 0.12, 0.21, 0.22, 0.31, 0.32, 0.41, 0.42, 0.51, 0.52, 0.61, 0.62]));
  t.deepEqual(o.bias, f32([1, 2, 3, 4, 5, 6]));
});

const SINGLE = (decision: string) => `model single {
  input 4
  output 2
  approximator {
    h1 = dense(5, relu)
    h2 = dense(3, relu) controlled by ctl
    y = dense(2, linear)
  }
  predictor {
    split pout {
      ctl = control(3, linear)
      decision = ${decision}
    }
  }
  weights seed 3
}`;

test('single-control model: predictor output is L2 + 1 (sigmoid) or L2 + 2 (softmax)', (t) => {
  const sig = parseOk(t, SINGLE('sigmoid()'));
  t.deepEqual(
    sig.approximator.map((l) => l.control),
    [null, 'ctl', null],
  );
  t.is(sig.predictor!.hidden.length, 0);
  t.is(sig.predictor!.output.inWidth, 4, 'split with no hidden layers takes the input');
  t.is(predictorOutputWidth(sig.predictor!.output), 4);
  t.is(sig.predictor!.output.bias.length, 4);
  t.is(sig.predictor!.output.weights.length, 4 * 4);
  t.deepEqual(sig.predictor!.output.decision, { kind: 'sigmoid', threshold: 0.5, loc: sig.predictor!.output.decision.loc });

  const soft = parseOk(t, SINGLE('softmax(safe: 0)'));
  t.is(predictorOutputWidth(soft.predictor!.output), 5);
  t.is(soft.predictor!.output.bias.length, 5);
  t.is(soft.predictor!.output.weights.length, 5 * 4);
  t.like(soft.predictor!.output.decision, { kind: 'softmax', safeIndex: 0, threshold: 0.5 });

  const dflt = parseOk(t, SINGLE('softmax'));
  t.like(dflt.predictor!.output.decision, { kind: 'softmax', safeIndex: 1, threshold: 0.5 });

  // A softmax threshold, in either argument order; print-model shows it only when it is not 0.5.
  const thr = parseOk(t, SINGLE('softmax(threshold: 0.7, safe: 0)'));
  t.like(thr.predictor!.output.decision, { kind: 'softmax', safeIndex: 0, threshold: 0.7 });
  t.regex(printModel(thr), /decision = softmax\(safe: 0, threshold: 0\.7\)\n/);
  t.regex(printModel(soft), /decision = softmax\(safe: 0\)\n/);
});

const PLAIN = `model plain {
  approximator {
    hidden = dense(2, sigmoid)
    result = dense(1, linear)
  }
  weights {
    result.b = [-0.5]
    result.w = [2, -2]
    hidden.b = [0, 1]
    hidden.w = [[1, 2, 3], [4, 5, 6]]
  }
  output 1
  input 3
}`;

test('no-predictor model, statements in any order', (t) => {
  const m = parseOk(t, PLAIN);
  t.is(m.predictor, null);
  t.is(m.quality, null);
  t.is(m.inputWidth, 3);
  t.deepEqual(
    m.approximator.map((l) => [l.name, l.inWidth, l.width, l.activation, l.control]),
    [
      ['hidden', 3, 2, 'sigmoid', null],
      ['result', 2, 1, 'linear', null],
    ],
  );
  t.deepEqual(m.approximator[0].weights, f32([1, 2, 3, 4, 5, 6]));
  t.deepEqual(m.approximator[1].bias, f32([-0.5]));
});

test('weights seed: same seed gives identical arrays, a different seed does not; fixed layer order', (t) => {
  const src = (seed: number) => FULL.replace(/weights \{[\s\S]*\}\n\}/, `weights seed ${seed}\n}`);
  const a = parseOk(t, src(7));
  const b = parseOk(t, src(7));
  const c = parseOk(t, src(8));
  t.deepEqual(comparable(a), comparable(b));
  t.notDeepEqual(a.approximator[0].weights, c.approximator[0].weights);
  t.notDeepEqual(a.predictor!.output.weights, c.predictor!.output.weights);

  // Glorot-uniform by its definition: weights within ±sqrt(6 / (fan-in + fan-out)), biases within ±0.1.
  // The limits, by hand: h1 2→2 and p1 2→2 sqrt(6/4); h2 2→3 sqrt(6/5); out 3→1 sqrt(6/4); pout 2→6 sqrt(6/8).
  const limits: [string, Float32Array, number][] = [
    ['h1', a.approximator[0].weights, 1.2247448713915890],
    ['h2', a.approximator[1].weights, 1.0954451150103321],
    ['out', a.approximator[2].weights, 1.2247448713915890],
    ['p1', a.predictor!.hidden[0].weights, 1.2247448713915890],
    ['pout', a.predictor!.output.weights, 0.8660254037844386],
  ];
  for (const [name, w, limit] of limits) {
    t.true(w.every((v) => Math.abs(v) <= limit), `${name} within ±${limit}`);
    t.true(new Set(w).size === w.length, `${name}: no repeated draws`);
  }
  const all = limits.flatMap(([, w, limit]) => Array.from(w, (v) => v / limit));
  t.true(Math.max(...all) > 0.3 && Math.min(...all) < -0.3, 'the draws spread over the range, both signs');
  for (const l of [...a.approximator, ...a.predictor!.hidden]) t.true(l.bias.every((v) => Math.abs(v) <= 0.1), `${l.name} bias`);
  t.true(a.predictor!.output.bias.every((v) => Math.abs(v) <= 0.1));
  // The documented order: one generator, approximator layers first, so h1's first weight is the first draw,
  // uniform in [-limit, limit): -limit + 2 limit u for the generator's first u.
  const u = new SeededRandom(7).next();
  t.is(a.approximator[0].weights[0], Math.fround(-1.2247448713915890 + 2 * 1.2247448713915890 * u));
  // Widening the predictor changes only what is drawn after it (the split), never the approximator drawn before.
  const wider = parseOk(t, src(7).replace('p1 = dense(2, relu)', 'p1 = dense(3, relu)'));
  for (const [i, l] of a.approximator.entries()) t.deepEqual(wider.approximator[i].weights, l.weights, l.name);
  t.notDeepEqual(Array.from(wider.predictor!.output.weights.slice(0, 2)), Array.from(a.predictor!.output.weights.slice(0, 2)));
});

test('weights file: resolved relative to the .axn file, same IR as inline', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'axn-'));
  try {
    const seeded = parseOk(t, SINGLE('softmax(safe: 1)'));
    fs.mkdirSync(path.join(dir, 'w'));
    fs.writeFileSync(path.join(dir, 'w', 'single.weights.json'), writeWeightsFile(seeded));
    const axnPath = path.join(dir, 'single.axn');
    fs.writeFileSync(axnPath, SINGLE('softmax(safe: 1)').replace('weights seed 3', 'weights "w/single.weights.json"'));
    const r = loadModelFile(axnPath);
    t.deepEqual(r.diagnostics.map(formatDiagnostic), []);
    t.truthy(r.model);
    t.is(r.model!.sourceFile, axnPath);
    const strip = (m: AxModel) => ({ ...(comparable(m) as object), sourceFile: undefined });
    t.deepEqual(strip(r.model!), strip(seeded));

    // parseModel with an injected reader gets the path joined to the model's directory.
    const seen: string[] = [];
    const r2 = parseModel(SINGLE('softmax(safe: 1)').replace('weights seed 3', 'weights "x.json"'), path.join('models', 'm.axn'), {
      readFile: (p) => {
        seen.push(p);
        return writeWeightsFile(seeded);
      },
    });
    t.deepEqual(seen, [path.join('models', 'x.json')]);
    t.deepEqual(r2.diagnostics, []);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('float32Text is the shortest decimal that rounds back to the same float32', (t) => {
  t.is(float32Text(Math.fround(0.1)), '0.1');
  t.is(float32Text(1), '1');
  t.is(float32Text(-0), '-0');
  t.is(float32Text(Math.fround(1 / 3)), '0.33333334');
  const vals = [Math.fround(Math.PI), 1.401298464324817e-45, 3.4028234663852886e38, Math.fround(-123.456e-20)];
  for (const v of vals) {
    const s = float32Text(v);
    t.is(Math.fround(Number(s)), v, s);
    if (s.replace(/[-.]|e.*$/g, '').length > 1) {
      const shorter = Number(v.toPrecision(s.replace(/[-.]|e.*$/g, '').replace(/^0+/, '').length - 1));
      t.not(Math.fround(shorter), v, `${s} is not the shortest`);
    }
  }
});

test('printModel round trip reproduces the IR exactly', (t) => {
  const odd = parseOk(
    t,
    `model odd {
  input 1
  output 1
  approximator { out = dense(1, linear) }
  weights { out.w = [-0] out.b = [1e-45] }
}`,
  );
  t.true(Object.is(odd.approximator[0].weights[0], -0));
  const models = [
    parseOk(t, FULL, 'rt.axn'),
    parseOk(t, FULL.replace(/weights \{[\s\S]*\}\n\}/, 'weights seed 99\n}'), 'rt.axn'),
    parseOk(t, SINGLE('softmax(safe: 0)'), 'rt.axn'),
    parseOk(t, SINGLE('softmax(safe: 1, threshold: 0.1234567890123)'), 'rt.axn'),
    parseOk(t, SINGLE('sigmoid(threshold: 0.1234567890123)'), 'rt.axn'),
    parseOk(t, PLAIN, 'rt.axn'),
    odd,
  ];
  for (const m of models) {
    const text = printModel(m);
    const back = parseOk(t, text, m.sourceFile);
    t.deepEqual(comparable(back), comparable(m), text);
  }
  // Without inline weights the printer names a weights file, which the written weights satisfy.
  const m = models[1];
  const text = printModel(m, { inlineWeights: false });
  t.regex(text, /weights "full\.weights\.json"/);
  const back = parseOk(t, text, 'rt.axn', (p) => {
    t.is(p, 'full.weights.json');
    return writeWeightsFile(m);
  });
  t.deepEqual(comparable(back), comparable(m));
});
