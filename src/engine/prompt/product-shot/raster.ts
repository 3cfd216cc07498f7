/**
 * Anti-aliased drawing primitives for the product-shot drawer: polygon coverage, strokes along
 * polylines and discs, each as a coverage map (0..1 per pixel) the size of the shot. Coverage is
 * exact horizontally and sampled on SUB_ROWS rows per pixel vertically, so outlines are smooth
 * (no stair steps when the classic engine cuts the garment out and warps it).
 */

export interface Pt {
  x: number;
  y: number;
}

/** Vertical samples per pixel row of polygon coverage. */
const SUB_ROWS = 4;

export interface Coverage {
  /** The shot's size. */
  width: number;
  height: number;
  /** Where the coverage can be non-zero: columns x0..x1-1, rows y0..y1-1; `data` holds that box only. */
  box: Box;
  /** Row-major over the box: (x1 - x0) × (y1 - y0) values. */
  data: Float32Array;
}

export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export function emptyCoverage(width: number, height: number, box?: Box): Coverage {
  const b = box ?? { x0: 0, y0: 0, x1: width, y1: height };
  return { width, height, box: b, data: new Float32Array(Math.max(0, b.x1 - b.x0) * Math.max(0, b.y1 - b.y0)) };
}

/** The bounding box of the points grown by `pad`, clipped to the image. */
export function boxAround(width: number, height: number, xs: number[], ys: number[], pad: number): Box {
  return {
    x0: Math.max(0, Math.floor(Math.min(...xs) - pad)),
    y0: Math.max(0, Math.floor(Math.min(...ys) - pad)),
    x1: Math.min(width, Math.max(0, Math.ceil(Math.max(...xs) + pad) + 1)),
    y1: Math.min(height, Math.max(0, Math.ceil(Math.max(...ys) + pad) + 1)),
  };
}

/** Coverage at image pixel (x, y): 0 outside its box. */
export function coverageAt(cov: Coverage, x: number, y: number): number {
  const { x0, y0, x1, y1 } = cov.box;
  if (x < x0 || x >= x1 || y < y0 || y >= y1) return 0;
  return cov.data[(y - y0) * (x1 - x0) + x - x0];
}

/** Calls `visit(imageIndex, boxIndex, x, y)` for every pixel of the coverage's box, row by row. */
export function forEachInBox(cov: Coverage, visit: (i: number, j: number, x: number, y: number) => void): void {
  const { x0, y0, x1, y1 } = cov.box;
  const bw = x1 - x0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) visit(y * cov.width + x, (y - y0) * bw + x - x0, x, y);
  }
}

/** Adds the horizontal span [xa, xb) with weight `w` to `row` (fractional ends). */
function addSpan(row: Float32Array, width: number, xa: number, xb: number, w: number): void {
  if (xb <= 0 || xa >= width || xb <= xa) return;
  const a = Math.max(0, xa);
  const b = Math.min(width, xb);
  const ia = Math.floor(a);
  const ib = Math.floor(b);
  if (ia === ib) {
    row[ia] += (b - a) * w;
    return;
  }
  row[ia] += (ia + 1 - a) * w;
  for (let x = ia + 1; x < ib; x++) row[x] += w;
  if (ib < width) row[ib] += (b - ib) * w;
}

/** Coverage of a closed polygon (even-odd). */
export function fillPolygon(width: number, height: number, pts: readonly Pt[]): Coverage {
  const box = boxAround(width, height, pts.map((p) => p.x), pts.map((p) => p.y), 1);
  const out = emptyCoverage(width, height, box);
  if (pts.length < 3) return out;
  const bw = box.x1 - box.x0;
  const row = new Float32Array(bw);
  const xs: number[] = [];
  for (let y = box.y0; y < box.y1; y++) {
    row.fill(0);
    for (let s = 0; s < SUB_ROWS; s++) {
      const sy = y + (s + 0.5) / SUB_ROWS;
      xs.length = 0;
      for (let k = 0; k < pts.length; k++) {
        const a = pts[k];
        const b = pts[(k + 1) % pts.length];
        if ((a.y <= sy && b.y > sy) || (b.y <= sy && a.y > sy)) xs.push(a.x + ((sy - a.y) * (b.x - a.x)) / (b.y - a.y) - box.x0);
      }
      if (xs.length < 2) continue;
      xs.sort((p, q) => p - q);
      for (let k = 0; k + 1 < xs.length; k += 2) addSpan(row, bw, xs[k], xs[k + 1], 1 / SUB_ROWS);
    }
    const base = (y - box.y0) * bw;
    for (let x = 0; x < bw; x++) out.data[base + x] = row[x] > 1 ? 1 : row[x];
  }
  return out;
}

/** Distance from (x, y) to the segment a–b. */
export function segmentDistance(x: number, y: number, a: Pt, b: Pt): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((x - a.x) * dx + (y - a.y) * dy) / len2));
  return Math.hypot(x - a.x - t * dx, y - a.y - t * dy);
}

