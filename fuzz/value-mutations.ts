// Field-level mutations of a decoded document (a JSON value, or a msgpack body): pick a node by index in a
// walk of the tree, then replace, delete, duplicate, retype or nest it. Also the JSON printer that can write
// values JSON.stringify cannot (1e39 as written, -0, NaN, 999999999999999999999) as raw tokens.

import fc from 'fast-check';
import { EDGE_NUMBERS } from './text-mutations.ts';

/** A token written into JSON text verbatim, for numbers JSON.stringify would round or refuse. */
export class RawToken {
  constructor(readonly raw: string) {}
}

export type ValueMutation =
  | { kind: 'set'; node: number; value: ReplacementValue }
  | { kind: 'delete'; node: number }
  | { kind: 'duplicate'; node: number }
  | { kind: 'nest'; node: number; depth: number; inObject: boolean }
  | { kind: 'add-key'; node: number; key: string; value: ReplacementValue }
  | { kind: 'rename-key'; node: number; key: string };

/** Replacement values, as data so that fast-check can shrink them. */
export type ReplacementValue =
  | { type: 'number'; token: string }
  | { type: 'string'; length: number; char: string }
  | { type: 'literal'; value: null | boolean }
  | { type: 'empty-array' }
  | { type: 'empty-object' }
  | { type: 'array-of-numbers'; length: number; token: string };

const replacementArbitrary: fc.Arbitrary<ReplacementValue> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ type: fc.constant('number' as const), token: fc.constantFrom(...EDGE_NUMBERS.filter((t) => t !== '0x10' && t !== '1.' && t !== '.5' && t !== '00')) }) },
  { weight: 2, arbitrary: fc.record({ type: fc.constant('string' as const), length: fc.oneof(fc.integer({ min: 0, max: 8 }), fc.integer({ min: 100, max: 100_000 })), char: fc.constantFrom('a', '\u0000', '\u{1F600}', '"', 'dense') }) },
  { weight: 2, arbitrary: fc.record({ type: fc.constant('literal' as const), value: fc.constantFrom(null, true, false) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('empty-array' as const) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('empty-object' as const) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('array-of-numbers' as const), length: fc.oneof(fc.integer({ min: 0, max: 10 }), fc.integer({ min: 1000, max: 200_000 })), token: fc.constantFrom('0', '1', '1e39', 'NaN', '-0') }) },
);

export function valueMutationArbitrary(): fc.Arbitrary<ValueMutation> {
  const node = fc.nat();
  const key = fc.constantFrom('name', 'units', 'extra', '__proto__', 'constructor', '', 'a'.repeat(300), 'weights', 'shape', 'tiles');
  return fc.oneof(
    { weight: 6, arbitrary: fc.record({ kind: fc.constant('set' as const), node, value: replacementArbitrary }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), node }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('duplicate' as const), node }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('nest' as const), node, depth: fc.oneof(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 500, max: 6000 })), inObject: fc.boolean() }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('add-key' as const), node, key, value: replacementArbitrary }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('rename-key' as const), node, key }) },
  );
}

export function valueMutationsArbitrary(): fc.Arbitrary<ValueMutation[]> {
  return fc.array(valueMutationArbitrary(), { minLength: 1, maxLength: 3 });
}

/** A replacement as a value; numbers become raw tokens when `raw` (for JSON text), else JS numbers. */
export function materialise(v: ReplacementValue, raw: boolean): unknown {
  switch (v.type) {
    case 'number':
      return raw ? new RawToken(v.token) : Number(v.token);
    case 'string':
      return v.char.repeat(v.length);
    case 'literal':
      return v.value;
    case 'empty-array':
      return [];
    case 'empty-object':
      return {};
    case 'array-of-numbers':
      return Array.from({ length: v.length }, () => (raw ? new RawToken(v.token) : Number(v.token)));
  }
}

interface Slot {
  parent: unknown[] | Record<string, unknown>;
  key: string | number;
}

