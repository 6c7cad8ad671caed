// Exports an AxModel as a TensorFlow.js LayersModel that tfjs can `loadLayersModel` and `predict` with:
// the functional AXNet pattern of frontend/layers-model/README.md, saved by tfjs's own serializer.

import { join } from 'node:path';
import type { AxModel, DenseLayer } from '../ir/model.ts';
import { decisionOffset } from '../ir/model.ts';
import { rowsToKernel } from '../ir/keras-kernel.ts';
import { loadTfjs, type Tfjs } from './load-tfjs.ts';

export const WEIGHTS_FILE = 'group1-shard1of1.bin';

/** What a tfjs model cannot say in its layers, kept in model.json's userDefinedMetadata under `axc`. */
export interface AxcMetadata {
  /** The decision's threshold, either kind (ir/model.ts Decision). */
  threshold?: number;
  safeIndex?: 0 | 1;
  quality?: AxModel['quality'];
  benchmark?: string;
  cpuCycles?: number;
}

export interface ExportedModel {
  /** model.json's text and the weight shard's bytes. */
  modelJson: string;
  weights: Uint8Array;
  backend: string;
}

/** Rows [first, first + n) of a layer as a Keras kernel tensor [in][n] (ir/keras-kernel.ts). */
function kernel(tf: Tfjs, weights: Float32Array, inW: number, first: number, n: number) {
  return tf.tensor2d(rowsToKernel(weights, inW, first, n), [inW, n]);
}

export async function buildLayersModel(model: AxModel): Promise<{ tfModel: import('@tensorflow/tfjs').LayersModel; backend: string }> {
  const { tf, backend } = await loadTfjs();
  const taken = new Set<string>([...model.approximator.map((l) => l.name), ...(model.predictor ? [...model.predictor.hidden.map((l) => l.name), ...model.predictor.output.segments.map((s) => s.name)] : [])]);
  const fresh = (base: string) => {
    let name = base;
    for (let i = 1; taken.has(name); i++) name = `${base}_${i}`;
    taken.add(name);
    return name;
  };
  const dense = (name: string, units: number, activation: string, inp: import('@tensorflow/tfjs').SymbolicTensor, set: () => import('@tensorflow/tfjs').Tensor[]) => {
    const layer = tf.layers.dense({ units, activation: activation as 'linear', name });
    const out = layer.apply(inp) as import('@tensorflow/tfjs').SymbolicTensor;
    layer.setWeights(set());
    return out;
  };
  const full = (l: DenseLayer) => () => [kernel(tf, l.weights, l.inWidth, 0, l.width), tf.tensor1d(l.bias)];
  const input = tf.input({ shape: [model.inputWidth], name: fresh('axnet_input') });
  const controls = new Map<string, import('@tensorflow/tfjs').SymbolicTensor>();
  let decision: import('@tensorflow/tfjs').SymbolicTensor | null = null;
  const p = model.predictor;
  if (p) {
    let h = input;
    for (const l of p.hidden) h = dense(l.name, l.width, l.activation, h, full(l));
    const o = p.output;
    let row = 0;
    for (const s of o.segments) {
      const first = row;
      controls.set(s.name, dense(s.name, s.width, s.activation, h, () => [kernel(tf, o.weights, o.inWidth, first, s.width), tf.tensor1d(o.bias.slice(first, first + s.width))]));
      row += s.width;
    }
    const d = o.decision;
    const n = d.kind === 'sigmoid' ? 1 : 2;
    const at = decisionOffset(o);
    decision = dense(fresh('decision'), n, d.kind, h, () => [kernel(tf, o.weights, o.inWidth, at, n), tf.tensor1d(o.bias.slice(at, at + n))]);
  }
  let h = input;
  for (const l of model.approximator) {
    h = dense(l.name, l.width, l.activation, h, full(l));
    if (l.control) h = tf.layers.multiply({ name: fresh(`${l.name}_gated`) }).apply([h, controls.get(l.control)!]) as import('@tensorflow/tfjs').SymbolicTensor;
  }
  const tfModel = tf.model({ name: model.name, inputs: input, outputs: decision ? [h, decision] : [h] });
  return { tfModel, backend };
}

export async function exportLayersModel(model: AxModel): Promise<ExportedModel> {
  const { tf } = await loadTfjs();
  const { tfModel, backend } = await buildLayersModel(model);
  const d = model.predictor?.output.decision;
  const meta: AxcMetadata = {
    ...(d ? { threshold: d.threshold } : {}),
    ...(d?.kind === 'softmax' ? { safeIndex: d.safeIndex } : {}),
    ...(model.quality ? { quality: model.quality } : {}),
    ...(model.benchmark ? { benchmark: model.benchmark } : {}),
    ...(model.cpuCycles !== undefined ? { cpuCycles: model.cpuCycles } : {}),
  };
  let saved: import('@tensorflow/tfjs').io.ModelArtifacts | null = null;
  tfModel.setUserDefinedMetadata({ axc: meta });
  await tfModel.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  const a = saved! as import('@tensorflow/tfjs').io.ModelArtifacts;
  const data = a.weightData instanceof ArrayBuffer ? new Uint8Array(a.weightData) : new Uint8Array(await new Blob((a.weightData as ArrayBuffer[]) ?? []).arrayBuffer());
  const json = {
    format: a.format ?? 'layers-model',
    generatedBy: a.generatedBy,
    convertedBy: `axc export`,
    modelTopology: a.modelTopology,
    weightsManifest: [{ paths: [WEIGHTS_FILE], weights: a.weightSpecs }],
    userDefinedMetadata: a.userDefinedMetadata,
  };
  tfModel.dispose();
  return { modelJson: JSON.stringify(json, null, 1) + '\n', weights: data, backend };
}

/** Where `axc export` puts the two files. */
export function exportPaths(dir: string): { modelJson: string; weights: string } {
  return { modelJson: join(dir, 'model.json'), weights: join(dir, WEIGHTS_FILE) };
}
