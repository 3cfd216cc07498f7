/**
 * The requested garment's flat shape as a shop photographs it (ghost-mannequin front view: body
 * panel straight, sleeves hanging or spread, trouser legs side by side), in proportions a real
 * garment has, so that the classic engine's garment analysis measures the right sleeve and
 * garment length classes (garment/classify.ts) and its placement scales it by its shoulder line
 * (tops, dresses) or waistband (bottoms).
 *
 * Unit S = the shoulder width in px (bottoms: the waistband is WAIST_WIDTH·S wide). Lengths, from
 * the shoulder line (tops, dresses) or the waistband (bottoms), in S:
 *   tops      cropped 1.0 · waist 1.25 · hip 1.55 · tunic 1.95 · mini 2.1 · above-knee 2.3 · knee 2.55 · midi 2.9 · maxi 3.4
 *   dresses   mini 2.0 · above-knee 2.25 · knee 2.55 · midi 2.9 · maxi 3.5     (classic: mini ≤ 2.2, midi 2.5-3.2, maxi ≥ 3.3)
 *   skirts    mini 0.9 · above-knee 1.05 · knee 1.35 · midi 1.75 · maxi 2.35  (÷ waist width: mini ≤ 1.3, midi 1.7-2.5, maxi ≥ 2.6)
 *   trousers  shorts 0.85 · bermuda 1.2 · capri 1.75 · full 2.45           (÷ waist width: shorts < 1.7)
 *   sleeves (shoulder point to cuff) cap 0.22 · short 0.55 · elbow 0.95 · three-quarter 1.2 · long 1.55
 *                                    (classic: short < 0.9, elbow < 1.1, three-quarter < 1.35)
 * The output is a Silhouette (the same structure the body-drawn garments use), so texture.ts
 * paints its prints in garment space: stripes run round the body and each sleeve, pinstripes down
 * each leg, pleats fan with the skirt.
 */
import { createMask } from '../../../imaging/raster.ts';
import type { GarmentSpec, Length, Sleeve } from '../parser.ts';
import type { Random } from '../random.ts';
import { Part, type Silhouette } from '../silhouette.ts';
import { curve, emptyCoverage, fillPolygon, forEachInBox, type Coverage, type Pt } from './raster.ts';

/**
 * Shoulder width in px of every product shot. The shot is warped onto a person seen at the classic
 * engine's analysis resolution, where a shoulder line spans roughly 80-200 px: 128 px keeps rib and
 * stitch detail at that scale, and a larger shot only costs drawing and analysis time.
 */
export const SHOT_UNIT = 128;
/** Waistband width of bottoms, in shoulder widths. */
export const WAIST_WIDTH = 0.86;
/** Backdrop margin round the garment, in shoulder widths. */
const MARGIN = 0.3;

const TOP_LENGTH: Record<Length, number> = { cropped: 1.0, waist: 1.25, hip: 1.55, tunic: 1.95, mini: 2.1, above_knee: 2.3, knee: 2.55, midi: 2.9, maxi: 3.4, shorts: 1.55, bermuda: 1.55, capri: 1.55, full: 1.55 };
const DRESS_LENGTH: Partial<Record<Length, number>> = { cropped: 2.0, waist: 2.0, hip: 2.0, tunic: 2.0, mini: 2.0, above_knee: 2.25, knee: 2.55, midi: 2.9, maxi: 3.5 };
const SKIRT_LENGTH: Partial<Record<Length, number>> = { mini: 0.9, above_knee: 1.05, knee: 1.35, midi: 1.75, maxi: 2.35 };
const LEG_LENGTH: Partial<Record<Length, number>> = { shorts: 0.85, bermuda: 1.2, capri: 1.75, full: 2.45 };
/**
 * A skirt's (or trousers' over a skirt, GarmentSpec.overSkirt) drawn length from its waistband, in
 * shoulder widths: fitted to the person (GarmentSpec.lengthS) or its class's.
 */
export const skirtLengthS = (spec: GarmentSpec): number => spec.lengthS ?? (spec.form === 'trousers' ? LEG_LENGTH[spec.length] : SKIRT_LENGTH[spec.length]) ?? 1.35;
/** A skirt's half-width at the hips, in shoulder widths. */
const SKIRT_HIP_HALF = 0.52;
/**
 * A skirt's drawn half-width at its hem, in px for shoulder width S and drawn length `len` px:
 * fitted to the person (GarmentSpec.hemHalfS) or its cut's, whose flare grows with the length up
 * to 1.4 times a knee skirt's.
 */
