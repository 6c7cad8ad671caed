// The lane-parallel multiply-accumulate kernel (machine/block/simd-kernel.ts), both the wasm SIMD and the JS
// kind, against ir/numerics.ts accumulateDot bit for bit; the data is checked to tell plausible wrong orders apart.

import test from 'ava';
import { accumulateDot, ACT_LINEAR, ACT_RELU, addBias, applyActivationCode, gate } from '../ir/numerics.ts';
import { createMacKernel, type MacKernel } from '../machine/block/simd-kernel.ts';

const f32 = Math.fround;
const KINDS = ['wasm-simd', 'js'] as const;

/** A small seeded generator (mulberry32), so a failure reproduces. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Values that expose rounding: mixed magnitudes (absorption, cancellation), values near 1 whose products carry
 * bits beyond float32, signed zeros, subnormals; with `specials`, rarely also overflow-prone, infinite and NaN.
 */
function value(r: () => number, specials: boolean): number {
  const u = r();
  const sign = r() < 0.5 ? -1 : 1;
  if (specials && u < 0.01) return [NaN, Infinity, -Infinity][Math.floor(r() * 3)];
  if (specials && u < 0.04) return sign * f32(1e30 * (1 + r())); // products overflow to ±Infinity
  if (u < 0.08) return sign * 0;
  if (u < 0.14) return sign * f32(1e-40 * (1 + 9 * r())); // subnormal
  if (u < 0.18) return sign * f32(1e-20 * r()); // products underflow into or below the subnormals
  if (u < 0.5) return sign * f32(1 + Math.floor(r() * 4096) * 2 ** -20); // near 1: products round
  return sign * f32(2 ** (Math.floor(r() * 40) - 20) * (1 + r()));
}

interface Shape {
  count: number;
  len: number;
  lanes: number;
  wStride: number;
  accStride: number;
  xStride: number;
  from: 0 | 1;
  specials: boolean;
}

interface Layout extends Shape {
  wOff: number;
  xOff: number;
  accOff: number;
  end: number;
}

function layout(s: Shape, r: () => number): Layout {
  const wOff = 1 + Math.floor(r() * 7); // arbitrary, usually not 16-byte aligned
  const wEnd = wOff + Math.max(0, s.count - 1) * s.wStride + s.len;
  const xOff = Math.ceil((wEnd + 4) / 4) * 4;
  const xEnd = xOff + Math.max(0, s.len - 1) * s.xStride + s.lanes;
  const accOff = Math.ceil((xEnd + 8) / 4) * 4;
  const end = accOff + Math.max(0, s.count - 1) * s.accStride + s.lanes + 8;
  return { ...s, wOff, xOff, accOff, end };
}

type Dot = (acc: number, w: Float32Array, wOff: number, x: Float32Array, xOff: number, n: number) => number;

/** The memory after the call as `dot` defines it per lane (the spec of accumulateRows, acc rows not overlapping). */
function expected(before: Float32Array, L: Layout, dot: Dot): Float32Array {
  const M = before.slice();
  const col = new Float32Array(L.len);
  for (let k = 0; k < L.count; k++) {
    for (let l = 0; l < L.lanes; l++) {
      for (let j = 0; j < L.len; j++) col[j] = before[L.xOff + j * L.xStride + l];
      const at = L.accOff + k * L.accStride + l;
      M[at] = dot(L.from ? before[at] : 0, before, L.wOff + k * L.wStride, col, 0, L.len);
    }
  }
  return M;
}

/** Indices where the memories differ in bits, counting any NaN equal to any NaN (payloads may differ). */
function mismatches(got: Float32Array, want: Float32Array, n: number): number[] {
  const g = new Uint32Array(got.buffer, got.byteOffset, n);
  const w = new Uint32Array(want.buffer, want.byteOffset, n);
  const bad: number[] = [];
  for (let i = 0; i < n; i++) if (g[i] !== w[i] && !(Number.isNaN(got[i]) && Number.isNaN(want[i]))) bad.push(i);
  return bad;
}

