/**
 * Stage 2 of the classic engine: understand the garment photo. Cuts the garment out of its
 * backdrop, finds its landmarks for the category, measures sleeve and garment length (refined by
 * the shop's description) and summarises its colours.
 */
import type { Category } from '../../types.ts';
import { EngineInputError } from '../../types.ts';
import type { Mask, Raster } from '../../../imaging/raster.ts';
import { binarise, windowMeanColour } from '../layers.ts';
import { resizeRaster } from '../../../vision/resample.ts';
import type { GarmentAnalysis } from '../types.ts';
import { lowerKindFor, refineWithDescription, saidFullLengthTrousers, sleeveClass, wornOverAnotherTop } from './classify.ts';
import { dilate, erode, fillSmallHoles, labelComponents } from './components.ts';
import { findLowerLandmarks } from './lower.ts';
import { assumedCrewOpening, backNecklineAcross, findFrontNeckline, findNeckOpening, openingBottom, withinNeckline } from './neckline.ts';
import { dominantColours } from './palette.ts';
import { profileMask } from './profile.ts';
import { keepGarmentComponents, segmentGarment, type Segmentation } from './segment.ts';
import { combineWithMatte } from './matte.ts';
import { matteForeground } from '../../../vision/matte.ts';
import { findWearerSkin } from './skin.ts';
import { wornGarmentMask } from './worn.ts';
import { withoutBackdropRim } from './backdrop-rim.ts';
import { findDressLandmarks, findUpperLandmarks } from './upper.ts';
import { openSleeveGaps } from './sleeve-gaps.ts';

/**
 * Longest side (px) the garment photo is analysed at. A shop's 5000x7501 product shot carries no
 * more information for a garment that covers part of a 1024 px person photo; analysing it at full
 * size cost 6-8 s. Smaller photos are used as they are.
 */
export const GARMENT_WORK_LONG_SIDE = 1024;

/** A garment smaller than this share of the photo is not a garment but a speck or a failed cut. */
const MIN_AREA_SHARE = 0.01;

function areaOf(mask: Uint8Array): number {
  let area = 0;
  for (let i = 0; i < mask.length; i++) area += mask[i];
  return area;
}

/** Soft alpha: the hard mask blurred by a [1 2 1]² kernel (a two-pixel ramp across the outline). */
function softAlpha(hard: Uint8Array, width: number, height: number): Uint8Array {
  const tmp = new Uint16Array(width * height);
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const l = hard[row + (x > 0 ? x - 1 : x)], c = hard[row + x], r = hard[row + (x < width - 1 ? x + 1 : x)];
      tmp[row + x] = (l + 2 * c + r) * 255;
    }
  }
  for (let y = 0; y < height; y++) {
    const up = (y > 0 ? y - 1 : y) * width, row = y * width, down = (y < height - 1 ? y + 1 : y) * width;
    for (let x = 0; x < width; x++) out[row + x] = Math.round((tmp[up + x] + 2 * tmp[row + x] + tmp[down + x]) / 16);
  }
  return out;
}

/** Reach (px) of the window a rim pixel takes the garment's colour from (rimColoursFromInside). */
const RIM_REACH_PX = 3;

/**
 * In place: the colours of the cut-out's rim taken from the garment just inside it. The soft alpha
 * reaches a pixel past the outline onto the backdrop, and the outline's own pixels are part
 * backdrop: a dark garment shot on white was drawn on the person ringed by a pale halo (a white
 * fringe along every sleeve), a pale one on grey by a dark line. Every pixel with some alpha on
 * the outermost ring of the garment mask or outside it takes the mean colour of the garment's
 * inside (the mask less that ring) within RIM_REACH_PX. Parts too thin to have an inside (a strap,
 * a cord, a fringe's threads) keep their own colours and lend them to their rim.
 */
function rimColoursFromInside(cutout: Raster, hard: Uint8Array, width: number, height: number): void {
  const inside = erode(hard, width, height, 1);
  // Garment pixels with no inside near them: a part too thin to have one.
  const nearInside = dilate(inside, width, height, 2);
  const source = new Uint8Array(width * height);
  for (let k = 0; k < source.length; k++) source[k] = inside[k] || (hard[k] && !nearInside[k]) ? 1 : 0;
  const data = cutout.data;
  // The new colours are written after all are read: a rim pixel never lends a colour it was given.
  const rim: number[] = [];
  const colours: number[] = [];
  const fromSource = (q: number): boolean => source[q] === 1;
  const mean = [0, 0, 0];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const k = y * width + x;
      if (source[k] || data[k * 4 + 3] === 0) continue;
      if (windowMeanColour(data, width, height, x, y, RIM_REACH_PX, fromSource, mean) === 0) continue;
      rim.push(k);
      colours.push(mean[0], mean[1], mean[2]);
    }
  }
  for (let m = 0; m < rim.length; m++) {
    const p = rim[m] * 4;
    data[p] = colours[m * 3];
    data[p + 1] = colours[m * 3 + 1];
    data[p + 2] = colours[m * 3 + 2];
  }
}

