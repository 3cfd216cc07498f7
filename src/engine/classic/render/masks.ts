/**
 * Mask algebra for the render stage: soft edges, growing and shrinking, set operations, clean-up
 * and resizing. Masks are 8-bit coverage (0 outside, 255 inside). Operations that need a yes/no
 * answer (distances, connectivity) read "inside" as value ≥ 128 and say so.
 */
import { createMask, type Mask } from '../../../imaging/raster.ts';
import { boundingRect, wordCount, type Rect } from '../person/grid.ts';
import { boxBlurPlane } from './blur.ts';
import { labelComponents as labelRuns } from '../garment/components.ts';

/**
 * Soft edge of `radius` px: values fall from 255 to 0 over about 2·radius px (a tent filter: two
 * box passes of radius/2), centred on the edge (the 50 % line stays where the edge was). With
 * `inside`, the ramp lies entirely inside the original mask instead: 0 at the edge, 255 about
 * `radius` px in, nothing outside the mask non-zero, which is what a composite that must leave
 * everything outside the repainted region untouched needs (done by remapping the inner half of
 * the centred ramp, v → 2v − 255, and clipping to the original: no erosion pass). Pixels further
 * than `radius` inside the edge stay exactly 255; the image border does not count as an edge.
 */
export function featherMask(mask: Mask, radius: number, inside = false): Mask {
  if (radius < 1) return { width: mask.width, height: mask.height, data: mask.data.slice() };
  const { width: w, height: h } = mask;
  const r1 = Math.max(1, Math.floor(radius / 2));
  const r2 = Math.max(1, Math.round(radius - r1));
  const out = createMask(w, h);
  // The blurs run on the mask's bounding box grown well past their reach: beyond it every value
  // is 0 either way, and inside it every pixel the ramp can reach sees the same sums as on the
  // whole image (the running sums enter the box at exactly 0 and read the same pixels until
  // they are farther than the reach from the mask).
  const box = boundingRect(mask.data, w, h, 2 * (r1 + r2) + 2, (v) => v > 0);
  if (!box) return out;
  const { x0, y0 } = box;
  const cw = box.x1 - x0;
  const ch = box.y1 - y0;
  const n = cw * ch;
  const a = new Float32Array(n);
  for (let y = 0; y < ch; y++) {
    const row = (y0 + y) * w + x0;
    for (let x = 0; x < cw; x++) a[y * cw + x] = mask.data[row + x];
  }
  const b = new Float32Array(n);
  const tmp = new Float32Array(n);
  boxBlurPlane(a, b, tmp, cw, ch, r1);
  boxBlurPlane(b, a, tmp, cw, ch, r2);
  const od = out.data;
  const md = mask.data;
  for (let y = 0; y < ch; y++) {
    const row = (y0 + y) * w + x0;
    for (let x = 0; x < cw; x++) {
      const i = row + x;
      const k = y * cw + x;
      if (!inside) {
        od[i] = Math.round(a[k]);
        continue;
      }
      const v = Math.round(2 * a[k] - 255);
      // Clip to the original: at concave corners the centred ramp spills a little past 50 % outside.
      od[i] = v <= 0 ? 0 : v < md[i] ? v : md[i];
    }
  }
  return out;
}