/** Fills [0, end) of the kernel's memory: guards everywhere, data in w, x and (for from = 1) acc. */
function fill(k: MacKernel, L: Layout, r: () => number): Float32Array {
  k.reserve(L.end);
  const M = k.f32;
  for (let i = 0; i < L.end; i++) M[i] = value(r, L.specials);
  return M.slice(0, L.end);
}

const SHAPES: Shape[] = [];
{
  const base = { specials: false, from: 0 as 0 | 1 };
  const add = (count: number, len: number, lanes: number, extra: Partial<Shape> = {}) => {
    for (const from of [0, 1] as const) {
      SHAPES.push({ ...base, count, len, lanes, wStride: len, accStride: lanes, xStride: lanes, ...extra, from });
    }
  };
  add(1, 0, 4);
  add(5, 0, 12);
  add(1, 1, 4);
  add(3, 5, 4);
  add(17, 33, 12, { wStride: 40 });
  add(16, 64, 256);
  add(7, 64, 256, { specials: true });
  add(4, 9, 16);
  add(6, 13, 20, { xStride: 28, accStride: 24 }); // 16 + 4, padded rows
  add(2, 100, 28, { specials: true }); // 16 + 12
  add(9, 31, 32, { wStride: 35 });
  add(3, 17, 44, { accStride: 48, xStride: 52 }); // 32 + 12
  add(5, 21, 60); // 32 + 16 + 12
  add(2, 200, 36, { specials: true, wStride: 203 });
  add(4, 10, 24, { wStride: 3 }); // weight rows overlap (read only): 16 + 8 lanes
  add(5, 6, 8, { wStride: 0 }); //   every row the same weights
  for (let count = 1; count <= 17; count++) add(count, (count * 7) % 23, 4 * (1 + ((count * 5) % 19)), { wStride: ((count * 7) % 23) + (count % 3) });
}

function runShape(kind: (typeof KINDS)[number], s: Shape, seed: number): { bad: number[]; L: Layout; before: Float32Array; after: Float32Array } {
  const r = rng(seed);
  const L = layout(s, r);
  const k = createMacKernel(16, kind);
  const before = fill(k, L, r);
  k.accumulateRows(L.count, L.accOff, L.accStride, L.wOff, L.wStride, L.xOff, L.xStride, L.len, L.lanes, L.from);
  const after = k.f32.slice(0, L.end);
  return { bad: mismatches(after, expected(before, L, accumulateDot), L.end), L, before, after };
}

test('this machine runs the wasm SIMD kernel by default', (t) => {
  t.is(createMacKernel(1).kind, 'wasm-simd');
  t.is(createMacKernel(1, 'wasm-simd').kind, 'wasm-simd');
  t.is(createMacKernel(1, 'js').kind, 'js');
});

for (const kind of KINDS) {
  test(`${kind}: every lane equals accumulateDot bit for bit, and nothing else is written`, (t) => {
    let lanesChecked = 0;
    let nans = 0;
    SHAPES.forEach((s, i) => {
      const { bad, L, after } = runShape(kind, s, 1000 + i);
      if (bad.length > 0) {
        const at = bad[0];
        t.fail(`shape ${JSON.stringify(s)}: ${bad.length} floats differ, first at ${at} (acc rows at ${L.accOff}): got ${after[at]}`);
      }
      for (let k = 0; k < L.count; k++) for (let l = 0; l < L.lanes; l++) nans += Number.isNaN(after[L.accOff + k * L.accStride + l]) ? 1 : 0;
      lanesChecked += L.count * L.lanes;
    });
    t.true(lanesChecked > 10000);
    t.true(nans < lanesChecked / 10, `${nans} of ${lanesChecked} results are NaN: the data would hide order errors`);
  });
}

