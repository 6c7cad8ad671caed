// Procedural "photographs" for the image benchmarks (sobel, jpeg, kmeans): what the real inputs are
// drawn from is natural images - smooth regions, soft edges between objects, thin structures, sensor
// noise, the odd blown-out highlight - not uniform noise. An image here is built from the seed as:
//   1. a background: a base colour with a linear gradient and a slow sinusoidal shading;
//   2. 4-11 filled shapes (discs/ellipses, rotated rectangles, triangles and convex quads), each a
//      distinct colour with its own mild gradient, painted in order (later ones occlude earlier ones);
//   3. 1-4 thin lines (1-2 px wide);
//   4. a [1 2 1] blur in both directions, so edges are soft (1-2 px) as through a lens;
//   5. a smooth multiplicative illumination (gain 0.7-1.5: bright regions can clip to 255, as
//      overexposed highlights do in photos, giving some perfectly flat areas);
//   6. per-pixel Gaussian noise (sigma 0.6-2.5 levels, per image), then rounding to integers 0..255.

import type { SeededRandom } from '../../ir/seeded-random.ts';
import { normal, randomIntBetween } from './sampler.ts';

export interface ColorImage {
  width: number;
  height: number;
  /** RGB interleaved, row-major: pixel (x, y) channel c is rgb[3 * (y * width + x) + c], 0..255. */
  rgb: Uint8Array;
}

export const IMAGE_SIZE = 256;

type Inside = (x: number, y: number) => boolean;

interface Shape {
  inside: Inside;
  box: [number, number, number, number]; // x0, y0, x1, y1 (inclusive pixel bounds, clipped later)
}

function randomColor(rng: SeededRandom): [number, number, number] {
  return [rng.uniform(0, 255), rng.uniform(0, 255), rng.uniform(0, 255)];
}

/** Signed area test: is (px, py) on the left of or on the edge a -> b. */
const cross = (ax: number, ay: number, bx: number, by: number, px: number, py: number) => (bx - ax) * (py - ay) - (by - ay) * (px - ax);

/** A convex polygon with vertices in either winding order. */
function convexPolygon(xs: number[], ys: number[]): Shape {
  const n = xs.length;
  const inside: Inside = (x, y) => {
    let pos = false;
    let neg = false;
    for (let i = 0; i < n; i++) {
      const j = (i + 1) % n;
      const c = cross(xs[i], ys[i], xs[j], ys[j], x, y);
      if (c > 0) pos = true;
      else if (c < 0) neg = true;
      if (pos && neg) return false;
    }
    return true;
  };
  return { inside, box: [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)] };
}

function randomShape(rng: SeededRandom, w: number, h: number): Shape {
  const cx = rng.uniform(-0.1, 1.1) * w;
  const cy = rng.uniform(-0.1, 1.1) * h;
  const size = Math.min(w, h) * 0.03 * Math.pow(12, rng.next()); // log-uniform, 3% to 36% of the side
  const kind = Math.floor(rng.next() * 4);
  if (kind === 0) {
    // disc or ellipse, rotated
    const a = size;
    const b = size * rng.uniform(0.4, 1);
    const t = rng.uniform(0, Math.PI);
    const c = Math.cos(t);
    const s = Math.sin(t);
    return {
      inside: (x, y) => {
        const u = ((x - cx) * c + (y - cy) * s) / a;
        const v = (-(x - cx) * s + (y - cy) * c) / b;
        return u * u + v * v <= 1;
      },
      box: [cx - a, cy - a, cx + a, cy + a],
    };
  }
  if (kind === 1) {
    // rectangle, axis-aligned half the time, else rotated
    const hw = size * rng.uniform(0.5, 1.5);
    const hh = size * rng.uniform(0.3, 1.2);
    const t = rng.next() < 0.5 ? 0 : rng.uniform(0, Math.PI);
    const c = Math.cos(t);
    const s = Math.sin(t);
    const xs = [-hw, hw, hw, -hw].map((u, i) => cx + u * c - [-hh, -hh, hh, hh][i] * s);
    const ys = [-hw, hw, hw, -hw].map((u, i) => cy + u * s + [-hh, -hh, hh, hh][i] * c);
    return convexPolygon(xs, ys);
  }
  // triangle (kind 2) or convex quad (kind 3): vertices at increasing angles around the centre
  const n = kind === 2 ? 3 : 4;
  const angles = Array.from({ length: n }, () => rng.uniform(0, 2 * Math.PI)).sort((p, q) => p - q);
  const radii = angles.map(() => size * rng.uniform(0.5, 1.3));
  return convexPolygon(
    angles.map((t, i) => cx + radii[i] * Math.cos(t)),
    angles.map((t, i) => cy + radii[i] * Math.sin(t)),
  );
}

