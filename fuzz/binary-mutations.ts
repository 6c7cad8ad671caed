// Mutations of prog.bin: structural ones on the decoded msgpack body (code words, instructions, DRAM image,
// and any field of metadata, regions, symbols, hardware or source map), re-packed with a valid CRC so they
// reach the checks behind the checksum; and raw ones on the container bytes (bit flips, truncation).

import { crc32 } from 'node:zlib';
import fc from 'fast-check';
import { Packr } from 'msgpackr';
import { INSTRUCTION_WORDS } from '../isa/table.ts';
import { applyValueMutation, cloneDocument, valueMutationArbitrary, type ValueMutation } from './value-mutations.ts';

export type BinaryMutation =
  | { kind: 'code-bit'; instruction: number; word: number; bit: number }
  | { kind: 'code-word'; instruction: number; word: number; value: number }
  | { kind: 'code-delete'; instruction: number }
  | { kind: 'code-duplicate'; instruction: number }
  | { kind: 'code-swap'; a: number; b: number }
  | { kind: 'code-truncate'; keep: number }
  | { kind: 'dram-value'; index: number; value: number }
  | { kind: 'dram-resize'; length: number }
  | { kind: 'field'; mutation: ValueMutation }
  | { kind: 'byte-flip'; at: number; bit: number }
  | { kind: 'byte-truncate'; at: number };

/** The same container settings as isa/container.ts, so re-packed bodies look like real ones. */
const packr = new Packr({ useRecords: false, moreTypes: false });

/** Deep enough to test the loader's handling of nesting, shallow enough for msgpackr to pack. */
const MAX_PACKED_NESTING = 400;

const WORD_VALUES = [0, 1, 0xffffffff, 0x80000000, 0x7fffffff, 0x0000003f, 0xffffffc0, 0x00010000];
const DRAM_VALUES = [NaN, Infinity, -Infinity, -0, 1e38, -3.4028234663852886e38, 1e-45, 0];

export function binaryMutationArbitrary(): fc.Arbitrary<BinaryMutation> {
  const n = fc.nat();
  return fc.oneof(
    { weight: 6, arbitrary: fc.record({ kind: fc.constant('code-bit' as const), instruction: n, word: fc.nat({ max: INSTRUCTION_WORDS - 1 }), bit: fc.nat({ max: 31 }) }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('code-word' as const), instruction: n, word: fc.nat({ max: INSTRUCTION_WORDS - 1 }), value: fc.oneof(fc.constantFrom(...WORD_VALUES), fc.nat({ max: 0xffffffff })) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('code-delete' as const), instruction: n }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('code-duplicate' as const), instruction: n }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('code-swap' as const), a: n, b: n }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('code-truncate' as const), keep: n }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('dram-value' as const), index: n, value: fc.constantFrom(...DRAM_VALUES) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('dram-resize' as const), length: fc.oneof(fc.nat({ max: 64 }), fc.nat({ max: 1 << 20 })) }) },
    { weight: 8, arbitrary: fc.record({ kind: fc.constant('field' as const), mutation: valueMutationArbitrary() }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('byte-flip' as const), at: n, bit: fc.nat({ max: 7 }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('byte-truncate' as const), at: n }) },
  );
}

export function binaryMutationsArbitrary(): fc.Arbitrary<BinaryMutation[]> {
  return fc.array(binaryMutationArbitrary(), { minLength: 1, maxLength: 3 });
}

/** A typed-array field of the body as the container stores it: { dtype, length, bytes }. */
interface StoredArray {
  dtype: string;
  length: number;
  bytes: Uint8Array;
}

function isStored(v: unknown): v is StoredArray {
  const o = v as StoredArray;
  return !!o && typeof o === 'object' && o.bytes instanceof Uint8Array && o.bytes.byteLength % 4 === 0;
}

function wordsOf(a: StoredArray): Uint32Array {
  return new Uint32Array(Uint8Array.from(a.bytes).buffer);
}

function store(a: StoredArray, words: Uint32Array | Float32Array): void {
  a.bytes = new Uint8Array(words.buffer.slice(0));
  a.length = words.length;
}

