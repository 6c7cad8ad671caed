// The 250-model differential test (test/support/differential-property.ts) outside fp32: in each format the
// simulator equals the reference interpreter bit for bit, both computing through ir/layer-arithmetic.ts from a
// plan the test makes afresh (int8 calibrated on each model's inputs). Retargeting the threshold rewrites only
// a float32 field, whatever the format, so that part runs in fp32 alone (test/differential.test.ts).

import test from 'ava';
import { differentialProperty } from './support/differential-property.ts';

for (const datapath of ['fp16', 'bf16', 'fixed16.8', 'fixed8.4', 'int8']) {
  test(`simulator equals the reference interpreter bit for bit on 250 random models in ${datapath}`, (t) => differentialProperty(t, datapath, 250, false));
}

// Roles one by one, on 40 models each: mixed kinds with an interpolating table; 32-bit fixed point, whose
// products binary64 cannot always hold (the exact rounding path); int8 with SNNAP's 256-entry table.
const MIXED = [
  { weights: 'fixed8.4', activations: 'fp16', lut: { entries: 64, range: 6, interpolation: 'linear' } },
  { weights: 'fixed32.20', activations: 'fixed32.24', accumulator: 'fixed32.16' },
  { weights: 'int8', activations: 'int8', lut: { entries: 256, range: 4, interpolation: 'nearest' } },
];
for (const datapath of MIXED) {
  test(`simulator equals the reference interpreter bit for bit on 40 random models in ${JSON.stringify(datapath)}`, (t) => differentialProperty(t, datapath, 40, false));
}
