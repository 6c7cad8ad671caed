// Single-precision acosf, asinf and logf computed the way the C library that generated the AxBench
// data computes them (float32 arithmetic, not correctly rounded), so the exact functions match bit for bit.
//
// Why not Math.fround(Math.acos(x))? The original programs call the float versions of libm. Those are
// not correctly rounded: about 1 in 25 results differs by one float32 ulp from the correctly rounded
// value, and inversek2j's theta1 = asin(...) near 1 amplifies such an ulp in its argument to ~5e-5.
// Reproducing the published outputs exactly needs the same algorithms: the argument reduction,
// polynomial/rational coefficients and float32 operation order of fdlibm's acosf and logf
// (Sun Microsystems' freely distributable libm, as shipped in glibc) and of glibc's asinf
// (Stephen Moshier's Cephes-derived version). Every intermediate is rounded to float32 with f32()
// in the order the C expressions evaluate. The tests check the results against the data.

import { f32, floatBits, floatFromBits } from './float32.ts';

/** s with its low 12 mantissa bits cleared: the "high part" used by the extra-precise sqrt steps. */
function highPart(s: number): number {
  return floatFromBits(floatBits(s) & 0xfffff000);
}

// ---- acosf (fdlibm): rational approximation asin(x) ~ x + x * R(x^2), R = p/q -------------------
const ACOS_PIO2_HI = f32(1.5707962513e+0);
const ACOS_PIO2_LO = f32(7.5497894159e-8);
const ACOS_PI = f32(3.1415925026e+0);
const PS0 = f32(1.6666667163e-1), PS1 = f32(-3.2556581497e-1), PS2 = f32(2.0121252537e-1);
const PS3 = f32(-4.0055535734e-2), PS4 = f32(7.9153501429e-4), PS5 = f32(3.4793309169e-5);
const QS1 = f32(-2.4033949375e+0), QS2 = f32(2.0209457874e+0), QS3 = f32(-6.8828397989e-1), QS4 = f32(7.7038154006e-2);

/** R(z) = p(z) / q(z), each Horner step rounded to float32. */
function acosRational(z: number): number {
  const p = f32(z * f32(PS0 + f32(z * f32(PS1 + f32(z * f32(PS2 + f32(z * f32(PS3 + f32(z * f32(PS4 + f32(z * PS5)))))))))));
  const q = f32(1 + f32(z * f32(QS1 + f32(z * f32(QS2 + f32(z * f32(QS3 + f32(z * QS4))))))));
  return f32(p / q);
}

/** acosf(x) for a float32 x. */
export function acosf(xIn: number): number {
  const x = f32(xIn);
  const bits = floatBits(x);
  const ix = bits & 0x7fffffff;
  if (ix === 0x3f800000) return bits > 0 ? 0 : f32(ACOS_PI + f32(2 * ACOS_PIO2_LO));
  if (ix > 0x3f800000) return NaN;
  if (ix < 0x3f000000) {
    // |x| < 0.5: acos(x) = pi/2 - (x + x*R(x^2)), with pi/2 split into hi + lo.
    if (ix <= 0x23000000) return f32(ACOS_PIO2_HI + ACOS_PIO2_LO);
    const r = acosRational(f32(x * x));
    return f32(ACOS_PIO2_HI - f32(x - f32(ACOS_PIO2_LO - f32(x * r))));
  }
  if (bits < 0) {
    // x <= -0.5: acos(x) = pi - 2 asin(sqrt((1+x)/2)).
    const z = f32(f32(1 + x) * 0.5);
    const s = f32(Math.sqrt(z));
    const r = acosRational(z);
    const w = f32(f32(r * s) - ACOS_PIO2_LO);
    return f32(ACOS_PI - f32(2 * f32(s + w)));
  }
  // x >= 0.5: acos(x) = 2 asin(sqrt((1-x)/2)), with sqrt split into a 12-bit-truncated head df and a correction c.
  const z = f32(f32(1 - x) * 0.5);
  const s = f32(Math.sqrt(z));
  const df = highPart(s);
  const c = f32(f32(z - f32(df * df)) / f32(s + df));
  const r = acosRational(z);
  const w = f32(f32(r * s) + c);
  return f32(2 * f32(df + w));
}

// ---- asinf (glibc, Cephes-derived): asin(x) ~ x + x^3 P(x^2) on |x| <= 0.5 ----------------------
const ASIN_PIO2_HI = f32(1.57079637050628662109375);
const ASIN_PIO2_LO = f32(-4.37113900018624283e-8);
const ASIN_PIO4_HI = f32(0.785398185253143310546875);
const P0 = f32(1.666675248e-1), P1 = f32(7.495297643e-2), P2 = f32(4.547037598e-2), P3 = f32(2.417951451e-2), P4 = f32(4.21663088e-2);

