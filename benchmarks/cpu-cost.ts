// The CPU cost model behind each benchmark's `cpuCycles`: a scalar, in-order, single-issue core that
// executes one operation at a time (no overlap), so cycles = sum over operations of count x latency.

/**
 * Latency in cycles of each operation class. Figures are typical of a simple in-order core with a
 * pipelined FPU and an L1 hit for every load/store (e.g. ARM Cortex-A7/A53-class or an in-order x86):
 * integer ALU ops and branches take 1 cycle, an integer multiply 3, a float add/sub/compare or multiply 4,
 * a divide or square root about 15 (single precision) - double precision costs are not distinguished.
 */
export const LATENCY = {
  /** integer add, subtract, logic, shift, compare, select */
  int: 1,
  /** integer multiply */
  imul: 3,
  /** load or store that hits in L1 */
  mem: 1,
  /** branch (taken or not; mispredictions are not modelled) */
  branch: 1,
  /** floating-point add, subtract, compare, abs, negate, conversion */
  fadd: 4,
  /** floating-point multiply */
  fmul: 4,
  /** floating-point divide */
  fdiv: 15,
  /** floating-point square root */
  fsqrt: 15,
  /** call + return overhead of a library function (the body is counted separately) */
  call: 4,
} as const;

export type OpCounts = Partial<Record<keyof typeof LATENCY, number>>;

/** Cycles of one evaluation: the sum of count x latency over all operation classes. */
export function estimateCycles(counts: OpCounts): number {
  let cycles = 0;
  for (const key of Object.keys(counts) as (keyof typeof LATENCY)[]) cycles += (counts[key] ?? 0) * LATENCY[key];
  return cycles;
}

/** Adds operation counts (e.g. a function body plus the libm calls it makes). */
export function addCounts(...parts: OpCounts[]): OpCounts {
  const total: OpCounts = {};
  for (const part of parts) {
    for (const key of Object.keys(part) as (keyof typeof LATENCY)[]) total[key] = (total[key] ?? 0) + (part[key] ?? 0);
  }
  return total;
}

/** Multiplies every count (a body executed n times). */
export function times(n: number, counts: OpCounts): OpCounts {
  const total: OpCounts = {};
  for (const key of Object.keys(counts) as (keyof typeof LATENCY)[]) total[key] = n * (counts[key] ?? 0);
  return total;
}

/**
 * Operation counts of one call of the libm routines the benchmarks use, taken from the main path of
 * their usual implementations (argument reduction + polynomial + reconstruction; fdlibm-style).
 */
export const LIBM = {
  /** sin or cos: reduction by pi/2 (3 mul, 3 add, 1 conversion), degree-13 odd/even polynomial (7 mul, 6 add), 4 branches, ~6 int ops */
  sincos: { call: 1, fmul: 10, fadd: 10, branch: 4, int: 6 },
  /** exp: k = round(x/ln2) (1 mul, 2 add), r = x - k ln2 hi/lo (2 mul, 2 add), degree-5 polynomial (6 mul, 5 add), 1 divide, scale by 2^k (3 int), 4 branches */
  exp: { call: 1, fmul: 8, fadd: 9, fdiv: 1, int: 3, branch: 4 },
  /** logf: split exponent/mantissa (6 int), s = f/(2+f) (1 add, 1 div), 2 interleaved degree-3/4 polynomials (9 mul, 7 add), reconstruction (3 mul, 5 add), 3 branches */
  log: { call: 1, fmul: 12, fadd: 13, fdiv: 1, int: 6, branch: 3 },
  /** acosf / asinf: range test (3 int, 3 branch), (1-|x|)/2 (1 add, 1 mul), sqrt, rational/polynomial (10 mul, 9 add, 1 div), reconstruction (4 mul, 6 add, 1 div) */
  asincos: { call: 1, int: 3, branch: 3, fadd: 16, fmul: 15, fdiv: 2, fsqrt: 1 },
} as const satisfies Record<string, OpCounts>;
