/**
 * Where the old garment is, as the repaint region needs it: the parsing's garment labels, cleaned
 * of the thin rims that parsing leaves along other parts' outlines (a band around the face that is
 * not face, hair or neck), and grown over the garment's own outline, which the labels stop short
 * of (the darker double layer at a sheer sleeve's edge, the blurred rim of a black tee on a white
 * backdrop). A pixel left out there survives the repaint as a ghost outline of the old garment.
 */
import { createMask, type Mask, type Raster } from '../../../imaging/raster.ts';
import { dilate, erode } from '../garment/components.ts';
import { boundingRect } from '../person/grid.ts';

export interface GarmentRegionOptions {
  /** Rows above this are never old garment (the chin: no top or dress rises above it)... */
  ceilingY?: number;
  /**
   * ...except where this says a point (image px) lies on a raised arm: its sleeve rises with it
   * above the chin (a hand on the head), and cut off at the ceiling the old sleeve stayed on the
   * forearm above a new short sleeve. Only labelled pixels there; nothing grows above the ceiling.
   */
  raisedArm?: (x: number, y: number) => boolean;
  /** How far (px) the region may grow over pixels that look like the garment. */
  growth?: number;
  /** Structures thinner than about twice this (px) are parsing rims, not garment. */
  rim?: number;
  /**
   * The person (≥ 128): growth stays on it, because a pale garment and a pale backdrop look alike
   * and the backdrop beside a white top is not its outline.
   */
  person?: Mask;
  /**
   * How far (px) the region may extend off `person` over pixels that are not the backdrop: the
   * person mask stops short of a white sleeve or a white scalloped hem on a pale backdrop, and
   * what it left out survived the repaint as the old garment's white edge beside the new one.
   * Off the person only pixels that stand out from the backdrop's local colour (its level and
   * spread, sampled farther out) join, and none within the reach of `guard`.
   * 0 (the default): no growth off the person (nor without `person` or without growth).
   */
  offPersonReach?: number;
  /**
   * Parts the growth off the person keeps its reach away from (≥ 128: hair, face, hands): beside
   * them an off-person pixel that stands out from the backdrop may be a strand of hair or a finger
   * the person mask missed (a multicoloured garment's colour says nothing against it).
   */
  guard?: Mask;
}

/** Cell size (px) of the grid on which the garment's and the surroundings' colours are averaged. */
const CELL = 8;
/**
 * Cells each way, past the off-person reach, over which the backdrop's local colour and spread
 * are averaged: its samples lie beyond the reach, and each pixel to decide needs some near it.
 */
const BACKDROP_CELLS = 3;
/**
 * Least difference (8-bit levels, in some channel) from the backdrop's local mean for an
 * off-person pixel to be no backdrop: a plain studio backdrop varies by a level or two, a white
 * sleeve's shaded fold on it by ten or more.
 */
const BACKDROP_MIN_DEPARTURE = 8;
/** ...or this many of the backdrop's local standard deviations, when more: a textured backdrop is never grown over. */
const BACKDROP_SPREAD_FACTOR = 3;

/**
 * Mean colour per cell over the (2·reach+1)² cells around it, from per-cell sums (R, G, B,
 * count); NaN where no pixel of the class is near. The window sums come from a summed-area table
 * of the cells (exact: the sums are whole numbers), so a wide window costs no more than a narrow one.
 */
function cellMeans(sums: Float64Array, gw: number, gh: number, reach: number): Float32Array {
  const out = new Float32Array(gw * gh * 3);
  // table[(y·(gw+1) + x)·4 + c]: the sum of channel c over the cells above and left of (x, y).
  const tw = gw + 1;
  const table = new Float64Array(tw * (gh + 1) * 4);
  for (let y = 0; y < gh; y++) {
    for (let x = 0; x < gw; x++) {
      const k = (y * gw + x) * 4;
      const t = ((y + 1) * tw + x + 1) * 4;
      for (let c = 0; c < 4; c++) table[t + c] = sums[k + c] + table[t - 4 + c] + table[t - tw * 4 + c] - table[t - tw * 4 - 4 + c];
    }
  }
  for (let gy = 0; gy < gh; gy++) {
    const ya = Math.max(0, gy - reach) * tw;
    const yb = (Math.min(gh - 1, gy + reach) + 1) * tw;
    for (let gx = 0; gx < gw; gx++) {
      const xa = Math.max(0, gx - reach);
      const xb = Math.min(gw - 1, gx + reach) + 1;
      // The window's sum of channel c: table at its four corners (no closure made per cell).
      const a = (yb + xb) * 4, b = (ya + xb) * 4, d = (yb + xa) * 4, e = (ya + xa) * 4;
      const n = table[a + 3] - table[b + 3] - table[d + 3] + table[e + 3];
      const o = (gy * gw + gx) * 3;
      for (let c = 0; c < 3; c++) out[o + c] = n > 0 ? (table[a + c] - table[b + c] - table[d + c] + table[e + c]) / n : NaN;
    }
  }
  return out;
}


