// Builds random AXNet models for differential tests: random widths, depths, activations, control
// placement (all hidden layers, one, or none), decision kind and threshold, with seeded weights.

import fc from 'fast-check';
import { ACTIVATIONS, type Activation, type ApproxLayer, type AxModel, type DenseLayer } from '../../ir/model.ts';
import { glorotUniform } from '../../ir/seeded-init.ts';
import { SeededRandom } from '../../ir/seeded-random.ts';

export interface ModelShape {
  input: number;
  approxHidden: { width: number; activation: Activation }[];
  output: number;
  outputActivation: Activation;
  predictorHidden: { width: number; activation: Activation }[];
  /** 'all', 'none', or the index of the single controlled hidden layer. */
  control: 'all' | 'none' | number;
  controlActivations: Activation[];
  decision: { kind: 'sigmoid'; threshold: number } | { kind: 'softmax'; safeIndex: 0 | 1; threshold: number };
  hasPredictor: boolean;
  seed: number;
  /** Scale of the weights, so that saturating and near-zero activations both occur. */
  scale: number;
}

export function buildModel(s: ModelShape): AxModel {
  const rng = new SeededRandom(s.seed);
  const layer = (name: string, inWidth: number, width: number, activation: Activation): DenseLayer => {
    const { weights, bias } = glorotUniform(rng, width, inWidth);
    for (let i = 0; i < weights.length; i++) weights[i] = Math.fround(weights[i] * s.scale);
    return { name, inWidth, width, activation, weights, bias };
  };
  const controlled = (i: number) => s.hasPredictor && (s.control === 'all' || s.control === i);
  const approximator: ApproxLayer[] = [];
  let w = s.input;
  s.approxHidden.forEach((h, i) => {
    approximator.push({ ...layer(`h${i}`, w, h.width, h.activation), control: controlled(i) ? `c${i}` : null });
    w = h.width;
  });
  approximator.push({ ...layer('out', w, s.output, s.outputActivation), control: null });
  let predictor: AxModel['predictor'] = null;
  if (s.hasPredictor) {
    const hidden: DenseLayer[] = [];
    let pw = s.input;
    s.predictorHidden.forEach((h, i) => {
      hidden.push(layer(`p${i}`, pw, h.width, h.activation));
      pw = h.width;
    });
    const segments = s.approxHidden
      .map((h, i) => ({ name: `c${i}`, width: h.width, activation: s.controlActivations[i % s.controlActivations.length] }))
      .filter((_, i) => controlled(i));
    const outWidth = segments.reduce((a, g) => a + g.width, 0) + (s.decision.kind === 'sigmoid' ? 1 : 2);
    const out = layer('split', pw, outWidth, 'linear');
    predictor = { hidden, output: { name: 'split', inWidth: pw, segments, decision: s.decision, weights: out.weights, bias: out.bias } };
  }
  return { name: `random${s.seed}`, inputWidth: s.input, outputWidth: s.output, approximator, predictor, quality: { metric: 'abs', bound: 0.1 } };
}

const act = fc.constantFrom(...ACTIVATIONS);
/** Decision thresholds, either kind: the default or the middle of the range, so that both paths run (timing
 *  properties rely on the approximator running); the differential test retargets to extremes as well. */
const threshold = fc.oneof(fc.constant(0.5), fc.double({ min: 0.05, max: 0.95, noNaN: true }));

/** Random model shapes whose layer widths, input and output widths are at most these. */
export function modelShapesUpTo(max: { width: number; input: number; output: number }): fc.Arbitrary<ModelShape> {
  const width = fc.integer({ min: 1, max: max.width });
  return fc
    .record({
      input: fc.integer({ min: 1, max: max.input }),
      approxHidden: fc.array(fc.record({ width, activation: act }), { minLength: 1, maxLength: 3 }),
      output: fc.integer({ min: 1, max: max.output }),
      outputActivation: act,
      predictorHidden: fc.array(fc.record({ width, activation: act }), { minLength: 0, maxLength: 2 }),
      controlPick: fc.nat(),
      controlKind: fc.constantFrom('all', 'single', 'single', 'none'),
      controlActivations: fc.array(act, { minLength: 1, maxLength: 3 }),
      decision: fc.oneof(
        fc.record({ kind: fc.constant('sigmoid' as const), threshold }),
        fc.record({ kind: fc.constant('softmax' as const), safeIndex: fc.constantFrom(0 as const, 1 as const), threshold }),
      ),
      hasPredictor: fc.integer({ min: 0, max: 6 }).map((n) => n > 0),
      seed: fc.nat(),
      scale: fc.constantFrom(0.5, 1, 4),
    })
    .map((r) => ({
      ...r,
      control: r.controlKind === 'all' ? 'all' : r.controlKind === 'none' ? 'none' : r.controlPick % r.approxHidden.length,
    }));
}

export const modelShapeArb: fc.Arbitrary<ModelShape> = modelShapesUpTo({ width: 24, input: 20, output: 12 });

export function randomInput(rng: SeededRandom, n: number): Float32Array {
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = rng.uniform(-2, 2);
  return x;
}
