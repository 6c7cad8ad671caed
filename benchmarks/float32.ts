// Single-precision helpers: rounding to float32 and access to a float32's bit pattern, for code that
// must reproduce C programs computing in `float` (and the bit tricks of their libm routines).

/** Rounds to the nearest float32 (ties to even), as storing into a C `float` does. */
export const f32 = Math.fround;

const scratchF = new Float32Array(1);
const scratchI = new Int32Array(scratchF.buffer);

/** The IEEE-754 bit pattern of the float32 nearest to x, as a signed 32-bit integer. */
export function floatBits(x: number): number {
  scratchF[0] = x;
  return scratchI[0];
}

/** The float32 whose bit pattern is `bits` (a signed or unsigned 32-bit integer). */
export function floatFromBits(bits: number): number {
  scratchI[0] = bits | 0;
  return scratchF[0];
}
