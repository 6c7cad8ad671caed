// Reads a hardware-description JSON file, validating it against the schema with file:line:col errors.

import { readFileSync } from 'node:fs';
import { parseTree, findNodeAtLocation, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { DIAG } from '../diagnostics/catalog.ts';
import { AxcError, diag, fail, locAt, type Diagnostic, describeFsError } from '../diagnostics/diagnostic.ts';
import { HardwareSchema, type Hardware } from './description.ts';

export function parseHardware(text: string, file: string): Hardware {
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
  if (errors.length > 0 || !tree) {
    const e = errors[0];
    fail(DIAG.hardwareSyntax, e ? locAt(file, text, e.offset) : file, e ? printParseErrorCode(e.error) : 'empty file');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    fail(DIAG.hardwareSyntax, file, (e as Error).message);
  }
  const result = HardwareSchema.safeParse(value);
  if (result.success) return result.data;
  const diags: Diagnostic[] = result.error.issues.map((issue) => {
    const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
    let node = findNodeAtLocation(tree, path);
    let field = path.join('.') || '(top level)';
    if (issue.code === 'unrecognized_keys') {
      const key = issue.keys[0];
      field = key;
      const prop = tree.children?.find((c) => c.children?.[0]?.value === key);
      node = prop?.children?.[0];
      return diag(DIAG.hardwareField, node ? locAt(file, text, node.offset) : file, field, 'is not a hardware parameter');
    }
    return diag(DIAG.hardwareField, node ? locAt(file, text, node.offset) : file, field, issue.message);
  });
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
