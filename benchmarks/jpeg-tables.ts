// Tables of baseline JPEG (ITU-T T.81): the Annex K luminance quantization table and the zigzag scan order.

/** Table K.1, luminance quantization (quality 50), in natural row-major order: entry 8u + v is for vertical frequency u, horizontal v. */
export const LUMINANCE_QUANT: readonly number[] = [
  16, 11, 10, 16, 24, 40, 51, 61,
  12, 12, 14, 19, 26, 58, 60, 55,
  14, 13, 16, 24, 40, 57, 69, 56,
  14, 17, 22, 29, 51, 87, 80, 62,
  18, 22, 37, 56, 68, 109, 103, 77,
  24, 35, 55, 64, 81, 104, 113, 92,
  49, 64, 78, 87, 103, 121, 120, 101,
  72, 92, 95, 98, 112, 100, 103, 99,
];

/**
 * ZIGZAG[k] is the natural (row-major) index of the k-th coefficient in zigzag order: 0, 1, 8, 16, 9, 2, ...
 * Built by walking the anti-diagonals u + v = s; even diagonals run up and to the right, odd ones down and to the left.
 */
export const ZIGZAG: readonly number[] = (() => {
  const order: number[] = [];
  for (let s = 0; s <= 14; s++) {
    const rows: number[] = [];
    for (let u = Math.max(0, s - 7); u <= Math.min(s, 7); u++) rows.push(u);
    if (s % 2 === 0) rows.reverse();
    for (const u of rows) order.push(8 * u + (s - u));
  }
  return order;
})();