export function skirtHemHalf(spec: GarmentSpec, S: number, len: number): number {
  if (spec.hemHalfS !== undefined) return spec.hemHalfS * S;
  const hipHalf = SKIRT_HIP_HALF * S;
  const flare = ({ skinny: 0.9, pencil: 0.9, straight: 1.05, a_line: 1.45, flared: 1.9, wide: 1.9 } as const)[spec.cut] * (spec.pleated ? 1.35 : 1);
  return Math.max(hipHalf * 0.9, hipHalf * (1 + (flare - 1) * Math.min(1.4, len / (1.35 * S))));
}
const SLEEVE_LENGTH: Record<Sleeve, number> = { none: 0, cap: 0.22, short: 0.55, elbow: 0.95, three_quarter: 1.2, long: 1.55 };
/** Sleeve angle from the vertical (rad): long sleeves hang beside the body, short ones spread. */
const SLEEVE_ANGLE: Record<Sleeve, number> = { none: 0, cap: 1.0, short: 0.95, elbow: 0.7, three_quarter: 0.42, long: 0.36 };
const CUFF_WIDTH: Record<Sleeve, number> = { none: 0, cap: 0.36, short: 0.32, elbow: 0.27, three_quarter: 0.23, long: 0.2 };
const EASE = { tight: 0.92, regular: 1.0, loose: 1.1 } as const;
/**
 * Half the span (in S) of a sleeveless garment's topmost outer corners: its straps' or shoulder
 * straps' outer edges. The classic engine pins a top's topmost outer corners to the body's shoulder
 * points and scales the garment by them; a sleeved top's read there at about ±0.46 S (the seam
 * above the armpit). Straps drawn closer to the neck (±0.24 S, as on a real camisole) were read as
 * shoulders half as wide: the camisole, slip dress and sundress came out twice their size, the
 * chest bound at 1.7x the body's and the hem at the knees; a tank top's ±0.36 S made it 1.3x.
 */
export const SLEEVELESS_SHOULDER_HALF = 0.45;
/** Half-width of a thin strap (camisoles, slip dresses, sundresses), in S. */
const STRAP_HALF = 0.018;
/**
 * A sleeveless garment's armhole curve's control point, in S from the middle: the armhole then
 * cuts in to ARMHOLE_IN_S halfway between the strap's end (SLEEVELESS_SHOULDER_HALF) and the
 * armpit (0.42 S), as a tank top's does.
 */
const ARMHOLE_CONTROL_S = 0.28;
export const ARMHOLE_IN_S = 0.36;
/** How far (S) a strap's foot on the bodice lies inside its top at the shoulder. */
const STRAP_LEAN = 0.05;

/** Where the construction details go: the garment's landmarks on the shot, in px. */
export interface ShotLandmarks {
  unit: number;
  cx: number;
  /** Shoulder line at the neck (tops, dresses) or the waistband's top (bottoms). */
  top: number;
  /** Neck opening: left and right neck points and its lowest point (tops, dresses). */
  neck?: { l: Pt; r: Pt; depth: number };
  shoulder?: { l: Pt; r: Pt };
  armpit?: { l: Pt; r: Pt };
  waistY: number;
  waistHalf: number;
  hemY: number;
  hemHalf: number;
  /** Sleeve cuff edge (outer, inner corner), when there are sleeves. */
  cuffs?: Array<{ outer: Pt; inner: Pt; dir: Pt }>;
  /** Trouser legs: the crotch point and each hem (outer, inner corner). */
  legs?: { crotch: Pt; hems: Array<{ outer: Pt; inner: Pt }> };
  /**
   * How fast (px of width per px of length, each side) the outline steps outwards below the hips:
   * a skirt's or dress's flare, a trouser leg's splay. The try-on may not let the garment out faster.
   */
  flare?: number;
}

export interface ShotShape {
  silhouette: Silhouette;
  marks: ShotLandmarks;
}

/**
 * A sleeveless top's, dress's or jumpsuit's body is cut closer than a sleeved one's (SLEEVELESS_BODY
 * of its width): at a t-shirt's width its panel, with no sleeve to carry the arm, lay over the
 * upper arms of a person whose arms hang at the sides. (Dresses and jumpsuits were cut at a
 * t-shirt's width until prompt36: a slip dress's top edge stood out past the body at both armpits
 * as two blocks over the arms, baumu, econ.) Overalls' bib is narrower still and keeps its own.
 */
const SLEEVELESS_BODY = 0.9;
const easeOf = (spec: GarmentSpec): number => EASE[spec.fit] * ((spec.form === 'top' || spec.form === 'dress' || spec.form === 'jumpsuit') && spec.sleeve === 'none' ? SLEEVELESS_BODY : 1);

function neckPath(spec: GarmentSpec, cx: number, y0: number, S: number, depthVar: number): { path: Pt[]; l: Pt; r: Pt; depth: number } {
  const n = spec.neckline ?? 'crew';
  const half = n === 'scoop' ? 0.22 * S : n === 'high' ? 0.14 * S : n === 'v' ? 0.17 * S : 0.17 * S;
  const depth = (n === 'v' ? 0.4 : n === 'scoop' ? 0.26 : n === 'high' ? 0.05 : n === 'collar' ? 0.1 : 0.13) * S * (1 + depthVar);
  const l = { x: cx - half, y: y0 };
  const r = { x: cx + half, y: y0 };
  if (n === 'v') return { path: [l, { x: cx, y: y0 + depth }, r], l, r, depth };
  return { path: curve(l, { x: cx, y: y0 + depth * 2 }, r, 16), l, r, depth };
}

