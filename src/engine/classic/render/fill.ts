/**
 * Filling what the old garment leaves bare. Two cases with different priors:
 * - background where the old garment stood out past the new one (a wide top replaced by a fitted
 *   one): a smooth backdrop model (a plane fitted to the nearby visible background) plus the
 *   local deviations from it carried smoothly across the hole (pull–push), plus grain matched to
 *   the backdrop's. Exact for studio gradients, plausible for soft backdrops; a textured scene
 *   comes out blurred (no patch synthesis).
 * - skin where a limb or the midriff becomes visible: the tone of the nearest visible skin of the
 *   person (or the skin model's mean when none is near), with the photo's shading and grain.
 * Both blend by the hole mask's coverage, so a feathered hole gives a soft transition.
 */
import type { FloatMap, Mask, Raster } from '../../../imaging/raster.ts';
import { solveInPlace } from '../warp/linear-solve.ts';
import { labSaturation, labToRgb, linearLuminance, linearToSrgb, rgbToLab, SRGB_TO_LINEAR } from '../../../imaging/colour.ts';
import { labelComponents, squaredDistanceToSet } from './masks.ts';
import { boundingRect } from '../person/grid.ts';
import { medianOf } from '../person/colour-model.ts';
import { createGaussianRandom, estimateNoiseSigma } from './noise.ts';
import { pullPushFill } from './pushpull.ts';

export interface FillOptions {
  /** PRNG seed for the grain; the same seed gives the same pixels. */
  seed?: number;
}

export interface BackgroundFillOptions extends FillOptions {
  /**
   * Where the backdrop may be learnt from (≥ 128, and not hole); default: everywhere off the
   * person (`personMask` < 128). The old garment off the person (a skirt's flare the segmentation
   * misses, its halo) is no backdrop: learnt from, it was carried into the fill as its colour.
   */
  source?: Mask;
}

/**
 * In place: replaces the pixels under `hole` (coverage 0..255) with background. Each connected
 * part of the hole is filled on its own from its own surroundings (the backdrop left of the body
 * may be lit differently from the right). Known background is every pixel near the part that is
 * neither hole nor person (`personMask` ≥ 128), or in `options.source` when given; a part with too
 * little of it nearby looks further off (see cropWithBackdrop), and only when the whole image has
 * none is it filled from all non-hole neighbours instead (a smooth inpaint).
 */
export function fillBackground(image: Raster, hole: Mask, personMask: Mask, options: BackgroundFillOptions = {}): void {
  checkSizes(image, hole, 'fillBackground');
  if (personMask.width !== image.width || personMask.height !== image.height) throw new Error('fillBackground: person mask differs in size from the image');
  const source = options.source;
  if (source && (source.width !== image.width || source.height !== image.height)) throw new Error('fillBackground: source differs in size from the image');
  const backdrop = source ? (i: number): boolean => hole.data[i] === 0 && source.data[i] >= 128 : (i: number): boolean => hole.data[i] === 0 && personMask.data[i] < 128;
  const { labels, regions } = labelComponents(hole, 1);
  const random = createGaussianRandom(options.seed ?? 1);
  const { width: w0, height: h0 } = image;
  for (let k = 0; k < regions.length; k++) {
    const r = regions[k];
    const margin = clamp(Math.round(0.25 * Math.max(r.x1 - r.x0, r.y1 - r.y0)), 16, 96);
    fillBackgroundPart(image, hole, backdrop, labels, k + 1, cropWithBackdrop(r, margin, w0, h0, backdrop), random);
  }
}

/**
 * Fewest backdrop pixels (not hole, not person) a part's crop must hold for its fill to come from
 * the backdrop: a 7x7 patch's worth. A part enclosed by the person (a strip inside a new top's
 * armhole, between it and the arm) sees none within its usual margin, and was filled from the
 * person round it, the old garment included: a turquoise strip where a turquoise tee had been.
 */
const MIN_BACKDROP_SOURCE = 49;

/**
 * The part's box grown by `margin`, and grown further (the margin doubled each time, up to the
 * whole image) until it holds MIN_BACKDROP_SOURCE pixels of backdrop.
 */
function cropWithBackdrop(part: Box, margin: number, w: number, h: number, backdrop: (i: number) => boolean): Box {
  for (let m = margin; ; m *= 2) {
    const crop = expand(part, m, w, h);
    const whole = crop.x0 === 0 && crop.y0 === 0 && crop.x1 === w && crop.y1 === h;
    if (whole) return crop;
    let seen = 0;
    for (let y = crop.y0; y < crop.y1 && seen < MIN_BACKDROP_SOURCE; y++) {
      for (let x = crop.x0; x < crop.x1; x++) {
        if (backdrop(y * w + x) && ++seen >= MIN_BACKDROP_SOURCE) break;
      }
    }
    if (seen >= MIN_BACKDROP_SOURCE) return crop;
  }
}

