/**
 * A hoodie's hood, lying down round the neck, on the person after the classic try-on.
 *
 * The product shot draws the hood round its neck opening, and the try-on repaints that opening as
 * neck and chest and never covers the neck above its base (tryon.ts `neckKeptAboveItsBase`): every
 * hoodie came out as a crew-neck sweatshirt with drawstrings. Worn down, a hood is a thick roll of
 * fabric round the back and sides of the neck, standing up beside it on the shoulders and running
 * down in front to where its two edges meet below the throat. It is drawn here as that horseshoe:
 * outside the neck (the neck stays in front of the hood's back), inside a half-ellipse round the
 * neck's base that rises HOOD_RISE of the neck's height above it, reaches HOOD_HALF_WIDTH neck
 * half-widths either side, and comes down in front to a V at HOOD_V_DEPTH below the base. It takes
 * the colour the try-on gave the chest, shaded as a roll across its thickness, with its darker
 * lining along the inner edge and a soft shadow on the garment under its outer edge. Hair, face
 * and hands in front stay in front.
 */
import type { Mask, Raster } from '../../imaging/raster.ts';
import type { BodyFrame } from '../classic/body/index.ts';
import type { PersonAnalysis } from '../classic/types.ts';
import { garmentColour, IN_FRONT, neckInPhoto, paintOver } from './roll-collar.ts';

/** How far above the neck's base (share of the neck's base-to-chin height) the hood's bulk stands beside the neck. */
export const HOOD_RISE = 0.5;
/** How far out the hood reaches either side of the neck's centre, in neck half-widths (BodyFrame.neck). */
export const HOOD_HALF_WIDTH = 2.0;
/** Where the hood's front edges meet below the neck's base (share of the neck's height). */
export const HOOD_V_DEPTH = 0.7;
/** The V's half-width at the neck's base, in neck half-widths: the opening the neck rises from. */
const V_HALF = 1.05;
/** The outer outline's depth in front, past the V's tip (share of the neck's height): the hood's thickness there. */
const FRONT_THICKNESS = 0.3;
/** Light at the roll's edges against its crest: fabric turned round a thick roll. */
const EDGE_LIGHT = 0.7;
/**
 * Curvature of the hood's front edges: the opening's and the outline's half-widths below the base
 * fall as (1 - depth share)^EDGE_BOW, so the edges bow outwards, as soft fabric lies, not a ruled V.
 */
const EDGE_BOW = 0.7;
/** The lining seen along the inner edge: its width (share of the hood's thickness) and its light. */
const LINING_SHARE = 0.12;
const LINING_LIGHT = 0.72;
/** The hood's soft shadow on the garment under its outer edge: depth (share of the neck's height) and darkening (share). */
const SHADOW_DEPTH = 0.2;
const SHADOW_SHADE = 0.2;
/** Rows of garment below the neck's base (shares of the neck's height) whose colour the hood takes: the chest, below the hood. */
const COLOUR_ROWS = [1.3, 2.1] as const;

/**
 * Draws the hood onto `image` (full resolution) in place, adding it to `newGarment` and `repaint`.
 * Returns false (nothing drawn) when the photo shows no neck or the new garment's chest is not found.
 */
export function drawHood(image: Raster, newGarment: Mask, repaint: Mask, person: PersonAnalysis, body: BodyFrame): boolean {
  const neck = neckInPhoto(image, person, body);
  if (!neck) return false;
  const { width, height } = image;
  const aw = person.parsing.width;
  const ah = person.parsing.height;
  const { sx, sy } = neck;
  // Full-resolution px from here on.
  const cx = body.neck.centre.x * sx;
  const baseY = neck.baseY * sy;
  const neckH = neck.neckH * sy;
  const neckHalf = (Math.abs(body.neck.r.x - body.neck.l.x) / 2) * sx;
  const outerHalf = HOOD_HALF_WIDTH * neckHalf;
  const rise = HOOD_RISE * neckH;
  const vDepth = HOOD_V_DEPTH * neckH;
  const drop = vDepth + FRONT_THICKNESS * neckH;
  const colour = garmentColour(image, newGarment, Math.round(cx - outerHalf), Math.round(cx + outerHalf), Math.round(baseY + COLOUR_ROWS[0] * neckH), Math.round(baseY + COLOUR_ROWS[1] * neckH));
  if (!colour) return false;

  // Inside the hood's outer outline (px, positive inside): a half-ellipse above the base; below
  // it a V parallel to the opening's, as deep as the hood is thick (the hood's front edges run
  // down to where they meet; beside them it lies back over the shoulders, out of sight).
  const outer = (x: number, y: number): number => {
    const u = (x - cx) / outerHalf;
    if (y < baseY) return (1 - Math.sqrt(u * u + ((baseY - y) / rise) ** 2)) * Math.min(outerHalf, rise);
    return outerHalf * Math.max(0, 1 - (y - baseY) / drop) ** EDGE_BOW - Math.abs(x - cx);
  };
  // Inside the opening: the neck's column above the base, the V below it (positive inside, in px).
  const opening = (x: number, y: number): number => {
    const half = y < baseY ? neckHalf : V_HALF * neckHalf * Math.max(0, 1 - (y - baseY) / vDepth) ** EDGE_BOW;
    return half - Math.abs(x - cx);
  };

  const labels = person.parsing.labels;
  const at = (x: number, y: number): number => Math.min(ah - 1, Math.max(0, Math.floor(y / sy))) * aw + Math.min(aw - 1, Math.max(0, Math.floor(x / sx)));
  const shadowReach = SHADOW_DEPTH * neckH;
  const x0 = Math.max(0, Math.floor(cx - outerHalf) - 1);
  const x1 = Math.min(width - 1, Math.ceil(cx + outerHalf) + 1);
  const y0 = Math.max(0, Math.floor(baseY - rise) - 1);
  const y1 = Math.min(height - 1, Math.ceil(baseY + drop + shadowReach) + 1);
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const i = y * width + x;
      if (IN_FRONT.has(labels[at(x, y)])) continue;
      const px = x + 0.5;
      const py = y + 0.5;
      const o = outer(px, py);
      const inOpening = opening(px, py);
      // Coverage: one-pixel ramps along both outlines.
      const cover = Math.min(1, Math.max(0, o + 0.5), Math.max(0, 0.5 - inOpening));
      if (cover <= 0) {
        // Under the outer outline, on the garment: the hood's shadow, falling straight down.
        if (o >= 0 || py < baseY || newGarment.data[i] < 128) continue;
        const across = Math.min(1, Math.abs(px - cx) / outerHalf);
        const d = py - (baseY + drop * (1 - across ** (1 / EDGE_BOW)));
        if (d <= 0 || d >= shadowReach) continue;
        const shade = 1 - SHADOW_SHADE * (1 - d / shadowReach) ** 2;
        for (let c = 0; c < 3; c++) image.data[i * 3 + c] = Math.round(image.data[i * 3 + c] * shade);
        continue;
      }
      // Across the roll's thickness, 0 at the opening and 1 at the outer outline.
      const thickness = Math.max(1, -inOpening + o);
      const t = Math.min(1, Math.max(0, -inOpening / thickness));
      const light = t < LINING_SHARE ? LINING_LIGHT : EDGE_LIGHT + (1 - EDGE_LIGHT) * Math.sqrt(Math.sin((Math.PI * (t - LINING_SHARE)) / (1 - LINING_SHARE)));
      paintOver(image, newGarment, repaint, i, colour, light, cover);
    }
  }
  return true;
}