/** Grows the mask (≥ 128) by a Euclidean `radius` px: a disc, not a square. Result is 0/255. */
export function dilateMask(mask: Mask, radius: number): Mask {
  const out = createMask(mask.width, mask.height);
  const box = setBounds(mask, Math.ceil(radius) + 1);
  if (!box) return out;
  const { x0, y0, cw, ch } = box;
  // Only the set's bounding box (plus the radius) can change: the transform runs on that crop.
  const inSet = new Uint8Array(cw * ch);
  for (let y = 0; y < ch; y++) {
    const row = (y0 + y) * mask.width + x0;
    for (let x = 0; x < cw; x++) inSet[y * cw + x] = mask.data[row + x] >= 128 ? 1 : 0;
  }
  const limit = radius * radius;
  const near = nearSet(inSet, cw, ch, limit);
  if (near) {
    for (let y = 0; y < ch; y++) {
      const row = (y0 + y) * mask.width + x0;
      for (let x = 0; x < cw; x++) out.data[row + x] = near[y * cw + x] ? 255 : 0;
    }
    return out;
  }
  const d2 = squaredDistanceToSet(inSet, cw, ch);
  for (let y = 0; y < ch; y++) {
    const row = (y0 + y) * mask.width + x0;
    for (let x = 0; x < cw; x++) out.data[row + x] = d2[y * cw + x] <= limit ? 255 : 0;
  }
  return out;
}

/** Largest limit nearSet takes: below 2^24 every squared distance that can meet it is exact in single precision. */
const NEAR_SET_MAX_LIMIT = 2 ** 24;

/**
 * 1 where the squared Euclidean distance to the nearest pixel with `inSet[i] !== 0` is at most
 * `limit`, else 0: exactly the pixels where squaredDistanceToSet(inSet, w, h) ≤ limit, without the
 * whole transform. Per column, the distance to the nearest set pixel above or below (as there);
 * then per row, each column whose nearest set pixel is within reach covers the run of pixels whose
 * squared distance to it is at most the limit (integer half-widths, marked as a difference array).
 * Null when `limit` is not in [0, NEAR_SET_MAX_LIMIT) (the caller takes the transform itself).
 */
function nearSet(inSet: Uint8Array, w: number, h: number, limit: number): Uint8Array | null {
  if (!(limit >= 0 && limit < NEAR_SET_MAX_LIMIT)) return null;
  // Squared distances are integers: d² ≤ limit exactly when d² ≤ ⌊limit⌋.
  const l = Math.floor(limit);
  const reach = isqrt(l);
  // Half-width of the run a column covers at vertical distance dy from its nearest set pixel.
  const half = new Int32Array(reach + 1);
  for (let dy = 0; dy <= reach; dy++) half[dy] = isqrt(l - dy * dy);
  // Vertical distance to the nearest set pixel in the same column, reach + 1 when farther (or none).
  const far = reach + 1;
  const column = new Int32Array(w * h);
  const nearest = new Int32Array(w).fill(-1);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < w; x++) {
      if (inSet[row + x]) {
        nearest[x] = y;
        continue;
      }
      const n = nearest[x];
      column[row + x] = n < 0 || y - n > reach ? far : y - n;
    }
  }
  nearest.fill(-1);
  for (let y = h - 1; y >= 0; y--) {
    const row = y * w;
    for (let x = 0; x < w; x++) {
      if (inSet[row + x]) {
        nearest[x] = y;
        continue;
      }
      const n = nearest[x];
      if (n >= 0 && n - y < column[row + x]) column[row + x] = n - y;
    }
  }
  const out = new Uint8Array(w * h);
  const runs = new Int32Array(w + 1);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    let any = false;
    for (let x = 0; x < w; x++) {
      const dy = column[row + x];
      if (dy > reach) continue;
      const hw = half[dy];
      runs[x - hw > 0 ? x - hw : 0]++;
      runs[x + hw + 1 < w ? x + hw + 1 : w]--;
      any = true;
    }
    if (!any) continue;
    let covering = 0;
    for (let x = 0; x < w; x++) {
      covering += runs[x];
      runs[x] = 0;
      if (covering > 0) out[row + x] = 1;
    }
    runs[w] = 0;
  }
  return out;
}

/** ⌊√n⌋ for a whole number n ≥ 0, exactly. */
function isqrt(n: number): number {
  let s = Math.floor(Math.sqrt(n));
  while (s * s > n) s--;
  while ((s + 1) * (s + 1) <= n) s++;
  return s;
}