function fillBackgroundPart(image: Raster, hole: Mask, backdrop: (i: number) => boolean, labels: Int32Array, label: number, crop: Box, random: () => number): void {
  const cw = crop.x1 - crop.x0;
  const chh = crop.y1 - crop.y0;
  const { width: w, channels, data } = image;
  const holeData = hole.data;

  const weights = new Float32Array(cw * chh);
  let known = 0;
  for (let y = 0; y < chh; y++) {
    for (let x = 0; x < cw; x++) {
      const i = (crop.y0 + y) * w + crop.x0 + x;
      if (backdrop(i)) {
        weights[y * cw + x] = 1;
        known++;
      }
    }
  }
  let usePersonPixels = false;
  if (known === 0) {
    // Nothing but person around this part: inpaint from whatever surrounds it.
    usePersonPixels = true;
    for (let y = 0; y < chh; y++) {
      for (let x = 0; x < cw; x++) if (holeData[(crop.y0 + y) * w + crop.x0 + x] === 0) weights[y * cw + x] = 1;
    }
  }

  // Backdrop plane per channel, least squares over (a subsample of) the known pixels; the
  // deviations from it are what pull–push carries across the hole.
  const plane = usePersonPixels ? null : fitPlane(data, channels, w, crop, weights, cw);
  const residual = new Float32Array(cw * chh * 3);
  for (let y = 0; y < chh; y++) {
    for (let x = 0; x < cw; x++) {
      const k = y * cw + x;
      if (weights[k] === 0) continue;
      const p = ((crop.y0 + y) * w + crop.x0 + x) * channels;
      for (let c = 0; c < 3; c++) residual[k * 3 + c] = data[p + c] - (plane ? evalPlane(plane, c, crop.x0 + x, crop.y0 + y) : 0);
    }
  }
  const filled = pullPushFill(residual, weights, cw, chh, 3);
  if (!filled) return; // the whole crop is hole: nothing to learn from

  const sigma = estimateNoiseSigma(data, channels, w, image.height, (_i, x, y) => {
    const cx = x - crop.x0;
    const cy = y - crop.y0;
    return cx >= 0 && cy >= 0 && cx < cw && cy < chh && weights[cy * cw + cx] === 1;
  }, crop);
  for (let y = 0; y < chh; y++) {
    for (let x = 0; x < cw; x++) {
      const i = (crop.y0 + y) * w + crop.x0 + x;
      if (labels[i] !== label) continue;
      const k = y * cw + x;
      const grain = sigma > 0.3 ? sigma * random() : 0;
      const t = holeData[i] / 255;
      const p = i * channels;
      for (let c = 0; c < 3; c++) {
        const value = filled[k * 3 + c] + (plane ? evalPlane(plane, c, crop.x0 + x, crop.y0 + y) : 0) + grain;
        data[p + c] = clamp(Math.round(data[p + c] * (1 - t) + value * t), 0, 255);
      }
    }
  }
}

export interface SkinFillOptions extends FillOptions {
  /**
   * Where the person's skin is visible in the photo (≥ 128), e.g. the forearm below a sleeve that
   * is being shortened. Each part of the hole takes its tone from the visible skin near it, which
   * follows that limb's own colour and light better than the face-sampled mean.
   */
  visibleSkin?: Mask;
  /**
   * The albedo (linear RGB) a pixel drifts to far from the skin its part borders, where known
   * (a bared upper arm: the forearm's own skin); `skin.rgb` elsewhere.
   */
  toneAt?: (i: number) => readonly [number, number, number] | undefined;
  /**
   * Whether the part a hole pixel belongs to leaves out bordering skin in deep shadow (see
   * SHADOWED_BORDER_SHARE): a limb bared down to a hand in a removed cuff's shadow does; a chest
   * continues the neck's shade under the chin (left out, the neck's base stood as a hard-edged
   * dark wedge above a lighter chest). None when not given.
   */
  dropsShadowedBorder?: (i: number) => boolean;
  /**
   * Saturation (labSaturation) of the person's seen skin (see seenSkinSaturation): a part painted
   * less saturated than this (its median) has its chroma raised by the ratio, up to
   * MAX_CHROMA_GAIN, where its tone is its far tone rather than the bordering skin's (by the same
   * depth weight). Never lowered.
   */
  skinSaturation?: number;
}

/** Fewer visible skin pixels than this near a part of the hole: too few to trust, use the skin model. */
const MIN_LOCAL_SKIN = 30;
/**
 * Distance from the skin a part borders (shares of the image height, and at least DEPTH_MIN_PX)
 * where its tone starts drifting from that skin's to the skin model's, and over which the drift
 * completes.
 */
