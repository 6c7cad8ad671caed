// The text of a FANN 2.x save file (fann_save: a version line, then key=value lines) read into its fields,
// with the offset of every value and tuple, so that each later check can point at file:line:col.

import { DIAG } from '../../diagnostics/catalog.ts';
import { diag, lineIndex, type Diagnostic } from '../../diagnostics/diagnostic.ts';
import type { SourceLoc } from '../../diagnostics/source-loc.ts';

export const NEURONS_KEY = 'neurons (num_inputs, activation_function, activation_steepness)';
export const CONNECTIONS_KEY = 'connections (connected_to_neuron, weight)';

/** The fields axc needs; a file without one of them is refused. The training parameters are not read. */
const REQUIRED_KEYS = ['num_layers', 'connection_rate', 'network_type', 'layer_sizes', NEURONS_KEY, CONNECTIONS_KEY] as const;

export interface FannField {
  value: string;
  /** Offset of the value's first character in the text. */
  at: number;
}

export interface FannFile {
  /** `FLO` or `FIX`, and the version after it (`2.1`). */
  version: string;
  fields: Map<string, FannField>;
  /** Neuron i is (numInputs[i], activation[i], steepness[i]), written at offset neuronAt[i]. */
  numInputs: number[];
  activation: number[];
  steepness: number[];
  neuronAt: number[];
  /** Connection k is (from[k], weight[k]) at offset connectionAt[k]. */
  from: number[];
  weight: number[];
  connectionAt: number[];
  locOf: (offset: number) => SourceLoc;
}

const VERSION_LINE = /^FANN_(FLO|FIX)_(\d+\.\d+)$/;
const UNSIGNED = /^\d+$/;
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$|^[+-]?(?:inf|infinity|nan)$/i;

/** A decimal as C's strtod reads it, so that `inf` and `nan` reach the check that refuses them by name. */
export function parseDecimal(text: string): number | null {
  if (!DECIMAL.test(text)) return null;
  const t = text.toLowerCase().replace(/^\+/, '');
  if (t.endsWith('nan')) return NaN;
  if (t.endsWith('inf') || t.endsWith('infinity')) return t.startsWith('-') ? -Infinity : Infinity;
  return Number(text);
}

export function parseUnsigned(text: string): number | null {
  return UNSIGNED.test(text) && text.length <= 9 ? Number(text) : null;
}

/** The version line: null (with a diagnostic) unless it is FANN_FLO_2.x. */
function readVersion(line: string, loc: SourceLoc, ds: Diagnostic[]): string | null {
  const m = VERSION_LINE.exec(line.trim());
  if (!m) {
    ds.push(diag(DIAG.fannNotFann, loc, line));
    return null;
  }
  if (m[1] === 'FIX') ds.push(diag(DIAG.fannFixedPoint, loc, line.trim()));
  else if (!m[2].startsWith('2.')) ds.push(diag(DIAG.fannVersion, loc, line.trim()));
  return ds.length ? null : `${m[1]}_${m[2]}`;
}

/**
 * The tuples of a `(a, b[, c])` list, each as its trimmed parts and the offset of its '('. Stops at the
 * first malformed one, reporting what it found there.
 */
function readTuples(value: string, at: number, arity: number, what: string, locOf: (o: number) => SourceLoc, ds: Diagnostic[], onTuple: (parts: string[], offset: number, index: number) => boolean): void {
  const shape = what === 'neuron' ? '(num_inputs, activation_function, activation_steepness)' : '(connected_to_neuron, weight)';
  let i = 0;
  let index = 0;
  while (i < value.length) {
    const c = value.charCodeAt(i);
    if (c === 32 || c === 9 || c === 13) {
      i++;
      continue;
    }
    const close = value.indexOf(')', i);
    const open = value.indexOf('(', i + 1);
    if (c !== 40 || close < 0 || (open >= 0 && open < close)) {
      ds.push(diag(DIAG.fannBadTuple, locOf(at + i), what, index, shape, value.slice(i, close < 0 ? i + 40 : close + 1)));
      return;
    }
    const parts = value.slice(i + 1, close).split(',').map((p) => p.trim());
    if (parts.length !== arity) {
      ds.push(diag(DIAG.fannBadTuple, locOf(at + i), what, index, shape, value.slice(i, close + 1)));
      return;
    }
    if (!onTuple(parts, at + i, index)) return;
    index++;
    i = close + 1;
  }
}

export function readFannText(text: string, file: string): { fann: FannFile | null; diagnostics: Diagnostic[] } {
  const ds: Diagnostic[] = [];
  const locOf = lineIndex(file, text);
  const firstEnd = text.indexOf('\n');
  const first = (firstEnd < 0 ? text : text.slice(0, firstEnd)).replace(/^\uFEFF/, '').replace(/\r$/, '');
  const version = readVersion(first, locOf(0), ds);
  if (!version) return { fann: null, diagnostics: ds };

  const fields = new Map<string, FannField>();
  let start = firstEnd < 0 ? text.length : firstEnd + 1;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end).replace(/\r$/, '');
    if (line.trim() !== '') {
      const eq = line.indexOf('=');
      if (eq < 0) ds.push(diag(DIAG.fannNotKeyValue, locOf(start), line));
      else {
        const key = line.slice(0, eq).trim();
        const seen = fields.get(key);
        if (seen) ds.push(diag(DIAG.fannDuplicateField, locOf(start), key, locOf(seen.at).line));
        else fields.set(key, { value: line.slice(eq + 1), at: start + eq + 1 });
      }
    }
    start = end + 1;
  }
  for (const key of REQUIRED_KEYS) if (!fields.has(key)) ds.push(diag(DIAG.fannMissingField, file, key));
  if (ds.length) return { fann: null, diagnostics: ds };

  const fann: FannFile = { version, fields, numInputs: [], activation: [], steepness: [], neuronAt: [], from: [], weight: [], connectionAt: [], locOf };
  const neurons = fields.get(NEURONS_KEY)!;
  readTuples(neurons.value, neurons.at, 3, 'neuron', locOf, ds, (parts, offset, index) => {
    const n = parseUnsigned(parts[0]);
    const f = parseUnsigned(parts[1]);
    const s = parseDecimal(parts[2]);
    if (n === null || f === null || s === null) {
      ds.push(diag(DIAG.fannBadTuple, locOf(offset), 'neuron', index, '(num_inputs, activation_function, activation_steepness)', `(${parts.join(', ')})`));
      return false;
    }
    fann.numInputs.push(n);
    fann.activation.push(f);
    fann.steepness.push(s);
    fann.neuronAt.push(offset);
    return true;
  });
  const connections = fields.get(CONNECTIONS_KEY)!;
  readTuples(connections.value, connections.at, 2, 'connection', locOf, ds, (parts, offset, index) => {
    const n = parseUnsigned(parts[0]);
    const w = parseDecimal(parts[1]);
    if (n === null || w === null) {
      ds.push(diag(DIAG.fannBadTuple, locOf(offset), 'connection', index, '(connected_to_neuron, weight)', `(${parts.join(', ')})`));
      return false;
    }
    fann.from.push(n);
    fann.weight.push(w);
    fann.connectionAt.push(offset);
    return true;
  });
  return ds.length ? { fann: null, diagnostics: ds } : { fann, diagnostics: ds };
}
