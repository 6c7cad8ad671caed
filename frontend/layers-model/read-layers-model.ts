// Entry point of the TensorFlow.js importer: model.json (+ its binary weight shards) -> AxModel, without tfjs:
// JSON with positions (jsonc-parser), structure (zod), pattern (recognise-axnet.ts), weights sliced by the manifest.

import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { findNodeAtLocation, getNodeValue, parseTree, printParseErrorCode, type ParseError } from 'jsonc-parser';
import type { z } from 'zod';
import type { AxModel, SourceLoc } from '../../ir/model.ts';
import { findBenchmarkInfo } from '../../benchmarks/catalog.ts';
import { isUsableThreshold } from '../../ir/numerics.ts';
import { verifyModel } from '../../ir/verify-model.ts';
import { DIAG } from '../../diagnostics/catalog.ts';
import { describeFsError, diag, hasErrors, type Diagnostic, lineIndex } from '../../diagnostics/diagnostic.ts';
import {
  AxcMetadataSchema,
  FunctionalConfigSchema,
  LayersModelFileSchema,
  locateTopology,
  SequentialConfigSchema,
  type JsonPath,
  type LayerJson,
  type WeightEntry,
  type WeightsGroup,
} from './layers-model-schema.ts';
import { jsonDepthError, MAX_SCHEMA_ARRAY_LENGTH } from '../../input/json-depth.ts';
import { wrongKindOfFile } from '../file-kind.ts';
import { functionalGraph, sequentialGraph, type LayerGraph } from './layer-graph.ts';
import { planDenses, planToModel, recogniseAxNet, type DenseInfo, type DenseWeights, type Rename } from './recognise-axnet.ts';
import { clip, quote } from '../../diagnostics/quote.ts';

export interface ReadLayersModelOptions {
  /** The decision's threshold, in (0, 1); default 0.5. Sigmoid: invoke when P(x) > T; softmax: when the safe
   *  logit's probability exceeds T (0.5: when it wins). */
  threshold?: number;
  /** Which softmax logit means "safe to approximate"; default 1. Ignored for a sigmoid decision. */
  safeIndex?: 0 | 1;
}

export interface ReadLayersModelResult {
  /** Non-null exactly when `diagnostics` holds no error. */
  model: AxModel | null;
  diagnostics: Diagnostic[];
  /** Keras names changed to become .axn identifiers (not errors; names carry no meaning). */
  renames: Rename[];
  /** The weight shard files read, as resolved paths (so a caller can keep its outputs off them). */
  shards: string[];
}

const JSON_ERRORS: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'malformed number',
  PropertyNameExpected: 'expected a property name in double quotes',
  ValueExpected: 'expected a value',
  ColonExpected: "expected ':'",
  CommaExpected: "expected ','",
  CloseBraceExpected: "expected '}'",
  CloseBracketExpected: "expected ']'",
  EndOfFileExpected: 'unexpected text after the end of the JSON value',
  InvalidCommentToken: 'comments are not allowed in JSON',
  UnexpectedEndOfComment: 'comments are not allowed in JSON',
  UnexpectedEndOfString: 'unterminated string',
  UnexpectedEndOfNumber: 'unterminated number',
  InvalidUnicode: 'invalid unicode escape',
  InvalidEscapeCharacter: 'invalid escape character',
  InvalidCharacter: 'invalid character in a string',
};

/** Bytes per element, for laying out the manifest (weights axc does not read still take room in the shards). */
const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, float16: 2, uint8: 1, int8: 1, uint16: 2, int16: 2, complex64: 8 };


function pathText(p: readonly PropertyKey[]): string {
  let s = '';
  for (const k of p) s += typeof k === 'number' ? `[${k}]` : s === '' ? String(k) : `.${String(k)}`;
  return s || '(top level)';
}

function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return `the string "${clip(v)}"`;
  return `${typeof v} ${String(v)}`;
}

function shapeText(s: readonly number[]): string {
  // A mutated manifest can give a shape thousands of dimensions long; a message shows its start.
  return clip(`[${s.join(', ')}]`);
}

interface ManifestWeight {
  entry: WeightEntry;
  group: number;
  /** Byte offset inside the group's concatenated shards, or null when an earlier weight's size is unknown. */
  offset: number | null;
  bytes: number | null;
  path: JsonPath;
}

interface NeededWeight {
  dense: DenseInfo;
  kind: 'kernel' | 'bias';
  w: ManifestWeight;
}