interface PartPoly {
  part: Part;
  poly: Pt[];
  /** For limbs: root centre, direction, root and end half-widths and length, for u/v. */
  axis?: { origin: Pt; dir: Pt; half0: number; half1: number; length: number };
}

/** The upper part (tops, dresses, jumpsuits): panel polygon down to `bottom` rows and sleeves. */
function upperPieces(spec: GarmentSpec, cx: number, y0: number, S: number, rng: Random, lowerSides: Pt[]): { pieces: PartPoly[]; marks: Partial<ShotLandmarks> } {
  const ease = easeOf(spec) * (1 + rng.range(-0.015, 0.015));
  const sleeve: Sleeve = spec.sleeve ?? 'short';
  const neckline = spec.neckline ?? 'crew';
  const armpitY = y0 + 0.45 * S;
  const armpitHalf = 0.47 * S * ease;
  const pieces: PartPoly[] = [];
  const marks: Partial<ShotLandmarks> = {};
  // The right half's outline from the top of the side seam downwards is `lowerSides` (x right of cx);
  // the left half mirrors it.
  const mirror = (p: Pt): Pt => ({ x: 2 * cx - p.x, y: p.y });
  let topRight: Pt[];
  const bareShoulders = neckline === 'straps' || neckline === 'strapless' || neckline === 'off_shoulder' || neckline === 'halter';
  if (bareShoulders) {
    const chestY = y0 + (neckline === 'off_shoulder' ? 0.22 : 0.36) * S;
    const chestHalf = neckline === 'off_shoulder' ? 0.55 * S : armpitHalf * 0.98;
    if (neckline === 'halter') topRight = [{ x: cx + 0.07 * S, y: y0 - 0.02 * S }, { x: cx + armpitHalf * 0.9, y: armpitY + 0.02 * S }];
    else topRight = [{ x: cx, y: chestY + 0.02 * S }, { x: cx + chestHalf * 0.5, y: chestY - 0.01 * S }, { x: cx + chestHalf, y: chestY + (neckline === 'off_shoulder' ? 0 : 0.06 * S) }];
    marks.top = neckline === 'halter' ? y0 : chestY;
    if (neckline === 'straps' || (neckline === 'off_shoulder' && sleeve === 'none')) {
      // An off-shoulder top's straps only pin it: the classic engine scales a sleeveless garment by
      // its topmost outer corners, and with none at the shoulders it read the neckline's ends as
      // shoulders and wore it as a bandeau up to them. They are taken off after the try-on (straps.ts).
      for (const side of [-1, 1]) {
        // The strap's outer edge on SLEEVELESS_SHOULDER_HALF, where the classic engine reads a shoulder.
        // Its foot leans in by STRAP_LEAN onto the bodice, which a sleeveless garment's closer cut
        // (SLEEVELESS_BODY) makes narrower than the straps' span at the shoulders.
        const sx = cx + side * (SLEEVELESS_SHOULDER_HALF - STRAP_HALF - 0.01) * S;
        const foot = sx - side * STRAP_LEAN * S;
        pieces.push({ part: Part.Panel, poly: [{ x: sx - STRAP_HALF * S, y: y0 }, { x: sx + STRAP_HALF * S, y: y0 }, { x: foot + STRAP_HALF * S, y: chestY + 0.05 * S }, { x: foot - STRAP_HALF * S, y: chestY + 0.05 * S }] });
      }
    }
    if (neckline === 'off_shoulder' && sleeve !== 'none') {
      marks.shoulder = { l: { x: cx - chestHalf, y: chestY }, r: { x: cx + chestHalf, y: chestY } };
    }
  } else {
    const neck = neckPath(spec, cx, y0, S, rng.range(-0.1, 0.1));
    marks.neck = { l: neck.l, r: neck.r, depth: neck.depth };
    marks.top = y0;
    const sleeveless = sleeve === 'none';
    const shoulderR = { x: cx + (sleeveless ? SLEEVELESS_SHOULDER_HALF * EASE[spec.fit] : 0.5) * S, y: y0 + 0.09 * S };
    marks.shoulder = { l: mirror(shoulderR), r: shoulderR };
    const right = neck.path.slice(Math.floor(neck.path.length / 2));
    topRight = [...right, shoulderR];
    // The armhole: in from the shoulder strap's end and out again to the armpit, cut in to about
    // ARMHOLE_IN_S from the middle halfway down. Barely cut in (0.41 S at a control point of
    // 0.38 S), a tank top's body ran straight from its strap ends to its hem and the try-on wore it
    // as a box with square shoulders over the arms (econ, baumu).
    if (sleeveless) topRight.push(...curve(shoulderR, { x: cx + ARMHOLE_CONTROL_S * S, y: armpitY - 0.04 * S }, { x: cx + armpitHalf, y: armpitY + 0.03 * S }, 12).slice(1));
    if (neckline === 'high') {
      // A turtleneck or stand collar rises above the shoulder line round the neck.
      topRight = [{ x: cx, y: y0 - 0.14 * S }, { x: cx + 0.15 * S, y: y0 - 0.14 * S }, { x: cx + 0.17 * S, y: y0 }, shoulderR];
    }
  }
  marks.armpit = { l: { x: cx - armpitHalf, y: armpitY }, r: { x: cx + armpitHalf, y: armpitY } };
  const rightOutline = [...topRight, ...lowerSides];
  const leftOutline = rightOutline.map(mirror).reverse();
  // Centre-top point is shared; build one closed outline right then left.
  pieces.push({ part: Part.Panel, poly: [...rightOutline, ...leftOutline] });

  if (sleeve !== 'none' && marks.shoulder) {
    const len = (SLEEVE_LENGTH[sleeve] * (1 + rng.range(-0.03, 0.03)) + (neckline === 'off_shoulder' ? -0.1 : 0)) * S;
    const theta = SLEEVE_ANGLE[sleeve];
    const cuff = CUFF_WIDTH[sleeve] * S * (spec.fit === 'loose' ? 1.12 : spec.fit === 'tight' ? 0.9 : 1);
    marks.cuffs = [];
    for (const side of [-1, 1] as const) {
      const sp = side < 0 ? marks.shoulder.l : marks.shoulder.r;
      const ap = { x: cx + side * armpitHalf, y: armpitY };
      const dir = { x: side * Math.sin(theta), y: Math.cos(theta) };
      const inward = { x: -side * Math.cos(theta), y: Math.sin(theta) };
      const outer = { x: sp.x + dir.x * len, y: sp.y + dir.y * len };
      const inner = { x: outer.x + inward.x * cuff, y: outer.y + inward.y * cuff };
      const rootHalf = Math.hypot(ap.x - sp.x, ap.y - sp.y) / 2;
      const origin = { x: (sp.x + ap.x) / 2, y: (sp.y + ap.y) / 2 };
      const end = { x: (outer.x + inner.x) / 2, y: (outer.y + inner.y) / 2 };
      const axisLen = Math.max(1, Math.hypot(end.x - origin.x, end.y - origin.y));
      pieces.unshift({
        part: side < 0 ? Part.SleeveL : Part.SleeveR,
        poly: [sp, outer, inner, ap],
        axis: { origin, dir: { x: (end.x - origin.x) / axisLen, y: (end.y - origin.y) / axisLen }, half0: rootHalf, half1: cuff / 2, length: axisLen },
      });
      marks.cuffs.push({ outer, inner, dir });
    }
  }
  return { pieces, marks };
}

