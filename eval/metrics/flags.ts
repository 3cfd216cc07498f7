/**
 * Failure flags: one number per visible failure class that can be measured from the result and the
 * engine's diagnostics, each with a limit, so the eval can list and sort the pairs a developer
 * should look at first (see tryon.ts for the limits and what each flag means). Numbers guide; the
 * contact sheet decides.
 *
 * - remnant_outside: old garment left just outside the repainted region.
 * - flat_fill: area of the fill (repainted, not the new garment) with far less texture than the
 *   kept photo around it (flesh-coloured slabs, smeared backgrounds); fill_share is the whole fill.
 * - above_chin / outside_envelope: new garment where no garment belongs.
 * - straight_cut: a ruler-straight horizontal edge of the repaint mask.
 */
import type { Category, EngineResult } from '../../src/engine/types.ts';
import type { Mask, Raster } from '../../src/imaging/raster.ts';
import { boundingRect } from '../../src/engine/classic/person/grid.ts';
import { lightnessTexture } from '../../src/engine/classic/person/colour-model.ts';
import { labelComponents, squaredDistanceToSet } from '../../src/engine/classic/render/masks.ts';
import { lightnessImage } from '../../src/imaging/colour.ts';
import { ciede2000Components, rgbPixelsToLab, srgbToLabInto } from './ciede2000.ts';
import { MIN_PIXELS } from './color-delta-e.ts';
import { INSIDE, countInside, erode, pixelsInside } from './mask-ops.ts';
import type { PaletteEntry } from './palette.ts';
import { dominantPalette } from './palette.ts';

/** Width of the ring just outside the repaint mask that remnant_outside inspects, share of the image width. */
export const REMNANT_BAND_SHARE = 0.04;
/** ΔE00 within which a ring pixel matches a palette colour (old garment: counts; new garment: excused). */
export const REMNANT_OUTSIDE_DELTA_E = 8;
/** Erosion of the old garment mask before taking its palette, px: skips its edges (skin, background). */
const OLD_PALETTE_EROSION = 3;
/**
 * Old-garment palette colours with less weight than this are dropped: a hand or a strand of hair
 * inside the old garment's mask is not the garment.
 */
const OLD_PALETTE_MIN_WEIGHT = 0.08;
/** Side of the square window of the local lightness (L*) standard deviation, px. */
export const FLAT_WINDOW = 5;
/** A fill pixel is flat when its local std is below this fraction of the kept pixels' median local std. */
export const FLAT_STD_FRACTION = 0.35;
/** The kept pixels that set the texture reference: within this share of the image width of the fill. */
export const FLAT_REFERENCE_SHARE = 0.04;
/** New-garment pixels farther than this share of the image width from the person's envelope (see outsideEnvelope) are outside it. */
export const ENVELOPE_MARGIN_SHARE = 0.03;
/** Rows a horizontal run of the repaint mask's boundary may wander, ± px. */
export const STRAIGHT_TOLERANCE_PX = 1;

/**
 * The limits: a flag is raised when its value exceeds (>) its limit. Units: remnant_outside, share
 * of the ring's pixels; flat_fill, share of the image; above_chin and outside_envelope, share of the
 * new garment's pixels; straight_cut, share of the new garment's width.
 */
export const FLAG_LIMITS = {
  remnant_outside: 0.12,
  flat_fill: 0.015,
  above_chin: 0.01,
  outside_envelope: 0.05,
  straight_cut: 0.5,
} as const;

export type FlagName = keyof typeof FLAG_LIMITS;
export const FLAG_NAMES = Object.keys(FLAG_LIMITS) as FlagName[];
/** Short names for the printed table and the contact sheet's labels. */
export const FLAG_SHORT: Record<FlagName, string> = {
  remnant_outside: 'rem',
  flat_fill: 'flat',
  above_chin: 'chin',
  outside_envelope: 'env',
  straight_cut: 'cut',
};
/** One flag's value/limit counts at most this much towards `badness`. */
export const BADNESS_CAP = 4;
/** Weight of the flags under their limits in `badness` (orders the clean pairs, never lifts one above a flagged pair). */
const UNDER_LIMIT_WEIGHT = 0.1;

