// Float32 multiply-accumulate over many independent lanes (samples) at once: a WebAssembly SIMD kernel emitted
// byte by byte here, with a plain-JS fallback, both bit-exactly ir/numerics.ts accumulateDot in every lane.

export interface MacKernel {
  /** Float32 view over the kernel's memory; re-read after `reserve` (growth replaces it). */
  readonly f32: Float32Array;
  /** 'wasm-simd' or 'js' (fallback when WebAssembly SIMD does not validate). */
  readonly kind: 'wasm-simd' | 'js';
  /** Ensures the memory holds at least `floats` float32 values (grows the wasm memory; the JS fallback reallocates, copying). */
  reserve(floats: number): void;
  /**
   * For k < count, for lane l < lanes:
   *   acc = from ? M[accOff + k*accStride + l] : +0
   *   for j < len: acc = f32(acc + f32(M[wOff + k*wStride + j] * M[xOff + j*xStride + l]))
   *   M[accOff + k*accStride + l] = acc
   * All offsets/strides in float32 elements of the same memory M. lanes, accStride and xStride are multiples of 4;
   * accOff and xOff are multiples of 4 (16-byte aligned); wOff is arbitrary. The accumulator rows must not
   * overlap the weight rows or the inputs read (lanes are computed together, not one after another).
   * Throws a RangeError for a misaligned or out-of-bounds call, before touching memory.
   */
  accumulateRows(count: number, accOff: number, accStride: number, wOff: number, wStride: number, xOff: number, xStride: number, len: number, lanes: number, from: 0 | 1): void;
  /**
   * How a neuron ends, for relu and linear (ir/numerics.ts: addBias, the activation, gate), over lanes:
   * for k < count, for lane l < lanes:
   *   h = f32(M[accOff + k*accStride + l] + M[biasOff + k*biasStride])
   *   if relu: h = h > 0 ? h : +0
   *   if gate: h = f32(h * M[ctlOff + k*ctlStride + l])
   *   M[outOff + k*outStride + l] = h
   * accOff, outOff, ctlOff and their strides and lanes are multiples of 4; out may be acc (in place).
   */
  finishRows(count: number, accOff: number, accStride: number, biasOff: number, biasStride: number, outOff: number, outStride: number, ctlOff: number, ctlStride: number, lanes: number, relu: 0 | 1, gate: 0 | 1): void;
  /**
   * A neuron per row, for relu and linear: accumulateRows from +0, each row's sums then ended as finishRows
   * ends them, without storing the sums: for k < count, for lane l < lanes:
   *   acc = the dot product of row k's len weights (from wOff + k*wStride) with lane l's inputs, as accumulateRows
   *   h = f32(acc + M[wOff + k*wStride + len])          (the bias: the word after the row's weights)
   *   if relu: h = h > 0 ? h : +0
   *   if gate: h = f32(h * M[ctlOff + k*outStride + l])  (the control rows, as far apart as the outputs)
   *   M[outOff + k*outStride + l] = h
   * Alignment as accumulateRows's (ctlOff too); the output rows must not overlap the weights or the inputs.
   */
  neuronRows(count: number, outOff: number, outStride: number, wOff: number, wStride: number, xOff: number, xStride: number, len: number, lanes: number, relu: 0 | 1, gate: 0 | 1, ctlOff: number): void;
  /** For l < lanes, j < len: M[dst + l*dstLane + j*dstWord] = M[src + l*srcLane + j*srcWord], bits unchanged:
   *  samples into lane-minor rows and back (a transpose). The two ranges must not overlap. */
  copyStrided(dst: number, dstLane: number, dstWord: number, src: number, srcLane: number, srcWord: number, lanes: number, len: number): void;
}

const PAGE_BYTES = 65536;
const PAGE_FLOATS = PAGE_BYTES / 4;

// ---------------------------------------------------------------------------------------------------------
// A tiny wasm encoder: just what one function over an imported memory needs.

