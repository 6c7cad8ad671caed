// Runs one cell: load the model, compile it for the cell's hardware and options, simulate its input (judged
// against its reference, if any) and return the run report, or why the cell could not run.

import { readFileSync } from 'node:fs';
import { findBenchmark } from '../benchmarks/registry.ts';
import { compileModel } from '../compiler/pipeline.ts';
import { AxcError, hasErrors } from '../diagnostics/diagnostic.ts';
import { loadModelFile } from '../frontend/parse-model.ts';
import { readLayersModel } from '../frontend/layers-model/read-layers-model.ts';
import type { AxModel } from '../ir/model.ts';
import { withDecisionThreshold } from '../isa/decision-threshold.ts';
import { readSamples } from '../simulator/read-samples.ts';
import { referenceRows } from '../simulator/reference-rows.ts';
import { runSimulation, type RunReport } from '../simulator/run-simulation.ts';
import type { CellJob } from './sweep-cells.ts';

export type CellOutcome = { ok: true; report: RunReport } | { ok: false; error: string };

function loadModel(path: string): AxModel {
  const r = path.toLowerCase().endsWith('.json') ? readLayersModel(path) : loadModelFile(path, { readFile: (p) => readFileSync(p, 'utf8') });
  if (!r.model || hasErrors(r.diagnostics)) throw new AxcError(r.diagnostics);
  return r.model;
}

/** The cell's report; a cell that cannot compile or run (a model too large for its NPU, say) says why. */
export async function runCell(job: CellJob): Promise<CellOutcome> {
  try {
    const model = loadModel(job.model);
    let bin = compileModel(model, { hardware: job.hardware, schedule: job.schedule, batch: job.batch });
    if (job.threshold !== undefined) {
      if (!model.predictor) return { ok: false, error: `threshold ${job.threshold}: model '${model.name}' has no decision to retarget` };
      bin = withDecisionThreshold(bin, job.threshold);
    }
    // The benchmark's exact function computes the CPU's results, and the reference when it is `exact`.
    const benchmark = bin.meta.benchmark ? findBenchmark(bin.meta.benchmark) : undefined;
    let reference;
    if (job.reference !== undefined) {
      const quality = bin.meta.quality;
      if (!quality) return { ok: false, error: `model '${model.name}' has no quality line to judge its outputs by` };
      if (job.reference === 'exact' && !benchmark) return { ok: false, error: `reference exact: model '${model.name}' names no benchmark` };
      reference = { rows: referenceRows(job.reference === 'exact' ? { kind: 'exact', benchmark: benchmark! } : { kind: 'file', path: job.reference }, bin.meta.outputWidth), quality };
    }
    const report = await runSimulation(bin, readSamples(job.input, bin.meta.inputWidth), { reference, exact: benchmark });
    return { ok: true, report };
  } catch (e) {
    if (e instanceof AxcError) return { ok: false, error: e.message };
    throw e;
  }
}