/** Bounding box of the pixels ≥ 128, grown by `margin` and clipped to the image, as origin and size; null when none. */
function setBounds(mask: Mask, margin: number): { x0: number; y0: number; cw: number; ch: number } | null {
  const box = boundingRect(mask.data, mask.width, mask.height, margin, (v) => v >= 128);
  return box ? { x0: box.x0, y0: box.y0, cw: box.x1 - box.x0, ch: box.y1 - box.y0 } : null;
}

/**
 * Shrinks the mask (≥ 128) by a Euclidean `radius` px. Result is 0/255. The image border is not
 * an edge: a person cut off by the bottom of the frame is not eaten from below.
 */
export function erodeMask(mask: Mask, radius: number): Mask {
  const { width: w, height: h } = mask;
  const out = createMask(w, h);
  // Everything outside the set's bounding box is outside the set; a margin of radius + 1 keeps
  // every distance that matters inside the crop. The image border stays no edge: the crop stops there.
  const box = setBounds(mask, Math.ceil(radius) + 1);
  if (!box) return out;
  const { x0, y0, cw, ch } = box;
  const outside = new Uint8Array(cw * ch);
  for (let y = 0; y < ch; y++) {
    const row = (y0 + y) * w + x0;
    for (let x = 0; x < cw; x++) outside[y * cw + x] = mask.data[row + x] < 128 ? 1 : 0;
  }
  const limit = radius * radius;
  const near = nearSet(outside, cw, ch, limit);
  if (near) {
    for (let y = 0; y < ch; y++) {
      const row = (y0 + y) * w + x0;
      for (let x = 0; x < cw; x++) out.data[row + x] = near[y * cw + x] ? 0 : 255;
    }
    return out;
  }
  const d2 = squaredDistanceToSet(outside, cw, ch);
  for (let y = 0; y < ch; y++) {
    const row = (y0 + y) * w + x0;
    for (let x = 0; x < cw; x++) out.data[row + x] = d2[y * cw + x] > limit ? 255 : 0;
  }
  return out;
}

/** Pixel-wise maximum of any number of same-sized masks. */
export function unionMask(first: Mask, ...rest: Mask[]): Mask {
  const out = { width: first.width, height: first.height, data: first.data.slice() };
  for (const m of rest) {
    sameSize(first, m, 'unionMask');
    maxInto(out.data, m.data);
  }
  return out;
}

/** Pixel-wise minimum of any number of same-sized masks. */
export function intersectMask(first: Mask, ...rest: Mask[]): Mask {
  const out = { width: first.width, height: first.height, data: first.data.slice() };
  for (const m of rest) {
    sameSize(first, m, 'intersectMask');
    minInto(out.data, m.data);
  }
  return out;
}

/** `a` without `b`: min(a, 255 − b), so soft edges of `b` carve soft edges into `a`. */
export function subtractMask(a: Mask, b: Mask): Mask {
  sameSize(a, b, 'subtractMask');
  const out = createMask(a.width, a.height);
  const od = out.data;
  const ad = a.data;
  const bd = b.data;
  // Four pixels at a time where the masks are flat (a mask is mostly 0, its inside 255): a zero word
  // of `a` stays 0 (the output starts zeroed), a zero word of `b` copies `a`, and a word of 255s in
  // `b` clears it; only mixed words go pixel by pixel.
  const words = wordCount(od, ad, bd);
  if (words > 0) {
    const o32 = new Uint32Array(od.buffer, od.byteOffset, words);
    const a32 = new Uint32Array(ad.buffer, ad.byteOffset, words);
    const b32 = new Uint32Array(bd.buffer, bd.byteOffset, words);
    for (let k = 0; k < words; k++) {
      const av = a32[k];
      if (av === 0) continue;
      const bv = b32[k];
      if (bv === 0) {
        o32[k] = av;
        continue;
      }
      if (bv === 0xffffffff) continue;
      for (let i = k * 4, end = i + 4; i < end; i++) {
        const keep = 255 - bd[i];
        od[i] = ad[i] < keep ? ad[i] : keep;
      }
    }
  }
  for (let i = words * 4; i < od.length; i++) {
    const keep = 255 - bd[i];
    od[i] = ad[i] < keep ? ad[i] : keep;
  }
  return out;
}