export function oldGarmentRegion(labelled: Mask, image: Raster, options: GarmentRegionOptions = {}): Mask {
  // Everything happens near the labelled garment: work on its bounding box, grown by the reach of
  // the growth and the colour averages.
  const { width, height } = labelled;
  const out = createMask(width, height);
  const offReach = Math.max(0, Math.round(options.offPersonReach ?? 0));
  const margin = (options.growth ?? 6) + (options.rim ?? 2) + 3 * CELL + (offReach > 0 ? offReach + backdropCells(offReach) * CELL : 0);
  const box = boundingRect(labelled.data, width, height, margin, (v) => v >= 128);
  if (!box) return out;
  const { x0, y0 } = box;
  const cw = box.x1 - x0;
  const ch = box.y1 - y0;
  // (Plain objects of one shape each, not spreads of the caller's: regionInCrop's optimised code
  // stays valid from one call to the next. The options literal names every field, which the
  // `satisfies` below enforces: a field added to GarmentRegionOptions must be passed on here.)
  const cropData = (src: Uint8Array, channels: number): Uint8Array => {
    const data = new Uint8Array(cw * ch * channels);
    for (let y = 0; y < ch; y++) data.set(src.subarray(((y0 + y) * width + x0) * channels, ((y0 + y) * width + x0 + cw) * channels), y * cw * channels);
    return data;
  };
  const crop = (src: Mask): Mask => ({ width: cw, height: ch, data: cropData(src.data, 1) });
  const raisedArm = options.raisedArm;
  const region = regionInCrop(crop(labelled), { width: cw, height: ch, channels: image.channels, data: cropData(image.data, image.channels) }, {
    ceilingY: options.ceilingY === undefined ? undefined : options.ceilingY - y0,
    raisedArm: raisedArm && ((x: number, y: number) => raisedArm(x + x0, y + y0)),
    growth: options.growth,
    rim: options.rim,
    person: options.person && crop(options.person),
    offPersonReach: options.offPersonReach,
    guard: options.guard && crop(options.guard),
  } satisfies { [K in keyof Required<GarmentRegionOptions>]: GarmentRegionOptions[K] });
  for (let y = 0; y < ch; y++) out.data.set(region.data.subarray(y * cw, (y + 1) * cw), (y0 + y) * width + x0);
  return out;
}

function regionInCrop(labelled: Mask, image: Raster, options: GarmentRegionOptions): Mask {
  const { width: w, height: h } = labelled;
  const rim = options.rim ?? 2;
  const growth = options.growth ?? 6;
  const person = options.person;
  const labels = onesAtLeast(labelled.data, 128);
  // Opening with a (2·rim+1)² square: rims thinner than that vanish. It also rounds off a
  // garment's thin tips (a strap's end): keep labelled pixels next to what survived, drop only
  // the rims that lost all their body.
  const near = rim > 0 ? dilate(dilate(erode(labels, w, h, rim), w, h, rim), w, h, rim + 1) : labels;
  const region = createMask(w, h);
  const ceiling = Math.max(0, Math.floor(options.ceilingY ?? 0));
  keepBoth(region.data, labels, near, ceiling * w);
  const raisedArm = options.raisedArm;
  if (raisedArm) {
    for (let y = 0; y < Math.min(ceiling, h); y++) {
      for (let x = 0, i = y * w; x < w; x++, i++) if (labels[i] && near[i] && raisedArm(x, y)) region.data[i] = 255;
    }
  }
  if (growth <= 0) return region;

  // Local mean colour of the garment and of everything else around it (beyond the growth band),
  // each averaged only over its own pixels, on a grid of cells (a few cells across: the garment's
  // colour beside a band pixel, not the whole garment's); a band pixel joins when it is nearer
  // the garment's.
  const inRegion = onesAtLeast(region.data, 1);
  const band = dilate(inRegion, w, h, growth);
  const gw = Math.ceil(w / CELL);
  const gh = Math.ceil(h / CELL);
  const garmentSum = new Float64Array(gw * gh * 4);
  const otherSum = new Float64Array(gw * gh * 4);
  garmentAndOtherSums(image.data, image.channels, w, h, inRegion, band, garmentSum, otherSum);
  const garmentMean = cellMeans(garmentSum, gw, gh, 1);
  const otherMean = cellMeans(otherSum, gw, gh, 2);
  const looksLikeGarment = (i: number): boolean => {
    const x = i % w;
    const k = (Math.floor((i - x) / w / CELL) * gw + Math.floor(x / CELL)) * 3;
    if (Number.isNaN(garmentMean[k]) || Number.isNaN(otherMean[k])) return false;
    let toGarment = 0;
    let toOther = 0;
    for (let c = 0; c < 3; c++) {
      const v = image.data[i * image.channels + c];
      toGarment += (v - garmentMean[k + c]) ** 2;
      toOther += (v - otherMean[k + c]) ** 2;
    }
    return toGarment < toOther;
  };
  // Breadth-first from the region's edge, through look-alike pixels only, `growth` steps deep.
  growFromEdge(region, ceiling, growth, (q) => !(person && person.data[q] < 128) && looksLikeGarment(q));
  const reach = Math.round(options.offPersonReach ?? 0);
  if (person && reach > 0) growOffPerson(region, image, { person, guard: options.guard }, reach, ceiling);
  return region;
}

