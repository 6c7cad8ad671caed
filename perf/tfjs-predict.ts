// The baseline a user would compare the simulator with when only the outputs matter: TensorFlow.js `predict`
// on the same AXNet (built by tfjs-runtime/, on the wasm backend unless tfjs-node is installed) over batches of
// 1024 samples, timed from a filled Float32Array to the outputs read back, in samples per second.

import { buildLayersModel } from '../tfjs-runtime/export-layers-model.ts';
import { loadTfjs } from '../tfjs-runtime/load-tfjs.ts';
import type { AxModel } from '../ir/model.ts';

export const TFJS_BATCH = 1024;

/** The samples as whole batches of TFJS_BATCH rows, each one Float32Array (what tf.tensor2d takes); the
 *  simulator's side of the comparison reads the same arrays. */
export function flatBatches(samples: Float32Array[], width: number): Float32Array[] {
  const flat: Float32Array[] = [];
  for (let b = 0; b < Math.floor(samples.length / TFJS_BATCH); b++) {
    const f = new Float32Array(TFJS_BATCH * width);
    for (let i = 0; i < TFJS_BATCH; i++) f.set(samples[b * TFJS_BATCH + i], i * width);
    flat.push(f);
  }
  return flat;
}

/** Best of `repeats` passes over the batches, each predicted and read back. */
export async function tfjsPredictRate(model: AxModel, flat: Float32Array[], repeats: number): Promise<{ rate: number; backend: string }> {
  const { tf } = await loadTfjs();
  const { tfModel, backend } = await buildLayersModel(model);
  const width = model.inputWidth;
  const batches = flat.length;
  const pass = () => {
    for (const f of flat) {
      const x = tf.tensor2d(f, [TFJS_BATCH, width]);
      const out = tfModel.predict(x, { batchSize: TFJS_BATCH });
      for (const t of Array.isArray(out) ? out : [out]) {
        t.dataSync();
        t.dispose();
      }
      x.dispose();
    }
  };
  // Warm up: kernels compiled (and tiered up), buffers allocated.
  pass();
  pass();
  let best = Infinity;
  for (let r = 0; r < repeats; r++) {
    const t0 = process.hrtime.bigint();
    pass();
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e9);
  }
  tfModel.dispose();
  return { rate: (batches * TFJS_BATCH) / best, backend };
}
