/**
 * Small pixel operations the orchestrator needs between stages: label masks, clipping warp maps to
 * a garment part, stacking RGBA layers, occluding a layer. Everything at analysis resolution.
 */
import { boundingRect, hypot2, neighbours8, wordCount, type Rect } from './person/grid.ts';
import { dilateMask, distanceToSet, erodeMask, featherMask, intersectMask, labelComponents, subtractMask } from './render/masks.ts';
import { createMask, type Mask, type Raster } from '../../imaging/raster.ts';
import type { PartLabel, Point } from './types.ts';
import type { WarpMap } from './warp/backward-map.ts';

/** 255 where the parsing label is one of `labels`. */
export function labelMask(labels: Uint8Array, width: number, height: number, wanted: readonly PartLabel[]): Mask {
  const mask = createMask(width, height);
  const lookup = new Uint8Array(256);
  for (const l of wanted) lookup[l] = 255;
  const out = mask.data;
  // Most of a photo is background (label 0): unless it is wanted, its pixels stay 0 four at a time.
  const words = lookup[0] === 0 ? wordCount(labels, out) : 0;
  if (words > 0) {
    const labels32 = new Uint32Array(labels.buffer, labels.byteOffset, words);
    for (let k = 0; k < words; k++) {
      if (labels32[k] === 0) continue;
      for (let i = k * 4, end = i + 4; i < end; i++) out[i] = lookup[labels[i]];
    }
  }
  for (let i = words * 4; i < labels.length; i++) out[i] = lookup[labels[i]];
  return mask;
}

/**
 * The pieces (8-connected) of the `pieces` labels whose outline borders the `around` labels along
 * at least `minShare` of its pixels (4-neighbours; an outline pixel counts once however many of
 * its neighbours are outside the piece), as a mask (255). Labels other than background lie in
 * `box`: only it is scanned.
 */
export function enclosedPieces(
  labels: Uint8Array, width: number, box: Rect, pieces: readonly PartLabel[], around: readonly PartLabel[], minShare: number,
): Mask {
  const height = labels.length / width;
  const candidate = labelMask(labels, width, height, pieces);
  const out = createMask(width, height);
  const { labels: ids, regions } = labelComponents(candidate);
  if (regions.length === 0) return out;
  const isAround = new Uint8Array(256);
  for (const l of around) isAround[l] = 1;
  const outline = new Float64Array(regions.length + 1);
  const bordering = new Float64Array(regions.length + 1);
  for (let y = box.y0; y < box.y1; y++) {
    for (let x = box.x0; x < box.x1; x++) {
      const i = y * width + x;
      const k = ids[i];
      if (k === 0) continue;
      let edge = false;
      let borders = false;
      for (const j of [x > 0 ? i - 1 : -1, x < width - 1 ? i + 1 : -1, y > 0 ? i - width : -1, y < height - 1 ? i + width : -1]) {
        if (j >= 0 && ids[j] === k) continue;
        edge = true;
        if (j >= 0 && isAround[labels[j]]) borders = true;
      }
      if (edge) outline[k]++;
      if (borders) bordering[k]++;
    }
  }
  for (let y = box.y0; y < box.y1; y++) {
    for (let i = y * width + box.x0, end = y * width + box.x1; i < end; i++) {
      const k = ids[i];
      if (k !== 0 && bordering[k] >= minShare * outline[k]) out.data[i] = 255;
    }
  }
  return out;
}

/**
 * A sleeve's part of the garment photo: beyond its armhole seam (the line shoulder→armpit, on the
 * side away from the body panel) and within a slab along its axis from the seam to just past the
 * cuff. The slab matters: a flared skirt or a wide hem can also lie beyond the seam line's
 * extension, and must stay with the panel.
 */
export interface SleeveRegion {
  shoulder: Point;
  armpit: Point;
  /** Seam midpoint → cuff midpoint. */
  axisFrom: Point;
  axisTo: Point;
}

/**
 * Which garment-photo pixels a piece draws: only one sleeve's (and, with `within`, only those also
 * in that region: a trouser leg's thigh is its half of the garment above its knee), or all but the
 * sleeves'.
 */
export type PieceSource = { only: SleeveRegion; within?: SleeveRegion } | { without: SleeveRegion[] };

