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
import { dilate, erode, labelComponents } from './components.ts';

/** How much darker (CIELAB L) than the front fabric the inside must be. */
const SHADE_L = 6;
/**
 * How much darker (CIELAB L) than the front fabric the inside can be: the same cloth in the
 * garment's own shadow. A black rib on a white tee is a trim (its front neckline's edge), not
 * the inside: taken for it, the inside's ends took the trim down the neckline's sides with them.
 */
const MAX_SHADE_L = 55;
/** Largest chroma difference (a*, b*) from the front fabric: the same cloth, not a print. */
const SAME_CLOTH_CHROMA = 12;
/** Least chroma of a saturated fabric, whose shade keeps its hue but loses chroma with its lightness. */
const SATURATED_CHROMA = 15;
/** Largest hue difference (degrees) of a saturated fabric's shade from the fabric. */
const SAME_HUE_DEGREES = 12;
/** Least share of the fabric's chroma its shade keeps (a navy inside of a royal blue top keeps ~0.7). */
const MIN_SHADE_CHROMA_SHARE = 0.4;

/**
 * Is (a*, b*) the front fabric's colour in shade? Close in chroma, or, for a saturated fabric, of
 * the same hue with no more chroma and not much less: a saturated cloth's shade loses chroma with
 * lightness (a royal blue's inside is navy, 15 units of b* away), which the plain distance refused.
 */
function sameClothInShade(a: number, b: number, front: number[]): boolean {
  if (Math.hypot(a - front[1], b - front[2]) < SAME_CLOTH_CHROMA) return true;
  const frontChroma = Math.hypot(front[1], front[2]);
  const chroma = Math.hypot(a, b);
  if (frontChroma < SATURATED_CHROMA || chroma > frontChroma + SAME_CLOTH_CHROMA / 2 || chroma < MIN_SHADE_CHROMA_SHARE * frontChroma) return false;
  let hue = Math.abs(Math.atan2(b, a) - Math.atan2(front[2], front[1])) * (180 / Math.PI);
  if (hue > 180) hue = 360 - hue;
  return hue < SAME_HUE_DEGREES;
}
/**
 * Smallest depth of the inside below its top, as a share of the neck width: a crew neck's
 * opening is about half as deep as it is wide; a shadow band under the back collar is shallower.
 */
const MIN_DEPTH = 0.38;
/** Narrowest inside, as a share of the neck width. */
const MIN_WIDTH = 0.4;
/** Smallest inside area, as a share of the neck width squared: a crease is not an opening. */
const MIN_AREA = 0.04;
/**
 * How far past each neck point the inside is looked for, as a share of the neck width. The neck
 * points are where the outline's top turns into the shoulders, which on a flat lay often lies
 * inside the front neckline's ends: the inside's shaded ends past them stayed on the garment and
 * showed as grey crescents beside the wearer's neck.
 */
const SIDE_REACH = 0.35;
/** Distance in px within which a shaded component touches the inside found at the neck's middle and is part of it. */
const TOUCHING_PX = 2;

interface NeckLandmarks {
  neckLeft: Point;
  neckRight: Point;
  shoulderLeft: Point;
  shoulderRight: Point;
}

/** The neck points in image order (left, right) and the neck's width between them. */
function neckPoints(lm: NeckLandmarks): { nl: Point; nr: Point; nw: number } {
  const nl = lm.neckLeft.x <= lm.neckRight.x ? lm.neckLeft : lm.neckRight;
  const nr = nl === lm.neckLeft ? lm.neckRight : lm.neckLeft;
  return { nl, nr, nw: nr.x - nl.x };
}

/** First row of column x in [from, to) that is garment in `mask` (w wide), or -1. */
function firstGarmentRow(mask: Uint8Array, w: number, x: number, from: number, to: number): number {
  for (let y = Math.max(0, from); y < to; y++) if (mask[y * w + x]) return y;
  return -1;
}

/**
 * Deepest dip of the outline's top between the neck points, below the lower neck point, as a share
 * of the neck width, for it to be a back neckline seen through the front one. A back neckline is
 * nearly straight across; a camisole's or a tank's top between its straps is the front's own V or
 * scoop, and the "inside" found under it was the whole bodice (cut away, the dress was drawn from
 * the waist down).
 */
const BACK_NECKLINE_MAX_DIP = 0.3;
/** Share of the columns between the neck points dipping deeper than that for the top to be straps with a V between them. */
const BACK_NECKLINE_DEEP_SHARE = 0.3;

/**
 * Whether the outline's top between the neck points is a back neckline (nearly straight across),
 * through which the inside of the back can show; false for straps, whose tops are the neck points
 * with the front's V or scoop between them.
 */
export function backNecklineAcross(mask: Uint8Array, width: number, height: number, lm: NeckLandmarks): boolean {
  const { nl, nr, nw } = neckPoints(lm);
  const lowerEnd = Math.max(nl.y, nr.y);
  const limit = lowerEnd + BACK_NECKLINE_MAX_DIP * nw;
  const top0 = Math.max(0, Math.round(Math.min(nl.y, nr.y)));
  let columns = 0;
  let deep = 0;
  for (let x = Math.max(0, Math.round(nl.x)); x <= Math.min(width - 1, Math.round(nr.x)); x++) {
    const y = firstGarmentRow(mask, width, x, top0, height);
    columns++;
    if (y < 0 || y > limit) deep++;
  }
  // A notch in the back neckline (a white label lost against a white backdrop) is a few columns.
  return deep < BACK_NECKLINE_DEEP_SHARE * columns;
}

