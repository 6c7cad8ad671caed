// The bounds every JSON reader checks before parsing: jsonc-parser's parseTree recurses once per level, so
// a few thousand '[' overflow the stack; and zod, which checks schema-validated files, spreads an array's
// issues into its parent's in one call, so an array of a few hundred thousand wrong elements overflows it
// too. One iterative scan finds the bracket that goes too deep, or the element that makes an array too long.

import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { diag, locAt } from '../diagnostics/diagnostic.ts';
import { DIAG } from '../diagnostics/catalog.ts';

/** Far more than any real file needs (a tfjs model.json nests about a dozen deep), far less than the stack allows. */
export const MAX_JSON_DEPTH = 64;

const QUOTE = 34; // "
const BACKSLASH = 92;
const SLASH = 47;
const STAR = 42;
const NEWLINE = 10;

/**
 * Far more elements than any array in a model.json or hardware description holds (their weights live in
 * binary shards), far fewer than zod's per-element issues can carry. Weights files, whose long arrays are
 * checked by hand, are not held to it.
 */
export const MAX_SCHEMA_ARRAY_LENGTH = 10_000;

const COMMA = 44;

/**
 * Where the scan stopped: the first '[' or '{' that opens level `maxDepth + 1`, or the comma that starts
 * element `maxArrayLength + 1` of an array; null when the text is within both bounds. Brackets and commas
 * inside strings and comments do not count (comments are an error later, but must not be mistaken for
 * structure); stray closers are ignored.
 */
export function boundsViolation(text: string, maxDepth = MAX_JSON_DEPTH, maxArrayLength = Infinity): { offset: number; kind: 'depth' | 'length' } | null {
  let depth = 0;
  // Per open level: -1 for an object, else the commas seen so far in that array.
  const commas = new Int32Array(maxDepth + 1);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      for (i++; i < text.length; i++) {
        const s = text.charCodeAt(i);
        if (s === BACKSLASH) i++;
        else if (s === QUOTE || s === NEWLINE) break; // an unterminated string ends at its line
      }
    } else if (c === SLASH && text.charCodeAt(i + 1) === SLASH) {
      while (i < text.length && text.charCodeAt(i) !== NEWLINE) i++;
    } else if (c === SLASH && text.charCodeAt(i + 1) === STAR) {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
    } else if (c === 91 /* [ */ || c === 123 /* { */) {
      if (++depth > maxDepth) return { offset: i, kind: 'depth' };
      commas[depth] = c === 91 ? 0 : -1;
    } else if ((c === 93 /* ] */ || c === 125 /* } */) && depth > 0) {
      depth--;
    } else if (c === COMMA && depth > 0 && commas[depth] >= 0) {
      if (++commas[depth] >= maxArrayLength) return { offset: i, kind: 'length' };
    }
  }
  return null;
}

/** Offset of the first '[' or '{' that opens level `max + 1`, or -1. */
export function tooDeepOffset(text: string, max = MAX_JSON_DEPTH): number {
  return boundsViolation(text, max)?.offset ?? -1;
}

/**
 * The error for JSON nested too deep, at the offending bracket, or (with `maxArrayLength`, for files a schema
 * checks) holding an array too long, at the comma past the limit; `what` names the file ("the weights file").
 */
export function jsonDepthError(text: string, file: string, what: string, maxArrayLength = Infinity): Diagnostic | null {
  const v = boundsViolation(text, MAX_JSON_DEPTH, maxArrayLength);
  if (!v) return null;
  const at = locAt(file, text, v.offset);
  return v.kind === 'depth' ? diag(DIAG.jsonTooDeep, at, what, MAX_JSON_DEPTH) : diag(DIAG.jsonArrayTooLong, at, what, maxArrayLength);
}
