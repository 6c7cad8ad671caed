// ONNX models (the examples, exported by axc's ONNX writer), mutated as decoded messages (op types, inputs,
// attributes, initializers' shapes, types and bytes, external data, opset, metadata) and as raw bytes; written
// to a scratch folder, imported by the ONNX reader, then compiled and run.

import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { AxcError } from '../../diagnostics/diagnostic.ts';
import { readOnnxModel } from '../../frontend/onnx/read-onnx.ts';
import { onnxProto, type onnx } from '../../frontend/onnx/onnx-schema.ts';
import { exportOnnxModel } from '../../frontend/onnx/write-onnx.ts';
import { compileAndExercise } from '../downstream.ts';
import type { FuzzTarget } from '../fuzz-target.ts';
import { exampleModels, parseInMemory } from '../seed-corpus.ts';

const OP_TYPES = ['Gemm', 'MatMul', 'Add', 'Mul', 'Relu', 'Sigmoid', 'Tanh', 'Softmax', 'Slice', 'Split', 'Identity', 'Flatten', 'Dropout', 'Constant', 'Conv', 'Concat', 'Reshape', ''];
const INTS = [-1, 0, 1, 2, 3, 7, 64, 65536, 2 ** 31, -(2 ** 31), Number.MAX_SAFE_INTEGER];
const METADATA = ['{}', '{"threshold": 2}', '{"safeIndex": 5}', '{"benchmark": "nope"}', '{"quality": {"metric": "rmse", "bound": -1}}', 'not json', '{"cpuCycles": 1e12}'];

type Mutation =
  | { kind: 'opType'; node: number; to: string }
  | { kind: 'dropNode'; node: number }
  | { kind: 'dupNode'; node: number }
  | { kind: 'rewire'; node: number; slot: number; to: number }
  | { kind: 'attr'; node: number; name: string; value: number }
  | { kind: 'dims'; init: number; at: number; value: number }
  | { kind: 'dataType'; init: number; to: number }
  | { kind: 'truncateData'; init: number; at: number }
  | { kind: 'external'; init: number; location: string }
  | { kind: 'dropInitializer'; init: number }
  | { kind: 'dropOutput' }
  | { kind: 'inputWidth'; value: number }
  | { kind: 'opset'; version: number }
  | { kind: 'domain'; node: number }
  | { kind: 'metadata'; text: string };

const nat = fc.nat({ max: 1000 });
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('opType' as const), node: nat, to: fc.constantFrom(...OP_TYPES) }),
  fc.record({ kind: fc.constant('dropNode' as const), node: nat }),
  fc.record({ kind: fc.constant('dupNode' as const), node: nat }),
  fc.record({ kind: fc.constant('rewire' as const), node: nat, slot: fc.nat({ max: 4 }), to: nat }),
  fc.record({ kind: fc.constant('attr' as const), node: nat, name: fc.constantFrom('transA', 'transB', 'alpha', 'axis', 'split', 'num_outputs', 'starts'), value: fc.constantFrom(...INTS) }),
  fc.record({ kind: fc.constant('dims' as const), init: nat, at: fc.nat({ max: 3 }), value: fc.constantFrom(...INTS) }),
  fc.record({ kind: fc.constant('dataType' as const), init: nat, to: fc.nat({ max: 21 }) }),
  fc.record({ kind: fc.constant('truncateData' as const), init: nat, at: nat }),
  fc.record({ kind: fc.constant('external' as const), init: nat, location: fc.constantFrom('missing.bin', '../outside.bin', '/etc/passwd', 'model.onnx', '') }),
  fc.record({ kind: fc.constant('dropInitializer' as const), init: nat }),
  fc.record({ kind: fc.constant('dropOutput' as const) }),
  fc.record({ kind: fc.constant('inputWidth' as const), value: fc.constantFrom(...INTS) }),
  fc.record({ kind: fc.constant('opset' as const), version: fc.constantFrom(1, 9, 11, 13, 18, 99) }),
  fc.record({ kind: fc.constant('domain' as const), node: nat }),
  fc.record({ kind: fc.constant('metadata' as const), text: fc.constantFrom(...METADATA) }),
);

