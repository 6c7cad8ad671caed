// The 250-model differential property (test/differential.test.ts in fp32, test/differential-formats.test.ts
// in every other format): on random AXNets and inputs, the simulator equals the reference interpreter bit for
// bit — H(x), control vectors, decision outputs, P(x), the score, the decision — batched or not, timed or not,
// under --invoke all, and after withDecisionThreshold retargets the binary.

import assert from 'node:assert/strict';
import type { ExecutionContext } from 'ava';
import fc from 'fast-check';
import { compileModel } from '../../compiler/pipeline.ts';
import { HardwareSchema, type Hardware } from '../../hardware/description.ts';
import { interpretModel } from '../../ir/interpret-model.ts';
import type { AxModel } from '../../ir/model.ts';
import { instantiateNumerics, planNumerics, type ModelNumerics } from '../../ir/numerics-plan.ts';
import { SeededRandom } from '../../ir/seeded-random.ts';
import { packBinary, unpackBinary, type Binary } from '../../isa/container.ts';
import { decisionInstructions, withDecisionThreshold } from '../../isa/decision-threshold.ts';
import type { Words } from '../../machine/machine.ts';
import { Simulator } from '../../machine/simulator.ts';
import { fastPathDifference } from '../../machine/block/fast-path-check.ts';
import { timingFor } from '../../machine/timing-model.ts';
import { buildModel, modelShapeArb, randomInput } from './random-model.ts';
import { lockstep, slotRegionName } from './lockstep.ts';


/** Small enough that random models split across tiles and chunks, and rarely fit statically. */
const SMALL_FIELDS = { name: 'small', tiles: 2, pesPerTile: 3, weightBufferWords: 48, inputBufferWords: 64, outputBufferWords: 4 };

const EXTREME_THRESHOLDS = [2 ** -149, 1e-30, 1e-6, 0.999999, Math.fround(1 - 2 ** -24)];

const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));
const f32Bits = (v: number) => bits(Float32Array.of(v))[0];

/** A region's words for the sample in `slot`, or null when the batch layout lends them to a later region (the
 *  value is gone by the time the batch completes). */
function region(bin: Binary, name: string, slot: number, ocm: Words): Float32Array | null {
  const r = bin.regions.find((g) => g.space === 'ocm' && g.name === slotRegionName(name, slot));
  assert.ok(r, `region ${name} of slot ${slot}`);
  const own = bin.regions.find((g) => g.space === 'ocm' && g.name === name)!;
  const shared = bin.regions.some((g) => g !== own && g.space === 'ocm' && !/\.s\d+$/.test(g.name) && g.addr < own.addr + own.len && own.addr < g.addr + g.len);
  // Outside fp32 the interpreter reports control vectors and decision outputs as float32, as the host reads them.
  return shared ? null : Float32Array.from(ocm.subarray(r.addr, r.addr + r.len));
}

/** How many control vectors and decision outputs were read back from on-chip memory (not lent to a later region). */
const readBack = { checked: 0, lent: 0 };

/** How many builds the fast path ran (rather than falling back to the reference path), of how many. */
const fastPathRuns = { fast: 0, builds: 0 };

/** The fast path (block execution, timing reuse, and timing reuse checked against full timing) gives what the
 *  reference path gives: every register of every sample, and the whole timing summary. */
function checkFastPath(bin: Binary, inputs: Float32Array[]): void {
  for (const invoke of ['model', 'all'] as const) {
    // Reuse checked transition by transition once per build (the model path); --invoke all compares the results.
    const { difference, ran } = fastPathDifference(bin, inputs, invoke, invoke === 'model');
    assert.equal(difference, null, `fast path (${invoke})`);
    if (invoke === 'model') {
      fastPathRuns.builds++;
      if (ran) fastPathRuns.fast++;
    }
  }
}

