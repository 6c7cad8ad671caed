// sobel (9 -> 1): 3x3 grayscale windows at random positions of synthetic photographs. Pixels are
// luma / 256 in [0, 1) as float32 (not on a 1/256 grid: neither are the data's). Windows that overhang
// the image border read 0 there, as the original's padding does (the data's clipped outputs all come
// from such windows). A new image every WINDOWS_PER_IMAGE windows.

import { f32 } from '../float32.ts';
import type { InputGenerator } from './sampler.ts';
import { randomInt } from './sampler.ts';
import { luma, synthesizeImage } from './synthetic-image.ts';

const WINDOWS_PER_IMAGE = 4096;

export const sobelInputs: InputGenerator = {
  bench: 'sobel',
  inputWidth: 9,
  description: '3x3 windows (luma/256, zero beyond the border) at random positions of synthetic 256x256 photographs, a new image every 4096 windows',
  start(rng) {
    let gray = new Float32Array(0);
    let w = 0;
    let h = 0;
    let used = WINDOWS_PER_IMAGE;
    return (out, at) => {
      if (used === WINDOWS_PER_IMAGE) {
        const image = synthesizeImage(rng);
        gray = Float32Array.from(luma(image), (v) => f32(v / 256));
        w = image.width;
        h = image.height;
        used = 0;
      }
      used++;
      const cx = randomInt(rng, w);
      const cy = randomInt(rng, h);
      for (let r = 0; r < 3; r++) {
        for (let c = 0; c < 3; c++) {
          const x = cx + c - 1;
          const y = cy + r - 1;
          out[at + 3 * r + c] = x < 0 || y < 0 || x >= w || y >= h ? 0 : gray[y * w + x];
        }
      }
    };
  },
};