class Bytes {
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

const T_I32 = 0x7f;
const T_V128 = 0x7b;
const BLOCK_VOID = 0x40;

const OP = {
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

const SIMD = {
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
class Code extends Bytes {
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

// Locals of the exported function `mac`. Parameters (all i32, byte units except count and from):
const P_COUNT = 0;
const P_ACC = 1; //  address of row k's accumulators (advanced by accStride per k)
const P_ACC_S = 2;
const P_W = 3; //    address of row k's weights (advanced by wStride per k)
const P_W_S = 4;
const P_X = 5;
const P_X_S = 6;
const P_LEN_B = 7; // len * 4
const P_LANES_B = 8; // lanes * 4
const P_FROM = 9;
const P_CTL = 9; //   in the neu functions (no from: they start at +0): row k's gates, rows as far apart as the outputs'
const N_PARAMS = 10;
// Declared locals:
const L_LANE = 10; // byte offset of the current lane group within the row
const L_ACC_P = 11; // row k's accumulators of this lane group
const L_ACC_P2 = 12; // row k+1's, in a two-row pass
const L_XP = 13;
const L_WP = 14;
const L_W_END = 15;
const N_I32_LOCALS = 6;
const L_S = 16; //   w[j] of row k in every lane; L_S + 1 the same for row k+1
const L_X = 18; //   one input vector, shared by the two rows of a two-row pass
const L_A0 = 19; //  the v128 accumulators: row r, vector i at L_A0 + r * MAX_V + i

/**
 * Vectors per pass, widest first, for passes over two rows (k, k+1) and over one (the last row of an odd
 * count). A pass keeps its accumulators in locals across the whole j loop; w[j] is loaded once per j for all
 * its vectors, and in a two-row pass each input vector is loaded once for both rows. The independent
 * accumulators also let the adds of one j overlap instead of waiting on one dependency chain. Narrower passes
 * take the lanes left over. The widths are what V8 keeps in x64's 16 xmm registers without spilling: it
 * hoists a j's loads above its arithmetic, so 2 x 4 accumulators + 4 inputs + 2 splats just fit, while a
 * one-row pass of 8 vectors spilled and ran at about 60% of the speed of the 4-vector one.
 */
const PASSES_2 = [4, 2, 1];
const PASSES_1 = [4, 2, 1];
const MAX_V = Math.max(...PASSES_2, ...PASSES_1);
const acc = (r: number, i: number): number => L_A0 + r * MAX_V + i;

/** One pass over lane groups of `v` vectors in `rows` rows, while a whole group still fits in the row. */
/** How a pass ends: its sums stored (`mac`), or finished as a neuron (the `neu` functions: bias, relu, gate). */
interface PassEnd {
  relu: boolean;
  gate: boolean;
}

function emitPass(c: Code, rows: 1 | 2, v: number, finish: PassEnd | null): void {
  const width = 16 * v;
  const accP = [L_ACC_P, L_ACC_P2];
  c.byte(OP.block, BLOCK_VOID); // label 1 inside the loop: pass done
  c.byte(OP.loop, BLOCK_VOID); //  label 0: next lane group
  c.get(L_LANE).i32(width).byte(OP.i32Add).get(P_LANES_B).byte(OP.i32GtU).byte(OP.brIf).u32(1);

  c.get(P_ACC).get(L_LANE).byte(OP.i32Add).set(L_ACC_P);
  if (rows === 2) c.get(L_ACC_P).get(P_ACC_S).byte(OP.i32Add).set(L_ACC_P2);
  // +0 in every lane, as accumulateDot starts: 0 + (-0) is +0, so a -0 start would differ in sign.
  const zero = () => {
    for (let r = 0; r < rows; r++) for (let i = 0; i < v; i++) c.simd(SIMD.v128Const).byte(...new Array<number>(16).fill(0)).set(acc(r, i));
  };
  if (finish) zero();
  else {
    c.get(P_FROM).byte(OP.if, BLOCK_VOID);
    for (let r = 0; r < rows; r++) for (let i = 0; i < v; i++) c.get(accP[r]).simd(SIMD.v128Load).mem(4, 16 * i).set(acc(r, i));
    c.byte(OP.else);
    zero();
    c.byte(OP.end);
  }

  c.get(P_X).get(L_LANE).byte(OP.i32Add).set(L_XP);
  c.get(P_W).tee(L_WP).get(P_LEN_B).byte(OP.i32Add).set(L_W_END);

  c.byte(OP.block, BLOCK_VOID); // label 1 inside the j loop: no (more) j
  c.get(P_LEN_B).byte(OP.i32Eqz).byte(OP.brIf).u32(0);
  c.byte(OP.loop, BLOCK_VOID); //  label 0: next j, strictly ascending (the summation order is the result)
  c.get(L_WP).byte(OP.f32Load).mem(2, 0).simd(SIMD.f32x4Splat).set(L_S);
  if (rows === 2) c.get(L_WP).get(P_W_S).byte(OP.i32Add).byte(OP.f32Load).mem(2, 0).simd(SIMD.f32x4Splat).set(L_S + 1);
  // Exactness: f32x4.mul rounds the product to float32 and f32x4.add rounds the sum, each IEEE per lane, in
  // two separate instructions (wasm has no fusing) -- exactly f32(acc + f32(w * x)). Operands in the
  // reference's order (w * x, acc + p), though only NaN payloads could tell.
  for (let i = 0; i < v; i++) {
    if (rows === 1) {
      c.get(acc(0, i)).get(L_S).get(L_XP).simd(SIMD.v128Load).mem(4, 16 * i).simd(SIMD.f32x4Mul).simd(SIMD.f32x4Add).set(acc(0, i));
    } else {
      c.get(L_XP).simd(SIMD.v128Load).mem(4, 16 * i).set(L_X);
      for (let r = 0; r < rows; r++) c.get(acc(r, i)).get(L_S + r).get(L_X).simd(SIMD.f32x4Mul).simd(SIMD.f32x4Add).set(acc(r, i));
    }
  }
  c.get(L_XP).get(P_X_S).byte(OP.i32Add).set(L_XP);
  c.get(L_WP).i32(4).byte(OP.i32Add).tee(L_WP).get(L_W_END).byte(OP.i32Ne).byte(OP.brIf).u32(0);
  c.byte(OP.end); // loop j
  c.byte(OP.end); // block

  if (finish) {
    // As finishRows: h = f32(sum + bias), relu as pmax(+0, h), gate h * c; row r's bias is the word after its
    // weights (at L_W_END, the j loop's end, plus r rows), its gate in the control row at the same offset.
    for (let r = 0; r < rows; r++) {
      c.get(L_W_END);
      if (r === 1) c.get(P_W_S).byte(OP.i32Add);
      c.byte(OP.f32Load).mem(2, 0).simd(SIMD.f32x4Splat).set(L_S);
      for (let i = 0; i < v; i++) {
        c.get(accP[r]).get(acc(r, i)).get(L_S).simd(SIMD.f32x4Add);
        if (finish.relu) c.set(L_X).simd(SIMD.v128Const).byte(...new Array<number>(16).fill(0)).get(L_X).simd(SIMD.f32x4Pmax);
        if (finish.gate) {
          c.get(P_CTL).get(L_LANE).byte(OP.i32Add);
          if (r === 1) c.get(P_ACC_S).byte(OP.i32Add);
          c.simd(SIMD.v128Load).mem(4, 16 * i).simd(SIMD.f32x4Mul);
        }
        c.simd(SIMD.v128Store).mem(4, 16 * i);
      }
    }
  } else for (let r = 0; r < rows; r++) for (let i = 0; i < v; i++) c.get(accP[r]).get(acc(r, i)).simd(SIMD.v128Store).mem(4, 16 * i);
  c.get(L_LANE).i32(width).byte(OP.i32Add).set(L_LANE);
  c.byte(OP.br).u32(0);
  c.byte(OP.end); // loop
  c.byte(OP.end); // block
}

/** After the passes over `rows` rows: on to the next rows. */
function emitAdvance(c: Code, rows: number, finish: PassEnd | null): void {
  c.get(P_ACC).get(P_ACC_S).i32(rows).byte(OP.i32Mul).byte(OP.i32Add).set(P_ACC);
  if (finish?.gate) c.get(P_CTL).get(P_ACC_S).i32(rows).byte(OP.i32Mul).byte(OP.i32Add).set(P_CTL);
  c.get(P_W).get(P_W_S).i32(rows).byte(OP.i32Mul).byte(OP.i32Add).set(P_W);
  c.get(P_COUNT).i32(rows).byte(OP.i32Sub).set(P_COUNT);
}

// The exported function `fin` (finishRows): parameters, all i32, byte units except count, relu and gate.
const F_COUNT = 0;
const F_ACC = 1;
const F_ACC_S = 2;
const F_BIAS = 3;
const F_BIAS_S = 4;
const F_OUT = 5;
const F_OUT_S = 6;
const F_CTL = 7;
const F_CTL_S = 8;
const F_LANES_B = 9;
const F_RELU = 10;
const F_GATE = 11;
const F_PARAMS = 12;
const F_LANE = 12;
const F_B = 13; // the bias in every lane
const F_V = 14;

/** fin: per row, bias, relu as pmax(+0, h) (= h > 0 ? h : +0, also for NaN and -0), gate; each an IEEE
 *  float32 operation per lane, as addBias, the relu and gate compute them. */
function finishBody(): Code {
  const c = new Code();
  c.u32(2).u32(1).byte(T_I32).u32(2).byte(T_V128);
  c.byte(OP.block, BLOCK_VOID);
  c.get(F_COUNT).byte(OP.i32Eqz).byte(OP.brIf).u32(0);
  c.byte(OP.loop, BLOCK_VOID); // rows
  c.get(F_BIAS).byte(OP.f32Load).mem(2, 0).simd(SIMD.f32x4Splat).set(F_B);
  c.i32(0).set(F_LANE);
  c.byte(OP.block, BLOCK_VOID);
  c.byte(OP.loop, BLOCK_VOID); // lane vectors
  c.get(F_LANE).get(F_LANES_B).byte(OP.i32GeU).byte(OP.brIf).u32(1);
  c.get(F_ACC).get(F_LANE).byte(OP.i32Add).simd(SIMD.v128Load).mem(4, 0).get(F_B).simd(SIMD.f32x4Add).set(F_V);
  c.get(F_RELU).byte(OP.if, BLOCK_VOID);
  c.simd(SIMD.v128Const).byte(...new Array<number>(16).fill(0)).get(F_V).simd(SIMD.f32x4Pmax).set(F_V);
  c.byte(OP.end);
  c.get(F_GATE).byte(OP.if, BLOCK_VOID);
  c.get(F_V).get(F_CTL).get(F_LANE).byte(OP.i32Add).simd(SIMD.v128Load).mem(4, 0).simd(SIMD.f32x4Mul).set(F_V);
  c.byte(OP.end);
  c.get(F_OUT).get(F_LANE).byte(OP.i32Add).get(F_V).simd(SIMD.v128Store).mem(4, 0);
  c.get(F_LANE).i32(16).byte(OP.i32Add).set(F_LANE);
  c.byte(OP.br).u32(0);
  c.byte(OP.end).byte(OP.end); // loop, block
  for (const [at, stride] of [[F_ACC, F_ACC_S], [F_BIAS, F_BIAS_S], [F_OUT, F_OUT_S], [F_CTL, F_CTL_S]]) c.get(at).get(stride).byte(OP.i32Add).set(at);
  c.get(F_COUNT).i32(1).byte(OP.i32Sub).tee(F_COUNT).byte(OP.brIf).u32(0);
  c.byte(OP.end).byte(OP.end).byte(OP.end); // loop, block, function
  return c;
}

// The exported function `copy` (copyStrided): parameters, all i32, byte units except lanes and len.
const C_DST = 0;
const C_DST_LANE = 1;
const C_DST_WORD = 2;
const C_SRC = 3;
const C_SRC_LANE = 4;
const C_SRC_WORD = 5;
const C_LANES = 6;
const C_LEN = 7;
const C_PARAMS = 8;
const C_J = 8;
const C_DP = 9;
const C_SP = 10;

/** copy: lane by lane, word by word; f32.load and f32.store move the bits as they are. */
function copyBody(): Code {
  const c = new Code();
  c.u32(1).u32(3).byte(T_I32);
  c.byte(OP.block, BLOCK_VOID);
  c.get(C_LANES).byte(OP.i32Eqz).byte(OP.brIf).u32(0);
  c.get(C_LEN).byte(OP.i32Eqz).byte(OP.brIf).u32(0);
  c.byte(OP.loop, BLOCK_VOID); // lanes
  c.get(C_DST).set(C_DP).get(C_SRC).set(C_SP).get(C_LEN).set(C_J);
  c.byte(OP.loop, BLOCK_VOID); // words
  c.get(C_DP).get(C_SP).byte(OP.f32Load).mem(2, 0).byte(OP.f32Store).mem(2, 0);
  c.get(C_DP).get(C_DST_WORD).byte(OP.i32Add).set(C_DP);
  c.get(C_SP).get(C_SRC_WORD).byte(OP.i32Add).set(C_SP);
  c.get(C_J).i32(1).byte(OP.i32Sub).tee(C_J).byte(OP.brIf).u32(0);
  c.byte(OP.end);
  c.get(C_DST).get(C_DST_LANE).byte(OP.i32Add).set(C_DST);
  c.get(C_SRC).get(C_SRC_LANE).byte(OP.i32Add).set(C_SRC);
  c.get(C_LANES).i32(1).byte(OP.i32Sub).tee(C_LANES).byte(OP.brIf).u32(0);
  c.byte(OP.end).byte(OP.end).byte(OP.end); // loop, block, function
  return c;
}

// The exported function `tr` (the bulk of copyStrided between a sample-major and a lane-minor layout):
// parameters, all i32, byte units except rows and cols (multiples of 4, the caller's bulk).
const T_DST = 0;
const T_DST_ROW = 1;
const T_SRC = 2;
const T_SRC_ROW = 3;
const T_ROWS = 4;
const T_COLS = 5;
const T_PARAMS = 6;
const T_C = 6;
const T_SP = 7;
const T_DP = 8;
const T_A = 9; //   4 v128 loaded rows, then 4 v128 half-shuffled (T_A + 4 ..)

/** Float lane indices (0-3 the first operand's, 4-7 the second's) as i8x16.shuffle's 16 byte indices. */
function shuffleBytes(lanes: readonly number[]): number[] {
  return lanes.flatMap((f) => [4 * f, 4 * f + 1, 4 * f + 2, 4 * f + 3]);
}

/** tr: A[r][c] at src + r*srcRow + 4c to B[c][r] at dst + c*dstRow + 4r, a 4 x 4 tile at a time: four v128
 *  loads, two rounds of i8x16.shuffle (bits move unchanged), four v128 stores. */
function transposeBody(): Code {
  const c = new Code();
  c.u32(2).u32(3).byte(T_I32).u32(8).byte(T_V128);
  const row = (base: number, stride: number, i: number) => {
    c.get(base);
    for (let k = 0; k < i; k++) c.get(stride).byte(OP.i32Add);
  };
  c.byte(OP.block, BLOCK_VOID);
  c.get(T_ROWS).byte(OP.i32Eqz).byte(OP.brIf).u32(0);
  c.get(T_COLS).byte(OP.i32Eqz).byte(OP.brIf).u32(0);
  c.byte(OP.loop, BLOCK_VOID); // 4 rows of A at a time
  c.get(T_SRC).set(T_SP).get(T_DST).set(T_DP).get(T_COLS).set(T_C);
  c.byte(OP.loop, BLOCK_VOID); // 4 columns of A at a time
  for (let i = 0; i < 4; i++) {
    row(T_SP, T_SRC_ROW, i);
    c.simd(SIMD.v128Load).mem(0, 0).set(T_A + i);
  }
  // Round 1 interleaves rows (0, 1) and (2, 3); round 2 takes each column's four values into one vector.
  const round = [
    [T_A + 4, T_A + 0, T_A + 1, [0, 4, 1, 5]],
    [T_A + 5, T_A + 0, T_A + 1, [2, 6, 3, 7]],
    [T_A + 6, T_A + 2, T_A + 3, [0, 4, 1, 5]],
    [T_A + 7, T_A + 2, T_A + 3, [2, 6, 3, 7]],
  ] as const;
  for (const [to, a, b, lanes] of round) c.get(a).get(b).simd(SIMD.i8x16Shuffle).byte(...shuffleBytes(lanes)).set(to);
  const columns = [
    [T_A + 4, T_A + 6, [0, 1, 4, 5]],
    [T_A + 4, T_A + 6, [2, 3, 6, 7]],
    [T_A + 5, T_A + 7, [0, 1, 4, 5]],
    [T_A + 5, T_A + 7, [2, 3, 6, 7]],
  ] as const;
  columns.forEach(([a, b, lanes], i) => {
    row(T_DP, T_DST_ROW, i);
    c.get(a).get(b).simd(SIMD.i8x16Shuffle).byte(...shuffleBytes(lanes)).simd(SIMD.v128Store).mem(0, 0);
  });
  c.get(T_SP).i32(16).byte(OP.i32Add).set(T_SP);
  row(T_DP, T_DST_ROW, 4);
  c.set(T_DP);
  c.get(T_C).i32(4).byte(OP.i32Sub).tee(T_C).byte(OP.brIf).u32(0);
  c.byte(OP.end);
  row(T_SRC, T_SRC_ROW, 4);
  c.set(T_SRC);
  c.get(T_DST).i32(16).byte(OP.i32Add).set(T_DST);
  c.get(T_ROWS).i32(4).byte(OP.i32Sub).tee(T_ROWS).byte(OP.brIf).u32(0);
  c.byte(OP.end).byte(OP.end).byte(OP.end); // loop, block, function
  return c;
}

/** `mac` (finish null), or a `neu` function: the same passes, ending each one as the neuron ends. */
function multiplyBody(finish: PassEnd | null): Code {
  const body = new Code();
  body.u32(2).u32(N_I32_LOCALS).byte(T_I32).u32(L_A0 - L_S + 2 * MAX_V).byte(T_V128); // local declarations
  body.byte(OP.block, BLOCK_VOID);
  body.get(P_COUNT).byte(OP.i32Eqz).byte(OP.brIf).u32(0);
  body.byte(OP.loop, BLOCK_VOID); // rows k, k+1 while two are left, then the last one
  body.i32(0).set(L_LANE);
  body.get(P_COUNT).i32(1).byte(OP.i32GtU).byte(OP.if, BLOCK_VOID);
  for (const v of PASSES_2) emitPass(body, 2, v, finish);
  emitAdvance(body, 2, finish);
  body.byte(OP.else);
  for (const v of PASSES_1) emitPass(body, 1, v, finish);
  emitAdvance(body, 1, finish);
  body.byte(OP.end);
  body.get(P_COUNT).byte(OP.brIf).u32(0);
  body.byte(OP.end).byte(OP.end).byte(OP.end); // loop, block, function
  return body;
}

/** The neu functions' export names, by relu and gate. */
const NEU_VARIANTS = [
  { name: 'neu', relu: false, gate: false },
  { name: 'neuRelu', relu: true, gate: false },
  { name: 'neuGate', relu: false, gate: true },
  { name: 'neuReluGate', relu: true, gate: true },
] as const;

function buildModuleBytes(): Uint8Array<ArrayBuffer> {
  const body = multiplyBody(null);

  const funcType = new Bytes().byte(0x60).u32(N_PARAMS);
  for (let i = 0; i < N_PARAMS; i++) funcType.byte(T_I32);
  funcType.u32(0);
  const finType = new Bytes().byte(0x60).u32(F_PARAMS);
  for (let i = 0; i < F_PARAMS; i++) finType.byte(T_I32);
  finType.u32(0);
  const fin = finishBody();
  const copyType = new Bytes().byte(0x60).u32(C_PARAMS);
  for (let i = 0; i < C_PARAMS; i++) copyType.byte(T_I32);
  copyType.u32(0);
  const copy = copyBody();
  const trType = new Bytes().byte(0x60).u32(T_PARAMS);
  for (let i = 0; i < T_PARAMS; i++) trType.byte(T_I32);
  trType.u32(0);
  const tr = transposeBody();
  const memImport = new Bytes().name('env').name('memory').byte(0x02).byte(0x00).u32(1); // memory, min 1 page, no max
  const funcExport = new Bytes().name('mac').byte(0x00).u32(0);
  const finExport = new Bytes().name('fin').byte(0x00).u32(1);
  const codeEntry = new Bytes().u32(body.out.length).byte(...body.out);
  const finEntry = new Bytes().u32(fin.out.length).byte(...fin.out);
  const copyExport = new Bytes().name('copy').byte(0x00).u32(2);
  const copyEntry = new Bytes().u32(copy.out.length).byte(...copy.out);
  const trExport = new Bytes().name('tr').byte(0x00).u32(3);
  const trEntry = new Bytes().u32(tr.out.length).byte(...tr.out);

  const m = new Bytes().byte(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00);
  // The neu functions take mac's type (their from is the control rows' address), as functions 4 onwards.
  const neuExports = NEU_VARIANTS.map((v, i) => new Bytes().name(v.name).byte(0x00).u32(4 + i));
  const neuEntries = NEU_VARIANTS.map((v) => {
    const b = multiplyBody(v);
    return new Bytes().u32(b.out.length).byte(...b.out);
  });
  const functions = new Bytes().u32(4 + NEU_VARIANTS.length).u32(0).u32(1).u32(2).u32(3);
  for (let i = 0; i < NEU_VARIANTS.length; i++) functions.u32(0);

  m.section(1, new Bytes().vec([funcType, finType, copyType, trType]));
  m.section(2, new Bytes().vec([memImport]));
  m.section(3, functions);
  m.section(7, new Bytes().vec([funcExport, finExport, copyExport, trExport, ...neuExports]));
  m.section(10, new Bytes().vec([codeEntry, finEntry, copyEntry, trEntry, ...neuEntries]));
  return new Uint8Array(m.out);
}

/** The compiled module, or null where WebAssembly SIMD does not validate; built on first use. */
let compiled: WebAssembly.Module | null | undefined;

function simdModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    compiled = null;
    if (typeof WebAssembly === 'object') {
      const bytes = buildModuleBytes();
      if (WebAssembly.validate(bytes)) compiled = new WebAssembly.Module(bytes);
    }
  }
  return compiled;
}

// ---------------------------------------------------------------------------------------------------------

function check(name: string, v: number, multipleOf4: boolean): void {
  if (!Number.isSafeInteger(v) || v < 0 || (multipleOf4 && v % 4 !== 0)) {
    throw new RangeError(`accumulateRows: ${name} = ${v} must be a non-negative integer${multipleOf4 ? ' multiple of 4' : ''}`);
  }
}

/** Validates a call against a memory of `capacity` floats (the same rules for both kinds). */
function checkCall(capacity: number, count: number, accOff: number, accStride: number, wOff: number, wStride: number, xOff: number, xStride: number, len: number, lanes: number, from: number): void {
  check('count', count, false);
  check('accOff', accOff, true);
  check('accStride', accStride, true);
  check('wOff', wOff, false);
  check('wStride', wStride, false);
  check('xOff', xOff, true);
  check('xStride', xStride, true);
  check('len', len, false);
  check('lanes', lanes, true);
  if (from !== 0 && from !== 1) throw new RangeError(`accumulateRows: from = ${from} must be 0 or 1`);
  if (count === 0 || lanes === 0) return;
  const accEnd = accOff + (count - 1) * accStride + lanes;
  const wEnd = len === 0 ? 0 : wOff + (count - 1) * wStride + len;
  const xEnd = len === 0 ? 0 : xOff + (len - 1) * xStride + lanes;
  if (accEnd > capacity || wEnd > capacity || xEnd > capacity) {
    throw new RangeError(`accumulateRows: reaches float ${Math.max(accEnd, wEnd, xEnd)} of a memory of ${capacity}`);
  }
}

function pagesFor(floats: number): number {
  if (!Number.isSafeInteger(floats) || floats < 0) throw new RangeError(`reserve: ${floats} floats`);
  return Math.max(1, Math.ceil(floats / PAGE_FLOATS));
}

type MacFn = (count: number, acc: number, accS: number, w: number, wS: number, x: number, xS: number, lenB: number, lanesB: number, from: number) => void;
type FinFn = (count: number, acc: number, accS: number, bias: number, biasS: number, out: number, outS: number, ctl: number, ctlS: number, lanesB: number, relu: number, gate: number) => void;

type CopyFn = (dst: number, dL: number, dW: number, src: number, sL: number, sW: number, lanes: number, len: number) => void;
type TransposeFn = (dst: number, dstRow: number, src: number, srcRow: number, rows: number, cols: number) => void;

/** Validates a copyStrided call: every index it reaches lies in [0, capacity). */
function checkCopy(capacity: number, dst: number, dstLane: number, dstWord: number, src: number, srcLane: number, srcWord: number, lanes: number, len: number): void {
  for (const [name, v] of [['dst', dst], ['dstLane', dstLane], ['dstWord', dstWord], ['src', src], ['srcLane', srcLane], ['srcWord', srcWord], ['lanes', lanes], ['len', len]] as const) check(name, v, false);
  if (lanes === 0 || len === 0) return;
  const last = (at: number, lane: number, word: number) => at + (lanes - 1) * lane + (len - 1) * word;
  if (last(dst, dstLane, dstWord) >= capacity || last(src, srcLane, srcWord) >= capacity) throw new RangeError(`copyStrided: reaches past a memory of ${capacity}`);
}

/** Validates a neuronRows call: accumulateRows's rules, and the biases and gates it reads in range. */
function checkNeuron(capacity: number, count: number, outOff: number, outStride: number, wOff: number, wStride: number, xOff: number, xStride: number, len: number, lanes: number, gate: number, ctlOff: number): void {
  checkCall(capacity, count, outOff, outStride, wOff, wStride, xOff, xStride, len, lanes, 0);
  check('ctlOff', ctlOff, true);
  if (count === 0 || lanes === 0) return;
  const end = Math.max(wOff + (count - 1) * wStride + len + 1, gate ? ctlOff + (count - 1) * outStride + lanes : 0);
  if (end > capacity) throw new RangeError(`neuronRows: reaches float ${end} of a memory of ${capacity}`);
}

/** Validates a finishRows call against a memory of `capacity` floats. */
function checkFinish(capacity: number, count: number, accOff: number, accStride: number, biasOff: number, biasStride: number, outOff: number, outStride: number, ctlOff: number, ctlStride: number, lanes: number, gate: number): void {
  for (const [name, v] of [['accOff', accOff], ['accStride', accStride], ['outOff', outOff], ['outStride', outStride], ['ctlOff', ctlOff], ['ctlStride', ctlStride], ['lanes', lanes]] as const) check(name, v, true);
  check('count', count, false);
  check('biasOff', biasOff, false);
  check('biasStride', biasStride, false);
  if (count === 0 || lanes === 0) return;
  const end = (off: number, stride: number, n: number) => off + (count - 1) * stride + n;
  if (end(accOff, accStride, lanes) > capacity || end(outOff, outStride, lanes) > capacity || end(biasOff, biasStride, 1) > capacity || (gate && end(ctlOff, ctlStride, lanes) > capacity))
    throw new RangeError(`finishRows: reaches past a memory of ${capacity}`);
}

class WasmMacKernel implements MacKernel {
  readonly kind = 'wasm-simd' as const;
  private readonly memory: WebAssembly.Memory;
  private readonly mac: MacFn;
  private readonly fin: FinFn;
  private readonly copy: CopyFn;
  private readonly tr: TransposeFn;
  /** The neu functions, indexed relu + 2 * gate. */
  private readonly neu: MacFn[];
  private view: Float32Array;

  constructor(module: WebAssembly.Module, initialFloats: number) {
    this.memory = new WebAssembly.Memory({ initial: pagesFor(initialFloats) });
    const instance = new WebAssembly.Instance(module, { env: { memory: this.memory } });
    this.mac = instance.exports.mac as MacFn;
    this.fin = instance.exports.fin as FinFn;
    this.copy = instance.exports.copy as CopyFn;
    this.tr = instance.exports.tr as TransposeFn;
    this.neu = NEU_VARIANTS.map((v) => instance.exports[v.name] as MacFn);
    this.view = new Float32Array(this.memory.buffer);
  }

  get f32(): Float32Array {
    return this.view;
  }

  reserve(floats: number): void {
    const have = this.memory.buffer.byteLength / PAGE_BYTES;
    const need = pagesFor(floats);
    if (need > have) {
      this.memory.grow(need - have);
      this.view = new Float32Array(this.memory.buffer); // growth detached the old buffer
    }
  }

  accumulateRows(count: number, accOff: number, accStride: number, wOff: number, wStride: number, xOff: number, xStride: number, len: number, lanes: number, from: 0 | 1): void {
    checkCall(this.view.length, count, accOff, accStride, wOff, wStride, xOff, xStride, len, lanes, from);
    // Byte addresses beyond 2^31 pass as negative i32s with the same bits; wasm reads them unsigned.
    this.mac(count, accOff * 4, accStride * 4, wOff * 4, wStride * 4, xOff * 4, xStride * 4, len * 4, lanes * 4, from);
  }

  neuronRows(count: number, outOff: number, outStride: number, wOff: number, wStride: number, xOff: number, xStride: number, len: number, lanes: number, relu: 0 | 1, gate: 0 | 1, ctlOff: number): void {
    checkNeuron(this.view.length, count, outOff, outStride, wOff, wStride, xOff, xStride, len, lanes, gate, ctlOff);
    this.neu[relu + 2 * gate](count, outOff * 4, outStride * 4, wOff * 4, wStride * 4, xOff * 4, xStride * 4, len * 4, lanes * 4, ctlOff * 4);
  }

  finishRows(count: number, accOff: number, accStride: number, biasOff: number, biasStride: number, outOff: number, outStride: number, ctlOff: number, ctlStride: number, lanes: number, relu: 0 | 1, gate: 0 | 1): void {
    checkFinish(this.view.length, count, accOff, accStride, biasOff, biasStride, outOff, outStride, ctlOff, ctlStride, lanes, gate);
    this.fin(count, accOff * 4, accStride * 4, biasOff * 4, biasStride * 4, outOff * 4, outStride * 4, ctlOff * 4, ctlStride * 4, lanes * 4, relu, gate);
  }

  copyStrided(dst: number, dstLane: number, dstWord: number, src: number, srcLane: number, srcWord: number, lanes: number, len: number): void {
    checkCopy(this.view.length, dst, dstLane, dstWord, src, srcLane, srcWord, lanes, len);
    // A transpose (unit stride along the words on one side, along the lanes on the other) goes to `tr` in 4 x 4
    // tiles; its ragged edges, and every other layout, to the word-by-word `copy`. tr's rows run across the
    // source's unit stride: a lane's words (samples into rows) or a row's lanes (rows back into samples).
    const lanesFirst = srcWord === 1 && dstLane === 1;
    if (lanesFirst || (dstWord === 1 && srcLane === 1)) {
      const rows = lanesFirst ? lanes : len;
      const cols = lanesFirst ? len : lanes;
      const r4 = rows & ~3;
      const c4 = cols & ~3;
      this.tr(dst * 4, (lanesFirst ? dstWord : dstLane) * 4, src * 4, (lanesFirst ? srcLane : srcWord) * 4, r4, c4);
      // What the tiles left: lanes [l4, lanes) for every word, then words [j4, len) for lanes [0, l4).
      const l4 = lanesFirst ? r4 : c4;
      const j4 = lanesFirst ? c4 : r4;
      this.copy((dst + l4 * dstLane) * 4, dstLane * 4, dstWord * 4, (src + l4 * srcLane) * 4, srcLane * 4, srcWord * 4, lanes - l4, len);
      this.copy((dst + j4 * dstWord) * 4, dstLane * 4, dstWord * 4, (src + j4 * srcWord) * 4, srcLane * 4, srcWord * 4, l4, len - j4);
      return;
    }
    this.copy(dst * 4, dstLane * 4, dstWord * 4, src * 4, srcLane * 4, srcWord * 4, lanes, len);
  }
}

const f32 = Math.fround;

class JsMacKernel implements MacKernel {
  readonly kind = 'js' as const;
  private view: Float32Array;

  constructor(initialFloats: number) {
    this.view = new Float32Array(pagesFor(initialFloats) * PAGE_FLOATS);
  }

  get f32(): Float32Array {
    return this.view;
  }

  reserve(floats: number): void {
    const need = pagesFor(floats) * PAGE_FLOATS;
    if (need > this.view.length) {
      const next = new Float32Array(need);
      next.set(this.view);
      this.view = next;
    }
  }

  accumulateRows(count: number, accOff: number, accStride: number, wOff: number, wStride: number, xOff: number, xStride: number, len: number, lanes: number, from: 0 | 1): void {
    const M = this.view;
    checkCall(M.length, count, accOff, accStride, wOff, wStride, xOff, xStride, len, lanes, from);
    // Four lanes at a time in locals, as the wasm kernel's vectors: each one's j loop is the reference's.
    for (let k = 0; k < count; k++) {
      const row = accOff + k * accStride;
      const w = wOff + k * wStride;
      for (let l = 0; l < lanes; l += 4) {
        const at = row + l;
        let a0 = 0;
        let a1 = 0;
        let a2 = 0;
        let a3 = 0;
        if (from !== 0) {
          a0 = M[at];
          a1 = M[at + 1];
          a2 = M[at + 2];
          a3 = M[at + 3];
        }
        for (let j = 0, x = xOff + l; j < len; j++, x += xStride) {
          const wj = M[w + j];
          a0 = f32(a0 + f32(wj * M[x]));
          a1 = f32(a1 + f32(wj * M[x + 1]));
          a2 = f32(a2 + f32(wj * M[x + 2]));
          a3 = f32(a3 + f32(wj * M[x + 3]));
        }
        M[at] = a0;
        M[at + 1] = a1;
        M[at + 2] = a2;
        M[at + 3] = a3;
      }
    }
  }

  neuronRows(count: number, outOff: number, outStride: number, wOff: number, wStride: number, xOff: number, xStride: number, len: number, lanes: number, relu: 0 | 1, gate: 0 | 1, ctlOff: number): void {
    checkNeuron(this.view.length, count, outOff, outStride, wOff, wStride, xOff, xStride, len, lanes, gate, ctlOff);
    // Sums and ends row by row: the output rows overlap neither the weights nor the inputs, so finishing a row
    // in place changes nothing a later row reads.
    for (let k = 0; k < count; k++) {
      this.accumulateRows(1, outOff + k * outStride, outStride, wOff + k * wStride, wStride, xOff, xStride, len, lanes, 0);
      this.finishRows(1, outOff + k * outStride, outStride, wOff + k * wStride + len, wStride, outOff + k * outStride, outStride, ctlOff + k * outStride, outStride, lanes, relu, gate);
    }
  }

  finishRows(count: number, accOff: number, accStride: number, biasOff: number, biasStride: number, outOff: number, outStride: number, ctlOff: number, ctlStride: number, lanes: number, relu: 0 | 1, gate: 0 | 1): void {
    const M = this.view;
    checkFinish(M.length, count, accOff, accStride, biasOff, biasStride, outOff, outStride, ctlOff, ctlStride, lanes, gate);
    for (let k = 0; k < count; k++) {
      const b = M[biasOff + k * biasStride];
      for (let l = 0; l < lanes; l++) {
        let h = f32(M[accOff + k * accStride + l] + b);
        if (relu) h = h > 0 ? h : 0;
        if (gate) h = f32(h * M[ctlOff + k * ctlStride + l]);
        M[outOff + k * outStride + l] = h;
      }
    }
  }

  copyStrided(dst: number, dstLane: number, dstWord: number, src: number, srcLane: number, srcWord: number, lanes: number, len: number): void {
    const M = this.view;
    checkCopy(M.length, dst, dstLane, dstWord, src, srcLane, srcWord, lanes, len);
    // Through a Uint32Array, so the bits move as they are, NaN payloads included, as f32.load/f32.store move them.
    const U = new Uint32Array(M.buffer, M.byteOffset, M.length);
    for (let l = 0; l < lanes; l++) for (let j = 0; j < len; j++) U[dst + l * dstLane + j * dstWord] = U[src + l * srcLane + j * srcWord];
  }
}

/** A kernel over a fresh memory of at least `initialFloats` floats (zeroed): the wasm SIMD one unless it is
 *  unavailable or `prefer` is 'js'. */
export function createMacKernel(initialFloats: number, prefer: 'wasm-simd' | 'js' = 'wasm-simd'): MacKernel {
  const module = prefer === 'wasm-simd' ? simdModule() : null;
  return module ? new WasmMacKernel(module, initialFloats) : new JsMacKernel(initialFloats);
}
