// jpeg (64 -> 64): 8x8 blocks of the 8x8 grid of synthetic photographs (as the encoder tiles an image),
// in the data's encoding: the gray level g = round(luma) in 0..255 as (g - 128) / 256, so every value is
// a multiple of 1/256 in [-0.5, 0.49609375]. A new image every BLOCKS_PER_IMAGE blocks.

import type { InputGenerator } from './sampler.ts';
import { randomInt } from './sampler.ts';
import { luma, synthesizeImage } from './synthetic-image.ts';

const BLOCKS_PER_IMAGE = 256;

export const jpegInputs: InputGenerator = {
  bench: 'jpeg',
  inputWidth: 64,
  description: '8x8 blocks on the block grid of synthetic 256x256 photographs, (round(luma) - 128) / 256, a new image every 256 blocks',
  start(rng) {
    let gray = new Uint8Array(0);
    let w = 0;
    let h = 0;
    let used = BLOCKS_PER_IMAGE;
    return (out, at) => {
      if (used === BLOCKS_PER_IMAGE) {
        const image = synthesizeImage(rng);
        gray = Uint8Array.from(luma(image), (v) => Math.min(255, Math.round(v)));
        w = image.width;
        h = image.height;
        used = 0;
      }
      used++;
      const bx = 8 * randomInt(rng, w >> 3);
      const by = 8 * randomInt(rng, h >> 3);
      for (let r = 0; r < 8; r++) {
        for (let c = 0; c < 8; c++) out[at + 8 * r + c] = (gray[(by + r) * w + bx + c] - 128) / 256;
      }
    };
  },
};