/** out = max(out, m), pixel-wise in place (skipping words of `m` that are all 0). */
function maxInto(od: Uint8Array, md: Uint8Array): void {
  const words = wordCount(od, md);
  if (words > 0) {
    const o32 = new Uint32Array(od.buffer, od.byteOffset, words);
    const m32 = new Uint32Array(md.buffer, md.byteOffset, words);
    for (let k = 0; k < words; k++) {
      const mv = m32[k];
      if (mv === 0) continue;
      if (mv === 0xffffffff) {
        o32[k] = mv;
        continue;
      }
      for (let i = k * 4, end = i + 4; i < end; i++) if (md[i] > od[i]) od[i] = md[i];
    }
  }
  for (let i = words * 4; i < od.length; i++) if (md[i] > od[i]) od[i] = md[i];
}

/** out = min(out, m), pixel-wise in place (skipping words of `out` that are all 0 and of `m` all 255). */
function minInto(od: Uint8Array, md: Uint8Array): void {
  const words = wordCount(od, md);
  if (words > 0) {
    const o32 = new Uint32Array(od.buffer, od.byteOffset, words);
    const m32 = new Uint32Array(md.buffer, md.byteOffset, words);
    for (let k = 0; k < words; k++) {
      const ov = o32[k];
      if (ov === 0) continue;
      const mv = m32[k];
      if (mv === 0xffffffff) continue;
      if (mv === 0) {
        o32[k] = 0;
        continue;
      }
      for (let i = k * 4, end = i + 4; i < end; i++) if (md[i] < od[i]) od[i] = md[i];
    }
  }
  for (let i = words * 4; i < od.length; i++) if (md[i] < od[i]) od[i] = md[i];
}

/** 8-connected regions of a mask: a label per pixel (0 = none) and each region's size and box. */
export interface Components {
  /** Region number per pixel, 1-based; 0 where the mask is below the threshold. */
  labels: Int32Array;
  /** Per region (index = label − 1): pixel count and bounding box (exclusive end). */
  regions: Array<{ size: number; x0: number; y0: number; x1: number; y1: number }>;
}

/**
 * Labels the 8-connected regions of pixels ≥ `threshold`, numbered in raster order of their first
 * pixel. Run-based (garment/components.ts), which numbers them the same way as a flood from a
 * raster scan, at a fraction of the cost on large regions.
 */
export function labelComponents(mask: Mask, threshold = 128): Components {
  const { width: w, height: h, data } = mask;
  const binary = new Uint8Array(w * h);
  // Set pixels lie in the set's bounding box (found skipping words of zeros): outside it `binary` stays 0.
  const box = boundingRect(data, w, h, 0, (v) => v >= threshold);
  if (box) {
    for (let y = box.y0; y < box.y1; y++) {
      for (let i = y * w + box.x0, end = y * w + box.x1; i < end; i++) if (data[i] >= threshold) binary[i] = 1;
    }
  }
  const { labels, areas, boxes } = labelRuns(binary, w, h);
  const regions: Components['regions'] = [];
  for (let id = 1; id < areas.length; id++) {
    const [x0, y0, maxX, maxY] = boxes[id];
    regions.push({ size: areas[id], x0, y0, x1: maxX + 1, y1: maxY + 1 });
  }
  return { labels, regions };
}

/**
 * Pieces of the person that a backdrop fill cuts off from the body: the person (`person` ≥ 128)
 * less what is refilled as backdrop (`backdrop` ≥ 128) falls apart into its main piece and, where
 * the old garment's refilled part ran between them, islands that were joined to the body before
 * (a coat's tail parsed in part as trousers: its outer part was refilled, its inner pieces stayed
 * as tan blobs floating beside the legs, wide 60). Returns those islands, no larger than
 * `maxShare` of the main piece and touching the backdrop fill; null when there are none. Pieces
 * already apart from the body in the photo (a held object, a strand of hair) stay.
 */
