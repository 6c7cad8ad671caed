// Loads the model a command names, by its file's extension: an .axn, a tfjs model.json with its shards, a FANN
// .nn network or an ONNX .onnx model (with any external data beside it). Keeps the command's outputs off every
// file the model was read from, and applies the options that name an imported model's benchmark and bound.

import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { InvalidArgumentError, Option } from 'commander';
import { AxcError, fail, formatDiagnostic, fromCommandLine, hasErrors, type Diagnostic } from '../diagnostics/diagnostic.ts';
import { DIAG } from '../diagnostics/catalog.ts';
import { BENCHMARK_CATALOG, findBenchmarkInfo } from '../benchmarks/catalog.ts';
import { sniffFileKind, type FileKind } from '../frontend/file-kind.ts';
import { loadModelFile } from '../frontend/parse-model.ts';
import { readFannModel } from '../frontend/fann/read-fann.ts';
import { readLayersModel, type ReadLayersModelOptions } from '../frontend/layers-model/read-layers-model.ts';
import { readOnnxModel } from '../frontend/onnx/read-onnx.ts';
import { METRICS, type AxModel, type Metric, type Quality } from '../ir/model.ts';
import { isUsableThreshold } from '../ir/numerics.ts';
import { refuseOverwrite, type NamedFile } from './refuse-overwrite.ts';

function parseThreshold(v: string): number {
  const t = Number(v);
  if (v.trim() === '' || !Number.isFinite(t) || !isUsableThreshold(t)) throw new InvalidArgumentError('the threshold is a number strictly between 0 and 1 (as a float32).');
  return t;
}

const QUALITY_OPTION = /^\s*([a-z]+)\s*[<:]\s*(\S+)\s*$/;

/** `rmse<0.1` or `rmse:0.1` (the .axn line's `quality rmse < 0.1`, without the spaces a shell would need quoted). */
export function parseQualityOption(v: string): Quality {
  const m = QUALITY_OPTION.exec(v);
  const bound = m ? Number(m[2]) : NaN;
  if (!m || !METRICS.includes(m[1] as Metric) || !(bound > 0) || !Number.isFinite(bound)) fail(DIAG.badQualityOption, undefined, v);
  return { metric: m[1] as Metric, bound };
}

/** The options that only apply to an imported model: its decision (model.json, .onnx), its benchmark and bound. */
export function importOptions(): Option[] {
  return [
    new Option('--threshold <T>', 'model.json, .onnx: the decision threshold, in (0, 1): a 1-unit sigmoid invokes when P(x) > T, a 2-unit softmax when the safe probability exceeds T (default 0.5)').argParser(parseThreshold),
    new Option('--safe-index <I>', 'model.json, .onnx: which logit of a 2-unit softmax decision means "approximate" (default 1)').choices(['0', '1']),
    new Option('--benchmark <name>', `imported models: the benchmark whose exact function the CPU computes for rejected samples (${BENCHMARK_CATALOG.map((b) => b.name).join(', ')})`),
    new Option('--quality <metric:bound>', "imported models: the quality bound, as the .axn line 'quality rmse < 0.1' says it: rmse:0.1 (or 'rmse<0.1')").argParser(parseQualityOption),
  ];
}

export interface ImportCliOptions {
  threshold?: number;
  safeIndex?: '0' | '1';
  benchmark?: string;
  quality?: Quality;
}

export function toReadOptions(o: ImportCliOptions): ReadLayersModelOptions {
  return { threshold: o.threshold, safeIndex: o.safeIndex === undefined ? undefined : o.safeIndex === '0' ? 0 : 1 };
}

/** The formats a command can take a model in. */
export type ModelFormat = 'axn' | 'tfjs' | 'fann' | 'onnx';

const FORMAT_OF_KIND: Partial<Record<FileKind, ModelFormat>> = { tfjs: 'tfjs', fann: 'fann', onnx: 'onnx' };

/** The first bytes of a file, enough to sniff its kind; empty when it cannot be read (its loader says why). */
function head(path: string): Uint8Array {
  try {
    const fd = openSync(path, 'r');
    try {
      const buf = new Uint8Array(4096);
      return buf.subarray(0, readSync(fd, buf, 0, buf.length, 0));
    } finally {
      closeSync(fd);
    }
  } catch {
    return new Uint8Array(0);
  }
}

