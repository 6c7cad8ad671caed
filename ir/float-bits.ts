// A float32's bit pattern and back: the one pair of casts the ISA encoding, the float-text writer, the
// threshold sweep and the benchmarks' libm routines all use.

const F32 = new Float32Array(1);
const U32 = new Uint32Array(F32.buffer);

/** The IEEE-754 bit pattern of the float32 nearest to v, as an unsigned 32-bit integer. */
export function f32ToBits(v: number): number {
  F32[0] = v;
  return U32[0];
}

/** The float32 whose bit pattern is `bits` (a signed or unsigned 32-bit integer). */
export function bitsToF32(bits: number): number {
  U32[0] = bits >>> 0;
  return F32[0];
}
