// Number text written as ASCII bytes straight into a buffer, for the simulator's CSV file path: the
// characters of float32Text(v), and of String(v) for a float64, without making a string per value
// (test/csv-path-differential.test.ts checks both against the strings).

import { DIVIDED, SHORTEST, divideExactly, float32Text, shortestFloat32Digits } from './float-text.ts';

/** Writes the characters of s (ASCII: every number's text is) at pos; returns the position after them. */
export function writeAscii(buf: Uint8Array, pos: number, s: string): number {
  for (let i = 0; i < s.length; i++) buf[pos++] = s.charCodeAt(i);
  return pos;
}

/** The most bytes a number's text takes, float32 or float64: a sign, then '0.00000' and 17 digits (or 21
 *  digits of an integer below 1e21, or 17 digits, a point and 'e-308'). */
export const NUMBER_TEXT_MAX = 25;

/**
 * Writes float32Text(v) at pos; returns the position after it. From the digits float32Digits finds (or,
 * outside its range, shortestFloat32Digits), laid out as Number.prototype.toString lays them out (as
 * decimalText does): no string for the common case. The rest (zeros, powers of two, subnormals, NaN and
 * the infinities) copies float32Text's string.
 */
export function writeFloat32Text(buf: Uint8Array, pos: number, v: number): number {
  let digits: number;
  let exponent: number;
  if (float32Digits(v)) {
    digits = found.digits;
    exponent = found.exponent;
  } else if (shortestFloat32Digits(v) && SHORTEST.digits > 0) {
    digits = SHORTEST.digits;
    exponent = SHORTEST.exponent;
  } else return writeAscii(buf, pos, float32Text(v));
  while (digits % 10 === 0) {
    digits /= 10;
    exponent++;
  }
  let k = 1; // the count of digits: digits < 2^31, so at most ten
  while (k < 10 && digits >= POW10[k]) k++;
  for (let i = k - 1; i >= 0; i--) {
    // For digits < 2^31, digits * 0.1 is digits / 10 give or take 2^-24, and exactly the quotient when ten
    // divides digits (0.1 is stored a hair above a tenth): its floor is the quotient, without a division.
    const q = Math.floor(digits * 0.1);
    DIGITS[i] = digits - q * 10;
    digits = q;
  }
  return writeDecimal(buf, pos, k, exponent + k, v < 0);
}

/** float32Digits' answer: |v| prints as digits x 10^exponent. */
const found = { digits: 0, exponent: 0 };
/** 2^(i - 64). */
const POW2 = Float64Array.from({ length: 128 }, (_, i) => 2 ** (i - 64));

/**
 * float32Text's digits for a normal float32 v with 1e-4 <= |v| < 1e9 and a significand not a power of two,
 * into `found`; false for any other v, or on a boundary too close to call. One pass instead of
 * shortestFloat32Digits' bisection of read-backs: |v| scaled exactly to y in [1e8, 1e9) (a float32 times
 * 10^j, j <= 12, fits a double), and so is half its float32 ulp, h. A decimal reads back as v (through a
 * double, then float32) when it is nearer y than h by more than a double's rounding, and not when farther
 * by as much; the tails below are exact, so only a tail within a hair of h (margin) is left to the
 * bisection. The most digits t that can go are those for which a multiple of 10^t lies within h of y (t + 1
 * never can when t cannot); the digits kept are y rounded at 10^t half up, as toPrecision rounds, the
 * nearer of the two multiples around y and so within h too.
 */
function float32Digits(v: number): boolean {
  F32[0] = v;
  const bits = U32[0];
  const e = (bits >>> 23) & 0xff;
  const a = v < 0 ? -v : v;
  if (F32[0] !== v || (bits & 0x7fffff) === 0 || !(a >= 1e-4 && a < 1e9)) return false;
  // floor(log10 a) from the binary exponent: right, or one too small (then the product says so).
  let d = Math.floor((e - 127) * Math.LOG10E * Math.LN2);
  let y = a * POW10[8 - d];
  if (y >= 1e9) y = a * POW10[8 - ++d];
  const h = POW2[e - 127 - 24 + 64] * POW10[8 - d];
  let t = -1;
  let kept = 0;
  let tail = 0;
  for (let tt = 2 * h >= 100 ? 2 : 1; tt < 9; tt++) {
    const unit = POW10[tt];
    divideExactly(y, unit);
    const r = DIVIDED.remainder;
    const below = r - h; // <= 0: q x 10^tt is within h
    const above = unit - r - h; // <= 0: (q + 1) x 10^tt is
    if (Math.abs(below) <= MARGIN * h || Math.abs(above) <= MARGIN * h) return false;
    if (below > 0 && above > 0) break;
    t = tt;
    kept = DIVIDED.quotient;
    tail = r;
  }
  if (t < 0) return false;
  found.digits = 2 * tail >= POW10[t] ? kept + 1 : kept;
  found.exponent = t + d - 8;
  return true;
}

