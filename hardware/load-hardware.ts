// Reads a hardware-description JSON file, validating it against the schema with file:line:col errors.

import { readFileSync } from 'node:fs';
import { parseTree, findNodeAtLocation, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { DIAG } from '../diagnostics/catalog.ts';
import { AxcError, diag, fail, locAt, type Diagnostic, describeFsError } from '../diagnostics/diagnostic.ts';
import { HardwareSchema, type Hardware } from './description.ts';
import { jsonDepthError, MAX_SCHEMA_ARRAY_LENGTH } from '../input/json-depth.ts';

export function parseHardware(text: string, file: string): Hardware {
  const tooDeep = jsonDepthError(text, file, 'the hardware description', MAX_SCHEMA_ARRAY_LENGTH);
  if (tooDeep) throw new AxcError(tooDeep);
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
  if (errors.length > 0 || !tree) {
    const e = errors[0];
    if (!e) fail(DIAG.hardwareEmpty, file);
    fail(DIAG.hardwareSyntax, locAt(file, text, e.offset), printParseErrorCode(e.error));
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    fail(DIAG.hardwareSyntax, file, (e as Error).message);
  }
  const diags: Diagnostic[] = [];
  const where = (offset: number) => locAt(file, text, offset);
  if (tree.type !== 'object') fail(DIAG.hardwareNotObject, where(tree.offset));
  // JSON.parse keeps the last of duplicated keys silently; a hardware description must say each thing once.
  const seen = new Set<string>();
  for (const prop of tree.type === 'object' ? (tree.children ?? []) : []) {
    const key = prop.children?.[0];
    if (!key) continue;
    if (seen.has(key.value)) diags.push(diag(DIAG.hardwareDuplicate, where(key.offset), key.value));
    seen.add(key.value);
  }
  const result = HardwareSchema.safeParse(value);
  if (result.success && diags.length === 0) return result.data;
  const keyNode = (k: string) => tree.children?.find((c) => c.children?.[0]?.value === k)?.children?.[0];
  for (const issue of result.success ? [] : result.error.issues) {
    const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
    if (issue.code === 'unrecognized_keys') {
      for (const k of issue.keys) {
        const node = keyNode(k);
        diags.push(diag(DIAG.hardwareUnknownField, node ? where(node.offset) : file, k));
      }
      continue;
    }
    // With duplicated keys, point at the value that was actually used: the last one.
    const props = tree.children?.filter((c) => c.children?.[0]?.value === path[0]) ?? [];
    const node = path.length === 1 && props.length ? props[props.length - 1].children?.[1] : findNodeAtLocation(tree, path);
    diags.push(diag(DIAG.hardwareField, node ? where(node.offset) : file, path.join('.') || '(top level)', issue.message));
  }
  throw new AxcError(diags);
}

export function loadHardwareFile(path: string): Hardware {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    fail(DIAG.fileUnreadable, undefined, path, describeFsError(e));
  }
  return parseHardware(text, path);
}
