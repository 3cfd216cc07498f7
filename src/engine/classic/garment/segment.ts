/**
 * Separates a garment from a product-shot backdrop.
 *
 * The backdrop is modelled from the border (background.ts); a flood fill from the border then eats
 * every pixel that looks like backdrop and is reachable without crossing an edge. Two rules decide
 * "looks like backdrop": colour within a tolerance scaled to the border's own noise, and for pixels
 * that are only slightly off (a white garment on a white sweep, a soft shadow) additionally a low
 * local gradient, so that the flood stops at the faint outline of a white garment and walks through
 * the smooth gradient of a shadow. Whatever the flood cannot reach is garment, so holes inside the
 * garment (white print areas, a white lining) are filled by construction.
 *
 * A white garment lit to the sweep's own colour defeats both rules where its outline is only a
 * faint line. Near such pale fabric (backdrop-coloured yet textured), both the flood's regrowth and
 * the full-resolution refinement also require a pixel to be as flat as the backdrop at full
 * resolution (texture.ts), or to be ringing beside a strong step, before taking it as backdrop.
 */
import { EngineInputError } from '../../types.ts';
import type { Raster } from '../../../imaging/raster.ts';
import { fitBackground, backgroundDifference, type BackgroundModel } from './background.ts';
import { rgbToLab } from '../../../imaging/colour.ts';
import { hypot2 } from '../person/grid.ts';
import { rasterToLab, type LabImage } from './color.ts';
import { dilate, erode, labelComponents } from './components.ts';
import { borderNoise, fineTexture, isRinging, lightnessBend, textureAt, type FineTexture } from './texture.ts';

export interface Segmentation {
  /** 1 where garment (or garment-plus-person before skin removal), else 0. */
  foreground: Uint8Array;
  /** The flood's result before the full-resolution refinement, at the work resolution (debugging). */
  coarse: { width: number; height: number; data: Uint8Array };
  lab: LabImage;
  background: BackgroundModel;
  /**
   * Share of the garment's rim, just inside its refined outline, that barely differs from the
   * backdrop (contrast below GARMENT_CONTRAST): pale fabric lit to the sweep's colour, or a soft
   * shadow. Where it is high the colour segmentation is in doubt (see weakOutlineShare).
   */
  weakOutlineShare: number;
  /** Share of the photo that looks like pale fabric lit to the backdrop's colour (isPaleFabric). */
  paleShare: number;
}

/**
 * Magnitude of the L Laplacian (4-neighbour): fabric grain, print and outlines have curvature in
 * their lightness, while a backdrop's vignetting and a soft shadow's gradient have almost none.
 */
export function lightnessLaplacian(lab: LabImage): Float32Array {
  const { width: w, height: h, data } = lab;
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    const up = (y > 0 ? y - 1 : y) * w;
    const down = (y < h - 1 ? y + 1 : y) * w;
    const row = y * w;
    for (let x = 0; x < w; x++) {
      const c = data[(row + x) * 3];
      const l = data[(row + (x > 0 ? x - 1 : x)) * 3];
      const r = data[(row + (x < w - 1 ? x + 1 : x)) * 3];
      out[row + x] = Math.abs(l + r + data[(up + x) * 3] + data[(down + x) * 3] - 4 * c) / 4;
    }
  }
  return out;
}

export interface Tolerances {
  /** Colour distance below which a pixel is backdrop whatever its gradient. */
  tight: number;
  /** Colour distance below which a pixel is backdrop when the local gradient is low. */
  loose: number;
  /** Texture (3x3 mean L gradient, L per px) that counts as garment or edge. */
  edge: number;
  /** Texture of a real outline, which even the regrowth along edges does not cross. */
  edgeStrong: number;
  /** Largest colour step between neighbouring pixels the flood takes (the backdrop's grain). */
  step: number;
  /** Deepest darkening (ΔL) still accepted as the backdrop's shadow. */
  shadow: number;
}

export function tolerancesFor(model: BackgroundModel): Tolerances {
  const loose = Math.min(14, Math.max(1.2, 3.5 * model.noise + 0.8));
  const edge = Math.min(4, Math.max(0.04, 1.5 * model.gradientNoise + 0.03));
  return {
    tight: Math.min(loose, Math.max(0.6, 1.5 * model.noise + 0.3)),
    loose,
    edge,
    edgeStrong: Math.max(0.6, 3 * edge),
    step: Math.min(loose * 1.5, Math.max(1.2, 3 * model.pixelNoise + 0.8)),
    shadow: 22,
  };
}

/** 3x3 box mean: turns per-pixel curvature into a texture measure that also closes one-pixel gaps in faint outlines. */
export function boxMean3(values: Float32Array, width: number, height: number): Float32Array {
  const tmp = new Float32Array(width * height);
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const a = values[row + (x > 0 ? x - 1 : x)];
      const c = values[row + (x < width - 1 ? x + 1 : x)];
      tmp[row + x] = (a + values[row + x] + c) / 3;
    }
  }
  for (let y = 0; y < height; y++) {
    const up = (y > 0 ? y - 1 : y) * width;
    const down = (y < height - 1 ? y + 1 : y) * width;
    const row = y * width;
    for (let x = 0; x < width; x++) out[row + x] = (tmp[up + x] + tmp[row + x] + tmp[down + x]) / 3;
  }
  return out;
}

/**
 * Flood-fills the backdrop from the border; returns 1 for backdrop pixels.
 *
 * Pixels brighter than the backdrop weigh double: studio sweeps are a shade darker than the white
 * garments shot on them, while shadows (darker) must be walked through. `nearStrong` marks pixels
 * close to a high-contrast outline, where JPEG ringing raises the texture of the backdrop itself:
 * there only a real edge stops the flood.
 */
