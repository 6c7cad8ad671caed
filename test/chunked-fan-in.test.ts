// Issue 11, chunked fan-in: random models far wider than a cramped NPU's buffers compile (their neurons
// summed in fan-in chunks by `mac` and `fin`, their inputs loaded chunk by chunk) and simulate equal to the
// reference interpreter bit for bit: H(x), P(x) and the decision, by the model and with --invoke all; so do
// gated layers whose control slices do not fit a tile's input buffer beside an input (their pieces narrow), and
// every model on a one-word weight buffer (one weight per chunk, the bias loaded on its own).

import assert from 'node:assert/strict';
import test from 'ava';
import fc from 'fast-check';
import { compileModel } from '../compiler/pipeline.ts';
import { HardwareSchema } from '../hardware/description.ts';
import { interpretModel } from '../ir/interpret-model.ts';
import { SeededRandom } from '../ir/seeded-random.ts';
import { decodeProgram } from '../isa/encoding.ts';
import { opcodeOf } from '../isa/table.ts';
import { Simulator } from '../machine/simulator.ts';
import { buildModel, modelShapesUpTo, randomInput } from './support/random-model.ts';
import { lockstep } from './support/lockstep.ts';

/** One tile of two PEs with 32-word buffers: most layers of the models below do not fit it whole. */
const CRAMPED = HardwareSchema.parse({ name: 'cramped', tiles: 1, pesPerTile: 2, weightBufferWords: 32, inputBufferWords: 32, outputBufferWords: 4 });
/** One weight at a time: every neuron is summed a word per chunk, its bias loaded on its own. */
const ONE_WORD = HardwareSchema.parse({ name: 'one-word', tiles: 1, pesPerTile: 2, weightBufferWords: 1, inputBufferWords: 32, outputBufferWords: 4 });
/** Tiles of 8 PEs whose 6-word input buffers cannot hold a gated layer's 8 control words: its pieces narrow. */
const NARROW = HardwareSchema.parse({ name: 'narrow', tiles: 2, pesPerTile: 8, weightBufferWords: 16, inputBufferWords: 6, outputBufferWords: 8 });

const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));
const f32Bits = (v: number) => bits(Float32Array.of(v))[0];

test('models wider than the buffers compile in fan-in chunks and equal the reference interpreter bit for bit', (t) => {
  let chunked = 0;
  let narrowed = 0;
  let samples = 0;
  const MAC = opcodeOf('mac');
  fc.assert(
    fc.property(modelShapesUpTo({ width: 90, input: 90, output: 40 }), fc.nat(), (shape, inputSeed) => {
      const model = buildModel(shape);
      for (const hardware of [CRAMPED, NARROW, ONE_WORD]) {
        const bin = compileModel(model, { hardware });
        if (hardware === CRAMPED && decodeProgram(bin.code).some((ins) => ins.op === MAC)) chunked++;
        // A gated layer at least as wide as the input buffer cannot put a whole tile's control slice beside an input.
        if (hardware === NARROW && model.approximator.some((l) => l.control && l.width >= hardware.inputBufferWords)) narrowed++;
        const byModel = new Simulator(bin);
        const forced = new Simulator(bin, { invoke: 'all' });
        const rng = new SeededRandom(inputSeed);
        const xs = Array.from({ length: 4 }, () => randomInput(rng, model.inputWidth));
        lockstep([byModel, forced], xs, ([r, all], i) => {
          const e = interpretModel(model, xs[i]);
          assert.equal(f32Bits(r.p), f32Bits(e.p), `P(x) on ${hardware.name}`);
          assert.equal(r.predicted, e.invoke, `decision on ${hardware.name}`);
          if (e.invoke) assert.deepEqual(bits(r.y), bits(e.y), `H(x) on ${hardware.name}`);
          assert.deepEqual(bits(all.y), bits(e.y), `H(x) under --invoke all on ${hardware.name}`);
          samples++;
        });
      }
    }),
    { seed: 1111, numRuns: 80 },
  );
  t.log(`${chunked} of 80 models summed some neurons in chunks on the cramped NPU; ${narrowed} had gated pieces narrowed on the narrow one; ${samples} samples`);
  t.true(chunked >= 40, 'most models need chunks on this NPU');
  t.true(narrowed >= 10, 'some models need narrowed pieces');
});

test('a neuron wider than any buffer is refused by a static schedule with why, and auto picks dynamic', (t) => {
  const model = buildModel({ input: 70, approxHidden: [{ width: 3, activation: 'relu' }], output: 2, outputActivation: 'linear', predictorHidden: [], control: 'none', controlActivations: ['sigmoid'], decision: { kind: 'sigmoid', threshold: 0.5 }, hasPredictor: false, seed: 3, scale: 1 });
  const e = t.throws(() => compileModel(model, { hardware: CRAMPED, schedule: 'static' }));
  t.regex(e!.message, /fan-in 70, more than one PE and tile hold at once, so its neurons are summed in chunks of 31/);
  t.is(compileModel(model, { hardware: CRAMPED }).meta.schedule, 'dynamic');
});