/**
 * A texture field: value noise (random values on a grid of spacing s, bilinearly interpolated) summed over
 * s = 2, 4, 8, 16, 32 with amplitudes growing with s, so the field has structure at every scale, as
 * natural surface texture has. Its standard deviation is about 1.
 */
function textureField(rng: SeededRandom, w: number, h: number): Float32Array {
  const field = new Float32Array(w * h);
  for (const s of [2, 4, 8, 16, 32]) {
    const gw = Math.ceil(w / s) + 2;
    const gh = Math.ceil(h / s) + 2;
    const grid = Float32Array.from({ length: gw * gh }, () => rng.uniform(-1, 1));
    const amp = Math.pow(s / 32, 0.5);
    for (let y = 0; y < h; y++) {
      const gy = Math.floor(y / s);
      const fy = y / s - gy;
      for (let x = 0; x < w; x++) {
        const gx = Math.floor(x / s);
        const fx = x / s - gx;
        const a = grid[gy * gw + gx] * (1 - fx) + grid[gy * gw + gx + 1] * fx;
        const b = grid[(gy + 1) * gw + gx] * (1 - fx) + grid[(gy + 1) * gw + gx + 1] * fx;
        field[y * w + x] += amp * (a * (1 - fy) + b * fy);
      }
    }
  }
  return field;
}

/** A region's texture strength in gray levels: many regions smooth, some strongly textured. */
const textureAmplitude = (rng: SeededRandom) => 30 * Math.pow(rng.next(), 2.5);

/** Paints `colour + gradient + texture` into the float planes wherever `inside` holds. */
function paint(planes: Float32Array, w: number, h: number, shape: Shape, colour: number[], grad: number[], texture: Float32Array, textureAmp: number): void {
  const x0 = Math.max(0, Math.floor(shape.box[0]));
  const y0 = Math.max(0, Math.floor(shape.box[1]));
  const x1 = Math.min(w - 1, Math.ceil(shape.box[2]));
  const y1 = Math.min(h - 1, Math.ceil(shape.box[3]));
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      if (!shape.inside(x + 0.5, y + 0.5)) continue;
      const g = grad[0] * (x / w - 0.5) + grad[1] * (y / h - 0.5);
      const t = textureAmp * texture[y * w + x];
      const p = 3 * (y * w + x);
      for (let c = 0; c < 3; c++) planes[p + c] = colour[c] + g * grad[2 + c] + t;
    }
  }
}

/** In-place [1 2 1]/4 blur along x then y (edges replicate). */
function blur(planes: Float32Array, w: number, h: number): void {
  const tmp = new Float32Array(planes.length);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const l = 3 * (y * w + Math.max(0, x - 1));
      const m = 3 * (y * w + x);
      const r = 3 * (y * w + Math.min(w - 1, x + 1));
      for (let c = 0; c < 3; c++) tmp[m + c] = (planes[l + c] + 2 * planes[m + c] + planes[r + c]) / 4;
    }
  }
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const u = 3 * (Math.max(0, y - 1) * w + x);
      const m = 3 * (y * w + x);
      const d = 3 * (Math.min(h - 1, y + 1) * w + x);
      for (let c = 0; c < 3; c++) planes[m + c] = (tmp[u + c] + 2 * tmp[m + c] + tmp[d + c]) / 4;
    }
  }
}