export function inSleeve(region: SleeveRegion, x: number, y: number): boolean {
  const { shoulder: s, armpit: a, axisFrom: o, axisTo: e } = region;
  const dx = a.x - s.x;
  const dy = a.y - s.y;
  const sleeveSide = Math.sign(dx * (e.y - s.y) - dy * (e.x - s.x));
  if (Math.sign(dx * (y - s.y) - dy * (x - s.x)) !== sleeveSide) return false;
  const ax = e.x - o.x;
  const ay = e.y - o.y;
  const len2 = ax * ax + ay * ay || 1;
  const t = ((x - o.x) * ax + (y - o.y) * ay) / len2;
  return t >= -0.35 && t <= 1.15;
}

/** Forgets the source pixels of a warp map that the piece does not draw (see PieceSource). */
export function clipWarpMap(map: WarpMap, source: PieceSource): void {
  const { x, y } = map;
  if ('without' in source && source.without.length === 0) return;
  for (let i = 0; i < x.length; i++) {
    const sx = x[i];
    if (Number.isNaN(sx)) continue;
    const sy = y[i];
    const keep = 'only' in source
      ? inSleeve(source.only, sx, sy) && (source.within === undefined || inSleeve(source.within, sx, sy))
      : !source.without.some((r) => inSleeve(r, sx, sy));
    if (!keep) {
      x[i] = Number.NaN;
      y[i] = Number.NaN;
    }
  }
}

/** Multiplies a layer's alpha by (1 - occluder), in place: things in front of the garment. */
export function occlude(layer: Raster, occluder: Mask): void {
  const d = layer.data;
  const o = occluder.data;
  for (let i = 0, p = 3; i < o.length; i++, p += 4) {
    if (o[i] !== 0) d[p] = Math.round((d[p] * (255 - o[i])) / 255);
  }
}

/**
 * Mean colour of the RGBA pixels within `reach` px of (x, y) (a square window, clipped to the
 * image) that `take` accepts, written to `out` (rounded); returns how many were taken (0: `out`
 * untouched).
 */
export function windowMeanColour(
  data: Uint8Array, width: number, height: number, x: number, y: number, reach: number, take: (q: number) => boolean, out: number[],
): number {
  let r = 0, g = 0, b = 0, n = 0;
  for (let yy = Math.max(0, y - reach); yy <= Math.min(height - 1, y + reach); yy++) {
    for (let xx = Math.max(0, x - reach); xx <= Math.min(width - 1, x + reach); xx++) {
      const q = yy * width + xx;
      if (!take(q)) continue;
      r += data[q * 4];
      g += data[q * 4 + 1];
      b += data[q * 4 + 2];
      n++;
    }
  }
  if (n > 0) {
    out[0] = Math.round(r / n);
    out[1] = Math.round(g / n);
    out[2] = Math.round(b / n);
  }
  return n;
}

/** The alpha channel of an RGBA layer as a mask. */
export function alphaMask(layer: Raster): Mask {
  const mask = createMask(layer.width, layer.height);
  // The arrays as locals: read through the objects, the loop reloaded them at every pixel.
  const out = mask.data;
  const rgba = layer.data;
  for (let i = 0, p = 3; i < out.length; i++, p += 4) out[i] = rgba[p];
  return mask;
}

/** Binary (0/255) mask from a predicate over pixel coordinates, evaluated only inside `within`. */
export function maskWhere(within: Mask, predicate: (x: number, y: number) => boolean): Mask {
  const { width, height } = within;
  const out = createMask(width, height);
  // Only `within`'s bounding box can be set (found skipping words of zeros); the predicate is asked
  // about the same pixels in the same order as over the whole image.
  const box = boundingRect(within.data, width, height, 0, (v) => v >= 128);
  if (!box) return out;
  const inside = within.data;
  const set = out.data;
  for (let y = box.y0; y < box.y1; y++) {
    for (let x = box.x0, i = y * width + box.x0; x < box.x1; x++, i++) {
      if (inside[i] >= 128 && predicate(x, y)) set[i] = 255;
    }
  }
  return out;
}

/** Binary threshold of a soft mask. */
export function binarise(mask: Mask, threshold = 128): Mask {
  const out = createMask(mask.width, mask.height);
  const od = out.data;
  const md = mask.data;
  // Words of 0 (most of a mask) stay 0 four pixels at a time, unless a threshold of 0 takes them in.
  const words = threshold > 0 ? wordCount(md, od) : 0;
  if (words > 0) {
    const m32 = new Uint32Array(md.buffer, md.byteOffset, words);
    for (let k = 0; k < words; k++) {
      if (m32[k] === 0) continue;
      for (let i = k * 4, end = i + 4; i < end; i++) od[i] = md[i] >= threshold ? 255 : 0;
    }
  }
  for (let i = words * 4; i < md.length; i++) od[i] = md[i] >= threshold ? 255 : 0;
  return out;
}

