// The nesting bound every JSON reader checks before parsing: jsonc-parser's parseTree recurses once per
// level, so a few thousand '[' overflow the stack. One iterative scan finds the bracket that goes too deep.

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
 * Offset of the first '[' or '{' that opens level `max + 1`, or -1. Brackets inside strings and comments do
 * not count (comments are an error later, but must not be mistaken for nesting); stray closers are ignored.
 */
export function tooDeepOffset(text: string, max = MAX_JSON_DEPTH): number {
  let depth = 0;
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
      if (++depth > max) return i;
    } else if ((c === 93 /* ] */ || c === 125 /* } */) && depth > 0) {
      depth--;
    }
  }
  return -1;
}

/** The error for JSON nested too deep, at the offending bracket; `what` names the file ("the weights file"). */
export function jsonDepthError(text: string, file: string, what: string, max = MAX_JSON_DEPTH): Diagnostic | null {
  const at = tooDeepOffset(text, max);
  return at < 0 ? null : diag(DIAG.jsonTooDeep, locAt(file, text, at), what, max);
}