const DEPTH_START = 0.03;
const DEPTH_SPAN = 0.05;
const DEPTH_MIN_PX = 12;
/** Darkest lighting-model value divided out of the bordering skin's colour (see fillSkinPart). */
const MIN_DIVIDED_LIGHT = 0.85;
/** Parts of fewer pixels than this are slivers (see fillSkinPart). */
const SLIVER_AREA = 600;
/** Largest ratio (either way, of linear luminance) between a bared part's tone and the person's skin model: a tanned or shadowed forearm has down to about a third of the face's light, hair or a dark garment parsed as skin far less. */
const TONE_MAX_RATIO = 3.2;
/** Width (px) of the band of visible skin around a part whose colours its tone continues. */
const BORDER_BAND = 6;
/**
 * Bordering skin darker than this share of the part's own tone where it is known (`toneAt`; linear
 * luminance, the lighting model divided out of both; else than the darkest bare skin the fill
 * allows, the skin model's light over TONE_MAX_RATIO) lies in a shadow the old garment cast (a
 * cuff's on the hand below it), which goes with the garment: a part that drops it
 * (`dropsShadowedBorder`, a limb) does not carry it (carried, a forearm bared down to a hand went
 * dark towards the wrist). The seam with it is still blended.
 */
const SHADOWED_BORDER_SHARE = 0.6;
/**
 * Largest factor by which a painted part's chroma is raised towards the seen skin's saturation
 * (SkinFillOptions.skinSaturation). The painted skin of the wide photos measured down to 0.6 of
 * its person's seen skin's chroma (tones sampled on the face's highlights); a part further off is
 * not skin that lost its colour but a grey the tone was taken from (a sleeve's, a shadow's), and
 * tripled it would turn garish.
 */
const MAX_CHROMA_GAIN = 1.7;

/**
 * In place: paints skin under `hole`, each connected part on its own. Tone: the visible skin near
 * the part carried across it smoothly, or `skin.rgb` when none is near; then multiplied (linear
 * light) by `shading` if given (e.g. a softened shading map of the photo) and given grain like the
 * visible skin's.
 */
export function fillSkin(
  image: Raster, hole: Mask, skin: { rgb: [number, number, number] }, shading: FloatMap | null, options: SkinFillOptions = {},
): void {
  checkSizes(image, hole, 'fillSkin');
  if (shading && (shading.width !== image.width || shading.height !== image.height)) throw new Error('fillSkin: shading differs in size from the image');
  const visible = options.visibleSkin;
  if (visible && (visible.width !== image.width || visible.height !== image.height)) throw new Error('fillSkin: visible skin mask differs in size from the image');
  const { labels, regions } = labelComponents(hole, 1);
  const random = createGaussianRandom(options.seed ?? 1);
  for (let k = 0; k < regions.length; k++) {
    const r = regions[k];
    const margin = clamp(Math.round(0.3 * Math.max(r.x1 - r.x0, r.y1 - r.y0)), 16, 80);
    fillSkinPart(image, hole, skin.rgb, shading, visible, labels, k + 1, expand(r, margin, image.width, image.height), random, r.size, options);
  }
}

