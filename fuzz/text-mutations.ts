// Text mutations for fuzzing: a mutation is plain data (so fast-check can generate and shrink it), applied to
// a seed text by `applyTextMutations`. Positions are naturals taken modulo the text's length.

import fc from 'fast-check';

export type TextMutation =
  | { kind: 'replace-char'; at: number; with: string }
  | { kind: 'insert'; at: number; token: string }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'duplicate-line'; line: number; times: number }
  | { kind: 'swap-lines'; a: number; b: number }
  | { kind: 'delete-line'; line: number }
  | { kind: 'truncate'; at: number }
  /** Replaces the n-th number-looking token (modulo how many there are) by `token`. */
  | { kind: 'replace-number'; nth: number; token: string };

/** Numbers that sit on a boundary of some representation: float32/float64 range, u32, safe integers, signs. */
export const EDGE_NUMBERS = [
  '0', '-0', '1', '-1', '0.5', '1e39', '-1e39', '1e-50', '1e308', '1e309', '3.4028235e38', 'NaN', 'Infinity', '-Infinity',
  '4294967295', '4294967296', '-4294967296', '2147483648', '9007199254740993', '999999999999999999999', '1e21', '0x10', '1.', '.5', '00',
];

/** Characters that are awkward for lexers, line splitters and terminals. */
export const ODD_CHARS = ['\u0000', '\u0007', '\u001b', '\r', '\t', '\n', '\u000b', '\u2028', '\u00e9', '\u{1F600}', '\uFFFD', '\uD800', '\u00a0', '"', "'", '\\', '#', ';'];

const STRUCTURE = ['[', ']', '{', '}', '(', ')', ',', ':', '=', '.', '<', ' ', ',,', '[]', '{}', '""', 'null', 'true'];

/** Nested brackets of a depth that stresses recursive parsers (balanced or not). */
function nesting(open: string, close: string): fc.Arbitrary<string> {
  return fc.tuple(fc.integer({ min: 1, max: 6000 }), fc.boolean()).map(([depth, balanced]) => open.repeat(depth) + (balanced ? close.repeat(depth) : ''));
}

/** A very long token: a name, a number, or a string of one repeated character. */
const longToken: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom('a', '9', 'x1', '"', ' ', '0.'), fc.integer({ min: 100, max: 200_000 }))
  .map(([unit, n]) => unit.repeat(Math.ceil(n / unit.length)));

/** A token worth inserting: structure, edge numbers, odd characters, nesting, long tokens, or format keywords. */
export function tokenArbitrary(keywords: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...STRUCTURE) },
    { weight: 4, arbitrary: fc.constantFrom(...EDGE_NUMBERS) },
    { weight: 2, arbitrary: fc.constantFrom(...ODD_CHARS) },
    { weight: 1, arbitrary: nesting('[', ']') },
    { weight: 1, arbitrary: nesting('{', '}') },
    { weight: 1, arbitrary: nesting('(', ')') },
    { weight: 1, arbitrary: longToken },
    { weight: 3, arbitrary: keywords.length ? fc.constantFrom(...keywords) : fc.constant('x') },
    { weight: 1, arbitrary: fc.string({ maxLength: 8, unit: 'binary' }) },
  );
}

export function textMutationArbitrary(keywords: readonly string[]): fc.Arbitrary<TextMutation> {
  const token = tokenArbitrary(keywords);
  const at = fc.nat();
  return fc.oneof(
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('replace-char' as const), at, with: fc.oneof(fc.constantFrom(...ODD_CHARS, ...STRUCTURE), fc.string({ minLength: 1, maxLength: 1, unit: 'binary' })) }) },
    { weight: 5, arbitrary: fc.record({ kind: fc.constant('insert' as const), at, token }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('delete' as const), at, length: fc.integer({ min: 1, max: 40 }) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('duplicate-line' as const), line: at, times: fc.integer({ min: 1, max: 3 }) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('swap-lines' as const), a: at, b: fc.nat() }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete-line' as const), line: at }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at }) },
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('replace-number' as const), nth: at, token: fc.constantFrom(...EDGE_NUMBERS) }) },
  );
}

/** One to four mutations; fast-check shrinks toward fewer and simpler ones. */
export function textMutationsArbitrary(keywords: readonly string[]): fc.Arbitrary<TextMutation[]> {
  return fc.array(textMutationArbitrary(keywords), { minLength: 1, maxLength: 4 });
}

const NUMBER_TOKEN = /-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/g;

export function applyTextMutation(text: string, m: TextMutation): string {
  const pos = (n: number) => (text.length === 0 ? 0 : n % (text.length + 1));
  switch (m.kind) {
    case 'replace-char': {
      if (text.length === 0) return m.with;
      const i = m.at % text.length;
      return text.slice(0, i) + m.with + text.slice(i + 1);
    }
    case 'insert': {
      const i = pos(m.at);
      return text.slice(0, i) + m.token + text.slice(i);
    }
    case 'delete': {
      const i = pos(m.at);
      return text.slice(0, i) + text.slice(i + m.length);
    }
    case 'truncate':
      return text.slice(0, pos(m.at));
    case 'duplicate-line': {
      const lines = text.split('\n');
      const i = m.line % lines.length;
      lines.splice(i, 0, ...Array<string>(m.times).fill(lines[i]));
      return lines.join('\n');
    }
    case 'swap-lines': {
      const lines = text.split('\n');
      const a = m.a % lines.length;
      const b = m.b % lines.length;
      [lines[a], lines[b]] = [lines[b], lines[a]];
      return lines.join('\n');
    }
    case 'delete-line': {
      const lines = text.split('\n');
      lines.splice(m.line % lines.length, 1);
      return lines.join('\n');
    }
    case 'replace-number': {
      const spans = [...text.matchAll(NUMBER_TOKEN)];
      if (spans.length === 0) return text;
      const s = spans[m.nth % spans.length];
      return text.slice(0, s.index) + m.token + text.slice(s.index! + s[0].length);
    }
  }
}

export function applyTextMutations(text: string, ms: readonly TextMutation[]): string {
  return ms.reduce(applyTextMutation, text);
}
