/**
 * Light borrowed from the photo. The new garment keeps its own albedo (colours from the product
 * shot) and takes the photo's light: its folds and shadows (the shading map, a high-pass ratio in
 * linear light, applied by multiplication in linear light).
 */
import { createFloatMap, type FloatMap, type Mask, type Raster } from '../../../imaging/raster.ts';
import { createRowUpsampler, extremumFilterPlane, gaussianBlurPlaneAround, normalisedWideBlurPlane } from './blur.ts';
import { linearToSrgb, SRGB_TO_LINEAR } from '../../../imaging/colour.ts';
import { dilate } from '../garment/components.ts';
import { squaredDistanceToSet } from './masks.ts';
import { boundingRect } from '../person/grid.ts';

/** Relative luminance in linear light (Rec. 709 weights), 0..1 per pixel; grey images use their value. */
export function luminance(image: Raster): FloatMap {
  const out = createFloatMap(image.width, image.height);
  const { data, channels } = image;
  const n = image.width * image.height;
  if (channels === 1) {
    for (let i = 0; i < n; i++) out.data[i] = SRGB_TO_LINEAR[data[i]];
  } else {
    for (let i = 0, p = 0; i < n; i++, p += channels) {
      out.data[i] = 0.2126 * SRGB_TO_LINEAR[data[p]] + 0.7152 * SRGB_TO_LINEAR[data[p + 1]] + 0.0722 * SRGB_TO_LINEAR[data[p + 2]];
    }
  }
  return out;
}

export interface ShadingOptions {
  /** Clamp range of the ratio: deep creases darker than `min` or speculars above `max` are cut. */
  min?: number;
  max?: number;
  /**
   * Gaussian pre-smoothing of the luminance, in px (default 2): pixel noise, JPEG blocks and the
   * old garment's fine weave or rib knit must not print onto the new garment, while folds (broader
   * than a few px at analysis resolution) survive. 0 keeps every detail.
   */
  detailSigma?: number;
  /**
   * Chromaticity guard (default 0.03, in rg-chromaticity units; Infinity disables). Shading scales
   * all channels alike, so it keeps chromaticity; the old garment's buttons, logos and colour
   * blocks do not. Pixels whose chromaticity is this far from the region's local mean count less
   * (Gaussian fall-off) and the ratio there is drawn towards 1: a brown button on a white top
   * does not print a dark spot on the new garment. Achromatic prints (black on white) pass.
   */
  chromaTolerance?: number;
  /**
   * Print guard (default on): pixels more than PRINT_BRIGHTER times brighter or PRINT_DARKER times
   * darker than their surroundings on the region are print, not light, and are left out like the
   * chromaticity guard's outliers, so white letters on a black top leave no ghost.
   */
  printGuard?: boolean;
  /**
   * Widest print stroke (px, half its width; default 0: off). With the print guard on, the
   * region's luminance closed and opened over this radius (grey-level morphology) is the light
   * without the strokes of a print or lettering; pixels departing from it by more than a fold
   * does (PRINT_STROKE_DARKER / PRINT_STROKE_BRIGHTER) are print. Grey letters on a cream top
   * (about 0.4 of the fabric's light) pass the wide-surround test above, and blurred, they printed
   * grey smudges on a white tee drawn over them.
   */
  printStrokeRadius?: number;
}

/** Ratios to the local mean beyond which a pixel is print rather than a fold or a highlight. */
const PRINT_BRIGHTER = 2.2;
const PRINT_DARKER = 0.35;

/**
 * Ratios to the stroke-free light (see ShadingOptions.printStrokeRadius) beyond which a pixel is
 * print: a fold darkens its fabric to about 0.6 at most (a deep crease, narrower than a stroke, further).
 */
const PRINT_STROKE_DARKER = 0.5;
const PRINT_STROKE_BRIGHTER = 1.5;

/** Mean linear R+G+B below which a pixel's chromaticity is noise (about sRGB 40 grey). */
const DARK_CHROMA = 0.06;

