// The 250-model differential test (test/support/differential-property.ts) outside fp32: in each format the
// simulator equals the reference interpreter bit for bit, both computing through ir/layer-arithmetic.ts from a
// plan the test makes afresh (int8 calibrated on each model's inputs).

import test from 'ava';
import { differentialProperty } from './support/differential-property.ts';

for (const datapath of ['fp16', 'bf16', 'fixed16.8', 'fixed8.4', 'int8']) {
  test(`simulator equals the reference interpreter bit for bit on 250 random models in ${datapath}`, (t) => differentialProperty(t, datapath));
}
