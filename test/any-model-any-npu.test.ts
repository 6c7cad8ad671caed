// Issue 11's acceptance property: any AXNet the IR verifier accepts runs on any NPU. Random models (1–3 hidden
// layers, every control placement, both decisions; one layer or the input up to 1,200 wide) compile for a
// cramped NPU (one tile of two PEs, 32-word weight and input buffers) and a roomy one, at --batch 1, 4 and the
// default, and simulate equal to the reference interpreter bit for bit: P(x), the decision, H(x) where the
// model invokes, and H(x) of every sample under --invoke all. Five samples each, so a batch of four also runs
// short at the end of the input.

import assert from 'node:assert/strict';
import test from 'ava';
import fc from 'fast-check';
import { compileModel } from '../compiler/pipeline.ts';
import { HardwareSchema } from '../hardware/description.ts';
import { interpretModel } from '../ir/interpret-model.ts';
import { SeededRandom } from '../ir/seeded-random.ts';
import { Simulator } from '../machine/simulator.ts';
import { lockstep } from './support/lockstep.ts';
import { buildModel, modelShapesUpTo, randomInput, type ModelShape } from './support/random-model.ts';

const CRAMPED = HardwareSchema.parse({ name: 'cramped', tiles: 1, pesPerTile: 2, weightBufferWords: 32, inputBufferWords: 32 });
const ROOMY = HardwareSchema.parse({ name: 'roomy', tiles: 8, pesPerTile: 16, weightBufferWords: 1024, inputBufferWords: 2048, outputBufferWords: 512 });

const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));
const f32Bits = (v: number) => bits(Float32Array.of(v))[0];

/** A small model, sometimes with one layer (or its input) widened to as much as 1,200: every model up to that
 *  size is in reach, while the run stays within the test budget. */
const shapes: fc.Arbitrary<ModelShape> = fc
  .record({
    base: modelShapesUpTo({ width: 40, input: 40, output: 24 }),
    widen: fc.option(fc.record({ which: fc.nat(), width: fc.integer({ min: 41, max: 1200 }) }), { freq: 2 }),
  })
  .map(({ base, widen }) => {
    if (!widen) return base;
    const s = { ...base, approxHidden: base.approxHidden.map((h) => ({ ...h })), predictorHidden: base.predictorHidden.map((h) => ({ ...h })) };
    const layers = [...s.approxHidden, ...s.predictorHidden];
    if (widen.which % (layers.length + 1) === layers.length) s.input = widen.width;
    else layers[widen.which % (layers.length + 1)].width = widen.width;
    return s;
  });

test('any model runs on a cramped and a roomy NPU at batch 1, 4 and the default, equal to the interpreter bit for bit', (t) => {
  const tally = { models: 0, widest: 0, runs: 0, samples: 0, chunked: 0, batched: 0, shortBatches: 0, invoked: 0, cpu: 0, gatedAll: 0, gatedOne: 0, ungated: 0, sigmoid: 0, softmax: 0, noPredictor: 0 };
  fc.assert(
    fc.property(shapes, fc.nat(), (shape, inputSeed) => {
      const model = buildModel(shape);
      const rng = new SeededRandom(inputSeed);
      const xs = Array.from({ length: 5 }, () => randomInput(rng, model.inputWidth));
      const expected = xs.map((x) => interpretModel(model, x));
      for (const hardware of [CRAMPED, ROOMY]) {
        for (const batch of [1, 4, undefined]) {
          const bin = compileModel(model, { hardware, batch });
          const byModel = new Simulator(bin);
          const forced = new Simulator(bin, { invoke: 'all' });
          const where = `${hardware.name}, batch ${batch ?? 'default'} (${byModel.batch}), ${bin.meta.schedule}`;
          if (batch === 1 || bin.meta.schedule === 'static') assert.equal(byModel.batch, 1, where);
          else if (batch === 4) assert.equal(byModel.batch, 4, where);
          if (byModel.batch > 1) tally.batched++;
          if (byModel.batch > 1 && xs.length % byModel.batch !== 0) tally.shortBatches++;
          const n = lockstep([byModel, forced], xs, ([r, all], i) => {
            const e = expected[i];
            assert.equal(f32Bits(r.p), f32Bits(e.p), `P(x), ${where}`);
            assert.equal(r.predicted, e.invoke, `decision, ${where}`);
            assert.equal(r.invoked, e.invoke, `invoked, ${where}`);
            if (e.invoke) assert.deepEqual(bits(r.y), bits(e.y), `H(x), ${where}`);
            assert.deepEqual(bits(all.y), bits(e.y), `H(x) under --invoke all, ${where}`);
            tally.samples++;
          });
          assert.equal(n, xs.length, `every sample comes back, ${where}`);
          tally.runs++;
        }
      }
      tally.models++;
      tally.widest = Math.max(tally.widest, model.inputWidth, ...model.approximator.map((l) => l.width), ...(model.predictor?.hidden.map((l) => l.width) ?? []));
      if (model.approximator.some((l) => l.inWidth + 1 > CRAMPED.weightBufferWords)) tally.chunked++;
      for (const e of expected) e.invoke ? tally.invoked++ : tally.cpu++;
      const p = model.predictor;
      if (!p) tally.noPredictor++;
      else {
        tally[p.output.decision.kind]++;
        const gated = p.output.segments.length;
        if (gated === 0) tally.ungated++;
        else if (gated === model.approximator.length - 1 && gated > 1) tally.gatedAll++;
        else tally.gatedOne++;
      }
    }),
    { seed: 20261130, numRuns: 150 },
  );
  t.log(JSON.stringify(tally));
  t.is(tally.models, 150);
  t.true(tally.widest >= 1000, `some model is over 1,000 wide: ${tally.widest}`);
  // The generator must cover what the claim says it covers.
  for (const k of ['chunked', 'batched', 'shortBatches', 'gatedAll', 'gatedOne', 'ungated', 'sigmoid', 'softmax', 'noPredictor'] as const) t.true(tally[k] >= 5, `${k}: ${tally[k]}`);
  t.true(tally.invoked > 0 && tally.cpu > 0, 'both paths are taken');
});
