/**
 * Patch-based hole filling for photos: fills come from the photo's own pixels, so grass stays grass,
 * brick stays brick and a studio backdrop keeps its grain, where a smooth fill would look like flat
 * paint or blur. The engine is ./patchmatch.ts (PatchMatch + coarse-to-fine EM voting).
 *
 *   inpaintPatches(image, hole, source, options?)  replaces the pixels where hole ≥ 128, and blends
 *     by coverage where 0 < hole < 128 (out = old + (synthesised − old) · hole / 255), with content
 *     copied from pixels where source ≥ 128 and hole = 0 (stricter than hole < 128: a soft hole edge
 *     is itself being replaced, so it is no source). Pixels where hole = 0 never change.
 *   transferDetail(image, hole, source, options?)  for skin: keeps the hole's current low frequencies
 *     (the smooth tone and shading the caller painted) and replaces only its high frequencies (the
 *     image minus its Gaussian blur of `detailSigma` px) with detail synthesised from the source, so
 *     the fill gets pores and grain without its colour drifting; the detail is copied in random
 *     overlapping blocks (./grain.ts), not by PatchMatch, whose vote averaged it away. Same blending
 *     and source rules.
 *
 * Both work in place on a crop: the hole's bounding box grown by a margin proportional to the hole
 * (the source "within reach"), its longer side capped by `maxSourceSide` px (but never cut below the
 * hole plus a patch each side). When that crop holds no patch lying wholly in the source, the whole
 * image is tried (slower: it is searched whole); when the image holds none either, or
 * the hole is empty, or the image is smaller than a patch, the image is left unchanged (no throw).
 * Deterministic: the same inputs and seed give the same bytes. Throws only when the image and the
 * masks differ in size.
 */
import { boundingRect, type Rect } from '../person/grid.ts';
import { boxRadiiForGaussian, gaussianBlurPlane } from '../render/blur.ts';
import type { Mask, Raster } from '../../../imaging/raster.ts';
import { MAX_PATCH_SIZE, synthesise, type SynthesisLevel, type SynthesisSettings } from './patchmatch.ts';
import { quiltGrain } from './grain.ts';

export interface PatchSynthesisOptions {
  /** Patch side in px, odd (an even value is rounded up), 3 to 11. Default 7. */
  patchSize?: number;
  /** Seed of the random search. Default 1. */
  seed?: number;
  /** Maximum pyramid levels; fewer are built when the hole or the source gets too small. */
  levels?: number;
  /** EM iterations at the coarsest level (finer levels do 2, the finest 1). Default 3. */
  iterations?: number;
  /** Longest side in px of the crop that the source is searched in (a hole wider than this still
   * gets a patch of margin). Default 640. */
  maxSourceSide?: number;
  /** Preference for source patches from the target's own rows (see SynthesisSettings.rowPrior). Default 0: none. */
  rowPrior?: number;
  /** Ends with the matched pixels themselves rather than the vote's average (see SynthesisSettings.sharpFinest). Default false. */
  sharp?: boolean;
}

/** (The pyramid's levels, iterations and row prior are PatchMatch's: the grain is quilted, see ./grain.ts.) */
export interface DetailTransferOptions extends Pick<PatchSynthesisOptions, 'patchSize' | 'seed' | 'maxSourceSide'> {
  /** Sigma in px of the Gaussian that separates tone (kept) from detail (synthesised). Default 3. */
  detailSigma?: number;
  /**
   * Largest detail (8-bit levels, any channel) a source pixel may have for patches holding it to be
   * copied: faint grain is skin's, a strand of hair or a print's stroke over it is far stronger.
   * Unbounded by default.
   */
  maxSourceDetail?: number;
}