/**
 * In place: fades out a layer's pixels lying further than `margin` px outside `polygon` (a soft
 * edge over `soft` px). A spline extrapolates past its control points, so the part of a piece
 * beyond its outline comes out as a flap; the outline its control points trace is where it belongs.
 */
export function clipOutsidePolygon(layer: Raster, polygon: Point[], margin: number, soft = 2): void {
  const { width, height, data } = layer;
  const n = polygon.length;
  if (n < 3) return;
  // Beyond the polygon's box grown by the margin and the ramp, everything goes.
  const reach = margin + soft;
  const x0 = Math.floor(Math.min(...polygon.map((p) => p.x)) - reach);
  const x1 = Math.ceil(Math.max(...polygon.map((p) => p.x)) + reach);
  const y0 = Math.floor(Math.min(...polygon.map((p) => p.y)) - reach);
  const y1 = Math.ceil(Math.max(...polygon.map((p) => p.y)) + reach);
  // Where the row crosses the outline's edges (in edge order): the even-odd test of a pixel
  // counts the crossings to its right, and only the edges that span the row have one.
  const crossings = new Float64Array(n);
  for (let y = 0; y < height; y++) {
    const rowInside = y >= y0 && y <= y1;
    let crossingCount = 0;
    if (rowInside) {
      for (let i = 0, j = n - 1; i < n; j = i++) {
        const a = polygon[j];
        const b = polygon[i];
        if ((b.y > y) !== (a.y > y)) crossings[crossingCount++] = ((a.x - b.x) * (y - b.y)) / (a.y - b.y) + b.x;
      }
    }
    for (let x = 0; x < width; x++) {
      const p = (y * width + x) * 4 + 3;
      if (data[p] === 0) continue;
      if (!rowInside || x < x0 || x > x1) {
        data[p] = 0;
        continue;
      }
      // Even-odd inside test first; the distance to the outline only for pixels outside it.
      let inside = false;
      for (let k = 0; k < crossingCount; k++) if (x < crossings[k]) inside = !inside;
      if (inside) continue;
      let best = Infinity;
      for (let i = 0, j = n - 1; i < n; j = i++) {
        const a = polygon[j];
        const b = polygon[i];
        const dx = b.x - a.x;
        const dy = b.y - a.y;
        const len2 = dx * dx + dy * dy;
        const t = len2 > 0 ? Math.max(0, Math.min(1, ((x - a.x) * dx + (y - a.y) * dy) / len2)) : 0;
        const d = hypot2(x - a.x - dx * t, y - a.y - dy * t);
        if (d < best) best = d;
      }
      const over = best - margin;
      if (over <= 0) continue;
      data[p] = over >= soft ? 0 : Math.round(data[p] * (1 - over / soft));
    }
  }
}

/**
 * Grows a garment layer (RGBA, in place) over the thin parts of `target` (≥ 128) along its solid
 * part (alpha ≥ 200): pixels of the target at most `steps` px from the solid layer and at most
 * `steps` px from the target's far edge (the outside: neither target nor solid layer), on the far
 * side of the pixel from the layer (BAND_ACROSS_COS). A band of
 * the old garment sandwiched between the new one and the outside (a puffed shoulder above a set-in
 * seam, a hem a finger longer) is covered; a wide bare region (an old long sleeve beside a
 * sleeveless dress) is left to the fill. Each grown pixel takes the colour of its mirror image
 * inside the layer (reflected across the nearest point of the layer's outline, MIRROR_INSET px
 * deeper), so the band continues the fabric's weave and print; where the mirror image falls off
 * the solid layer (a strap, a narrow cuff), the mean colour of its solid 8-neighbours from the
 * step before. With `enclosed`, every target pixel within `steps` of the solid layer is grown,
 * however far from the outside (a gap the layer closes around). Pixels of `neutral` (≥ 128) that
 * are not in the target are not the outside either (a zone the band stops at without taking it
 * for its far edge). Where the layer grows past its own outline, that outline's pixels take the
 * fabric further in (hideOldOutline), here and in closeNarrowGaps.
 */