/**
 * Folds and shadows of the photo on `region`: luminance divided by its region-normalised Gaussian
 * blur of `sigma` px (blur(L·m) / blur(m), so light from outside the region, e.g. the backdrop,
 * does not leak in). ~1.0 on flat areas, < 1 in creases, > 1 on highlights; exactly 1 outside the
 * region. Size the sigma to the fold scale you want to keep: ~3–5 % of the person's height.
 * The old garment's coloured details are held back by the chromaticity guard; its achromatic
 * print (black text on a white top) still reads as shading: lower the strength for printed tops.
 */
export function shadingMap(image: Raster, region: Mask, sigma: number, options: ShadingOptions = {}): FloatMap {
  return shadingByDetail(image, region, sigma, options)(options.detailSigma ?? 2);
}

/**
 * shadingMap for any detail sigma (`options.detailSigma` is not read): the region's light and its
 * inlier weights, which do not depend on the detail sigma, are measured once per working grid and
 * shared, so a second map at another detail sigma (the render's retry for a printed garment)
 * costs only its own detail smoothing. Each map is the one shadingMap gives.
 */
export function shadingByDetail(image: Raster, region: Mask, sigma: number, options: ShadingOptions = {}): (detailSigma: number) => FloatMap {
  const { width: w, height: h } = image;
  if (region.width !== w || region.height !== h) throw new Error('shadingMap: region differs in size from the image');
  const lightByFactor = new Map<number, RegionLight>();
  return (detailSigma) => {
    // Everything below the detail scale is discarded anyway, so with detail smoothing of ≥ 1.5 px the
    // ratio is computed on a half-resolution grid (a quarter of the work) and interpolated back;
    // the region's own edge is re-applied at full resolution.
    const factor = detailSigma >= 1.5 && w >= 16 && h >= 16 ? 2 : 1;
    let light = lightByFactor.get(factor);
    if (!light) {
      light = regionLight(image, region, sigma, options, factor);
      lightByFactor.set(factor, light);
    }
    return shadingFromLight(light, region, detailSigma, options.min ?? 0.5, options.max ?? 1.4);
  };
}

/** The part of shadingMap that does not depend on the detail sigma, on a grid reduced by `factor`. */
interface RegionLight {
  factor: number;
  sw: number;
  sh: number;
  /** Region weight per grid cell. */
  weight: Float32Array;
  /** Weight and luminance × weight of the inliers (the print and chromaticity guards' survivors); `weight` itself when no guard applies. */
  inlierWeight: Float32Array;
  inlierWeighted: Float32Array;
  /** The inliers' region-normalised wide blur (sigma / factor on the grid). */
  base: Float32Array;
}