export function floodBackdrop(
  width: number, height: number, kind: Uint8Array, texture: Float32Array, tol: Tolerances, nearStrong: Uint8Array, lab: LabImage,
  rough?: Uint8Array, outline?: Uint8Array,
): Uint8Array {
  const n = width * height;
  // The flood walks only through smooth backdrop-like pixels: a garment's outline (or the texture of
  // a garment whose colour equals the backdrop's) stops it. Each flooded pixel also carries the
  // backdrop colour seen along its path (a running mean), and a step must stay close to it: the
  // global model only approximates a vignetted sweep, the local colour does not drift into a pale
  // garment whose edge is faint.
  const flood = new Uint8Array(n);
  const ref = new Float32Array(n * 3);
  const stack = new Int32Array(n);
  const step = tol.step;
  let top = 0;
  const seed = (p: number, from: number): void => {
    if (flood[p] || kind[p] === 0 || texture[p] >= (nearStrong[p] ? tol.edgeStrong : tol.edge) || outline?.[p]) return;
    const l = lab.data[p * 3], a = lab.data[p * 3 + 1], b = lab.data[p * 3 + 2];
    if (from >= 0) {
      const dl = l - ref[from * 3];
      const dc = hypot2(a - ref[from * 3 + 1], b - ref[from * 3 + 2]);
      // Darkening (a shadow's gradient) may step further than brightening (a pale garment).
      if (dl < 0 ? hypot2(dl / 3, dc) >= step : backdropDistance(dl, dc) >= step) return;
      ref[p * 3] = ref[from * 3] + (l - ref[from * 3]) * REF_RATE;
      ref[p * 3 + 1] = ref[from * 3 + 1] + (a - ref[from * 3 + 1]) * REF_RATE;
      ref[p * 3 + 2] = ref[from * 3 + 2] + (b - ref[from * 3 + 2]) * REF_RATE;
    } else {
      ref[p * 3] = l;
      ref[p * 3 + 1] = a;
      ref[p * 3 + 2] = b;
    }
    flood[p] = 1;
    stack[top++] = p;
  };
  for (let x = 0; x < width; x++) {
    seed(x, -1);
    seed((height - 1) * width + x, -1);
  }
  for (let y = 0; y < height; y++) {
    seed(y * width, -1);
    seed(y * width + width - 1, -1);
  }
  while (top > 0) {
    const p = stack[--top];
    const x = p % width;
    if (x > 0) seed(p - 1, p);
    if (x < width - 1) seed(p + 1, p);
    if (p >= width) seed(p - width, p);
    if (p < n - width) seed(p + width, p);
  }
  if (outline) dropBehindNarrowPassages(flood, kind, outline, width, height);
  // The texture test stops the flood short of every edge (the outline's blur, JPEG ringing in the
  // 8x8 blocks along it): grow it back through backdrop-like pixels that are not on a real edge,
  // then by a pixel or two through the backdrop's exact colour (the blurred rim of a strong edge).
  // `rough` marks pixels textured at full resolution beyond ringing (fabric, a faint outline),
  // which the regrowth must not enter: white fabric lit to the backdrop's colour passes the rest.
  // On a faint outline's step (`outline`) it takes only the backdrop's own colour: beyond it lies
  // the fabric's plateau, which the texture test would let it eat a regrowth's depth into.
  // Each step takes, all at once, the pixels beside the front that pass that step's test. Only
  // those can change, so the steps visit the front's rim (kept as a list) instead of the image.
  const front = flood;
  const onRim = new Uint8Array(n);
  let rim = new Int32Array(1024);
  let rimSize = 0;
  const addToRim = (q: number): void => {
    if (front[q] || onRim[q]) return;
    onRim[q] = 1;
    if (rimSize === rim.length) {
      const bigger = new Int32Array(rim.length * 2);
      bigger.set(rim);
      rim = bigger;
    }
    rim[rimSize++] = q;
  };
  const addNeighbours = (p: number): void => {
    const x = p % width;
    if (x > 0) addToRim(p - 1);
    if (x < width - 1) addToRim(p + 1);
    if (p >= width) addToRim(p - width);
    if (p < n - width) addToRim(p + width);
  };
  // The initial rim: unflooded pixels with a flooded 4-neighbour.
  for (let p = 0; p < n; p++) {
    if (front[p]) continue;
    const x = p % width;
    if ((x > 0 && front[p - 1]) || (x < width - 1 && front[p + 1]) || (p >= width && front[p - width]) || (p < n - width && front[p + width])) {
      onRim[p] = 1;
      if (rimSize === rim.length) {
        const bigger = new Int32Array(rim.length * 2);
        bigger.set(rim);
        rim = bigger;
      }
      rim[rimSize++] = p;
    }
  }
  let taken = new Int32Array(1024);
  for (let step = 0; step < REGROW_STEPS + 2; step++) {
    const textureLimit = step < REGROW_STEPS ? tol.edgeStrong : Infinity;
    let takenSize = 0;
    let kept = 0;
    for (let k = 0; k < rimSize; k++) {
      const p = rim[k];
      if (kind[p] === 0 || ((step >= REGROW_STEPS || outline?.[p]) && kind[p] !== 1) || texture[p] >= textureLimit || rough?.[p]) {
        rim[kept++] = p;
        continue;
      }
      if (takenSize === taken.length) {
        const bigger = new Int32Array(taken.length * 2);
        bigger.set(taken);
        taken = bigger;
      }
      taken[takenSize++] = p;
      onRim[p] = 0;
    }
    rimSize = kept;
    for (let k = 0; k < takenSize; k++) front[taken[k]] = 1;
    for (let k = 0; k < takenSize; k++) addNeighbours(taken[k]);
    if (takenSize === 0 && step >= REGROW_STEPS) break;
  }
  return front;
}

/**
 * Returns to the garment what the flood reached only through a passage narrower than
 * 2·LEAK_RADIUS + 1 work px between the garment's walls (its colours, kind 0, and its outlines'
 * steps): where a white garment's outline fades out for a stretch (a hem's corner lit to the
 * backdrop's very colour), the flood slips through that gap into the fabric's plateau, which is
 * the backdrop's colour or a shadow-like shade of it, and eats the garment from inside. The
 * backdrop around a garment is reached through wide open ways. (The walls leave out the texture
 * that stops the flood: on a grainy backdrop its own ways are a maze of narrow passages.) Regions
 * that the garment nearly encloses (the gap between a hanging sleeve and the body) are opened
 * afterwards by their own tests (openEnclosedBackdrop); the regrowth below puts back the flood's
 * margin along the outline that the cut takes.
 */
function dropBehindNarrowPassages(flood: Uint8Array, kind: Uint8Array, outline: Uint8Array, width: number, height: number): void {
  const r = LEAK_RADIUS;
  if (width <= 2 * r + 2 || height <= 2 * r + 2) return;
  const space = new Uint8Array(flood.length);
  for (let p = 0; p < space.length; p++) space[p] = kind[p] !== 0 && !outline[p] ? 1 : 0;
  const core = erode(space, width, height, r);
  const { labels, areas } = labelComponents(core, width, height);
  // Components of the eroded space that reach the image's border (the erosion keeps r px off it).
  const open = new Uint8Array(areas.length);
  for (let x = r; x < width - r; x++) {
    open[labels[r * width + x]] = 1;
    open[labels[(height - 1 - r) * width + x]] = 1;
  }
  for (let y = r; y < height - r; y++) {
    open[labels[y * width + r]] = 1;
    open[labels[y * width + width - 1 - r]] = 1;
  }
  open[0] = 0;
  const wide = new Uint8Array(flood.length);
  for (let p = 0; p < wide.length; p++) wide[p] = open[labels[p]];
  // The opening's own dilation, one pixel more: the flood within reach of the wide ways keeps its edge.
  const reach = dilate(wide, width, height, r + 1);
  // Only a region behind a passage is returned, as large as the gaps openEnclosedBackdrop opens: a
  // V-neck's tip or an armpit's wedge of backdrop narrows below the passage's width too.
  const behind = new Uint8Array(flood.length);
  for (let p = 0; p < flood.length; p++) behind[p] = flood[p] & (reach[p] ^ 1);
  const regions = labelComponents(behind, width, height);
  // And only through a gap in a faint outline: where a region meets the flood that stays, most of
  // that seam lies by the outline's steps (the gap between a navy sleeve and the body is narrow
  // too, between the garment's colours alone).
  const nearOutline = dilate(outline, width, height, 2 * r + 1);
  const seam = new Float64Array(regions.areas.length);
  const seamByOutline = new Float64Array(regions.areas.length);
  const n = flood.length;
  for (let p = 0; p < n; p++) {
    if (!behind[p]) continue;
    const x = p % width;
    const kept = (q: number): boolean => flood[q] === 1 && behind[q] === 0;
    if ((x > 0 && kept(p - 1)) || (x < width - 1 && kept(p + 1)) || (p >= width && kept(p - width)) || (p < n - width && kept(p + width))) {
      const id = regions.labels[p];
      seam[id]++;
      seamByOutline[id] += nearOutline[p];
    }
  }
  const minArea = GAP_AREA_SHARE * width * height;
  const returned = regions.areas.map((area, id) => id > 0 && area >= minArea && seamByOutline[id] >= OUTLINE_SEAM_SHARE * seam[id]);
  for (let p = 0; p < n; p++) if (behind[p] && returned[regions.labels[p]]) flood[p] = 0;
}

