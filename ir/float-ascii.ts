// Number text written as ASCII bytes straight into a buffer, for the simulator's CSV file path: the
// characters of float32Text(v), and of String(v) for a float64, without making a string per value
// (test/csv-path-differential.test.ts checks both against the strings).

import { SHORTEST, float32Text, shortestFloat32Digits } from './float-text.ts';

/** Writes the characters of s (ASCII: every number's text is) at pos; returns the position after them. */
export function writeAscii(buf: Uint8Array, pos: number, s: string): number {
  for (let i = 0; i < s.length; i++) buf[pos++] = s.charCodeAt(i);
  return pos;
}

/** The most bytes a number's text takes, float32 or float64: a sign, then '0.00000' and 17 digits (or 21
 *  digits of an integer below 1e21, or 17 digits, a point and 'e-308'). */
export const NUMBER_TEXT_MAX = 25;

/**
 * Writes float32Text(v) at pos; returns the position after it. From the digits shortestFloat32Digits finds,
 * laid out as Number.prototype.toString lays them out (as decimalText does), with the digits written from
 * an integer: no string for the common case. The rest (zeros, powers of two, subnormals, NaN and the
 * infinities) copies float32Text's string.
 */
export function writeFloat32Text(buf: Uint8Array, pos: number, v: number): number {
  if (!shortestFloat32Digits(v) || SHORTEST.digits === 0) return writeAscii(buf, pos, float32Text(v));
  let digits = SHORTEST.digits;
  let exponent = SHORTEST.exponent;
  while (digits % 10 === 0) {
    digits /= 10;
    exponent++;
  }
  let k = 1; // the count of digits: digits < 2^31, so at most ten
  while (k < 10 && digits >= POW10[k]) k++;
  if (v < 0) buf[pos++] = 45;
  const n = exponent + k; // 10^(n-1) <= |v| < 10^n, as in the specification of Number::toString
  if (k <= n && n <= 21) {
    // Digits, then zeros: 1200
    pos = writeDigits(buf, pos, digits, k, -1);
    for (let i = k; i < n; i++) buf[pos++] = 48;
  } else if (0 < n && n <= 21) {
    // A point among the digits: 1.25
    pos = writeDigits(buf, pos, digits, k, n);
  } else if (-6 < n && n <= 0) {
    // Zeros after the point, then the digits: 0.00125
    buf[pos++] = 48;
    buf[pos++] = 46;
    for (let i = n; i < 0; i++) buf[pos++] = 48;
    pos = writeDigits(buf, pos, digits, k, -1);
  } else {
    // Exponent form: 1.25e-7, 3e+38
    pos = writeDigits(buf, pos, digits, k, k === 1 ? -1 : 1);
    buf[pos++] = 101;
    const e = n - 1;
    buf[pos++] = e < 0 ? 45 : 43;
    const m = e < 0 ? -e : e;
    if (m >= 10) buf[pos++] = 48 + ((m / 10) | 0);
    buf[pos++] = 48 + (m % 10);
  }
  return pos;
}

const POW10 = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10];

/** Writes the k decimal digits of `digits` at pos, with a point after the first `point` of them (none when -1). */
function writeDigits(buf: Uint8Array, pos: number, digits: number, k: number, point: number): number {
  const end = pos + k + (point === -1 ? 0 : 1);
  let i = end;
  for (let d = k; d > 0; d--) {
    if (d === point) buf[--i] = 46;
    // For digits < 2^31, digits * 0.1 is digits / 10 give or take 2^-24, and exactly the quotient when ten
    // divides digits (0.1 is stored a hair above a tenth): its floor is the quotient, without a division.
    const q = Math.floor(digits * 0.1);
    buf[--i] = 48 + (digits - q * 10);
    digits = q;
  }
  return end;
}

/**
 * The float64 text cache: String(v) as bytes for the last value seen in each of SLOTS slots, picked by a
 * hash of v's bits. A run prints the same CPU output again and again (a Sobel window over a flat region,
 * a saturated value), and copying its bytes costs a fraction of formatting it anew; a miss costs one
 * String(v). Direct-mapped and fixed in size: memory stays flat.
 */
const SLOTS = 1 << 12;
const SLOT_BYTES = 32; // > NUMBER_TEXT_MAX
const cachedValue = new Float64Array(SLOTS).fill(NaN); // NaN equals nothing: an empty slot never matches
const cachedLength = new Uint8Array(SLOTS);
const cachedText = new Uint8Array(SLOTS * SLOT_BYTES);
const F64 = new Float64Array(1);
const F64_WORDS = new Uint32Array(F64.buffer);

/**
 * Writes String(v) at pos (JavaScript's shortest round-trip text of a double; "0" for -0, as String has
 * it); returns the position after it. 0 and -0 may share a slot: their text is the same.
 */
export function writeFloat64Text(buf: Uint8Array, pos: number, v: number): number {
  F64[0] = v;
  // Both words: a float32 value held as a double has its low word almost all zero.
  const slot = Math.imul(F64_WORDS[0] ^ Math.imul(F64_WORDS[1], 0x85ebca6b), 0x9e3779b1) >>> 20;
  const at = slot * SLOT_BYTES;
  if (cachedValue[slot] === v) {
    const end = at + cachedLength[slot];
    for (let i = at; i < end; i++) buf[pos++] = cachedText[i];
    return pos;
  }
  const s = String(v);
  for (let i = 0; i < s.length; i++) buf[pos++] = cachedText[at + i] = s.charCodeAt(i);
  cachedValue[slot] = v;
  cachedLength[slot] = s.length;
  return pos;
}