/** Side outline (right half, x > cx) of a top or dress body from the armpit down. */
function bodySides(spec: GarmentSpec, cx: number, y0: number, S: number, lengthS: number, dress: boolean): { pts: Pt[]; waistY: number; waistHalf: number; hemY: number; hemHalf: number; flare: number } {
  const ease = easeOf(spec);
  const armpitY = y0 + 0.45 * S;
  const armpitHalf = 0.47 * S * ease;
  const waistY = y0 + (spec.style === 'empire' || spec.style === 'babydoll' ? 0.7 : 1.0) * S;
  const fitted = dress && ['bodycon', 'sheath', 'fit and flare', 'skater', 'wrap', 'slip', 'cocktail', 'gown', 'empire', 'babydoll'].includes(spec.style ?? '');
  const waistHalf = (dress ? (fitted ? 0.37 : 0.42) : spec.fit === 'tight' ? 0.4 : 0.45 * ease) * S;
  const hemY = y0 + lengthS * S;
  const hipY = y0 + 1.45 * S;
  const hipHalf = 0.5 * S * (spec.fit === 'loose' ? 1.06 : 1);
  let hemHalf: number;
  const below = Math.max(0, lengthS - 1.45);
  switch (spec.cut) {
    case 'pencil': case 'skinny': hemHalf = hipHalf * 0.9; break;
    case 'a_line': hemHalf = hipHalf + below * 0.22 * S; break;
    case 'flared': case 'wide': hemHalf = hipHalf + below * 0.42 * S; break;
    default: hemHalf = hipHalf + below * 0.06 * S;
  }
  if (spec.pleated) hemHalf = Math.max(hemHalf, hipHalf + below * 0.35 * S);
  // Fitted to the person's current long skirt (edit.ts fitToCover).
  if (dress && spec.hemHalfS !== undefined) hemHalf = Math.max(hemHalf, spec.hemHalfS * S);
  if (!dress && lengthS <= 1.6) hemHalf = spec.fit === 'tight' ? 0.42 * S : 0.47 * S * ease;
  const pts: Pt[] = [{ x: cx + armpitHalf, y: armpitY }];
  const flare = below > 0 ? Math.max(0, (hemHalf - hipHalf) / (below * S)) : 0;
  if (waistY < hemY - 0.05 * S) pts.push({ x: cx + waistHalf, y: waistY });
  if (hipY < hemY - 0.05 * S) pts.push({ x: cx + hipHalf, y: hipY });
  // A flared hem curves: its centre hangs lower than its sides in a front view.
  const hemCurve = (hemHalf - hipHalf) * 0.12;
  pts.push({ x: cx + hemHalf, y: hemY - hemCurve }, { x: cx + hemHalf * 0.5, y: hemY - hemCurve * 0.3 }, { x: cx, y: hemY });
  return { pts, waistY, waistHalf, hemY, hemHalf, flare };
}

