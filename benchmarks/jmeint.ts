// AxBench jmeint: Moller's triangle-triangle intersection test (1997) on two triangles given by their
// vertices, in float32 as the original; (0.8, 0.2) if they intersect, else (0.2, 0.8).

import type { Benchmark } from './benchmark.ts';
import { BENCHMARK_INFO } from './catalog.ts';
import { f32 } from './float32.ts';

/** Signed plane distances below this magnitude count as 0 (the original's coplanarity robustness test). */
const EPSILON = 0.000001;

// Vertex coordinates: triangle V at offsets 0, 3, 6 and triangle U at 9, 12, 15 (the input layout).
const P = new Float64Array(18);
const N1 = new Float64Array(3);
const N2 = new Float64Array(3);
const D = new Float64Array(3);
const interval1 = new Float64Array(2);
const interval2 = new Float64Array(2);

/** Float32 dot product of `a` with vertex P[o..o+2], summed left to right. */
function dotP(a: Float64Array, o: number): number {
  return f32(f32(f32(a[0] * P[o]) + f32(a[1] * P[o + 1])) + f32(a[2] * P[o + 2]));
}

/** Plane normal (P[b] - P[a]) x (P[c] - P[a]) into n, in float32; returns d with n.X + d = 0 on the plane. */
function plane(a: number, b: number, c: number, n: Float64Array): number {
  const e1x = f32(P[b] - P[a]), e1y = f32(P[b + 1] - P[a + 1]), e1z = f32(P[b + 2] - P[a + 2]);
  const e2x = f32(P[c] - P[a]), e2y = f32(P[c + 1] - P[a + 1]), e2z = f32(P[c + 2] - P[a + 2]);
  n[0] = f32(f32(e1y * e2z) - f32(e1z * e2y));
  n[1] = f32(f32(e1z * e2x) - f32(e1x * e2z));
  n[2] = f32(f32(e1x * e2y) - f32(e1y * e2x));
  return -dotP(n, a);
}

/** Signed distance of vertex P[o] from the plane (n, d), snapped to 0 within EPSILON. */
function distance(n: Float64Array, d: number, o: number): number {
  const v = f32(dotP(n, o) + d);
  return Math.abs(v) < EPSILON ? 0 : v;
}

/**
 * The interval where a triangle crosses the line of the two planes, in the projected coordinate p:
 * vertex `a` is alone on its side of the other plane, `b` and `c` on the other side; the line meets
 * edges ab and ac at p_a + (p_b - p_a) d_a / (d_a - d_b) and likewise for c. Written to out, unsorted.
 */
function crossing(pa: number, pb: number, pc: number, da: number, db: number, dc: number, out: Float64Array): void {
  out[0] = f32(pa + f32(f32(f32(pb - pa) * da) / f32(da - db)));
  out[1] = f32(pa + f32(f32(f32(pc - pa) * da) / f32(da - dc)));
}

/** Picks the lone vertex by the signs of the distances; false when all three are 0 (coplanar triangles). */
function interval(p0: number, p1: number, p2: number, d0: number, d1: number, d2: number, out: Float64Array): boolean {
  if (f32(d0 * d1) > 0) crossing(p2, p0, p1, d2, d0, d1, out);
  else if (f32(d0 * d2) > 0) crossing(p1, p0, p2, d1, d0, d2, out);
  else if (f32(d1 * d2) > 0 || d0 !== 0) crossing(p0, p1, p2, d0, d1, d2, out);
  else if (d1 !== 0) crossing(p1, p0, p2, d1, d0, d2, out);
  else if (d2 !== 0) crossing(p2, p0, p1, d2, d0, d1, out);
  else return false;
  if (out[0] > out[1]) {
    const t = out[0];
    out[0] = out[1];
    out[1] = t;
  }
  return true;
}

// ---- coplanar triangles: 2-D tests in the axis plane where the triangles' projection is largest ------

/** Whether segments a-b and c-d of the 2-D points (x, y) intersect (touching counts). */
function segmentsIntersect(ax: number, ay: number, bx: number, by: number, cx: number, cy: number, dx: number, dy: number): boolean {
  const o1 = orient(ax, ay, bx, by, cx, cy);
  const o2 = orient(ax, ay, bx, by, dx, dy);
  const o3 = orient(cx, cy, dx, dy, ax, ay);
  const o4 = orient(cx, cy, dx, dy, bx, by);
  if (o1 * o2 < 0 && o3 * o4 < 0) return true;
  // Collinear touching cases.
  return (
    (o1 === 0 && onSegment(ax, ay, bx, by, cx, cy)) ||
    (o2 === 0 && onSegment(ax, ay, bx, by, dx, dy)) ||
    (o3 === 0 && onSegment(cx, cy, dx, dy, ax, ay)) ||
    (o4 === 0 && onSegment(cx, cy, dx, dy, bx, by))
  );
}