/** Share of the garment's rim barely distinct from the backdrop (segment.ts) from which the matte is asked. */
const DOUBTFUL_OUTLINE_SHARE = 0.03;
/** Share of the photo that reads as pale fabric lit to the backdrop (segment.ts) from which the matte is asked. */
const DOUBTFUL_PALE_SHARE = 0.0002;

/**
 * A product shot's garment cut off its backdrop: the colour segmentation, with the learned matte
 * deciding garment from backdrop where the two broadly agree (matte.ts says why).
 */
async function cutFromBackdrop(image: Raster, category: Category): Promise<Uint8Array> {
  const colour = segmentGarment(image, category !== 'lower_body');
  // Bottoms keep the colour segmentation: on the development bottoms the matte changed two of 22
  // cut-outs, and one for the worse (it closed the shadowed gap between black jeans' legs, which
  // then lost their crotch).
  if (category === 'lower_body') return withoutBackdropRim(image, colour.foreground);
  // The matte costs more than the rest of the garment analysis: it is asked only where the colour
  // segmentation is in doubt, i.e. where some of the garment's rim barely differs from the backdrop
  // (soft shadows, pale fabric against the sweep) or where pale fabric lit to the backdrop's colour
  // shows at all (a white tee on white, whose cut-out comes apart into its print). On the 76
  // development garments the matte changed the cut-out of 24 (intersection over union below 0.99);
  // this asks it for 39, 21 of those, and leaves 37 clear product shots alone.
  // Either way the sweep's shadow band is peeled as a bottom's is: a top's or a dress's cut-out took
  // it along a sleeve or a hem (15 of the 76 wide garments, black and navy tops and dresses the
  // most), worn a grey line along the new garment's outline; none of the 41 studio garments has one.
  if (colour.weakOutlineShare < DOUBTFUL_OUTLINE_SHARE && colour.paleShare < DOUBTFUL_PALE_SHARE) return withoutBackdropRim(image, colour.foreground, false);
  const matte = await matteForeground(image);
  return withoutBackdropRim(image, cutWithMatte(colour, matte.data, image.width, image.height), false);
}

/**
 * The flat garment's mask (0/1) from its colour segmentation and the learned matte (0..255), see
 * combineWithMatte. The colour segmentation fills holes by construction (its flood never reaches
 * them); the matte leaves pinholes where pale fabric is lit to the backdrop's colour (a white tee
 * on a white sweep), and they are filled. Left, they showed the photo through the garment as
 * specks, and a line of them down a tee's sides read as the gap beside long sleeves hanging against
 * its body: its short sleeves were drawn down the arms to the wrists.
 */
export function cutWithMatte(colour: Segmentation, matte: Uint8Array, width: number, height: number): Uint8Array {
  const { foreground, source } = combineWithMatte(colour, matte, width, height);
  const cut = source === 'matte' ? keepGarmentComponents(foreground, width, height) : foreground;
  // The matte misread the photo (it picked the print off a white tee): the colour segmentation's
  // outline stands alone, and where it is in doubt it is torn.
  if (source === 'colour') withoutTornFringe(cut, width, height);
  fillSmallHoles(cut, width, height, undefined, 1);
  return cut;
}

/**
 * Radius (px at a 1024 px long side) of the closing and opening that find a torn outline's pieces:
 * the colour segmentation's fringe on a white tee on white (bumps and bites a few pixels deep along
 * the sleeves and hem, a crack of backdrop a few pixels wide into the side: wide 18, 89) measured
 * 2-6 px there.
 */
const TORN_EDGE_PX_PER_1024 = 3;
/**
 * Largest piece (in squared TORN_EDGE radii) the fringe's cleaning adds or takes: a bump, a bite, a
 * short crack. Larger ones are the garment's shape (a strap, the gap between a hanging sleeve and
 * the body, a collar's point) and stay.
 */
const TORN_MAX_PIECE = 16;

/**
 * In place on a 0/1 mask: the small bites and cracks a closing fills, and then the small bumps
 * and spurs an opening takes off, each only as pieces smaller than TORN_MAX_PIECE. Warped onto the
 * wearer, such a fringe was the ragged, notched hem and sleeves of a pasted cut-out.
 */