export interface FlagMetrics {
  /** Share of the ring's person pixels that match the old garment's colours and not the new one's; null without the diagnostics. */
  remnant_outside: number | null;
  /** Share of the image that is flat fill; null without diagnostics.newGarment. */
  flat_fill: number | null;
  /** Share of the image that is fill (repaint mask minus the new garment), flat or not. */
  fill_share: number | null;
  /** Share of the new garment above diagnostics.chinY; null for lower_body or without chinY. */
  above_chin: number | null;
  /** Share of the new garment outside the person's envelope grown by ENVELOPE_MARGIN_SHARE; null without diagnostics.person. */
  outside_envelope: number | null;
  /** Longest horizontal run (± STRAIGHT_TOLERANCE_PX) of the repaint mask's boundary over the new garment's width. */
  straight_cut: number | null;
  /** Names of the flags over their limits, in FLAG_NAMES order. */
  flags: FlagName[];
  /** Σ value/limit (each ≤ BADNESS_CAP) over the flags raised, + 0.1 · Σ value/limit over the others. */
  badness: number;
}

export interface FlagInput {
  model: Raster;
  result: EngineResult;
  category: Category;
  /** The new garment's colours (the product cut-out's palette) and the exposure that matched the render to it. */
  newPalette: PaletteEntry[] | null;
  exposure: number;
}

/** Every flag of one pair; `notes` gets a line for each flag that could not be measured. */
export function measureFlags(input: FlagInput, notes: string[]): FlagMetrics {
  const { model, result, category } = input;
  const d = result.diagnostics;
  const values: Omit<FlagMetrics, 'flags' | 'badness'> = {
    remnant_outside: null,
    flat_fill: null,
    fill_share: null,
    above_chin: null,
    outside_envelope: null,
    straight_cut: null,
  };
  if (!d?.newGarment) {
    notes.push('flags: the engine gave no diagnostics.newGarment, no flag measured');
    return { ...values, flags: [], badness: 0 };
  }
  const newGarment = d.newGarment;
  const garmentPixels = countInside(newGarment);
  if (garmentPixels === 0) {
    notes.push('flags: diagnostics.newGarment is empty, no flag measured');
    return { ...values, flags: [], badness: 0 };
  }

  if (!d.oldGarment || !d.person) notes.push('remnant_outside: needs diagnostics.oldGarment and diagnostics.person');
  else if (!input.newPalette) notes.push('remnant_outside: no new-garment palette (see color_delta_e)');
  else {
    values.remnant_outside = remnantOutside(model, result.repaintMask, d.oldGarment, newGarment, d.person, input.newPalette, input.exposure);
    if (values.remnant_outside === null) notes.push('remnant_outside: too few old-garment pixels or no ring on the person');
  }

  const fill = flatFill(result.image, result.repaintMask, newGarment, d.person);
  values.fill_share = fill.fillShare;
  values.flat_fill = fill.flatShare;

  if (category === 'lower_body') {
    // Trousers and skirts start below the chin anyway: nothing to measure.
  } else if (d.chinY === undefined) notes.push('above_chin: the engine gave no diagnostics.chinY');
  else values.above_chin = aboveRow(newGarment, d.chinY) / garmentPixels;

  if (!d.person) notes.push('outside_envelope: the engine gave no diagnostics.person');
  else values.outside_envelope = outsideEnvelope(newGarment, d.person) / garmentPixels;

  const box = boundingRect(newGarment.data, newGarment.width, newGarment.height, 0, (v) => v >= INSIDE);
  if (box) values.straight_cut = longestHorizontalBoundary(result.repaintMask, STRAIGHT_TOLERANCE_PX) / (box.x1 - box.x0);

  return { ...values, ...judge(values) };
}

/** The raised flags and the badness score from the values (null values neither raise nor score). */
export function judge(values: Partial<Record<FlagName, number | null>>): { flags: FlagName[]; badness: number } {
  const flags: FlagName[] = [];
  let over = 0;
  let under = 0;
  for (const name of FLAG_NAMES) {
    const v = values[name];
    if (v === null || v === undefined) continue;
    const ratio = Math.min(BADNESS_CAP, v / FLAG_LIMITS[name]);
    if (v > FLAG_LIMITS[name]) {
      flags.push(name);
      over += ratio;
    } else under += ratio;
  }
  return { flags, badness: over + UNDER_LIMIT_WEIGHT * under };
}

