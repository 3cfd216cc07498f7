/**
 * A turtleneck's (or mock / funnel neck's) collar on the person's neck, after the classic try-on.
 *
 * The classic engine never covers the neck above its base (tryon.ts `neckKeptAboveItsBase`: a
 * laid-flat top's inside of the back lands there), so a product shot's roll collar was cut at the
 * neck's base and every turtleneck was worn as a crew neck. The roll is drawn here instead, as a
 * short tube round the neck: from the new garment's neckline up to ROLL_RISE of the way to the
 * chin, about the neck's width, in the colour the try-on gave the garment at its neckline, shaded
 * as a cylinder (darker towards its sides) with the fold of the roll and, for knits, rib lines.
 * Hair and hands in front of the neck stay in front, and the roll stays on the person (a photo
 * whose neck does not show gets none above the garment).
 */
import type { Mask, Raster } from '../../imaging/raster.ts';
import type { BodyFrame } from '../classic/body/index.ts';
import { bodyGeometry, faceEllipse } from '../classic/person/geometry.ts';
import { PartLabel, type PersonAnalysis } from '../classic/types.ts';

/** How far up the neck (share of the neck's base-to-chin height) a rolled collar reaches. */
export const ROLL_RISE = 0.55;
/** How far up the neck a jacket's stand collar reaches (share of the neck's height): a band of rib or quilting about 4 cm tall. */
export const STAND_RISE = 0.45;
/** How far below the neck's base a stand collar's seam dips in front (share of the neck's height): it sits on the neckline, not over the chest. */
const STAND_BELOW_BASE = 0.1;
/** A stand collar's zip down its middle: half-width (share of the collar's top half-width) and light. */
const ZIP_HALF = 0.04;
const ZIP_LIGHT = 0.45;
/** The roll's half-width at its top, as a multiple of the neck's half-width (BodyFrame.neck). */
const ROLL_HALF_WIDTH = 0.95;
/**
 * How much wider (share) the roll is where it meets the shoulders than at its top: it runs out
 * into them, with no skin left beside its base.
 */
const ROLL_FLARE = 0.45;
/**
 * Reach (share of the roll's top half-width) over which the roll's base follows the lowest start
 * of the garment: the try-on's neckline is cut along the neck in steps, which the roll covers.
 */
const BASE_REACH = 0.3;
/** How much lower (share of the roll's top half-width) the top edge's middle is than its sides: the near side of the rim, seen from a little above. */
const TOP_SAG = 0.12;
/**
 * The roll reaches at least this far below the neck's base (share of the neck's height): the
 * try-on squeezes the product shot's own collar into a band round the neck's base, which the roll
 * covers.
 */
const ROLL_BELOW_BASE = 0.3;
/** Rows below the neck's base (shares of the neck's height) whose garment colour the roll takes: the chest, clear of that band. */
const COLOUR_ROWS = [0.6, 1.4] as const;
/** Lowest the roll reaches below the neck's base when no garment is found under a column (share of the neck's height). */
const ROLL_MAX_DROP = 0.6;
/** Neck height (analysis px) below which there is no neck to dress (a head bent down, a photo cropped at the chin). */
const MIN_NECK_PX = 4;
/** Light at the roll's sides against its front: a cylinder seen from the front. */
const SIDE_LIGHT = 0.62;
/** The fold of the roll, as a share of its height from the top: the doubled-over band above it. */
const FOLD_AT = 0.45;
/** Darkening (share) along the fold line and its soft shadow. */
const FOLD_SHADE = 0.22;
/** Rib lines across the roll's front, for knits; and their depth (share of light). */
const RIBS_ACROSS = 16;
const RIB_DEPTH = 0.1;
/** Darkening (share) the roll casts on the garment just under it, and that shadow's depth (share of the neck's height). */
const UNDER_SHADE = 0.18;
const UNDER_SHADE_DEPTH = 0.12;

/** Labels a collar or strap is never drawn over: what stands in front of the neck and shoulders. */
export const IN_FRONT = new Set<number>([PartLabel.Hair, PartLabel.Face, PartLabel.Hand]);

export interface RollCollarOptions {
  /** Rib lines (knit fabrics). */
  ribbed: boolean;
  /**
   * Outerwear's stand collar (a bomber's, a puffer's, a parka's): lower (STAND_RISE), no fold,
   * closed at the front by the zip (a line down its middle). The try-on cut it at the neck's base.
   */
  stand?: boolean;
}