function regionLight(image: Raster, region: Mask, sigma: number, options: ShadingOptions, factor: number): RegionLight {
  const { width: w, height: h } = image;
  const m = region.data;
  const sw = Math.ceil(w / factor);
  const sh = Math.ceil(h / factor);
  const size = sw * sh;
  // Block sums of region-weighted linear R, G, B and of the weight.
  const sumR = new Float32Array(size);
  const sumG = new Float32Array(size);
  const sumB = new Float32Array(size);
  const weight = new Float32Array(size);
  const { data, channels } = image;
  const shift = factor === 2 ? 1 : 0;
  const toUnit = 1 / 255;
  const grey = channels === 1;
  for (let y = 0; y < h; y++) {
    const srow = (y >> shift) * sw;
    const row = y * w;
    for (let x = 0; x < w; x++) {
      const wt = m[row + x] * toUnit;
      if (wt === 0) continue;
      const p = (row + x) * channels;
      const o = srow + (x >> shift);
      const r = SRGB_TO_LINEAR[data[p]];
      sumR[o] += r * wt;
      sumG[o] += (grey ? r : SRGB_TO_LINEAR[data[p + 1]]) * wt;
      sumB[o] += (grey ? r : SRGB_TO_LINEAR[data[p + 2]]) * wt;
      weight[o] += wt;
    }
  }
  const weighted = new Float32Array(size);
  for (let k = 0; k < size; k++) weighted[k] = 0.2126 * sumR[k] + 0.7152 * sumG[k] + 0.0722 * sumB[k];

  // Inlier weights: 1 where the chromaticity matches the region's local mean, less where it does not.
  const tolerance = options.chromaTolerance ?? 0.03;
  let inlierWeight = weight;
  let inlierWeighted = weighted;
  // Achromatic print (white letters on a black top, black on white) is many times brighter or
  // darker than the fabric around it, far beyond what a fold or a highlight does to one fabric:
  // such pixels are not light, they are print, and hold no ratio to borrow.
  const printGuard = options.printGuard ?? true;
  if (printGuard) {
    const around = normalisedWideBlurPlane(weighted, weight, sw, sh, sigma / factor);
    const strokes = strokeCells(weighted, weight, sw, sh, Math.round((options.printStrokeRadius ?? 0) / factor));
    inlierWeight = new Float32Array(size);
    inlierWeighted = new Float32Array(size);
    for (let k = 0; k < size; k++) {
      if (weight[k] === 0 || (strokes && strokes[k])) continue;
      const ratio = around[k] > 1e-4 ? weighted[k] / weight[k] / around[k] : 1;
      if (ratio > PRINT_BRIGHTER || ratio < PRINT_DARKER) continue;
      inlierWeight[k] = weight[k];
      inlierWeighted[k] = weighted[k];
    }
  }
  if (!grey && tolerance > 0 && Number.isFinite(tolerance)) {
    const chromaR = new Float32Array(size);
    const chromaG = new Float32Array(size);
    const chromaWeight = new Float32Array(size);
    for (let k = 0; k < size; k++) {
      const total = sumR[k] + sumG[k] + sumB[k];
      // Too dark to have a trustworthy chromaticity: neither votes nor gets judged.
      if (weight[k] === 0 || total < DARK_CHROMA * weight[k]) continue;
      chromaR[k] = (sumR[k] / total) * weight[k];
      chromaG[k] = (sumG[k] / total) * weight[k];
      chromaWeight[k] = weight[k];
    }
    const meanR = normalisedWideBlurPlane(chromaR, chromaWeight, sw, sh, sigma / factor);
    const meanG = normalisedWideBlurPlane(chromaG, chromaWeight, sw, sh, sigma / factor);
    if (inlierWeight === weight) {
      inlierWeight = weight.slice();
      inlierWeighted = weighted.slice();
    }
    const falloff = 1 / (2 * tolerance * tolerance);
    for (let k = 0; k < size; k++) {
      let c = 1;
      if (chromaWeight[k] > 0) {
        const dr = chromaR[k] / chromaWeight[k] - meanR[k];
        const dg = chromaG[k] / chromaWeight[k] - meanG[k];
        c = Math.exp(-(dr * dr + dg * dg) * falloff);
      }
      inlierWeight[k] *= c;
      inlierWeighted[k] *= c;
    }
  }

  const base = normalisedWideBlurPlane(inlierWeighted, inlierWeight, sw, sh, sigma / factor);
  return { factor, sw, sh, weight, inlierWeight, inlierWeighted, base };
}

