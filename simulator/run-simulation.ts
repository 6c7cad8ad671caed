// Runs a binary over a stream of samples, writing one CSV row per sample and tallying the run report.

import { float32Text } from '../ir/float-text.ts';
import type { Binary } from '../isa/container.ts';
import { Simulator } from './simulator.ts';
import { INSTRUCTION_WORDS } from '../isa/table.ts';

export interface RunReport {
  schema: 'axc-sim-report/1';
  program: { model: string; schedule: string; hardware: string; inputWidth: number; outputWidth: number; codeLength: number };
  invokeMode: 'model' | 'all';
  samples: number;
  /** Samples the predictor judged safe to approximate. */
  predictedInvocations: number;
  /** Samples whose H(x) the NPU delivered (equals samples under --invoke all). */
  invoked: number;
  /** Samples the controller handed to the CPU. */
  cpuFallbacks: number;
  predictedInvocationRate: number;
  /** Instructions executed in the setup stage, before the first sample. */
  setupInstructions: number;
  /** Instructions executed for all samples, setup excluded. */
  instructionsExecuted: number;
  instructionsPerSample: number;
}

export interface RunOptions {
  invokeAll?: boolean;
  /** Receives each CSV row (with its newline); the header comes first. */
  onRow?: (row: string) => Promise<void> | void;
  /** Called every so often with the number of samples done. */
  onProgress?: (samples: number) => void;
}

export function csvHeader(outputWidth: number): string {
  const cols = [];
  for (let j = 0; j < outputWidth; j++) cols.push(`y${j}`);
  cols.push('p', 'invoked');
  return cols.join(',') + '\n';
}

export async function runSimulation(binary: Binary, samples: AsyncIterable<Float32Array> | Iterable<Float32Array>, opts: RunOptions = {}): Promise<RunReport> {
  const sim = new Simulator(binary, { invokeAll: opts.invokeAll });
  const setupInstructions = sim.machine.instructions;
  const emptyY = ','.repeat(sim.outputWidth);
  if (opts.onRow) await opts.onRow(csvHeader(sim.outputWidth));
  let n = 0;
  let predicted = 0;
  let invoked = 0;
  let fallbacks = 0;
  for await (const x of samples) {
    const r = sim.runSample(x);
    n++;
    if (r.predicted) predicted++;
    if (r.invoked) invoked++;
    if (r.fallback) fallbacks++;
    if (opts.onRow) {
      let row = '';
      if (r.invoked) for (let j = 0; j < r.y.length; j++) row += float32Text(r.y[j]) + ',';
      else row = emptyY;
      await opts.onRow(`${row}${float32Text(r.p)},${r.invoked ? 1 : 0}\n`);
    }
    if (opts.onProgress && (n & 4095) === 0) opts.onProgress(n);
  }
  const executed = sim.machine.instructions - setupInstructions;
  return {
    schema: 'axc-sim-report/1',
    program: {
      model: binary.meta.model,
      schedule: binary.meta.schedule,
      hardware: binary.hardware.name,
      inputWidth: sim.inputWidth,
      outputWidth: sim.outputWidth,
      codeLength: binary.code.length / INSTRUCTION_WORDS,
    },
    invokeMode: opts.invokeAll ? 'all' : 'model',
    samples: n,
    predictedInvocations: predicted,
    invoked,
    cpuFallbacks: fallbacks,
    predictedInvocationRate: n ? predicted / n : 0,
    setupInstructions,
    instructionsExecuted: executed,
    instructionsPerSample: n ? executed / n : 0,
  };
}
