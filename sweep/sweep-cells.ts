// A sweep's cells: every combination of its axes for every model, in a fixed order, each with the job a
// worker runs and its key, a content hash of everything that determines the cell's result.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { canonicalHardware, HardwareSchema, type Hardware } from '../hardware/description.ts';
import { loadModelFile } from '../frontend/parse-model.ts';
import { readLayersModel } from '../frontend/layers-model/read-layers-model.ts';
import { hardwareWith, OPTION_AXES, type LoadedSweep } from './sweep-spec.ts';

/** What one cell runs: plain data, so it crosses a worker thread or a job queue as it is. */
export const CellJobSchema = z
  .object({
    kind: z.literal('cell'),
    key: z.string().regex(/^[0-9a-f]{64}$/, 'the key is a sha-256 in hex'),
    model: z.string().min(1),
    input: z.string().min(1),
    reference: z.string().min(1).optional(),
    hardware: HardwareSchema,
    schedule: z.enum(['auto', 'static', 'dynamic']),
    batch: z.number().int().min(1).max(64).optional(),
    threshold: z.number().gt(0).lt(1).optional(),
  })
  .strict();

export type CellJob = z.output<typeof CellJobSchema>;

export interface Cell {
  /** The model as the spec names it. */
  model: string;
  /** This cell's value of each axis, in the spec's axis order. */
  axes: Record<string, unknown>;
  job: CellJob;
  /** Why the combination of values breaks a cross-field hardware rule (each value was checked alone when the
   *  spec was read); such a cell is a failed row and never runs. */
  problem: string | null;
}

function sha256(...parts: (string | Uint8Array)[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(typeof p === 'string' ? `${p.length}:${p}` : p);
  return h.digest('hex');
}

/** A hash of a model file and every file it reads (an .axn's weights file, a model.json's shards). */
export function modelContentHash(path: string): string {
  const files = [path];
  if (path.toLowerCase().endsWith('.json')) files.push(...readLayersModel(path).shards);
  else
    loadModelFile(path, {
      readFile: (p) => {
        files.push(p);
        return readFileSync(p, 'utf8');
      },
    });
  return sha256(...files.flatMap((f) => [f === path ? 'model' : 'dependency', readFileSync(f)]));
}

function fileHash(path: string): string {
  return sha256(readFileSync(path));
}

/** Every combination of the axes' values, the last axis varying fastest. */
function combinations(axes: [string, unknown[]][]): Record<string, unknown>[] {
  let out: Record<string, unknown>[] = [{}];
  for (const [name, values] of axes) out = out.flatMap((o) => values.map((v) => ({ ...o, [name]: v })));
  return out;
}

/** The cells in row order: models in the spec's order, then the axes' combinations. */
export function expandCells(sweep: LoadedSweep, version: string): Cell[] {
  const axes = Object.entries(sweep.spec.axes);
  const combos = combinations(axes);
  const cells: Cell[] = [];
  sweep.models.forEach((m, i) => {
    const content = { version, model: modelContentHash(m.model), input: fileHash(m.input), reference: m.reference === undefined ? null : m.reference === 'exact' ? 'exact' : fileHash(m.reference) };
    for (const values of combos) {
      const hw = hardwareWith(sweep.hardware, values);
      const hardware: Hardware = 'hardware' in hw ? hw.hardware : sweep.hardware;
      const options = Object.fromEntries(OPTION_AXES.filter((a) => a in values).map((a) => [a, values[a]])) as { schedule?: CellJob['schedule']; batch?: number; threshold?: number };
      const job: CellJob = {
        kind: 'cell',
        key: '',
        model: m.model,
        input: m.input,
        ...(m.reference !== undefined ? { reference: m.reference } : {}),
        hardware,
        schedule: options.schedule ?? 'auto',
        ...(options.batch !== undefined ? { batch: options.batch } : {}),
        ...(options.threshold !== undefined ? { threshold: options.threshold } : {}),
      };
      job.key = sha256(JSON.stringify(content), canonicalHardware(hardware), JSON.stringify([job.schedule, job.batch ?? null, job.threshold ?? null]), 'error' in hw ? hw.error : '');
      cells.push({ model: sweep.spec.models[i].model, axes: values, job, problem: 'error' in hw ? `hardware ${hw.error}` : null });
    }
  });
  return cells;
}
