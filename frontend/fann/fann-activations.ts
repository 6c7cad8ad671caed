// FANN's activation functions, by the number its save files use (fann_activationfunc_enum), and how the three
// that an NPU layer can compute map onto the IR: FANN scales the neuron's sum v by the steepness s first.

import type { Activation } from '../../ir/model.ts';

/** How an FANN function becomes an IR activation: f(s·v) = act(factor(s) · v), so the factor folds into the weights. */
interface Mapping {
  activation: Activation;
  /** The scale folded into a neuron's weights and bias. */
  factor: (steepness: number) => number;
}

interface FannActivation {
  name: string;
  mapping: Mapping | null;
}

// linear: s·v. sigmoid: 1/(1 + e^(-2·s·v)), the IR's sigmoid of 2·s·v. sigmoid_symmetric: tanh(s·v).
const LINEAR: Mapping = { activation: 'linear', factor: (s) => s };
const SIGMOID: Mapping = { activation: 'sigmoid', factor: (s) => 2 * s };
const TANH: Mapping = { activation: 'tanh', factor: (s) => s };

/** Index = the code in the file. FANN 2.2 has codes 0 to 17; 18 and 19 came later (2.3). */
export const FANN_ACTIVATIONS: readonly FannActivation[] = [
  { name: 'FANN_LINEAR', mapping: LINEAR },
  { name: 'FANN_THRESHOLD', mapping: null },
  { name: 'FANN_THRESHOLD_SYMMETRIC', mapping: null },
  { name: 'FANN_SIGMOID', mapping: SIGMOID },
  { name: 'FANN_SIGMOID_STEPWISE', mapping: null },
  { name: 'FANN_SIGMOID_SYMMETRIC', mapping: TANH },
  { name: 'FANN_SIGMOID_SYMMETRIC_STEPWISE', mapping: null },
  { name: 'FANN_GAUSSIAN', mapping: null },
  { name: 'FANN_GAUSSIAN_SYMMETRIC', mapping: null },
  { name: 'FANN_GAUSSIAN_STEPWISE', mapping: null },
  { name: 'FANN_ELLIOT', mapping: null },
  { name: 'FANN_ELLIOT_SYMMETRIC', mapping: null },
  { name: 'FANN_LINEAR_PIECE', mapping: null },
  { name: 'FANN_LINEAR_PIECE_SYMMETRIC', mapping: null },
  { name: 'FANN_SIN_SYMMETRIC', mapping: null },
  { name: 'FANN_COS_SYMMETRIC', mapping: null },
  { name: 'FANN_SIN', mapping: null },
  { name: 'FANN_COS', mapping: null },
  { name: 'FANN_LINEAR_PIECE_RECT', mapping: null },
  { name: 'FANN_LINEAR_PIECE_RECT_LEAKY', mapping: null },
];

/** The names of the functions axc maps, for messages. */
export const MAPPED_ACTIVATIONS = FANN_ACTIVATIONS.filter((a) => a.mapping).map((a) => a.name);