export function readLayersModel(path: string, opts: ReadLayersModelOptions = {}): ReadLayersModelResult {
  const ds: Diagnostic[] = [];
  const shards: string[] = [];
  const result = (): ReadLayersModelResult => ({ model: null, diagnostics: ds, renames: [], shards });

  const checkOptions = (threshold: number, safeIndex: number) => {
    if (!(Number.isFinite(threshold) && isUsableThreshold(threshold))) ds.push(diag(DIAG.tfjsBadThreshold, undefined, threshold));
    if (safeIndex !== 0 && safeIndex !== 1) ds.push(diag(DIAG.tfjsBadSafeIndex, undefined, safeIndex));
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
  const wrongKind = wrongKindOfFile(bytes, path, 'a TensorFlow.js model.json', ['tfjs', 'text']);
  if (wrongKind) {
    ds.push(wrongKind);
    return result();
  }
  const text = bytes.toString('utf8');

  // JSON, with positions (after the nesting bound: the parser recurses once per level).
  const tooDeep = jsonDepthError(text, path, 'model.json', MAX_SCHEMA_ARRAY_LENGTH);
  if (tooDeep) {
    ds.push(tooDeep);
    return result();
  }
  const locOf = lineIndex(path, text);
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  if (errors.length > 0 || !root) {
    // Only the first error: the ones after it are usually the parser's recovery from the first.
    for (const e of errors.slice(0, 1)) {
      const code = printParseErrorCode(e.error);
      ds.push(diag(DIAG.tfjsJsonSyntax, locOf(e.offset), JSON_ERRORS[code] ?? code));
    }
    if (ds.length === 0) ds.push(diag(DIAG.tfjsJsonEmpty, locOf(0)));
    return result();
  }
  /** Position of the value at `p`, or of its nearest ancestor that exists. */
  const at = (p: readonly PropertyKey[]): SourceLoc => {
    for (let n = p.length; n >= 0; n--) {
      const node = findNodeAtLocation(root, p.slice(0, n) as JsonPath);
      if (node) return locOf(node.offset);
    }
    return locOf(root.offset);
  };
  const doc: unknown = getNodeValue(root);

  // Is it a LayersModel at all?
  if (root.type !== 'object') {
    ds.push(diag(DIAG.tfjsNotAnObject, at([]), describeValue(doc)));
    return result();
  }
  const top = doc as Record<string, unknown>;
  if (typeof top.format === 'string' && top.format !== 'layers-model') {
    ds.push(diag(DIAG.tfjsWrongFormat, at(['format']), top.format));
    return result();
  }
  if (!('modelTopology' in top)) ds.push(diag(DIAG.tfjsNoTopology, at([])));
  if (!('weightsManifest' in top)) ds.push(diag(DIAG.tfjsNoManifest, at([])));
  if (ds.length) return result();

  const schemaIssues = (issues: z.core.$ZodIssue[], prefix: JsonPath) => {
    for (const issue of issues.slice(0, 5)) {
      const p = [...prefix, ...issue.path] as PropertyKey[];
      ds.push(diag(DIAG.tfjsMalformed, at(p), pathText(p), issue.message));
    }
  };
  // What `axc export` keeps beside the layers; options given to the importer win over it.
  const meta = AxcMetadataSchema.safeParse((top.userDefinedMetadata as Record<string, unknown> | undefined)?.axc ?? {});
  if (!meta.success) {
    schemaIssues(meta.error.issues, ['userDefinedMetadata', 'axc']);
    return result();
  }
  if (meta.data.benchmark !== undefined && !findBenchmarkInfo(meta.data.benchmark))
    ds.push(diag(DIAG.tfjsUnknownBenchmark, at(['userDefinedMetadata', 'axc', 'benchmark']), meta.data.benchmark));
  const threshold = opts.threshold ?? meta.data.threshold ?? 0.5;
  const safeIndex = opts.safeIndex ?? meta.data.safeIndex ?? 1;
  checkOptions(threshold, safeIndex);
  if (ds.length) return result();
  const file = LayersModelFileSchema.safeParse(doc);
  if (!file.success) {
    schemaIssues(file.error.issues, []);
    return result();
  }
  const topo = locateTopology(file.data.modelTopology);
  if ('unknownClass' in topo || 'unrecognised' in topo) {
    ds.push('unknownClass' in topo ? diag(DIAG.tfjsTopologyClass, at(topo.path), topo.unknownClass) : diag(DIAG.tfjsTopologyShape, at(topo.path)));
    return result();
  }
  const modelLoc = at(topo.path);
  let graphResult: { graph: LayerGraph; diagnostics: Diagnostic[] };
  if (topo.kind === 'functional') {
    const c = FunctionalConfigSchema.safeParse(topo.config);
    if (!c.success) {
      schemaIssues(c.error.issues, topo.path);
      return result();
    }
    graphResult = functionalGraph(c.data, (i) => at([...topo.path, 'layers', i]), modelLoc);
  } else {
    const c = SequentialConfigSchema.safeParse(topo.config);
    if (!c.success) {
      // Report against the object form, the one modern Keras and tfjs write.
      const again = Array.isArray(topo.config) ? c : (SequentialConfigSchema.options[0].safeParse(topo.config) as typeof c);
      schemaIssues((again.error ?? c.error).issues, topo.path);
      return result();
    }
    const bare = Array.isArray(c.data);
    const layers: LayerJson[] = Array.isArray(c.data) ? c.data : c.data.layers;
    const name = Array.isArray(c.data) ? null : (c.data.name ?? null);
    graphResult = sequentialGraph(name, layers, (i) => at(bare ? [...topo.path, i] : [...topo.path, 'layers', i]), modelLoc);
  }
  ds.push(...graphResult.diagnostics);
  if (ds.length) return result();

  // The AXNet pattern.
  const { plan, diagnostics: patternDs } = recogniseAxNet(graphResult.graph);
  ds.push(...patternDs);
  if (!plan || hasErrors(ds)) return result();

  // The manifest's layout: each weight's place in its group's concatenated shards.
  const groups: WeightsGroup[] = file.data.weightsManifest;
  const manifest: ManifestWeight[] = [];
  groups.forEach((g, gi) => {
    let offset: number | null = 0;
    g.weights.forEach((entry, wi) => {
      const elemBytes = entry.quantization ? DTYPE_BYTES[entry.quantization.dtype ?? ''] : DTYPE_BYTES[entry.dtype];
      const count = entry.shape.reduce((a, b) => a * b, 1);
      const bytes = elemBytes === undefined ? null : count * elemBytes;
      manifest.push({ entry, group: gi, offset, bytes, path: ['weightsManifest', gi, 'weights', wi] });
      offset = offset === null || bytes === null ? null : offset + bytes;
    });
  });
  const findWeight = (layer: string, kind: 'kernel' | 'bias'): ManifestWeight | undefined => {
    const norm = (n: string) => n.replace(/:\d+$/, '');
    const exact = manifest.find((m) => norm(m.entry.name) === `${layer}/${kind}`);
    if (exact) return exact;
    const re = new RegExp(`^${kind}(_\\d+)?$`);
    return manifest.find((m) => {
      const seg = norm(m.entry.name).split('/');
      return seg.length >= 2 && seg[seg.length - 2] === layer && re.test(seg[seg.length - 1]);
    });
  };

  // Every weight the Dense layers need: present, float32, unquantized, of the right shape.
  const needed: NeededWeight[] = [];
  for (const d of planDenses(plan)) {
    const name = d.layer.name;
    const kinds: ('kernel' | 'bias')[] = d.useBias ? ['kernel', 'bias'] : ['kernel'];
    for (const kind of kinds) {
      const w = findWeight(name, kind);
      if (!w) {
        ds.push(diag(DIAG.tfjsWeightMissing, d.layer.loc, name, kind, `${name}/${kind}`));
        continue;
      }
      const loc = at(w.path);
      const wname = w.entry.name;
      if (w.entry.quantization) {
        const q = w.entry.quantization;
        ds.push(diag(DIAG.tfjsWeightQuantized, loc, wname, name, `stored as ${q.dtype ?? 'an unknown type'}${q.scale !== undefined ? ` with scale ${q.scale}` : ''}`));
        continue;
      }
      if (w.entry.dtype !== 'float32') {
        ds.push(diag(DIAG.tfjsWeightDtype, loc, wname, name, w.entry.dtype));
        continue;
      }
      const want = kind === 'kernel' ? [d.inWidth, d.units] : [d.units];
      if (w.entry.shape.length !== want.length || w.entry.shape.some((n, i) => n !== want[i])) {
        const why =
          kind === 'kernel'
            ? `a Dense kernel is [fan-in, units]; ${quote(name)} has ${d.units} units and is fed ${d.inWidth} values`
            : `a Dense bias is [units]; ${quote(name)} has ${d.units} units`;
        ds.push(diag(DIAG.tfjsWeightShape, loc, wname, name, shapeText(w.entry.shape), shapeText(want), why));
        continue;
      }
      if (w.offset === null) {
        const blocker = manifest.find((m) => m.group === w.group && m.bytes === null)!;
        ds.push(diag(DIAG.tfjsWeightUnlocatable, at(blocker.path), pathText(blocker.path), blocker.entry.name, blocker.entry.quantization?.dtype ?? blocker.entry.dtype, wname));
        continue;
      }
      needed.push({ dense: d, kind, w });
    }
  }
  if (ds.length) return result();

  // The shards: each group's files, concatenated in manifest order, must hold its weights.
  const dir = nodePath.dirname(path);
  const groupData = new Map<number, Buffer>();
  for (const gi of [...new Set(needed.map((n) => n.w.group))].sort((a, b) => a - b)) {
    const g = groups[gi];
    const parts: { path: string; data: Buffer; jsonPath: JsonPath }[] = [];
    let readable = true;
    g.paths.forEach((p, pi) => {
      const jsonPath: JsonPath = ['weightsManifest', gi, 'paths', pi];
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(p)) {
        ds.push(diag(DIAG.tfjsShardUnreadable, at(jsonPath), p, 'it is a URL; axc reads weight shards from files beside model.json'));
        readable = false;
        return;
      }
      let resolved = nodePath.resolve(dir, p);
      if (!fs.existsSync(resolved)) {
        // tfjs treats shard paths as URLs relative to model.json: try the percent-decoded name too.
        try {
          const decoded = nodePath.resolve(dir, decodeURIComponent(p));
          if (fs.existsSync(decoded)) resolved = decoded;
        } catch {
          /* not percent-encoded */
        }
      }
      try {
        shards.push(resolved);
        parts.push({ path: p, data: fs.readFileSync(resolved), jsonPath });
      } catch (err) {
        ds.push(diag(DIAG.tfjsShardUnreadable, at(jsonPath), p, `${describeFsError(err)} (looked for ${resolved})`));
        readable = false;
      }
    });
    if (!readable) continue;
    const inGroup = manifest.filter((m) => m.group === gi);
    const lastKnown = inGroup.findIndex((m) => m.offset === null || m.bytes === null);
    const laidOut = lastKnown < 0 ? inGroup : inGroup.slice(0, lastKnown);
    const need = laidOut.reduce((n, m) => Math.max(n, m.offset! + m.bytes!), 0);
    const have = parts.reduce((n, p) => n + p.data.length, 0);
    if (parts.length === 0) {
      ds.push(diag(DIAG.tfjsGroupWithoutShards, at(['weightsManifest', gi, 'paths']), gi, need));
      continue;
    }
    if (have < need) {
      const last = parts[parts.length - 1];
      const cut = laidOut.find((m) => m.offset! + m.bytes! > have)!;
      const sizes = parts.length > 1 ? ` (${parts.map((p) => `${quote(p.path)} ${p.data.length}`).join(', ')})` : '';
      ds.push(
        diag(
          DIAG.tfjsShardShort,
          at(last.jsonPath),
          last.path,
          `the weightsManifest's group ${gi} lists ${need} bytes of weights, but its shard${parts.length > 1 ? 's hold' : ' holds'} ${have} bytes${sizes}; weight ${quote(cut.entry.name)} needs bytes ${cut.offset} to ${cut.offset! + cut.bytes!}`,
        ),
      );
      continue;
    }
    groupData.set(gi, Buffer.concat(parts.map((p) => p.data)));
  }
  if (ds.length) return result();

  // Slice the float32 little-endian values.
  const values = new Map<string, DenseWeights>();
  for (const n of needed) {
    const buf = groupData.get(n.w.group)!;
    const count = n.w.bytes! / 4;
    const view = new DataView(buf.buffer, buf.byteOffset + n.w.offset!, n.w.bytes!);
    const arr = new Float32Array(count);
    for (let i = 0; i < count; i++) arr[i] = view.getFloat32(i * 4, true);
    const bad = arr.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) {
      ds.push(diag(DIAG.tfjsWeightNotFinite, at(n.w.path), n.w.entry.name, n.dense.layer.name, bad, arr[bad]));
      continue;
    }
    const slot = values.get(n.dense.layer.name) ?? { kernel: new Float32Array(0), bias: null };
    if (n.kind === 'kernel') slot.kernel = arr;
    else slot.bias = arr;
    values.set(n.dense.layer.name, slot);
  }
  if (ds.length) return result();

  const planned = planToModel(plan, (d) => values.get(d.layer.name)!, { threshold, safeIndex, sourceFile: path });
  const { renames } = planned;
  const m = meta.data;
  const model: AxModel = { ...planned.model, quality: m.quality ?? null, ...(m.benchmark ? { benchmark: m.benchmark } : {}), ...(m.cpuCycles !== undefined ? { cpuCycles: m.cpuCycles } : {}) };
  // The benchmark the metadata names computes the rejected samples: it must map the model's widths (as --benchmark must).
  const bench = m.benchmark !== undefined ? findBenchmarkInfo(m.benchmark) : undefined;
  if (bench && (bench.inputWidth !== model.inputWidth || bench.outputWidth !== model.outputWidth)) {
    ds.push(diag(DIAG.tfjsBenchmarkWidth, at(['userDefinedMetadata', 'axc', 'benchmark']), bench.name, bench.inputWidth, bench.outputWidth, model.inputWidth, model.outputWidth));
    return result();
  }
  for (const v of verifyModel(model)) ds.push({ ...v, code: DIAG.tfjsInvalidModel.code, message: DIAG.tfjsInvalidModel.message(v.message.replace(/^invalid IR: /, '')) });
  if (hasErrors(ds)) return result();
  return { model, diagnostics: ds, renames, shards };
}