/** A new synthetic colour photograph, every pixel drawn from `rng` (see the file comment). */
export function synthesizeImage(rng: SeededRandom, width = IMAGE_SIZE, height = IMAGE_SIZE): ColorImage {
  const w = width;
  const h = height;
  const planes = new Float32Array(3 * w * h);
  const texture = textureField(rng, w, h);

  // 1. background
  const base = randomColor(rng);
  const grad = [rng.uniform(-80, 80), rng.uniform(-80, 80), rng.uniform(0.6, 1), rng.uniform(0.6, 1), rng.uniform(0.6, 1)];
  const fx = rng.uniform(0.5, 2) * Math.PI * 2;
  const fy = rng.uniform(0.5, 2) * Math.PI * 2;
  const ph = rng.uniform(0, 2 * Math.PI);
  const amp = rng.uniform(0, 25);
  const backgroundTexture = textureAmplitude(rng);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const g = grad[0] * (x / w - 0.5) + grad[1] * (y / h - 0.5) + amp * Math.sin((fx * x) / w + (fy * y) / h + ph);
      const t = backgroundTexture * texture[y * w + x];
      const p = 3 * (y * w + x);
      for (let c = 0; c < 3; c++) planes[p + c] = base[c] + g * grad[2 + c] + t;
    }
  }

  // 2. shapes
  const shapes = randomIntBetween(rng, 6, 24);
  for (let i = 0; i < shapes; i++) {
    const shape = randomShape(rng, w, h);
    const colour = randomColor(rng);
    const g = [rng.uniform(-40, 40), rng.uniform(-40, 40), 1, 1, 1];
    paint(planes, w, h, shape, colour, g, texture, textureAmplitude(rng));
  }

  // 3. thin lines: a thin rotated rectangle
  const lines = randomIntBetween(rng, 1, 4);
  for (let i = 0; i < lines; i++) {
    const ax = rng.uniform(0, w);
    const ay = rng.uniform(0, h);
    const len = rng.uniform(0.2, 0.9) * w;
    const t = rng.uniform(0, 2 * Math.PI);
    const bx = ax + len * Math.cos(t);
    const by = ay + len * Math.sin(t);
    const half = rng.uniform(0.5, 1);
    const nx = -Math.sin(t) * half;
    const ny = Math.cos(t) * half;
    paint(planes, w, h, convexPolygon([ax + nx, bx + nx, bx - nx, ax - nx], [ay + ny, by + ny, by - ny, ay - ny]), randomColor(rng), [0, 0, 0, 0, 0], texture, 0);
  }

  // 4. soft edges
  blur(planes, w, h);

  // 5. illumination, 6. noise, quantization
  const gain = rng.uniform(0.7, 1.5);
  const lx = rng.uniform(-0.4, 0.4);
  const ly = rng.uniform(-0.4, 0.4);
  const sigma = rng.uniform(0.8, 3);
  const rgb = new Uint8Array(3 * w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const light = gain * (1 + lx * (x / w - 0.5) + ly * (y / h - 0.5));
      const p = 3 * (y * w + x);
      for (let c = 0; c < 3; c++) {
        const v = Math.round(planes[p + c] * light + sigma * normal(rng));
        rgb[p + c] = v < 0 ? 0 : v > 255 ? 255 : v;
      }
    }
  }
  return { width: w, height: h, rgb };
}

/** Luma 0.30 R + 0.59 G + 0.11 B per pixel, in 0..255 (not rounded), as AxBench's grayscale conversion. */
export function luma(image: ColorImage): Float64Array {
  const out = new Float64Array(image.width * image.height);
  const { rgb } = image;
  for (let i = 0; i < out.length; i++) out[i] = 0.3 * rgb[3 * i] + 0.59 * rgb[3 * i + 1] + 0.11 * rgb[3 * i + 2];
  return out;
}