export function strandedByBackdrop(person: Mask, backdrop: Mask, maxShare: number): Mask | null {
  const { width: w, height: h } = person;
  const kept = createMask(w, h);
  for (let i = 0; i < kept.data.length; i++) kept.data[i] = person.data[i] >= 128 && backdrop.data[i] < 128 ? 255 : 0;
  const pieces = labelComponents(kept);
  if (pieces.regions.length < 2) return null;
  const whole = labelComponents(person);
  // The main piece: the largest; its region of the whole person is the body.
  let main = 0;
  for (let k = 1; k < pieces.regions.length; k++) if (pieces.regions[k].size > pieces.regions[main].size) main = k;
  let bodyId = 0;
  const stranded = new Uint8Array(pieces.regions.length);
  const touchesBackdrop = new Uint8Array(pieces.regions.length);
  for (let i = 0; i < kept.data.length; i++) {
    const id = pieces.labels[i];
    if (id === main + 1) bodyId = whole.labels[i];
    if (id === 0 || touchesBackdrop[id - 1]) continue;
    const x = i % w;
    if ((x > 0 && backdrop.data[i - 1] >= 128) || (x < w - 1 && backdrop.data[i + 1] >= 128) || (i >= w && backdrop.data[i - w] >= 128) || (i + w < w * h && backdrop.data[i + w] >= 128)) {
      touchesBackdrop[id - 1] = 1;
    }
  }
  const limit = maxShare * pieces.regions[main].size;
  let any = false;
  for (let k = 0; k < pieces.regions.length; k++) {
    if (k === main || !touchesBackdrop[k] || pieces.regions[k].size > limit) continue;
    stranded[k] = 1;
    any = true;
  }
  if (!any) return null;
  const out = createMask(w, h);
  any = false;
  for (let i = 0; i < out.data.length; i++) {
    const id = pieces.labels[i];
    // (Only pieces of the body's own region of the person: joined to it before the fill.)
    if (id !== 0 && stranded[id - 1] && whole.labels[i] === bodyId) {
      out.data[i] = 255;
      any = true;
    }
  }
  return any ? out : null;
}

/**
 * Bilinear taps along one axis when resampling `sourceSize` samples to `targetSize` (pixel
 * centres aligned, edges clamped): for each target index, the two source indices and the weight
 * of the second. Shared by every bilinear resize so they agree to the pixel.
 */
export function bilinearAxis(sourceSize: number, targetSize: number): { i0: Int32Array; i1: Int32Array; t: Float32Array } {
  const i0 = new Int32Array(targetSize);
  const i1 = new Int32Array(targetSize);
  const t = new Float32Array(targetSize);
  for (let i = 0; i < targetSize; i++) {
    const f = Math.min(Math.max((i + 0.5) * (sourceSize / targetSize) - 0.5, 0), sourceSize - 1);
    i0[i] = Math.floor(f);
    i1[i] = Math.min(i0[i] + 1, sourceSize - 1);
    t[i] = f - i0[i];
  }
  return { i0, i1, t };
}

/**
 * The rows' taps of a bilinear resize from `sourceHeight` to `targetHeight` rows, at full
 * precision (the columns' weights are single precision, bilinearAxis): source row of the upper
 * tap, of the lower, and the lower's weight. One definition for every resize that must agree with
 * resizeMask to the pixel (the merge into the photo, the pixel shares).
 */
export function bilinearRow(sourceHeight: number, targetHeight: number, y: number): { y0: number; y1: number; ty: number } {
  const f = Math.min(Math.max((y + 0.5) * (sourceHeight / targetHeight) - 0.5, 0), sourceHeight - 1);
  const y0 = Math.floor(f);
  return { y0, y1: Math.min(y0 + 1, sourceHeight - 1), ty: f - y0 };
}