function checkAgainstInterpreter(model: AxModel, bin: Binary, inputs: Float32Array[], numerics?: ModelNumerics): void {
  const byModel = new Simulator(unpackBinary(packBinary(bin)));
  const forced = new Simulator(bin, { invoke: 'all' });
  // The timing model only observes: a timed machine computes exactly what the functional one does.
  const timed = new Simulator(bin, { timing: timingFor(bin) });
  const n = lockstep([byModel, timed, forced], inputs, ([r, rt, all], i) => {
    const x = inputs[i];
    assert.deepEqual(bits(r.x), bits(x), 'results come back in input order');
    const e = interpretModel(model, x, numerics);
    assert.deepEqual([rt.p, rt.score, rt.predicted, rt.invoked, rt.fallback, rt.instructions, rt.slot], [r.p, r.score, r.predicted, r.invoked, r.fallback, r.instructions, r.slot], 'timed vs functional: registers');
    assert.ok(Buffer.from(rt.ocm.buffer).equals(Buffer.from(r.ocm.buffer)), 'timed vs functional: on-chip memory');
    assert.deepEqual(bits(rt.y), bits(r.y), 'timed vs functional: y');
    assert.equal(f32Bits(r.p), f32Bits(e.p), 'P(x)');
    assert.ok(Object.is(r.score, e.score), `score: ${r.score} vs ${e.score}`);
    assert.equal(r.predicted, e.invoke, 'decision');
    assert.equal(r.invoked, e.invoke, 'invoked follows the decision');
    assert.equal(r.fallback, !e.invoke, 'CPU fallback recorded exactly when not invoked');
    if (e.invoke) assert.deepEqual(bits(r.y), bits(e.y), 'H(x)');
    const segs = model.predictor?.output.segments ?? [];
    segs.forEach((sg, k) => {
      const v = region(bin, sg.name, r.slot, r.ocm);
      if (v === null) return void readBack.lent++;
      readBack.checked++;
      assert.deepEqual(bits(v), bits(e.controls[k]), `control ${sg.name}`);
    });
    if (model.predictor) {
      const d = bin.regions.find((g) => g.kind === 'decision')!;
      const v = region(bin, d.name, r.slot, r.ocm);
      if (v === null) readBack.lent++;
      else {
        readBack.checked++;
        assert.deepEqual(bits(v), bits(e.decision), 'decision outputs at their fixed address');
      }
    }
    assert.ok(all.invoked, '--invoke all runs the approximator');
    assert.equal(all.predicted, e.invoke, '--invoke all still records the decision');
    assert.deepEqual(bits(all.y), bits(e.y), 'H(x) under --invoke all');
  });
  assert.equal(n, inputs.length, 'every sample comes back');
}

/** The property in `datapath` (undefined: fp32; a format name, or roles one by one) over `runs` models; int8
 *  calibrates on each model's own inputs. */