/** shadingMap's ratio from the region's light, with detail smoothing of `detailSigma` px. */
function shadingFromLight(light: RegionLight, region: Mask, detailSigma: number, min: number, max: number): FloatMap {
  const { factor, sw, sh, weight, inlierWeight, inlierWeighted, base } = light;
  const { width: w, height: h, data: m } = region;
  const size = sw * sh;
  // Detail smoothing is region-normalised too, or the backdrop would bleed into the region's rim.
  // `confidence` is the share of inlier weight around a pixel: where an outlier (a button) sits,
  // there is nothing to measure and the ratio fades to 1.
  const detail = new Float32Array(size);
  const confidence = new Float32Array(size);
  const smallDetailSigma = factor === 1 ? detailSigma : Math.sqrt(Math.max(0, detailSigma * detailSigma - 0.25)) / factor;
  // The blurs run near the region only (its cells' box, see gaussianBlurPlaneAround): the ratio
  // is read only on the region's cells and their neighbours (the upsampling), far inside that box.
  const box = detailSigma > 0 ? boundingRect(weight, sw, sh, 0, (v) => v > 0) : undefined;
  const blur = (plane: Float32Array): Float32Array => (box ? gaussianBlurPlaneAround(plane, sw, sh, smallDetailSigma, box) : new Float32Array(size));
  const blurredInlier = detailSigma > 0 ? blur(inlierWeighted) : inlierWeighted;
  const blurredInlierWeight = detailSigma > 0 ? blur(inlierWeight) : inlierWeight;
  const blurredWeight = inlierWeight === weight ? blurredInlierWeight : detailSigma > 0 ? blur(weight) : weight;
  for (let k = 0; k < size; k++) {
    detail[k] = blurredInlierWeight[k] > 1e-6 ? blurredInlier[k] / blurredInlierWeight[k] : 0;
    confidence[k] = blurredWeight[k] > 1e-6 ? Math.min(1, blurredInlierWeight[k] / blurredWeight[k]) : 0;
  }
  const small = new Float32Array(size);
  for (let k = 0; k < size; k++) {
    // Near-black surroundings carry no usable light ratio (and would explode it): leave flat.
    let r = base[k] > 1e-4 && detail[k] > 0 ? detail[k] / base[k] : 1;
    r = r < min ? min : r > max ? max : r;
    small[k] = 1 + (r - 1) * confidence[k];
  }
  const out = createFloatMap(w, h);
  const ratio = out.data;
  const upsample = createRowUpsampler(small, sw, sh, w, factor);
  for (let y = 0; y < h; y++) {
    const full = upsample(y);
    const row = y * w;
    for (let x = 0; x < w; x++) {
      const coverage = m[row + x];
      // Soft region edges fade the effect out rather than cutting it; exactly 1 outside.
      ratio[row + x] = coverage === 0 ? 1 : coverage === 255 ? full[x] : 1 + (full[x] - 1) * (coverage / 255);
    }
  }
  return out;
}

/**
 * Cells of a print's strokes (see ShadingOptions.printStrokeRadius), grown by one cell over their
 * soft rims; null when the radius is below one cell. `weighted` holds luminance × weight.
 */
function strokeCells(weighted: Float32Array, weight: Float32Array, w: number, h: number, radius: number): Uint8Array | null {
  if (radius < 1) return null;
  const size = w * h;
  const valid = new Uint8Array(size);
  const light = new Float32Array(size);
  for (let k = 0; k < size; k++) {
    if (weight[k] <= 0) continue;
    valid[k] = 1;
    light[k] = weighted[k] / weight[k];
  }
  // Closing takes away dark strokes, the opening after it bright ones.
  const closed = extremumFilterPlane(extremumFilterPlane(light, valid, w, h, radius, 'max'), valid, w, h, radius, 'min');
  const clean = extremumFilterPlane(extremumFilterPlane(closed, valid, w, h, radius, 'min'), valid, w, h, radius, 'max');
  const stroke = new Uint8Array(size);
  for (let k = 0; k < size; k++) {
    if (!valid[k] || clean[k] <= 1e-4) continue;
    const ratio = light[k] / clean[k];
    if (ratio < PRINT_STROKE_DARKER || ratio > PRINT_STROKE_BRIGHTER) stroke[k] = 1;
  }
  return dilate(stroke, w, h, 1);
}

/**
 * Multiplies the colour of an RGBA layer (in place, where alpha > 0) by 1 + strength·(s − 1) in
 * linear light, `s` being the shading (or lighting) map at that pixel. Strength 0 changes nothing,
 * bit for bit; 1 applies the full ratio. Highlights that would exceed white are compressed towards
 * white rather than clipped per channel, so a bright garment keeps its hue on a highlight.
 */