const DEFAULT_PATCH_SIZE = 7;
/** Smallest patch side in px: a 1 px patch has no neighbourhood to match. */
const MIN_PATCH_SIZE = 3;
const DEFAULT_SEED = 1;
/** Enough levels for a hole of ~1000 px to reach a coarsest level of a few patches. */
const DEFAULT_LEVELS = 6;
const DEFAULT_ITERATIONS = 3;
const DEFAULT_MAX_SOURCE_SIDE_PX = 640;
const DEFAULT_DETAIL_SIGMA_PX = 3;
/** Side of the blocks grain is copied in, in detail sigmas: a block holds several of its blobs. */
const GRAIN_BLOCK_PER_SIGMA = 4;
/** Crop margin around the hole's bounding box, as a fraction of the box's longer side. */
const SOURCE_REACH_PER_HOLE_SIDE = 0.5;
/** Smallest crop margin, in patch sides, so that even a tiny hole sees some source around it. */
const MIN_MARGIN_PATCHES = 4;
/**
 * Pixels (beyond the box blurs' summed radii) by which toDetailLayer's blur box exceeds the
 * weighted pixels: a margin of zeros so that the box's edges cannot reach them (see there).
 */
const BLUR_BOX_SLACK = 2;
/** Coverage at or above which a mask pixel counts as inside (8-bit). */
const INSIDE = 128;

/** Fills the hole with patches of the source, in place. See the header for the rules. */
export function inpaintPatches(image: Raster, hole: Mask, source: Mask, options: PatchSynthesisOptions = {}): void {
  const settings = settingsOf(options, DEFAULT_LEVELS);
  const maxSide = options.maxSourceSide ?? DEFAULT_MAX_SOURCE_SIDE_PX;
  run(image, hole, source, settings, maxSide, (crop) => {
    const level = cropLevel(image, hole, source, crop);
    // What the fill starts from is the image itself: no copy needed.
    return synthesise(level, settings) ? { level, before: null } : null;
  });
}

/** Replaces the hole's high frequencies with detail synthesised from the source, in place. See the header. */
export function transferDetail(image: Raster, hole: Mask, source: Mask, options: DetailTransferOptions = {}): void {
  const settings = settingsOf(options, DEFAULT_LEVELS);
  const maxSide = options.maxSourceSide ?? DEFAULT_MAX_SOURCE_SIDE_PX;
  const sigma = options.detailSigma ?? DEFAULT_DETAIL_SIGMA_PX;
  run(image, hole, source, settings, maxSide, (crop) => {
    const level = cropLevel(image, hole, source, crop);
    const raw = options.maxSourceDetail !== undefined ? level.values.slice() : null;
    toDetailLayer(level, sigma);
    // Strong detail leaves the source, and then the tone (the blur) the detail is measured
    // against is taken again without it: a strand beside the hole would pull the hole's tone.
    if (raw && options.maxSourceDetail !== undefined && withoutStrongDetail(level, options.maxSourceDetail) > 0) {
      level.values.set(raw);
      toDetailLayer(level, sigma);
    }
    const before = level.values.slice();
    // Grain is statistics, not structure: random blocks keep its strength (see ./grain.ts).
    return quiltGrain(level, Math.max(settings.patchSize, GRAIN_BLOCK_PER_SIGMA * sigma), settings.seed) ? { level, before } : null;
  });
}

function settingsOf(options: PatchSynthesisOptions, defaultLevels: number): SynthesisSettings {
  const size = Math.min(MAX_PATCH_SIZE, Math.max(MIN_PATCH_SIZE, Math.round(options.patchSize ?? DEFAULT_PATCH_SIZE)));
  return {
    patchSize: size % 2 === 0 ? size + 1 : size,
    seed: options.seed ?? DEFAULT_SEED,
    levels: Math.max(1, Math.round(options.levels ?? defaultLevels)),
    iterations: Math.max(1, Math.round(options.iterations ?? DEFAULT_ITERATIONS)),
    rowPrior: Math.max(0, options.rowPrior ?? 0),
    sharpFinest: options.sharp ?? false,
  };
}

/**
 * Common driver: finds the crop, lets `fill` synthesise it (returning the synthesised level and the
 * values it started from), falls back to the whole image when the crop has no source patch, and
 * adds the change to the image weighted by hole coverage.
 */