// The whole-crop loops below are small functions of their own: inside regionInCrop (a large
// function) V8 ran them unoptimised, at 20+ ns a pixel, on every pair until an on-stack-replacement
// compile of the whole function finished; a small function is optimised at once. Same arithmetic.

/** 1 where `data` is at least `threshold`, else 0. */
function onesAtLeast(data: Uint8Array, threshold: number): Uint8Array {
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = data[i] >= threshold ? 1 : 0;
  return out;
}

/** In place, from index `from` on: `out` is 255 where both `a` and `b` are non-zero, else 0. */
function keepBoth(out: Uint8Array, a: Uint8Array, b: Uint8Array, from: number): void {
  for (let i = from; i < out.length; i++) out[i] = a[i] && b[i] ? 255 : 0;
}

/**
 * Adds to the per-cell sums (R, G, B, count) the pixels of `pixels` (`channels` a pixel, w × h):
 * those in `inRegion` to `garmentSum`, those in neither it nor `band` to `otherSum`.
 */
function garmentAndOtherSums(
  pixels: Uint8Array, channels: number, w: number, h: number, inRegion: Uint8Array, band: Uint8Array, garmentSum: Float64Array, otherSum: Float64Array,
): void {
  const gw = Math.ceil(w / CELL);
  for (let y = 0; y < h; y++) {
    const cellRow = ((y / CELL) | 0) * gw;
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const k = (cellRow + ((x / CELL) | 0)) * 4;
      const p = i * channels;
      if (inRegion[i]) {
        garmentSum[k] += pixels[p];
        garmentSum[k + 1] += pixels[p + 1];
        garmentSum[k + 2] += pixels[p + 2];
        garmentSum[k + 3] += 1;
      } else if (!band[i]) {
        otherSum[k] += pixels[p];
        otherSum[k + 1] += pixels[p + 1];
        otherSum[k + 2] += pixels[p + 2];
        otherSum[k + 3] += 1;
      }
    }
  }
}

/** Cells each way over which the backdrop is averaged for an off-person reach of `reach` px (BACKDROP_CELLS past it). */
function backdropCells(reach: number): number {
  return Math.ceil((reach + 1) / CELL) + BACKDROP_CELLS;
}

/**
 * Per-cell sums (R, G, B, count) and sums of squares (R², G², B², count) of the off-person pixels
 * (`person` < 128) not `near` (non-zero). (Arrays, not a predicate: a call per pixel cost more than the sums.)
 */
function cellSums(image: Raster, gw: number, person: Uint8Array, near: Uint8Array): { sums: Float64Array; squares: Float64Array } {
  const { width: w, height: h, channels, data } = image;
  const sums = new Float64Array(gw * Math.ceil(h / CELL) * 4);
  const squares = new Float64Array(sums.length);
  for (let y = 0; y < h; y++) {
    const cellRow = ((y / CELL) | 0) * gw;
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (person[i] >= 128 || near[i]) continue;
      const k = (cellRow + ((x / CELL) | 0)) * 4;
      for (let c = 0; c < 3; c++) {
        const v = data[i * channels + c];
        sums[k + c] += v;
        squares[k + c] += v * v;
      }
      sums[k + 3] += 1;
      squares[k + 3] += 1;
    }
  }
  return { sums, squares };
}