export function growLayerInto(layer: Raster, target: Mask, steps: number, options: { enclosed?: boolean; neutral?: Mask } = {}): void {
  const { width: w, height: h, data } = layer;
  if (target.width !== w || target.height !== h) throw new Error('growLayerInto: target differs in size from the layer');
  const t = target.data;
  const neutral = options.neutral;
  const solid = (j: number): boolean => data[j * 4 + 3] >= SOLID_ALPHA;
  // Candidates: target pixels the layer does not already cover. Only their distance to the
  // outside matters, and only up to `steps`: the transform runs on their box grown by steps + 1
  // (an outside pixel beyond it is too far from every candidate anyway), in raster order as before.
  const candidate = new Uint8Array(w * h);
  // Most of the target is 0: four pixels at a time there (no candidates).
  const words = wordCount(t, candidate);
  if (words > 0) {
    const t32 = new Uint32Array(t.buffer, t.byteOffset, words);
    for (let k = 0; k < words; k++) {
      if (t32[k] === 0) continue;
      for (let i = k * 4, end = i + 4; i < end; i++) candidate[i] = t[i] >= 128 && !solid(i) ? 1 : 0;
    }
  }
  for (let i = words * 4; i < w * h; i++) candidate[i] = t[i] >= 128 && !solid(i) ? 1 : 0;
  const box = boundingRect(candidate, w, h, steps + 1, (v) => v === 1);
  if (!box) return;
  const cw = box.x1 - box.x0;
  const ch = box.y1 - box.y0;
  // An enclosed gap is grown whatever its distance to the outside: that transform is not needed.
  let toOutside: Float32Array | undefined;
  if (!options.enclosed) {
    const outside = new Uint8Array(cw * ch);
    for (let y = 0; y < ch; y++) {
      for (let x = 0; x < cw; x++) {
        const i = (box.y0 + y) * w + box.x0 + x;
        outside[y * cw + x] = t[i] < 128 && !solid(i) && !(neutral && neutral.data[i] >= 128) ? 1 : 0;
      }
    }
    toOutside = distanceToSet(outside, cw, ch);
  }
  // Distance to the solid layer, for each pixel's mirror image: the nearest outline point lies
  // down the distance's gradient. Sampled from the layer as it is before any growth.
  const solidInBox = new Uint8Array(cw * ch);
  for (let y = 0; y < ch; y++) {
    for (let x = 0; x < cw; x++) solidInBox[y * cw + x] = solid((box.y0 + y) * w + box.x0 + x) ? 1 : 0;
  }
  const toSolid = distanceToSet(solidInBox, cw, ch);
  // A band lies between the layer and the outside when the nearest outside point is across the
  // pixel from the nearest layer point: the two distances grow in opposite directions. Along an
  // old hem that runs out sideways from the new garment (a skirt's hem beside a trouser leg) the
  // outside is below while the layer is beside: grown, the band stood off the leg as a tab.
  const across = (x: number, y: number): boolean => {
    if (toOutside === undefined) return true;
    if (x < 1 || y < 1 || x >= cw - 1 || y >= ch - 1) return false;
    const k = y * cw + x;
    const sx = toSolid[k + 1] - toSolid[k - 1];
    const sy = toSolid[k + cw] - toSolid[k - cw];
    const ox = toOutside[k + 1] - toOutside[k - 1];
    const oy = toOutside[k + cw] - toOutside[k - cw];
    const norms = Math.hypot(sx, sy) * Math.hypot(ox, oy);
    // On a ridge of either distance (a pixel equally near two sides) the direction is undefined:
    // such a pixel is in the middle of a band, not at a corner.
    if (!(norms > 1e-6)) return true;
    return (sx * ox + sy * oy) / norms <= BAND_ACROSS_COS;
  };
  let frontier: number[] = [];
  for (let y = 0; y < ch; y++) {
    for (let x = 0; x < cw; x++) {
      const i = (box.y0 + y) * w + box.x0 + x;
      if (candidate[i] && (toOutside === undefined || (toOutside[y * cw + x] <= steps && across(x, y)))) frontier.push(i);
    }
  }
  // Nothing to grow: the layer stays as it is (no copy of it needed).
  if (frontier.length === 0) return;
  const original = data.slice();
  const mirror = (i: number): number => {
    const x = (i % w) - box.x0;
    const y = Math.floor(i / w) - box.y0;
    if (x < 1 || y < 1 || x >= cw - 1 || y >= ch - 1) return -1;
    const gx = toSolid[y * cw + x + 1] - toSolid[y * cw + x - 1];
    const gy = toSolid[(y + 1) * cw + x] - toSolid[(y - 1) * cw + x];
    const norm = Math.hypot(gx, gy);
    if (!(norm > 1e-6) || !Number.isFinite(norm)) return -1;
    const reach = 2 * toSolid[y * cw + x] + MIRROR_INSET;
    const mx = Math.round(box.x0 + x - (gx / norm) * reach);
    const my = Math.round(box.y0 + y - (gy / norm) * reach);
    if (mx < 0 || my < 0 || mx >= w || my >= h) return -1;
    const j = my * w + mx;
    return original[j * 4 + 3] >= SOLID_ALPHA ? j : -1;
  };
  const around = new Int32Array(8);
  const grownAt = new Uint8Array(w * h);
  // The box of the grown pixels: only their neighbours can be the old outline hideOldOutline recolours.
  const grownBox: Rect = { x0: w, y0: h, x1: -1, y1: -1 };
  for (let step = 0; step < steps && frontier.length > 0; step++) {
    const grown: Array<[number, number, number, number]> = [];
    const rest: number[] = [];
    for (const i of frontier) {
      let r = 0;
      let g = 0;
      let b = 0;
      let n = 0;
      const count = neighbours8(i, w, h, around);
      for (let k = 0; k < count; k++) {
        const j = around[k];
        if (!solid(j)) continue;
        r += data[j * 4];
        g += data[j * 4 + 1];
        b += data[j * 4 + 2];
        n++;
      }
      // Grown from its solid neighbours, step by step (a band never leaps the gap to the
      // layer); its colour is its mirror image's where that lies on the solid layer.
      if (n === 0) rest.push(i);
      else {
        const m = mirror(i);
        if (m >= 0) grown.push([i, original[m * 4], original[m * 4 + 1], original[m * 4 + 2]]);
        else grown.push([i, Math.round(r / n), Math.round(g / n), Math.round(b / n)]);
      }
    }
    if (grown.length === 0) break;
    for (const [i, r, g, b] of grown) {
      data[i * 4] = r;
      data[i * 4 + 1] = g;
      data[i * 4 + 2] = b;
      data[i * 4 + 3] = 255;
      grownAt[i] = 1;
      const x = i % w;
      const y = (i - x) / w;
      if (x < grownBox.x0) grownBox.x0 = x;
      if (x >= grownBox.x1) grownBox.x1 = x + 1;
      if (y < grownBox.y0) grownBox.y0 = y;
      if (y >= grownBox.y1) grownBox.y1 = y + 1;
    }
    frontier = rest;
  }
  if (grownBox.x1 > grownBox.x0) hideOldOutline(data, original, grownAt, w, h, grownBox);
}