export function withoutTornFringe(mask: Uint8Array, width: number, height: number): void {
  const r = Math.max(1, Math.round((TORN_EDGE_PX_PER_1024 * Math.max(width, height)) / 1024));
  const maxPiece = TORN_MAX_PIECE * r * r;
  const applySmall = (changed: Uint8Array, value: 0 | 1): void => {
    const { labels, areas } = labelComponents(changed, width, height);
    for (let p = 0; p < mask.length; p++) if (labels[p] && areas[labels[p]] <= maxPiece) mask[p] = value;
  };
  const closed = erode(dilate(mask, width, height, r), width, height, r);
  const added = new Uint8Array(mask.length);
  for (let p = 0; p < mask.length; p++) added[p] = closed[p] && !mask[p] ? 1 : 0;
  applySmall(added, 1);
  const opened = dilate(erode(mask, width, height, r), width, height, r);
  const taken = new Uint8Array(mask.length);
  for (let p = 0; p < mask.length; p++) taken[p] = mask[p] && !opened[p] ? 1 : 0;
  applySmall(taken, 0);
}

/**
 * The image's colours with `alpha` (0..255) as their alpha channel, RGBA. (A function of its own,
 * not a loop in analyseGarment: V8 runs a loop in a function that long unoptimised until its
 * on-stack replacement, a compile of the whole function, is ready; here it took ~25 ns a pixel in a
 * warm profile, a small function's is optimised at once.)
 */
function withAlpha(image: Raster, alpha: Uint8Array): Raster {
  const { width, height } = image;
  const c = image.channels;
  const rgba = new Uint8Array(width * height * 4);
  const rgb = image.data;
  for (let p = 0; p < width * height; p++) {
    rgba[p * 4] = rgb[p * c];
    rgba[p * 4 + 1] = rgb[p * c + 1];
    rgba[p * 4 + 2] = rgb[p * c + 2];
    rgba[p * 4 + 3] = alpha[p];
  }
  return { width, height, channels: 4, data: rgba };
}

/** The hard garment mask (0/1) of a soft alpha (0..255): more than half covered. */
function hardFrom(alpha: Uint8Array): Uint8Array {
  const hard = new Uint8Array(alpha.length);
  for (let p = 0; p < hard.length; p++) hard[p] = alpha[p] > 127 ? 1 : 0;
  return hard;
}

/**
 * `cutOut` (optional, `photo`'s size, 255 garment): the garment's exact coverage when the caller
 * drew the photo (see TryOnRequest.garmentCutOut); it is the cut-out then, with no wearer check
 * and no segmentation (0.12-0.17 s of a product shot's analysis). Ignored on a photo analysed
 * below its size (GARMENT_WORK_LONG_SIDE), which a drawn shot never is.
 */
