// The benchmark's exact function as the simulator sees it. The caller (the CLI) looks it up in the function
// library by the binary's `.benchmark` and hands it in, so the simulator does not import benchmarks/.

/** Writes f(x) into out; a benchmarks/ `Benchmark` is one. */
export interface ExactFunction {
  exact(x: Float32Array | Float64Array, out: Float64Array): void;
}
