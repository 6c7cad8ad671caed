// Mutations of a JSON document, either as text (characters, tokens, lines) or as a value (fields replaced,
// deleted, duplicated, nested, renamed), so both the JSON parser and the schema behind it are exercised.

import fc from 'fast-check';
import { applyTextMutations, textMutationsArbitrary, type TextMutation } from './text-mutations.ts';
import { applyValueMutation, printJson, valueMutationsArbitrary, type ValueMutation } from './value-mutations.ts';

export type JsonMutations = { as: 'text'; mutations: TextMutation[] } | { as: 'value'; mutations: ValueMutation[] };

export function jsonMutationsArbitrary(keywords: readonly string[]): fc.Arbitrary<JsonMutations> {
  return fc.oneof(
    fc.record({ as: fc.constant('text' as const), mutations: textMutationsArbitrary(keywords) }),
    fc.record({ as: fc.constant('value' as const), mutations: valueMutationsArbitrary() }),
  );
}

/** The mutated text; value mutations re-print the document compactly (raw tokens kept as written). */
export function applyJsonMutations(text: string, m: JsonMutations): string {
  if (m.as === 'text') return applyTextMutations(text, m.mutations);
  const doc: unknown = JSON.parse(text);
  const root = [doc]; // a wrapper, so the top-level value itself can be replaced too
  for (const v of m.mutations) applyValueMutation(root, v, true);
  return root.length ? printJson(root[0]) : '';
}
