// Pins the numerical definition shared by interpreter and simulator: float32 rounding at every step
// and left-to-right summation, with the bias added last. Cases are chosen so other orders differ.

import test from 'ava';
import fc from 'fast-check';
import { fnv1a } from '../ir/fnv1a.ts';
import { applyActivation, decisionCut, dotBias, gate, sigmoidInvokes, softmaxCut, softmaxInvokes, softmaxMargin, softmaxSafeProbability } from '../ir/numerics.ts';

const f = Math.fround;

test('the dot product sums left to right in float32, then adds the bias', (t) => {
  // float32 absorbs 1 into 1e8: left to right gives ((1e8 + 1) - 1e8) = 0; pairing 1e8 with -1e8 first would give 1.
  const w = Float32Array.of(1e8, 1, -1e8);
  const x = Float32Array.of(1, 1, 1);
  t.is(dotBias(w, 0, x, 0, 3, 0), 0);
  // Bias last: (1 + 1e8) - 1e8 with the bias 1 first would give 0; acc = 0 then + 1 gives 1.
  t.is(dotBias(Float32Array.of(1e8, -1e8), 0, Float32Array.of(1, 1), 0, 2, 1), 1);
  // Products are rounded to float32 before accumulation: 0.1f * 3 in float64 is not the float32 product.
  const p = dotBias(Float32Array.of(0.1), 0, Float32Array.of(3), 0, 1, 0);
  t.is(p, f(f(0.1) * 3));
  t.not(p, f(0.1) * 3);
});

test('offsets select the row and the input slice', (t) => {
  const w = Float32Array.of(9, 9, 2, 3);
  const x = Float32Array.of(7, 5, 4);
  t.is(dotBias(w, 2, x, 1, 2, 0.5), f(2 * 5 + 3 * 4 + 0.5));
});

test('activations are the true values rounded once to float32', (t) => {
  // [input, sigmoid, tanh]: the true values at the float32 input, computed to 50 digits (Python's decimal)
  // and written to 17; sigmoid computed in float32 step by step would miss three of them by an ulp.
  const TRUE: [number, number, number][] = [
    [-20, 2.0611536181902037e-9, -1],
    [-1.5, 0.18242552380635635, -0.9051482536448664],
    [-0.1, 0.47502081214946074, -0.09966799610026955],
    [0, 0.5, 0],
    [0.3, 0.5744425197258292, 0.2913126233608736],
    [2, 0.8807970779778824, 0.9640275800758169],
    [17, 0.9999999586006245, 0.9999999999999966],
  ];
  for (const [a, sigmoid, tanh] of TRUE) {
    const v = f(a);
    t.is(applyActivation('sigmoid', v), f(sigmoid), `sigmoid(${a})`);
    t.is(applyActivation('tanh', v), f(tanh), `tanh(${a})`);
    t.is(applyActivation('relu', v), Math.max(v, 0));
    t.is(applyActivation('linear', v), v);
  }
  t.true(Object.is(applyActivation('relu', -0), 0), 'relu(-0) is +0');
});

test('the Hadamard gate is a float32 multiply', (t) => {
  t.is(gate(f(0.1), f(0.3)), f(f(0.1) * f(0.3)));
});

test('decisions: sigmoid invokes strictly above the threshold; softmax when the safe logit strictly wins', (t) => {
  t.false(sigmoidInvokes(f(0.5), 0.5));
  t.true(sigmoidInvokes(f(0.50000006), 0.5));
  t.false(softmaxInvokes(1, 1, 0.5));
  t.true(softmaxInvokes(1.5, 1, 0.5));
  t.is(softmaxSafeProbability(2, 0), f(0.8807970779778824)); // sigmoid(2), as above
  t.is(softmaxSafeProbability(0, 0), 0.5);
});

test('decision cuts: f32(T) for sigmoid; for softmax the logit of T, exactly 0 at T = 0.5', (t) => {
  t.is(decisionCut('sigmoid', 0.3), f(0.3));
  t.true(Object.is(softmaxCut(0.5), 0));
  // ln(p / (1 - p)) at p = f32(0.7) = 0.699999988079071044921875, to 50 digits: 0.84729780362...
  t.is(decisionCut('softmax', 0.7), f(0.8472978036208759));
  t.true(softmaxCut(0.7) > 0 && softmaxCut(0.3) < 0);
  // The cut is finite for every usable threshold, the extremes included.
  for (const T of [2 ** -149, 1e-30, Math.fround(1 - 2 ** -24)]) t.true(Number.isFinite(softmaxCut(T)), `cut of ${T}`);
  // Above the cut means the safe probability exceeds T (away from rounding at the boundary).
  t.true(softmaxInvokes(1, 0, 0.7)); // P = 0.731
  t.false(softmaxInvokes(0.8, 0, 0.7)); // P = 0.690
  t.is(softmaxMargin(3, 1), 2);
});

test('softmax at T = 0.5 is exactly "the safe logit strictly wins", for every pair of float32 values', (t) => {
  const special = [0, -0, 2 ** -149, -(2 ** -149), 2 ** -126, 3.4028234663852886e38, -3.4028234663852886e38, Infinity, -Infinity, NaN, 1, f(1 + 2 ** -23)];
  for (const s of special) for (const o of special) t.is(softmaxInvokes(s, o, 0.5), s > o, `${s} vs ${o}`);
  // Random pairs, and each value against its float32 neighbour, where the difference is one ulp.
  const next = (v: number) => new Float32Array(Uint32Array.of(new Uint32Array(Float32Array.of(v).buffer)[0] + 1).buffer)[0];
  fc.assert(
    fc.property(fc.float(), fc.float(), (s, o) => softmaxInvokes(s, o, 0.5) === s > o && softmaxInvokes(next(s), s, 0.5) === next(s) > s && softmaxInvokes(s, next(s), 0.5) === s > next(s)),
    { seed: 7, numRuns: 20000 },
  );
});

test('fnv1a gives the published FNV-1a 32-bit test vectors', (t) => {
  // From the FNV reference test suite (Fowler, Noll, Vo): the empty string hashes to the offset basis.
  t.is(fnv1a(''), 0x811c9dc5);
  t.is(fnv1a('a'), 0xe40c292c);
  t.is(fnv1a('foobar'), 0xbf9cf968);
});