/**
 * The layer's old outline, now inside it where it was grown: its outermost solid pixels carry the
 * product photo's backdrop (a pale or dark rim) and are not quite opaque, and grown past they drew
 * a dotted line across the fabric (the skin under it showing through). Each takes the colour
 * MIRROR_INSET px further in, away from the grown pixels beside it, and is opaque.
 */
function hideOldOutline(data: Uint8Array, original: Uint8Array, grownAt: Uint8Array, w: number, h: number, grownBox: Rect): void {
  const recoloured: Array<[number, number]> = [];
  // A pixel with no grown 8-neighbour has no direction to take its colour from: only the grown
  // pixels' box grown by one holds candidates (visited in raster order, as over the whole image).
  const x0 = Math.max(0, grownBox.x0 - 1);
  const x1 = Math.min(w, grownBox.x1 + 1);
  const y1 = Math.min(h, grownBox.y1 + 1);
  for (let y = Math.max(0, grownBox.y0 - 1); y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const i = y * w + x;
      if (grownAt[i] || original[i * 4 + 3] < SOLID_ALPHA) continue;
      // The sum of the offsets from its grown 8-neighbours to the pixel (integers: any order).
      let vx = 0;
      let vy = 0;
      let grownBeside = false;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= h) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= w || !grownAt[yy * w + xx]) continue;
          vx -= dx;
          vy -= dy;
          grownBeside = true;
        }
      }
      if (!grownBeside) continue;
      const norm = Math.hypot(vx, vy);
      if (!(norm > 1e-6)) continue;
      const sx = Math.round(x + (vx / norm) * MIRROR_INSET);
      const sy = Math.round(y + (vy / norm) * MIRROR_INSET);
      if (sx < 0 || sy < 0 || sx >= w || sy >= h) continue;
      const j = sy * w + sx;
      if (original[j * 4 + 3] >= SOLID_ALPHA && !grownAt[j]) recoloured.push([i, j]);
    }
  }
  for (const [i, j] of recoloured) {
    for (let c = 0; c < 3; c++) data[i * 4 + c] = original[j * 4 + c];
    data[i * 4 + 3] = 255;
  }
}

