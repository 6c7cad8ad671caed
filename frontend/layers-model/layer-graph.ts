// The layer graph of a Keras model config: each layer with its inbound tensor references (Keras 2 / tfjs and
// Keras 3 spellings), a Sequential model turned into the equivalent chain, and each layer's position in model.json.

import type { SourceLoc } from '../../ir/model.ts';
import { DIAG } from '../../diagnostics/catalog.ts';
import { diag, type Diagnostic } from '../../diagnostics/diagnostic.ts';
import { TensorRefSchema, type FunctionalConfig, type LayerJson } from './layers-model-schema.ts';

export interface TensorRef {
  layer: string;
  node: number;
  tensor: number;
}

export interface GraphLayer {
  /** Position in the config's layer list (-1 for the InputLayer implied by a Sequential model). */
  index: number;
  name: string;
  className: string;
  config: Record<string, unknown>;
  /** The tensors consumed by the layer's first call. */
  inbound: TensorRef[];
  /** How many times the layer is applied (inbound_nodes.length). */
  calls: number;
  loc: SourceLoc;
}

export interface LayerGraph {
  kind: 'functional' | 'sequential';
  name: string | null;
  layers: GraphLayer[];
  inputs: TensorRef[];
  outputs: TensorRef[];
  loc: SourceLoc;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function layerName(l: LayerJson, index: number): string {
  return l.name ?? l.config.name ?? `layer #${index}`;
}

function toRefs(refs: FunctionalConfig['input_layers']): TensorRef[] {
  const list = typeof refs[0] === 'string' ? [refs as [string, number, number]] : (refs as [string, number, number][]);
  return list.map((r) => ({ layer: r[0], node: r[1], tensor: r[2] }));
}

/** Keras 3 writes inbound tensors as { class_name: "__keras_tensor__", config: { keras_history: [layer, node, tensor] } }. */
function collectKerasTensors(v: unknown, out: TensorRef[]): boolean {
  if (Array.isArray(v)) return v.every((x) => collectKerasTensors(x, out));
  if (isObject(v) && v.class_name === '__keras_tensor__') {
    const h = isObject(v.config) ? TensorRefSchema.safeParse(v.config.keras_history) : null;
    if (!h?.success) return false;
    out.push({ layer: h.data[0], node: h.data[1], tensor: h.data[2] });
    return true;
  }
  return true; // constants and other call arguments are not tensors
}

function parseInbound(l: LayerJson, name: string, loc: SourceLoc, ds: Diagnostic[]): { inbound: TensorRef[]; calls: number } {
  const nodes = l.inbound_nodes ?? [];
  if (nodes.length === 0) return { inbound: [], calls: 0 };
  const first = nodes[0];
  const inbound: TensorRef[] = [];
  if (Array.isArray(first)) {
    first.forEach((r, k) => {
      const p = TensorRefSchema.safeParse(r);
      if (p.success) inbound.push({ layer: p.data[0], node: p.data[1], tensor: p.data[2] });
      else ds.push(diag(DIAG.tfjsBadTensorRef, loc, name, k));
    });
  } else if (isObject(first) && 'args' in first) {
    if (!collectKerasTensors(first.args, inbound)) ds.push(diag(DIAG.tfjsBadKerasHistory, loc, name));
  } else {
    ds.push(diag(DIAG.tfjsBadInboundNodes, loc, name));
  }
  return { inbound, calls: nodes.length };
}

export function functionalGraph(config: FunctionalConfig, locOf: (index: number) => SourceLoc, modelLoc: SourceLoc): { graph: LayerGraph; diagnostics: Diagnostic[] } {
  const ds: Diagnostic[] = [];
  const layers = config.layers.map((l, index): GraphLayer => {
    const name = layerName(l, index);
    const loc = locOf(index);
    const { inbound, calls } = parseInbound(l, name, loc, ds);
    return { index, name, className: l.class_name, config: l.config, inbound, calls, loc };
  });
  const graph: LayerGraph = { kind: 'functional', name: config.name ?? null, layers, inputs: toRefs(config.input_layers), outputs: toRefs(config.output_layers), loc: modelLoc };
  return { graph, diagnostics: ds };
}

/** A Sequential model as the functional chain it means: an InputLayer (written, or implied by the first layer's batch shape), then each layer fed by the one before. */
export function sequentialGraph(name: string | null, list: LayerJson[], locOf: (index: number) => SourceLoc, modelLoc: SourceLoc): { graph: LayerGraph; diagnostics: Diagnostic[] } {
  const ds: Diagnostic[] = [];
  const layers: GraphLayer[] = [];
  list.forEach((l, index) => {
    const lname = layerName(l, index);
    const loc = locOf(index);
    if (index === 0 && l.class_name !== 'InputLayer') {
      // Keras/tfjs put the input's batch shape on the first layer; model it as an InputLayer in front.
      const inputName = `${lname}_input`;
      layers.push({ index: -1, name: inputName, className: 'InputLayer', config: l.config, inbound: [], calls: 0, loc });
    }
    const prev = layers[layers.length - 1];
    const inbound = l.class_name === 'InputLayer' ? [] : prev ? [{ layer: prev.name, node: 0, tensor: 0 }] : [];
    layers.push({ index, name: lname, className: l.class_name, config: l.config, inbound, calls: 1, loc });
  });
  if (list.length === 0) ds.push(diag(DIAG.tfjsNoLayers, modelLoc));
  const first = layers[0];
  const last = layers[layers.length - 1];
  const graph: LayerGraph = {
    kind: 'sequential',
    name,
    layers,
    inputs: first ? [{ layer: first.name, node: 0, tensor: 0 }] : [],
    outputs: last && last !== first ? [{ layer: last.name, node: 0, tensor: 0 }] : [],
    loc: modelLoc,
  };
  return { graph, diagnostics: ds };
}
