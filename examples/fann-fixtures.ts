// Hand-built FANN networks, for the FANN importer's tests and the fuzzer's seeds: a network as plain arrays
// (seeded float32 weights) and the text fann_save would write for it, written here from FANN's format.

import { SeededRandom } from '../ir/seeded-random.ts';

/** FANN's codes for the three functions axc maps. */
export const FANN_LINEAR = 0;
export const FANN_SIGMOID = 3;
export const FANN_SIGMOID_SYMMETRIC = 5;

export interface FannLayer {
  /** Neurons, without the bias neuron. */
  width: number;
  activation: number;
  /** One steepness for every neuron, or one per neuron. */
  steepness: number | number[];
}

export interface FannNet {
  inputs: number;
  layers: FannLayer[];
  /** weights[l][j] = neuron j of layers[l]: its weights from the previous layer, then the bias weight. */
  weights: number[][][];
}

/** A network with seeded float32 weights in [-scale, scale]. */
export function randomNet(seed: number, inputs: number, layers: FannLayer[], scale = 2): FannNet {
  const rng = new SeededRandom(seed);
  let fanIn = inputs;
  const weights = layers.map((l) => {
    const rows = Array.from({ length: l.width }, () => Array.from({ length: fanIn + 1 }, () => Math.fround((rng.next() * 2 - 1) * scale)));
    fanIn = l.width;
    return rows;
  });
  return { inputs, layers, weights };
}

/** Neuron j's steepness. */
export const steepnessOf = (l: FannLayer, j: number) => (Array.isArray(l.steepness) ? l.steepness[j] : l.steepness);
/** A number as fann_save prints it (C's %.20e: at least two exponent digits). */
const e20 = (v: number) => v.toExponential(20).replace(/e([+-])(\d)$/, 'e$10$2');

/** The text fann_save writes for `net` (FANN_FLO_2.1, layered, fully connected). */
export function fannText(net: FannNet, opts: { scaleIncluded?: boolean } = {}): string {
  const sizes = [net.inputs + 1, ...net.layers.map((l) => l.width + 1)];
  const neurons: string[] = [];
  for (let i = 0; i < sizes[0]; i++) neurons.push(`(0, 0, ${e20(0)})`);
  net.layers.forEach((l, k) => {
    for (let j = 0; j < l.width; j++) neurons.push(`(${sizes[k]}, ${l.activation}, ${e20(steepnessOf(l, j))})`);
    neurons.push(`(0, ${l.activation}, ${e20(0)})`); // the bias neuron
  });
  const connections: string[] = [];
  let first = 0;
  net.layers.forEach((l, k) => {
    for (let j = 0; j < l.width; j++) net.weights[k][j].forEach((w, c) => connections.push(`(${first + c}, ${e20(w)})`));
    first += sizes[k];
  });
  const lines = [
    'FANN_FLO_2.1',
    `num_layers=${sizes.length}`,
    // The training parameters, in the order fann_create_from_file reads them (it needs every one).
    'learning_rate=0.700000',
    'connection_rate=1.000000',
    'network_type=0',
    'learning_momentum=0.000000',
    'training_algorithm=2',
    'train_error_function=1',
    'train_stop_function=0',
    'cascade_output_change_fraction=0.010000',
    'quickprop_decay=-0.000100',
    'quickprop_mu=1.750000',
    'rprop_increase_factor=1.200000',
    'rprop_decrease_factor=0.500000',
    'rprop_delta_min=0.000000',
    'rprop_delta_max=50.000000',
    'rprop_delta_zero=0.100000',
    'cascade_output_stagnation_epochs=12',
    'cascade_candidate_change_fraction=0.010000',
    'cascade_candidate_stagnation_epochs=12',
    'cascade_max_out_epochs=150',
    'cascade_min_out_epochs=50',
    'cascade_max_cand_epochs=150',
    'cascade_min_cand_epochs=50',
    'cascade_num_candidate_groups=2',
    'bit_fail_limit=3.49999994039535522461e-01',
    'cascade_candidate_limit=1.00000000000000000000e+03',
    'cascade_weight_multiplier=4.00000005960464477539e-01',
    'cascade_activation_functions_count=10',
    'cascade_activation_functions=3 5 7 8 10 11 14 15 16 17 ',
    'cascade_activation_steepnesses_count=4',
    'cascade_activation_steepnesses=2.50000000000000000000e-01 5.00000000000000000000e-01 7.50000000000000000000e-01 1.00000000000000000000e+00 ',
    `layer_sizes=${sizes.join(' ')} `,
    `scale_included=${opts.scaleIncluded ? 1 : 0}`,
  ];
  if (opts.scaleIncluded) {
    for (const dir of ['in', 'out']) {
      const n = dir === 'in' ? net.inputs : net.layers[net.layers.length - 1].width;
      for (const key of ['scale_mean', 'scale_deviation', 'scale_new_min', 'scale_factor']) lines.push(`${key}_${dir}=${Array(n).fill(e20(0.5)).join(' ')} `);
    }
  }
  lines.push(`neurons (num_inputs, activation_function, activation_steepness)=${neurons.join(' ')} `);
  lines.push(`connections (connected_to_neuron, weight)=${connections.join(' ')} `);
  return lines.join('\n') + '\n';
}
