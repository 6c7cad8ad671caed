// Single-precision helpers: rounding to float32 and access to a float32's bit pattern, for code that
// must reproduce C programs computing in `float` (and the bit tricks of their libm routines).

import { bitsToF32, f32ToBits } from '../ir/float-bits.ts';

/** Rounds to the nearest float32 (ties to even), as storing into a C `float` does. */
export const f32 = Math.fround;

/** The IEEE-754 bit pattern of the float32 nearest to x, as a signed 32-bit integer (C's `int` view). */
export function floatBits(x: number): number {
  return f32ToBits(x) | 0;
}

/** The float32 whose bit pattern is `bits` (a signed or unsigned 32-bit integer). */
export const floatFromBits = bitsToF32;
