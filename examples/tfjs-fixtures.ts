// Small TensorFlow.js Layers models built by hand (a Keras-style layer graph plus named weights), written into
// a temp folder as tfjs writes them (model.json + .bin). The importer tests and the fuzzer's seed corpus use them;
// they live here, below test/ and fuzz/, so that neither of those folders imports the other.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// ---------------------------------------------------------------------------------------------------------------
// Fixture builder: a Keras-style layer graph plus named weights, written as tfjs writes them.

export type Json = Record<string, unknown>;

export interface Weight {
  name: string;
  shape: number[];
  values: number[];
  dtype?: string;
  quantization?: Json;
}

export interface Fixture {
  /** The model.json object; tests edit it before writing. */
  json: Json;
  weights: Weight[];
}

export function layer(name: string, cls: string, config: Json, inbound: string[]): Json {
  return { name, class_name: cls, config: { name, ...config }, inbound_nodes: inbound.length ? [inbound.map((n) => [n, 0, 0, {}])] : [] };
}

export function inputLayer(name: string, width: number): Json {
  return layer(name, 'InputLayer', { batch_input_shape: [null, width], dtype: 'float32', sparse: false }, []);
}

export function dense(name: string, units: number, activation: string, input: string, extra: Json = {}): Json {
  return layer(name, 'Dense', { units, activation, use_bias: true, trainable: true, ...extra }, [input]);
}

export function multiply(name: string, a: string, b: string): Json {
  return layer(name, 'Multiply', { trainable: true }, [a, b]);
}

/** Deterministic weight values, exact in float32: weight k element i is (k + 1) + i / 8. */
export function weightsFor(layers: Json[], widths: Map<string, number>): Weight[] {
  const out: Weight[] = [];
  let k = 0;
  for (const l of layers) {
    if (l.class_name !== 'Dense') continue;
    const c = l.config as Json;
    const units = c.units as number;
    const src = ((l.inbound_nodes as unknown[][][])[0][0] as unknown[])[0] as string;
    const fanIn = widths.get(src)!;
    const kernel = k++;
    out.push({ name: `${l.name}/kernel`, shape: [fanIn, units], values: Array.from({ length: fanIn * units }, (_, i) => kernel + 1 + i / 8) });
    if (c.use_bias !== false) {
      const bias = k++;
      out.push({ name: `${l.name}/bias`, shape: [units], values: Array.from({ length: units }, (_, i) => -(bias + 1) - i / 8) });
    }
  }
  return out;
}

export function widthsOf(layers: Json[]): Map<string, number> {
  const w = new Map<string, number>();
  for (const l of layers) {
    const c = l.config as Json;
    if (l.class_name === 'InputLayer') w.set(l.name as string, (c.batch_input_shape as number[])[1]);
    else if (l.class_name === 'Dense') w.set(l.name as string, c.units as number);
    else w.set(l.name as string, w.get(((l.inbound_nodes as unknown[][][])[0][0] as unknown[])[0] as string)!);
  }
  return w;
}

export function functional(name: string, layers: Json[], outputs: string[], inputs = ['x']): Fixture {
  const json: Json = {
    format: 'layers-model',
    generatedBy: 'hand-written test fixture',
    convertedBy: null,
    modelTopology: {
      class_name: 'Model',
      config: { name, layers, input_layers: inputs.map((n) => [n, 0, 0]), output_layers: outputs.map((n) => [n, 0, 0]) },
      keras_version: 'tfjs-layers 4.22.0',
      backend: 'tensor_flow.js',
    },
    weightsManifest: [],
  };
  return { json, weights: weightsFor(layers, widthsOf(layers)) };
}

/**
 * The AXNet of DESIGN.md in Keras form: input 2; predictor p1 (3, relu); controls c1 (4, sigmoid) and c2 (3, linear)
 * on p1; approximator h1 (4, relu) gated by c1 through g1 = [h1, c1], h2 (3, tanh) gated by c2 through g2 = [c2, h2]
 * (the other operand order), out (1, linear); decision dec (1, sigmoid) on p1.
 */