/**
 * Half-width (work px) of the narrowest way by which the flood reaches backdrop past a faint
 * outline: the white Bape tee's hem corner, lit to the backdrop's colour (wide 18, 89), left a way
 * of about ten work px between its outline's steps, and smaller gaps along its sides.
 */
const LEAK_RADIUS = 5;
/** Least share of the seam between a region behind a narrow passage and the kept flood that lies by a faint outline's steps. */
const OUTLINE_SEAM_SHARE = 0.5;
/**
 * Least area (share of the work image) of a backdrop-coloured region the garment encloses that is
 * opened as a gap (openEnclosedBackdrop), and of a region behind a narrow passage that is returned
 * to the garment (dropBehindNarrowPassages): smaller ones are a notch's or a wedge's tip.
 */
const GAP_AREA_SHARE = 0.003;

const REGROW_STEPS = 8;
/** How fast the flood's carried backdrop colour follows the pixels it walks over. */
const REF_RATE = 0.3;

/**
 * Keeps the largest foreground component and the components close to it (straps, a detached
 * sleeve), drops specks (dust, a stray label far from the garment).
 */
export function keepGarmentComponents(foreground: Uint8Array, width: number, height: number, contrast?: Float32Array): Uint8Array {
  const { labels, areas, boxes } = labelComponents(foreground, width, height);
  // Mean colour distance from the backdrop per component: blotches of JPEG noise or backdrop
  // texture are barely off the backdrop, garment parts are not.
  const meanContrast = new Float64Array(areas.length);
  if (contrast) {
    for (let p = 0; p < labels.length; p++) if (labels[p]) meanContrast[labels[p]] += contrast[p];
    for (let id = 1; id < areas.length; id++) meanContrast[id] /= areas[id];
  }
  let main = 0;
  for (let id = 1; id < areas.length; id++) if (areas[id] > (areas[main] ?? 0)) main = id;
  const out = new Uint8Array(width * height);
  if (main === 0) return out;
  const [mx0, my0, mx1, my1] = boxes[main];
  const reach = Math.round(0.02 * Math.hypot(width, height));
  const keep = new Uint8Array(areas.length);
  keep[main] = 1;
  for (let id = 1; id < areas.length; id++) {
    if (id === main || areas[id] < Math.max(20, areas[main] * 0.002)) continue;
    if (contrast && meanContrast[id] < GARMENT_CONTRAST) continue;
    const [x0, y0, x1, y1] = boxes[id];
    const gapX = Math.max(0, mx0 - x1, x0 - mx1);
    const gapY = Math.max(0, my0 - y1, y0 - my1);
    // A component overlapping the garment's box, or close to it and not tiny, is part of it.
    if ((gapX === 0 && gapY === 0 && areas[id] > areas[main] * 0.01) || Math.max(gapX, gapY) <= reach && areas[id] > areas[main] * 0.02) keep[id] = 1;
  }
  for (let p = 0; p < out.length; p++) if (keep[labels[p]]) out[p] = 1;
  return out;
}

/** Colour distance from the backdrop of an outline strong enough to ring after JPEG compression. */
export const STRONG_CONTRAST = 10;
/** Least colour distance from the backdrop of a pixel that the outline refinement takes as garment colour (above JPEG ringing). */
const GARMENT_CONTRAST = 3;
/** Reach of JPEG ringing at full resolution (one 8x8 block). */
const RINGING_PX = 8;

/** Least work-resolution texture of pale fabric: weave and folds, not a shadow's JPEG-quantised ramp. */
const PALE_TEXTURE = 0.1;

/**
 * Pale fabric: the backdrop's colour but textured like fabric, away from high-contrast edges
 * (whose ringing is texture too) — a white garment lit to the sweep's colour, not a shadow or a
 * patch of backdrop enclosed by the garment.
 */
function isPaleFabric(contrast: number, texture: number, nearStrong: number, tol: Tolerances): boolean {
  return contrast < GARMENT_CONTRAST && texture >= Math.max(tol.edge, PALE_TEXTURE) && !nearStrong;
}

/**
 * Work pixels on a garment's faint outline that only its bend shows (see lightnessBend): the
 * lightness bends over about a JPEG block more than the backdrop's own grain does (BEND_FACTOR times
 * its 90th percentile along the border), closed over single-pixel gaps, out of reach of the ringing
 * of high-contrast outlines (`ringing`).
 */
function outlineSteps(lab: LabImage, factor: number, contrast: Float32Array, tol: Tolerances, ringing: Uint8Array): Uint8Array {
  const { width, height, data } = lab;
  const lightness = new Float32Array(width * height);
  for (let p = 0; p < lightness.length; p++) lightness[p] = data[p * 3];
  const radius = Math.max(1, Math.round(RINGING_PX / 2 / factor));
  const bend = lightnessBend(lightness, width, height, radius);
  const limit = Math.max(MIN_BEND, BEND_FACTOR * borderNoise(bend, width, height));
  // A step from the backdrop to something off its colour (beyond the tight tolerance) within the
  // window: the backdrop's own grain bends a window of nothing but backdrop now and then, and those
  // specks would wall pockets of backdrop off.
  const off = new Uint8Array(width * height);
  for (let p = 0; p < off.length; p++) off[p] = contrast[p] >= tol.tight ? 1 : 0;
  const offNear = dilate(off, width, height, radius);
  const outline = new Uint8Array(width * height);
  for (let p = 0; p < outline.length; p++) outline[p] = bend[p] >= limit && offNear[p] ? 1 : 0;
  // Only faint outlines, out of reach of a high-contrast one's ringing (which bends the lightness
  // too): there the texture stops the flood, and the regrowth and the refinement clear the ringing
  // by their own rules.
  const faint = dilate(outline, width, height, 1);
  for (let p = 0; p < faint.length; p++) faint[p] &= ringing[p] ^ 1;
  return faint;
}

/**
 * How far (times the border's 90th percentile) an outline's bend stands above the backdrop's. The
 * white Bape tee's faint sides on its knocked-out white backdrop (border 90th percentile 0.17 L)
 * measured 1.5-4 times, its backdrop's JPEG block edges below.
 */
const BEND_FACTOR = 1.5;
/** Least bend (L units) taken for an outline: a perfectly flat backdrop's has none. */
const MIN_BEND = 0.1;

/** Long side of the image the flood fill runs on; the outline is then refined at full resolution. */
const WORK_LONG_SIDE = 512;

