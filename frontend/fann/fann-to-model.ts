// A FANN network as an AXNet with no predictor: checks that it is a fully connected multilayer perceptron whose
// neurons compute what an NPU layer can, and folds each neuron's steepness into its weights.

import type { ApproxLayer, AxModel } from '../../ir/model.ts';
import { DIAG } from '../../diagnostics/catalog.ts';
import { diag, type Diagnostic } from '../../diagnostics/diagnostic.ts';
import { FANN_ACTIVATIONS, MAPPED_ACTIVATIONS } from './fann-activations.ts';
import { parseDecimal, parseUnsigned, type FannFile } from './fann-file.ts';

/** FANN's network_type 0: each layer connects only to the one before (1 is FANN_NETTYPE_SHORTCUT). */
const LAYERED = 0;

interface Shape {
  /** Neurons per layer, each layer's bias neuron included (as layer_sizes writes them). */
  sizes: number[];
  /** Index of each layer's first neuron in the file's neuron list. */
  first: number[];
}

/** num_layers, connection_rate, network_type and layer_sizes, checked against each other. */
function readShape(f: FannFile, ds: Diagnostic[]): Shape | null {
  const field = (key: string) => f.fields.get(key)!;
  const loc = (key: string) => f.locOf(field(key).at);
  const numLayers = parseUnsigned(field('num_layers').value.trim());
  if (numLayers === null || numLayers < 2) ds.push(diag(DIAG.fannBadValue, loc('num_layers'), 'num_layers', field('num_layers').value.trim(), 'a whole number of layers, at least 2 (input and output)'));
  const rate = parseDecimal(field('connection_rate').value.trim());
  if (rate === null) ds.push(diag(DIAG.fannBadValue, loc('connection_rate'), 'connection_rate', field('connection_rate').value.trim(), 'a number'));
  else if (rate !== 1) ds.push(diag(DIAG.fannSparse, loc('connection_rate'), field('connection_rate').value.trim()));
  const type = parseUnsigned(field('network_type').value.trim());
  if (type === null) ds.push(diag(DIAG.fannBadValue, loc('network_type'), 'network_type', field('network_type').value.trim(), '0 (layered) or 1 (shortcut)'));
  else if (type !== LAYERED) ds.push(diag(DIAG.fannShortcut, loc('network_type'), type));
  const sizesText = field('layer_sizes').value.trim();
  const sizes = sizesText === '' ? [] : sizesText.split(/\s+/).map(parseUnsigned);
  const badSize = sizes.findIndex((s) => s === null || s < 2);
  if (badSize >= 0) ds.push(diag(DIAG.fannBadValue, loc('layer_sizes'), 'layer_sizes', sizesText, 'one whole number per layer, each at least 2 (a neuron and the bias neuron)'));
  else if (numLayers !== null && sizes.length !== numLayers) ds.push(diag(DIAG.fannLayerCount, loc('layer_sizes'), numLayers, sizes.length));
  if (ds.length) return null;
  const first: number[] = [];
  let n = 0;
  for (const s of sizes as number[]) {
    first.push(n);
    n += s;
  }
  if (f.numInputs.length !== n) {
    ds.push(diag(DIAG.fannNeuronCount, f.locOf(f.fields.get('layer_sizes')!.at), n, f.numInputs.length));
    return null;
  }
  return { sizes: sizes as number[], first };
}

/** Every connection FANN would make in a fully connected layered network, in the order fann_save writes them. */
function checkConnections(f: FannFile, shape: Shape, ds: Diagnostic[]): boolean {
  const { sizes, first } = shape;
  let expected = 0;
  for (let k = 1; k < sizes.length; k++) expected += (sizes[k] - 1) * sizes[k - 1];
  let k = 0;
  for (let layer = 0; layer < sizes.length; layer++) {
    for (let j = 0; j < sizes[layer]; j++) {
      const i = first[layer] + j;
      const isBias = j === sizes[layer] - 1;
      const wanted = layer === 0 || isBias ? 0 : sizes[layer - 1];
      if (f.numInputs[i] !== wanted) {
        const role = layer === 0 ? 'an input neuron' : isBias ? `the bias neuron of layer ${layer}` : `a neuron of layer ${layer}`;
        ds.push(diag(DIAG.fannNotFullyConnected, f.locOf(f.neuronAt[i]), i, role, f.numInputs[i], wanted));
        return false;
      }
      if (k + wanted > f.from.length) {
        ds.push(diag(DIAG.fannConnectionCount, f.locOf(f.fields.get('connections (connected_to_neuron, weight)')!.at), expected, f.from.length));
        return false;
      }
      for (let c = 0; c < wanted; c++, k++) {
        const source = first[layer - 1] + c;
        if (f.from[k] !== source) {
          ds.push(diag(DIAG.fannConnectionOrder, f.locOf(f.connectionAt[k]), k, i, f.from[k], source));
          return false;
        }
        if (!Number.isFinite(f.weight[k]) || !Number.isFinite(Math.fround(f.weight[k]))) {
          ds.push(diag(DIAG.fannBadWeight, f.locOf(f.connectionAt[k]), k, i, String(f.weight[k])));
          return false;
        }
      }
    }
  }
  if (k !== f.from.length) {
    ds.push(diag(DIAG.fannConnectionCount, f.locOf(f.connectionAt[k]), expected, f.from.length));
    return false;
  }
  return true;
}

/** fann_run clamps s·v to ±150/s before the function; the NPU does not. */
const CLAMP = 150;

/**
 * Whether fann_run's clamp can change a float32 output of a neuron with this function and steepness: never
 * for sigmoid and tanh when the function has already saturated (to 0 and 1, or ±1) at the clamp.
 */