/** 1 where the garment photo shows the inside of the back through the neckline, or null when none is found. */
export function findNeckOpening(image: Raster, mask: Uint8Array, lm: NeckLandmarks): Uint8Array | null {
  const { width: w, height: h, channels, data } = image;
  const { nl, nr, nw } = neckPoints(lm);
  if (nw < 12) return null;
  const x0 = Math.max(0, Math.round(nl.x - SIDE_REACH * nw));
  const x1 = Math.min(w - 1, Math.round(nr.x + SIDE_REACH * nw));
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
  // Off the outline's own rim: blended with the backdrop it is darker than the fabric, and along
  // the shoulders it would join the inside to shadows far from the neck.
  const inner = new Uint8Array(bw * bh);
  for (let y = 0; y < bh; y++) for (let x = 0; x < bw; x++) inner[y * bw + x] = mask[(y0 + y) * w + x0 + x] ? 1 : 0;
  const core = erode(inner, bw, bh, 1);
  for (let y = 0; y < bh; y++) {
    for (let x = 0; x < bw; x++) {
      const p = (y0 + y) * w + x0 + x;
      if (!core[y * bw + x]) continue;
      const [l, a, b] = lab(p);
      if (front[0] - l > SHADE_L && front[0] - l < MAX_SHADE_L && sameClothInShade(a, b, front)) candidate[y * bw + x] = 1;
    }
  }
  // The inside hangs from the back neckline (near the top of the box) and is centred on the neck;
  // it is first found between the neck points (its ends past them would join it to the body of a
  // top whose collar is a contrasting band).
  const mx0 = Math.max(0, Math.round(nl.x + 0.05 * nw) - x0);
  const mx1 = Math.min(bw - 1, Math.round(nr.x - 0.05 * nw) - x0);
  const between = candidate.slice();
  for (let y = 0; y < bh; y++) for (let x = 0; x < bw; x++) if (x < mx0 || x > mx1) between[y * bw + x] = 0;
  const { labels, areas, boxes } = labelComponents(between, bw, bh);
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
  let left = bw;
  let right = -1;
  let coreArea = 0;
  for (let i = 0; i < region.length; i++) {
    if (!keep[labels[i]]) continue;
    region[i] = 1;
    coreArea++;
    const y = Math.floor(i / bw);
    const x = i - y * bw;
    if (y < top) top = y;
    if (y > bottom) bottom = y;
    if (x < left) left = x;
    if (x > right) right = x;
  }
  addInsideEnds(region, candidate, bw, bh, mx0, mx1, bottom, coreArea);
  // An opening is deep; a band of shadow under the back collar (with a white inside or a label
  // below it) is not, and cutting it alone would leave a slot. It is also wide: the inside shows
  // across most of the neck, a fold or a crease down the front is a narrow strip.
  if (bottom - top < MIN_DEPTH * nw || right - left < MIN_WIDTH * nw) return null;
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
  const tip = vTip(region, bw, top, bottom, nw, (nl.x + nr.x) / 2 - x0);
  if (tip) {
    const yMax = Math.round(Math.max(nl.y, nr.y) + V_MAX_DEPTH * nw);
    const shadeAt = (p: number): number => front[0] - lab(p)[0];
    // The sides' lines in image coordinates (x = a + b·y, both shifted by the box's corner).
    const inImage = (line: SideLine): SideLine => ({ a: line.a + x0 - line.b * y0, b: line.b });
    fillVTip(out, mask, w, h, { left: inImage(tip.left), right: inImage(tip.right), from: tip.from + y0, to: tip.to + y0 }, yMax, shadeAt);
  }
  return neckOpeningShape(out, mask, w, h, nl, nr) ?? out;
}

/** Deepest V followed past the inside's found end, as a share of the neck width below the neck points: a vest's V reaches about twice as deep as the neck is wide. */
const V_MAX_DEPTH = 3;
/** Narrowest found end of the inside, as a share of the neck width, for it to be a V cut short (a crew neck's inside ends in a curve that narrows to nothing). */
const V_MIN_END_WIDTH = 0.2;
/** Least narrowing of the V (px per row, both sides together) for its sides to meet below. */
const V_MIN_NARROWING = 0.4;
/** Largest rms distance (px) of the found sides from their lines: a V's sides are straight. */
const V_MAX_SIDE_ERROR = 2.5;
/** Least mean shade (CIELAB L below the front fabric) of the V's continuation: still the inside in the garment's shadow, not the front's cloth. */
const V_MIN_SHADE_L = 2;

interface SideLine { a: number; b: number }

/**
 * The V whose sides the inside found (`region`, bw wide, rows top..bottom) follows, when the shade
 * test lost the inside before its tip: the inside deep in a V is in deeper shadow still, darker
 * than the shade looked for, and the opening cut off there ended the painted chest in a straight
 * line across it, with the garment's inside showing below (a vest's V). Lines x = a + b·y for the
 * inside's left and right sides over the lower half of its rows, and the rows from its end to the
 * tip where they meet (`centre`: the neck's middle column, for a side the shade lost). Null when its end is narrow (a rounded neckline's bottom), its sides are
 * not straight or do not close in.
 */
