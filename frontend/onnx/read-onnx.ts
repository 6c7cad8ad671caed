// Entry point of the ONNX importer: a .onnx file (+ any external data beside it) -> AxModel. The protobuf is
// decoded by onnx-proto (loaded on first use), the graph checked and folded (onnx-graph.ts), the AXNet pattern
// matched (recognise-onnx-axnet.ts), the weights read (tensor-values.ts, onnx-plan-to-model.ts), and the result
// verified like every imported model.

import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import type { AxModel } from '../../ir/model.ts';
import { findBenchmarkInfo } from '../../benchmarks/catalog.ts';
import { isUsableThreshold } from '../../ir/numerics.ts';
import { verifyModel } from '../../ir/verify-model.ts';
import { DIAG } from '../../diagnostics/catalog.ts';
import { describeFsError, diag, hasErrors, type Diagnostic } from '../../diagnostics/diagnostic.ts';
import { sniffFileKind, type FileKind } from '../file-kind.ts';
import { AxcMetadataSchema } from '../layers-model/layers-model-schema.ts';
import type { Rename } from '../layers-model/recognise-axnet.ts';
import { buildOnnxGraph } from './onnx-graph.ts';
import { TensorValues } from './tensor-values.ts';
import { onnxProto, type onnx } from './onnx-schema.ts';
import { recogniseOnnxAxNet } from './recognise-onnx-axnet.ts';
import { onnxPlanToModel } from './onnx-plan-to-model.ts';

export interface ReadOnnxOptions {
  /** The decision's threshold, in (0, 1); wins over the model's metadata, whose value wins over 0.5. */
  threshold?: number;
  /** Which softmax logit means "safe to approximate"; wins over the metadata, then 1. Ignored for a sigmoid decision. */
  safeIndex?: 0 | 1;
}

export interface ReadOnnxResult {
  /** Non-null exactly when `diagnostics` holds no error. */
  model: AxModel | null;
  diagnostics: Diagnostic[];
  /** Names changed to become .axn identifiers (not errors; names carry no meaning). */
  renames: Rename[];
  /** The external data files read, as resolved paths (so a caller can keep its outputs off them). */
  externalFiles: string[];
}

/** What a file that is not protobuf is, when the sniffer knows (so a text file is not reported as a protobuf error). */
const OTHER_KINDS: Partial<Record<FileKind, string>> = {
  binary: 'an axc binary',
  axn: 'an .axn model',
  tfjs: 'a TensorFlow.js model.json',
  fann: 'a FANN network',
  weights: 'an axc weights file',
  hardware: 'a hardware description',
  samples: 'a file of input samples',
  assembly: 'NPU assembly source',
  text: 'a text file',
};

/** torch.onnx.export's graph name: it says nothing, so the file's name is used instead. */
const TORCH_GRAPH_NAME = 'main_graph';

/** The ModelProto in `bytes`, or null (reported): empty, not protobuf, or protobuf without a graph. */
function decodeModel(bytes: Buffer, file: string, ds: Diagnostic[]): onnx.ModelProto | null {
  if (bytes.length === 0) {
    ds.push(diag(DIAG.onnxEmpty, file));
    return null;
  }
  const other = () => OTHER_KINDS[sniffFileKind(bytes)];
  let model: onnx.ModelProto;
  try {
    model = onnxProto().ModelProto.decode(bytes);
  } catch (err) {
    // protobufjs throws on malformed wire data (and a RangeError on absurd nesting): any bytes at all get a message.
    const what = other();
    ds.push(what ? diag(DIAG.onnxOtherKind, file, what) : diag(DIAG.onnxDecodeFailed, file, err instanceof Error ? err.message : String(err)));
    return null;
  }
  if (!model.graph) {
    const what = other();
    ds.push(what ? diag(DIAG.onnxOtherKind, file, what) : diag(DIAG.onnxNoGraph, file));
    return null;
  }
  return model;
}