export function axnet(): Fixture {
  return functional(
    'axnet_model',
    [
      inputLayer('x', 2),
      dense('p1', 3, 'relu', 'x'),
      dense('h1', 4, 'relu', 'x'),
      dense('c1', 4, 'sigmoid', 'p1'),
      multiply('g1', 'h1', 'c1'),
      dense('h2', 3, 'tanh', 'g1'),
      dense('c2', 3, 'linear', 'p1'),
      multiply('g2', 'c2', 'h2'),
      dense('out', 1, 'linear', 'g2'),
      dense('dec', 1, 'sigmoid', 'p1'),
    ],
    ['out', 'dec'],
  );
}

/** A plain functional MLP with one output: x(3) -> d1 (5, relu) -> d2 (2, linear). */
export function mlp(): Fixture {
  return functional('mlp', [inputLayer('x', 3), dense('d1', 5, 'relu', 'x'), dense('d2', 2, 'linear', 'd1')], ['d2']);
}

export function topo(f: Fixture): Json {
  return (f.json.modelTopology as Json).config as Json;
}

export function layersOf(f: Fixture): Json[] {
  return topo(f).layers as Json[];
}

export function layerOf(f: Fixture, name: string): Json {
  const l = layersOf(f).find((x) => x.name === name);
  if (!l) throw new Error(`test bug: no layer ${name}`);
  return l;
}

export function weightOf(f: Fixture, name: string): Weight {
  const w = f.weights.find((x) => x.name === name);
  if (!w) throw new Error(`test bug: no weight ${name}`);
  return w;
}

let dirCount = 0;
export const root = fs.mkdtempSync(path.join(os.tmpdir(), 'axc-tfjs-import-'));

/** A new empty folder under the fixtures' root. */
export function freshDir(): string {
  const dir = path.join(root, `m${dirCount++}`);
  fs.mkdirSync(dir);
  return dir;
}
/** Removes the fixtures' temporary folder; call from each test file's test.after.always. */
export function removeFixtures(): void {
  fs.rmSync(root, { recursive: true, force: true });
}

export interface Written {
  dir: string;
  file: string;
  text: string;
}

/** Writes model.json and one shard `group1-shard1of1.bin` (float32 LE) holding the weights in manifest order. */
export function write(f: Fixture, opts: { text?: string; shard?: Buffer | null } = {}): Written {
  const dir = freshDir();
  const manifest = f.weights.map((w) => {
    const e: Json = { name: w.name, shape: w.shape, dtype: w.dtype ?? 'float32' };
    if (w.quantization) e.quantization = w.quantization;
    return e;
  });
  const buf = Buffer.alloc(f.weights.reduce((n, w) => n + w.values.length * 4, 0));
  let off = 0;
  for (const w of f.weights) for (const v of w.values) off = buf.writeFloatLE(v, off);
  if (!('weightsManifest' in f.json) || (Array.isArray(f.json.weightsManifest) && f.json.weightsManifest.length === 0)) {
    if ('weightsManifest' in f.json) f.json.weightsManifest = [{ paths: ['group1-shard1of1.bin'], weights: manifest }];
  }
  const text = opts.text ?? JSON.stringify(f.json, null, 2);
  const file = path.join(dir, 'model.json');
  fs.writeFileSync(file, text);
  if (opts.shard !== null) fs.writeFileSync(path.join(dir, 'group1-shard1of1.bin'), opts.shard ?? buf);
  return { dir, file, text };
}

/** 1-based "line:col" of a character offset. */
export function lineCol(text: string, off: number): string {
  const before = text.slice(0, off);
  return `${before.split('\n').length}:${off - before.lastIndexOf('\n')}`;
}

/** Position of the JSON object whose first key is `"name": NAME` (a layer, or a manifest entry after `after`). */
export function objectAt(text: string, name: string, after = 0): string {
  const off = text.indexOf(`"name": ${JSON.stringify(name)}`, after);
  if (off < 0) throw new Error(`test bug: "${name}" not in text`);
  return lineCol(text, text.lastIndexOf('{', off));
}

export function manifestEntryAt(text: string, weight: string): string {
  return objectAt(text, weight, text.indexOf('"weightsManifest"'));
}