/**
 * The ring: kept pixels (repaint mask < 128) on the person (silhouette ≥ 128) within
 * REMNANT_BAND_SHARE of the image width of the repainted regions that hold the new garment (a
 * repainted patch elsewhere has its own story). Of those, the share whose colour is within ΔE00 8 of
 * a colour of the old garment (palette of the input under the old garment mask, eroded) and not
 * within ΔE00 8 of one of the new garment's. null when the old garment or the ring is too small.
 */
export function remnantOutside(
  model: Raster,
  repaintMask: Mask,
  oldGarment: Mask,
  newGarment: Mask,
  person: Mask,
  newPalette: PaletteEntry[],
  exposure = 1,
): number | null {
  const { width: w, height: h } = model;
  const oldPixels = pixelsInside(model, erode(oldGarment, OLD_PALETTE_EROSION));
  if (oldPixels.length / 3 < MIN_PIXELS) return null;
  const oldPalette = dominantPalette(rgbPixelsToLab(oldPixels)).filter((e) => e.weight >= OLD_PALETTE_MIN_WEIGHT);

  // The repainted regions (8-connected) that overlap the new garment.
  const { labels, regions } = labelComponents(repaintMask, INSIDE);
  const holdsGarment = new Uint8Array(regions.length + 1);
  for (let p = 0; p < labels.length; p++) if (labels[p] !== 0 && newGarment.data[p] >= INSIDE) holdsGarment[labels[p]] = 1;
  const source = new Uint8Array(w * h);
  for (let p = 0; p < labels.length; p++) source[p] = holdsGarment[labels[p]];
  const d2 = squaredDistanceToSet(source, w, h);
  const band = Math.max(1, Math.round(w * REMNANT_BAND_SHARE));

  const ch = model.channels;
  const lab = new Float64Array(6); // as is, and re-exposed for the new garment's palette
  const near = (palette: PaletteEntry[], o: number): boolean =>
    palette.some((e) => ciede2000Components(lab[o], lab[o + 1], lab[o + 2], e.lab[0], e.lab[1], e.lab[2]) < REMNANT_OUTSIDE_DELTA_E);
  let ring = 0;
  let left = 0;
  for (let p = 0; p < w * h; p++) {
    if (repaintMask.data[p] >= INSIDE || person.data[p] < INSIDE || d2[p] > band * band) continue;
    ring++;
    const r = model.data[p * ch];
    const g = model.data[p * ch + 1];
    const b = model.data[p * ch + 2];
    srgbToLabInto(r, g, b, 1, lab, 0);
    if (!near(oldPalette, 0)) continue;
    srgbToLabInto(r, g, b, exposure, lab, 3);
    if (!near(newPalette, 3)) left++;
  }
  return ring < MIN_PIXELS ? null : left / ring;
}

export interface FlatFillResult {
  /** Share of the image repainted (≥ 128) outside the new garment (< 128). */
  fillShare: number;
  /** Share of the image that is fill with local L* std < FLAT_STD_FRACTION × its side's reference. */
  flatShare: number;
  /** Median local std of the kept pixels near the fill, on the person and off it; null where there are none. */
  reference: { person: number | null; background: number | null };
}

/**
 * Low-texture fill. The fill is the repaint mask minus the new garment. Each pixel's texture is the
 * standard deviation of lightness (CIE L*, the perceptual luma) over a FLAT_WINDOW square (clipped
 * at the frame), as the engine's own skin/fabric test measures it. The reference is the median of
 * that over the kept pixels (repaint mask exactly 0, their whole window kept) within
 * FLAT_REFERENCE_SHARE of the image width of the fill, taken separately on the person (silhouette
 * ≥ 128) and off it, and each fill pixel is judged against its own side's: skin filled in beside
 * skin and clothes, background beside background (a studio wall's texture is ~0 and would
 * otherwise drag the person's reference down). Without a silhouette, one reference for all. A
 * side with no kept pixels near, or a reference of 0 (a perfectly smooth ground), has no flat fill.
 */