/**
 * Coverage of a stroke of half-width `radius` along a polyline (a seam, a crease, a drawstring):
 * 1 inside, a one-pixel linear ramp at its edge. `dash` > 0 makes it a stitch line (on/off runs
 * of that length along the line).
 */
export function strokePolyline(width: number, height: number, pts: readonly Pt[], radius: number, dash = 0): Coverage {
  const out = emptyCoverage(width, height, boxAround(width, height, pts.map((p) => p.x), pts.map((p) => p.y), radius + 2));
  let travelled = 0;
  for (let k = 0; k + 1 < pts.length; k++) {
    const a = pts[k];
    const b = pts[k + 1];
    const segLen = Math.hypot(b.x - a.x, b.y - a.y);
    const x0 = Math.max(out.box.x0, Math.floor(Math.min(a.x, b.x) - radius - 1));
    const x1 = Math.min(out.box.x1 - 1, Math.ceil(Math.max(a.x, b.x) + radius + 1));
    const y0 = Math.max(out.box.y0, Math.floor(Math.min(a.y, b.y) - radius - 1));
    const y1 = Math.min(out.box.y1 - 1, Math.ceil(Math.max(a.y, b.y) + radius + 1));
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        const d = segmentDistance(x + 0.5, y + 0.5, a, b);
        let c = Math.max(0, Math.min(1, radius + 0.5 - d));
        if (c <= 0) continue;
        if (dash > 0 && segLen > 0) {
          const t = ((x + 0.5 - a.x) * (b.x - a.x) + (y + 0.5 - a.y) * (b.y - a.y)) / segLen;
          if (Math.floor((travelled + t) / dash) % 2 === 1) c = 0;
        }
        const j = (y - out.box.y0) * (out.box.x1 - out.box.x0) + x - out.box.x0;
        if (c > out.data[j]) out.data[j] = c;
      }
    }
    travelled += segLen;
  }
  return out;
}

/** Coverage of a disc (a button, a rivet, a sequin's glint). */
export function fillDisc(width: number, height: number, cx: number, cy: number, radius: number): Coverage {
  const out = emptyCoverage(width, height, boxAround(width, height, [cx], [cy], radius + 2));
  const x0 = Math.max(out.box.x0, Math.floor(cx - radius - 1));
  const x1 = Math.min(out.box.x1 - 1, Math.ceil(cx + radius + 1));
  const y0 = Math.max(out.box.y0, Math.floor(cy - radius - 1));
  const y1 = Math.min(out.box.y1 - 1, Math.ceil(cy + radius + 1));
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const c = Math.max(0, Math.min(1, radius + 0.5 - Math.hypot(x + 0.5 - cx, y + 0.5 - cy)));
      if (c > 0) out.data[(y - out.box.y0) * (out.box.x1 - out.box.x0) + x - out.box.x0] = c;
    }
  }
  return out;
}

/** Points of a quadratic Bézier a → (control c) → b, `n` segments. */
export function curve(a: Pt, c: Pt, b: Pt, n = 12): Pt[] {
  const out: Pt[] = [];
  for (let k = 0; k <= n; k++) {
    const t = k / n;
    const u = 1 - t;
    out.push({ x: u * u * a.x + 2 * u * t * c.x + t * t * b.x, y: u * u * a.y + 2 * u * t * c.y + t * t * b.y });
  }
  return out;
}

/** Separable box blur of a coverage map, radius r (a soft shadow, ambient occlusion at outlines). */
export function blurCoverage(src: Coverage, r: number): Coverage {
  const { width: w, height: h } = src;
  const radius = Math.max(1, Math.round(r));
  const box = { x0: Math.max(0, src.box.x0 - radius), y0: Math.max(0, src.box.y0 - radius), x1: Math.min(w, src.box.x1 + radius), y1: Math.min(h, src.box.y1 + radius) };
  const out = emptyCoverage(w, h, box);
  const bw = box.x1 - box.x0;
  const bh = box.y1 - box.y0;
  const tmp = new Float32Array(bw * bh);
  const norm = 1 / (2 * radius + 1);
  // Outside its box the source is 0, so a window reaching past the box reads zeros.
  for (let y = box.y0; y < box.y1; y++) {
    let acc = 0;
    for (let x = box.x0 - radius; x <= box.x0 + radius; x++) acc += coverageAt(src, x, y);
    for (let x = box.x0; x < box.x1; x++) {
      tmp[(y - box.y0) * bw + x - box.x0] = acc * norm;
      acc += coverageAt(src, x + radius + 1, y) - coverageAt(src, x - radius, y);
    }
  }
  const at = (x: number, y: number): number => (y < box.y0 || y >= box.y1 ? 0 : tmp[(y - box.y0) * bw + x - box.x0]);
  for (let x = box.x0; x < box.x1; x++) {
    let acc = 0;
    for (let y = box.y0 - radius; y <= box.y0 + radius; y++) acc += at(x, y);
    for (let y = box.y0; y < box.y1; y++) {
      out.data[(y - box.y0) * bw + x - box.x0] = acc * norm;
      acc += at(x, y + radius + 1) - at(x, y - radius);
    }
  }
  return out;
}