function vTip(region: Uint8Array, bw: number, top: number, bottom: number, nw: number, centre: number): { left: SideLine; right: SideLine; from: number; to: number } | null {
  const fit = (ys: number[], xs: number[]): SideLine & { error: number } => {
    const n = ys.length;
    const my = ys.reduce((s, v) => s + v, 0) / n;
    const mx = xs.reduce((s, v) => s + v, 0) / n;
    let syy = 0;
    let sxy = 0;
    for (let k = 0; k < n; k++) {
      syy += (ys[k] - my) ** 2;
      sxy += (ys[k] - my) * (xs[k] - mx);
    }
    const b = syy > 0 ? sxy / syy : 0;
    const a = mx - b * my;
    let error = 0;
    for (let k = 0; k < n; k++) error += (a + b * ys[k] - xs[k]) ** 2;
    return { a, b, error: Math.sqrt(error / n) };
  };
  const ys: number[] = [];
  const lefts: number[] = [];
  const rights: number[] = [];
  for (let y = Math.round((top + bottom) / 2); y <= bottom; y++) {
    const run = rowExtent(region, bw, y);
    if (!run) continue;
    ys.push(y);
    lefts.push(run[0]);
    rights.push(run[1]);
  }
  if (ys.length < 6 || rights[rights.length - 1] - lefts[lefts.length - 1] < V_MIN_END_WIDTH * nw) return null;
  const fitted = [fit(ys, lefts), fit(ys, rights)];
  // A side closes in when it is straight and leans towards the middle. The shade test often loses
  // one side first (the fabric's light falls across the neckline): that side then runs straight
  // down, and the V is the closing side and its mirror image across the neck's middle.
  const closing = fitted.map((line, k) => line.error <= V_MAX_SIDE_ERROR && (k === 0 ? line.b : -line.b) >= V_MIN_NARROWING / 2);
  if (!closing[0] && !closing[1]) return null;
  const mirrored = (line: SideLine): SideLine => ({ a: 2 * centre - line.a, b: -line.b });
  const left = closing[0] ? fitted[0] : mirrored(fitted[1]);
  const right = closing[1] ? fitted[1] : mirrored(fitted[0]);
  if (left.b - right.b < V_MIN_NARROWING) return null;
  const tipY = (right.a - left.a) / (left.b - right.b);
  if (!(tipY > bottom + 1)) return null;
  return { left: { a: left.a, b: left.b }, right: { a: right.a, b: right.b }, from: bottom + 1, to: Math.floor(tipY) };
}

/**
 * In place: adds to `out` the V between the two side lines from row `from` to its tip (`to`, at
 * most `yMax`), on the garment only, when that continuation is on the whole still in shade
 * (`shadeAt`, L below the front fabric): else the V closed where the inside was lost.
 */
function fillVTip(out: Uint8Array, mask: Uint8Array, w: number, h: number, v: { left: SideLine; right: SideLine; from: number; to: number }, yMax: number, shadeAt: (p: number) => number): void {
  const to = Math.min(v.to, yMax, h - 1);
  const pixels: number[] = [];
  let shade = 0;
  for (let y = v.from; y <= to; y++) {
    const x0 = Math.max(0, Math.ceil(v.left.a + v.left.b * y));
    const x1 = Math.min(w - 1, Math.floor(v.right.a + v.right.b * y));
    for (let x = x0; x <= x1; x++) {
      const p = y * w + x;
      if (!mask[p]) continue;
      pixels.push(p);
      shade += shadeAt(p);
    }
  }
  if (pixels.length === 0 || shade / pixels.length < V_MIN_SHADE_L) return;
  for (const p of pixels) out[p] = 1;
}

/**
 * In place: adds to `region` (the inside found between the neck points, columns mx0..mx1) the
 * shaded pixels past them that touch it: the inside's ends where the neck points lie inside the
 * front neckline. Only what hangs no lower than the inside's middle (`bottom`) and is no larger:
 * a top's body in the same shade below a contrasting collar band reaches further down.
 */
function addInsideEnds(region: Uint8Array, candidate: Uint8Array, bw: number, bh: number, mx0: number, mx1: number, bottom: number, coreArea: number): void {
  const { labels, areas } = labelComponents(candidate, bw, bh);
  const near = dilate(region, bw, bh, TOUCHING_PX);
  const touching = new Uint8Array(areas.length);
  const sideArea = new Float64Array(areas.length);
  const sideTop = new Int32Array(areas.length).fill(bh);
  const sideBottom = new Int32Array(areas.length).fill(-1);
  for (let i = 0; i < labels.length; i++) {
    const id = labels[i];
    if (!id) continue;
    if (near[i]) touching[id] = 1;
    const y = Math.floor(i / bw);
    const x = i - y * bw;
    if (x >= mx0 && x <= mx1) continue;
    sideArea[id]++;
    if (y < sideTop[id]) sideTop[id] = y;
    if (y > sideBottom[id]) sideBottom[id] = y;
  }
  for (let i = 0; i < labels.length; i++) {
    const id = labels[i];
    if (!id || !touching[id] || sideArea[id] === 0 || sideBottom[id] > bottom || sideArea[id] > coreArea || sideTop[id] > 0.35 * bh) continue;
    const x = i % bw;
    if (x < mx0 || x > mx1) region[i] = 1;
  }
}