/** Every value in the tree below the root, as (parent, key), in a fixed walk order. Typed arrays are leaves. */
function slots(root: unknown): Slot[] {
  const out: Slot[] = [];
  const stack: unknown[] = [root];
  while (stack.length) {
    const v = stack.pop();
    if (Array.isArray(v)) {
      v.forEach((_, i) => out.push({ parent: v, key: i }));
      for (let i = v.length - 1; i >= 0; i--) stack.push(v[i]);
    } else if (isPlainObject(v)) {
      for (const k of Object.keys(v)) out.push({ parent: v, key: k });
      for (const k of Object.keys(v).reverse()) stack.push(v[k]);
    }
  }
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v) && !(v instanceof RawToken);
}

function get(s: Slot): unknown {
  return (s.parent as Record<string | number, unknown>)[s.key];
}

function put(s: Slot, v: unknown): void {
  (s.parent as Record<string | number, unknown>)[s.key] = v;
}

/** Applies one mutation in place to `root` (which must be an array or object); `raw` as for `materialise`. */
export function applyValueMutation(root: unknown, m: ValueMutation, raw: boolean): void {
  const all = slots(root);
  if (all.length === 0) return;
  const s = all[m.node % all.length];
  switch (m.kind) {
    case 'set':
      put(s, materialise(m.value, raw));
      return;
    case 'delete':
      if (Array.isArray(s.parent)) s.parent.splice(s.key as number, 1);
      else delete s.parent[s.key as string];
      return;
    case 'duplicate':
      // The copy shares its subtree with the original (a deep copy of a 6000-deep value would overflow the
      // stack here); a later mutation inside it then shows up in both places, which is still a valid input.
      if (Array.isArray(s.parent)) s.parent.splice(s.key as number, 0, get(s));
      else put(s, [get(s), get(s)]);
      return;
    case 'nest': {
      let v = get(s);
      for (let i = 0; i < m.depth; i++) v = m.inObject ? { a: v } : [v];
      put(s, v);
      return;
    }
    case 'add-key': {
      const target = get(s);
      const obj = isPlainObject(target) ? target : isPlainObject(s.parent) ? s.parent : null;
      // Object.defineProperty, so '__proto__' becomes an own key as JSON.parse would make it.
      if (obj) Object.defineProperty(obj, m.key, { value: materialise(m.value, raw), enumerable: true, writable: true, configurable: true });
      return;
    }
    case 'rename-key': {
      if (Array.isArray(s.parent)) return;
      const v = get(s);
      delete s.parent[s.key as string];
      Object.defineProperty(s.parent, m.key, { value: v, enumerable: true, writable: true, configurable: true });
      return;
    }
  }
}

/** A deep copy of a decoded document (typed arrays copied too, so a mutation never touches the seed). */
export function cloneDocument<T>(v: T): T {
  // Uint8Array.from copies: Buffer#slice (what msgpackr hands back) would share memory with the seed.
  if (ArrayBuffer.isView(v)) return Uint8Array.from(v as unknown as Uint8Array) as unknown as T;
  if (Array.isArray(v)) return v.map(cloneDocument) as unknown as T;
  if (isPlainObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, cloneDocument(x)])) as T;
  return v;
}

/** Punctuation queued while printing (a class, so no document value can be mistaken for one). */
class Punct {
  constructor(readonly text: string) {}
}

/** JSON text of a value that may hold raw tokens; iterative, so documents nested thousands deep print fine. */
export function printJson(root: unknown): string {
  const parts: string[] = [];
  const stack: unknown[] = [root];
  while (stack.length) {
    const v = stack.pop();
    if (v instanceof Punct) parts.push(v.text);
    else if (v instanceof RawToken) parts.push(v.raw);
    else if (Array.isArray(v)) {
      parts.push('[');
      stack.push(new Punct(']'));
      for (let i = v.length - 1; i >= 0; i--) {
        stack.push(v[i]);
        if (i > 0) stack.push(new Punct(','));
      }
    } else if (isPlainObject(v)) {
      parts.push('{');
      stack.push(new Punct('}'));
      const keys = Object.keys(v);
      for (let i = keys.length - 1; i >= 0; i--) {
        stack.push(v[keys[i]]);
        stack.push(new Punct(`${JSON.stringify(keys[i])}:`));
        if (i > 0) stack.push(new Punct(','));
      }
    } else parts.push(JSON.stringify(v) ?? 'null');
  }
  return parts.join('');
}