test('the data tells the reference from plausible wrong kernels', (t) => {
  // Each mutant must differ from accumulateDot on the random shapes, so the comparison above can fail.
  const fused: Dot = (acc, w, wOff, x, xOff, n) => {
    for (let j = 0; j < n; j++) acc = f32(acc + w[wOff + j] * x[xOff + j]); // FMA: the product is not rounded
    return acc;
  };
  const reversed: Dot = (acc, w, wOff, x, xOff, n) => {
    for (let j = n - 1; j >= 0; j--) acc = f32(acc + f32(w[wOff + j] * x[xOff + j]));
    return acc;
  };
  const twoChains: Dot = (acc, w, wOff, x, xOff, n) => {
    let odd = 0;
    for (let j = 0; j < n; j++) {
      const p = f32(w[wOff + j] * x[xOff + j]);
      if (j % 2 === 0) acc = f32(acc + p);
      else odd = f32(odd + p);
    }
    return f32(acc + odd);
  };
  const startMinusZero: Dot = (acc, w, wOff, x, xOff, n) => accumulateDot(Object.is(acc, 0) ? -0 : acc, w, wOff, x, xOff, n);
  const float64: Dot = (acc, w, wOff, x, xOff, n) => {
    for (let j = 0; j < n; j++) acc += w[wOff + j] * x[xOff + j];
    return f32(acc);
  };
  for (const [name, dot] of Object.entries({ fused, reversed, twoChains, startMinusZero, float64 })) {
    let differing = 0;
    SHAPES.forEach((s, i) => {
      if (s.lanes >= 256) return; // the small shapes suffice, and keep this quick
      const r = rng(1000 + i);
      const L = layout(s, r);
      const k = createMacKernel(16, 'js');
      const before = fill(k, L, r);
      differing += mismatches(expected(before, L, dot), expected(before, L, accumulateDot), L.end).length;
    });
    t.true(differing > 0, `${name} is indistinguishable from the reference on this data`);
  }
});

for (const kind of KINDS) {
  test(`${kind}: rounding the product before the add, left to right, from a preloaded accumulator`, (t) => {
    const k = createMacKernel(64, kind);
    const M = k.f32;
    // Lane 0: (1+2^-12)^2 = 1 + 2^-11 + 2^-24 rounds to 1 + 2^-11; added to -(1 + 2^-11) that is 0 (a fused
    // multiply-add would give 2^-24). Lane 1: 1e8 + 1 absorbs the 1, so 1e8, 1, -1e8 in order give 0.
    const a = f32(1 + 2 ** -12);
    M.set([a, 1e8, 1, -1e8], 0); // w row 0 = [a], row 1 = [1e8, 1, -1e8] (wStride 1 overlaps rows; allowed)
    M.set([a, 1, 0, 0], 8); //      x row 0
    M.set([1, 1, 0, 0], 12); //     x row 1
    M.set([1, 1, 0, 0], 16); //     x row 2
    M.set([-f32(1 + 2 ** -11), 5, 0, 0], 32); // acc row 0, preloaded
    k.accumulateRows(1, 32, 4, 0, 1, 8, 4, 1, 4, 1);
    t.true(Object.is(M[32], 0));
    t.is(M[33], f32(5 + a));
    k.accumulateRows(1, 36, 4, 1, 3, 8, 4, 3, 4, 0);
    t.is(M[37], 0);
    t.is(M[36], f32(f32(f32(1e8 * a) + 1) - 1e8));
    t.true(Object.is(M[38], 0)); // +0 + (1e8 * 0) ... stays +0
  });

  test(`${kind}: reserve grows the memory, keeps its contents and the kernel reaches the new part`, (t) => {
    const k = createMacKernel(100, kind);
    const first = k.f32;
    first[7] = 3.5;
    first[8] = 1;
    const n = first.length;
    t.true(n >= 100);
    k.reserve(n + 1);
    const M = k.f32;
    t.true(M.length >= n + 1);
    t.is(M[7], 3.5);
    t.is(M.length % 16384, 0);
    const x = n; // the new part
    M.set([2, 2, 2, 2], x);
    M.set([3, 3, 3, 3], x + 4);
    k.accumulateRows(1, x + 8, 4, 7, 1, x, 4, 2, 4, 0);
    t.deepEqual(Array.from(M.subarray(x + 8, x + 12)), [10, 10, 10, 10]);
    k.reserve(10); // never shrinks
    t.is(k.f32, M);
  });

  test(`${kind}: misaligned or out-of-bounds calls throw before writing`, (t) => {
    const k = createMacKernel(1, kind);
    const n = k.f32.length;
    t.throws(() => k.accumulateRows(1, 0, 4, 0, 1, 8, 4, 1, 6, 0), { instanceOf: RangeError }); // lanes
    t.throws(() => k.accumulateRows(1, 2, 4, 0, 1, 8, 4, 1, 4, 0), { instanceOf: RangeError }); // accOff
    t.throws(() => k.accumulateRows(1, 0, 4, 0, 1, 8, 6, 1, 4, 0), { instanceOf: RangeError }); // xStride
    t.throws(() => k.accumulateRows(2, n - 4, 4, 0, 1, 8, 4, 1, 4, 0), { instanceOf: RangeError }); // acc past the end
    t.throws(() => k.accumulateRows(1, 0, 4, n - 1, 1, 8, 4, 2, 4, 0), { instanceOf: RangeError }); // w past the end
    t.throws(() => k.accumulateRows(1, 0, 4, 0, 1, n - 8, 8, 2, 4, 0), { instanceOf: RangeError }); // x past the end
    t.true(k.f32.every((v) => v === 0));
    k.accumulateRows(0, n + 100, 4, 0, 1, 8, 4, 1, 4, 0); // nothing to do reaches nothing
    k.accumulateRows(1, n - 4, 4, n + 100, 1, n + 100, 4, 0, 4, 1); // len 0 reads neither w nor x
    t.pass();
  });
}