/**
 * In place: grows the garment layer (RGBA) over its gaps narrower than 2 × `radius` px (those a
 * closing of its solid part fills) that lie inside `within` and outside `except`, continuing its
 * fabric as growLayerInto does. A sleeve a little narrower than the arm, or set a few pixels off
 * it, leaves a line of the arm between sleeve and body panel (the arm is in front of the panel,
 * which is cut away there): skin-coloured, it read as the sleeve standing off the arm.
 */
export function closeNarrowGaps(layer: Raster, radius: number, within: Mask, except: Mask): void {
  const solid = alphaMask(layer);
  for (let i = 0; i < solid.data.length; i++) solid.data[i] = solid.data[i] >= SOLID_ALPHA ? 255 : 0;
  const closed = erodeMask(dilateMask(solid, radius), radius);
  const gaps = subtractMask(intersectMask(subtractMask(closed, solid), within), except);
  growLayerInto(layer, gaps, 2 * radius, { enclosed: true });
}

/**
 * In place: takes back the pixels the garment layer (RGBA) was grown over since `before` (its
 * solid pixels then, ≥ 128) that stand out of its outline: those that less than half of their
 * surroundings within about `radius` px hold (a majority filter: the solid layer blurred and cut
 * at one half). The bands grown over the old garment's outline, or row by row to an arm, copy an
 * edge the parsing draws pixel by pixel: a garment's side beside an arm stood out in torn tabs.
 * A band along the layer's edge stays (half its surroundings are the layer); the layer's own
 * outline, where nothing was grown, stays as it was. What is taken back is filled as the old
 * garment's place is (skin, backdrop).
 */
export function trimGrownOutline(layer: Raster, before: Mask, radius: number): void {
  const { width: w, height: h, data } = layer;
  if (before.width !== w || before.height !== h) throw new Error('trimGrownOutline: mask differs in size from the layer');
  const solid = binarise(alphaMask(layer), SOLID_ALPHA);
  let any = false;
  for (let i = 0; i < w * h && !any; i++) any = solid.data[i] !== 0 && before.data[i] < 128;
  if (!any) return;
  const majority = featherMask(solid, radius);
  for (let i = 0; i < w * h; i++) if (solid.data[i] && before.data[i] < 128 && majority.data[i] < 128) data[i * 4 + 3] = 0;
}

/**
 * In place: fills the garment layer's (RGBA) gaps that run along a row between two of its solid
 * pixels, at most `maxGap` px wide and wholly inside `within` (≥ 128), on the rows from `fromRow`
 * down, continuing its fabric from both sides as growLayerInto does. A sleeve and the body panel
 * are warped as separate pieces: where the arm hangs beside the torso, the old garment between the
 * new sleeve's inner edge and the new panel's side (the body's side, the arm behind it) was filled
 * as a slit of backdrop or skin down the sleeve; worn, the garment is continuous there. Wider than
 * a closing reaches, and only gaps at least `awayFrom.distance` px to one side of the line
 * x = `awayFrom.x(y)` (the body's middle).
 */
