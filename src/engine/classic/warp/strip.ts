/**
 * Ribbon (strip) warps for sleeves and trouser legs. A single TPS over the whole garment folds the
 * print when an arm is bent; a sleeve is better treated as a ribbon: a centreline polyline with a
 * half-width at each vertex, mapped segment by segment onto the limb's ribbon. Along the limb the
 * position is carried by relative position within corresponding segments, across it by relative
 * offset from the centreline, so the sleeve's centreline lands on the limb's centreline and its
 * edges on the limb's edges.
 *
 * Each segment is a bilinear quad bounded by the normals at its two vertices (mitred at joints),
 * so neighbouring quads share their edge and the map is continuous through a bend.
 */
import type { Point } from '../types.ts';
import { createWarpMap, type WarpMap } from './backward-map.ts';

export interface Ribbon {
  /** Centreline, from the attached end (shoulder, waist) to the free end (cuff, hem). */
  centre: Point[];
  /** Half the ribbon's width at each centreline vertex, in pixels. */
  halfWidths: number[];
}

/** Cap on the mitre stretch at a joint: beyond ~120° of bend a true mitre shoots off to infinity. */
const MAX_MITRE = 2;

/**
 * For every output pixel inside the `target` ribbon, the corresponding position in the `source`
 * ribbon; NaN elsewhere. When both centrelines have the same number of vertices, vertex i
 * corresponds to vertex i (shoulder ↔ shoulder, elbow ↔ elbow); otherwise both are resampled to a
 * common count by relative arc length. Sides correspond by the same normal convention (left of
 * the direction of travel ↔ left), so orient both centrelines the same way.
 */
export function stripWarpMap(source: Ribbon, target: Ribbon, width: number, height: number): WarpMap {
  validate(source, 'source');
  validate(target, 'target');
  let src = source;
  let dst = target;
  if (src.centre.length !== dst.centre.length) {
    const count = Math.max(src.centre.length, dst.centre.length);
    src = resampleRibbon(src, count);
    dst = resampleRibbon(dst, count);
  }
  const srcEdges = ribbonEdges(src);
  const dstEdges = ribbonEdges(dst);

  const map = createWarpMap(width, height);
  // Where quads overlap (inside of a tight bend), the one that puts the pixel nearer its own
  // centreline wins: it is the segment the pixel visually belongs to.
  const bestOffset = new Float32Array(width * height).fill(Infinity);
  const uv = { u: 0, v: 0 };
  const segments = dst.centre.length - 1;
  for (let s = 0; s < segments; s++) {
    // Target quad corners: a = start-left, b = end-left, c = end-right, d = start-right.
    const ax = dstEdges.leftX[s], ay = dstEdges.leftY[s];
    const bx = dstEdges.leftX[s + 1], by = dstEdges.leftY[s + 1];
    const cx = dstEdges.rightX[s + 1], cy = dstEdges.rightY[s + 1];
    const dx = dstEdges.rightX[s], dy = dstEdges.rightY[s];
    const sax = srcEdges.leftX[s], say = srcEdges.leftY[s];
    const sbx = srcEdges.leftX[s + 1], sby = srcEdges.leftY[s + 1];
    const scx = srcEdges.rightX[s + 1], scy = srcEdges.rightY[s + 1];
    const sdx = srcEdges.rightX[s], sdy = srcEdges.rightY[s];

    const x0 = Math.max(0, Math.floor(Math.min(ax, bx, cx, dx)));
    const x1 = Math.min(width - 1, Math.ceil(Math.max(ax, bx, cx, dx)));
    const y0 = Math.max(0, Math.floor(Math.min(ay, by, cy, dy)));
    const y1 = Math.min(height - 1, Math.ceil(Math.max(ay, by, cy, dy)));
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        if (!inverseBilinear(x, y, ax, ay, bx, by, cx, cy, dx, dy, uv)) continue;
        const i = y * width + x;
        const offset = Math.abs(uv.v - 0.5);
        if (offset >= bestOffset[i]) continue;
        bestOffset[i] = offset;
        const u = uv.u;
        const v = uv.v;
        // Same bilinear form on the source quad: P = a(1−u)(1−v) + b·u(1−v) + c·u·v + d(1−u)v.
        const wa = (1 - u) * (1 - v);
        const wb = u * (1 - v);
        const wc = u * v;
        const wd = (1 - u) * v;
        map.x[i] = sax * wa + sbx * wb + scx * wc + sdx * wd;
        map.y[i] = say * wa + sby * wb + scy * wc + sdy * wd;
      }
    }
  }
  return map;
}