/**
 * The target pixels of a bilinear resize whose taps reach into `box` of the source (a box in
 * target pixels, exclusive end): outside it every tap lies outside `box`. Undefined when none.
 */
export function bilinearReach(sourceWidth: number, sourceHeight: number, targetWidth: number, targetHeight: number, box: Rect): Rect | undefined {
  const along = (sourceSize: number, targetSize: number, from: number, to: number): [number, number] => {
    const { i0, i1 } = bilinearAxis(sourceSize, targetSize);
    let first = 0;
    while (first < targetSize && i1[first] < from) first++;
    let last = targetSize - 1;
    while (last >= first && i0[last] >= to) last--;
    return [first, last + 1];
  };
  const [x0, x1] = along(sourceWidth, targetWidth, box.x0, box.x1);
  const [y0, y1] = along(sourceHeight, targetHeight, box.y0, box.y1);
  return x1 > x0 && y1 > y0 ? { x0, y0, x1, y1 } : undefined;
}

/** The common part of two boxes (`b` absent: all of `a`); undefined when they do not meet. */
function intersectRect(a: Rect | undefined, b: Rect | undefined): Rect | undefined {
  if (!a || !b) return a;
  const box = { x0: Math.max(a.x0, b.x0), y0: Math.max(a.y0, b.y0), x1: Math.min(a.x1, b.x1), y1: Math.min(a.y1, b.y1) };
  return box.x1 > box.x0 && box.y1 > box.y0 ? box : undefined;
}

/**
 * Bilinear resize with pixel centres aligned (OpenCV's INTER_LINEAR convention), for soft masks
 * computed at analysis resolution and applied at full resolution. Down-sizing by more than 2×
 * aliases; it is meant for up-sizing. Only the target pixels whose taps reach a non-zero source
 * pixel are computed (the rest are 0 either way): a garment's mask covers a small part of a
 * 37-megapixel photo. With `within` (target pixels), only that box is computed; the rest is 0.
 */
export function resizeMask(mask: Mask, width: number, height: number, within?: Rect): Mask {
  const out = createMask(width, height);
  const { width: sw, height: sh, data } = mask;
  if (sw === width && sh === height && !within) {
    out.data.set(data);
    return out;
  }
  const source = boundingRect(data, sw, sh, 0, (v) => v > 0);
  const reach = source && intersectRect(bilinearReach(sw, sh, width, height, source), within);
  if (!reach) return out;
  const { i0: x0s, i1: x1s, t: txs } = bilinearAxis(sw, width);
  const od = out.data;
  for (let y = reach.y0; y < reach.y1; y++) {
    const { y0, y1, ty } = bilinearRow(sh, height, y);
    const r0 = y0 * sw;
    const r1 = y1 * sw;
    const row = y * width;
    for (let x = reach.x0; x < reach.x1; x++) {
      const a = x0s[x];
      const b = x1s[x];
      const d00 = data[r0 + a];
      const d01 = data[r0 + b];
      const d10 = data[r1 + a];
      const d11 = data[r1 + b];
      // Four equal taps (a mask's flat inside and outside) interpolate to exactly that value.
      if (d00 === d01 && d00 === d10 && d00 === d11) {
        od[row + x] = d00;
        continue;
      }
      const t = txs[x];
      const top = d00 + (d01 - d00) * t;
      const bottom = d10 + (d11 - d10) * t;
      od[row + x] = Math.round(top + (bottom - top) * ty);
    }
  }
  return out;
}

/**
 * Squared Euclidean distance from every pixel to the nearest pixel with `inSet[i] === 1`
 * (0 inside the set; Infinity when the set is empty). Felzenszwalb & Huttenlocher's exact
 * linear-time transform: columns first (for a binary set, the nearest set pixel above or below),
 * then rows (the lower envelope of the columns' parabolas).
 */
