/**
 * Thin-plate spline: the smoothest (least bending energy) 2D map that sends a set of control points
 * exactly onto their targets. The warp stage fits one from body targets to garment landmarks
 * (target → source, see backward-map.ts) and samples the product shot through it; this is the
 * deterministic form of CP-VTON's geometric matching.
 *
 *   f(p) = a0 + a1·u + a2·v + Σ wᵢ · U(|p − cᵢ|),   U(r) = r² · ln r²
 *
 * Inputs are normalised (centred on the control points' centroid, scaled to unit RMS radius) so
 * the kernel matrix is well conditioned whatever the image size, and `regularisation` has the
 * same meaning at 384 px and at 4000 px.
 */
import type { Point } from '../types.ts';
import { solveInPlace } from './linear-solve.ts';

export interface Tps {
  /** Input normalisation: u = (x − originX) / scale, v = (y − originY) / scale. */
  originX: number;
  originY: number;
  scale: number;
  /** Control points in normalised coordinates, interleaved u, v. */
  controls: Float64Array;
  /** Kernel weights in output pixels, interleaved wx, wy per control point. */
  weights: Float64Array;
  /** Affine part, normalised input → output pixels: x' = [0] + [1]u + [2]v, y' = [3] + [4]u + [5]v. */
  affine: Float64Array;
}

/** Control points closer than this (normalised units) are one point: two targets for one place has no solution. */
const DUPLICATE_EPSILON = 1e-9;

/**
 * Fits the spline mapping `from[i]` → `to[i]`. With `regularisation` 0 it is exact at every control
 * point; a positive value (normalised units: ~0.01–0.1 is gentle) trades exactness for less
 * bending, which tames noisy landmarks. Exactly duplicated control points keep the first target.
 * With fewer than 3 distinct points, or all of them on a line, no unique spline exists: the
 * least-squares similarity transform (scale, rotation, translation) is returned instead.
 */
export function fitTps(from: Point[], to: Point[], regularisation = 0): Tps {
  if (from.length !== to.length) throw new Error(`fitTps: ${from.length} source points but ${to.length} targets`);
  for (let i = 0; i < from.length; i++) {
    if (!Number.isFinite(from[i].x) || !Number.isFinite(from[i].y) || !Number.isFinite(to[i].x) || !Number.isFinite(to[i].y)) {
      throw new Error(`fitTps: point ${i} is not finite`);
    }
  }

  let originX = 0;
  let originY = 0;
  for (const p of from) {
    originX += p.x;
    originY += p.y;
  }
  const count = Math.max(1, from.length);
  originX /= count;
  originY /= count;
  let radius2 = 0;
  for (const p of from) radius2 += (p.x - originX) ** 2 + (p.y - originY) ** 2;
  const scale = Math.sqrt(radius2 / count) || 1;

  // Normalise and drop duplicates (first one wins).
  const us: number[] = [];
  const vs: number[] = [];
  const tx: number[] = [];
  const ty: number[] = [];
  for (let i = 0; i < from.length; i++) {
    const u = (from[i].x - originX) / scale;
    const v = (from[i].y - originY) / scale;
    let duplicate = false;
    for (let j = 0; j < us.length && !duplicate; j++) {
      duplicate = Math.abs(us[j] - u) < DUPLICATE_EPSILON && Math.abs(vs[j] - v) < DUPLICATE_EPSILON;
    }
    if (duplicate) continue;
    us.push(u);
    vs.push(v);
    tx.push(to[i].x);
    ty.push(to[i].y);
  }
  const n = us.length;

  if (n >= 3) {
    const size = n + 3;
    const a = new Float64Array(size * size);
    const b = new Float64Array(size * 2);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        a[i * size + j] = i === j ? regularisation : kernel((us[i] - us[j]) ** 2 + (vs[i] - vs[j]) ** 2);
      }
      a[i * size + n] = 1;
      a[i * size + n + 1] = us[i];
      a[i * size + n + 2] = vs[i];
      a[n * size + i] = 1;
      a[(n + 1) * size + i] = us[i];
      a[(n + 2) * size + i] = vs[i];
      b[i * 2] = tx[i];
      b[i * 2 + 1] = ty[i];
    }
    if (solveInPlace(a, b, size, 2)) {
      const controls = new Float64Array(n * 2);
      const weights = new Float64Array(n * 2);
      for (let i = 0; i < n; i++) {
        controls[i * 2] = us[i];
        controls[i * 2 + 1] = vs[i];
        weights[i * 2] = b[i * 2];
        weights[i * 2 + 1] = b[i * 2 + 1];
      }
      const affine = Float64Array.of(b[n * 2], b[(n + 1) * 2], b[(n + 2) * 2], b[n * 2 + 1], b[(n + 1) * 2 + 1], b[(n + 2) * 2 + 1]);
      return { originX, originY, scale, controls, weights, affine };
    }
    // Singular: the points are collinear; fall through to the similarity fit.
  }
  return similarityTps(us, vs, tx, ty, originX, originY, scale);
}