function fillSkinPart(
  image: Raster, hole: Mask, base: [number, number, number], shading: FloatMap | null, visible: Mask | undefined,
  labels: Int32Array, label: number, crop: Box, random: () => number, area: number, options: SkinFillOptions,
): void {
  const { toneAt, dropsShadowedBorder, skinSaturation } = options;
  const { width: w, channels, data } = image;
  const cw = crop.x1 - crop.x0;
  const chh = crop.y1 - crop.y0;
  const holeData = hole.data;
  // A sliver (the soft rim of a larger part, a gap between pieces) is neither deep nor far from
  // its border: its tone is the nearby skin's as it is, without distance transforms.
  const sliver = area < SLIVER_AREA;

  // Tone in linear light with the shading model divided out: the visible skin beside a part is
  // lit by the same model (a shoulder at the torso's edge is darker than the chest's middle), so
  // what is carried across is the skin's own colour, and the fill meets its border seamlessly.
  let tone: Float32Array | null = null;
  let sigma = 0;
  // The visible skin the tone is carried from (crop coordinates), for the drift below.
  let source: Uint8Array | null = null;
  const baseLinear = base.map((v) => SRGB_TO_LINEAR[clamp(Math.round(v), 0, 255)]);
  if (visible) {
    // Distance from this part, to prefer the skin that borders it: the fill must continue the
    // skin it touches (a brightly lit collarbone, not the shadow under the chin further up).
    const inPart = new Uint8Array(cw * chh);
    for (let y = 0; y < chh; y++) {
      for (let x = 0; x < cw; x++) inPart[y * cw + x] = labels[(crop.y0 + y) * w + crop.x0 + x] === label ? 1 : 0;
    }
    const distance2 = sliver ? null : squaredDistanceToSet(inPart, cw, chh);
    const weights = new Float32Array(cw * chh);
    const colours = new Float32Array(cw * chh * 3);
    let known = 0;
    let bordering = 0;
    // The part's own tone (its limb's seen skin, the chest's), where known: bordering skin far
    // darker than that is in a shadow. Else the darkest any of the person's bare skin is taken to
    // be (TONE_MAX_RATIO below the skin model: a forearm is often much darker than the face).
    const dropShadows = dropsShadowedBorder !== undefined && dropsShadowedBorder(firstPixel(labels, label, crop, w));
    const ownTone = dropShadows ? partTone(labels, label, crop, w, toneAt) : undefined;
    const shadowBelow = !dropShadows ? 0 : ownTone
      ? SHADOWED_BORDER_SHARE * linearLuminance(ownTone[0], ownTone[1], ownTone[2])
      : linearLuminance(baseLinear[0], baseLinear[1], baseLinear[2]) / TONE_MAX_RATIO;
    for (let y = 0; y < chh; y++) {
      for (let x = 0; x < cw; x++) {
        const i = (crop.y0 + y) * w + crop.x0 + x;
        if (visible.data[i] < 128 || holeData[i] !== 0) continue;
        const k = y * cw + x;
        const light = shading ? shading.data[i] : 1;
        weights[k] = 1;
        // Partly: the lighting model is crude at a real silhouette, and a full division there
        // would lift the tone carried onto the limb's lit middle.
        for (let c = 0; c < 3; c++) colours[k * 3 + c] = SRGB_TO_LINEAR[data[i * channels + c]] / Math.max(light, MIN_DIVIDED_LIGHT);
        if (linearLuminance(colours[k * 3], colours[k * 3 + 1], colours[k * 3 + 2]) < shadowBelow) {
          weights[k] = 0;
          continue;
        }
        known++;
        if (distance2 && distance2[k] <= BORDER_BAND * BORDER_BAND) bordering++;
      }
    }
    if (bordering >= MIN_LOCAL_SKIN) {
      for (let k = 0; k < weights.length; k++) if (distance2![k] > BORDER_BAND * BORDER_BAND) weights[k] = 0;
      known = bordering;
    }
    // A part that touches no skin (a forearm bared inside a removed sleeve, far from the hand) takes
    // the person's skin model: the nearest "skin" a crop away is as often hair over the neck or a
    // shadow as it is the same limb.
    if (known >= MIN_LOCAL_SKIN && (sliver || bordering >= MIN_LOCAL_SKIN)) {
      tone = pullPushFill(colours, weights, cw, chh, 3);
      source = positive(weights);
    }
    if (known >= MIN_LOCAL_SKIN) sigma = estimateNoiseSigma(data, channels, w, image.height, (i) => visible.data[i] >= 128 && holeData[i] === 0, crop);
  }
  if (tone) {
    // The bordering "skin" can be a shadow, a dark garment pixel parsed as skin or a coloured
    // reflection: whatever it is, bare skin stays within TONE_MAX_RATIO of the person's own skin
    // (sampled on the face and neck) in each channel's linear light.
    // Luminance only: the bordering skin's own hue (a tan, a flush) is kept.
    const baseY = Math.max(1e-4, linearLuminance(baseLinear[0], baseLinear[1], baseLinear[2]));
    for (let k = 0; k < tone.length; k += 3) {
      const y = Math.max(1e-6, linearLuminance(tone[k], tone[k + 1], tone[k + 2]));
      const ratio = y / baseY;
      const factor = clamp(ratio, 1 / TONE_MAX_RATIO, TONE_MAX_RATIO) / ratio;
      if (factor !== 1) for (let c = 0; c < 3; c++) tone[k + c] *= factor;
    }
  }
  // Far from the skin it borders, a part's tone is no longer that skin's, which may be a shadow
  // (under a collar, under the chin): it drifts to the skin model's. A bared chest's middle does;
  // so does an arm bared down from a shoulder whose only bordering skin is the neck in the chin's
  // shadow (measured from the part's own edge instead, a limb was never deep enough to drift,
  // and such an arm took the shadowed neck's dark tone down to the wrist).
  let depthWeight: Float32Array | null = null;
  if (tone && source && !sliver) {
    const depth2 = squaredDistanceToSet(source, cw, chh);
    const start = Math.max(DEPTH_MIN_PX, DEPTH_START * image.height);
    const span = DEPTH_SPAN * image.height;
    depthWeight = new Float32Array(cw * chh);
    for (let k = 0; k < depthWeight.length; k++) depthWeight[k] = depth2[k] === Infinity ? 1 : clamp((Math.sqrt(depth2[k]) - start) / span, 0, 1);
  }

  // The part's colour (sRGB, before grain), then its chroma where it is less saturated than the seen skin.
  const painted = new Float64Array(cw * chh * 3);
  const byte = (v: number): number => clamp(Math.round(v), 0, 255);
  const saturations: number[] = [];
  const lab = [0, 0, 0];
  forEachPartPixel(labels, label, crop, w, (i, k) => {
    const light = shading ? shading.data[i] : 1;
    const far = toneAt?.(i) ?? baseLinear;
    for (let c = 0; c < 3; c++) {
      const albedo = tone ? tone[k * 3 + c] + (depthWeight ? (far[c] - tone[k * 3 + c]) * depthWeight[k] : 0) : far[c];
      painted[k * 3 + c] = linearToSrgb(albedo * light);
    }
    if (skinSaturation !== undefined && holeData[i] >= 128) {
      rgbToLab(byte(painted[k * 3]), byte(painted[k * 3 + 1]), byte(painted[k * 3 + 2]), lab);
      saturations.push(labSaturation(lab[0], lab[1], lab[2]));
    }
  });
  const median = saturations.length ? medianOf(saturations) : 0;
  const gain = skinSaturation !== undefined && median > 0 ? clamp(skinSaturation / median, 1, MAX_CHROMA_GAIN) : 1;
  forEachPartPixel(labels, label, crop, w, (i, k) => {
    const grain = sigma > 0.3 ? sigma * random() : 0;
    const t = holeData[i] / 255;
    const p = i * channels;
    let value: ArrayLike<number> = painted.subarray(k * 3, k * 3 + 3);
    // Only where the part's tone is its far tone: beside the skin it borders it is that skin's.
    const farShare = tone ? (depthWeight ? depthWeight[k] : 0) : 1;
    if (gain > 1 && farShare > 0) {
      const g = 1 + (gain - 1) * farShare;
      rgbToLab(byte(value[0]), byte(value[1]), byte(value[2]), lab);
      value = labToRgb(lab[0], lab[1] * g, lab[2] * g);
    }
    for (let c = 0; c < 3; c++) data[p + c] = clamp(Math.round(data[p + c] * (1 - t) + (value[c] + grain) * t), 0, 255);
  });
}