export function squaredDistanceToSet(inSet: Uint8Array, w: number, h: number): Float32Array {
  const out = columnSquaredDistances(inSet, w, h);
  // Rows in place: each row's envelope is built from its column distances, then written over them
  // (a parabola's f[p] is kept as g − p², exact for these integers, so f need not be copied out).
  const v = new Int32Array(w);
  const z = new Float64Array(w + 1);
  const g = new Float64Array(w);
  for (let y = 0; y < h; y++) distanceRow(out, y * w, w, v, z, g);
  return out;
}

/**
 * Euclidean distance (not squared) to the nearest pixel with `inSet[i] === 1`: the square roots
 * of squaredDistanceToSet, taken in place (a loop, several times faster than `.map(Math.sqrt)`).
 */
export function distanceToSet(inSet: Uint8Array, w: number, h: number): Float32Array {
  const out = squaredDistanceToSet(inSet, w, h);
  for (let i = 0; i < out.length; i++) out[i] = Math.sqrt(out[i]);
  return out;
}

/**
 * The transform's first pass: squared distance to the nearest set pixel in the same column
 * (Infinity when the column has none). On a binary set the lower envelope of parabolas reduces to
 * the nearest set pixel above or below, so two sweeps over the rows (row-major: cache friendly,
 * where a column-by-column envelope strides through memory) give the same integers exactly.
 */
function columnSquaredDistances(inSet: Uint8Array, w: number, h: number): Float32Array {
  const out = new Float32Array(w * h);
  // Per column, the row of the nearest set pixel met so far in the sweep's direction; −1 none yet.
  const nearest = new Int32Array(w).fill(-1);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < w; x++) {
      if (inSet[row + x]) {
        nearest[x] = y;
        continue;
      }
      const n = nearest[x];
      const dy = y - n;
      out[row + x] = n < 0 ? Infinity : dy * dy;
    }
  }
  nearest.fill(-1);
  for (let y = h - 1; y >= 0; y--) {
    const row = y * w;
    for (let x = 0; x < w; x++) {
      if (inSet[row + x]) {
        nearest[x] = y;
        continue;
      }
      const n = nearest[x];
      if (n < 0) continue;
      const dy = n - y;
      if (dy * dy < out[row + x]) out[row + x] = dy * dy;
    }
  }
  return out;
}

/**
 * One row of the transform, in place on out[row .. row + n): d[q] = min over p of (q − p)² + f[p].
 * `g` holds each envelope parabola's f[p] + p², computed once when it joins instead of at every
 * intersection test (the same doubles, so the same envelope). A row with no finite f stays as it
 * is (all Infinity).
 */
function distanceRow(out: Float32Array, row: number, n: number, v: Int32Array, z: Float64Array, g: Float64Array): void {
  let k = -1;
  for (let q = 0; q < n; q++) {
    const fq = out[row + q];
    if (fq === Infinity) continue;
    const gq = fq + q * q;
    if (k < 0) {
      k = 0;
      v[0] = q;
      g[0] = gq;
      z[0] = -Infinity;
      z[1] = Infinity;
      continue;
    }
    let s = (gq - g[k]) / (2 * q - 2 * v[k]);
    while (s <= z[k]) {
      k--;
      if (k < 0) break;
      s = (gq - g[k]) / (2 * q - 2 * v[k]);
    }
    k++;
    v[k] = q;
    g[k] = gq;
    z[k] = k === 0 ? -Infinity : s;
    z[k + 1] = Infinity;
  }
  if (k < 0) return;
  let j = 0;
  for (let q = 0; q < n; q++) {
    while (z[j + 1] < q) j++;
    const p = v[j];
    const dq = q - p;
    out[row + q] = dq * dq + (g[j] - p * p);
  }
}

function sameSize(a: Mask, b: Mask, name: string): void {
  if (a.width !== b.width || a.height !== b.height) throw new Error(`${name}: masks differ in size`);
}