/** Maps one point. Allocates the result; loops should use `applyTpsTo`. */
export function applyTps(tps: Tps, p: Point): Point {
  const out = { x: 0, y: 0 };
  applyTpsTo(tps, p.x, p.y, out);
  return out;
}

/** Maps (x, y) into `out` without allocating: the inner loop of grid evaluation. */
export function applyTpsTo(tps: Tps, x: number, y: number, out: Point): void {
  const u = (x - tps.originX) / tps.scale;
  const v = (y - tps.originY) / tps.scale;
  const { controls, weights, affine } = tps;
  let fx = affine[0] + affine[1] * u + affine[2] * v;
  let fy = affine[3] + affine[4] * u + affine[5] * v;
  for (let i = 0; i < controls.length; i += 2) {
    const du = u - controls[i];
    const dv = v - controls[i + 1];
    const k = kernel(du * du + dv * dv);
    fx += weights[i] * k;
    fy += weights[i + 1] * k;
  }
  out.x = fx;
  out.y = fy;
}

/** U as a function of r²: r² ln r² (a constant multiple of r² ln r, absorbed by the weights); U(0) = 0. */
function kernel(r2: number): number {
  return r2 > 0 ? r2 * Math.log(r2) : 0;
}

/**
 * Least-squares similarity (no reflection) in closed form, stored as a spline with no kernel
 * terms: s·e^{iθ} = Σ (qᵢ − q̄)·conj(pᵢ − p̄) / Σ |pᵢ − p̄|².
 */
function similarityTps(us: number[], vs: number[], tx: number[], ty: number[], originX: number, originY: number, scale: number): Tps {
  const n = us.length;
  const empty = new Float64Array(0);
  if (n === 0) {
    // Identity in pixel space: x' = originX + scale·u.
    return { originX, originY, scale, controls: empty, weights: empty, affine: Float64Array.of(originX, scale, 0, originY, 0, scale) };
  }
  let pu = 0;
  let pv = 0;
  let qx = 0;
  let qy = 0;
  for (let i = 0; i < n; i++) {
    pu += us[i];
    pv += vs[i];
    qx += tx[i];
    qy += ty[i];
  }
  pu /= n;
  pv /= n;
  qx /= n;
  qy /= n;
  let re = 0;
  let im = 0;
  let norm = 0;
  for (let i = 0; i < n; i++) {
    const du = us[i] - pu;
    const dv = vs[i] - pv;
    const dx = tx[i] - qx;
    const dy = ty[i] - qy;
    re += dx * du + dy * dv;
    im += dy * du - dx * dv;
    norm += du * du + dv * dv;
  }
  // One point (or all equal): keep the pixel scale, translate only.
  const a = norm > 0 ? re / norm : scale;
  const b = norm > 0 ? im / norm : 0;
  // x' = a(u − pu) − b(v − pv) + qx ; y' = b(u − pu) + a(v − pv) + qy
  return {
    originX,
    originY,
    scale,
    controls: empty,
    weights: empty,
    affine: Float64Array.of(qx - a * pu + b * pv, a, -b, qy - b * pu - a * pv, b, a),
  };
}