function run(
  image: Raster, hole: Mask, source: Mask, settings: SynthesisSettings, maxSide: number,
  fill: (crop: Rect) => { level: SynthesisLevel; before: Float32Array | null } | null,
): void {
  if (hole.width !== image.width || hole.height !== image.height || source.width !== image.width || source.height !== image.height) {
    throw new Error('patch synthesis: image, hole and source must be the same size');
  }
  if (image.width < settings.patchSize || image.height < settings.patchSize) return;
  const box = boundingRect(hole.data, hole.width, hole.height, 0, (v) => v > 0);
  if (!box) return;
  let crop = sourceWindow(box, image.width, image.height, settings.patchSize, maxSide);
  let result = fill(crop);
  const wholeImage = crop.x0 === 0 && crop.y0 === 0 && crop.x1 === image.width && crop.y1 === image.height;
  if (!result && !wholeImage) {
    crop = { x0: 0, y0: 0, x1: image.width, y1: image.height };
    result = fill(crop);
  }
  if (result) writeBack(image, hole, crop, result.level, result.before);
}

/** The hole's box grown by a margin proportional to its size, each side capped so the crop stays ≤ maxSide. */
function sourceWindow(box: Rect, w: number, h: number, patchSize: number, maxSide: number): Rect {
  const bw = box.x1 - box.x0;
  const bh = box.y1 - box.y0;
  const reach = Math.max(MIN_MARGIN_PATCHES * patchSize, Math.round(SOURCE_REACH_PER_HOLE_SIDE * Math.max(bw, bh)));
  const mx = Math.max(patchSize, Math.min(reach, Math.floor((maxSide - bw) / 2)));
  const my = Math.max(patchSize, Math.min(reach, Math.floor((maxSide - bh) / 2)));
  return { x0: Math.max(0, box.x0 - mx), y0: Math.max(0, box.y0 - my), x1: Math.min(w, box.x1 + mx), y1: Math.min(h, box.y1 + my) };
}

/** The crop as a synthesis problem: float values, unknown = hole > 0, usable = source ≥ 128 and hole = 0. */
function cropLevel(image: Raster, hole: Mask, source: Mask, crop: Rect): SynthesisLevel {
  const c = image.channels;
  const w = crop.x1 - crop.x0;
  const h = crop.y1 - crop.y0;
  const values = new Float32Array(w * h * c);
  const unknown = new Uint8Array(w * h);
  const usable = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    const row = (crop.y0 + y) * image.width + crop.x0;
    for (let x = 0; x < w; x++) {
      const i = row + x;
      const o = y * w + x;
      unknown[o] = hole.data[i] > 0 ? 1 : 0;
      usable[o] = hole.data[i] === 0 && source.data[i] >= INSIDE ? 1 : 0;
      for (let k = 0; k < c; k++) values[o * c + k] = image.data[i * c + k];
    }
  }
  return { width: w, height: h, channels: c, values, unknown, usable };
}

/**
 * Turns the level's values into their detail layer: value minus its Gaussian blur, the blur
 * normalised over the usable and unknown pixels only (blur(value · weight) / blur(weight)), so a
 * neighbouring forbidden region (a garment beside the skin) does not print a false edge into the detail.
 *
 * The blurs run on the weighted pixels' bounding box grown by BLUR_BOX_SLACK more than the box
 * passes reach (their radii summed), not on the whole level (up to 640 px square, of which the
 * skin is often a small part). The same values, bit for bit, where the detail is kept (weight > 0):
 * outside the box every input is 0, so a running sum enters the box at exactly 0 from the left and
 * top, as it does over the whole level, and what the box's right and bottom edges change (the
 * clamped taps read the box's last pixel where the whole level has the blurs' tails) travels
 * inward by at most one radius a pass, never reaching the weighted pixels.
 */