/** Calls `visit(i, k)` for each pixel of part `label` inside `crop`, row by row: `i` its index in the image, `k` in the crop. */
function forEachPartPixel(labels: Int32Array, label: number, crop: Box, w: number, visit: (i: number, k: number) => void): void {
  const cw = crop.x1 - crop.x0;
  for (let y = crop.y0; y < crop.y1; y++) {
    for (let x = crop.x0; x < crop.x1; x++) {
      const i = y * w + x;
      if (labels[i] === label) visit(i, (y - crop.y0) * cw + x - crop.x0);
    }
  }
}

/** The index of the first pixel of part `label` inside `crop` (−1 when it has none). */
function firstPixel(labels: Int32Array, label: number, crop: Box, w: number): number {
  for (let y = crop.y0; y < crop.y1; y++) {
    for (let x = crop.x0; x < crop.x1; x++) if (labels[y * w + x] === label) return y * w + x;
  }
  return -1;
}

/** The far tone (`toneAt`) of the first pixel of part `label` inside `crop` that has one, or undefined. */
function partTone(
  labels: Int32Array, label: number, crop: Box, w: number, toneAt: ((i: number) => readonly [number, number, number] | undefined) | undefined,
): readonly [number, number, number] | undefined {
  if (!toneAt) return undefined;
  for (let y = crop.y0; y < crop.y1; y++) {
    for (let x = crop.x0; x < crop.x1; x++) {
      const i = y * w + x;
      if (labels[i] !== label) continue;
      const tone = toneAt(i);
      if (tone) return tone;
    }
  }
  return undefined;
}

interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

function expand(box: Box, margin: number, w: number, h: number): Box {
  return { x0: Math.max(0, box.x0 - margin), y0: Math.max(0, box.y0 - margin), x1: Math.min(w, box.x1 + margin), y1: Math.min(h, box.y1 + margin) };
}

/** Plane c(x, y) = a + b·x + c·y per channel (pixel coordinates), 3 coefficients per channel. */
type Plane = Float64Array;

