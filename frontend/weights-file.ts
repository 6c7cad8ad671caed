// The JSON weights file: reading it (with file:line:col positions via jsonc-parser) into a WeightTable, and
// writing a model's weights in the same format with float32 values that round-trip exactly.
//
// { "format": "axc-weights", "version": 1,
//   "layers": { "<layer>": { "w": [[...], ...] or [...], "b": [...] }, ... } }

import { parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import type { AxModel, SourceLoc } from '../ir/model.ts';
import { DIAG } from '../diagnostics/catalog.ts';
import { diag, type Diagnostic, lineIndex } from '../diagnostics/diagnostic.ts';
import type { LayerWeightsAst, WeightTable, WeightValue } from './ast.ts';
import { float32Text } from '../ir/float-text.ts';
import { jsonDepthError } from '../input/json-depth.ts';
import { clip } from '../diagnostics/quote.ts';

export const WEIGHTS_FORMAT = 'axc-weights';
export const WEIGHTS_VERSION = 1;

function describe(n: Node): string {
  switch (n.type) {
    case 'object':
      return 'an object';
    case 'array':
      return 'an array';
    case 'string':
      return `the string "${clip(String(n.value))}"`;
    case 'number':
      return `the number ${n.value}`;
    case 'boolean':
      return String(n.value);
    case 'null':
      return 'null';
    default:
      return n.type;
  }
}

/** Object properties as [key node, value node] pairs, reporting duplicate keys. */
function properties(obj: Node, at: (n: Node) => SourceLoc, ds: Diagnostic[]): Map<string, { key: Node; value: Node }> {
  const m = new Map<string, { key: Node; value: Node }>();
  for (const p of obj.children ?? []) {
    const [key, value] = p.children ?? [];
    if (!key || !value) continue;
    const k = String(key.value);
    if (m.has(k)) ds.push(diag(DIAG.weightsFileDuplicateKey, at(key), k));
    else m.set(k, { key, value });
  }
  return m;
}


/** Parses a weights file's text. `file` is the name used in diagnostic positions. */
export function readWeightsFile(text: string, file: string): { table: WeightTable | null; diagnostics: Diagnostic[] } {
  const tooDeep = jsonDepthError(text, file, 'the weights file');
  if (tooDeep) return { table: null, diagnostics: [tooDeep] };
  const ds: Diagnostic[] = [];
  const locOf = lineIndex(file, text);
  const at = (n: Node): SourceLoc => locOf(n.offset);
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  if (errors.length > 0 || !root) {
    for (const e of errors.slice(0, 5)) {
      ds.push(diag(DIAG.weightsFileSyntax, locOf(e.offset), printParseErrorCode(e.error)));
    }
    if (ds.length === 0) ds.push(diag(DIAG.weightsFileEmpty, locOf(0)));
    return { table: null, diagnostics: ds };
  }
  if (root.type !== 'object') {
    ds.push(diag(DIAG.weightsFileNotObject, at(root), describe(root)));
    return { table: null, diagnostics: ds };
  }
  const top = properties(root, at, ds);
  const format = top.get('format');
  if (!format) ds.push(diag(DIAG.weightsFileNoFormat, at(root), WEIGHTS_FORMAT));
  else if (format.value.value !== WEIGHTS_FORMAT || format.value.type !== 'string')
    ds.push(diag(DIAG.weightsFileFormat, at(format.value), WEIGHTS_FORMAT, describe(format.value)));
  const version = top.get('version');
  if (!version) ds.push(diag(DIAG.weightsFileNoVersion, at(root), WEIGHTS_VERSION));
  else if (version.value.type !== 'number' || version.value.value !== WEIGHTS_VERSION)
    ds.push(diag(DIAG.weightsFileVersion, at(version.value), WEIGHTS_VERSION, describe(version.value)));
  const layersProp = top.get('layers');
  if (!layersProp) {
    ds.push(diag(DIAG.weightsFileNoLayers, at(root)));
    return { table: null, diagnostics: ds };
  }
  const layersNode = layersProp.value;
  if (layersNode.type !== 'object') {
    ds.push(diag(DIAG.weightsFileLayersNotObject, at(layersNode), describe(layersNode)));
    return { table: null, diagnostics: ds };
  }
  const table: WeightTable = { layers: new Map(), loc: at(layersNode) };
  for (const [name, { key, value }] of properties(layersNode, at, ds)) {
    const entry: LayerWeightsAst = { name: { name, loc: at(key) } };
    table.layers.set(name, entry);
    if (value.type !== 'object') {
      ds.push(diag(DIAG.weightsFileLayerNotObject, at(value), name, describe(value)));
      continue;
    }
    for (const [field, p] of properties(value, at, ds)) {
      if (field !== 'w' && field !== 'b') {
        ds.push(diag(DIAG.weightsFileUnknownKey, at(p.key), field, name));
        continue;
      }
      if (p.value.type !== 'array') {
        ds.push(diag(DIAG.weightsFileFieldNotArray, at(p.value), name, field, describe(p.value)));
        continue;
      }
      const v = toWeightValue(p.value, text, at, ds);
      if (v) entry[field] = v;
    }
  }
  return { table: ds.length === 0 ? table : null, diagnostics: ds };
}

function toWeightValue(n: Node, text: string, at: (n: Node) => SourceLoc, ds: Diagnostic[]): WeightValue | null {
  if (n.type === 'number') return { kind: 'num', value: n.value as number, text: text.slice(n.offset, n.offset + n.length), loc: at(n) };
  if (n.type === 'array') {
    const items: WeightValue[] = [];
    let ok = true;
    for (const c of n.children ?? []) {
      const v = toWeightValue(c, text, at, ds);
      if (v) items.push(v);
      else ok = false;
    }
    return ok ? { kind: 'list', items, loc: at(n) } : null;
  }
  ds.push(diag(DIAG.weightsFileNotNumber, at(n), describe(n)));
  return null;
}

function rowsText(w: Float32Array, rows: number, cols: number, indent: string): string {
  const lines: string[] = [];
  for (let r = 0; r < rows; r++) {
    const row: string[] = [];
    for (let c = 0; c < cols; c++) row.push(float32Text(w[r * cols + c]));
    lines.push(`${indent}[${row.join(', ')}]`);
  }
  return lines.join(',\n');
}

/** The model's weights as an axc-weights JSON file; layers in order: approximator, predictor hidden, split. */
export function writeWeightsFile(model: AxModel): string {
  const layers: { name: string; rows: number; cols: number; w: Float32Array; b: Float32Array }[] = [];
  for (const l of model.approximator) layers.push({ name: l.name, rows: l.width, cols: l.inWidth, w: l.weights, b: l.bias });
  if (model.predictor) {
    for (const l of model.predictor.hidden) layers.push({ name: l.name, rows: l.width, cols: l.inWidth, w: l.weights, b: l.bias });
    const o = model.predictor.output;
    layers.push({ name: o.name, rows: o.bias.length, cols: o.inWidth, w: o.weights, b: o.bias });
  }
  const body = layers.map((l) => {
    const bias = Array.from(l.b, float32Text).join(', ');
    return (
      `    ${JSON.stringify(l.name)}: {\n` +
      `      "w": [\n${rowsText(l.w, l.rows, l.cols, '        ')}\n      ],\n` +
      `      "b": [${bias}]\n    }`
    );
  });
  return `{\n  "format": "${WEIGHTS_FORMAT}",\n  "version": ${WEIGHTS_VERSION},\n  "layers": {\n${body.join(',\n')}\n  }\n}\n`;
}