/** Exponents of the neckline curves tried: 1 a V, 2 a U, higher a scoop with a flat bottom and steep sides. */
const NECKLINE_EXPONENTS = [1, 1.5, 2, 3, 4, 6, 8];
/** Quantile of the found opening's column depths taken as the neckline's depth: its lowest rows, not a label's tail. */
const NECKLINE_DEPTH_QUANTILE = 0.9;

/**
 * The found inside as a neckline: from one end of the neck to the other, everything of the garment
 * above the curve depth·(1 − |t|^k) below the line between the ends (t = −1 … 1 across the neck),
 * with the depth and exponent that best follow the found inside's lowest row per column. The ends
 * are the neck points, or the found inside's own ends where it reaches past them (there the line
 * runs from the outline's top). The shade test finds the clearly shaded core only: cut as found,
 * its box-shaped sides left the inside's lit corners and the back collar's ends beside the
 * wearer's neck as shards, and the flat fill behind it showed as a rectangle. Null when too few
 * columns hold the inside to fit the curve.
 */
function neckOpeningShape(found: Uint8Array, mask: Uint8Array, w: number, h: number, nl: Point, nr: Point): Uint8Array | null {
  const lowestFound = (x: number): number => {
    for (let y = h - 1; y >= 0; y--) if (found[y * w + x] && mask[y * w + x]) return y;
    return -1;
  };
  const outlineTop = (x: number, fallback: number): number => {
    const y = firstGarmentRow(mask, w, x, 0, h);
    return y < 0 ? fallback : y;
  };
  let xFrom = Math.max(0, Math.ceil(nl.x));
  let xTo = Math.min(w - 1, Math.floor(nr.x));
  let left = nl;
  let right = nr;
  for (let x = 0; x < xFrom; x++) {
    if (lowestFound(x) < 0) continue;
    left = { x, y: outlineTop(x, nl.y) };
    xFrom = x;
    break;
  }
  for (let x = w - 1; x > xTo; x--) {
    if (lowestFound(x) < 0) continue;
    right = { x, y: outlineTop(x, nr.y) };
    xTo = x;
    break;
  }
  const nw = right.x - left.x;
  const cx = (left.x + right.x) / 2;
  const lineY = (x: number): number => left.y + ((right.y - left.y) * (x - left.x)) / nw;
  const ts: number[] = [];
  const depths: number[] = [];
  for (let x = xFrom; x <= xTo; x++) {
    const lowest = lowestFound(x);
    if (lowest < 0) continue;
    ts.push((x - cx) / (nw / 2));
    depths.push(Math.max(0, lowest - lineY(x)));
  }
  if (ts.length < 0.3 * nw) return null;
  const sorted = [...depths].sort((a, b) => a - b);
  const depth = sorted[Math.min(sorted.length - 1, Math.floor(NECKLINE_DEPTH_QUANTILE * sorted.length))];
  if (depth <= 0) return null;
  let exponent = 2;
  let bestError = Infinity;
  for (const k of NECKLINE_EXPONENTS) {
    let error = 0;
    for (let i = 0; i < ts.length; i++) error += (depth * (1 - Math.abs(ts[i]) ** k) - depths[i]) ** 2;
    if (error < bestError) {
      bestError = error;
      exponent = k;
    }
  }
  const out = found.slice();
  for (let x = xFrom; x <= xTo; x++) {
    const t = Math.min(1, Math.abs((x - cx) / (nw / 2)));
    const bottom = Math.min(h - 1, Math.floor(lineY(x) + depth * (1 - t ** exponent)));
    for (let y = 0; y <= bottom; y++) if (mask[y * w + x]) out[y * w + x] = 1;
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

/** Deepest front neckline looked for below the back neckline, as a share of the neck width (a crew or a shallow scoop; a V is not looked for). */
const FRONT_MAX_DEPTH = 0.65;
/** Shallowest front neckline that counts, as a share of the neck width: a crew neck's front dips about a third of its width below its back. */
const FRONT_MIN_DEPTH = 0.22;
/** Share of the neck's width at each end where the front neckline rises to the neck points; between them it is at least FRONT_MIN_DEPTH deep. */
const CENTRE_SPAN = 0.3;
/** Rows either side of a pixel compared for the neckline's edge. */
const EDGE_SPAN = 2;
/**
 * Mean colour step (CIELAB ΔE) along the path for it to be a seam the eye sees, not the fabric's
 * grain. A navy or black tee's collar against its inside steps 7-8.
 */
const FRONT_MIN_EDGE = 6.5;
/** Weight of an edge whose lower side is the darker one (a collar's lower rim, a print): the path prefers the inside's edge. */
const UNLIT_WEIGHT = 0.25;
/** Share of the path's dipping part along which the front below is lit at least as well as the inside above. */
const FRONT_MIN_LIT = 0.7;
/**
 * Largest up-and-down travel of the path, as a multiple of the one down-and-up a clean dip makes:
 * a real neckline's path wavers a row or two along a wide neck (1.6-1.8 on product shots); a
 * print's zigzags further.
 */
const MAX_TRAVEL = 2.0;
/**
 * Largest spread of the path's depth over the middle of the neck, as a share of its deepest point:
 * a U's bottom is nearly level there (up to ~0.38 on product shots, where the neckline is seen a
 * little from above), a V's is not.
 */
const MAX_BOTTOM_SPREAD = 0.4;
/** Depth of the band of front fabric under the path whose own edges are compared with it, as a share of the neck width. */
const FABRIC_BAND = 0.15;
/** How sharp the neckline's edge must be against the median of the fabric's strongest edge per column in the band below it. */
const FABRIC_COLUMN_RATIO = 1;
/** How much sharper the neckline's edge must be than the fabric's own edges along the same path moved down (up to FABRIC_BAND). */
const FABRIC_ALONG_RATIO = 1.5;
/** Rows below the outline's top that are its soft rim (blended with the backdrop), not an edge inside the garment. */
const RIM_ROWS = 5;
/** How much darker (CIELAB L) the front below the edge may be than the inside above it and still count fully. */
const SHADOW_TOLERANCE_L = 2;
/** Largest change of the path's row from one column to the next, in pixels. */
const PATH_STEP = 2;

/**
 * The inside of the back by the front neckline's edge: where the inside is lit like the front
 * (a white tee, a label across it) the shade test finds nothing, but the front collar still
 * draws a line across the garment. That line runs from one neck point to the other and dips
 * below the back neckline in between; the strongest such line (dynamic programming over the
 * rows below the outline's top, one row per column, moving at most PATH_STEP rows per column) is
 * taken when it is deep enough and sharp enough, and everything above it between the neck points
 * is the inside (and the back collar, which the neck hides too).
 */
export function findFrontNeckline(image: Raster, mask: Uint8Array, lm: NeckLandmarks): Uint8Array | null {
  const { width: w, height: h, channels, data } = image;
  const { nl, nr, nw } = neckPoints(lm);
  if (nw < 16) return null;
  const x0 = Math.max(1, Math.round(nl.x));
  const x1 = Math.min(w - 2, Math.round(nr.x));
  const cols = x1 - x0 + 1;
  const depthMax = Math.round(FRONT_MAX_DEPTH * nw);
  const searchTop = Math.max(0, Math.round(Math.min(nl.y, nr.y) - 0.3 * nw));
  // The outline's top per column: the back neckline (or the collar's top).
  const top = new Int32Array(cols).fill(-1);
  for (let c = 0; c < cols; c++) {
    top[c] = firstGarmentRow(mask, w, x0 + c, searchTop, Math.min(h, searchTop + depthMax + nw));
    if (top[c] < 0) return null;
  }
  const lab = (x: number, y: number, out: number[]): void => {
    const p = (Math.max(0, Math.min(h - 1, y)) * w + x) * channels;
    rgbToLab(data[p], data[p + 1], data[p + 2], out);
  };
  // Edge strength at (column, depth below that column's top).
  const edge = new Float32Array(cols * (depthMax + 1));
  const litBelow = new Uint8Array(cols * (depthMax + 1));
  const above = [0, 0, 0];
  const below = [0, 0, 0];
  for (let c = 0; c < cols; c++) {
    for (let d = RIM_ROWS; d <= depthMax; d++) {
      const y = top[c] + d;
      if (y + EDGE_SPAN >= h || !mask[(y + EDGE_SPAN) * w + x0 + c]) continue;
      lab(x0 + c, y - EDGE_SPAN, above);
      lab(x0 + c, y + EDGE_SPAN, below);
      const step = Math.hypot(below[0] - above[0], below[1] - above[1], below[2] - above[2]);
      // The inside lies in the garment's shadow: the front below its edge is lit at least as well.
      const lit = below[0] >= above[0] - SHADOW_TOLERANCE_L;
      litBelow[c * (depthMax + 1) + d] = lit ? 1 : 0;
      edge[c * (depthMax + 1) + d] = lit ? step : step * UNLIT_WEIGHT;
    }
  }
  // Best path through a point at least FRONT_MIN_DEPTH deep in the middle column: the back
  // collar's own lower edge is a shallower U, often as sharp, and the outline's rim is shallower still.
  const stride = depthMax + 1;
  // Over the middle of the neck (between CENTRE_SPAN of its width from each end) the path stays that deep.
  const minDepth = Math.ceil(FRONT_MIN_DEPTH * nw);
  const deepFrom = Math.floor(cols * CENTRE_SPAN);
  const deepTo = Math.ceil(cols * (1 - CENTRE_SPAN));
  const sweep = (order: number[]): { score: Float32Array; from: Int16Array } => {
    const score = new Float32Array(cols * stride).fill(-Infinity);
    const from = new Int16Array(cols * stride);
    score[order[0] * stride] = 0;
    for (let k = 1; k < order.length; k++) {
      const c = order[k];
      const p = order[k - 1];
      for (let d = 0; d <= depthMax; d++) {
        if (c >= deepFrom && c <= deepTo && d < minDepth) continue;
        let best = -Infinity;
        let arg = 0;
        for (let s = -PATH_STEP; s <= PATH_STEP; s++) {
          const prev = d + s;
          if (prev < 0 || prev > depthMax) continue;
          const v = score[p * stride + prev];
          if (v > best) {
            best = v;
            arg = prev;
          }
        }
        score[c * stride + d] = best + edge[c * stride + d];
        from[c * stride + d] = arg;
      }
    }
    return { score, from };
  };
  const columns = Array.from({ length: cols }, (_, c) => c);
  const forward = sweep(columns);
  const backward = sweep(columns.slice().reverse());
  const middle = cols >> 1;
  let bestDepth = -1;
  let best = -Infinity;
  for (let d = minDepth; d <= depthMax; d++) {
    const v = forward.score[middle * stride + d] + backward.score[middle * stride + d] - edge[middle * stride + d];
    if (v > best) {
      best = v;
      bestDepth = d;
    }
  }
  if (bestDepth < 0 || !Number.isFinite(best)) return null;
  const path = new Int32Array(cols);
  path[middle] = bestDepth;
  for (let c = middle; c > 0; c--) path[c - 1] = forward.from[c * stride + path[c]];
  for (let c = middle; c < cols - 1; c++) path[c + 1] = backward.from[c * stride + path[c]];
  // Sharp and lit below along most of its dipping part (its ends run along the outline, where
  // nothing is measured): a median, because a print's letters or a flower's outline crossed by
  // the path are strong but few.
  const steps: number[] = [];
  let lit = 0;
  for (let c = 0; c < cols; c++) {
    if (path[c] < RIM_ROWS) continue;
    const k = c * stride + path[c];
    steps.push(litBelow[k] ? edge[k] : edge[k] / UNLIT_WEIGHT);
    lit += litBelow[k];
  }
  if (steps.length < cols * 0.5) return null;
  // A neckline is one smooth dip: down to its lowest point and up again. A path through a print
  // zigzags from one of its edges to the next.
  let travel = 0;
  let deepest = 0;
  for (let c = 0; c < cols; c++) {
    deepest = Math.max(deepest, path[c]);
    if (c > 0) travel += Math.abs(path[c] - path[c - 1]);
  }
  if (travel > MAX_TRAVEL * 2 * deepest) return null;
  // Round at the bottom like a crew neck (a V's point here is more often a print's edge). Measured
  // below the outline's top, and below the line between the neck points: a scoop's back neckline
  // dips with the front, and below it alone the front's level bottom looked as narrow as a V's.
  const lineY = (c: number): number => nl.y + ((nr.y - nl.y) * (x0 + c - nl.x)) / Math.max(1, nr.x - nl.x);
  const bottomSpread = (depthAt: (c: number) => number): number => {
    let lowest = 0;
    for (let c = 0; c < cols; c++) lowest = Math.max(lowest, depthAt(c));
    let highest = lowest;
    for (let c = deepFrom; c <= deepTo && c < cols; c++) highest = Math.min(highest, depthAt(c));
    return lowest > 0 ? (lowest - highest) / lowest : 1;
  };
  if (Math.min(bottomSpread((c) => path[c]), bottomSpread((c) => top[c] + path[c] - lineY(c))) > MAX_BOTTOM_SPREAD) return null;
  steps.sort((a, b) => a - b);
  const pathEdge = steps[steps.length >> 1];
  if (pathEdge < FRONT_MIN_EDGE || lit < FRONT_MIN_LIT * steps.length) return null;
  // The collar's edge stands out from the fabric below it. Horizontal stripes (or a print right
  // under the collar) have edges as strong, and as lit below, a little further down, and the path
  // is one of them. (A ringer collar's own lower rim is the other way round: pale above, darker below.)
  // Two measures of the fabric's edges in the band below: each column's strongest (at least as
  // strong as the path: a stripe's edges are), and the path moved down, measured as the path is
  // (a median along it; clearly sharper: a print's). A slub or heather knit's grain has edges
  // per column as strong as its collar's seam, but no line of them runs along the neckline.
  const band = Math.max(2, Math.round(FABRIC_BAND * nw));
  const strongest: number[] = [];
  for (let c = 0; c < cols; c++) {
    if (path[c] < RIM_ROWS) continue;
    let most = 0;
    for (let d = path[c] + 2 * EDGE_SPAN + 1; d <= Math.min(depthMax, path[c] + 2 * EDGE_SPAN + band); d++) {
      if (litBelow[c * stride + d]) most = Math.max(most, edge[c * stride + d]);
    }
    strongest.push(most);
  }
  strongest.sort((a, b) => a - b);
  if (pathEdge < FABRIC_COLUMN_RATIO * strongest[strongest.length >> 1]) return null;
  let alongEdge = 0;
  const along: number[] = [];
  for (let shift = 2 * EDGE_SPAN + 1; shift <= band; shift++) {
    along.length = 0;
    for (let c = 0; c < cols; c++) {
      if (path[c] < RIM_ROWS) continue;
      const d = path[c] + shift;
      along.push(d <= depthMax && litBelow[c * stride + d] ? edge[c * stride + d] : 0);
    }
    along.sort((a, b) => a - b);
    alongEdge = Math.max(alongEdge, along[along.length >> 1]);
  }
  if (pathEdge < FABRIC_ALONG_RATIO * alongEdge) return null;
  const out = new Uint8Array(w * h);
  for (let c = 0; c < cols; c++) {
    for (let y = Math.max(0, top[c] - 2); y < top[c] + path[c]; y++) out[y * w + x0 + c] = 1;
  }
  // As a neckline's curve: where the path took the back collar's own edge for a few columns
  // before dropping to the front's, it left a notch of the back standing beside the neck.
  return neckOpeningShape(out, mask, w, h, nl, nr) ?? out;
}

/**
 * Depth of the crew neck assumed where no front neckline is seen, below the line between the neck
 * points, as a share of the neck width. The openings the two detectors above find on crew-necked
 * product shots measure 0.30-0.62 (median ~0.45); a little shallower, an unseen deeper scoop keeps
 * a strip of its inside rather than a shallow one losing front fabric.
 */
const ASSUMED_CREW_DEPTH = 0.25;
/** Narrowest neck, as a share of the shoulder width, that is a crew neck's (a turtleneck's or a ruffle collar's top measures 0.15-0.27, tees 0.3-0.7). */
const ASSUMED_CREW_MIN_NECK = 0.28;
/** Widest (a camisole's or a strapless top's "neck points" are its top corners, 0.85 and more). */
const ASSUMED_CREW_MAX_NECK = 0.75;
/**
 * Least drop of each shoulder point below its neck point, as a share of the neck width: a tee's
 * shoulders slope away from its neck (0.1-0.7), an off-shoulder or a one-shoulder top's top edge
 * runs level (0-0.06), and has no inside to show.
 */
const ASSUMED_CREW_MIN_DROP = 0.08;
/** Depth below the neck points, as a share of the neck width, at which the outline's spread past them is read... */
const COLLAR_SIDE_PROBE = 0.15;
/**
 * ...and the least mean spread there, as a share of the neck width: past a crew neck's points the
 * outline already slopes out to the shoulders (0.3-0.7); a band collar's or a turtleneck's sides
 * run straight down (0.19-0.29), and cut, the collar would be lost.
 */
const ASSUMED_CREW_MIN_SPREAD = 0.3;
/** ...and the most: further out, the top runs level past the "neck points" (an off-shoulder top's, 1.2 and more). */
const ASSUMED_CREW_MAX_SPREAD = 1.0;

/** A crew neck's drop below its neck points at `t` of its half-width from its middle (-1..1), for a `depth` at the middle: a half ellipse. */
function crewNeckDrop(t: number, depth: number): number {
  return depth * Math.sqrt(Math.max(0, 1 - t * t));
}

/** How far the outline reaches past a neck point (dir -1 to the left, +1 to the right) on row y, in px, or -1 when that row is off the garment there. */
function spreadPast(mask: Uint8Array, w: number, h: number, neck: Point, dir: number, y: number): number {
  const row = Math.round(y);
  let x = Math.round(neck.x);
  if (row < 0 || row >= h || x < 0 || x >= w || !mask[row * w + x]) return -1;
  while (x + dir >= 0 && x + dir < w && mask[row * w + x + dir]) x += dir;
  return dir * (x - neck.x);
}

/**
 * The inside of the back assumed where neither detector sees it: a crew neck's opening (a half
 * ellipse ASSUMED_CREW_DEPTH deep, hanging from the line between the neck points) on a top whose
 * outline is a crew-necked tee's. A black tee's inside is no darker than its front, and a white
 * tee's collar seam on white is fainter than its grain, yet their insides and labels are there to
 * see and were drawn on the wearer's throat. Not for a collar standing up from the neck points
 * (turtleneck, band collar), a level top edge (off-shoulder, one-shoulder) or straps; null then.
 */
export function assumedCrewOpening(mask: Uint8Array, width: number, height: number, lm: NeckLandmarks): Uint8Array | null {
  const { nl, nr, nw } = neckPoints(lm);
  if (nw < 12) return null;
  const sl = lm.shoulderLeft.x <= lm.shoulderRight.x ? lm.shoulderLeft : lm.shoulderRight;
  const sr = sl === lm.shoulderLeft ? lm.shoulderRight : lm.shoulderLeft;
  const sw = sr.x - sl.x;
  if (sw <= 0 || nw < ASSUMED_CREW_MIN_NECK * sw || nw > ASSUMED_CREW_MAX_NECK * sw) return null;
  if (sl.y - nl.y < ASSUMED_CREW_MIN_DROP * nw || sr.y - nr.y < ASSUMED_CREW_MIN_DROP * nw) return null;
  const left = spreadPast(mask, width, height, nl, -1, nl.y + COLLAR_SIDE_PROBE * nw);
  const right = spreadPast(mask, width, height, nr, 1, nr.y + COLLAR_SIDE_PROBE * nw);
  if (left < 0 || right < 0) return null;
  const spread = (left + right) / 2 / nw;
  if (spread < ASSUMED_CREW_MIN_SPREAD || spread > ASSUMED_CREW_MAX_SPREAD) return null;
  const out = new Uint8Array(width * height);
  const cx = (nl.x + nr.x) / 2;
  const half = nw / 2;
  for (let x = Math.max(0, Math.ceil(nl.x)); x <= Math.min(width - 1, Math.floor(nr.x)); x++) {
    const t = (x - cx) / half;
    const lineY = nl.y + ((nr.y - nl.y) * (x - nl.x)) / nw;
    const bottom = Math.min(height - 1, Math.round(lineY + crewNeckDrop(t, ASSUMED_CREW_DEPTH * nw)));
    const top = firstGarmentRow(mask, width, x, Math.max(0, Math.round(Math.min(nl.y, nr.y) - 0.3 * nw)), bottom + 1);
    if (top < 0) continue;
    for (let y = Math.max(0, top - 2); y <= bottom; y++) out[y * width + x] = 1;
  }
  return out;
}

/**
 * Depth below the neck points, as a share of the neck width, past which an opening is more than a
 * neckline unless it narrows to a V's point: a crew or scoop neck measures 0.3-0.8, a vest's or a
 * cardigan's V 1-2, and what else reaches that deep is a front that closes when worn (a tie-front
 * blouse's slit, a polo's placket) or not an opening at all (a pussy bow, a puffer's stand collar).
 */
const DEEPEST_ROUND_OPENING = 0.85;
/** Width at 90 % of the opening's depth, as a share of its widest row in its upper half, below which it narrows to a V's point (V-necks 0.04-0.43, the others 0.56-0.94). */
const V_POINT_WIDTH = 0.5;
/** Depth (share of the neck width) to which a deep opening that is no V is cut back: a crew neck's. */
const CUT_BACK_DEPTH = 0.5;

/** The lowest row of an opening (-1: empty). */
export function openingBottom(opening: Uint8Array, width: number): number {
  for (let p = opening.length - 1; p >= 0; p--) if (opening[p]) return Math.floor(p / width);
  return -1;
}

/**
 * The opening as a neckline: one deeper than DEEPEST_ROUND_OPENING that does not narrow to a V's
 * point is cut back to a crew neck's U hanging from the neck points; any other is returned as it
 * is. Worn, the rest is the garment's front: cut out, it stood as a strip of painted skin down a
 * blouse, a square hole under a bow or a polo's lost collar.
 */
export function withinNeckline(opening: Uint8Array, width: number, height: number, lm: NeckLandmarks): Uint8Array {
  const { nl, nr, nw } = neckPoints(lm);
  if (nw < 12) return opening;
  const lineY = (nl.y + nr.y) / 2;
  const bottom = openingBottom(opening, width);
  const depth = bottom - lineY;
  if (depth <= DEEPEST_ROUND_OPENING * nw) return opening;
  const rowWidth = (y: number): number => {
    const row = Math.min(height - 1, Math.max(0, Math.round(y)));
    let count = 0;
    for (let x = 0; x < width; x++) count += opening[row * width + x] ? 1 : 0;
    return count;
  };
  let widest = 0;
  for (let y = Math.max(0, Math.round(lineY)); y <= lineY + depth / 2; y++) widest = Math.max(widest, rowWidth(y));
  if (rowWidth(lineY + 0.9 * depth) < V_POINT_WIDTH * widest) return opening;
  const cx = (nl.x + nr.x) / 2;
  const half = Math.max(nw, widest) / 2;
  const out = opening.slice();
  for (let y = Math.max(0, Math.floor(lineY)); y <= bottom; y++) {
    for (let x = 0; x < width; x++) {
      const p = y * width + x;
      if (!out[p]) continue;
      const t = (x - cx) / half;
      if (y > lineY + crewNeckDrop(t, CUT_BACK_DEPTH * nw)) out[p] = 0;
    }
  }
  return out;
}

/** The first and last set column of row y of a mask `width` wide, or null when the row is empty. */
function rowExtent(mask: Uint8Array, width: number, y: number): [number, number] | null {
  let first = -1;
  let last = -1;
  for (let x = 0; x < width; x++) {
    if (!mask[y * width + x]) continue;
    if (first < 0) first = x;
    last = x;
  }
  return first < 0 ? null : [first, last];
}

/** Rows down the neck opening, as shares of its depth below its corners, at which its sides are given with its corners (see openingCorners). */
const OPENING_SIDE_ROWS = [0.25, 0.5, 0.75];

/** Where a neck opening meets the garment's top edge, left and right, its sides further down, and the lowest point of its front neckline. */
export interface OpeningCorners {
  left: Point;
  right: Point;
  /** The opening's left and right edge at each of OPENING_SIDE_ROWS. */
  sides: { left: Point; right: Point }[];
  bottom: Point;
}

/**
 * The neck opening's outer corners (its leftmost and rightmost columns, at their top row), its
 * sides at OPENING_SIDE_ROWS of its depth, and the middle of its lowest row: the neckline's width
 * and depth as the wearer shows them. The outline's neck points can lie inside the opening (on a
 * ghost mannequin's back collar).
 */
export function openingCorners(opening: { width: number; height: number; data: Uint8Array }): OpeningCorners | null {
  const { width, height, data } = opening;
  let left: Point | null = null;
  let right: Point | null = null;
  let bottomY = -1;
  for (let y = 0; y < height; y++) {
    const run = rowExtent(data, width, y);
    if (!run) continue;
    if (!left || run[0] < left.x) left = { x: run[0], y };
    if (!right || run[1] > right.x) right = { x: run[1], y };
    bottomY = y;
  }
  if (!left || !right) return null;
  const rowSpan = (y: number): { left: Point; right: Point; middle: number } | null => {
    const run = rowExtent(data, width, y);
    return run ? { left: { x: run[0], y }, right: { x: run[1], y }, middle: (run[0] + run[1]) / 2 } : null;
  };
  const top = (left.y + right.y) / 2;
  const sides: { left: Point; right: Point }[] = [];
  for (const share of OPENING_SIDE_ROWS) {
    const span = rowSpan(Math.round(top + share * (bottomY - top)));
    if (span) sides.push({ left: span.left, right: span.right });
  }
  const lowest = rowSpan(bottomY);
  return { left, right, sides, bottom: { x: lowest ? lowest.middle : (left.x + right.x) / 2, y: bottomY } };
}
