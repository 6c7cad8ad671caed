// The number formats' arithmetic, checked by hand: rounding ties, saturation at both ends, the product whose
// low bits binary64 drops, a lookup table with and without interpolation, and the datapath field's refusals.
// Each expected value is worked out in the comment beside it. Also: fp32's grid is Math.fround, the fp32 plan
// computes what ir/numerics.ts does, and the binary16 storage round-trips.

import test from 'ava';
import fc from 'fast-check';
import { parseHardware } from '../hardware/load-hardware.ts';
import { LayerArithmetic } from '../ir/layer-arithmetic.ts';
import { interpretModel } from '../ir/interpret-model.ts';
import { FP32_GRID, fixedGrid, floatGrid, parseFormatName, productToGrid, roundToGrid, saturated, type FormatSpec } from '../ir/number-format.ts';
import { ACT_SIGMOID } from '../ir/numerics.ts';
import { instantiateNumerics, int8FracFor, planNumerics } from '../ir/numerics-plan.ts';
import { SeededRandom } from '../ir/seeded-random.ts';
import { float16Bits, float16Value } from '../isa/dram-image.ts';
import { buildModel, modelShapeArb, randomInput } from './support/random-model.ts';

const Q16_8 = fixedGrid(16, 8); // codes -32768 .. 32767, step 2^-8 = 0.00390625
const STEP = 2 ** -8;
const float = (name: string) => floatGrid(parseFormatName(name) as Extract<FormatSpec, { kind: 'float' }>);

/** The grid value and whether the conversion saturated. */
function convert(g: Parameters<typeof roundToGrid>[0], v: number): [number, boolean] {
  const r = roundToGrid(g, v);
  return [r, saturated];
}

test('fixed16.8: ties round to the even code, on both sides of zero', (t) => {
  t.deepEqual(convert(Q16_8, 1.5 * STEP), [2 * STEP, false]); // 1.5 steps: codes 1 and 2 tie, 2 is even
  t.deepEqual(convert(Q16_8, 2.5 * STEP), [2 * STEP, false]); // 2.5 steps: 2 and 3 tie, 2 is even
  t.deepEqual(convert(Q16_8, -1.5 * STEP), [-2 * STEP, false]); // -1.5: -2 and -1 tie, -2 is even
  t.deepEqual(convert(Q16_8, -2.5 * STEP), [-2 * STEP, false]); // -2.5: -3 and -2 tie, -2 is even
  t.deepEqual(convert(Q16_8, 2.5000001 * STEP), [3 * STEP, false]); // just past the tie: up
});

test('fixed16.8: saturation at both ends, and the ties next to them', (t) => {
  t.deepEqual(convert(Q16_8, 128), [127.99609375, true]); // code 32768 > 32767: clamped to 32767·2^-8
  t.deepEqual(convert(Q16_8, 32767.5 * STEP), [127.99609375, true]); // tie 32767/32768 goes to even 32768, then clamps
  t.deepEqual(convert(Q16_8, 32767.25 * STEP), [127.99609375, false]); // rounds down to 32767: in range
  t.deepEqual(convert(Q16_8, -128), [-128, false]); // code -32768 is the minimum itself
  t.deepEqual(convert(Q16_8, -32768.5 * STEP), [-128, false]); // tie -32769/-32768 goes to even -32768: in range
  t.deepEqual(convert(Q16_8, -32769.5 * STEP), [-128, true]); // tie -32770/-32769 goes to even -32770: clamped
  t.deepEqual(convert(Q16_8, -Infinity), [-128, true]);
  t.deepEqual(convert(Q16_8, NaN), [0, true]); // NaN has no code: 0, counted
});

test('int8 is symmetric: -128 is not a code', (t) => {
  const g = fixedGrid(8, 5, true); // codes -127 .. 127, step 2^-5
  t.deepEqual(convert(g, -4), [-127 / 32, true]); // code -128 clamps to -127
  t.deepEqual(convert(g, 127 / 32), [127 / 32, false]);
  // The scale: the largest F with 127·2^-F >= max |value|.
  t.is(int8FracFor(1), 6); // 127/64 = 1.98 covers 1; 127/128 = 0.99 would not
  t.is(int8FracFor(127 / 64), 6); // exactly covered at F = 6
  t.is(int8FracFor(2), 5); // 1.98 < 2, so F = 5 (3.97)
});

