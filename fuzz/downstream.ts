// What happens to an input after its reader accepts it: a model compiles (or fails cleanly), and a binary
// that loads disassembles, passes the simulator's verification and simulates a few samples.

import { findBenchmark } from '../benchmarks/registry.ts';
import { compileModel } from '../compiler/pipeline.ts';
import { DIAG } from '../diagnostics/catalog.ts';
import type { AxcError } from '../diagnostics/diagnostic.ts';
import type { Hardware } from '../hardware/description.ts';
import type { AxModel } from '../ir/model.ts';
import { packBinary, unpackBinary, type Binary } from '../isa/container.ts';
import { disassemble } from '../isa/disassemble.ts';
import { runSimulation } from '../simulator/run-simulation.ts';
import { Simulator } from '../machine/simulator.ts';
import { timingFor } from '../machine/timing-model.ts';
import { fastPathDifference } from '../machine/block/fast-path-check.ts';
import type { AxcVerdict, Probe } from './outcome.ts';

/** A few deterministic samples of the program's input width, values in [0, 1). */
export function* fewSamples(width: number, count = 3): Generator<Float32Array> {
  for (let s = 0; s < count; s++) yield Float32Array.from({ length: width }, (_, j) => ((s * 7 + j * 3) % 10) / 10);
}

/**
 * The simulator's own guard against programs that never return to `recv` is 50 million instructions, which
 * takes seconds; the fuzzer first runs each sample under this much smaller budget (the examples need a few
 * thousand), so a looping program is a quick simulation fault rather than a hang.
 */
const PROBE_BUDGET = 200_000;

/** Runs a loaded binary: first under the small budget, then through `runSimulation` as `axc sim` does. */
async function simulate(binary: Binary, samples: () => Iterable<Float32Array>): Promise<void> {
  for (const invoke of ['model', 'all'] as const) {
    const probe = new Simulator(binary, { invoke, maxInstructionsPerSample: PROBE_BUDGET, timing: timingFor(binary) });
    for (const x of samples()) probe.runSample(x);
    probe.close();
    let bytes = 0;
    const exact = binary.meta.benchmark ? findBenchmark(binary.meta.benchmark) : undefined;
    await runSimulation(binary, samples(), { invoke, exact, onRow: (row) => void (bytes += row.length) });
  }
}

/**
 * A binary the loader accepted: it must disassemble (the disassembler trusts the loader); the simulator's
 * verification then judges the code (`onVerifyError`: a clean refusal for a mutated binary, a wrong accept
 * when an earlier stage vouched for the code); faults while running count as simulation faults.
 */
export async function exerciseBinary(probe: Probe, binary: Binary, onVerifyError: AxcVerdict): Promise<void> {
  await probe.stage('disassemble', 'wrong-accept', () => disassemble(binary, { data: true }));
  // Constructing the simulator verifies the code and then runs the setup stage up to the first recv: a
  // fault while running setup is a simulation fault, not a verification error.
  const judge = (e: AxcError) => (e.diagnostics.some((d) => d.code === DIAG.runawayProgram.code /* AXS603, every simulation fault */) ? 'sim-fault' : onVerifyError);
  await probe.stage('verify', judge, () => new Simulator(binary, { maxInstructionsPerSample: PROBE_BUDGET, timing: timingFor(binary) }).close());
  await probe.stage('simulate', 'sim-fault', () => simulate(binary, () => fewSamples(binary.meta.inputWidth)));
  // The fast path must give the reference path's results and timing: a difference is a crash (a finding).
  await probe.stage('fast-path', 'sim-fault', () => {
    const samples = [...fewSamples(binary.meta.inputWidth, 11)];
    for (const invoke of ['model', 'all'] as const) {
      const { difference } = fastPathDifference(binary, samples, invoke);
      if (difference !== null) throw new Error(`the fast path differs from the reference path (${invoke}): ${difference}`);
    }
  });
}

/** A model its reader accepted: compiling may refuse it cleanly; what compiles must pack, load and run. */
export async function compileAndExercise(probe: Probe, model: AxModel, hardware?: Hardware): Promise<void> {
  const binary = await probe.stage('compile', 'rejected', () => compileModel(model, { hardware }));
  const loaded = await probe.stage('pack+load', 'wrong-accept', () => unpackBinary(packBinary(binary)));
  await exerciseBinary(probe, loaded, 'wrong-accept');
}
