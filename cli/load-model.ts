// Loads the model a command names (an .axn, or a tfjs model.json with its shards), and keeps the command's
// outputs off every file the model was read from, its weights file and shards included.

import { readFileSync } from 'node:fs';
import { InvalidArgumentError, Option } from 'commander';
import { AxcError, fail, hasErrors } from '../diagnostics/diagnostic.ts';
import { DIAG } from '../diagnostics/catalog.ts';
import { loadModelFile } from '../frontend/parse-model.ts';
import { readLayersModel, type ReadLayersModelOptions } from '../frontend/layers-model/read-layers-model.ts';
import type { AxModel } from '../ir/model.ts';
import { isUsableThreshold } from '../ir/numerics.ts';
import { refuseOverwrite, type NamedFile } from './refuse-overwrite.ts';

function parseThreshold(v: string): number {
  const t = Number(v);
  if (v.trim() === '' || !Number.isFinite(t) || !isUsableThreshold(t)) throw new InvalidArgumentError('the threshold is a number strictly between 0 and 1 (as a float32).');
  return t;
}

/** The options that only apply to a TensorFlow.js model.json. */
export function tfjsOptions(): Option[] {
  return [
    new Option('--threshold <T>', 'model.json only: the decision threshold, in (0, 1): a 1-unit sigmoid invokes when P(x) > T, a 2-unit softmax when the safe probability exceeds T (default 0.5)').argParser(parseThreshold),
    new Option('--safe-index <I>', 'model.json only: which logit of a 2-unit softmax decision means "approximate" (default 1)').choices(['0', '1']),
  ];
}

export interface TfjsCliOptions {
  threshold?: number;
  safeIndex?: '0' | '1';
}

export function toReadOptions(o: TfjsCliOptions): ReadLayersModelOptions {
  return { threshold: o.threshold, safeIndex: o.safeIndex === undefined ? undefined : o.safeIndex === '0' ? 0 : 1 };
}

/** Is this path a tfjs model.json rather than .axn source? */
export const isLayersModelPath = (path: string) => path.toLowerCase().endsWith('.json');

/** Reads an .axn model; refuses `outputs` that are its weights file. */
export function loadAxnModel(path: string, outputs: readonly NamedFile[]): AxModel {
  let refusal: unknown = null;
  const { model, diagnostics } = loadModelFile(path, {
    readFile: (p) => {
      try {
        refuseOverwrite([{ role: `the weights file of '${path}'`, path: p }], outputs);
      } catch (e) {
        refusal = e; // the frontend would report it as an unreadable weights file; it is a usage error
        throw e;
      }
      return readFileSync(p, 'utf8');
    },
  });
  if (refusal) throw refusal;
  if (!model || hasErrors(diagnostics)) throw new AxcError(diagnostics);
  return model;
}

/** Reads a tfjs model.json; refuses `outputs` that are one of its shards. Renames are noted on stderr. */
export function loadLayersModel(path: string, o: TfjsCliOptions, outputs: readonly NamedFile[]): AxModel {
  const r = readLayersModel(path, toReadOptions(o));
  if (!r.model || hasErrors(r.diagnostics)) throw new AxcError(r.diagnostics);
  refuseOverwrite(r.shards.map((p) => ({ role: `the weight shard of '${path}'`, path: p })), outputs);
  for (const n of r.renames) process.stderr.write(`axc: note: '${n.from}' is named '${n.to}' in the imported model\n`);
  return r.model;
}

/** Either kind, by the file's name; the model.json-only options are refused for an .axn. */
export function loadAnyModel(path: string, o: TfjsCliOptions, outputs: readonly NamedFile[]): AxModel {
  if (isLayersModelPath(path)) return loadLayersModel(path, o, outputs);
  for (const [flag, value] of [['--threshold', o.threshold], ['--safe-index', o.safeIndex]] as const) {
    if (value !== undefined) fail(DIAG.tfjsOnlyOption, undefined, flag);
  }
  return loadAxnModel(path, outputs);
}