/** Box-averages an RGB(A) raster by an integer factor. */
function downsample(image: Raster, factor: number): Raster {
  if (factor === 1) return image;
  const w = Math.floor(image.width / factor);
  const h = Math.floor(image.height / factor);
  const out: Raster = { width: w, height: h, channels: 3, data: new Uint8Array(w * h * 3) };
  const c = image.channels;
  const norm = 1 / (factor * factor);
  if (factor === 2) {
    // The usual case (a 1024 px photo): the 2x2 sums written out (integer sums, the same in any order).
    const rowStride = image.width * c;
    for (let y = 0; y < h; y++) {
      for (let x = 0, p = 2 * y * rowStride, q = y * w * 3; x < w; x++, p += 2 * c, q += 3) {
        const p2 = p + rowStride;
        out.data[q] = Math.round((image.data[p] + image.data[p + c] + image.data[p2] + image.data[p2 + c]) * norm);
        out.data[q + 1] = Math.round((image.data[p + 1] + image.data[p + c + 1] + image.data[p2 + 1] + image.data[p2 + c + 1]) * norm);
        out.data[q + 2] = Math.round((image.data[p + 2] + image.data[p + c + 2] + image.data[p2 + 2] + image.data[p2 + c + 2]) * norm);
      }
    }
    return out;
  }
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let r = 0, g = 0, b = 0;
      for (let dy = 0; dy < factor; dy++) {
        let p = ((y * factor + dy) * image.width + x * factor) * c;
        for (let dx = 0; dx < factor; dx++, p += c) {
          r += image.data[p];
          g += image.data[p + 1];
          b += image.data[p + 2];
        }
      }
      const q = (y * w + x) * 3;
      out.data[q] = Math.round(r * norm);
      out.data[q + 1] = Math.round(g * norm);
      out.data[q + 2] = Math.round(b * norm);
    }
  }
  return out;
}

/**
 * Backdrop enclosed by the garment (the gap between a hanging sleeve and the body, closed off at
 * the bottom by the cuff touching the hem): large smooth regions of the backdrop's colour that the
 * flood could not reach.
 */
function openEnclosedBackdrop(
  backdrop: Uint8Array, kind: Uint8Array, texture: Float32Array, tol: Tolerances, width: number, height: number, backdropTexture: number,
  nearStrong: Uint8Array, paleFabric: Uint8Array, contrast: Float32Array, noise: number, outline: Uint8Array,
): void {
  const candidate = new Uint8Array(width * height);
  for (let p = 0; p < candidate.length; p++) candidate[p] = !backdrop[p] && kind[p] === 1 && texture[p] < tol.edge ? 1 : 0;
  const { labels, areas, boxes } = labelComponents(candidate, width, height);
  const minArea = GAP_AREA_SHARE * width * height;
  // As smooth as the backdrop itself: a shaded part of a pale garment has the backdrop's colour
  // but keeps some fabric texture.
  const meanTexture = new Float64Array(areas.length);
  for (let p = 0; p < candidate.length; p++) if (labels[p]) meanTexture[labels[p]] += texture[p];
  // Enclosed by the garment, not by a faint outline: a white garment's fabric lit to the
  // backdrop's colour and as smooth (or smoothed by JPEG) is such a region too, but along much of
  // its edge (more than the region's own size) the outer backdrop lies just across its thin
  // outline, while a gap the garment encloses meets it only where the garment closes it off.
  const outerNear = dilate(backdrop, width, height, OUTLINE_WIDTH);
  // Bounded by the garment's outlines: a gap's edge is where a garment part begins, with a step
  // (texture, or the bend of a faint one), while a highlight on white fabric lit to the backdrop's
  // colour fades into the fabric's shading with none.
  // (On a plain backdrop: on a textured one, the backdrop's smears fade into each other too.)
  const plain = noise <= THIN_GAP_MAX_NOISE;
  const stepped = new Uint8Array(width * height);
  for (let p = 0; p < stepped.length; p++) stepped[p] = outline[p] || texture[p] >= tol.edge ? 1 : 0;
  const steppedNear = dilate(stepped, width, height, 1);
  const edge = new Float64Array(areas.length);
  const edgeNearOuter = new Float64Array(areas.length);
  const edgeStepped = new Float64Array(areas.length);
  for (let p = 0; p < candidate.length; p++) {
    const id = labels[p];
    if (!id) continue;
    const x = p % width;
    const onEdge = x === 0 || x === width - 1 || p < width || p >= candidate.length - width ||
      labels[p - 1] !== id || labels[p + 1] !== id || labels[p - width] !== id || labels[p + width] !== id;
    if (!onEdge) continue;
    edge[id]++;
    edgeStepped[id] += steppedNear[p];
    // Beside a high-contrast garment part (a dark strap closing off a gap), not a faint outline.
    if (!nearStrong[p]) edgeNearOuter[id] += outerNear[p];
  }
  // Enclosed by the garment's parts, not printed on a panel: the parts that close a gap off (a
  // strap, a bag's handle, a sleeve whose cuff touches the hem) are thin next to the gap's own
  // length, while a backdrop-coloured print sits a panel's width inside the outline, about as far
  // in as the print is long (measured through the garment from the outer backdrop). Or the region
  // is a sliver, as a gap between two parts lying side by side is (a sleeve and the body, two
  // trouser legs, whose gap tapers to where they touch and so lies far from the backdrop), while a
  // logo or a print's ground is a compact block.
  // Measured only when some region needs it (most garments enclose no backdrop-coloured region).
  let nearest: Int32Array | null = null;
  const nearestSeparation = (): Int32Array => {
    if (nearest) return nearest;
    const separation = separationFromBackdrop(backdrop, kind, width, height);
    nearest = new Int32Array(areas.length).fill(FAR_FROM_BACKDROP);
    for (let p = 0; p < candidate.length; p++) if (labels[p] && separation[p] < nearest[labels[p]]) nearest[labels[p]] = separation[p];
    return nearest;
  };
  const enclosedByParts = (id: number): boolean => {
    const [x0, y0, x1, y1] = boxes[id];
    const longest = Math.max(x1 - x0 + 1, y1 - y0 + 1);
    return areas[id] <= GAP_FILL_SHARE * longest * longest || nearestSeparation()[id] <= ENCLOSING_PART_SHARE * longest;
  };
  // Specks are told by colour, and colour tells backdrop only on a plain backdrop (see THIN_GAP_MAX_NOISE).
  const thinGapsAsked = noise <= THIN_GAP_MAX_NOISE && areas.some((area, id) => id > 0 && area >= MIN_GAP_AREA);
  // The separation is measured from the flood's backdrop, before any region is opened.
  if (thinGapsAsked) nearestSeparation();
  const open = areas.map((area, id) => id > 0 && area >= minArea && meanTexture[id] / area < backdropTexture * 2 + 0.01 &&
    edgeNearOuter[id] < Math.sqrt(area) && (!plain || edgeStepped[id] >= STEPPED_EDGE_SHARE * edge[id]) && enclosedByParts(id));
  for (let p = 0; p < candidate.length; p++) if (open[labels[p]]) backdrop[p] = 1;
  if (!thinGapsAsked) return;
  const nearPale = dilate(paleFabric, width, height, THIN_PART_PX);
  const thin = openThinGaps(backdrop, candidate, labels, areas, open, width, height, nearestSeparation(), nearPale);
  // Each thin gap grows to the backdrop's colour around it (the texture margin along its
  // outlines, a tapering tip), so that the full-resolution refinement starts from the gap's outline
  // and does not take the unopened rest of it for the garment's own colours. (The large regions
  // opened above, which may lie on a textured backdrop, do not grow: there the growth's tolerance
  // took in a white polo's shaded underside; the refinement trims them well enough.)
  const seeds: number[] = [];
  for (let p = 0; p < candidate.length; p++) if (thin[labels[p]]) seeds.push(p);
  if (!seeds.length) return;
  const tolerance = Math.max(2 * tol.loose, GAP_GROW_TOLERANCE);
  const grows = (q: number): boolean => contrast[q] < tolerance && !nearPale[q];
  growGaps(backdrop, seeds, grows, width, height);
}