/**
 * Draws the roll collar onto `image` (full resolution) in place, adding it to `newGarment` and
 * `repaint`. Returns false (nothing drawn) when the photo shows no neck to dress or the new
 * garment does not reach the neck.
 */
export function drawRollCollar(image: Raster, newGarment: Mask, repaint: Mask, person: PersonAnalysis, body: BodyFrame, options: RollCollarOptions): boolean {
  const neck = neckInPhoto(image, person, body);
  if (!neck) return false;
  const { width, height } = image;
  const aw = person.parsing.width;
  const ah = person.parsing.height;
  const { sx, sy, baseY, neckH } = neck;
  const cx = body.neck.centre.x * sx;
  const topHalf = ((Math.abs(body.neck.r.x - body.neck.l.x) / 2) * ROLL_HALF_WIDTH) * sx;
  const top = (baseY - (options.stand ? STAND_RISE : ROLL_RISE) * neckH) * sy;
  const lowest = Math.min(height - 1, Math.ceil((baseY + ROLL_MAX_DROP * neckH) * sy));
  const x0 = Math.max(0, Math.floor(cx - topHalf * (1 + ROLL_FLARE)) - 1);
  const x1 = Math.min(width - 1, Math.ceil(cx + topHalf * (1 + ROLL_FLARE)) + 1);
  const y0 = Math.max(0, Math.floor(top));
  if (y0 >= lowest || x0 >= x1) return false;

  // Per column, where the new garment starts below the roll's top: the roll comes down to it.
  const solid = (i: number): boolean => newGarment.data[i] >= 128;
  const bottom = new Int32Array(x1 - x0 + 1).fill(-1);
  let found = 0;
  for (let x = x0; x <= x1; x++) {
    for (let y = y0; y <= lowest; y++) {
      if (!solid(y * width + x)) continue;
      bottom[x - x0] = y;
      found++;
      break;
    }
  }
  // The garment must reach the neck across most of the roll, or this is no top to add a roll to.
  if (found < 0.6 * (x1 - x0 + 1)) return false;
  const colour = garmentColour(image, newGarment, x0, x1, Math.round((baseY + COLOUR_ROWS[0] * neckH) * sy), Math.round((baseY + COLOUR_ROWS[1] * neckH) * sy));
  if (!colour) return false;
  const baseDrop = Math.round(UNDER_SHADE_DEPTH * neckH * sy);
  let fallback = lowest;
  for (const b of bottom) if (b >= 0) fallback = Math.min(fallback, b);
  // Where the roll meets the shoulders: the garment's start at its outermost columns. The roll is
  // fully flared there, so no skin is left between its base and the shoulders.
  const outer = [bottom[0], bottom[bottom.length - 1]].filter((b) => b >= 0);
  const shoulderY = Math.max(top + 2, outer.length > 0 ? outer.reduce((a, b) => a + b, 0) / outer.length : fallback);
  const flareH = shoulderY - top;
  // The roll's base seam: half an ellipse from its outer ends at the shoulders down to below the
  // neck's base in the middle (over the band where the try-on squeezed the shot's own collar).
  // Where the cut neckline dips lower (within BASE_REACH of a column), the roll follows it down.
  const seamMid = Math.max(shoulderY, (baseY + (options.stand ? STAND_BELOW_BASE : ROLL_BELOW_BASE) * neckH) * sy);
  const fullHalf = topHalf * (1 + ROLL_FLARE);
  const reach = Math.max(1, Math.round(BASE_REACH * topHalf));
  const base = new Int32Array(bottom.length);
  for (let k = 0; k < bottom.length; k++) {
    let b = -1;
    for (let j = Math.max(0, k - reach); j <= Math.min(bottom.length - 1, k + reach); j++) b = Math.max(b, bottom[j]);
    const across = Math.min(1, Math.abs(x0 + k + 0.5 - cx) / fullHalf);
    const seam = shoulderY + (seamMid - shoulderY) * Math.sqrt(1 - across * across);
    base[k] = Math.round(Math.max(seam, b >= 0 && across < 1 ? b : seam));
  }

  const labels = person.parsing.labels;
  const at = (x: number, y: number): number => Math.min(ah - 1, Math.floor(y / sy)) * aw + Math.min(aw - 1, Math.floor(x / sx));
  const front = (x: number, y: number): boolean => IN_FRONT.has(labels[at(x, y)]);
  const onPerson = (x: number, y: number): boolean => person.personMask.data[at(x, y)] >= 128;
  for (let x = x0; x <= x1; x++) {
    const end = base[x - x0];
    for (let y = y0; y < end + baseDrop && y < height; y++) {
      const i = y * width + x;
      if (front(x, y) || !onPerson(x, y)) continue;
      if (y >= end) {
        // The roll's shadow on the garment just under it.
        if (!solid(i)) continue;
        const t = (y - end) / Math.max(1, baseDrop);
        const shade = 1 - UNDER_SHADE * (1 - t) * (1 - t);
        for (let c = 0; c < 3; c++) image.data[i * 3 + c] = Math.round(image.data[i * 3 + c] * shade);
        continue;
      }
      const v = Math.min(1, Math.max(0, (y - top) / flareH));
      const half = topHalf * (1 + ROLL_FLARE * v);
      const across = (x + 0.5 - cx) / half;
      const edge = top + TOP_SAG * topHalf * Math.max(0, 1 - across * across);
      // Coverage: a one-pixel ramp at the sides and along the top edge (anti-aliased outline).
      const cover = Math.min(1, Math.max(0, (half - Math.abs(x + 0.5 - cx)) + 0.5), Math.max(0, y + 1 - edge));
      if (cover <= 0) continue;
      const s = Math.min(1, Math.abs(across));
      let light = SIDE_LIGHT + (1 - SIDE_LIGHT) * Math.sqrt(1 - s * s);
      if (options.stand) {
        // The zip closing the collar at the front.
        if (Math.abs(across) < ZIP_HALF) light *= ZIP_LIGHT;
      } else {
        // The fold: a dark line with its shadow below, the doubled band above it lit a little more.
        const d = y - (edge + FOLD_AT * flareH);
        light *= d < 0 ? 1 + 0.04 : 1 - FOLD_SHADE * Math.exp(-d / 2.5);
      }
      if (options.ribbed) light *= 1 + RIB_DEPTH * 0.5 * Math.cos(Math.PI * RIBS_ACROSS * across);
      paintOver(image, newGarment, repaint, i, colour, light, cover);
    }
  }
  return true;
}