/** finishRows as ir/numerics.ts defines it: addBias, relu or linear, gate. */
function finishReference(acc: number, bias: number, relu: boolean, c: number | null): number {
  let h = addBias(acc, bias);
  h = applyActivationCode(relu ? ACT_RELU : ACT_LINEAR, h);
  return c === null ? h : gate(h, c);
}

for (const kind of KINDS) {
  test(`${kind}: finishRows equals addBias, relu or linear, and gate bit for bit (in place and not)`, (t) => {
    const r = rng(17);
    let checked = 0;
    for (const [count, lanes] of [[1, 4], [3, 12], [5, 256], [2, 20]] as const)
      for (const relu of [0, 1] as const)
        for (const gated of [0, 1] as const)
          for (const inPlace of [false, true]) {
            const stride = lanes + 4;
            const k = createMacKernel(4 * count * stride + 64, kind);
            const M = k.f32;
            const acc = 0;
            const out = inPlace ? acc : count * stride;
            const ctl = 2 * count * stride;
            const bias = 3 * count * stride + 1; // unaligned, as a weight-buffer word is
            for (let i = 0; i < 3 * count * stride + 1 + 2 * count; i++) M[i] = value(r, true);
            const before = M.slice();
            k.finishRows(count, acc, stride, bias, 2, out, stride, ctl, stride, lanes, relu, gated);
            for (let q = 0; q < count; q++)
              for (let l = 0; l < lanes; l++) {
                const want = f32(finishReference(before[acc + q * stride + l], before[bias + 2 * q], relu === 1, gated ? before[ctl + q * stride + l] : null));
                const got = M[out + q * stride + l];
                if (!(Object.is(got, want) || (Number.isNaN(got) && Number.isNaN(want)))) t.fail(`${kind} count ${count} lanes ${lanes} relu ${relu} gate ${gated}: row ${q} lane ${l}: ${got} vs ${want}`);
                checked++;
              }
          }
    t.true(checked > 5000);
  });
}