const POW10 = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17];

/** The significant digits being written, most significant first, one per element (0 to 9). */
const DIGITS = new Uint8Array(48);

/**
 * Writes DIGITS[0..k) (no trailing zero) as Number::toString writes the decimal 0.d1d2...dk x 10^n: plain
 * for 1e-7 < value < 1e21, otherwise in exponent form; returns the position after it.
 */
function writeDecimal(buf: Uint8Array, pos: number, k: number, n: number, negative: boolean): number {
  if (negative) buf[pos++] = 45;
  if (k <= n && n <= 21) {
    // Digits, then zeros: 1200
    for (let i = 0; i < k; i++) buf[pos++] = 48 + DIGITS[i];
    for (let i = k; i < n; i++) buf[pos++] = 48;
  } else if (0 < n && n <= 21) {
    // A point among the digits: 1.25
    for (let i = 0; i < n; i++) buf[pos++] = 48 + DIGITS[i];
    buf[pos++] = 46;
    for (let i = n; i < k; i++) buf[pos++] = 48 + DIGITS[i];
  } else if (-6 < n && n <= 0) {
    // Zeros after the point, then the digits: 0.00125
    buf[pos++] = 48;
    buf[pos++] = 46;
    for (let i = n; i < 0; i++) buf[pos++] = 48;
    for (let i = 0; i < k; i++) buf[pos++] = 48 + DIGITS[i];
  } else {
    // Exponent form: 1.25e-7, 3e+38
    buf[pos++] = 48 + DIGITS[0];
    if (k > 1) {
      buf[pos++] = 46;
      for (let i = 1; i < k; i++) buf[pos++] = 48 + DIGITS[i];
    }
    buf[pos++] = 101;
    const e = n - 1;
    buf[pos++] = e < 0 ? 45 : 43;
    const m = e < 0 ? -e : e;
    if (m >= 100) buf[pos++] = 48 + Math.floor(m / 100);
    if (m >= 10) buf[pos++] = 48 + (Math.floor(m / 10) % 10);
    buf[pos++] = 48 + (m % 10);
  }
  return pos;
}

/** The largest k for which writeFloat64Text takes the fast way: v = odd x 2^-k, 5^k in base-1e8 limbs. */
const MAX_K = 40;
const LIMB = 1e8;
/** 5^k in base-1e8 limbs, least significant first. */
const POW5_LIMBS: number[][] = [[1]];
for (let k = 1; k <= MAX_K; k++) {
  const prev = POW5_LIMBS[k - 1];
  const next: number[] = [];
  let carry = 0;
  for (const l of prev) {
    const x = l * 5 + carry;
    carry = Math.floor(x / LIMB);
    next.push(x - carry * LIMB);
  }
  if (carry > 0) next.push(carry);
  POW5_LIMBS.push(next);
}
/** 5^k as the nearest double: exact up to 5^22, within half an ulp beyond. */
const POW5 = Float64Array.from(POW5_LIMBS, (_, k) => 5 ** k);
/** 2^-i, for the half-ulp's power of two (a table: ** is a call). */
const POW2_NEG = Float64Array.from({ length: 128 }, (_, i) => 2 ** -i);
/** N = m x 5^k, in base-1e8 limbs, and its decimal digits, most significant first. */
const N_LIMBS = new Float64Array(8);
const N_DIGITS = new Uint8Array(64);
const F32 = new Float32Array(1);
const U32 = new Uint32Array(F32.buffer);
/** How far apart a tail and a half-ulp must be for their double approximations (each within 2^-52 or so of the truth) to be compared safely. */
const MARGIN = 1e-12;

/**
 * Writes String(v) at pos (JavaScript's shortest round-trip text of a double; "0" for -0, as String has
 * it); returns the position after it.
 *
 * Computed directly for what the CPU rows mostly hold, a float32 value held as a double (an exact function
 * computing in float32) with 2^-13 <= |v| < 2^24 and a significand not a power of two: v = m x 2^-k with m
 * odd is exactly N x 10^-k for the integer N = m x 5^k, whose decimal digits are found exactly in base-1e8
 * limbs. Every decimal within half a double ulp u of v reads back as v (v's double significand is even,
 * so the bounds round to it too), and u is the same on both sides (not a power of two). The shortest is
 * found as Number::toString specifies: the largest t for which a multiple of 10^t lies within u of N, and
 * of those the one nearest N (the even one on a tie). Tails and u are compared as doubles, exact up to a
 * rounding or two; a comparison closer than that margin (never met in practice) asks String instead, as
 * does every other value.
 */