export function flatFill(image: Raster, repaintMask: Mask, newGarment: Mask, person?: Mask): FlatFillResult {
  const { width: w, height: h } = image;
  const n = w * h;
  const fill = new Uint8Array(n);
  let fillCount = 0;
  for (let p = 0; p < n; p++) {
    if (repaintMask.data[p] >= INSIDE && newGarment.data[p] < INSIDE) {
      fill[p] = 1;
      fillCount++;
    }
  }
  if (fillCount === 0) return { fillShare: 0, flatShare: 0, reference: { person: null, background: null } };
  // (Lightness alone: a 24-megapixel photo's whole CIELAB is 290 MB, and with the texture's sums it
  // was the eval's peak of memory.)
  const std = lightnessTexture(lightnessImage(image), w, { x0: 0, y0: 0, x1: w, y1: h }, (FLAT_WINDOW - 1) / 2, 1);
  const onPerson = (p: number): boolean => (person ? person.data[p] >= INSIDE : true);

  const d2Fill = squaredDistanceToSet(fill, w, h);
  const touched = new Uint8Array(n);
  for (let p = 0; p < n; p++) touched[p] = repaintMask.data[p] !== 0 ? 1 : 0;
  const d2Touched = squaredDistanceToSet(touched, w, h);
  const reach = Math.max(FLAT_WINDOW, Math.round(w * FLAT_REFERENCE_SHARE));
  const clear = ((FLAT_WINDOW - 1) / 2) ** 2 * 2; // the window's corner: the whole window is kept
  const near: [number[], number[]] = [[], []]; // [off the person, on the person]
  for (let p = 0; p < n; p++) if (d2Touched[p] > clear && d2Fill[p] <= reach * reach) near[onPerson(p) ? 1 : 0].push(std[p]);
  const [background, personRef] = near.map((values) => {
    if (values.length === 0) return null;
    values.sort((a, b) => a - b);
    return values[Math.floor(values.length / 2)];
  });
  const limits = [FLAT_STD_FRACTION * (background ?? 0), FLAT_STD_FRACTION * (personRef ?? 0)];
  let flat = 0;
  for (let p = 0; p < n; p++) if (fill[p] && std[p] < limits[onPerson(p) ? 1 : 0]) flat++;
  return { fillShare: fillCount / n, flatShare: flat / n, reference: { person: personRef, background } };
}

/** Pixels of the mask (≥ 128) in rows above `row`. */
function aboveRow(mask: Mask, row: number): number {
  const end = Math.max(0, Math.min(mask.height, Math.ceil(row))) * mask.width;
  let n = 0;
  for (let p = 0; p < end; p++) if (mask.data[p] >= INSIDE) n++;
  return n;
}

/**
 * Pixels of the new garment (≥ 128) farther than ENVELOPE_MARGIN_SHARE of the width from the
 * person's envelope: each row of the silhouette (≥ 128) filled from its leftmost to its rightmost
 * pixel, so the gap between the legs or between an arm and the body is inside (a skirt or a dress
 * covers it).
 */
export function outsideEnvelope(newGarment: Mask, person: Mask): number {
  const { width: w, height: h } = newGarment;
  const envelope = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    let first = 0;
    while (first < w && person.data[row + first] < INSIDE) first++;
    if (first === w) continue;
    let last = w - 1;
    while (person.data[row + last] < INSIDE) last--;
    envelope.fill(1, row + first, row + last + 1);
  }
  const d2 = squaredDistanceToSet(envelope, w, h);
  const margin = w * ENVELOPE_MARGIN_SHARE;
  let n = 0;
  for (let p = 0; p < w * h; p++) if (newGarment.data[p] >= INSIDE && d2[p] > margin * margin) n++;
  return n;
}

/**
 * Length, px, of the longest run of consecutive columns that each hold a boundary pixel of the mask
 * (a pixel ≥ 128 with a 4-neighbour < 128; the frame is not a boundary) within rows y ± tolerance,
 * over every y: a horizontal edge straight to within ± tolerance px.
 */
export function longestHorizontalBoundary(mask: Mask, tolerance: number): number {
  const { width: w, height: h, data } = mask;
  const boundary = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const p = y * w + x;
      if (data[p] < INSIDE) continue;
      const outside =
        (x > 0 && data[p - 1] < INSIDE) || (x < w - 1 && data[p + 1] < INSIDE) || (y > 0 && data[p - w] < INSIDE) || (y < h - 1 && data[p + w] < INSIDE);
      if (outside) boundary[p] = 1;
    }
  }
  let best = 0;
  for (let y = 0; y < h; y++) {
    const y0 = Math.max(0, y - tolerance);
    const y1 = Math.min(h - 1, y + tolerance);
    let run = 0;
    for (let x = 0; x < w; x++) {
      let hit = false;
      for (let yy = y0; yy <= y1 && !hit; yy++) hit = boundary[yy * w + x] === 1;
      run = hit ? run + 1 : 0;
      if (run > best) best = run;
    }
  }
  return best;
}