type ByteMutation = { kind: 'flip'; at: number; bit: number } | { kind: 'truncate'; at: number };
const byteMutation: fc.Arbitrary<ByteMutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.nat({ max: 7 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
);

const pick = <T>(list: readonly T[] | null | undefined, i: number): T | undefined => (list && list.length ? list[i % list.length] : undefined);

function applyMutation(m: onnx.ModelProto, mu: Mutation): void {
  const g = (m.graph ??= {});
  const nodes = (g.node ??= []);
  const inits = (g.initializer ??= []);
  const outputs = (g.output ??= []);
  const tensors = [...(g.input ?? []).map((v) => v.name ?? ''), ...nodes.flatMap((n) => n.output ?? []), ...inits.map((t) => t.name ?? ''), 'nope'];
  switch (mu.kind) {
    case 'opType': { const n = pick(nodes, mu.node); if (n) n.opType = mu.to; break; }
    case 'dropNode': if (nodes.length) nodes.splice(mu.node % nodes.length, 1); break;
    case 'dupNode': { const n = pick(nodes, mu.node); if (n) nodes.push(onnxProto().NodeProto.decode(onnxProto().NodeProto.encode(n).finish())); break; }
    case 'rewire': { const n = pick(nodes, mu.node); if (n) { const ins = (n.input ??= []); ins[mu.slot % (ins.length + 1)] = pick(tensors, mu.to) ?? 'nope'; } break; }
    case 'attr': {
      const n = pick(nodes, mu.node);
      if (!n) break;
      n.attribute = (n.attribute ?? []).filter((a) => a.name !== mu.name);
      const isFloat = mu.name === 'alpha';
      n.attribute.push(onnxProto().AttributeProto.fromObject(isFloat ? { name: mu.name, type: 1, f: mu.value } : mu.name === 'split' || mu.name === 'starts' ? { name: mu.name, type: 7, ints: [mu.value] } : { name: mu.name, type: 2, i: mu.value }));
      break;
    }
    case 'dims': { const t = pick(inits, mu.init); if (t) { const dims = (t.dims ??= []); dims[mu.at % (dims.length + 1)] = mu.value; } break; }
    case 'dataType': { const t = pick(inits, mu.init); if (t) t.dataType = mu.to; break; }
    case 'truncateData': { const t = pick(inits, mu.init); if (t?.rawData) t.rawData = t.rawData.subarray(0, mu.at % (t.rawData.length + 1)); break; }
    case 'external': {
      const t = pick(inits, mu.init);
      if (t) {
        t.dataLocation = 1;
        t.externalData = [onnxProto().StringStringEntryProto.fromObject({ key: 'location', value: mu.location })];
      }
      break;
    }
    case 'dropInitializer': if (inits.length) inits.splice(mu.init % inits.length, 1); break;
    case 'dropOutput': outputs.pop(); break;
    case 'inputWidth': { const d = g.input?.[0]?.type?.tensorType?.shape?.dim; if (d && d.length > 1) d[1] = onnxProto().TensorShapeProto.Dimension.fromObject({ dimValue: mu.value }); break; }
    case 'opset': if (m.opsetImport?.[0]) m.opsetImport[0].version = mu.version; break;
    case 'domain': { const n = pick(nodes, mu.node); if (n) n.domain = 'com.example'; break; }
    case 'metadata': m.metadataProps = [onnxProto().StringStringEntryProto.fromObject({ key: 'axc', value: mu.text })]; break;
  }
}

function mutateBytes(bytes: Uint8Array, ms: readonly ByteMutation[]): Uint8Array {
  let out = Uint8Array.from(bytes);
  for (const m of ms) {
    if (m.kind === 'flip' && out.length) out[m.at % out.length] ^= 1 << m.bit;
    else if (m.kind === 'truncate') out = out.slice(0, m.at % (out.length + 1));
  }
  return out;
}

let seeds: { name: string; bytes: Uint8Array }[] | undefined;
/** The examples as ONNX files, written by axc export's writer. */
function onnxSeeds(): { name: string; bytes: Uint8Array }[] {
  seeds ??= exampleModels().map((e) => {
    const files: Record<string, string> = e.weightsFile ? { [e.weightsFile.name]: e.weightsFile.text } : {};
    const { model } = parseInMemory(e.axn, `${e.name}.axn`, files);
    if (!model) throw new Error(`seed corpus: examples/${e.name}.axn does not load`);
    return { name: e.name, bytes: exportOnnxModel(model) };
  });
  return seeds;
}

export const onnxModelTarget: FuzzTarget = {
  name: 'onnx',
  about: 'ONNX models (message mutations: ops, wiring, attributes, initializers, external data, opset; and byte flips)',
  cases: () =>
    fc
      .record({
        seed: fc.constantFrom(...onnxSeeds()),
        mutations: fc.oneof(
          { weight: 4, arbitrary: fc.record({ of: fc.constant('message' as const), list: fc.array(mutation, { minLength: 1, maxLength: 3 }) }) },
          { weight: 1, arbitrary: fc.record({ of: fc.constant('bytes' as const), list: fc.array(byteMutation, { minLength: 1, maxLength: 3 }) }) },
        ),
      })
      .map(({ seed, mutations }) => {
        let bytes: Uint8Array;
        if (mutations.of === 'bytes') bytes = mutateBytes(seed.bytes, mutations.list);
        else {
          const m = onnxProto().ModelProto.decode(seed.bytes);
          for (const mu of mutations.list) applyMutation(m, mu);
          bytes = onnxProto().ModelProto.encode(m).finish();
        }
        return { seed: `${seed.name}.onnx`, mutations, files: { 'model.onnx': bytes, 'weights.bin': new Uint8Array(64).fill(0x3f) }, main: 'model.onnx' };
      }),
  run: async (c, probe, scratch) => {
    for (const [name, content] of Object.entries(c.files)) fs.writeFileSync(path.join(scratch, name), content);
    const model = await probe.stage('import', 'rejected', () => {
      const r = readOnnxModel(path.join(scratch, c.main));
      if (!r.model) throw new AxcError(r.diagnostics);
      return r.model;
    });
    await compileAndExercise(probe, model);
  },
};
