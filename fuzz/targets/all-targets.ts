// Every fuzzed format, in the order the runner reports them.

import type { FuzzTarget } from '../fuzz-target.ts';
import { assemblyTextTarget } from './assembly-text.ts';
import { axnInlineTarget, axnWithFileTarget } from './axn-models.ts';
import { fannNetworkTarget } from './fann-network.ts';
import { hardwareJsonTarget } from './hardware-json.ts';
import { onnxModelTarget } from './onnx-model.ts';
import { programBinaryTarget } from './program-binary.ts';
import { sampleFileTarget } from './sample-file.ts';
import { sweepSpecTarget } from './sweep-spec.ts';
import { tfjsModelTarget } from './tfjs-model.ts';
import { weightsJsonTarget } from './weights-json.ts';

export const FUZZ_TARGETS: readonly FuzzTarget[] = [
  axnInlineTarget,
  axnWithFileTarget,
  weightsJsonTarget,
  tfjsModelTarget,
  fannNetworkTarget,
  onnxModelTarget,
  hardwareJsonTarget,
  programBinaryTarget,
  sampleFileTarget,
  assemblyTextTarget,
  sweepSpecTarget,
];

export function findTarget(name: string): FuzzTarget | undefined {
  return FUZZ_TARGETS.find((t) => t.name === name);
}
