// TensorFlow.js layers models: model.json mutated as text and as values, or its weight shard mutated as
// bytes; written to a scratch folder (the importer reads files) and imported, then compiled and run.

import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { AxcError } from '../../diagnostics/diagnostic.ts';
import { readLayersModel } from '../../frontend/layers-model/read-layers-model.ts';
import { compileAndExercise } from '../downstream.ts';
import type { FuzzTarget } from '../fuzz-target.ts';
import { applyJsonMutations, jsonMutationsArbitrary } from '../json-mutations.ts';
import { tfjsSeeds } from '../seed-corpus.ts';

const TFJS_KEYWORDS = ['"Dense"', '"Multiply"', '"InputLayer"', '"units"', '"activation"', '"softmax"', '"float16"', '"int32"', '"shape"', '"paths"', '"weightsManifest"', '"inbound_nodes"', '"batch_input_shape"', '[null, 4294967296]', '"../model.json"', '"quantization"'];

type ShardMutation = { kind: 'flip'; at: number; bit: number } | { kind: 'truncate'; at: number } | { kind: 'append'; bytes: number };

const shardMutation: fc.Arbitrary<ShardMutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.nat({ max: 7 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('append' as const), bytes: fc.integer({ min: 1, max: 64 }) }),
);

function mutateShard(shard: Uint8Array, ms: ShardMutation[]): Uint8Array {
  let out = Uint8Array.from(shard);
  for (const m of ms) {
    if (m.kind === 'flip' && out.length) out[m.at % out.length] ^= 1 << m.bit;
    else if (m.kind === 'truncate') out = out.slice(0, m.at % (out.length + 1));
    else if (m.kind === 'append') out = Uint8Array.from([...out, ...new Uint8Array(m.bytes).fill(0xff)]);
  }
  return out;
}

export const tfjsModelTarget: FuzzTarget = {
  name: 'tfjs',
  about: 'tfjs model.json (text and field mutations) and its weight shard (byte mutations)',
  cases: () =>
    fc
      .record({
        seed: fc.constantFrom(...tfjsSeeds()),
        mutations: fc.oneof(
          { weight: 4, arbitrary: fc.record({ of: fc.constant('model.json' as const), json: jsonMutationsArbitrary(TFJS_KEYWORDS) }) },
          { weight: 1, arbitrary: fc.record({ of: fc.constant('shard' as const), shard: fc.array(shardMutation, { minLength: 1, maxLength: 3 }) }) },
        ),
      })
      .map(({ seed, mutations }) => ({
        seed: seed.name,
        mutations,
        files: {
          'model.json': mutations.of === 'model.json' ? applyJsonMutations(seed.modelJson, mutations.json) : seed.modelJson,
          [seed.shardName]: mutations.of === 'shard' ? mutateShard(seed.shard, mutations.shard) : seed.shard,
        },
        main: 'model.json',
      })),
  run: async (c, probe, scratch) => {
    for (const [name, content] of Object.entries(c.files)) fs.writeFileSync(path.join(scratch, name), content);
    const model = await probe.stage('import', 'rejected', () => {
      const r = readLayersModel(path.join(scratch, c.main));
      if (!r.model) throw new AxcError(r.diagnostics);
      return r.model;
    });
    await compileAndExercise(probe, model);
  },
};