function orient(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number {
  return Math.sign((bx - ax) * (cy - ay) - (by - ay) * (cx - ax));
}

function onSegment(ax: number, ay: number, bx: number, by: number, px: number, py: number): boolean {
  return Math.min(ax, bx) <= px && px <= Math.max(ax, bx) && Math.min(ay, by) <= py && py <= Math.max(ay, by);
}

/** Whether 2-D point p lies inside (or on) triangle abc. */
function pointInTriangle(px: number, py: number, ax: number, ay: number, bx: number, by: number, cx: number, cy: number): boolean {
  const s1 = orient(ax, ay, bx, by, px, py);
  const s2 = orient(bx, by, cx, cy, px, py);
  const s3 = orient(cx, cy, ax, ay, px, py);
  return !((s1 < 0 || s2 < 0 || s3 < 0) && (s1 > 0 || s2 > 0 || s3 > 0));
}

/** Coplanar triangles intersect iff an edge of one crosses an edge of the other or one contains the other.
 *  (Never reached by the data; it allocates a little, which the common path does not.) */
function coplanarIntersect(n: Float64Array): boolean {
  const ax = Math.abs(n[0]), ay = Math.abs(n[1]), az = Math.abs(n[2]);
  // Drop the axis along which the normal is largest.
  const [i0, i1] = ax >= ay && ax >= az ? [1, 2] : ay >= az ? [0, 2] : [0, 1];
  const x = (v: number) => P[v + i0];
  const y = (v: number) => P[v + i1];
  for (const [a, b] of [[0, 3], [3, 6], [6, 0]]) {
    for (const [c, d] of [[9, 12], [12, 15], [15, 9]]) {
      if (segmentsIntersect(x(a), y(a), x(b), y(b), x(c), y(c), x(d), y(d))) return true;
    }
  }
  return (
    pointInTriangle(x(0), y(0), x(9), y(9), x(12), y(12), x(15), y(15)) ||
    pointInTriangle(x(9), y(9), x(0), y(0), x(3), y(3), x(6), y(6))
  );
}

/** Moller's test on the triangles currently in P. */
function trianglesIntersect(): boolean {
  // Plane of V; distances of U's vertices to it. All on one side (none on the plane): no intersection.
  const d1 = plane(0, 3, 6, N1);
  const du0 = distance(N1, d1, 9), du1 = distance(N1, d1, 12), du2 = distance(N1, d1, 15);
  if (f32(du0 * du1) > 0 && f32(du0 * du2) > 0) return false;
  // Plane of U; distances of V's vertices.
  const d2 = plane(9, 12, 15, N2);
  const dv0 = distance(N2, d2, 0), dv1 = distance(N2, d2, 3), dv2 = distance(N2, d2, 6);
  if (f32(dv0 * dv1) > 0 && f32(dv0 * dv2) > 0) return false;
  // Direction of the planes' intersection line; project onto its largest coordinate axis.
  D[0] = f32(f32(N1[1] * N2[2]) - f32(N1[2] * N2[1]));
  D[1] = f32(f32(N1[2] * N2[0]) - f32(N1[0] * N2[2]));
  D[2] = f32(f32(N1[0] * N2[1]) - f32(N1[1] * N2[0]));
  let axis = 0;
  let max = Math.abs(D[0]);
  if (Math.abs(D[1]) > max) {
    max = Math.abs(D[1]);
    axis = 1;
  }
  if (Math.abs(D[2]) > max) axis = 2;
  if (!interval(P[axis], P[3 + axis], P[6 + axis], dv0, dv1, dv2, interval1)) return coplanarIntersect(N1);
  if (!interval(P[9 + axis], P[12 + axis], P[15 + axis], du0, du1, du2, interval2)) return coplanarIntersect(N1);
  // The triangles intersect iff their intervals on the line overlap.
  return !(interval1[1] < interval2[0] || interval2[1] < interval1[0]);
}

export const jmeint: Benchmark = {
  ...BENCHMARK_INFO.jmeint,
  exact(x, out) {
    // Inputs: V0, V1, V2, U0, U1, U2, each (x, y, z), as floats.
    for (let i = 0; i < 18; i++) P[i] = f32(x[i]);
    const hit = trianglesIntersect();
    out[0] = hit ? 0.8 : 0.2;
    out[1] = hit ? 0.2 : 0.8;
  },
  tolerance: {
    abs: 0,
    why: 'a classification: every sample must match exactly (0.2 and 0.8 as printed are the nearest doubles, so an error would be 0.6)',
  },
};