test('fp16 and bf16: ties to even, overflow to infinity, subnormals', (t) => {
  const h = float('fp16');
  t.deepEqual(convert(h, 2049), [2048, false]); // at 2^11 the step is 2: 2048 (mantissa even) and 2050 tie
  t.deepEqual(convert(h, 2051), [2052, false]); // 2050 (mantissa 1025, odd) and 2052 tie: 2052
  t.deepEqual(convert(h, 65519.99), [65504, false]); // below the midpoint of 65504 and 65536
  t.deepEqual(convert(h, 65520), [Infinity, true]); // the midpoint ties to the even 2^16, past the largest: overflow
  t.deepEqual(convert(h, 2 ** -25), [0, false]); // half the smallest subnormal ties to 0
  t.deepEqual(convert(h, 3 * 2 ** -25), [2 ** -23, false]); // 1.5 subnormal steps: 2 is even
  const b = float('bf16');
  t.deepEqual(convert(b, 1 + 2 ** -8), [1, false]); // bf16 has 7 fraction bits: 1 and 1 + 2^-7 tie, 1 is even
  t.deepEqual(convert(b, 1 + 3 * 2 ** -8), [1 + 2 ** -6, false]); // 1.5 steps past 1: 2 steps
});

test("fp32's grid is Math.fround, subnormals and overflow included", (t) => {
  const r = new SeededRandom(7);
  const values = [2 ** 128 - 2 ** 103, 2 ** 128 - 2 ** 103 - 2 ** 70, 2 ** -150, 2 ** -150 * 1.0000001, -(2 ** -149) * 1.5, -(2 ** -149) * 2.5];
  for (let i = 0; i < 50_000; i++) values.push(r.uniform(-1, 1) * 2 ** Math.floor(r.uniform(-160, 130)));
  let differ = 0;
  for (const v of values) if (!Object.is(roundToGrid(FP32_GRID, v), Math.fround(v))) differ++;
  t.is(differ, 0);
});

test('a product binary64 cannot hold is still rounded once, exactly', (t) => {
  // (2^27 + 1)^2 = 2^54 + 2^28 + 1 needs 55 bits; binary64 drops the final 1 and holds 2^54 + 2^28. On a grid of
  // step 2^29 that is exactly halfway between codes 2^25 and 2^25 + 1, so rounding the binary64 product goes to
  // the even 2^25; the exact product is above the halfway point and rounds to 2^25 + 1.
  const g = fixedGrid(32, -29);
  const a = 2 ** 27 + 1;
  t.is(roundToGrid(g, a * a), 2 ** 25 * 2 ** 29, 'the trap: rounding the binary64 product');
  t.is(productToGrid(g, a, a), (2 ** 25 + 1) * 2 ** 29);
  t.is(productToGrid(g, -a, a), -(2 ** 25 + 1) * 2 ** 29);
  t.is(productToGrid(g, 3, 5), 0, '15 is below half a step: 0');
});

test('a 5-entry sigmoid table over ±4, nearest and linear, onto fixed16.8', (t) => {
  // Entries at -4, -2, 0, 2, 4: sigmoid = 0.017986, 0.119203, 0.5, 0.880797, 0.982014; ×256 = 4.604, 30.516, 128,
  // 225.484, 251.396; rounded: 5, 31, 128, 225, 251 steps = 0.01953125, 0.12109375, 0.5, 0.87890625, 0.98046875.
  const grids = { weights: Q16_8, accumulator: fixedGrid(32, 16), output: Q16_8 };
  const linear = new LayerArithmetic('l', grids, { entries: 5, range: 4, interpolation: 'linear' }, 16, 16);
  const nearest = new LayerArithmetic('n', grids, { entries: 5, range: 4, interpolation: 'nearest' }, 16, 16);
  // v = 1: position (1 + 4)/2 = 2.5 between entries 2 and 3: 0.5 + 0.5·(0.87890625 − 0.5) = 0.689453125 = 176.5
  // steps, a tie: the even 176 = 0.6875.
  t.is(linear.activate(ACT_SIGMOID, 1), 0.6875);
  // v = -1: position 1.5: 0.12109375 + 0.5·0.37890625 = 0.310546875 = 79.5 steps: the even 80 = 0.3125.
  t.is(linear.activate(ACT_SIGMOID, -1), 0.3125);
  // v = 3.3: position 3.65: 0.87890625 + 0.65·0.1015625 = 0.944921875 = 241.9 steps: 242 = 0.9453125.
  t.is(linear.activate(ACT_SIGMOID, 3.3), 0.9453125);
  t.is(nearest.activate(ACT_SIGMOID, 1), 0.5, 'position 2.5 ties to the even entry 2');
  t.is(nearest.activate(ACT_SIGMOID, 3), 0.98046875, 'position 3.5 ties to the even entry 4');
  t.is(linear.activate(ACT_SIGMOID, 9), 0.98046875, 'past the range: the last entry');
  t.is(linear.activate(ACT_SIGMOID, -9), 0.01953125, 'below it: the first');
  t.is(linear.saturations + nearest.saturations, 0);
});

