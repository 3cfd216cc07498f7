/**
 * The inside of the back seen through a flat lay's neckline. Photographed flat, a top shows,
 * inside its front neckline, the inner side of its back (and often the brand label). The outline
 * is solid there, so the landmarks cannot see it; worn, that area is the wearer's neck and (for
 * a V-neck) chest. The inside lies in the garment's own shadow: the same fabric, clearly darker
 * than the front beside the neck, in a region hanging from the back neckline between the neck
 * points. Found, it is cut out of the garment so that the person shows through.
 */
import type { Raster } from '../../../imaging/raster.ts';
import type { Point } from '../types.ts';
import { rgbToLab } from '../../../imaging/colour.ts';
import { dilate, labelComponents } from './components.ts';

/** How much darker (CIELAB L) than the front fabric the inside must be. */
const SHADE_L = 6;
/** Largest chroma difference (a*, b*) from the front fabric: the same cloth, not a print. */
const SAME_CLOTH_CHROMA = 12;
/**
 * Smallest depth of the inside below its top, as a share of the neck width: a crew neck's
 * opening is about half as deep as it is wide; a shadow band under the back collar is shallower.
 */
const MIN_DEPTH = 0.38;
/** Smallest inside area, as a share of the neck width squared: a crease is not an opening. */
const MIN_AREA = 0.04;

interface NeckLandmarks {
  neckLeft: Point;
  neckRight: Point;
  shoulderLeft: Point;
  shoulderRight: Point;
}

/** 1 where the garment photo shows the inside of the back through the neckline, or null when none is found. */
export function findNeckOpening(image: Raster, mask: Uint8Array, lm: NeckLandmarks): Uint8Array | null {
  const { width: w, height: h, channels, data } = image;
  const nl = lm.neckLeft.x <= lm.neckRight.x ? lm.neckLeft : lm.neckRight;
  const nr = nl === lm.neckLeft ? lm.neckRight : lm.neckLeft;
  const nw = nr.x - nl.x;
  if (nw < 12) return null;
  const x0 = Math.max(0, Math.round(nl.x + 0.05 * nw));
  const x1 = Math.min(w - 1, Math.round(nr.x - 0.05 * nw));
  const y0 = Math.max(0, Math.round(Math.min(nl.y, nr.y) - 0.1 * nw));
  const y1 = Math.min(h - 1, Math.round(Math.max(nl.y, nr.y) + 1.2 * nw));
  if (x1 <= x0 || y1 <= y0) return null;

  const lab = (p: number): number[] => rgbToLab(data[p * channels], data[p * channels + 1], data[p * channels + 2], [0, 0, 0]) as number[];
  // The front fabric beside the neck, halfway to each shoulder and a little below the seam.
  const samples: number[][] = [];
  for (const [neck, shoulder] of [[nl, lm.shoulderLeft], [nr, lm.shoulderRight]] as const) {
    const cx = (neck.x + shoulder.x) / 2;
    const cy = (neck.y + shoulder.y) / 2 + 0.12 * nw;
    const half = Math.max(2, Math.round(0.05 * nw));
    for (let y = Math.round(cy - half); y <= Math.round(cy + half); y++) {
      for (let x = Math.round(cx - half); x <= Math.round(cx + half); x++) {
        if (x < 0 || y < 0 || x >= w || y >= h || !mask[y * w + x]) continue;
        samples.push(lab(y * w + x));
      }
    }
  }
  if (samples.length < 10) return null;
  const median = (k: number): number => {
    const values = samples.map((s) => s[k]).sort((a, b) => a - b);
    return values[values.length >> 1];
  };
  const front = [median(0), median(1), median(2)];

  const bw = x1 - x0 + 1;
  const bh = y1 - y0 + 1;
  const candidate = new Uint8Array(bw * bh);
  for (let y = 0; y < bh; y++) {
    for (let x = 0; x < bw; x++) {
      const p = (y0 + y) * w + x0 + x;
      if (!mask[p]) continue;
      const [l, a, b] = lab(p);
      if (front[0] - l > SHADE_L && Math.hypot(a - front[1], b - front[2]) < SAME_CLOTH_CHROMA) candidate[y * bw + x] = 1;
    }
  }
  // The inside hangs from the back neckline (near the top of the box) and is centred on the neck.
  const { labels, areas, boxes } = labelComponents(candidate, bw, bh);
  const keep = new Uint8Array(areas.length);
  let kept = 0;
  for (let id = 1; id < areas.length; id++) {
    const [bx0, by0, bx1] = boxes[id];
    const centre = x0 + (bx0 + bx1) / 2;
    if (areas[id] < MIN_AREA * nw * nw || by0 > 0.35 * bh || Math.abs(centre - (nl.x + nr.x) / 2) > 0.3 * nw) continue;
    keep[id] = 1;
    kept++;
  }
  if (kept === 0) return null;
  const region = new Uint8Array(bw * bh);
  let top = bh;
  let bottom = -1;
  for (let i = 0; i < region.length; i++) {
    if (!keep[labels[i]]) continue;
    region[i] = 1;
    const y = Math.floor(i / bw);
    if (y < top) top = y;
    if (y > bottom) bottom = y;
  }
  // An opening is deep; a band of shadow under the back collar (with a white inside or a label
  // below it) is not, and cutting it alone would leave a slot.
  if (bottom - top < MIN_DEPTH * nw) return null;
  fillEnclosed(region, bw, bh);
  // The back collar above the inside sits behind the neck: from the front it is not seen either.
  for (let x = 0; x < bw; x++) {
    let first = -1;
    for (let y = 0; y < bh; y++) if (region[y * bw + x]) { first = y; break; }
    if (first < 0) continue;
    for (let y = 0; y < first; y++) if (mask[(y0 + y) * w + x0 + x]) region[y * bw + x] = 1;
  }
  // Grown by two pixels off the garment: the soft rim of the outline beside it goes too, or a
  // faint line of the back collar would cross the neck. The front below keeps its pixels.
  const grown = dilate(region, bw, bh, 2);
  const out = new Uint8Array(w * h);
  for (let y = 0; y < bh; y++) {
    for (let x = 0; x < bw; x++) {
      const p = (y0 + y) * w + x0 + x;
      if (region[y * bw + x] || (grown[y * bw + x] && !mask[p])) out[p] = 1;
    }
  }
  return out;
}

/** In place: sets the pixels that the outside (the box's border) cannot reach without crossing the region (a label inside it). */
function fillEnclosed(region: Uint8Array, w: number, h: number): void {
  const outside = new Uint8Array(w * h);
  const stack: number[] = [];
  const visit = (p: number): void => {
    if (region[p] || outside[p]) return;
    outside[p] = 1;
    stack.push(p);
  };
  for (let x = 0; x < w; x++) {
    visit(x);
    visit((h - 1) * w + x);
  }
  for (let y = 0; y < h; y++) {
    visit(y * w);
    visit(y * w + w - 1);
  }
  while (stack.length) {
    const p = stack.pop()!;
    const x = p % w;
    if (x > 0) visit(p - 1);
    if (x < w - 1) visit(p + 1);
    if (p >= w) visit(p - w);
    if (p < w * (h - 1)) visit(p + w);
  }
  for (let p = 0; p < region.length; p++) if (!outside[p]) region[p] = 1;
}