/**
 * Grows the backdrop from `seeds`, GAP_GROW_PX deep at most, through the pixels `grows` accepts
 * (the backdrop's colour, as the outline refinement's tolerance, not near pale fabric).
 */
function growGaps(backdrop: Uint8Array, seeds: number[], grows: (p: number) => boolean, width: number, height: number): void {
  const n = width * height;
  const queue = new Int32Array(n);
  queue.set(seeds);
  let top = seeds.length;
  let layerEnd = top;
  let depth = 0;
  const take = (q: number): void => {
    if (backdrop[q] || !grows(q)) return;
    backdrop[q] = 1;
    queue[top++] = q;
  };
  for (let head = 0; head < top; head++) {
    if (head === layerEnd) {
      if (++depth >= GAP_GROW_PX) break;
      layerEnd = top;
    }
    const p = queue[head];
    const x = p % width;
    if (x > 0) take(p - 1);
    if (x < width - 1) take(p + 1);
    if (p >= width) take(p - width);
    if (p < n - width) take(p + width);
  }
}

/**
 * How deep (work px) an opened gap grows: across the texture margin its outlines put on it (about
 * a JPEG block at full resolution) and down the narrowing tip of a gap between flares.
 */
const GAP_GROW_PX = 24;
/** Least colour tolerance (ΔE as backdropDistance) of a gap's growth: the backdrop's JPEG ringing beside a strap. */
const GAP_GROW_TOLERANCE = 2;

/**
 * Narrow gaps the garment's thin parts enclose (the backdrop between a camisole's strap and its
 * bodice, the wedge between trouser flares that touch at the hem): the backdrop's exact colour, as
 * flat as the flood's own pixels, but too narrow for the regions above to survive the texture
 * margin that a strap's outline puts on each side. What is left of them is a few specks, each far
 * below the area a region needs above. A speck is opened when, besides its colour and flatness, it
 * lies within THIN_PART_PX of the backdrop (the flood's, or a gap opened above: the rest of that
 * gap's tapering tip) and at least THINNEST_PART_PX garment-coloured pixels separate it from the
 * backdrop (see separationFromBackdrop). A strap or a trouser leg's last pixels before the hem are
 * that thin, while a backdrop-coloured print, a logo or the white tee inside a black letter's
 * stroke lie a panel's width inside the outline; a white collar lit to the backdrop's colour
 * reaches the backdrop through its own pale pixels (separation 0 or 1: its faint outline's blur),
 * not across a garment-coloured part. Never near pale fabric either (see isPaleFabric). The growth
 * and the full-resolution refinement then clear each opened gap up to the strap's real edge, JPEG
 * ringing included.
 */
function openThinGaps(
  backdrop: Uint8Array, candidate: Uint8Array, labels: Int32Array, areas: number[], opened: boolean[], width: number, height: number,
  nearest: Int32Array, nearPale: Uint8Array,
): boolean[] {
  // The backdrop here includes the gaps opened above: a speck beside one is the rest of its tip.
  const nearBackdrop = dilate(backdrop, width, height, THIN_PART_PX);
  const touches = new Uint8Array(areas.length);
  const pale = new Uint8Array(areas.length);
  for (let p = 0; p < candidate.length; p++) {
    const id = labels[p];
    if (!id) continue;
    touches[id] |= nearBackdrop[p];
    pale[id] |= nearPale[p];
  }
  const open = areas.map((area, id) => id > 0 && !opened[id] && area >= MIN_GAP_AREA && touches[id] === 1 && nearest[id] >= THINNEST_PART_PX &&
    pale[id] === 0);
  for (let p = 0; p < candidate.length; p++) if (open[labels[p]]) backdrop[p] = 1;
  return open;
}

/**
 * Greatest distance (through the garment from the outer backdrop, as a share of the region's
 * longest side) of a backdrop-coloured region taken for a gap the garment's parts enclose. The
 * drawn gap between a hanging sleeve and the body (its cuff closing it) measured 0.12, the regions
 * opened on the 117 development garments 0.00-0.05; a drawn backdrop-coloured block logo in a tee's
 * chest 0.78 (and drawn flares touching at the hem 0.50: GAP_FILL_SHARE takes those).
 */
const ENCLOSING_PART_SHARE = 0.35;
/**
 * Largest area, as a share of the square on its longest side, of a sliver of backdrop between two
 * garment parts lying side by side. The drawn gaps between hanging sleeves and the body measured
 * 0.05, between flared legs 0.10; a drawn backdrop-coloured block logo 0.56 (a square would be 1).
 */
const GAP_FILL_SHARE = 0.25;
/** Separation of a pixel no backdrop reaches. */
const FAR_FROM_BACKDROP = 0x7fffffff;

/**
 * Garment-coloured pixels (work px, 4-connected) crossed on the way from the backdrop to every
 * pixel: how much garment lies between a pixel and the backdrop. Backdrop-coloured pixels are
 * crossed for free (a 0-1 breadth-first search), so that a gap tapering to where two flares touch,
 * which the texture of its near outlines keeps from the candidate regions, still counts as the
 * open way out it is.
 */
function separationFromBackdrop(backdrop: Uint8Array, kind: Uint8Array, width: number, height: number): Int32Array {
  const n = width * height;
  const distance = new Int32Array(n).fill(FAR_FROM_BACKDROP);
  // A deque in a buffer twice the image: free steps go to the front, costly ones to the back.
  const deque = new Int32Array(2 * n + 2);
  let head = n + 1, tail = n + 1;
  for (let p = 0; p < n; p++) {
    if (!backdrop[p]) continue;
    distance[p] = 0;
    deque[tail++] = p;
  }
  const visit = (q: number, from: number): void => {
    const free = kind[q] !== 0;
    const d = distance[from] + (free ? 0 : 1);
    if (d >= distance[q]) return;
    distance[q] = d;
    if (free) deque[--head] = q;
    else deque[tail++] = q;
  };
  while (head < tail) {
    const p = deque[head++];
    const x = p % width;
    if (x > 0) visit(p - 1, p);
    if (x < width - 1) visit(p + 1, p);
    if (p >= width) visit(p - width, p);
    if (p < n - width) visit(p + width, p);
  }
  return distance;
}

/**
 * Widest garment part (work px) across which an enclosed speck of backdrop is taken for a gap: a
 * strap with its outline's texture margin on both sides (a 10 px strap at 1024 px measured 7-9),
 * well short of a panel's width, where a print sits.
 */
const THIN_PART_PX = 10;
/**
 * Narrowest garment part (work px of garment colour) across which a speck is taken for a gap: one
 * pixel is only the antialiased or JPEG-blurred step along a white collar's faint outline.
 */