export function applyShading(layer: Raster, shading: FloatMap, strength: number): void {
  if (layer.channels !== 4) throw new Error('applyShading: layer must be RGBA');
  if (shading.width !== layer.width || shading.height !== layer.height) throw new Error('applyShading: shading differs in size from the layer');
  if (strength === 0) return;
  const { data } = layer;
  const s = shading.data;
  const n = layer.width * layer.height;
  for (let i = 0, p = 0; i < n; i++, p += 4) {
    if (data[p + 3] === 0) continue;
    const factor = 1 + strength * (s[i] - 1);
    if (factor === 1) continue;
    let r = SRGB_TO_LINEAR[data[p]] * factor;
    let g = SRGB_TO_LINEAR[data[p + 1]] * factor;
    let b = SRGB_TO_LINEAR[data[p + 2]] * factor;
    const peak = r > g ? (r > b ? r : b) : g > b ? g : b;
    if (peak > 1) {
      // Keep the hue: scale into range, then lift towards white by the excess energy.
      const excess = Math.min(1, (peak - 1) / peak);
      r = r / peak + (1 - r / peak) * excess;
      g = g / peak + (1 - g / peak) * excess;
      b = b / peak + (1 - b / peak) * excess;
    }
    data[p] = linearToSrgb(r);
    data[p + 1] = linearToSrgb(g);
    data[p + 2] = linearToSrgb(b);
  }
}

/**
 * Root-mean-square departure of a shading map from 1 over the region's fully covered pixels: how
 * much light and texture the old garment shows. Plain fabric with folds measures about 0.05–0.08;
 * acid wash, mesh, ribbing and satin measure 0.11–0.16, most of it their own texture.
 */
export function shadingContrast(shading: FloatMap, region: Mask): number {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < region.data.length; i++) {
    if (region.data[i] !== 255) continue;
    const d = shading.data[i] - 1;
    sum += d * d;
    n++;
  }
  return n > 0 ? Math.sqrt(sum / n) : 0;
}

/**
 * The body's roundness as light. A torso or an arm is a rounded solid lit from about the front:
 * its surface turns away from the light towards the silhouette, and fabric on it darkens there,
 * whatever the old garment's colour was (the photo's own light on the old garment is borrowed at
 * the scale of folds only, see shadingMap). A multiplier per pixel in linear light: 1 from `reach`
 * px inside the silhouette inwards, falling to 1 − `depth` at its edge as the cosine of the
 * surface's turn on a circular section of radius `reach` (Lambert), so the fall-off is steepest
 * right at the edge. `silhouette` is 1 on the body (and whatever stands off it, a loose garment).
 * With `wanted` (1 where the multiplier is read), it is exact there and may be 1 elsewhere.
 */
export function silhouetteShading(silhouette: Uint8Array, width: number, height: number, reach: number, depth: number, wanted?: Uint8Array): FloatMap {
  const out = createFloatMap(width, height);
  out.data.fill(1);
  if (reach <= 0 || depth <= 0) return out;
  // Only distances under `reach` matter, and the outside pixel that close to a wanted pixel lies
  // within `reach` of it: the transform runs on the wanted pixels' box grown by that much, and
  // gives there what it gives on the whole image.
  const box = boundingRect(wanted ?? silhouette, width, height, Math.ceil(reach) + 1, (v) => v !== 0);
  if (!box) return out;
  const bw = box.x1 - box.x0;
  const bh = box.y1 - box.y0;
  const outside = new Uint8Array(bw * bh);
  for (let y = 0; y < bh; y++) {
    const row = (box.y0 + y) * width + box.x0;
    for (let x = 0; x < bw; x++) outside[y * bw + x] = silhouette[row + x] ? 0 : 1;
  }
  const distance2 = squaredDistanceToSet(outside, bw, bh);
  for (let y = 0; y < bh; y++) {
    for (let x = 0; x < bw; x++) {
      const k = y * bw + x;
      if (outside[k]) continue;
      // From the pixel's centre to the silhouette's edge, half a pixel short of the outside pixel's centre.
      const d = Math.sqrt(distance2[k]) - 0.5;
      if (d >= reach) continue;
      const t = 1 - d / reach;
      out.data[(box.y0 + y) * width + box.x0 + x] = 1 - depth * (1 - Math.sqrt(1 - t * t));
    }
  }
  return out;
}