/** metadata_props 'axc' checked against AxcMetadataSchema; null (reported) when it is not valid. */
function readMetadata(text: string | null, file: string, ds: Diagnostic[]) {
  let json: unknown = {};
  if (text !== null) {
    try {
      json = JSON.parse(text);
    } catch (err) {
      ds.push(diag(DIAG.onnxMetadataJson, file, err instanceof Error ? err.message : String(err)));
      return null;
    }
  }
  const meta = AxcMetadataSchema.safeParse(json);
  if (!meta.success) {
    for (const issue of meta.error.issues.slice(0, 5)) ds.push(diag(DIAG.onnxMetadataField, file, issue.path.map((k) => `.${String(k)}`).join(''), issue.message));
    return null;
  }
  if (meta.data.benchmark !== undefined && !findBenchmarkInfo(meta.data.benchmark)) {
    ds.push(diag(DIAG.onnxUnknownBenchmark, file, meta.data.benchmark));
    return null;
  }
  return meta.data;
}

export function readOnnxModel(path: string, opts: ReadOnnxOptions = {}): ReadOnnxResult {
  const ds: Diagnostic[] = [];
  let externalFiles: string[] = [];
  const result = (): ReadOnnxResult => ({ model: null, diagnostics: ds, renames: [], externalFiles });
  const checkOptions = (threshold: number, safeIndex: number) => {
    if (!(Number.isFinite(threshold) && isUsableThreshold(threshold))) ds.push(diag(DIAG.onnxBadThreshold, undefined, threshold));
    if (safeIndex !== 0 && safeIndex !== 1) ds.push(diag(DIAG.onnxBadSafeIndex, undefined, safeIndex));
  };
  checkOptions(opts.threshold ?? 0.5, opts.safeIndex ?? 1);
  if (ds.length) return result();

  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(path);
  } catch (err) {
    ds.push(diag(DIAG.fileUnreadable, undefined, path, describeFsError(err)));
    return result();
  }
  const proto = decodeModel(bytes, path, ds);
  if (!proto) return result();
  const { graph, diagnostics } = buildOnnxGraph(proto, path);
  ds.push(...diagnostics);
  if (!graph || hasErrors(ds)) return result();

  // What `axc export` keeps beside the graph; options given to the importer win over it.
  const meta = readMetadata(graph.metadata, path, ds);
  if (!meta) return result();
  const threshold = opts.threshold ?? meta.threshold ?? 0.5;
  const safeIndex = opts.safeIndex ?? meta.safeIndex ?? 1;
  checkOptions(threshold, safeIndex);
  if (ds.length) return result();

  const values = new TensorValues(path, ds);
  externalFiles = values.externalFiles;
  const name = graph.name === '' || graph.name === TORCH_GRAPH_NAME ? nodePath.basename(path).replace(/\.onnx$/i, '') || 'model' : graph.name;
  const { plan, diagnostics: patternDs } = recogniseOnnxAxNet(graph, path, name, values);
  ds.push(...patternDs);
  if (!plan || hasErrors(ds)) return result();
  const built = onnxPlanToModel(plan, values, ds, { threshold, safeIndex, sourceFile: path });
  if (!built.model || hasErrors(ds)) return result();
  const model: AxModel = { ...built.model, quality: meta.quality ?? null, ...(meta.benchmark ? { benchmark: meta.benchmark } : {}), ...(meta.cpuCycles !== undefined ? { cpuCycles: meta.cpuCycles } : {}) };
  // The benchmark the metadata names computes the rejected samples: it must map the model's widths (as --benchmark must).
  const bench = meta.benchmark !== undefined ? findBenchmarkInfo(meta.benchmark) : undefined;
  if (bench && (bench.inputWidth !== model.inputWidth || bench.outputWidth !== model.outputWidth)) {
    ds.push(diag(DIAG.onnxBenchmarkWidth, path, bench.name, bench.inputWidth, bench.outputWidth, model.inputWidth, model.outputWidth));
    return result();
  }
  for (const v of verifyModel(model)) ds.push({ ...diag(DIAG.onnxInvalidModel, path, v.message.replace(/^invalid IR: /, '')), severity: v.severity });
  if (hasErrors(ds)) return result();
  return { model, diagnostics: ds, renames: built.renames, externalFiles };
}