const THINNEST_PART_PX = 2;
/**
 * Greatest noise (ΔE, BackgroundModel.noise) of a backdrop on which specks are opened as thin gaps,
 * faint outlines are looked for, and an enclosed region needs stepped edges to be a gap.
 * On the 117 development garments 115 backdrops measured 0.1-2.4; the two textured ones (a grey
 * textured board, a table with props) 9.4 and 15.7, where the colour tolerance is so wide that a
 * garment's shaded fabric falls within it (a white polo's grey underside beside its sleeve).
 */
const THIN_GAP_MAX_NOISE = 3;
/** Smallest speck (work px) of the backdrop's exact colour opened as a thin gap: smaller is JPEG noise. */
const MIN_GAP_AREA = 12;

/**
 * Least share of an enclosed region's edge on a step (see openEnclosedBackdrop) for the region to be
 * a gap: the drawn gaps between straps and bodice, sleeves and body measured 0.68-1.00, highlights
 * on a white tee's chest lit to the backdrop's colour 0.22-0.34.
 */
const STEPPED_EDGE_SHARE = 0.5;

/** Widest faint outline (work px, its blur and the flood's texture margin included) between pale fabric and the outer backdrop. */
const OUTLINE_WIDTH = 12;


/** Backdrop classes per pixel: 0 garment-like, 1 backdrop colour, 2 backdrop-like (slightly off, or a shadow). */
export function classifyBackdrop(dL: Float32Array, dChroma: Float32Array, tol: Tolerances): Uint8Array {
  const kind = new Uint8Array(dL.length);
  for (let p = 0; p < dL.length; p++) kind[p] = backdropKind(dL[p], dChroma[p], tol);
  return kind;
}

function backdropKind(dL: number, dChroma: number, tol: Tolerances): number {
  const d = backdropDistance(dL, dChroma);
  if (d < tol.tight) return 1;
  if (d < tol.loose || (dL < 0 && dL > -tol.shadow && dChroma < tol.loose * 1.5)) return 2;
  return 0;
}

/** Distance to the backdrop, brighter-than-backdrop counting double (see floodBackdrop). */
export function backdropDistance(dL: number, dChroma: number): number {
  const l = dL > 0 ? 2 * dL : dL;
  return Math.sqrt(l * l + dChroma * dChroma);
}

/**
 * Work pixels within `near` whose full-resolution block holds texture that is neither the
 * backdrop's grain nor ringing.
 */
function roughBlocks(fine: FineTexture, near: Uint8Array, width: number, height: number, factor: number, sw: number, sh: number): Uint8Array {
  const rough = new Uint8Array(sw * sh);
  for (let sy = 0; sy < sh; sy++) {
    for (let sx = 0; sx < sw; sx++) {
      const s = sy * sw + sx;
      if (!near[s]) continue;
      for (let y = sy * factor; y < Math.min(height, (sy + 1) * factor) && !rough[s]; y++) {
        for (let x = sx * factor; x < Math.min(width, (sx + 1) * factor); x++) {
          const p = y * width + x;
          if (textureAt(fine, p, x, y) >= fine.smooth && !isRinging(fine, p, x, y)) {
            rough[s] = 1;
            break;
          }
        }
      }
    }
  }
  return rough;
}

/**
 * `faintOutlines` (default true): look for a pale garment's faint outline on a plain backdrop (see
 * outlineSteps). Trousers and skirts go without: a soft shadow under a hem or between the legs
 * has the same faint edges, and was walled off as garment (wide 50, 59).
 */
export function segmentGarment(image: Raster, faintOutlines = true): Segmentation {
  const { width, height } = image;
  const factor = Math.max(1, Math.floor(Math.max(width, height) / WORK_LONG_SIDE));
  const small = downsample(image, factor);
  const sw = small.width, sh = small.height;
  const lab = rasterToLab(small);
  // Texture over a 5x5 neighbourhood (two 3x3 means): JPEG quantisation leaves isolated steps on a
  // smooth backdrop that a smaller window would mistake for fabric.
  const texture = boxMean3(boxMean3(lightnessLaplacian(lab), sw, sh), sw, sh);
  const background = fitBackground(lab, texture);
  if (background.inlierShare < 0.25) {
    throw new EngineInputError('garment photo has no plain background around the garment to separate it from');
  }
  const { dL, dChroma } = backgroundDifference(lab, background);
  const tol = tolerancesFor(background);
  const kind = classifyBackdrop(dL, dChroma, tol);
  const { contrast, strong } = contrastAndStrong(dL, dChroma);
  const nearStrong = dilate(strong, sw, sh, Math.ceil(RINGING_PX / factor) + 1);
  // Pale fabric: backdrop-coloured but textured areas away from high-contrast edges (a white
  // garment lit to the sweep's colour). Only near it is the regrowth held back by fine texture,
  // and only when there is some is the full-resolution texture worth measuring.
  // Ringing reaches twice as far in colour (JPEG's chroma blocks are 16 px with subsampling).
  const ringingReach = dilate(strong, sw, sh, 2 * Math.ceil(RINGING_PX / factor) + 1);
  const paleFabric = paleFabricCells(contrast, texture, ringingReach, tol);
  let paleCount = 0;
  for (let p = 0; p < paleFabric.length; p++) paleCount += paleFabric[p];
  const fine = paleCount ? fineTexture(image) : null;
  const rough = fine ? roughBlocks(fine, dilate(erode(paleFabric, sw, sh, 1), sw, sh, LOCAL_RADIUS), width, height, factor, sw, sh) : undefined;
  // Faint outlines are looked for on a plain backdrop only: on a textured one (a grey board, a
  // table) the texture bends the lightness as much, and colour, not a faint step, tells the garment.
  const outline = faintOutlines && background.noise <= THIN_GAP_MAX_NOISE ? outlineSteps(lab, factor, contrast, tol, ringingReach) : new Uint8Array(sw * sh);
  const backdrop = floodBackdrop(sw, sh, kind, texture, tol, nearStrong, lab, rough, outline);
  openEnclosedBackdrop(backdrop, kind, texture, tol, sw, sh, meanWhere(texture, backdrop), nearStrong, paleFabric, contrast, background.noise, outline);
  const coarse = new Uint8Array(sw * sh);
  for (let p = 0; p < coarse.length; p++) coarse[p] = backdrop[p] ? 0 : 1;
  const kept = keepGarmentComponents(coarse, sw, sh, contrast);
  const refined = refineOutline(image, factor, kept, sw, sh, lab, background, tol, { contrast, nearStrong, paleFabric, fine, outline });
  // The refinement can cut off ringing specks that hung on the coarse outline: keep the garment.
  const foreground = keepGarmentComponents(refined, width, height);
  return { foreground, coarse: { width: sw, height: sh, data: kept }, lab, background, weakOutlineShare: weakOutlineShare(foreground, width, height, contrast, factor, sw, sh), paleShare: paleCount / (sw * sh) };
}

// The next three are whole-image loops of segmentGarment in functions of their own: inside that
// large function V8 ran them unoptimised (~20 ns a pixel) until an on-stack-replacement compile
// of the whole function was ready. Same arithmetic.

/** Each cell's backdrop contrast (backdropDistance), and 1 where it exceeds STRONG_CONTRAST. */
function contrastAndStrong(dL: Float32Array, dChroma: Float32Array): { contrast: Float32Array; strong: Uint8Array } {
  const contrast = new Float32Array(dL.length);
  const strong = new Uint8Array(dL.length);
  for (let p = 0; p < strong.length; p++) {
    contrast[p] = backdropDistance(dL[p], dChroma[p]);
    strong[p] = contrast[p] > STRONG_CONTRAST ? 1 : 0;
  }
  return { contrast, strong };
}