/** Whether the garment is drawn and placed as a skirt is, by its waistband: a skirt, or trousers over a long skirt (GarmentSpec.overSkirt). */
export function placedAsSkirt(spec: GarmentSpec): boolean {
  return spec.form === 'skirt' || (spec.overSkirt === true && spec.form === 'trousers');
}

/** A jumpsuit or overalls over a long skirt (GarmentSpec.overSkirt): wide legs below its bodice or bib, placed by the shoulders as a dress is. */
export function onePieceOverSkirt(spec: GarmentSpec): boolean {
  return spec.overSkirt === true && (spec.form === 'jumpsuit' || spec.form === 'overalls');
}

/** Length (S) of a jumpsuit's or overalls' bodice or bib, from the shoulder line to the waist, from which its legs hang. */
const ONE_PIECE_BODICE_S = 1.0;

/** A jumpsuit's or overalls' leg length from the waist (S): its class's, or what is left of a fitted GarmentSpec.lengthS below the bodice. */
function onePieceLegS(spec: GarmentSpec): number {
  if (onePieceOverSkirt(spec) && spec.lengthS !== undefined) return Math.max(0.5, spec.lengthS - ONE_PIECE_BODICE_S);
  return LEG_LENGTH[spec.length] ?? 2.45;
}

/** A dress's or skirt's drawn half-width at its hem, in shoulder widths (before the ±2 % length variation). */
export function drawnHemHalfS(spec: GarmentSpec): number {
  if (placedAsSkirt(spec)) return skirtHemHalf(spec, 1, skirtLengthS(spec));
  if (onePieceOverSkirt(spec)) return skirtHemHalf(spec, 1, onePieceLegS(spec));
  return bodySides(spec, 0, 0, 1, spec.lengthS ?? DRESS_LENGTH[spec.length] ?? 2.55, true).hemHalf;
}

/** Trousers from the waistband at `yW` (right half and legs), as one polygon plus leg axes. */
function trouserPieces(spec: GarmentSpec, cx: number, yW: number, S: number, waistHalf: number, rng: Random): { pieces: PartPoly[]; marks: Partial<ShotLandmarks> } {
  const len = (LEG_LENGTH[spec.length] ?? LEG_LENGTH.full ?? 2.45) * S * (1 + rng.range(-0.02, 0.02));
  const ease = easeOf(spec);
  const hipY = yW + 0.32 * S;
  const hipHalf = Math.max(waistHalf, 0.5 * S * ease);
  const crotchY = yW + 0.66 * S;
  const hemY = yW + len;
  const legWidth = ({ skinny: 0.25, pencil: 0.27, straight: 0.36, a_line: 0.4, flared: 0.5, wide: 0.54 } as const)[spec.cut] * S * (spec.fit === 'loose' ? 1.12 : 1);
  const shortLeg = spec.length === 'shorts' || spec.length === 'bermuda';
  const hemW = shortLeg ? Math.max(legWidth, 0.42 * S) : legWidth;
  const splay = 0.05 * len;
  const outerHem = { x: cx + hipHalf + splay * 0.4, y: hemY };
  const innerHem = { x: outerHem.x - hemW, y: hemY + 0.01 * S };
  const right: Pt[] = [{ x: cx + waistHalf, y: yW }, { x: cx + hipHalf, y: hipY }];
  const kneeY = crotchY + (hemY - crotchY) * 0.45;
  if (spec.cut === 'flared' && !shortLeg) {
    const kneeHalfW = 0.34 * S;
    const kneeOuter = cx + hipHalf + splay * 0.2 - 0.02 * S;
    right.push({ x: kneeOuter, y: kneeY }, outerHem, innerHem, { x: kneeOuter - kneeHalfW, y: kneeY });
  } else {
    right.push(outerHem, innerHem);
  }
  const crotch = { x: cx, y: crotchY };
  const mirror = (p: Pt): Pt => ({ x: 2 * cx - p.x, y: p.y });
  const poly = [...right, crotch, ...right.map(mirror).reverse()];
  const pieces: PartPoly[] = [{ part: Part.Panel, poly }];
  const legs: NonNullable<ShotLandmarks['legs']> = { crotch, hems: [] };
  for (const side of [-1, 1] as const) {
    const origin = { x: cx + side * hipHalf * 0.5, y: crotchY };
    const end = { x: cx + side * (outerHem.x - cx - hemW / 2), y: hemY };
    const axisLen = Math.max(1, Math.hypot(end.x - origin.x, end.y - origin.y));
    pieces.push({
      part: side < 0 ? Part.LegL : Part.LegR,
      poly: [],
      axis: { origin, dir: { x: (end.x - origin.x) / axisLen, y: (end.y - origin.y) / axisLen }, half0: hipHalf * 0.5, half1: hemW / 2, length: axisLen },
    });
    legs.hems.push(side < 0 ? { outer: mirror(outerHem), inner: mirror(innerHem) } : { outer: outerHem, inner: innerHem });
  }
  return { pieces, marks: { legs, hemY, hemHalf: outerHem.x - cx, waistY: yW, waistHalf, flare: Math.max(0, (outerHem.x - cx - hipHalf) / Math.max(1, hemY - hipY)) } };
}