export function differentialProperty(t: ExecutionContext, datapath?: string | Record<string, unknown>, runs = 250, retarget = true): void {
  const DEFAULT = HardwareSchema.parse(datapath ? { datapath } : {});
  const SMALL: Hardware = HardwareSchema.parse({ ...SMALL_FIELDS, ...(datapath ? { datapath } : {}) });
  const before = { ...readBack };
  const fastBefore = { ...fastPathRuns };
  const tally = { models: 0, static: 0, dynamic: 0, multiChunk: 0, single: 0, all: 0, sigmoid: 0, softmax: 0, none: 0, softmaxNotHalf: 0, samples: 0, invoked: 0 };
  fc.assert(
    fc.property(modelShapeArb, fc.nat(), (shape, inputSeed) => {
      const model = buildModel(shape);
      const rng = new SeededRandom(inputSeed);
      const inputs = Array.from({ length: 6 }, () => randomInput(rng, model.inputWidth));
      inputs.push(new Float32Array(model.inputWidth)); // all zeros
      const calibration = inputs;
      const builds: Binary[] = [compileModel(model, { hardware: DEFAULT, calibration }), compileModel(model, { hardware: SMALL, schedule: 'dynamic', calibration })];
      const auto = compileModel(model, { hardware: SMALL, calibration });
      builds.push(auto);
      // The interpreter's plan is made afresh from the model, not read from the binary.
      const plan = datapath ? planNumerics(model, DEFAULT.datapath, calibration) : null;
      const numerics = plan ? instantiateNumerics(model, plan) : undefined;
      if (plan) for (const bin of builds) assert.deepEqual(unpackBinary(packBinary(bin)).numerics, plan, 'the binary records the plan');
      for (const bin of builds) checkAgainstInterpreter(model, bin, inputs, numerics);
      // 41 samples: every input above, and more, so the fast path's blocks fill and part-fill.
      const more = [...inputs, ...Array.from({ length: 34 }, () => randomInput(rng, model.inputWidth))];
      // Outside fp32 the fast path falls back to the reference path by design: nothing to compare there.
      if (!datapath) for (const bin of builds) checkFastPath(bin, more);
      const p = model.predictor;
      if (p && retarget) {
        // The binary retargeted to another threshold behaves as the model compiled with it.
        // Half the time an extreme: softmax cuts near ±69, and the float32 values next to 0 and 1.
        const r2 = new SeededRandom(inputSeed + 1);
        const t2 = r2.uniform(0, 1) < 0.5 ? r2.uniform(0.01, 0.99) : EXTREME_THRESHOLDS[Math.floor(r2.uniform(0, EXTREME_THRESHOLDS.length))];
        const retargeted = { ...model, predictor: { ...p, output: { ...p.output, decision: { ...p.output.decision, threshold: t2 } } } };
        const bin2 = withDecisionThreshold(auto, t2);
        const cuts = decisionInstructions(bin2).map((d) => d.threshold);
        assert.ok(cuts.length >= 1 && cuts.every((c) => c === Math.fround(t2)), 'every decision (one per batch slot) takes the new threshold');
        checkAgainstInterpreter(retargeted, bin2, inputs, numerics);
      }
      tally.models++;
      tally[auto.meta.schedule as 'static' | 'dynamic']++;
      if (model.approximator.some((l) => l.width > 6) || (model.predictor?.output.segments.some((s) => s.width > 6) ?? false)) tally.multiChunk++;
      if (!p) tally.none++;
      else {
        tally[p.output.decision.kind]++;
        if (p.output.decision.kind === 'softmax' && p.output.decision.threshold !== 0.5) tally.softmaxNotHalf++;
        const hidden = model.approximator.length - 1;
        if (p.output.segments.length === hidden && hidden > 1) tally.all++;
        else if (p.output.segments.length === 1) tally.single++;
        for (const x of inputs) if (interpretModel(model, x, numerics).invoke) tally.invoked++;
      }
      tally.samples += inputs.length;
    }),
    { seed: 20261125, numRuns: runs },
  );
  const fastRuns = { fast: fastPathRuns.fast - fastBefore.fast, builds: fastPathRuns.builds - fastBefore.builds };
  t.log(JSON.stringify({ datapath: datapath ?? 'fp32', ...tally, readBack: { checked: readBack.checked - before.checked, lent: readBack.lent - before.lent }, fastPath: fastRuns }));
  // In fp32 every compiled program's sample loop is proved and runs on the block engine (outside fp32 the
  // fast path falls back by design); a refusal here is a planner that lost a proof it had.
  if (!datapath) t.is(fastRuns.fast, fastRuns.builds, `the fast path ran ${fastRuns.fast} of ${fastRuns.builds} builds`);
  t.is(tally.models, runs);
  // The generator must actually cover what the claim says it covers.
  for (const k of ['static', 'dynamic', 'multiChunk', 'single', 'all', 'sigmoid', 'softmax', 'none', 'softmaxNotHalf'] as const) t.true(tally[k] >= (10 * runs) / 250, `${k}: ${tally[k]}`);
  t.true(tally.invoked > 0 && tally.invoked < tally.samples - tally.none * 7, 'both the NPU and the CPU paths are exercised');
  t.true(readBack.checked - before.checked >= (1000 * runs) / 250, `control vectors and decision outputs read back from memory: ${JSON.stringify(readBack)}`);
}
