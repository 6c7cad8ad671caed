// kmeans (6 -> 1): [r, g, b, centroid r, g, b]. As in the data, each pixel is paired with every one of
// K = 6 centroids in turn (6 consecutive samples share a pixel), and the centroids are uniform in
// [0, 1)^3 (the data's are the first values of the C library's rand() / RAND_MAX). Pixels are channel / 256
// (multiples of 1/256, at most 255/256) at random positions of synthetic colour photographs. Each image
// comes with its own K fresh centroids; a new image every PIXELS_PER_IMAGE pixels.

import { f32 } from '../float32.ts';
import type { InputGenerator } from './sampler.ts';
import { randomInt } from './sampler.ts';
import { synthesizeImage, type ColorImage } from './synthetic-image.ts';

const K = 6;
const PIXELS_PER_IMAGE = 1024;

export const kmeansInputs: InputGenerator = {
  bench: 'kmeans',
  inputWidth: 6,
  description: 'pixels (channel/256) of synthetic colour photographs, each paired in turn with the 6 centroids (uniform in [0,1)^3) of its image',
  start(rng) {
    let image: ColorImage | null = null;
    const centroids = new Float32Array(3 * K);
    const pixel = new Float32Array(3);
    let pixels = PIXELS_PER_IMAGE;
    let k = K;
    return (out, at) => {
      if (k === K) {
        if (pixels === PIXELS_PER_IMAGE) {
          image = synthesizeImage(rng);
          for (let i = 0; i < centroids.length; i++) centroids[i] = f32(rng.next());
          pixels = 0;
        }
        pixels++;
        const p = 3 * randomInt(rng, image!.width * image!.height);
        for (let c = 0; c < 3; c++) pixel[c] = image!.rgb[p + c] / 256;
        k = 0;
      }
      out.set(pixel, at);
      for (let c = 0; c < 3; c++) out[at + 3 + c] = centroids[3 * k + c];
      k++;
    };
  },
};