/** 1 at each cell isPaleFabric takes, else 0. */
function paleFabricCells(contrast: Float32Array, texture: Float32Array, ringingReach: Uint8Array, tol: Tolerances): Uint8Array {
  const paleFabric = new Uint8Array(contrast.length);
  for (let p = 0; p < paleFabric.length; p++) paleFabric[p] = isPaleFabric(contrast[p], texture[p], ringingReach[p], tol) ? 1 : 0;
  return paleFabric;
}

/** Mean of `values` where `where` is set; 0 where it is set nowhere. */
function meanWhere(values: Float32Array, where: Uint8Array): number {
  let sum = 0, count = 0;
  for (let p = 0; p < where.length; p++) {
    if (!where[p]) continue;
    sum += values[p];
    count++;
  }
  return count ? sum / count : 0;
}

/**
 * Share of the garment's rim (full-resolution pixels OUTLINE_INSET work pixels inside its refined
 * outline: past the outline's antialiasing) whose backdrop contrast, read at work resolution, is
 * below GARMENT_CONTRAST.
 */
function weakOutlineShare(garment: Uint8Array, width: number, height: number, contrast: Float32Array, factor: number, sw: number, sh: number): number {
  const inner = erode(garment, width, height, OUTLINE_INSET * factor);
  const core = erode(inner, width, height, 1);
  let rim = 0;
  let weak = 0;
  for (let p = 0; p < garment.length; p++) {
    if (!inner[p] || core[p]) continue;
    rim++;
    const x = p % width;
    const y = (p - x) / width;
    const q = Math.min(sh - 1, Math.floor(y / factor)) * sw + Math.min(sw - 1, Math.floor(x / factor));
    if (contrast[q] < GARMENT_CONTRAST) weak++;
  }
  return rim ? weak / rim : 0;
}

/** Depth (work-resolution px) inside the outline at which its contrast is read. */
const OUTLINE_INSET = 2;

/** Outline refinement's verdicts on a pixel's colour (see backdropVerdict). */
const NOT = 0, FAINT = 1, DISTINCT = 2;
type Verdict = typeof NOT | typeof FAINT | typeof DISTINCT;

/** How deep (full-resolution px) the outline refinement may eat into the coarse garment. */
const SHRINK_DEPTH = 64;
/** Steps from the coarse outline within which the backdrop side of the garment's outline is cleared. */
const RIM_STEPS = 4;
/** How far (full-resolution px) it may grow the garment outwards. */
const GROW_DEPTH = 4;
/** Colour tolerance for the ringing blocks along a faint (white-on-white) outline. */
const FAINT_EDGE_TOLERANCE = 2;
/** Garment colours sampled for pixels with no garment interior nearby. */
const GLOBAL_SAMPLES = 256;
/** Radius (work px) of the neighbourhood whose garment colour a pixel is compared with. */
const LOCAL_RADIUS = 12;

/**
 * Re-decides full-resolution pixels along the coarse outline, walking inwards from the backdrop
 * (and then outwards from the garment): a pixel is backdrop when its colour is nearer the backdrop
 * model than any garment colour found just inside the outline. This removes JPEG ringing and
 * narrow backdrop notches the coarse flood could not enter (a V-neck's tip), and puts a white
 * garment's faint edge back where the coarse pass cut it.
 */