export function writeFloat64Text(buf: Uint8Array, pos: number, v: number): number {
  F32[0] = v;
  const bits = U32[0];
  const e = (bits >>> 23) & 0xff;
  if (F32[0] !== v || e < 127 - 13 || e >= 127 + 24 || (bits & 0x7fffff) === 0) return writeAscii(buf, pos, String(v));
  // v = m x 2^-k; with m odd, N = m x 5^k has no trailing zero to spare.
  let m = (bits & 0x7fffff) | 0x800000;
  let k = 150 - e;
  while ((m & 1) === 0 && k > 0) {
    m /= 2;
    k--;
  }
  if (k > MAX_K) return writeAscii(buf, pos, String(v));
  // N = m x 5^k in limbs: m < 2^24, so each product and carry stays below 2^51, and x / 1e8 (below 2^24,
  // off by at most 2^-29) is never rounded across an integer (a remainder is a whole multiple of 1e-8 away).
  const p5 = POW5_LIMBS[k];
  let limbs = 0;
  let carry = 0;
  for (let i = 0; i < p5.length; i++) {
    const x = m * p5[i] + carry;
    carry = Math.floor(x / LIMB);
    N_LIMBS[limbs++] = x - carry * LIMB;
  }
  while (carry > 0) {
    const q = Math.floor(carry / LIMB);
    N_LIMBS[limbs++] = carry - q * LIMB;
    carry = q;
  }
  // N's digits, most significant first: the top limb's own, then eight per limb.
  let top = N_LIMBS[limbs - 1];
  let topDigits = 1;
  while (topDigits < 8 && top >= POW10[topDigits]) topDigits++;
  const len = topDigits + 8 * (limbs - 1);
  let at = topDigits;
  for (let d = topDigits - 1; d >= 0; d--) {
    const q = Math.floor(top * 0.1);
    N_DIGITS[d] = top - q * 10;
    top = q;
  }
  for (let l = limbs - 2; l >= 0; l--) {
    let x = N_LIMBS[l];
    for (let d = at + 7; d >= at; d--) {
      const q = Math.floor(x * 0.1);
      N_DIGITS[d] = x - q * 10;
      x = q;
    }
    at += 8;
  }
  // Half an ulp of v (2^(E-53), E its binary exponent) in units of 10^-k: 2^(E-53+k) x 5^k.
  const u = POW5[k] * POW2_NEG[127 + 53 - e - k];
  // The largest t with a multiple of 10^t within u of N. t = tMin always has one (2u >= 10^tMin); one
  // digit more is tried while it works (it does for short decimals such as 0.75), never the last digit.
  let tMin = 0;
  while (tMin + 1 < POW10.length && POW10[tMin + 1] <= 2 * u) tMin++;
  let t = -1;
  let tail = 0; // N mod 10^t
  const low = N_LIMBS[0];
  const next = limbs > 1 ? N_LIMBS[1] : 0;
  for (let tt = tMin; tt < len && tt < 16; tt++) {
    // N mod 10^tt from the two low limbs, exact below 10^15.
    const r = tt <= 8 ? low - Math.floor(low / POW10[tt]) * POW10[tt] : (next - Math.floor(next / POW10[tt - 8]) * POW10[tt - 8]) * LIMB + low;
    const below = r - u; // <= 0: N - r is within u
    const above = POW10[tt] - r - u; // <= 0: N - r + 10^t is within u
    if (Math.abs(below) <= MARGIN * u || Math.abs(above) <= MARGIN * u) return writeAscii(buf, pos, String(v));
    if (below > 0 && above > 0) break;
    t = tt;
    tail = r;
  }
  // t = 15 may not be the largest (16 is not tried: its tails pass 2^53).
  if (t < 0 || t === 15) return writeAscii(buf, pos, String(v));
  // Round down (drop the tail) or up (add 10^t - tail): the nearer within u, the even one on a tie.
  const downOk = tail <= u;
  const upOk = POW10[t] - tail <= u;
  const half = POW10[t] - 2 * tail; // > 0: down is nearer
  const lastEven = (N_DIGITS[len - t - 1] & 1) === 0;
  const up = !downOk || (upOk && (half < 0 || (half === 0 && !lastEven)));
  let kd = len - t;
  for (let i = 0; i < kd; i++) DIGITS[i] = N_DIGITS[i];
  let n = len - k; // N x 10^-k = 0.d1d2... x 10^(len - k)
  if (up) {
    let i = kd - 1;
    while (i >= 0 && DIGITS[i] === 9) DIGITS[i--] = 0;
    if (i >= 0) DIGITS[i]++;
    else {
      // 99...9 rounded up: 1 and one place more.
      DIGITS[0] = 1;
      kd = 1;
      n++;
    }
  }
  while (kd > 1 && DIGITS[kd - 1] === 0) kd--;
  return writeDecimal(buf, pos, kd, n, v < 0);
}