/** Edits the code as whole instructions, keeping the source map the same length so the loader looks further. */
function editInstructions(body: Record<string, any>, edit: (ins: Uint32Array[]) => void): void {
  if (!isStored(body.code)) return;
  const words = wordsOf(body.code);
  const ins: Uint32Array[] = [];
  for (let i = 0; i + INSTRUCTION_WORDS <= words.length; i += INSTRUCTION_WORDS) ins.push(words.slice(i, i + INSTRUCTION_WORDS));
  if (ins.length === 0) return;
  edit(ins);
  const out = new Uint32Array(ins.length * INSTRUCTION_WORDS);
  ins.forEach((w, i) => out.set(w, i * INSTRUCTION_WORDS));
  store(body.code, out);
  const entries = body.sourceMap?.entries;
  if (isStored(entries)) {
    const map = wordsOf(entries);
    const resized = new Uint32Array(ins.length * 3);
    resized.set(map.subarray(0, Math.min(map.length, resized.length)));
    store(entries, resized);
  }
}

function editCodeWord(body: Record<string, any>, instruction: number, word: number, f: (w: number) => number): void {
  if (!isStored(body.code)) return;
  const words = wordsOf(body.code);
  const count = Math.floor(words.length / INSTRUCTION_WORDS);
  if (count === 0) return;
  const i = (instruction % count) * INSTRUCTION_WORDS + word;
  words[i] = f(words[i]) >>> 0;
  store(body.code, words);
}

function applyBodyMutation(body: Record<string, any>, m: BinaryMutation): void {
  switch (m.kind) {
    case 'code-bit':
      return editCodeWord(body, m.instruction, m.word, (w) => w ^ (1 << m.bit));
    case 'code-word':
      return editCodeWord(body, m.instruction, m.word, () => m.value);
    case 'code-delete':
      return editInstructions(body, (ins) => void ins.splice(m.instruction % ins.length, 1));
    case 'code-duplicate':
      return editInstructions(body, (ins) => void ins.splice(m.instruction % ins.length, 0, ins[m.instruction % ins.length].slice()));
    case 'code-swap':
      return editInstructions(body, (ins) => {
        const a = m.a % ins.length;
        const b = m.b % ins.length;
        [ins[a], ins[b]] = [ins[b], ins[a]];
      });
    case 'code-truncate':
      return editInstructions(body, (ins) => void ins.splice(m.keep % ins.length));
    case 'dram-value': {
      if (!isStored(body.dram) || body.dram.bytes.byteLength === 0) return;
      const f = new Float32Array(Uint8Array.from(body.dram.bytes).buffer);
      f[m.index % f.length] = m.value;
      return store(body.dram, f);
    }
    case 'dram-resize': {
      if (!isStored(body.dram)) return;
      const old = new Float32Array(Uint8Array.from(body.dram.bytes).buffer);
      const f = new Float32Array(m.length);
      f.set(old.subarray(0, Math.min(old.length, f.length)));
      return store(body.dram, f);
    }
    case 'field':
      // msgpackr packs recursively: nesting is capped so the re-pack (harness code) cannot overflow the stack.
      return applyValueMutation(body, m.mutation.kind === 'nest' ? { ...m.mutation, depth: Math.min(m.mutation.depth, MAX_PACKED_NESTING) } : m.mutation, false);
    case 'byte-flip':
    case 'byte-truncate':
      return; // applied to the packed bytes
  }
}

/** The mutated container: body mutations first (re-packed with a fresh CRC), then byte-level ones. */
export function mutateBinary(seed: Uint8Array, ms: readonly BinaryMutation[]): Uint8Array {
  const outer = packr.unpack(seed) as Record<string, any>;
  const body = cloneDocument(packr.unpack(outer.body) as Record<string, any>);
  for (const m of ms) applyBodyMutation(body, m);
  const packedBody = packr.pack(body);
  let bytes: Uint8Array = packr.pack({ ...outer, crc32: crc32(packedBody), body: packedBody });
  for (const m of ms) {
    if (m.kind === 'byte-flip' && bytes.length > 0) {
      bytes = bytes.slice();
      bytes[m.at % bytes.length] ^= 1 << m.bit;
    } else if (m.kind === 'byte-truncate') bytes = bytes.slice(0, m.at % (bytes.length + 1));
  }
  return bytes;
}