/**
 * Depth of the split between the legs of trousers drawn over a skirt, up from the hem, and half its
 * opening at the hem, in shoulder widths: about from the knees down, wide enough to read as two
 * legs at product-page size (0.7 deep and 0.05 wide, the pair read as a maxi skirt).
 */
const WIDE_LEG_SPLIT = 1.0;
const WIDE_LEG_SPLIT_HALF = 0.09;
/**
 * The split's depth (S) on a jumpsuit or overalls over a long skirt, which the classic engine puts
 * on by the shoulders as a full-body piece: split a shoulder width deep, it read the two legs and
 * fitted each to the person's leg below the knee, narrowing the garment to two-thirds of the old
 * skirt's width near its hem (the old flare beside it a fog of backdrop); half as deep, it stays
 * as wide as drawn.
 */
const ONE_PIECE_SPLIT = 0.5;

/**
 * Trousers drawn over a long skirt (GarmentSpec.overSkirt): a skirt's outline from the waistband
 * at `yW` (hips `hipHalf`, hem `hemHalf` px either side) whose two legs touch from the crotch down
 * and part in a short split at the hem, with each leg's axis for its garment space (pinstripes,
 * creases, knee folds run down each leg). The classic engine places it as a skirt, one piece over
 * the old one, so the legs need not be rebuilt where the skirt was.
 */
function wideLegPieces(cx: number, yW: number, S: number, len: number, waistHalf: number, hipHalf: number, hemHalf: number, splitS = WIDE_LEG_SPLIT): { pieces: PartPoly[]; marks: Partial<ShotLandmarks> } {
  const hemY = yW + len;
  const crotchY = yW + 0.66 * S;
  const splitHalf = WIDE_LEG_SPLIT_HALF * S;
  const outerHem = { x: cx + hemHalf, y: hemY };
  const innerHem = { x: cx + splitHalf, y: hemY };
  const right: Pt[] = [{ x: cx + waistHalf, y: yW }, { x: cx + hipHalf, y: yW + 0.32 * S }, outerHem, innerHem];
  const mirror = (p: Pt): Pt => ({ x: 2 * cx - p.x, y: p.y });
  const splitTop = { x: cx, y: hemY - splitS * S };
  const pieces: PartPoly[] = [{ part: Part.Panel, poly: [...right, splitTop, ...right.map(mirror).reverse()] }];
  const crotch = { x: cx, y: crotchY };
  const legs: NonNullable<ShotLandmarks['legs']> = { crotch, hems: [] };
  const legHemHalf = (hemHalf - splitHalf) / 2;
  for (const side of [-1, 1] as const) {
    const origin = { x: cx + side * hipHalf * 0.5, y: crotchY };
    const end = { x: cx + side * (splitHalf + legHemHalf), y: hemY };
    const axisLen = Math.max(1, Math.hypot(end.x - origin.x, end.y - origin.y));
    pieces.push({
      part: side < 0 ? Part.LegL : Part.LegR,
      poly: [],
      axis: { origin, dir: { x: (end.x - origin.x) / axisLen, y: (end.y - origin.y) / axisLen }, half0: hipHalf * 0.5, half1: legHemHalf, length: axisLen },
    });
    legs.hems.push(side < 0 ? { outer: mirror(outerHem), inner: mirror(innerHem) } : { outer: outerHem, inner: innerHem });
  }
  const flare = Math.max(0, (hemHalf - hipHalf) / Math.max(1, len - 0.32 * S));
  return { pieces, marks: { legs, waistY: yW, waistHalf, hemY, hemHalf, flare } };
}

