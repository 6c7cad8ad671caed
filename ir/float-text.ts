// Decimal text for float values: the shortest decimal that reads back (via Math.fround) as the same float32,
// shared by the .axn printer, the weights-file writer, the disassembler and the simulator's CSV output;
// and the one pattern of plain decimal numbers that sample files, directives and options accept.

/** Plain decimal numbers only: no hex, binary, octal or Infinity spellings sneak in through Number().
 *  Unambiguous (no nested or overlapping repeats), so it runs in linear time on long digit runs. */
export const DECIMAL_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** Shortest decimal string s with Math.fround(Number(s)) identical to v (a float32 value); keeps -0. */
export function float32Text(v: number): string {
  if (Object.is(v, -0)) return '-0';
  if (!Number.isFinite(v)) return String(v); // Infinity, -Infinity, NaN: Number() reads these back
  for (let p = 1; p <= 9; p++) {
    const s = v.toPrecision(p);
    if (Math.fround(Number(s)) === v) return Number(s).toString();
  }
  // Not reached for float32 values (9 significant digits always suffice); exact float64 text otherwise.
  return v.toString();
}

/** Text for a float64 parameter (threshold, bound): JavaScript's shortest round-trip form, keeping -0. */
export function float64Text(v: number): string {
  return Object.is(v, -0) ? '-0' : v.toString();
}
