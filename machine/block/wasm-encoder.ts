// A tiny WebAssembly encoder: just what the SIMD kernel's functions over an imported memory need (the byte
// buffer with LEB128 and sections, the opcodes used, and an instruction emitter).

export class Bytes {
  readonly out: number[] = [];
  byte(...bs: number[]): this {
    for (const b of bs) this.out.push(b);
    return this;
  }
  /** Unsigned LEB128 (values up to 2^32 - 1). */
  u32(n: number): this {
    do {
      let b = n & 0x7f;
      n = Math.floor(n / 128);
      if (n !== 0) b |= 0x80;
      this.out.push(b);
    } while (n !== 0);
    return this;
  }
  /** Signed LEB128 of an i32. */
  s32(n: number): this {
    n |= 0;
    for (;;) {
      const b = n & 0x7f;
      n >>= 7;
      if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
        this.out.push(b);
        return this;
      }
      this.out.push(b | 0x80);
    }
  }
  name(s: string): this {
    const utf8 = new TextEncoder().encode(s);
    this.u32(utf8.length);
    for (const b of utf8) this.out.push(b);
    return this;
  }
  /** A length-prefixed vector of already-encoded items. */
  vec(items: Bytes[]): this {
    this.u32(items.length);
    for (const it of items) this.byte(...it.out);
    return this;
  }
  section(id: number, body: Bytes): this {
    this.byte(id).u32(body.out.length);
    return this.byte(...body.out);
  }
}

export const T_I32 = 0x7f;
export const T_V128 = 0x7b;
export const BLOCK_VOID = 0x40;

export const OP = {
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  else: 0x05,
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  f32Load: 0x2a,
  f32Store: 0x38,
  i32Const: 0x41,
  i32Eqz: 0x45,
  i32Ne: 0x47,
  i32GtU: 0x4b,
  i32GeU: 0x4f,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i32Mul: 0x6c,
  simd: 0xfd,
} as const;

export const SIMD = {
  v128Load: 0x00,
  v128Store: 0x0b,
  v128Const: 0x0c,
  f32x4Splat: 0x13,
  f32x4Add: 0xe4,
  f32x4Mul: 0xe6,
  f32x4Pmax: 0xeb,
  i8x16Shuffle: 0x0d,
} as const;

/** Instruction emitter for a function body; labels are relative depths, as in the binary format. */
export class Code extends Bytes {
  get(i: number): this {
    return this.byte(OP.localGet).u32(i);
  }
  set(i: number): this {
    return this.byte(OP.localSet).u32(i);
  }
  tee(i: number): this {
    return this.byte(OP.localTee).u32(i);
  }
  i32(n: number): this {
    return this.byte(OP.i32Const).s32(n);
  }
  simd(op: number): this {
    return this.byte(OP.simd).u32(op);
  }
  /** memarg: log2 alignment hint, then a constant byte offset added to the address on the stack. */
  mem(alignLog2: number, offset: number): this {
    return this.u32(alignLog2).u32(offset);
  }
}
