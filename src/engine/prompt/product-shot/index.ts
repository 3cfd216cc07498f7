/**
 * Draws the garment a prompt asks for as a shop's product shot: the flat shape (geometry.ts), its
 * print and fabric painted in garment space (texture.ts, shared with recolours), its construction
 * (construction.ts), the studio light on it (light.ts), on a plain backdrop chosen to stand apart
 * from the garment's colour. The classic engine then dresses the person in it exactly as it would
 * in a shop's photo (API 1's path), so API 2 gains from every improvement of API 1.
 */
import { createMask, createRaster, type Mask, type Raster } from '../../../imaging/raster.ts';
import { labToRgb, rgbToLab, type Rgb } from '../colors.ts';
import type { GarmentSpec } from '../parser.ts';
import type { Random } from '../random.ts';
import type { Silhouette } from '../silhouette.ts';
import { paintGarment, type TexturePalette } from '../texture.ts';
import { ShotCanvas, toLinear } from './canvas.ts';
import { drawConstruction } from './construction.ts';
import { buildShotShape, type ShotLandmarks } from './geometry.ts';
import { applyLight } from './light.ts';

export { SHOT_UNIT, WAIST_WIDTH, type ShotLandmarks } from './geometry.ts';

/**
 * The backdrop is the garment's own mean colour, half as saturated and BACKDROP_LIGHTNESS_STEP
 * L* lighter (darker for garments above PALE_GARMENT_L): far enough for the classic cut-out to
 * separate the garment, close enough that the cut-out's one-pixel soft rim (which carries backdrop
 * colour) reads as the garment's own edge rather than as a pale or dark fringe.
 */
const BACKDROP_LIGHTNESS_STEP = 38;
const PALE_GARMENT_L = 58;
const BACKDROP_CHROMA = 0.5;
/**
 * A print has colours on both sides of any one lightness, so it goes on a neutral sweep instead:
 * pale, or mid-dark behind pale prints (a tone-matched backdrop let a floral's dark flowers merge
 * into it and the cut-out lost the skirt).
 */
const LIGHT_SWEEP: Rgb = [238, 238, 236];
const DARK_SWEEP: Rgb = [92, 94, 98];
/** Coverage (0..255) from which a pixel of the shot is garment rather than backdrop. */
const HARD_EDGE_ALPHA = 128;

export interface ProductShot {
  /** The garment alone: RGBA, alpha = its coverage. */
  garment: Raster;
  /** The garment on its backdrop (RGB): what a shop would upload as `garmentImg`. */
  photo: Raster;
  /** Which pixels of `photo` are garment (255) and which backdrop (0): the try-on's cut-out, exact. */
  cutOut: Mask;
  backdrop: Rgb;
  /** The painted colours before light and construction (what was asked for). */
  albedo: Raster;
  palette: TexturePalette;
  silhouette: Silhouette;
  marks: ShotLandmarks;
}

/** Mean colour (sRGB) of the fully covered pixels. */
function meanColour(layer: Raster): Rgb {
  const sum = [0, 0, 0];
  let n = 0;
  for (let p = 0; p < layer.data.length; p += 4) {
    if (layer.data[p + 3] < 255) continue;
    for (let c = 0; c < 3; c++) sum[c] += layer.data[p + c];
    n++;
  }
  return n === 0 ? [128, 128, 128] : [sum[0] / n, sum[1] / n, sum[2] / n];
}

export function backdropFor(garment: Rgb): Rgb {
  const [l, a, b] = rgbToLab(garment);
  const target = l > PALE_GARMENT_L ? l - BACKDROP_LIGHTNESS_STEP : l + BACKDROP_LIGHTNESS_STEP;
  return labToRgb([Math.max(0, Math.min(100, target)), a * BACKDROP_CHROMA, b * BACKDROP_CHROMA]);
}

/**
 * The product shot of one garment spec (mode 'new'). Deterministic: the same spec and random
 * stream give the same bytes. `skin` shows through sheer fabrics (lace, mesh, chiffon).
 */
export function drawProductShot(spec: GarmentSpec, rng: Random, skin: Rgb): ProductShot {
  const { silhouette, marks } = buildShotShape(spec, rng.fork('shape'));
  const { layer: albedo, palette } = paintGarment(spec, silhouette, rng.fork('texture'), skin);
  const canvas = new ShotCanvas(albedo);
  const ground = palette.ground.rgb;
  drawConstruction(canvas, spec, marks, rng.fork('construction'), [toLinear(ground[0]), toLinear(ground[1]), toLinear(ground[2])]);
  applyLight(canvas, silhouette, spec, marks, rng.fork('light'));
  const garment = canvas.toRaster();
  const mean = meanColour(garment);
  const plain = spec.pattern === 'solid' && palette.accents.length === 0;
  const backdrop = plain ? backdropFor(mean) : rgbToLab(mean)[0] > PALE_GARMENT_L + 10 ? DARK_SWEEP : LIGHT_SWEEP;
  // A hard outline on the backdrop: an anti-aliased one mixes backdrop into the garment's edge
  // pixels, and the cut-out then carries a pale (or dark) fringe onto the person. The outline's
  // smoothness comes from the classic engine's own soft alpha and warp.
  const photo = createRaster(garment.width, garment.height, 3);
  const cutOut = createMask(garment.width, garment.height);
  for (let i = 0, p = 0; p < garment.data.length; i += 3, p += 4) {
    const on = garment.data[p + 3] >= HARD_EDGE_ALPHA;
    for (let c = 0; c < 3; c++) photo.data[i + c] = on ? garment.data[p + c] : backdrop[c];
    if (on) cutOut.data[p / 4] = 255;
  }
  return { garment, photo, cutOut, backdrop, albedo, palette, silhouette, marks };
}

/**
 * The shop's description of the drawn garment, for the classic engine's `garmentDesc` keywords:
 * the sleeve and length classes it drew, so the measurement and the request cannot disagree.
 */
export function describeShot(spec: GarmentSpec): string {
  const words: string[] = [];
  const sleeve = spec.sleeve;
  if (spec.form === 'top' || spec.form === 'dress' || spec.form === 'jumpsuit') {
    if (sleeve === 'none' || spec.neckline === 'strapless') words.push('sleeveless');
    else if (sleeve === 'long') words.push('long sleeve');
    else if (sleeve === 'three_quarter') words.push('3/4 sleeve');
    else if (sleeve === 'elbow') words.push('elbow sleeve');
    else if (sleeve === 'short' || sleeve === 'cap') words.push('short sleeve');
  }
  if (spec.form === 'top' && spec.length === 'cropped') words.push('cropped');
  if (spec.form === 'dress' || spec.form === 'skirt') {
    if (spec.length === 'maxi') words.push('maxi');
    else if (spec.length === 'midi') words.push('midi');
    else if (spec.length === 'mini') words.push('mini');
  }
  if (spec.form === 'skirt') words.push('skirt');
  // Trousers over a long skirt are one piece down to a short split at the hem: placed as a skirt
  // (the classic engine reads 'skirt' before 'trousers'), over the old one.
  // A jumpsuit or overalls there is a maxi-length one piece, placed by the shoulders as a dress is.
  if (spec.overSkirt) words.push(...(spec.form === 'trousers' ? ['maxi', 'skirt'] : ['maxi']));
  else if (spec.form === 'trousers') words.push(spec.length === 'shorts' || spec.length === 'bermuda' ? 'shorts' : 'trousers');
  words.push(spec.type === 'current' ? 'garment' : spec.type);
  return words.join(' ');
}