/**
 * The ribbon's outline as a closed polygon (left edge out, right edge back), e.g. to rasterise the
 * sleeve's target area as a mask.
 */
export function ribbonOutline(ribbon: Ribbon): Point[] {
  validate(ribbon, 'ribbon');
  const edges = ribbonEdges(ribbon);
  const n = ribbon.centre.length;
  const outline: Point[] = [];
  for (let i = 0; i < n; i++) outline.push({ x: edges.leftX[i], y: edges.leftY[i] });
  for (let i = n - 1; i >= 0; i--) outline.push({ x: edges.rightX[i], y: edges.rightY[i] });
  return outline;
}

/** Resamples a ribbon to `count` vertices evenly spaced in arc length (half-widths interpolated). */
export function resampleRibbon(ribbon: Ribbon, count: number): Ribbon {
  const { centre, halfWidths } = ribbon;
  const cumulative = [0];
  for (let i = 1; i < centre.length; i++) {
    cumulative.push(cumulative[i - 1] + Math.hypot(centre[i].x - centre[i - 1].x, centre[i].y - centre[i - 1].y));
  }
  const total = cumulative[cumulative.length - 1];
  const out: Ribbon = { centre: [], halfWidths: [] };
  let seg = 0;
  for (let k = 0; k < count; k++) {
    const target = count > 1 ? (total * k) / (count - 1) : 0;
    while (seg < centre.length - 2 && cumulative[seg + 1] < target) seg++;
    const span = cumulative[seg + 1] - cumulative[seg];
    const t = span > 0 ? Math.min(1, Math.max(0, (target - cumulative[seg]) / span)) : 0;
    out.centre.push({
      x: centre[seg].x + (centre[seg + 1].x - centre[seg].x) * t,
      y: centre[seg].y + (centre[seg + 1].y - centre[seg].y) * t,
    });
    out.halfWidths.push(halfWidths[seg] + (halfWidths[seg + 1] - halfWidths[seg]) * t);
  }
  return out;
}

function validate(ribbon: Ribbon, name: string): void {
  if (ribbon.centre.length < 2) throw new Error(`stripWarpMap: ${name} centreline needs at least 2 points`);
  if (ribbon.halfWidths.length !== ribbon.centre.length) {
    throw new Error(`stripWarpMap: ${name} has ${ribbon.centre.length} centre points but ${ribbon.halfWidths.length} half-widths`);
  }
  for (let i = 0; i < ribbon.centre.length; i++) {
    const p = ribbon.centre[i];
    const hw = ribbon.halfWidths[i];
    if (!Number.isFinite(p.x) || !Number.isFinite(p.y) || !Number.isFinite(hw) || hw < 0) {
      throw new Error(`stripWarpMap: ${name} vertex ${i} has a non-finite position or a negative half-width`);
    }
  }
}

interface Edges {
  leftX: Float64Array;
  leftY: Float64Array;
  rightX: Float64Array;
  rightY: Float64Array;
}

/**
 * Left/right edge points at each vertex: the centre moved along the vertex normal (the bisector
 * of the adjoining segments' normals, stretched by the mitre factor so the ribbon keeps its width
 * across a bend). "Left" is the side of (−dy, dx) for direction of travel (dx, dy).
 */