/**
 * The shadow a garment casts right below its lower edges, lit from above the camera as studio
 * and daylight photos are: the band of trousers under a top's hem, of forearm under a sleeve's
 * cuff, of leg under a dress's hem. Per pixel of `receiver` (1 where a shadow may fall: the person
 * not under the garment), the share of light lost: `depth` right under the edge, falling off as
 * exp(−d / `decay`) with the distance d (px) down its column from the garment's last row
 * (`garment` 1 on the garment), and nothing beyond 3 decays; then softened along the rows over a
 * couple of pixels so the band's ends have a penumbra rather than steps. 0 elsewhere.
 */
export function castShadowBelow(garment: Uint8Array, receiver: Uint8Array, width: number, height: number, decay: number, depth: number): FloatMap {
  const out = createFloatMap(width, height);
  if (decay <= 0 || depth <= 0) return out;
  const reach = Math.ceil(3 * decay);
  const raw = new Float32Array(width * height);
  // Down each column, rows at a time (row-major reads): per column, the rows since its garment
  // ended. The box of the shadow's pixels is kept for the passes below.
  const since = new Float64Array(width).fill(Infinity);
  let x0 = width;
  let x1 = -1;
  let y0 = height;
  let y1 = -1;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const i = row + x;
      if (garment[i]) {
        since[x] = 0;
        continue;
      }
      const rows = ++since[x];
      if (rows > reach || !receiver[i]) continue;
      raw[i] = depth * Math.exp(-(rows - 1) / decay);
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      y1 = y;
    }
  }
  if (x1 < 0) return out;
  // Softened along the rows only (a [1 2 1] kernel, twice): down the column the fall-off is the shadow.
  // Each pass spreads a pixel's shadow by one column and never to another row: beyond the box so
  // grown every value stays exactly 0, and only the box is computed.
  let soft = raw;
  for (let pass = 0; pass < 2; pass++) {
    const next = new Float32Array(width * height);
    const from = Math.max(0, x0 - pass - 1);
    const to = Math.min(width - 1, x1 + pass + 1);
    for (let y = y0; y <= y1; y++) {
      const row = y * width;
      for (let x = from; x <= to; x++) {
        const left = soft[row + Math.max(0, x - 1)];
        const right = soft[row + Math.min(width - 1, x + 1)];
        next[row + x] = (left + 2 * soft[row + x] + right) / 4;
      }
    }
    soft = next;
  }
  const from = Math.max(0, x0 - 2);
  const to = Math.min(width - 1, x1 + 2);
  for (let y = y0; y <= y1; y++) {
    const row = y * width;
    for (let x = from; x <= to; x++) {
      const i = row + x;
      if (receiver[i]) out.data[i] = Math.min(depth, soft[i]);
    }
  }
  return out;
}

/** In place: each pixel of an RGB(A) image loses `loss` (0..1) of its light, in linear light. */
export function darken(image: Raster, loss: FloatMap): void {
  const { data, channels } = image;
  for (let i = 0, p = 0; i < loss.data.length; i++, p += channels) {
    const keep = 1 - loss.data[i];
    if (keep >= 1) continue;
    data[p] = linearToSrgb(SRGB_TO_LINEAR[data[p]] * keep);
    data[p + 1] = linearToSrgb(SRGB_TO_LINEAR[data[p + 1]] * keep);
    data[p + 2] = linearToSrgb(SRGB_TO_LINEAR[data[p + 2]] * keep);
  }
}