/** Canvas height needed (px) and the garment's own layout for a spec. */
export function buildShotShape(spec: GarmentSpec, rng: Random): ShotShape {
  const S = SHOT_UNIT;
  const m = MARGIN * S;
  const form = spec.form;
  const lengthVar = 1 + rng.range(-0.02, 0.02);
  let pieces: PartPoly[] = [];
  let marks: Partial<ShotLandmarks> = {};
  let width: number;
  let height: number;
  let cx: number;
  let topY: number;
  if (form === 'trousers' || form === 'skirt') {
    const waistHalf = (WAIST_WIDTH / 2) * S;
    topY = m;
    if (placedAsSkirt(spec)) {
      const len = skirtLengthS(spec) * S * lengthVar;
      const hipHalf = SKIRT_HIP_HALF * S;
      const hemHalf = skirtHemHalf(spec, S, len);
      width = Math.ceil(2 * (hemHalf + m));
      height = Math.ceil(len + 2 * m);
      cx = width / 2;
      if (spec.overSkirt) ({ pieces, marks } = wideLegPieces(cx, topY, S, len, waistHalf, hipHalf, hemHalf));
      else {
        const hemCurve = Math.max(0, hemHalf - hipHalf) * 0.15;
        const right: Pt[] = [{ x: cx + waistHalf, y: topY }, { x: cx + hipHalf, y: topY + 0.32 * S }, { x: cx + hemHalf, y: topY + len - hemCurve }, { x: cx + hemHalf * 0.5, y: topY + len - hemCurve * 0.3 }, { x: cx, y: topY + len }];
        const left = right.map((p) => ({ x: 2 * cx - p.x, y: p.y })).reverse();
        pieces.push({ part: Part.Panel, poly: [...right, ...left.slice(1)] });
        marks = { waistY: topY, waistHalf, hemY: topY + len, hemHalf, flare: Math.max(0, (hemHalf - hipHalf) / Math.max(1, len - 0.32 * S)) };
      }
    } else {
      const len = (LEG_LENGTH[spec.length] ?? 2.45) * S * lengthVar;
      width = Math.ceil(2 * (0.5 * S * 1.15 + 0.06 * len + 0.3 * S + m));
      height = Math.ceil(len + 2 * m + 0.05 * S);
      cx = width / 2;
      ({ pieces, marks } = trouserPieces(spec, cx, topY, S, waistHalf, rng));
    }
  } else {
    const dress = form === 'dress';
    const lengthS = (form === 'top' ? TOP_LENGTH[spec.length] : dress ? (spec.lengthS ?? DRESS_LENGTH[spec.length] ?? 2.55) : 1.0) * lengthVar;
    const sleeve = spec.sleeve ?? 'short';
    const reach = Math.max(0.56, 0.5 + Math.sin(SLEEVE_ANGLE[sleeve]) * SLEEVE_LENGTH[sleeve] + 0.05) * S;
    const sides = bodySides(spec, 0, 0, S, lengthS, dress);
    const legs = form === 'jumpsuit' || form === 'overalls' ? onePieceLegS(spec) : 0;
    // Over a long skirt: wide legs touching down to a split at the hem, as trousers are drawn there.
    const wideHemHalf = legs && onePieceOverSkirt(spec) ? skirtHemHalf(spec, S, legs * S) : 0;
    width = Math.ceil(2 * (Math.max(reach, sides.hemHalf, legs ? 0.75 * S : 0, wideHemHalf) + m));
    topY = m + (spec.neckline === 'high' ? 0.16 * S : 0.02 * S);
    height = Math.ceil(topY + (legs ? ONE_PIECE_BODICE_S + legs : lengthS) * S + m);
    cx = width / 2;
    if (legs) {
      // Bodice to the waist, trousers from there.
      const bodice = bodySides({ ...spec, cut: 'straight' }, cx, topY, S, 1.0, true);
      const waistHalf = bodice.waistHalf;
      const sidesRight: Pt[] = [bodice.pts[0], { x: cx + waistHalf, y: topY + S }, { x: cx, y: topY + S }];
      const upper = upperPieces(form === 'overalls' ? { ...spec, neckline: 'straps', sleeve: 'none' } : spec, cx, topY, S, rng, sidesRight);
      const lower = wideHemHalf
        ? wideLegPieces(cx, topY + ONE_PIECE_BODICE_S * S, S, legs * S, waistHalf, SKIRT_HIP_HALF * S, wideHemHalf, ONE_PIECE_SPLIT)
        : trouserPieces({ ...spec, length: spec.length === 'shorts' ? 'shorts' : 'full' }, cx, topY + S, S, waistHalf, rng);
      pieces = [...upper.pieces, ...lower.pieces];
      marks = { ...upper.marks, ...lower.marks };
      if (form === 'overalls') {
        // A bib, not a bodice: the panel above the waist is a narrow square bib.
        const panel = pieces.find((p) => p.part === Part.Panel && p.poly.length > 4);
        if (panel) {
          const bibHalf = 0.26 * S;
          const bibTop = topY + 0.4 * S;
          panel.poly = [{ x: cx - bibHalf, y: bibTop }, { x: cx + bibHalf, y: bibTop }, { x: cx + waistHalf, y: topY + S + 1 }, { x: cx - waistHalf, y: topY + S + 1 }];
          // The straps run from the bib's top corners out to where the classic engine reads the
          // shoulders (SLEEVELESS_SHOULDER_HALF), not loose beside the bib.
          const strapW = 0.06 * S;
          pieces = pieces.filter((p) => p === panel || p.part !== Part.Panel || p.poly.length !== 4 || p.poly[0].y >= bibTop);
          for (const side of [-1, 1]) {
            const outer = cx + side * SLEEVELESS_SHOULDER_HALF * S;
            const inner = outer - side * strapW;
            const bibEdge = cx + side * bibHalf;
            pieces.push({ part: Part.Panel, poly: [{ x: inner, y: topY }, { x: outer, y: topY }, { x: bibEdge, y: bibTop + 0.04 * S }, { x: bibEdge - side * strapW, y: bibTop + 0.04 * S }] });
          }
        }
      }
    } else {
      const body = bodySides(spec, cx, topY, S, lengthS, dress);
      const upper = upperPieces(spec, cx, topY, S, rng, body.pts);
      pieces = upper.pieces;
      marks = { ...upper.marks, waistY: body.waistY, waistHalf: body.waistHalf, hemY: body.hemY, hemHalf: body.hemHalf, flare: body.flare };
    }
  }
  const silhouette = rasterise(pieces, width, height, S, marks, topY, cx);
  return { silhouette, marks: { unit: S, cx, top: marks.top ?? topY, waistY: 0, waistHalf: 0, hemY: 0, hemHalf: 0, ...marks } as ShotLandmarks };
}

