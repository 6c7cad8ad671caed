// Loads TensorFlow.js for the parts of axc that need it (export, and tests against tfjs): tfjs-node when
// it is installed, otherwise @tensorflow/tfjs on the wasm backend, otherwise on the cpu backend.

export type Tfjs = typeof import('@tensorflow/tfjs');

export interface LoadedTfjs {
  tf: Tfjs;
  /** 'tensorflow' (tfjs-node), 'wasm' or 'cpu'. */
  backend: string;
}

let loading: Promise<LoadedTfjs> | null = null;

async function load(): Promise<LoadedTfjs> {
  try {
    const name = '@tensorflow/tfjs-node'; // optional dependency: its install downloads libtensorflow
    const tf = (await import(name)) as Tfjs;
    await tf.ready();
    return { tf, backend: tf.getBackend() };
  } catch {
    // not installed, or its native library is missing: fall back to the pure-JS packages
  }
  const tf = await import('@tensorflow/tfjs');
  // tfjs-backend-cpu prints an advert for tfjs-node on first use in Node; PROD silences tfjs's warnings.
  tf.env().set('PROD', true);
  try {
    await import('@tensorflow/tfjs-backend-wasm');
    if (await tf.setBackend('wasm')) {
      await tf.ready();
      return { tf, backend: 'wasm' };
    }
  } catch {
    // the wasm binary could not be loaded here: the cpu backend always works
  }
  await tf.setBackend('cpu');
  await tf.ready();
  return { tf, backend: 'cpu' };
}

/** The process's one TensorFlow.js, loaded on first use. */
export function loadTfjs(): Promise<LoadedTfjs> {
  loading ??= load();
  return loading;
}