/** Least-squares plane per channel; fitted in coordinates normalised to the crop for conditioning. */
function fitPlane(data: Uint8Array, channels: number, w: number, crop: Box, weights: Float32Array, cw: number): Plane | null {
  const chh = crop.y1 - crop.y0;
  const cx = (crop.x0 + crop.x1 - 1) / 2;
  const cy = (crop.y0 + crop.y1 - 1) / 2;
  const scale = Math.max(1, (crop.x1 - crop.x0) / 2, chh / 2);
  const stride = Math.max(1, Math.floor(Math.sqrt((cw * chh) / 20000)));
  const ata = new Float64Array(9);
  const atb = new Float64Array(9);
  const basis = Float64Array.of(1, 0, 0);
  let count = 0;
  for (let y = 0; y < chh; y += stride) {
    for (let x = 0; x < cw; x += stride) {
      if (weights[y * cw + x] === 0) continue;
      const gx = crop.x0 + x;
      const gy = crop.y0 + y;
      basis[1] = (gx - cx) / scale;
      basis[2] = (gy - cy) / scale;
      const p = (gy * w + gx) * channels;
      for (let r = 0; r < 3; r++) {
        for (let c = 0; c < 3; c++) ata[r * 3 + c] += basis[r] * basis[c];
        for (let ch = 0; ch < 3; ch++) atb[r * 3 + ch] += basis[r] * data[p + ch];
      }
      count++;
    }
  }
  if (count < 3) return null;
  // A whisker of ridge regularisation keeps a one-sided or collinear sample from tilting the plane wildly.
  for (let r = 1; r < 3; r++) ata[r * 3 + r] += count * 1e-3;
  if (!solveInPlace(ata, atb, 3, 3)) return null;
  const plane = new Float64Array(9);
  for (let ch = 0; ch < 3; ch++) {
    const k0 = atb[ch];
    const k1 = atb[3 + ch] / scale;
    const k2 = atb[6 + ch] / scale;
    plane[ch * 3] = k0 - k1 * cx - k2 * cy;
    plane[ch * 3 + 1] = k1;
    plane[ch * 3 + 2] = k2;
  }
  return plane;
}

function evalPlane(plane: Plane, channel: number, x: number, y: number): number {
  const o = channel * 3;
  return plane[o] + plane[o + 1] * x + plane[o + 2] * y;
}

function checkSizes(image: Raster, hole: Mask, name: string): void {
  if (image.channels < 3) throw new Error(`${name}: image must be RGB or RGBA`);
  if (hole.width !== image.width || hole.height !== image.height) throw new Error(`${name}: hole differs in size from the image`);
}