/** Coverage, parts and garment-space coordinates from the pieces (panel drawn over the sleeves). */
function rasterise(pieces: PartPoly[], width: number, height: number, S: number, marks: Partial<ShotLandmarks>, topY: number, cx: number): Silhouette {
  const n = width * height;
  const part = new Uint8Array(n);
  const covSum: Coverage = emptyCoverage(width, height);
  for (const piece of pieces) {
    if (piece.poly.length < 3) continue;
    const cov = fillPolygon(width, height, piece.poly);
    forEachInBox(cov, (i, j) => {
      const c = cov.data[j];
      if (c <= 0) return;
      if (c >= 0.5 || part[i] === Part.None) part[i] = piece.part;
      covSum.data[i] = Math.min(1, covSum.data[i] + c);
    });
  }
  const u = new Float32Array(n);
  const v = new Float32Array(n);
  const across = new Float32Array(n);
  const coverage = createMask(width, height);
  const legs = pieces.filter((p) => (p.part === Part.LegL || p.part === Part.LegR) && p.axis);
  const crotchY = marks.legs?.crotch.y ?? Infinity;
  // Each limb part's axis, for its garment-space coordinates.
  const axes = new Map<Part, NonNullable<PartPoly['axis']>>();
  for (const piece of pieces) if (piece.axis && !axes.has(piece.part)) axes.set(piece.part, piece.axis);
  // Panel half-width per row, for `across`.
  const rowHalf = new Float32Array(height);
  for (let y = 0; y < height; y++) {
    let l = width;
    let r = -1;
    for (let x = 0; x < width; x++) {
      if (part[y * width + x] !== Part.Panel) continue;
      if (x < l) l = x;
      r = x;
    }
    rowHalf[y] = r < 0 ? 1 : Math.max(1, Math.max(cx - l, r - cx));
  }
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const c = covSum.data[i];
      if (c <= 0) continue;
      coverage.data[i] = Math.round(c * 255);
      let p = part[i] as Part;
      if (p === Part.Panel && legs.length === 2 && y > crotchY) p = x < cx ? Part.LegL : Part.LegR;
      part[i] = p;
      const limb = p === Part.Panel ? undefined : axes.get(p);
      if (!limb) {
        u[i] = x - cx;
        v[i] = y - topY;
        across[i] = Math.max(-1, Math.min(1, (x - cx) / rowHalf[y]));
        continue;
      }
      const dx = x - limb.origin.x;
      const dy = y - limb.origin.y;
      const along = dx * limb.dir.x + dy * limb.dir.y;
      const side = dx * limb.dir.y - dy * limb.dir.x;
      const t = Math.max(0, Math.min(1, along / limb.length));
      const half = limb.half0 + (limb.half1 - limb.half0) * t;
      // A trouser leg's garment space continues the panel's (x − cx, y − top) from the crotch down,
      // turned with the leg: restarted at the leg's own axis, the twill, heather and slub of denim
      // (and any print) jumped at the crotch row into a band of other cloth across both thighs.
      const leg = p === Part.LegL || p === Part.LegR;
      u[i] = side + (leg ? limb.origin.x - cx : 0);
      v[i] = Math.max(0, along) + (leg ? limb.origin.y - topY : 0);
      across[i] = Math.max(-1, Math.min(1, side / Math.max(1, half)));
    }
  }
  const hem = Math.round(marks.hemY ?? height - 1);
  return {
    width,
    height,
    coverage,
    part,
    u,
    v,
    across,
    unit: S,
    rows: { top: Math.round(marks.top ?? topY), hem, waist: Math.round(marks.waistY ?? topY), sleeveEnd: null, legEnd: marks.legs ? hem : null },
  };
}