/** By extension (.json, .nn, .onnx); otherwise by content, so a FANN network saved as `net.net` is still one; else .axn. */
export function modelFormatOf(path: string): ModelFormat {
  const p = path.toLowerCase();
  if (p.endsWith('.json')) return 'tfjs';
  if (p.endsWith('.nn')) return 'fann';
  if (p.endsWith('.onnx')) return 'onnx';
  if (p.endsWith('.axn')) return 'axn';
  return FORMAT_OF_KIND[sniffFileKind(head(path))] ?? 'axn';
}

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

/** An importer's result: its errors thrown, its warnings printed. */
function accepted(model: AxModel | null, diagnostics: readonly Diagnostic[]): AxModel {
  if (!model || hasErrors(diagnostics)) throw new AxcError([...diagnostics]);
  for (const d of diagnostics) process.stderr.write(`axc: ${formatDiagnostic(d)}\n`);
  return model;
}

/** Reads a tfjs model.json; refuses `outputs` that are one of its shards. Renames are noted on stderr. */
export function loadLayersModel(path: string, o: ImportCliOptions, outputs: readonly NamedFile[]): AxModel {
  const r = readLayersModel(path, toReadOptions(o));
  const model = accepted(r.model, r.diagnostics);
  if (!model.predictor) refuseDecisionOptions(o, 'this model.json (one output)');
  refuseOverwrite(r.shards.map((p) => ({ role: `the weight shard of '${path}'`, path: p })), outputs);
  for (const n of r.renames) process.stderr.write(`axc: note: '${n.from}' is named '${n.to}' in the imported model\n`);
  return model;
}

/** --threshold and --safe-index set a decision: given for a model without one, they would be silently ignored. */
function refuseDecisionOptions(o: ImportCliOptions, what: string): void {
  for (const [flag, value] of [['--threshold', o.threshold], ['--safe-index', o.safeIndex]] as const) {
    if (value !== undefined) fail(DIAG.decisionOptionNoPredictor, undefined, flag, what);
  }
}

function loadOnnxModel(path: string, o: ImportCliOptions, outputs: readonly NamedFile[]): AxModel {
  const r = readOnnxModel(path, toReadOptions(o));
  const model = accepted(r.model, r.diagnostics);
  if (!model.predictor) refuseDecisionOptions(o, 'this ONNX model (one output)');
  refuseOverwrite(r.externalFiles.map((p) => ({ role: `the external data of '${path}'`, path: p })), outputs);
  for (const n of r.renames) process.stderr.write(`axc: note: '${n.from}' is named '${n.to}' in the imported model\n`);
  return model;
}

function loadFannModel(path: string, o: ImportCliOptions): AxModel {
  refuseDecisionOptions(o, 'a FANN network');
  const r = readFannModel(path);
  return accepted(r.model, r.diagnostics);
}

/** The imported model with the benchmark and bound the command line gives, which win over what the file says. */
function withImportMetadata(model: AxModel, o: ImportCliOptions): AxModel {
  if (o.benchmark !== undefined) {
    const b = findBenchmarkInfo(o.benchmark);
    if (!b) fail(fromCommandLine(DIAG.unknownBenchmark), undefined, o.benchmark, BENCHMARK_CATALOG.map((x) => x.name).join(', '));
    if (b.inputWidth !== model.inputWidth || b.outputWidth !== model.outputWidth) fail(fromCommandLine(DIAG.benchmarkWidth), undefined, b.name, b.inputWidth, b.outputWidth, model.inputWidth, model.outputWidth);
  }
  return { ...model, ...(o.benchmark !== undefined ? { benchmark: o.benchmark } : {}), ...(o.quality ? { quality: o.quality } : {}) };
}

/** Any kind, by the file's extension; the import-only options are refused for an .axn. */
export function loadAnyModel(path: string, o: ImportCliOptions, outputs: readonly NamedFile[]): AxModel {
  const format = modelFormatOf(path);
  if (format === 'axn') {
    for (const [flag, value] of [['--threshold', o.threshold], ['--safe-index', o.safeIndex]] as const) {
      if (value !== undefined) fail(DIAG.tfjsOnlyOption, undefined, flag);
    }
    for (const [flag, value] of [['--benchmark', o.benchmark], ['--quality', o.quality]] as const) {
      if (value !== undefined) fail(DIAG.importOnlyOption, undefined, flag);
    }
    return loadAxnModel(path, outputs);
  }
  const model = format === 'tfjs' ? loadLayersModel(path, o, outputs) : format === 'onnx' ? loadOnnxModel(path, o, outputs) : loadFannModel(path, o);
  return withImportMetadata(model, o);
}
