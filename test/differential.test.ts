// Differential test: on random AXNets (widths, depths, activations, control placement, decision kind and
// threshold) and random inputs, the simulator running the compiled binary equals the reference interpreter
// bit for bit: H(x), every control vector, the decision outputs, P(x), the score and the decision itself;
// also after withDecisionThreshold retargets the binary, against the interpreter at the new threshold. The
// simulator runs functional only here; a timed twin must match it in every register and word of memory.

import test from 'ava';
import { differentialProperty } from './support/differential-property.ts';

test('simulator equals the reference interpreter bit for bit on 250 random models', (t) => differentialProperty(t));