function refineOutline(
  image: Raster, factor: number, coarse: Uint8Array, sw: number, sh: number, lab: LabImage, model: BackgroundModel, tol: Tolerances,
  maps: { contrast: Float32Array; nearStrong: Uint8Array; paleFabric: Uint8Array; fine: FineTexture | null; outline: Uint8Array },
): Uint8Array {
  const { contrast, nearStrong, paleFabric, fine, outline } = maps;
  const { width, height, channels, data } = image;
  // Garment colours to compare with: the clearly-not-backdrop coarse interior, away from the
  // outline's blur and ringing (which the coarse mask may still include).
  const interior = erode(coarse, sw, sh, Math.ceil(RINGING_PX / factor));
  // Where the garment's own interior has the backdrop's colour (white fabric on a white sweep),
  // colour cannot decide the outline: there texture does (below).
  const pale = new Uint8Array(interior.length);
  for (let p = 0; p < interior.length; p++) {
    if (contrast[p] >= GARMENT_CONTRAST) continue;
    pale[p] = interior[p] & paleFabric[p];
    interior[p] = 0;
  }
  const paleNear = dilate(pale, sw, sh, LOCAL_RADIUS);
  // A sample of the interior's colours anywhere on the garment.
  let interiorCount = 0;
  for (let p = 0; p < interior.length; p++) interiorCount += interior[p];
  const globalSamples: number[] = [];
  const stride = Math.max(1, Math.floor(interiorCount / GLOBAL_SAMPLES));
  for (let p = 0, seen = 0; p < interior.length; p++) {
    if (interior[p] && seen++ % stride === 0) globalSamples.push(lab.data[p * 3], lab.data[p * 3 + 1], lab.data[p * 3 + 2]);
  }
  const nearestGlobal = (l: number, a: number, b: number): number => {
    let best = Infinity;
    for (let i = 0; i < globalSamples.length; i += 3) {
      const dl = l - globalSamples[i], da = a - globalSamples[i + 1], db = b - globalSamples[i + 2];
      best = Math.min(best, dl * dl + da * da + db * db);
    }
    return Math.sqrt(best);
  };
  /** Distance from (l, a, b) to the nearest garment colour around work pixel (sx, sy), or -1. */
  const nearestGarment = (l: number, a: number, b: number, sx: number, sy: number): number => {
    let best = Infinity;
    for (let y = Math.max(0, sy - LOCAL_RADIUS); y <= Math.min(sh - 1, sy + LOCAL_RADIUS); y += 3) {
      for (let x = Math.max(0, sx - LOCAL_RADIUS); x <= Math.min(sw - 1, sx + LOCAL_RADIUS); x += 3) {
        const q = y * sw + x;
        if (!interior[q]) continue;
        const dl = l - lab.data[q * 3], da = a - lab.data[q * 3 + 1], db = b - lab.data[q * 3 + 2];
        const d = dl * dl + da * da + db * db;
        if (d < best) best = d;
      }
    }
    return best === Infinity ? -1 : Math.sqrt(best);
  };
  const [cL, cA, cB] = model.coefficients;
  // One reused buffer for the pixel's CIELAB (doubles, as the tuple-returning conversion gives).
  const pixelLab = [0, 0, 0];
  /**
   * Whether the pixel's colour says backdrop: FAINT when only because it is within the backdrop's
   * tolerance (a pale garment's fabric can be that too), DISTINCT when it is nearer the backdrop
   * than the garment's own colours, NOT otherwise.
   */
  const backdropVerdict = (p: number, step: number): Verdict => {
    const x = p % width;
    const y = (p - x) / width;
    rgbToLab(data[p * channels], data[p * channels + 1], data[p * channels + 2], pixelLab);
    const l = pixelLab[0], a = pixelLab[1], b = pixelLab[2];
    const u = x / width - 0.5;
    const v = y / height - 0.5;
    const bl = cL[0] + cL[1] * u + cL[2] * v + cL[3] * u * u + cL[4] * u * v + cL[5] * v * v;
    const ba = cA[0] + cA[1] * u + cA[2] * v + cA[3] * u * u + cA[4] * u * v + cA[5] * v * v;
    const bb = cB[0] + cB[1] * u + cB[2] * v + cB[3] * u * u + cB[4] * u * v + cB[5] * v * v;
    const toBackdrop = backdropDistance(l - bl, hypot2(a - ba, b - bb));
    const sx = Math.min(sw - 1, Math.floor(x / factor));
    const sy = Math.min(sh - 1, Math.floor(y / factor));
    // Away from high-contrast outlines (a white garment's faint edge) the garment may be as light
    // as the backdrop: only the JPEG blocks along the outline (ringing that stopped the textured
    // flood) are cleared, by a slightly wider colour tolerance.
    // On a faint outline's step (see outlineSteps) the fabric's side is a plateau just off the
    // backdrop's colour: past the outline's blurred rim only the backdrop's own colour is cleared,
    // not a JPEG block's depth of the fabric.
    if (!nearStrong[sy * sw + sx]) {
      const tolerance = outline[sy * sw + sx] && step >= RIM_STEPS ? tol.tight : Math.max(tol.loose, FAINT_EDGE_TOLERANCE);
      return step < RINGING_PX && toBackdrop < tolerance ? FAINT : NOT;
    }
    // The backdrop's own colour (up to twice the tolerance: the pixels of a notch the flood could
    // not enter, ringing included) is backdrop whatever the garment nearby looks like.
    if (toBackdrop < Math.max(2 * tol.loose, FAINT_EDGE_TOLERANCE)) return FAINT;
    const toGarment = nearestGarment(l, a, b, sx, sy);
    // No garment interior nearby (a sleeve's tip, a thin strap): compare with the garment's
    // colours anywhere; a garment without distinct colours (white on white) keeps the tolerance.
    if (toGarment < 0) {
      if (globalSamples.length) return toBackdrop < nearestGlobal(l, a, b) ? DISTINCT : NOT;
      return toBackdrop < tol.loose ? FAINT : NOT;
    }
    return toBackdrop < toGarment ? DISTINCT : NOT;
  };

  const out = upsampleMask(coarse, sw, sh, width, height, factor);
  // Colour alone cannot tell a white garment's lit fabric from a white backdrop. Near pale fabric,
  // a pixel that is backdrop only by tolerance is taken when it is as flat as the backdrop, when
  // it is level (within the backdrop's grain) with the backdrop it is reached from in the first
  // few steps (the blurred outside of a faint outline), or when it is ringing beside a strong
  // step. The textured fabric and the faint line that bounds it stop the walk.
  const luma = fine?.luma ?? new Float32Array(0);
  const stepIn = (p: number): number => {
    const x = p % width;
    let least = Infinity;
    if (x > 0 && !out[p - 1]) least = Math.min(least, Math.abs(luma[p] - luma[p - 1]));
    if (x < width - 1 && !out[p + 1]) least = Math.min(least, Math.abs(luma[p] - luma[p + 1]));
    if (p - width >= 0 && !out[p - width]) least = Math.min(least, Math.abs(luma[p] - luma[p - width]));
    if (p + width < out.length && !out[p + width]) least = Math.min(least, Math.abs(luma[p] - luma[p + width]));
    return least;
  };
  walkOutline(out, width, height, 1, SHRINK_DEPTH, (p, step) => {
    const verdict = backdropVerdict(p, step);
    if (verdict !== FAINT) return verdict === DISTINCT;
    const x = p % width;
    const y = (p - x) / width;
    if (!fine || !paleNear[Math.min(sh - 1, Math.floor(y / factor)) * sw + Math.min(sw - 1, Math.floor(x / factor))]) return true;
    if (textureAt(fine, p, x, y) < fine.smooth) return true;
    if (step < RIM_STEPS && stepIn(p) <= fine.smooth) return true;
    return step < RINGING_PX && isRinging(fine, p, x, y);
  });
  walkOutline(out, width, height, 0, GROW_DEPTH, (p) => backdropVerdict(p, 0) === NOT);
  return out;
}

/** Nearest-neighbour enlargement of a work-resolution mask to the full resolution (its own function: a hot loop). */
function upsampleMask(coarse: Uint8Array, sw: number, sh: number, width: number, height: number, factor: number): Uint8Array {
  const out = new Uint8Array(width * height);
  const column = new Int32Array(width);
  for (let x = 0; x < width; x++) column[x] = Math.min(sw - 1, Math.floor(x / factor));
  for (let y = 0; y < height; y++) {
    const coarseRow = Math.min(sh - 1, Math.floor(y / factor)) * sw;
    const row = y * width;
    for (let x = 0; x < width; x++) out[row + x] = coarse[coarseRow + column[x]];
  }
  return out;
}

/**
 * Breadth-first walk from the outline into the pixels whose value is `from`, flipping each pixel
 * for which `flip` holds (and continuing from it), at most `depth` steps deep.
 */
function walkOutline(mask: Uint8Array, width: number, height: number, from: 0 | 1, depth: number, flip: (p: number, step: number) => boolean): void {
  const n = width * height;
  const visited = new Uint8Array(n);
  const to = from ? 0 : 1;
  // What each step flips depends only on the mask as the step began (flips are applied after all
  // are decided), so the queues are plain index buffers, grown as needed: the outline is a small
  // share of the image.
  let queue = new Int32Array(4096);
  let size = 0;
  // The initial queue: pixels of value `from` beside one of value `to`.
  for (let p = 0; p < n; p++) {
    if (mask[p] !== from) continue;
    const x = p % width;
    if ((x > 0 && mask[p - 1] === to) || (x < width - 1 && mask[p + 1] === to) || (p >= width && mask[p - width] === to) ||
      (p < n - width && mask[p + width] === to)) {
      visited[p] = 1;
      if (size === queue.length) queue = grow(queue);
      queue[size++] = p;
    }
  }
  let next = new Int32Array(queue.length);
  let flipped = new Int32Array(queue.length);
  for (let step = 0; step < depth && size; step++) {
    let flips = 0;
    if (flipped.length < size) flipped = new Int32Array(queue.length);
    for (let k = 0; k < size; k++) if (flip(queue[k], step)) flipped[flips++] = queue[k];
    for (let k = 0; k < flips; k++) mask[flipped[k]] = to;
    let grown = 0;
    for (let k = 0; k < flips; k++) {
      const p = flipped[k];
      const x = p % width;
      for (let d = 0; d < 4; d++) {
        const q = d === 0 ? (x > 0 ? p - 1 : -1) : d === 1 ? (x < width - 1 ? p + 1 : -1) : d === 2 ? p - width : p + width < n ? p + width : -1;
        if (q < 0 || mask[q] !== from || visited[q]) continue;
        visited[q] = 1;
        if (grown === next.length) next = grow(next);
        next[grown++] = q;
      }
    }
    const swap = queue;
    queue = next;
    next = swap.length >= queue.length ? swap : new Int32Array(queue.length);
    size = grown;
  }
}

/** A copy of `buffer` twice as long. */
function grow(buffer: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(buffer.length * 2);
  bigger.set(buffer);
  return bigger;
}
