// How user text (a token, a name, a string from a file) appears inside a message: quoted, at most
// QUOTE_MAX_CHARS long, with control characters escaped so that no raw byte reaches the terminal.

/** Longer text is cut to this many characters and an ellipsis; a message stays one readable line. */
export const QUOTE_MAX_CHARS = 60;

/** Control characters (C0, DEL, C1), line and paragraph separators, and lone surrogates. */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function escapeChar(c: string): string {
  switch (c) {
    case '\n':
      return '\\n';
    case '\r':
      return '\\r';
    case '\t':
      return '\\t';
    default: {
      const code = c.charCodeAt(0);
      return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
    }
  }
}

/** `text` made safe and short for a message, without quotes: escaped, then cut with '…' past the limit. */
export function clip(text: string, max = QUOTE_MAX_CHARS): string {
  // Escape only the head that can be shown: the cost stays bounded whatever the text's length.
  let head = text.length > max * 2 ? text.slice(0, max * 2) : text;
  if (/[\ud800-\udbff]$/.test(head) && head.length < text.length) head = head.slice(0, -1); // keep a pair whole
  const safe = head.replace(UNPRINTABLE, escapeChar);
  if (safe.length <= max && head.length === text.length) return safe;
  let cut = safe.slice(0, max);
  if (/[\ud800-\udbff]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}…`;
}

/** `'text'`, clipped and escaped: the one way user text is quoted in a diagnostic. */
export function quote(text: string, max = QUOTE_MAX_CHARS): string {
  return `'${clip(text, max)}'`;
}
