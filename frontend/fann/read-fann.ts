// Entry point of the FANN importer: a FANN 2.x float save file (.nn, as AxBench, SNNAP and ACCEPT ship them)
// -> AxModel, a plain approximator that is always invoked. Never throws for bad input.

import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import type { AxModel } from '../../ir/model.ts';
import { verifyModel } from '../../ir/verify-model.ts';
import { DIAG } from '../../diagnostics/catalog.ts';
import { describeFsError, diag, hasErrors, type Diagnostic } from '../../diagnostics/diagnostic.ts';
import { wrongKindOfFile } from '../file-kind.ts';
import { sanitiseName } from '../layers-model/recognise-axnet.ts';
import { readFannText } from './fann-file.ts';
import { fannToModel } from './fann-to-model.ts';

export interface ReadFannResult {
  /** Non-null exactly when `diagnostics` holds no error (warnings may be there). */
  model: AxModel | null;
  diagnostics: Diagnostic[];
}

/** The model's name: the file's stem as an .axn identifier (`sobel.nn` -> `sobel`). */
export function fannModelName(path: string): string {
  return sanitiseName(nodePath.basename(path).replace(/\.[^.]*$/, '') || 'fann');
}

export function parseFann(text: string, path: string): ReadFannResult {
  const read = readFannText(text, path);
  if (!read.fann) return { model: null, diagnostics: read.diagnostics };
  const ds = read.diagnostics;
  const built = fannToModel(read.fann, fannModelName(path), path);
  ds.push(...built.diagnostics);
  if (!built.model || hasErrors(ds)) return { model: null, diagnostics: ds };
  const scale = read.fann.fields.get('scale_included');
  // fann_run does not scale its inputs or outputs either: a program calls fann_scale_input itself.
  if (scale && scale.value.trim() === '1') ds.push(diag(DIAG.fannScaleIgnored, read.fann.locOf(scale.at)));
  for (const v of verifyModel(built.model)) ds.push({ ...v, code: DIAG.fannInvalidModel.code, message: DIAG.fannInvalidModel.message(v.message.replace(/^invalid IR: /, '')) });
  return hasErrors(ds) ? { model: null, diagnostics: ds } : { model: built.model, diagnostics: ds };
}

export function readFannModel(path: string): ReadFannResult {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(path);
  } catch (err) {
    return { model: null, diagnostics: [diag(DIAG.fileUnreadable, undefined, path, describeFsError(err))] };
  }
  const wrongKind = wrongKindOfFile(bytes, path, 'a FANN network (.nn)', ['fann', 'text']);
  if (wrongKind) return { model: null, diagnostics: [wrongKind] };
  return parseFann(bytes.toString('utf8'), path);
}