function asinPoly(t: number): number {
  return f32(t * f32(P0 + f32(t * f32(P1 + f32(t * f32(P2 + f32(t * f32(P3 + f32(t * P4)))))))));
}

/** asinf(x) for a float32 x. */
export function asinf(xIn: number): number {
  const x = f32(xIn);
  const bits = floatBits(x);
  const ix = bits & 0x7fffffff;
  if (ix === 0x3f800000) return f32(f32(x * ASIN_PIO2_HI) + f32(x * ASIN_PIO2_LO));
  if (ix > 0x3f800000) return NaN;
  if (ix < 0x3f000000) {
    if (ix < 0x32000000) return x; // |x| < 2^-27
    const w = asinPoly(f32(x * x));
    return f32(x + f32(x * w));
  }
  // 0.5 <= |x| < 1: asin(|x|) = pi/2 - 2 asin(sqrt((1-|x|)/2)).
  const t = f32(f32(1 - Math.abs(x)) * 0.5);
  const p = asinPoly(t);
  const s = f32(Math.sqrt(t));
  let result: number;
  if (ix >= 0x3f79999a) {
    // |x| > 0.975
    result = f32(ASIN_PIO2_HI - f32(f32(2 * f32(s + f32(s * p))) - ASIN_PIO2_LO));
  } else {
    const w = highPart(s);
    const c = f32(f32(t - f32(w * w)) / f32(s + w));
    const pp = f32(f32(f32(2 * s) * p) - f32(ASIN_PIO2_LO - f32(2 * c)));
    const q = f32(ASIN_PIO4_HI - f32(2 * w));
    result = f32(ASIN_PIO4_HI - f32(pp - q));
  }
  return bits > 0 ? result : -result;
}

// ---- logf (fdlibm): log(x) = k ln2 + log(1+f), log(1+f) from s = f/(2+f) ----------------------------
const LN2_HI = f32(6.9313812256e-1);
const LN2_LO = f32(9.0580006145e-6);
const LG1 = f32(6.6666668653e-1), LG2 = f32(4.0000000596e-1), LG3 = f32(2.8571429849e-1), LG4 = f32(2.2222198546e-1);
const LG5 = f32(1.8183572590e-1), LG6 = f32(1.5313838422e-1), LG7 = f32(1.4798198640e-1);
const TWO25 = 33554432;

/** logf(x) for a float32 x. */
export function logf(xIn: number): number {
  let x = f32(xIn);
  let ix = floatBits(x);
  let k = 0;
  if (ix < 0x00800000) {
    if ((ix & 0x7fffffff) === 0) return -Infinity;
    if (ix < 0) return NaN;
    k -= 25; // subnormal: scale up
    x = f32(x * TWO25);
    ix = floatBits(x);
  }
  if (ix >= 0x7f800000) return f32(x + x);
  k += (ix >> 23) - 127;
  ix &= 0x007fffff;
  // Normalize the mantissa into [sqrt(2)/2, sqrt(2)).
  const i0 = (ix + (0x95f64 << 3)) & 0x800000;
  x = floatFromBits(ix | (i0 ^ 0x3f800000));
  k += i0 >> 23;
  const f = f32(x - 1);
  if ((0x007fffff & (15 + ix)) < 16) {
    // |f| < 2^-20
    if (f === 0) return k === 0 ? 0 : f32(f32(k * LN2_HI) + f32(k * LN2_LO));
    const R = f32(f32(f * f) * f32(0.5 - f32(f32(0.33333333333333333) * f)));
    if (k === 0) return f32(f - R);
    const dk = f32(k);
    return f32(f32(dk * LN2_HI) - f32(f32(R - f32(dk * LN2_LO)) - f));
  }
  const s = f32(f / f32(2 + f));
  const dk = f32(k);
  const z = f32(s * s);
  let i = ix - (0x6147a << 3);
  const w = f32(z * z);
  const j = (0x6b851 << 3) - ix;
  const t1 = f32(w * f32(LG2 + f32(w * f32(LG4 + f32(w * LG6)))));
  const t2 = f32(z * f32(LG1 + f32(w * f32(LG3 + f32(w * f32(LG5 + f32(w * LG7)))))));
  i |= j;
  const R = f32(t2 + t1);
  if (i > 0) {
    const hfsq = f32(f32(0.5 * f) * f);
    if (k === 0) return f32(f - f32(hfsq - f32(s * f32(hfsq + R))));
    return f32(f32(dk * LN2_HI) - f32(f32(hfsq - f32(f32(s * f32(hfsq + R)) + f32(dk * LN2_LO))) - f));
  }
  if (k === 0) return f32(f - f32(s * f32(f - R)));
  return f32(f32(dk * LN2_HI) - f32(f32(f32(s * f32(f - R)) - f32(dk * LN2_LO)) - f));
}