export function toDetailLayer(level: SynthesisLevel, sigma: number): void {
  const { width: lw, height: lh, channels: c, values, unknown, usable } = level;
  const reach = boxRadiiForGaussian(sigma).reduce((sum, r) => sum + Math.max(0, Math.floor(r)), 0);
  const box = boundingRect(usable, lw, lh, reach + BLUR_BOX_SLACK, (v) => v > 0);
  const held = boundingRect(unknown, lw, lh, reach + BLUR_BOX_SLACK, (v) => v > 0);
  if (!box && !held) {
    values.fill(0);
    return;
  }
  const x0 = Math.min(box?.x0 ?? lw, held?.x0 ?? lw);
  const y0 = Math.min(box?.y0 ?? lh, held?.y0 ?? lh);
  const w = Math.max(box?.x1 ?? 0, held?.x1 ?? 0) - x0;
  const h = Math.max(box?.y1 ?? 0, held?.y1 ?? 0) - y0;
  const n = w * h;
  const weight = new Float32Array(n);
  for (let y = 0; y < h; y++) {
    for (let x = 0, i = y * w, j = (y0 + y) * lw + x0; x < w; x++, i++, j++) weight[i] = unknown[j] | usable[j];
  }
  const weightBlur = gaussianBlurPlane(weight, w, h, sigma);
  const weighted = new Float32Array(n);
  // One set of work arrays for the channels' blurs: each channel's is used up before the next.
  const buffers = { out: new Float32Array(n), a: new Float32Array(n), tmp: new Float32Array(n) };
  for (let k = 0; k < c; k++) {
    for (let y = 0; y < h; y++) {
      for (let x = 0, i = y * w, j = (y0 + y) * lw + x0; x < w; x++, i++, j++) weighted[i] = values[j * c + k] * weight[i];
    }
    const low = gaussianBlurPlane(weighted, w, h, sigma, buffers);
    for (let y = 0; y < h; y++) {
      for (let x = 0, i = y * w, j = (y0 + y) * lw + x0; x < w; x++, i++, j++) {
        values[j * c + k] = weight[i] > 0 ? values[j * c + k] - low[i] / weightBlur[i] : 0;
      }
    }
  }
  // Outside the box nothing is weighted: no detail.
  values.fill(0, 0, y0 * lw * c);
  values.fill(0, (y0 + h) * lw * c);
  for (let y = y0; y < y0 + h; y++) {
    values.fill(0, y * lw * c, (y * lw + x0) * c);
    values.fill(0, (y * lw + x0 + w) * c, (y + 1) * lw * c);
  }
}

/** Marks unusable every source pixel of a detail layer whose detail exceeds `max` in any channel; returns how many. */
function withoutStrongDetail(level: SynthesisLevel, max: number): number {
  const { channels: c, values, usable } = level;
  let removed = 0;
  for (let i = 0; i < usable.length; i++) {
    if (!usable[i]) continue;
    for (let k = 0; k < c; k++) {
      if (Math.abs(values[i * c + k]) > max) {
        usable[i] = 0;
        removed++;
        break;
      }
    }
  }
  return removed;
}

/**
 * image += (synthesised − before) · hole / 255 over the crop, rounded and clamped to 0..255; a null
 * `before` means the level started from the image's own values.
 */
function writeBack(image: Raster, hole: Mask, crop: Rect, level: SynthesisLevel, before: Float32Array | null): void {
  const c = image.channels;
  const w = level.width;
  for (let y = 0; y < level.height; y++) {
    const row = (crop.y0 + y) * image.width + crop.x0;
    for (let x = 0; x < w; x++) {
      const i = row + x;
      const coverage = hole.data[i];
      if (coverage === 0) continue;
      const o = (y * w + x) * c;
      for (let k = 0; k < c; k++) {
        const old = image.data[i * c + k];
        const v = old + ((level.values[o + k] - (before ? before[o + k] : old)) * coverage) / 255;
        image.data[i * c + k] = v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v);
      }
    }
  }
}