test('the multiply-add unit saturates its accumulator and counts each clamp', (t) => {
  // fixed8.4 weights and activations, fixed8.4 accumulator (range ±8): 3 × 2 = 6, then 6 + 6 = 12 clamps to
  // 7.9375 (code 127), and 7.9375 + 6 clamps again.
  const g = fixedGrid(8, 4);
  const ar = new LayerArithmetic('sat', { weights: g, accumulator: g, output: g }, 'exact', 8, 8);
  const w = Float64Array.of(3, 3, 3);
  const x = Float64Array.of(2, 2, 2);
  t.is(ar.accumulate(0, w, 0, x, 0, 3), 127 / 16);
  t.is(ar.saturations, 2);
});

test('the fp32 plan computes exactly what ir/numerics.ts computes, on random models', (t) => {
  let samples = 0;
  for (const shape of fc.sample(modelShapeArb, { numRuns: 120, seed: 11 })) {
    const model = buildModel(shape);
    const numerics = instantiateNumerics(model, planNumerics(model, undefined));
    const rng = new SeededRandom(shape.seed);
    for (let k = 0; k < 4; k++) {
      const x = randomInput(rng, model.inputWidth);
      const a = interpretModel(model, x);
      const b = interpretModel(model, x, numerics);
      t.true(Buffer.from(a.y.buffer).equals(Buffer.from(b.y.buffer)) && Object.is(a.p, b.p) && Object.is(a.score, b.score) && a.invoke === b.invoke);
      samples++;
    }
  }
  t.is(samples, 480);
});

test('binary16 storage: every finite pattern decodes and encodes back to itself', (t) => {
  let differ = 0;
  for (let b = 0; b < 0x10000; b++) {
    if ((b & 0x7c00) === 0x7c00 && (b & 0x3ff) !== 0) continue; // NaN payloads are not kept
    if (float16Bits(float16Value(b)) !== b) differ++;
  }
  t.is(differ, 0);
});

test('bad formats are refused at the field, with file:line:col', (t) => {
  const at = (text: string) => {
    try {
      parseHardware(text, 'hw.json');
    } catch (e) {
      return (e as Error).message.split('\n')[0];
    }
    return 'accepted';
  };
  t.is(at('{\n  "datapath": "fixed40.3"\n}'), "hw.json:2:15: error: hardware field 'datapath': 'fixed40.3' has 40 bits; fixed point takes 4 to 32 [AXH302]");
  t.is(at('{\n  "datapath": "fixed8.9"\n}'), "hw.json:2:15: error: hardware field 'datapath': 'fixed8.9' has 9 fraction bits in 8; at most 7, leaving the sign bit [AXH302]");
  t.is(at('{\n  "datapath": "int7"\n}'), "hw.json:2:15: error: hardware field 'datapath': 'int7' is not a format; the integer formats are int8 (weights and activations) and int32 (accumulator) [AXH302]");
  t.is(
    at('{\n  "datapath": {\n    "weights": "fixed16.8",\n    "lut": { "entries": 0, "range": 4, "interpolation": "linear" }\n  }\n}'),
    "hw.json:4:25: error: hardware field 'datapath.lut.entries': datapath.lut.entries must be at least 2 (a table needs both ends of its range) [AXH302]",
  );
  t.is(at('{ "datapath": { "activations": "fixed3.1" } }'), "hw.json:1:32: error: hardware field 'datapath.activations': 'fixed3.1' has 3 bits; fixed point takes 4 to 32 [AXH302]");
  t.is(at('{ "datapath": { "weights": "int32" } }'), "hw.json:1:28: error: hardware field 'datapath.weights': int32 is an accumulator format; weights take int8, fixed<W>.<F> or a float format [AXH302]");
  t.is(at('{ "datapath": "fixed16.8" }'), 'accepted');
});

test('on an fp32 accumulator too, a product binary64 cannot hold is rounded once from its exact value', (t) => {
  // fixed32.16 × fp32 needs 32 + 24 significand bits; binary64 keeps 53. Found by review: the exact product
  // 2146928457·8395513·2^-39 lies just above a float32 halfway point that its binary64 rounding lands on.
  const a = 2146928457 * 2 ** -16;
  const b = 8395513 * 2 ** -23;
  // Independently, in integers: the exact product's code, rounded to 24 significant bits, ties to even.
  const exact = 2146928457n * 8395513n; // value = exact · 2^-39
  const bits = exact.toString(2).length;
  const drop = BigInt(bits - 24);
  const kept = exact >> drop;
  const rest = exact - (kept << drop);
  const half = 1n << (drop - 1n);
  const rounded = rest > half || (rest === half && (kept & 1n) === 1n) ? kept + 1n : kept;
  const expected = Number(rounded) * 2 ** (Number(drop) - 39);
  t.is(productToGrid(FP32_GRID, a, b), expected);
  t.not(Math.fround(a * b), expected, 'rounding the binary64 product would be wrong here');
});
