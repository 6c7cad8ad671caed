// The rules every training method shares (issue: a comparison that survives another seed): the validation
// checkpoint kept is the best by net delivery, and the kept model measured again on the validation rows by the
// reference interpreter is that checkpoint; parameters count a shared layer once; the control bias defaults
// to 0 and 1 is the ablation; Table I's matched AXNet topologies are within ±3% of the baselines', counted from
// the models.

import test from 'ava';
import { datasetFromSamples, sliceDataset } from '../benchmarks/dataset.ts';
import { axnetParameters, baselineParameters, matchedAxnetTopology, MATCH_TOLERANCE } from '../experiments/match-parameters.ts';
import { parameterCount } from '../ir/model.ts';
import { loadTfjs } from '../tfjs-runtime/load-tfjs.ts';
import { BENCH_DEFAULTS } from '../training/defaults.ts';
import { AxNet, CONTROL_BIAS, topologyParameters } from '../training/network.ts';
import { splitTrainTest } from '../training/split-dataset.ts';
import { plannedEpochs, trainModel, VALIDATION_FRACTION } from '../training/train.ts';
import { evaluateModel } from '../training/metrics.ts';
import { gatherRows } from '../training/minibatch.ts';
import { splitHoldout } from '../quality/holdout-split.ts';
import { readAxbenchSamples } from './support/axbench-data.ts';

const sobel = datasetFromSamples('sobel', readAxbenchSamples('sobel'));
const small = splitTrainTest(sliceDataset(splitTrainTest(sobel, 11, 0).train, 0, 2000), 11);
const quality = { metric: 'rmse', bound: 0.015 } as const;

test('every method keeps its best validation checkpoint, and the kept model is that checkpoint', async (t) => {
  for (const method of ['axnet', 'onepass', 'iterative', 'shared'] as const) {
    const r = await trainModel({ bench: 'sobel', method, data: small.train, test: small.test, ...quality, epochs: 4, rounds: 3, batchSize: 32, seed: 2 });
    // The rule, written out independently: highest net delivery, then highest true invocation, then earliest.
    const ranked = [...r.curve].sort((a, b) => b.netDelivery - a.netDelivery || b.trueInvocation - a.trueInvocation || a.epoch - b.epoch);
    const kept = ranked[0];
    t.is(r.metrics.selectedEpoch, kept.epoch, method);
    // The validation rows as train.ts holds them out (its seed, its fraction), judged by the reference interpreter.
    const held = splitHoldout(small.train.n, VALIDATION_FRACTION, (2 ^ 0x2545f491) >>> 0).holdout;
    const rows = { ...small.train, n: held.length, x: gatherRows(small.train.x, 9, held), y: gatherRows(small.train.y, 1, held) };
    const m = evaluateModel(r.model, rows, quality);
    // tfjs and the interpreter may round a sample on the bound differently: allow two rows either way.
    const slack = 2 / m.samples + 1e-12;
    t.true(Math.abs(m.trueInvocation - kept.trueInvocation) <= slack, `${method}: true invocation ${m.trueInvocation} vs ${kept.trueInvocation}`);
    t.true(Math.abs(m.predictedInvocation - kept.predictedInvocation) <= slack, `${method}: predicted ${m.predictedInvocation} vs ${kept.predictedInvocation}`);
    t.true(Math.abs((2 * m.invokedSafe - m.invoked) / m.samples - kept.netDelivery) <= 2 * slack, method);
    // Checkpoints: every joint epoch; every predictor epoch of the baselines.
    const expected = method === 'onepass' ? 4 : method === 'iterative' ? 4 + 1 + 1 : 4;
    t.is(r.curve.length, expected, method);
    t.is(r.history.length, plannedEpochs(method, 4, 3), method);
    t.true(r.curve.every((c, i) => i === 0 || c.seconds >= r.curve[i - 1].seconds), `${method}: checkpoint times grow`);
  }
});

test('the control segments start at bias 0 by default and at 1 for the ablation; other methods refuse a bias', async (t) => {
  const { tf } = await loadTfjs();
  t.is(CONTROL_BIAS, 0);
  const spec = { inputWidth: 9, outputWidth: 1, approxHidden: [8], predictHidden: [8], control: 'all' as const, decision: 'softmax' as const };
  for (const bias of [undefined, 1]) {
    const net = new AxNet(tf, { ...spec, controlBias: bias }, 3);
    const b = net.toAxModel({ name: 'm', quality }).predictor!.output.bias;
    net.dispose();
    t.deepEqual(Array.from(b.subarray(0, 8)), Array(8).fill(bias ?? 0));
    t.deepEqual(Array.from(b.subarray(8)), [0, 0], 'the decision logits start at 0 either way');
  }
  await t.throwsAsync(trainModel({ bench: 'sobel', method: 'onepass', data: small.train, test: small.test, controlBias: 1, epochs: 1 }), { message: /a control bias applies to --method axnet only \(onepass has no control vectors\) \[AXT901\]/ });
});

test('parameters count the shared layer once; every other network counts as its exported model does', async (t) => {
  const { tf } = await loadTfjs();
  const base = { inputWidth: 9, outputWidth: 1, approxHidden: [8], predictHidden: [8], decision: 'softmax' as const };
  for (const [control, shareFirst, real] of [['none', true, 107], ['none', false, 187], ['all', false, 259]] as const) {
    const net = new AxNet(tf, { ...base, control, shareFirst }, 1);
    const exported = parameterCount(net.toAxModel({ name: 'm', quality }));
    t.is(net.parameterCount(), real);
    t.is(topologyParameters({ ...base, control, shareFirst }), real);
    // The export writes the shared layer into both subnets, so only the unshared networks count alike.
    t.is(exported, shareFirst ? real + 9 * 8 + 8 : real);
    net.dispose();
  }
});

test("Table I: each benchmark's matched AXNet is within ±3% of the baselines' parameters, counted from the built models", async (t) => {
  const { tf } = await loadTfjs();
  for (const bench of ['fft', 'bessel', 'blackscholes', 'jpeg', 'inversek2j', 'kmeans', 'sobel']) {
    const d = BENCH_DEFAULTS[bench];
    const m = matchedAxnetTopology(bench);
    const build = (approx: number[], predict: number[], control: 'all' | 'none') => {
      const net = new AxNet(tf, { inputWidth: approx[0], outputWidth: approx[approx.length - 1], approxHidden: approx.slice(1, -1), predictHidden: predict.slice(1), control, decision: 'softmax' }, 1);
      const n = parameterCount(net.toAxModel({ name: bench, quality }));
      net.dispose();
      return n;
    };
    const baseline = build(d.approx, d.predict, 'none');
    const axnet = build(m.approx, m.predict, 'all');
    t.is(baseline, baselineParameters(d), bench);
    t.is(axnet, axnetParameters(m), bench);
    t.true(Math.abs(axnet - baseline) / baseline <= MATCH_TOLERANCE, `${bench}: ${axnet} against ${baseline}`);
    // The rule keeps the approximator's depth and input/output widths.
    t.is(m.approx.length, d.approx.length);
    t.is(m.approx[0], d.approx[0]);
  }
});