for (const kind of KINDS) {
  test(`${kind}: copyStrided moves every word's bits, NaN payloads included, between sample-major and lane-minor layouts`, (t) => {
    const r = rng(23);
    for (const [lanes, len, laneStride, rowStride] of [[1, 1, 1, 4], [5, 9, 9, 8], [256, 64, 64, 256], [7, 3, 6, 12], [13, 10, 11, 16], [8, 4, 4, 8], [4, 6, 7, 5], [500, 64, 128, 500]] as const) {
      const k = createMacKernel(3 * lanes * laneStride + 4 * rowStride * len + 64, kind);
      const U = new Uint32Array(k.f32.buffer, k.f32.byteOffset, k.f32.length);
      const src = 3;
      const dst = lanes * laneStride + 16;
      for (let i = 0; i < U.length; i++) U[i] = (r() * 2 ** 32) >>> 0; // any bits: signalling NaNs, subnormals, -0
      const before = U.slice();
      /** Words that differ from what a copy into `at` leaves: lane l's word j (from the source sample) where
       *  `at` maps (l, j), every other word as it was in `was`. */
      const wrongWords = (at: (l: number, j: number) => number, was: Uint32Array) => {
        const want = was.slice();
        for (let l = 0; l < lanes; l++) for (let j = 0; j < len; j++) want[at(l, j)] = before[src + l * laneStride + j];
        let bad = 0;
        for (let i = 0; i < U.length; i++) if (U[i] !== want[i]) bad++;
        return bad;
      };
      // Sample-major in (lane l, word j at src + l*laneStride + j) to lane-minor rows (dst + j*rowStride + l).
      k.copyStrided(dst, 1, rowStride, src, laneStride, 1, lanes, len);
      t.is(wrongWords((l, j) => dst + j * rowStride + l, before), 0, `lanes ${lanes} len ${len}`);
      // And back: the rows just written into a sample-major area after them.
      const back = dst + len * rowStride + 8;
      const rowsNow = U.slice();
      k.copyStrided(back, laneStride, 1, dst, 1, rowStride, lanes, len);
      t.is(wrongWords((l, j) => back + l * laneStride + j, rowsNow), 0, `back: lanes ${lanes} len ${len}`);
    }
    const small = createMacKernel(16, kind);
    t.throws(() => small.copyStrided(0, 1, 4, small.f32.length - 8, 1, 4, 4, 4), { instanceOf: RangeError });
  });
}

for (const kind of KINDS) {
  test(`${kind}: neuronRows equals accumulateDot, then addBias, relu or linear, and gate, bit for bit, and writes nothing else`, (t) => {
    let checked = 0;
    SHAPES.forEach((s, i) => {
      if (s.from === 1 || s.wStride === 0) return;
      for (const relu of [0, 1] as const)
        for (const gated of [0, 1] as const) {
          const r = rng(1000 + 4 * i + 2 * relu + gated);
          // The last row's bias, the word after its weights, lies in the gap layout leaves before the inputs.
          const L = layout(s, r);
          const ctlOff = Math.ceil(L.end / 4) * 4;
          const end = ctlOff + Math.max(0, s.count - 1) * s.accStride + s.lanes + 8;
          const k = createMacKernel(end, kind);
          const M = k.f32;
          for (let a = 0; a < end; a++) M[a] = value(r, s.specials);
          const before = M.slice(0, end);
          k.neuronRows(s.count, L.accOff, s.accStride, L.wOff, s.wStride, L.xOff, s.xStride, s.len, s.lanes, relu, gated, ctlOff);
          const want = before.slice();
          const col = new Float32Array(s.len);
          for (let q = 0; q < s.count; q++)
            for (let l = 0; l < s.lanes; l++) {
              for (let j = 0; j < s.len; j++) col[j] = before[L.xOff + j * s.xStride + l];
              const sum = accumulateDot(0, before, L.wOff + q * s.wStride, col, 0, s.len);
              const bias = before[L.wOff + q * s.wStride + s.len];
              want[L.accOff + q * s.accStride + l] = finishReference(sum, bias, relu === 1, gated ? before[ctlOff + q * s.accStride + l] : null);
              checked++;
            }
          const bad = mismatches(M.slice(0, end), want, end);
          if (bad.length) t.fail(`${kind} shape ${i} (count ${s.count} len ${s.len} lanes ${s.lanes}) relu ${relu} gate ${gated}: ${bad.length} words differ, first at ${bad[0]}`);
        }
    });
    t.true(checked > 20_000, `${checked} outputs checked`);
  });
}