export function closeGapsAlongRows(layer: Raster, within: Mask, maxGap: number, fromRow: number, awayFrom: { x: (y: number) => number; distance: number }): void {
  const { width: w, height: h, data } = layer;
  if (within.width !== w || within.height !== h) throw new Error('closeGapsAlongRows: mask differs in size from the layer');
  const solid = (i: number): boolean => data[i * 4 + 3] >= SOLID_ALPHA;
  // Every gap between two solid pixels of a row (`between`), and those that may be closed (`gaps`,
  // with the widest run of each pixel's row).
  const between = new Uint8Array(w * h);
  const gaps = createMask(w, h);
  const widest = new Float32Array(w * h);
  let any = false;
  for (let y = Math.max(0, Math.ceil(fromRow)); y < h; y++) {
    const row = y * w;
    const centre = awayFrom.x(y);
    let lastSolid = -1;
    for (let x = 0; x < w; x++) {
      if (!solid(row + x)) continue;
      const gap = x - lastSolid - 1;
      // (Not near the middle: a neckline's opening is a gap between the garment's two sides too.)
      const away = lastSolid + 1 - centre >= awayFrom.distance || centre - (x - 1) >= awayFrom.distance;
      if (lastSolid >= 0 && gap > 0 && away) {
        between.fill(1, row + lastSolid + 1, row + x);
        let inside = gap <= 2 * maxGap;
        for (let k = lastSolid + 1; k < x && inside; k++) inside = within.data[row + k] >= 128;
        if (inside) {
          gaps.data.fill(255, row + lastSolid + 1, row + x);
          widest.fill(gap, row + lastSolid + 1, row + x);
          any = true;
        }
      }
      lastSolid = x;
    }
  }
  if (!any) return;
  // A gap is judged whole: one that widens past maxGap further down (a wedge opening towards the
  // elbow), or that goes on outside `within` (the backdrop the photo shows between arm and body),
  // is left to the fill; closed down to the row where it changed, it ended there in a level edge.
  const { labels, regions } = labelComponents(gaps);
  const open = new Uint8Array(regions.length + 1);
  for (let i = 0; i < labels.length; i++) {
    const id = labels[i];
    if (!id) continue;
    if (widest[i] > maxGap) open[id] = 1;
    else if ((i >= w && between[i - w] && !labels[i - w]) || (i + w < labels.length && between[i + w] && !labels[i + w])) open[id] = 1;
  }
  for (let i = 0; i < labels.length; i++) if (open[labels[i]]) gaps.data[i] = 0;
  growLayerInto(layer, gaps, Math.ceil(maxGap), { enclosed: true });
}

/**
 * In place: grows the garment layer (RGBA) sideways across the runs of `within` (≥ 128) that lie,
 * on one row, between its outermost solid pixel and a pixel of `beside` (≥ 128) no more than
 * `maxGap` px away, on the rows from `fromRow` down. Each grown pixel takes the colour of its
 * mirror image across the layer's edge in its row (MIRROR_INSET px deeper), and the edge's own
 * outermost pixels (the product photo's rim) the colour further in, as growLayerInto does in two
 * dimensions (which on these long bands cost a distance transform over the whole torso's box,
 * ~0.1 s). A whole run or nothing: the grown edge is `beside`'s own outline (an arm's), never the
 * ragged limit of a closing. A run is grown only where at least half the rows within
 * `steadyRows` of it have one on the same side, so that a gap hovering about `maxGap` wide
 * is not grown on every other row, and only in bands of at least `minRows` such rows.
 */
