// Helpers for the TensorFlow.js importer tests: assertions on a written model's diagnostics. The models
// themselves are built by examples/tfjs-fixtures.ts (shared with the fuzzer) and re-exported here.

import type { ExecutionContext } from 'ava';
import { readLayersModel, type ReadLayersModelOptions, type ReadLayersModelResult } from '../../frontend/layers-model/read-layers-model.ts';
import { formatDiagnostic, type Diagnostic } from '../../diagnostics/diagnostic.ts';
import type { AxModel } from '../../ir/model.ts';
import type { Written } from '../../examples/tfjs-fixtures.ts';

export * from '../../examples/tfjs-fixtures.ts';

export function where(d: Diagnostic): string {
  return d.loc ? `${d.loc.file}:${d.loc.line}:${d.loc.col}` : d.file ? `${d.file}:-` : '-';
}

/** Reads the written model, which must fail with exactly one diagnostic `code` at `pos` ("line:col" or null for none). */
export function expectError(t: ExecutionContext, w: Written, code: string, pos: string | null, opts?: ReadLayersModelOptions): Diagnostic {
  const r = readLayersModel(w.file, opts);
  const shown = r.diagnostics.map(formatDiagnostic).join('\n');
  t.is(r.model, null, shown);
  t.is(r.diagnostics.length, 1, shown);
  const d = r.diagnostics[0];
  t.is(d.code, code, shown);
  t.is(d.severity, 'error');
  if (pos === null) t.is(d.loc, undefined, shown);
  else t.is(where(d), `${w.file}:${pos}`, shown);
  return d;
}

export function ok(t: ExecutionContext, w: Written, opts?: ReadLayersModelOptions): AxModel {
  const r: ReadLayersModelResult = readLayersModel(w.file, opts);
  t.deepEqual(r.diagnostics.map(formatDiagnostic), []);
  if (!r.model) throw new Error('no model');
  return r.model;
}

