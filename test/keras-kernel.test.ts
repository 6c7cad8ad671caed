// The Keras kernel ↔ IR rows conversion shared by the tfjs importer, the trainer and the exporter:
// a hand-written case and the round trip.

import test from 'ava';
import fc from 'fast-check';
import { kernelToRows, rowsToKernel } from '../ir/keras-kernel.ts';

test('a 2-input, 3-unit Keras kernel becomes three IR rows of two weights', (t) => {
  // Keras [in][out]: input 0 feeds units 0..2 with 1, 2, 3; input 1 with 4, 5, 6.
  const kernel = Float32Array.of(1, 2, 3, 4, 5, 6);
  // IR [out][in]: unit 0 reads (1, 4), unit 1 (2, 5), unit 2 (3, 6).
  t.deepEqual(Array.from(kernelToRows(kernel, 2, 3)), [1, 4, 2, 5, 3, 6]);
});

test('rowsToKernel takes only the rows asked for', (t) => {
  // Four rows of two weights; rows 1 and 2 as a kernel [2][2].
  const rows = Float32Array.of(10, 11, 20, 21, 30, 31, 40, 41);
  t.deepEqual(Array.from(rowsToKernel(rows, 2, 1, 2)), [20, 30, 21, 31]);
});

test('rowsToKernel undoes kernelToRows', (t) => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), fc.integer(), (inWidth, units, seed) => {
      const kernel = Float32Array.from({ length: inWidth * units }, (_, i) => (seed + i * 7) % 101);
      return Array.from(rowsToKernel(kernelToRows(kernel, inWidth, units), inWidth, 0, units)).join() === Array.from(kernel).join();
    }),
  );
  t.pass();
});