function ribbonEdges(ribbon: Ribbon): Edges {
  const { centre, halfWidths } = ribbon;
  const n = centre.length;
  // Segment unit normals; a zero-length segment borrows its neighbour's.
  const snx = new Float64Array(n - 1);
  const sny = new Float64Array(n - 1);
  const valid = new Uint8Array(n - 1);
  for (let s = 0; s < n - 1; s++) {
    const dx = centre[s + 1].x - centre[s].x;
    const dy = centre[s + 1].y - centre[s].y;
    const len = Math.hypot(dx, dy);
    if (len > 1e-9) {
      snx[s] = -dy / len;
      sny[s] = dx / len;
      valid[s] = 1;
    }
  }
  for (let s = 1; s < n - 1; s++) if (!valid[s] && valid[s - 1]) [snx[s], sny[s], valid[s]] = [snx[s - 1], sny[s - 1], 1];
  for (let s = n - 3; s >= 0; s--) if (!valid[s] && valid[s + 1]) [snx[s], sny[s], valid[s]] = [snx[s + 1], sny[s + 1], 1];
  if (!valid[0]) snx.fill(1); // every point coincides: any normal will do (the ribbon has no area)

  const edges: Edges = { leftX: new Float64Array(n), leftY: new Float64Array(n), rightX: new Float64Array(n), rightY: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    let nx: number;
    let ny: number;
    if (i === 0) {
      nx = snx[0];
      ny = sny[0];
    } else if (i === n - 1) {
      nx = snx[n - 2];
      ny = sny[n - 2];
    } else {
      nx = snx[i - 1] + snx[i];
      ny = sny[i - 1] + sny[i];
      const len = Math.hypot(nx, ny);
      if (len < 1e-9) {
        // A full U-turn: the bisector is undefined; use the incoming normal.
        nx = snx[i - 1];
        ny = sny[i - 1];
      } else {
        nx /= len;
        ny /= len;
        // Mitre: cos(half bend angle) = n · segment normal.
        const cosHalf = nx * snx[i] + ny * sny[i];
        const stretch = Math.min(MAX_MITRE, 1 / Math.max(cosHalf, 1e-6));
        nx *= stretch;
        ny *= stretch;
      }
    }
    const h = halfWidths[i];
    edges.leftX[i] = centre[i].x + nx * h;
    edges.leftY[i] = centre[i].y + ny * h;
    edges.rightX[i] = centre[i].x - nx * h;
    edges.rightY[i] = centre[i].y - ny * h;
  }
  return edges;
}

const EDGE_TOLERANCE = 1e-4;

/**
 * Inverse of the bilinear quad a(1−u)(1−v) + b·u(1−v) + c·u·v + d(1−u)v: finds (u, v) in [0, 1]²
 * for pixel (px, py), or returns false when the pixel is outside the quad. Closed form (a
 * quadratic in v), after Iñigo Quílez's "inverse bilinear interpolation".
 */
function inverseBilinear(
  px: number, py: number,
  ax: number, ay: number, bx: number, by: number, cx: number, cy: number, dx: number, dy: number,
  out: { u: number; v: number },
): boolean {
  const ex = bx - ax, ey = by - ay; // along u
  const fx = dx - ax, fy = dy - ay; // along v
  const gx = ax - bx + cx - dx, gy = ay - by + cy - dy; // twist
  const hx = px - ax, hy = py - ay;
  const k2 = gx * fy - gy * fx;
  const k1 = ex * fy - ey * fx + hx * gy - hy * gx;
  const k0 = hx * ey - hy * ex;
  if (Math.abs(k2) < 1e-9 * (Math.abs(k1) + 1e-12)) {
    if (Math.abs(k1) < 1e-12) return false;
    return accept(-k0 / k1, hx, hy, ex, ey, fx, fy, gx, gy, out);
  }
  let disc = k1 * k1 - 4 * k0 * k2;
  if (disc < 0) return false;
  disc = Math.sqrt(disc);
  const inv = 0.5 / k2;
  return accept((-k1 - disc) * inv, hx, hy, ex, ey, fx, fy, gx, gy, out) || accept((-k1 + disc) * inv, hx, hy, ex, ey, fx, fy, gx, gy, out);
}

function accept(
  v: number, hx: number, hy: number, ex: number, ey: number, fx: number, fy: number, gx: number, gy: number,
  out: { u: number; v: number },
): boolean {
  if (!(v >= -EDGE_TOLERANCE && v <= 1 + EDGE_TOLERANCE)) return false;
  // h = e·u + f·v + g·u·v → u = (h − f·v) / (e + g·v); use the better-conditioned component.
  const denX = ex + gx * v;
  const denY = ey + gy * v;
  const u = Math.abs(denX) >= Math.abs(denY) ? (hx - fx * v) / denX : (hy - fy * v) / denY;
  if (!(u >= -EDGE_TOLERANCE && u <= 1 + EDGE_TOLERANCE)) return false;
  out.u = Math.min(1, Math.max(0, u));
  out.v = Math.min(1, Math.max(0, v));
  return true;
}
