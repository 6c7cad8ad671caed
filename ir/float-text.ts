// Decimal text for float values: the shortest decimal that reads back (via Math.fround) as the same float32,
// shared by the .axn printer, the weights-file writer, the disassembler and the simulator's CSV output;
// and the one pattern of plain decimal numbers that sample files, directives and options accept.

/** Plain decimal numbers only: no hex, binary, octal or Infinity spellings sneak in through Number().
 *  Unambiguous (no nested or overlapping repeats), so it runs in linear time on long digit runs. */
export const DECIMAL_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

const F32 = new Float32Array(1);
const U32 = new Uint32Array(F32.buffer);

/** The number toPrecision(p) reads back as, when it reads back (via Math.fround) as v; otherwise NaN. */
function readsBack(v: number, p: number): number {
  const n = Number(v.toPrecision(p));
  return Math.fround(n) === v ? n : NaN;
}

/** Powers of ten exactly representable as doubles. */
const POW10 = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];
/** The nine significant digits of a.toPrecision(9) for the value being printed, and their decimal exponent. */
const DIGITS = new Uint8Array(16);
let firstExponent = 0; // a.toPrecision(9) = d1.d2...d9 x 10^firstExponent

/** Reads a.toPrecision(9) (a > 0, finite): a's exact value rounded to nine significant digits. */
function nineDigits(a: number): void {
  const s = a.toPrecision(9);
  let intDigits = 0;
  let leadingZeros = 0;
  let inFraction = false;
  let n = 0;
  let exp = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) {
      inFraction = true;
    } else if (c === 101) {
      exp = Number(s.slice(i + 1));
      break;
    } else {
      if (!inFraction) intDigits++;
      if (n === 0 && c === 48) leadingZeros++;
      else DIGITS[n++] = c - 48;
    }
  }
  firstExponent = intDigits - leadingZeros - 1 + exp;
}

/**
 * readsBack(a, p) for a > 0 and p <= 9 after nineDigits(a), in arithmetic. Rounding the nine digits to p
 * gives the p digits toPrecision(p) gives (rounding a's exact value), unless the digits dropped are exactly
 * 5000...: a p-digit midpoint is itself a nine-digit decimal, so a lies above it exactly when the nine
 * digits do, or on it only when they equal it — and then toPrecision decides. Digits times an exact power
 * of ten within 10^±22 round once, as Number() of the text does; other exponents go to toPrecision.
 */
function digitsReadBack(a: number, p: number): number {
  const k = firstExponent - p + 1;
  if (k > 22 || k < -22) return readsBack(a, p);
  let n = 0;
  for (let i = 0; i < p; i++) n = n * 10 + DIGITS[i];
  if (p < 9 && DIGITS[p] >= 5) {
    let midpoint = DIGITS[p] === 5;
    for (let i = p + 1; i < 9 && midpoint; i++) if (DIGITS[i] !== 0) midpoint = false;
    if (midpoint) return readsBack(a, p);
    n++;
  }
  const x = k >= 0 ? n * POW10[k] : n / POW10[-k];
  probeDigits = n;
  probeExponent = k;
  return Math.fround(x) === a ? x : NaN;
}

/** The digits (an integer) and decimal exponent of the last arithmetic probe; 0 digits after a toPrecision one. */
let probeDigits = 0;
let probeExponent = 0;

/**
 * a x 10^(8 - firstExponent), exactly: for 1e-4 <= a < 1e9 the factor is 10^j with j <= 12, and a float32
 * significand (24 bits) times 5^j (at most 28 bits) fits a double. NaN when a is outside that range.
 */
let scaled = NaN;

/** Sets firstExponent and scaled for a (a normal float32 > 0); false when a is outside 1e-4 <= a < 1e9. */
function scaleExactly(a: number): boolean {
  if (!(a >= 1e-4 && a < 1e9)) return false;
  let d = Math.floor(Math.log10(a));
  let y = a * POW10[8 - d];
  // log10 may be off by one next to a power of ten; the exact product tells.
  if (y < 1e8) y = a * POW10[8 - --d];
  else if (y >= 1e9) y = a * POW10[8 - ++d];
  if (d < -4 || d > 8 || y < 1e8 || y >= 1e9) return false;
  firstExponent = d;
  scaled = y;
  return true;
}

/** divideExactly's answer. */
export const DIVIDED = { quotient: 0, remainder: 0 };

/**
 * floor(y / unit) and the remainder, exactly, for 0 <= y < 2^31 and unit a power of ten: the remainder is
 * exact (every term a multiple of y's ulp below 2^31), and the rounded quotient, when it lands on the
 * wrong side of an integer, is put right.
 */
export function divideExactly(y: number, unit: number): void {
  let q = Math.floor(y / unit);
  let r = y - q * unit;
  if (r < 0) {
    q--;
    r += unit;
  } else if (r >= unit) {
    q++;
    r -= unit;
  }
  DIVIDED.quotient = q;
  DIVIDED.remainder = r;
}

/** As digitsReadBack, from the exact `scaled` instead of nine rounded digits: no midpoint is ambiguous. */
function exactReadBack(a: number, p: number): number {
  const unit = POW10[9 - p];
  divideExactly(scaled, unit);
  let n = DIVIDED.quotient;
  if (2 * DIVIDED.remainder >= unit) n++; // to nearest; a tie goes to the larger, as toPrecision's does
  const k = firstExponent - p + 1;
  const x = k >= 0 ? n * POW10[k] : n / POW10[-k];
  probeDigits = n;
  probeExponent = k;
  return Math.fround(x) === a ? x : NaN;
}