export async function analyseGarment(photo: Raster, category: Category, garmentDesc?: string, cutOut?: Mask): Promise<GarmentAnalysis> {
  const timings: Record<string, number> = {};
  let t = performance.now();
  const shrink = GARMENT_WORK_LONG_SIDE / Math.max(photo.width, photo.height);
  const image = shrink < 1
    ? resizeRaster(photo, Math.max(1, Math.round(photo.width * shrink)), Math.max(1, Math.round(photo.height * shrink)))
    : photo;
  const lap = (name: string): void => {
    const now = performance.now();
    timings[name] = Math.round((now - t) * 10) / 10;
    t = now;
  };
  const { width, height } = image;
  const known = cutOut && image === photo && cutOut.width === width && cutOut.height === height ? cutOut : undefined;
  // A garment on a wearer is cut off the wearer; otherwise off the backdrop.
  let onWearer = known ? null : await wornGarmentMask(image, category);
  let foreground = known
    ? Uint8Array.from(known.data, (v) => (v >= 128 ? 1 : 0))
    : onWearer ? keepGarmentComponents(onWearer, width, height) : await cutFromBackdrop(image, category);
  if (onWearer && areaOf(foreground) < MIN_AREA_SHARE * width * height) {
    // The wearer's analysis found no garment of this category on them: cut off the backdrop instead.
    onWearer = null;
    foreground = await cutFromBackdrop(image, category);
  }
  lap('garment_cutout');

  // A drawn garment has no wearer.
  const skin = known
    ? { worn: false, skin: new Uint8Array(width * height) }
    : onWearer ? { worn: true, skin: new Uint8Array(width * height) } : findWearerSkin(image.data, image.channels, foreground, width, height);
  if (skin.worn && !onWearer) {
    const grown = dilate(skin.skin, width, height, 2);
    const garment = new Uint8Array(width * height);
    for (let p = 0; p < garment.length; p++) garment[p] = foreground[p] && !grown[p] ? 1 : 0;
    foreground = keepGarmentComponents(garment, width, height);
  }
  lap('garment_skin');

  let alpha = softAlpha(foreground, width, height);
  let hard = hardFrom(alpha);
  let area = 0;
  for (let p = 0; p < hard.length; p++) area += hard[p];
  if (area < MIN_AREA_SHARE * width * height) {
    throw new EngineInputError('no garment could be separated from the background of the garment photo');
  }
  const profile = profileMask(hard, width, height);
  const { bbox } = profile;

  const measured: { sleeve: GarmentAnalysis['sleeve']; lowerKind?: GarmentAnalysis['lowerKind']; lengthRatio: number } = { sleeve: 'none', lengthRatio: 0 };
  let sleeveLengthRatio = 0;
  const analysis: Partial<GarmentAnalysis> = {};
  if (category === 'lower_body') {
    const lower = findLowerLandmarks(profile);
    analysis.lower = lower.landmarks;
    measured.lengthRatio = lower.length / lower.waistWidth;
    measured.lowerKind = lowerKindFor(lower.hasLegs, measured.lengthRatio);
  } else {
    // A flat lay or a ghost mannequin is symmetric; a garment on a posed wearer need not be
    // (cut off its wearer, or with the wearer's skin found around it: a model cropped at the chin).
    const options = { symmetric: !onWearer && !skin.worn };
    const upper = category === 'dresses' ? findDressLandmarks(profile, options) : findUpperLandmarks(profile, false, options);
    if (category === 'dresses') analysis.dress = upper.landmarks as GarmentAnalysis['dress'];
    else analysis.upper = upper.landmarks;
    sleeveLengthRatio = upper.sleeveLength / upper.shoulderWidth;
    measured.sleeve = sleeveClass(sleeveLengthRatio);
    measured.lengthRatio = upper.length / upper.shoulderWidth;
  }
  const refined = refineWithDescription(category, measured, garmentDesc);
  const landmarks = analysis.upper ?? analysis.dress;
  if (refined.sleeve === 'none' && landmarks) {
    // The shop says sleeveless: whatever stood out at the sides is not a sleeve to dress the arm in.
    delete landmarks.sleeveLeft;
    delete landmarks.sleeveRight;
  }
  // A flat lay's long sleeves hanging against its body enclose strips of the backdrop.
  if (landmarks && !onWearer && !skin.worn && openSleeveGaps(image, foreground, landmarks) > 0) {
    alpha = softAlpha(foreground, width, height);
    hard = hardFrom(alpha);
  }
  lap('garment_landmarks');

  // The inside of the back seen through the neckline: on a wearer whose neck shows, it is the
  // neck (the try-on cuts it out then, see GarmentAnalysis.neckOpening).
  const found = landmarks && !skin.worn && backNecklineAcross(hard, width, height, landmarks)
    ? findNeckOpening(image, hard, landmarks) ?? findFrontNeckline(image, hard, landmarks) ?? assumedCrewOpening(hard, width, height, landmarks)
    : null;
  const neckOpening = found && landmarks ? withinNeckline(found, width, height, landmarks) : null;
  const wornOver = wornOverAnotherTop(category, refined.sleeve, landmarks, neckOpening ? openingBottom(neckOpening, width) : null, garmentDesc);

  const cutout = withAlpha(image, alpha);
  rimColoursFromInside(cutout, hard, width, height);
  const palette = dominantColours(image, hard);
  lap('garment_palette');

  return {
    category,
    cutout,
    mask: binarise({ width, height, data: hard }, 1),
    bbox: { x: bbox.x0, y: bbox.y0, width: bbox.x1 - bbox.x0 + 1, height: bbox.y1 - bbox.y0 + 1 },
    worn: skin.worn,
    ...analysis,
    sleeve: refined.sleeve,
    lowerKind: category === 'lower_body' ? refined.lowerKind : undefined,
    fullLength: category === 'lower_body' && refined.lowerKind === 'trousers' && saidFullLengthTrousers(garmentDesc) ? true : undefined,
    sleeveLengthRatio: refined.sleeve === 'none' ? 0 : sleeveLengthRatio,
    lengthRatio: refined.lengthRatio,
    palette,
    neckOpening: neckOpening ? binarise({ width, height, data: neckOpening }, 1) : undefined,
    wornOver,
    timings,
  };
}

