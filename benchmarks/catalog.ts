// What the core may know of an AxBench benchmark without its function: name, data folder, widths and the
// estimated CPU cost of one exact evaluation. The compiler, ISA checks and frontend import this, not the library.

import { LIBM, addCounts, estimateCycles, times } from './cpu-cost.ts';

/** A benchmark's metadata; the library (benchmarks/<name>.ts) adds its exact function and tolerance. */
export interface BenchmarkInfo {
  /** 'sobel', 'inversek2j', ... ('bessel' for the bessel_Jnu data folder). */
  name: string;
  /** Folder name under shared/data/axbench ('bessel_Jnu' for bessel). */
  dataDir: string;
  inputWidth: number;
  outputWidth: number;
  /** Estimated cycles of one exact evaluation on a scalar in-order CPU core, from an operation count (the count is in a comment). */
  cpuCycles: number;
}

export const BENCHMARK_INFO = {
  sobel: {
    name: 'sobel',
    dataDir: 'sobel',
    inputWidth: 9,
    outputWidth: 1,
    // Per window: 9 loads; 2 x 9 multiply-adds in the naive loop (18 fmul + 18 fadd); 2 fmul + 1 fadd for
    // gx^2 + gy^2; 1 sqrt; 1 compare + 1 branch for the clip; loop overhead 12 int + 12 branches; 1 store.
    cpuCycles: estimateCycles({ mem: 10, fmul: 20, fadd: 20, fsqrt: 1, int: 12, branch: 13 }),
  },
  inversek2j: {
    name: 'inversek2j',
    dataDir: 'inversek2j',
    inputWidth: 2,
    outputWidth: 2,
    // 2 loads; x^2 + y^2 (2 fmul, 1 fadd); the acos argument (2 fadd, 1 fdiv; l1^2, l2^2, 2 l1 l2 are
    // constants); acos; cos and sin; the asin argument (3 fmul, 2 fadd, 1 fdiv; x^2 + y^2 reused); asin; 2 stores.
    cpuCycles: estimateCycles(
      addCounts({ mem: 4, fmul: 5, fadd: 5, fdiv: 2 }, times(2, LIBM.asincos), times(2, LIBM.sincos)),
    ),
  },
  fft: {
    name: 'fft',
    dataDir: 'fft',
    inputWidth: 1,
    outputWidth: 2,
    // 1 load, 2 fmul for the angle, one sin and one cos call, 2 conversions to float (fadd class), 2 stores.
    cpuCycles: estimateCycles(addCounts({ mem: 3, fmul: 2, fadd: 2 }, times(2, LIBM.sincos))),
  },
  bessel: {
    name: 'bessel',
    dataDir: 'bessel_Jnu',
    inputWidth: 2,
    outputWidth: 1,
    // 2 loads, 1 store. Gamma(1+nu): 8-factor product (8 fadd, 8 fmul), Stirling series (1 div, 8 fmul,
    // 8 fadd, 1 log, 1 exp, 4 fmul/fadd more), 1 div. pow(x/2, nu) = exp(nu log(x/2)) (1 log, 1 exp, 2 fmul).
    // Series: for x < 1 about 8 terms to converge, each 3 fmul, 2 fadd, 1 fdiv, 1 fabs + compare + branch.
    cpuCycles: estimateCycles(
      addCounts(
        { mem: 3, fadd: 16, fmul: 22, fdiv: 2 },
        times(2, LIBM.log),
        times(2, LIBM.exp),
        times(8, { fmul: 3, fadd: 4, fdiv: 1, branch: 2, int: 1 }),
      ),
    ),
  },
  blackscholes: {
    name: 'blackscholes',
    dataDir: 'blackscholes',
    inputWidth: 6,
    outputWidth: 1,
    // Body: 6 loads, 1 store; sqrt, log, exp; d1/d2: 4 fmul, 4 fadd, 1 fdiv; future value 2 fmul;
    // price 2 fmul + 3 fadd; 1 compare + branch on the type. Each CNDF: 1 exp, 1 compare + branch, 1 fabs,
    // 2 fmul for -x^2/2, 1 fmul phi, 1 fmul + 1 fadd + 1 fdiv for k, 4 fmul powers, 5 fmul + 4 fadd for the
    // polynomial, 1 fmul + 1 fadd for 1 - poly phi, 1 fadd for the sign: 14 fmul, 8 fadd, 1 fdiv, 1 branch, 1 call.
    cpuCycles: estimateCycles(
      addCounts(
        { mem: 7, fsqrt: 1, fmul: 8, fadd: 8, fdiv: 1, branch: 1 },
        LIBM.log,
        LIBM.exp,
        times(2, addCounts(LIBM.exp, { call: 1, fmul: 14, fadd: 8, fdiv: 1, branch: 1 })),
      ),
    ),
  },
  jpeg: {
    name: 'jpeg',
    dataDir: 'jpeg',
    inputWidth: 64,
    outputWidth: 64,
    // The original's integer work per block (the /256 scalings are the data format's, not counted):
    // level shift 64 x (load, sub, store): mem 128, int 64. 16 DCT passes, each 8 loads + 8 stores,
    // 28 add/sub (8 sums/differences, 4 even butterflies, 2 DC/Nyquist, 2 even-part, 12 odd-part), 20 imul
    // (4 even, 16 odd), 8 shifts: mem 256, int 576, imul 320. Quantization 64 x (load coefficient, load
    // reciprocal, imul, add, shift, store): mem 256, imul 64, int 128. Zigzag stores are the quantization
    // stores (indexed). Loop overhead for 144 iterations: int 144, branch 144.
    cpuCycles: estimateCycles({ mem: 640, int: 912, imul: 384, branch: 144 }),
  },
  kmeans: {
    name: 'kmeans',
    dataDir: 'kmeans',
    inputWidth: 6,
    outputWidth: 1,
    // 6 loads, 3 fadd (differences), 3 fmul + 2 fadd (sum of squares), 1 sqrt, 1 store.
    cpuCycles: estimateCycles({ mem: 7, fadd: 5, fmul: 3, fsqrt: 1 }),
  },
  jmeint: {
    name: 'jmeint',
    dataDir: 'jmeint',
    inputWidth: 18,
    outputWidth: 2,
    // Full path (no early rejection; the common case for nearby triangles): 18 loads, 2 stores.
    // 2 planes: 6 fsub edges, cross 6 fmul + 3 fsub, d = -N.V0 3 fmul + 3 fadd -> fadd 24, fmul 18.
    // 6 vertex-plane distances (dot + d): fmul 18, fadd 18. 6 epsilon tests (fabs + compare + branch):
    // fadd 12, branch 6. 4 sign products and tests: fmul 4, fadd 4, branch 4. Line direction: fmul 6, fadd 3.
    // Largest axis: 3 fabs + 2 compares + 2 branches. 2 intervals (2 sign tests, then 4 fsub, 2 fmul,
    // 2 fdiv, 2 fadd each): fmul 8, fadd 16, fdiv 4, branch 4. 2 sorts and the overlap test: fadd 4, branch 4.
    // Totals: fadd 86, fmul 54, fdiv 4, branch 20, mem 20, ~10 int (axis index, addressing).
    cpuCycles: estimateCycles({ mem: 20, fadd: 86, fmul: 54, fdiv: 4, branch: 20, int: 10 }),
  },
} as const satisfies Record<string, BenchmarkInfo>;

export type BenchmarkName = keyof typeof BENCHMARK_INFO;

/** Every benchmark, in the order error messages list them. */
export const BENCHMARK_CATALOG: readonly BenchmarkInfo[] = Object.values(BENCHMARK_INFO);

/** The benchmark called `name` ('bessel', not its data folder 'bessel_Jnu'), or undefined. */
export function findBenchmarkInfo(name: string): BenchmarkInfo | undefined {
  return BENCHMARK_CATALOG.find((b) => b.name === name);
}