/**
 * Number.prototype.toString of digits x 10^exponent (digits a positive integer below 2^31), without
 * converting a double to text: that double's shortest text is these digits, as no other decimal of at most
 * ten digits lies within half a double's ulp of it.
 */
function decimalText(digits: number, exponent: number, negative: boolean): string {
  while (digits % 10 === 0) {
    digits /= 10;
    exponent++;
  }
  const ds = String(digits);
  const k = ds.length;
  const n = exponent + k; // 10^(n-1) <= value < 10^n, as in the specification of Number::toString
  let text: string;
  if (k <= n && n <= 21) text = ds + '0'.repeat(n - k);
  else if (0 < n && n <= 21) text = `${ds.slice(0, n)}.${ds.slice(n)}`;
  else if (-6 < n && n <= 0) text = `0.${'0'.repeat(-n)}${ds}`;
  else text = `${k === 1 ? ds : `${ds[0]}.${ds.slice(1)}`}e${n - 1 < 0 ? '-' : '+'}${Math.abs(n - 1)}`;
  return negative ? '-' + text : text;
}

/** The definition: the first of 1..9 significant digits that reads back. */
function float32TextByCounting(v: number): string {
  for (let p = 1; p <= 9; p++) {
    const n = readsBack(v, p);
    if (n === n) return n.toString();
  }
  // Not reached for float32 values (9 significant digits always suffice); exact float64 text otherwise.
  return v.toString();
}

/**
 * What shortestFloat32Digits found for |v|: `digits` (a positive integer below 2^31, possibly with trailing
 * zeros) times 10^`exponent`, the decimal float32Text prints; or, when a toPrecision probe found it (digits
 * 0), that decimal as the double `value`. Shared with ir/float-ascii.ts, which writes the text as bytes.
 */
export const SHORTEST = { digits: 0, exponent: 0, value: 0 };

/**
 * Finds the shortest decimal of |v| into SHORTEST and returns true, for a finite, normal float32 v whose
 * significand is not a power of two; otherwise returns false, and float32TextByCounting answers. (How: see
 * float32Text.)
 */
export function shortestFloat32Digits(v: number): boolean {
  if (v === 0 || !Number.isFinite(v)) return false;
  F32[0] = v;
  const bits = U32[0];
  if (F32[0] !== v || (bits & 0x7fffff) === 0 || (bits & 0x7f800000) === 0) return false;
  const a = Math.abs(v);
  const exact = scaleExactly(a);
  if (!exact) nineDigits(a);
  // Invariant: every count below lo fails; hi reads back (9 always does for a float32, checked below).
  let lo = 1;
  let hi = 9;
  let found = NaN;
  let foundDigits = 0;
  let foundExponent = 0;
  let p = 8;
  while (lo < hi) {
    probeDigits = 0;
    const n = exact ? exactReadBack(a, p) : digitsReadBack(a, p);
    if (n === n) {
      hi = p;
      found = n;
      foundDigits = probeDigits;
      foundExponent = probeExponent;
    } else lo = p + 1;
    p = hi === 8 ? 7 : (lo + hi) >> 1;
  }
  if (found !== found) {
    probeDigits = 0;
    found = exact ? exactReadBack(a, hi) : digitsReadBack(a, hi);
    if (found !== found) return false;
    foundDigits = probeDigits;
    foundExponent = probeExponent;
  }
  SHORTEST.digits = foundDigits;
  SHORTEST.exponent = foundExponent;
  SHORTEST.value = found;
  return true;
}

/**
 * Shortest decimal string s with Math.fround(Number(s)) identical to v (a float32 value); keeps -0.
 *
 * The same answer as trying 1, 2, ... 9 significant digits in turn (float32TextByCounting), found with
 * three or four tries instead of up to nine, each in arithmetic: on v scaled exactly to nine digits before the point
 * (exactReadBack) or, far from 1, on the digits of v.toPrecision(9) (digitsReadBack); and the text is
 * written from the digits found (decimalText). For a normal float32 whose significand is not a power of two,
 * the decimals that read back as v form an interval symmetric about v (both roundings, to double and then
 * to float32, happen within one binade, with ties on both sides of the same parity), and p + 1 digits
 * round v at least as closely as p digits do: once p digits read back, every longer count does. So the
 * smallest count is found by bisection, trying 8 and 7 first (where most values end). Powers of two (a
 * lopsided interval), subnormals and non-float32 inputs are counted one by one as before.
 * test/csv-path-differential.test.ts checks both against each other on random bit patterns and edge cases.
 */
export function float32Text(v: number): string {
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  if (!Number.isFinite(v)) return String(v); // Infinity, -Infinity, NaN: Number() reads these back
  if (!shortestFloat32Digits(v)) return float32TextByCounting(v);
  if (SHORTEST.digits > 0) return decimalText(SHORTEST.digits, SHORTEST.exponent, v < 0);
  return (v < 0 ? -SHORTEST.value : SHORTEST.value).toString();
}

/** Text for a float64 parameter (threshold, bound): JavaScript's shortest round-trip form, keeping -0. */
export function float64Text(v: number): string {
  return Object.is(v, -0) ? '-0' : v.toString();
}