/** 1 where the weight is positive, else 0 (a plain loop: `Uint8Array.from` with a mapper calls it per element). */
function positive(weights: Float32Array): Uint8Array {
  const out = new Uint8Array(weights.length);
  for (let k = 0; k < weights.length; k++) if (weights[k] > 0) out[k] = 1;
  return out;
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

/**
 * Texture of the backdrop around a hole: the robust noise level (see estimateNoiseSigma, 8-bit
 * levels) of the visible background (not hole, not person) in the hole's box grown by half its
 * size. A studio sweep measures 1-3; grass, brick, foliage and street scenes 6 and more.
 */
export function backdropTexture(image: Raster, hole: Mask, personMask: Mask): number {
  checkSizes(image, hole, 'backdropTexture');
  const box = backdropBox(image, hole);
  if (!box) return 0;
  const { width, height } = image;
  return estimateNoiseSigma(image.data, image.channels, width, height, (i) => i >= 0 && i < hole.data.length && hole.data[i] === 0 && personMask.data[i] < 128, box);
}

/** The hole's bounding box grown by half its size: the backdrop around it that a fill continues. */
function backdropBox(image: Raster, hole: Mask): Box | null {
  const { width, height } = image;
  const rect = boundingRect(hole.data, width, height, 0, (v) => v > 0);
  if (!rect) return null;
  const { x0, y0, x1, y1 } = rect;
  const grow = Math.round(0.5 * Math.max(x1 - x0, y1 - y0)) + 8;
  return expand({ x0, y0, x1, y1 }, grow, width, height);
}

/** Share of the backdrop's pixels on a scene edge (see backdropEdges) from which it is synthesised from its own patches, not filled smoothly. */
export const STRUCTURED_BACKDROP_EDGES = 0.025;
/** Step between neighbouring pixels (mean of the channels, 8-bit levels) that is an edge of the scene, not grain. */
const SCENE_EDGE_STEP = 20;

/**
 * Structure of the backdrop around a hole: the share of its visible background pixels (not hole,
 * not person; every other row and column) that step by more than SCENE_EDGE_STEP to the pixel
 * two to their right or two below. The noise level misses it: stairs, wall panels, windows and a blurred
 * street are smooth between sharp lines (a studio sweep measures under 2 %, such scenes 2.5-11 %),
 * and a smooth fill smears across their lines.
 */
export function backdropEdges(image: Raster, hole: Mask, personMask: Mask): number {
  checkSizes(image, hole, 'backdropEdges');
  const box = backdropBox(image, hole);
  if (!box) return 0;
  const { width: w, channels, data } = image;
  const background = (i: number): boolean => hole.data[i] === 0 && personMask.data[i] < 128;
  const value = (i: number): number => (data[i * channels] + data[i * channels + 1] + data[i * channels + 2]) / 3;
  let seen = 0;
  let edges = 0;
  // Every other row and column, each compared with the pixel two to its right and two below: the
  // samples then tile the box, and no line between two of them is missed.
  for (let y = box.y0; y < Math.min(box.y1, image.height - 2); y += 2) {
    for (let x = box.x0; x < Math.min(box.x1, w - 2); x += 2) {
      const i = y * w + x;
      if (!background(i) || !background(i + 2) || !background(i + 2 * w)) continue;
      seen++;
      const v = value(i);
      if (Math.abs(v - value(i + 2)) > SCENE_EDGE_STEP || Math.abs(v - value(i + 2 * w)) > SCENE_EDGE_STEP) edges++;
    }
  }
  return seen === 0 ? 0 : edges / seen;
}

/** Width (px) of the ring of painted skin, and of seen skin beside it, compared across a seam. */
const SEAM_RING_PX = 3;
/** Painted pixels within this squared distance (px²) of seen skin touch it (8-adjacent). */
const SEAM_TOUCH_SQ = 2;
/** Margin (px) round the painted skin's box within which its seams' rings are found: the ring's width and one more. */
const RING_BOX_MARGIN = SEAM_RING_PX + 1;
/** Fewest pixels of each side's ring for a seam pixel's ratio to count. */
const SEAM_MIN_RING_PIXELS = 3;
/** Added to both sides' linear light before their ratio: black on black is no step. */
const LINEAR_FLOOR = 1e-4;
/** Smallest fade applied (share of the seam's correction): beyond it a pixel is left as painted. */
const SEAM_MIN_FADE = 1 / 512;
/** Largest correction across a seam, as a ratio of linear light either way: a neck in the chin's shadow is up to about a third of the chest's light; a larger step is not the same skin (hair, a dark garment parsed as skin). */
const SEAM_MAX_RATIO = 3;

export interface SeamOptions {
  /** 1/e distance (px) over which a seam's correction fades into the painted skin. */
  reachPx: number;
}

/**
 * In place: takes away the step in colour and light where painted skin (`painted` ≥ 128) meets
 * skin the photo shows (`seen` ≥ 128). The painted tone is the limb's or the chest's as a whole,
 * lit by a model of the body; the seen skin beside it is lit as the photo was, in the chin's
 * shadow under a neck, bright on a shoulder's top, and the two met as a hard line (a level bar at
 * the neck's base, a lighter upper arm stepping out of the forearm at an old hem). The ratio of
 * the seen skin's light to the painted skin's along the seam (linear light, per channel, each
 * averaged over SEAM_RING_PX on its side) is carried across the painted skin smoothly (pull–push,
 * so that each part of a seam sets its own) and fades into it as exp(−d / reachPx) with the
 * distance d from the seam: the seam's own colour at the seam, the painted tone inside.
 */
export function blendSeamsWithSeenSkin(image: Raster, painted: Mask, seen: Mask, options: SeamOptions): void {
  checkSizes(image, painted, 'blendSeamsWithSeenSkin');
  checkSizes(image, seen, 'blendSeamsWithSeenSkin');
  const { width: w, height: h, channels, data } = image;
  const reach = Math.max(1, options.reachPx);
  // Far enough that the fade is below SEAM_MIN_FADE at the box's edge: the result does not depend
  // on where the box ends.
  const fadeCutoff = -Math.log(SEAM_MIN_FADE) * reach;
  const paintedBox = boundingRect(painted.data, w, h, 0, (v) => v >= 128);
  if (!paintedBox) return;
  const box = expand(paintedBox, Math.ceil(fadeCutoff) + SEAM_RING_PX + 1, w, h);
  const { x0, y0 } = box;
  const cw = box.x1 - x0;
  const ch = box.y1 - y0;
  // The rings and the touch test reach SEAM_RING_PX from painted skin: they are worked out in the
  // painted skin's own box grown by RING_BOX_MARGIN (`near`), not in the crop, which is wider by
  // the fade's reach. Every set pixel within a ring's reach of a painted pixel lies in that box, so
  // the distances up to the ring's, and the windows' pixels, are the crop's, exactly.
  const near = expand(paintedBox, RING_BOX_MARGIN, w, h);
  const nw = near.x1 - near.x0;
  const nh = near.y1 - near.y0;
  const inPainted = new Uint8Array(nw * nh);
  const inSeen = new Uint8Array(nw * nh);
  for (let y = 0; y < nh; y++) {
    for (let x = 0; x < nw; x++) {
      const i = (near.y0 + y) * w + near.x0 + x;
      inPainted[y * nw + x] = painted.data[i] >= 128 ? 1 : 0;
      inSeen[y * nw + x] = seen.data[i] >= 128 && painted.data[i] === 0 ? 1 : 0;
    }
  }
  const toSeen = squaredDistanceToSet(inSeen, nw, nh);
  const toPainted = squaredDistanceToSet(inPainted, nw, nh);
  const ring2 = SEAM_RING_PX * SEAM_RING_PX;
  // Mean linear light of each side's ring within SEAM_RING_PX of a painted seam pixel: a box
  // average over both rings, read at each painted pixel right on the seam.
  const r = SEAM_RING_PX;
  // Which ring each pixel of the box belongs to (1 seen, 2 painted, 0 neither; the two sets are
  // disjoint), decided once instead of in every window that holds it. (Outside the box: neither.)
  const ring = new Uint8Array(nw * nh);
  for (let k = 0; k < ring.length; k++) {
    if (inSeen[k] && toPainted[k] <= ring2) ring[k] = 1;
    else if (inPainted[k] && toSeen[k] <= ring2) ring[k] = 2;
  }
  const samples = new Float32Array(cw * ch * 3);
  const weights = new Float32Array(cw * ch);
  const maxLog = Math.log(SEAM_MAX_RATIO);
  let seams = 0;
  for (let ny = 0; ny < nh; ny++) {
    const yStart = Math.max(0, ny - r);
    const yEnd = Math.min(nh - 1, ny + r);
    for (let nx = 0; nx < nw; nx++) {
      const kn = ny * nw + nx;
      if (!inPainted[kn] || toSeen[kn] > SEAM_TOUCH_SQ) continue; // a painted pixel touching seen skin
      const k = (near.y0 - y0 + ny) * cw + near.x0 - x0 + nx;
      // Per-channel sums, added in the same order as ever (rows, then columns, of the window).
      let seen0 = 0;
      let seen1 = 0;
      let seen2 = 0;
      let painted0 = 0;
      let painted1 = 0;
      let painted2 = 0;
      let nSeen = 0;
      let nPainted = 0;
      const xStart = Math.max(0, nx - r);
      const xEnd = Math.min(nw - 1, nx + r);
      for (let yy = yStart; yy <= yEnd; yy++) {
        const ringRow = yy * nw;
        const imageRow = (near.y0 + yy) * w + near.x0;
        for (let xx = xStart; xx <= xEnd; xx++) {
          const side = ring[ringRow + xx];
          if (side === 0) continue;
          const p = (imageRow + xx) * channels;
          if (side === 1) {
            seen0 += SRGB_TO_LINEAR[data[p]];
            seen1 += SRGB_TO_LINEAR[data[p + 1]];
            seen2 += SRGB_TO_LINEAR[data[p + 2]];
            nSeen++;
          } else {
            painted0 += SRGB_TO_LINEAR[data[p]];
            painted1 += SRGB_TO_LINEAR[data[p + 1]];
            painted2 += SRGB_TO_LINEAR[data[p + 2]];
            nPainted++;
          }
        }
      }
      if (nSeen < SEAM_MIN_RING_PIXELS || nPainted < SEAM_MIN_RING_PIXELS) continue;
      samples[k * 3] = clamp(Math.log((seen0 / nSeen + LINEAR_FLOOR) / (painted0 / nPainted + LINEAR_FLOOR)), -maxLog, maxLog);
      samples[k * 3 + 1] = clamp(Math.log((seen1 / nSeen + LINEAR_FLOOR) / (painted1 / nPainted + LINEAR_FLOOR)), -maxLog, maxLog);
      samples[k * 3 + 2] = clamp(Math.log((seen2 / nSeen + LINEAR_FLOOR) / (painted2 / nPainted + LINEAR_FLOOR)), -maxLog, maxLog);
      weights[k] = 1;
      seams++;
    }
  }
  if (seams === 0) return;
  const field = pullPushFill(samples, weights, cw, ch, 3);
  if (!field) return;
  // The fade runs from the seam itself: painted skin near seen skin it does not touch (a hand
  // across a gap of backdrop) is not corrected by a seam further off.
  const toSeam = squaredDistanceToSet(positive(weights), cw, ch);
  const cutoff2 = fadeCutoff * fadeCutoff;
  for (let y = 0; y < ch; y++) {
    for (let x = 0; x < cw; x++) {
      const k = y * cw + x;
      const i = (y0 + y) * w + x0 + x;
      const coverage = painted.data[i] / 255;
      if (coverage === 0 || toSeam[k] > cutoff2) continue;
      const fade = coverage * Math.exp(-Math.sqrt(toSeam[k]) / reach);
      const p = i * channels;
      for (let c = 0; c < 3; c++) data[p + c] = linearToSrgb(SRGB_TO_LINEAR[data[p + c]] * Math.exp(field[k * 3 + c] * fade));
    }
  }
}