/**
 * Extends `region` (in place) off the person, at most `reach` steps from it, over pixels that
 * are not the backdrop (see GarmentRegionOptions.offPersonReach). The backdrop's local colour and
 * spread come from the off-person pixels beyond the reach.
 */
function growOffPerson(region: Mask, image: Raster, masks: { person: Mask; guard?: Mask }, reach: number, ceiling: number): void {
  const { person, guard } = masks;
  const { width: w, height: h } = region;
  const gw = Math.ceil(w / CELL);
  const gh = Math.ceil(h / CELL);
  const inRegion = onesAtLeast(region.data, 1);
  const near = dilate(inRegion, w, h, reach + 1);
  const backdrop = cellSums(image, gw, person.data, near);
  const cells = backdropCells(reach);
  const backdropMean = cellMeans(backdrop.sums, gw, gh, cells);
  const backdropSquare = cellMeans(backdrop.squares, gw, gh, cells);
  const channels = image.channels;
  // A pixel stands out from the backdrop when it or one of its 8 neighbours does: a knitted or
  // shaded edge mixes pixels a few levels off the backdrop with clearly brighter or darker ones,
  // and the region must not stop at the first faint one.
  // Each cell's departure per channel, worked out once for the cell instead of at each of its pixels.
  const departure = new Float64Array(backdropMean.length);
  for (let k = 0; k < departure.length; k++) {
    const spread = Math.sqrt(Math.max(0, backdropSquare[k] - backdropMean[k] ** 2));
    departure[k] = Math.max(BACKDROP_MIN_DEPARTURE, BACKDROP_SPREAD_FACTOR * spread);
  }
  const departs = departures(image.data, channels, w, h, person.data, backdropMean, departure);
  const standsOut = dilate(departs, w, h, 1);
  // (Hair or a hand beside the garment, off the person mask, is not grown over.)
  if (guard) {
    const nearGuard = dilate(onesAtLeast(guard.data, 128), w, h, reach);
    clearWhereSet(standsOut, nearGuard);
  }
  growFromEdge(region, ceiling, reach, (q) => person.data[q] < 128 && standsOut[q] === 1);
}

/**
 * 1 at each off-person pixel (`person` < 128) of `pixels` (`channels` a pixel, w × h) whose cell
 * has a backdrop mean (`backdropMean`, 3 a cell) and that departs from it in some channel by more
 * than the cell's `departure`; else 0.
 */
function departures(
  pixels: Uint8Array, channels: number, w: number, h: number, person: Uint8Array, backdropMean: Float32Array, departure: Float64Array,
): Uint8Array {
  const gw = Math.ceil(w / CELL);
  const departs = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    const cellRow = Math.floor(y / CELL) * gw;
    for (let x = 0; x < w; x++) {
      const q = y * w + x;
      if (person[q] >= 128) continue;
      const k = (cellRow + Math.floor(x / CELL)) * 3;
      if (Number.isNaN(backdropMean[k])) continue;
      for (let c = 0; c < 3; c++) {
        if (Math.abs(pixels[q * channels + c] - backdropMean[k + c]) > departure[k + c]) departs[q] = 1;
      }
    }
  }
  return departs;
}

/** In place: 0 wherever `set` is non-zero. */
function clearWhereSet(values: Uint8Array, set: Uint8Array): void {
  for (let i = 0; i < values.length; i++) if (set[i]) values[i] = 0;
}

/**
 * Grows `region` (in place) breadth-first from its edge, from row `ceiling` down, at most `steps`
 * 4-connected steps, into the pixels `accepts` takes.
 */
function growFromEdge(region: Mask, ceiling: number, steps: number, accepts: (q: number) => boolean): void {
  const { width: w, height: h } = region;
  const top = ceiling * w;
  const grow = (q: number, next: number[]): void => {
    if (q < top || q >= w * h || region.data[q] || !accepts(q)) return;
    region.data[q] = 255;
    next.push(q);
  };
  let front: number[] = [];
  for (let i = top; i < w * h; i++) {
    if (!region.data[i]) continue;
    const x = i % w;
    // Only the edge can grow: a pixel with a neighbour outside the region.
    if ((x > 0 && !region.data[i - 1]) || (x < w - 1 && !region.data[i + 1]) || (i >= w && !region.data[i - w]) || (i < w * (h - 1) && !region.data[i + w])) front.push(i);
  }
  for (let step = 0; step < steps && front.length; step++) {
    const next: number[] = [];
    for (const p of front) {
      const x = p % w;
      if (x > 0) grow(p - 1, next);
      if (x < w - 1) grow(p + 1, next);
      grow(p - w, next);
      grow(p + w, next);
    }
    front = next;
  }
}