function clampMatters(activation: 'linear' | 'sigmoid' | 'tanh', s: number): boolean {
  const edge = CLAMP / s; // the clamped s·v
  if (activation === 'sigmoid') return Math.fround(1 / (1 + Math.exp(2 * edge))) !== 0 || Math.fround(1 / (1 + Math.exp(-2 * edge))) !== 1;
  if (activation === 'tanh') return Math.fround(Math.tanh(edge)) !== 1;
  return true;
}

/**
 * One IR layer from FANN layer `layer` (≥ 1): its neurons' rows, the bias weight last, steepness folded in.
 * `inputBound` bounds |value| of the layer's inputs (1 after sigmoid or tanh), or is null when unknown: it
 * decides whether fann_run's clamp can reach a neuron, and `outputBound` is the same for this layer's outputs.
 */
function toLayer(f: FannFile, shape: Shape, layer: number, connectionStart: number, name: string, inputBound: number | null, ds: Diagnostic[]): { layer: ApproxLayer; outputBound: number | null } | null {
  const inWidth = shape.sizes[layer - 1] - 1;
  const width = shape.sizes[layer] - 1;
  const firstNeuron = shape.first[layer];
  const code = f.activation[firstNeuron];
  const fn = FANN_ACTIVATIONS[code];
  if (!fn) {
    ds.push(diag(DIAG.fannUnknownActivation, f.locOf(f.neuronAt[firstNeuron]), firstNeuron, code, FANN_ACTIVATIONS.length - 1));
    return null;
  }
  if (!fn.mapping) {
    ds.push(diag(DIAG.fannActivation, f.locOf(f.neuronAt[firstNeuron]), fn.name, code, firstNeuron, MAPPED_ACTIVATIONS.join(', ')));
    return null;
  }
  const weights = new Float32Array(width * inWidth);
  const bias = new Float32Array(width);
  const act = fn.mapping.activation as 'linear' | 'sigmoid' | 'tanh';
  let outputBound: number | null = act === 'linear' ? 0 : 1;
  let clamped = -1; // a linear neuron fann_run may clamp
  for (let j = 0; j < width; j++) {
    const i = firstNeuron + j;
    if (f.activation[i] !== code) {
      const other = FANN_ACTIVATIONS[f.activation[i]]?.name ?? String(f.activation[i]);
      ds.push(diag(DIAG.fannMixedActivations, f.locOf(f.neuronAt[i]), layer, i, other, firstNeuron, fn.name));
      return null;
    }
    const s = f.steepness[i];
    if (!(s > 0 && Number.isFinite(s))) {
      ds.push(diag(DIAG.fannBadSteepness, f.locOf(f.neuronAt[i]), i, String(s)));
      return null;
    }
    // Scaling in double and rounding once to float32: exact when the factor is a power of two (steepness 0.5
    // or 1, as AxBench's networks have), otherwise within half an ulp of FANN's own s·v.
    const factor = fn.mapping.factor(Math.fround(s));
    const row = connectionStart + j * (inWidth + 1);
    // The largest |s·v| the neuron can reach, when its inputs are bounded.
    let reach = inputBound === null ? Infinity : Math.abs(f.weight[row + inWidth]);
    for (let c = 0; c <= inWidth; c++) {
      const w = Math.fround(Math.fround(f.weight[row + c]) * factor);
      if (!Number.isFinite(w)) {
        ds.push(diag(DIAG.fannFoldOverflow, f.locOf(f.connectionAt[row + c]), row + c, i, String(f.weight[row + c]), String(s)));
        return null;
      }
      if (c < inWidth) {
        weights[j * inWidth + c] = w;
        if (inputBound !== null) reach += Math.abs(f.weight[row + c]) * inputBound;
      } else bias[j] = w;
    }
    reach *= s;
    if (reach > CLAMP / s && clampMatters(act, s)) {
      if (act !== 'linear') {
        ds.push(diag(DIAG.fannClampedSteepness, f.locOf(f.neuronAt[i]), i, fn.name, String(s), CLAMP / s));
        return null;
      }
      if (clamped < 0) clamped = i;
    }
    if (act === 'linear') outputBound = outputBound === null || !Number.isFinite(reach) ? null : Math.max(outputBound, reach);
  }
  if (clamped >= 0) ds.push(diag(DIAG.fannLinearClamp, f.locOf(f.neuronAt[clamped]), layer, clamped, CLAMP / f.steepness[clamped]));
  const l: ApproxLayer = { name, inWidth, width, activation: fn.mapping.activation, weights, bias, control: null, loc: f.locOf(f.neuronAt[firstNeuron]) };
  return { layer: l, outputBound };
}

export function fannToModel(f: FannFile, name: string, sourceFile: string): { model: AxModel | null; diagnostics: Diagnostic[] } {
  const ds: Diagnostic[] = [];
  const shape = readShape(f, ds);
  if (!shape || !checkConnections(f, shape, ds)) return { model: null, diagnostics: ds };
  const layers: ApproxLayer[] = [];
  const last = shape.sizes.length - 1;
  let connection = 0;
  let bound: number | null = null; // the network's inputs can be anything
  for (let layer = 1; layer <= last; layer++) {
    const built = toLayer(f, shape, layer, connection, layer === last ? 'out' : `h${layer}`, bound, ds);
    if (!built) return { model: null, diagnostics: ds };
    const l = built.layer;
    layers.push(l);
    bound = built.outputBound;
    connection += l.width * (l.inWidth + 1);
  }
  const model: AxModel = {
    name,
    inputWidth: shape.sizes[0] - 1,
    outputWidth: shape.sizes[last] - 1,
    approximator: layers,
    predictor: null,
    quality: null,
    sourceFile,
    loc: f.locOf(0),
  };
  return { model, diagnostics: ds };
}