/**
 * The neck a detail drawn on the try-on's result dresses: the scale from analysis to `image` px,
 * and the neck's base row and height (base to chin) in analysis px; null when the photo shows no
 * neck (no head found, or a neck under MIN_NECK_PX).
 */
export function neckInPhoto(image: Raster, person: PersonAnalysis, body: BodyFrame): { sx: number; sy: number; baseY: number; neckH: number } | null {
  const head = bodyGeometry(person.pose).head;
  if (!head) return null;
  const baseY = body.neck.centre.y;
  const neckH = baseY - faceEllipse(head).chinY;
  if (neckH < MIN_NECK_PX) return null;
  return { sx: image.width / person.parsing.width, sy: image.height / person.parsing.height, baseY, neckH };
}

/**
 * Lays `colour` lit by `light` over pixel i of `image` at coverage `cover` (0..1), and marks it
 * new garment and repainted at least that much: a detail drawn on the try-on's result.
 */
export function paintOver(image: Raster, newGarment: Mask, repaint: Mask, i: number, colour: readonly number[], light: number, cover: number): void {
  for (let c = 0; c < 3; c++) {
    const p = i * 3 + c;
    image.data[p] = Math.round(image.data[p] * (1 - cover) + Math.min(255, colour[c] * light) * cover);
  }
  const m = Math.round(cover * 255);
  if (m > newGarment.data[i]) newGarment.data[i] = m;
  if (m > repaint.data[i]) repaint.data[i] = m;
}

/**
 * The garment's colour as the try-on rendered it (its light included): the per-channel median of
 * the new garment's solid pixels in columns x0..x1, rows y0..y1; null when there are none.
 */
export function garmentColour(image: Raster, newGarment: Mask, x0: number, x1: number, y0: number, y1: number): [number, number, number] | null {
  const { width, height } = image;
  const values: number[][] = [[], [], []];
  for (let y = Math.max(0, y0); y <= Math.min(height - 1, y1); y++) {
    for (let x = x0; x <= x1; x++) {
      const i = y * width + x;
      if (newGarment.data[i] < 255) continue;
      for (let c = 0; c < 3; c++) values[c].push(image.data[i * 3 + c]);
    }
  }
  if (values[0].length === 0) return null;
  const median = (v: number[]): number => v.sort((a, b) => a - b)[v.length >> 1];
  return [median(values[0]), median(values[1]), median(values[2])];
}
