// The SIMD kernel's WebAssembly module, emitted byte by byte: the lane-parallel multiply-add (`mac`), the fused
// neurons (`neu*`), the finish (`fin`), the strided copy (`copy`) and the 4 x 4 transpose (`tr`). Each keeps
// ir/numerics.ts's float32 order in every lane; machine/block/simd-kernel.ts calls them.

import { BLOCK_VOID, Bytes, Code, OP, SIMD, T_I32, T_V128 } from './wasm-encoder.ts';

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

/** How a pass ends: its sums stored (`mac`), or finished as a neuron (the `neu` functions: bias, relu, gate). */
interface PassEnd {
  relu: boolean;
  gate: boolean;
}

/** One pass over lane groups of `v` vectors in `rows` rows, while a whole group still fits in the row. */
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
export const NEU_VARIANTS = [
  { name: 'neu', relu: false, gate: false },
  { name: 'neuRelu', relu: true, gate: false },
  { name: 'neuGate', relu: false, gate: true },
  { name: 'neuReluGate', relu: true, gate: true },
] as const;

function buildModuleBytes(): Uint8Array<ArrayBuffer> {
  // Every function, exported by name, with its i32 parameters (function i has type i); the neu functions take
  // mac's parameters, their from being the control rows' address.
  const functions = [
    { name: 'mac', params: N_PARAMS, body: multiplyBody(null) },
    { name: 'fin', params: F_PARAMS, body: finishBody() },
    { name: 'copy', params: C_PARAMS, body: copyBody() },
    { name: 'tr', params: T_PARAMS, body: transposeBody() },
    ...NEU_VARIANTS.map((v) => ({ name: v.name, params: N_PARAMS, body: multiplyBody(v) })),
  ];
  const types = functions.map((f) => {
    const t = new Bytes().byte(0x60).u32(f.params);
    for (let i = 0; i < f.params; i++) t.byte(T_I32);
    return t.u32(0);
  });
  const memImport = new Bytes().name('env').name('memory').byte(0x02).byte(0x00).u32(1); // memory, min 1 page, no max
  const indices = new Bytes().u32(functions.length);
  functions.forEach((_, i) => indices.u32(i));

  const m = new Bytes().byte(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00);
  m.section(1, new Bytes().vec(types));
  m.section(2, new Bytes().vec([memImport]));
  m.section(3, indices);
  m.section(7, new Bytes().vec(functions.map((f, i) => new Bytes().name(f.name).byte(0x00).u32(i))));
  m.section(10, new Bytes().vec(functions.map((f) => new Bytes().u32(f.body.out.length).byte(...f.body.out))));
  return new Uint8Array(m.out);
}

/** The compiled module, or null where WebAssembly SIMD does not validate; built on first use. */
let compiled: WebAssembly.Module | null | undefined;

export function simdModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    compiled = null;
    if (typeof WebAssembly === 'object') {
      const bytes = buildModuleBytes();
      if (WebAssembly.validate(bytes)) compiled = new WebAssembly.Module(bytes);
    }
  }
  return compiled;
}