export function growAcrossRowsTo(layer: Raster, beside: Mask, within: Mask, maxGap: number, fromRow: number, steadyRows: number, minRows: number): void {
  const { width: w, height: h, data } = layer;
  if (beside.width !== w || beside.height !== h || within.width !== w || within.height !== h) throw new Error('growAcrossRowsTo: masks differ in size from the layer');
  const solid = (i: number): boolean => data[i * 4 + 3] >= SOLID_ALPHA;
  const first = Math.max(0, Math.ceil(fromRow));
  // Per side (0 left, 1 right), per row: the run's outer end (exclusive) and inner start, or -1.
  const runs = [new Int32Array(h).fill(-1), new Int32Array(h).fill(-1)];
  const starts = [new Int32Array(h), new Int32Array(h)];
  const edges = [new Int32Array(h), new Int32Array(h)];
  for (let y = first; y < h; y++) {
    const row = y * w;
    let lo = -1;
    let hi = -1;
    for (let x = 0; x < w; x++) {
      if (!solid(row + x)) continue;
      if (lo < 0) lo = x;
      hi = x;
    }
    if (lo < 0) continue;
    for (let side = 0; side < 2; side++) {
      const step = side === 0 ? -1 : 1;
      const start = side === 0 ? lo - 1 : hi + 1;
      let x = start;
      while (x >= 0 && x < w && Math.abs(x - start) < maxGap && within.data[row + x] >= 128 && beside.data[row + x] < 128) x += step;
      if (x === start || x < 0 || x >= w || beside.data[row + x] < 128) continue;
      runs[side][y] = x;
      starts[side][y] = start;
      edges[side][y] = side === 0 ? lo : hi;
    }
  }
  const original = new Uint8Array(w * 4);
  const copy = (from: number, to: number): void => {
    for (let c = 0; c < 3; c++) data[to * 4 + c] = original[from * 4 + c];
    data[to * 4 + 3] = 255;
  };
  for (let side = 0; side < 2; side++) {
    const steady = new Uint8Array(h);
    for (let y = first; y < h; y++) {
      if (runs[side][y] < 0) continue;
      let rows = 0;
      let withRun = 0;
      for (let k = Math.max(first, y - steadyRows); k <= Math.min(h - 1, y + steadyRows); k++) {
        rows++;
        if (runs[side][k] >= 0) withRun++;
      }
      if (2 * withRun >= rows) steady[y] = 1;
    }
    // Only a band along the side, row after row for at least minRows: a short one is a notch
    // beside an elbow or a hand, and grown it stood out as a block with a level top and bottom.
    for (let y = first; y < h; ) {
      if (!steady[y]) {
        y++;
        continue;
      }
      let end = y;
      while (end < h && steady[end]) end++;
      if (end - y >= minRows) {
        const inward = side === 0 ? 1 : -1;
        for (let r = y; r < end; r++) {
          const row = r * w;
          original.set(data.subarray(row * 4, (row + w) * 4));
          const edge = edges[side][r];
          const solidAt = (x: number): boolean => x >= 0 && x < w && original[x * 4 + 3] >= SOLID_ALPHA;
          const inner = solidAt(edge + inward * MIRROR_INSET) ? edge + inward * MIRROR_INSET : edge;
          for (let x = starts[side][r]; x !== runs[side][r]; x -= inward) {
            const mirrored = edge + inward * (Math.abs(x - edge) + MIRROR_INSET);
            copy(solidAt(mirrored) ? mirrored : inner, row + x);
          }
          // The edge's outermost pixels, now inside the fabric: the colour further in.
          for (let k = 0; k < MIRROR_INSET; k++) {
            const from = edge + inward * (k + MIRROR_INSET);
            if (solidAt(from)) copy(from, row + edge + inward * k);
          }
        }
      }
      y = end;
    }
  }
}

/** Alpha from which a layer pixel counts as solid garment. */
export const SOLID_ALPHA = 200;
/**
 * Largest cosine between the directions away from the layer and away from the outside at which a
 * pixel of the target still lies across a band between them (−0.5: at least 120° apart).
 */
const BAND_ACROSS_COS = -0.5;
/** How much deeper than the mirror point (px) a grown pixel samples: a cut-out's outermost pixels carry the product photo's backdrop. */
const MIRROR_INSET = 2;

/**
 * In place: removes the layer's islands smaller than `minShare` of its largest piece (alpha ≥ 128,
 * 8-connected), with their soft rims. Occlusion by hands, hair and arms in front, and the envelope
 * clip, leave shards of the garment floating beside the hands or the hem, which read as
 * fragments; without them the old garment's place is filled like any other bared part.
 */
export function dropLayerFragments(layer: Raster, minShare: number): void {
  const { width: w, height: h, data } = layer;
  const { labels, regions } = labelComponents(alphaMask(layer));
  if (regions.length < 2) return;
  const largest = Math.max(...regions.map((r) => r.size));
  const small = regions.map((r) => r.size < minShare * largest);
  if (!small.includes(true)) return;
  const dropped = new Uint8Array(w * h);
  for (let i = 0; i < w * h; i++) {
    if (!labels[i] || !small[labels[i] - 1]) continue;
    data[i * 4 + 3] = 0;
    dropped[i] = 1;
  }
  // Soft rim pixels beside a dropped island, with no solid neighbour left, were its rim.
  const around = new Int32Array(8);
  const orphans: number[] = [];
  for (let i = 0; i < w * h; i++) {
    const a = data[i * 4 + 3];
    if (a === 0 || a >= 128) continue;
    let solid = false;
    let besideDropped = false;
    const count = neighbours8(i, w, h, around);
    for (let k = 0; k < count; k++) {
      if (data[around[k] * 4 + 3] >= 128) solid = true;
      if (dropped[around[k]]) besideDropped = true;
    }
    if (besideDropped && !solid) orphans.push(i);
  }
  for (const i of orphans) data[i * 4 + 3] = 0;
}
