/**
 * Combines the learned foreground matte (U²-Net-p, src/vision/matte.ts) with the colour
 * segmentation of the backdrop (segment.ts) for product shots.
 *
 * Measured on the 117 development garments, each fails where the other holds:
 * - colour segmentation leaves soft shadows, props, logos and the backdrop's vignetting on, and
 *   loses white fabric lit to a white sweep (holes, half a tee missing);
 * - the matte removes shadows and props and keeps pale fabric whole, but its 320 px edge is soft
 *   (a blurred white hem), and on a few white tees it picks out only the print.
 * So the matte decides what is garment and what is backdrop (its confident inside fills the colour
 * segmentation's holes; its confident outside removes shadows and props), and the colour
 * segmentation only decides the pixels in the matte's soft edge band. The matte adds only what is
 * wider than a sliver to the colour segmentation: where the 320 px matte rounds a corner outwards
 * or closes a narrow gap of backdrop (between a hanging sleeve and the body) the colour
 * segmentation's sharp outline is right; and the matte fills wider gaps of plain backdrop too (the
 * gap between trouser legs or between a sleeve and the body on flat drawn garments), so an added
 * region must also differ from the backdrop's colour model on average (white fabric's shading
 * does, the backdrop itself does not). When the two disagree
 * wildly, the matte has misread the photo (the print taken for the object) and the colour
 * segmentation is used alone.
 */
import { backgroundDifference } from './background.ts';
import { dilate, erode, labelComponents } from './components.ts';
import { backdropDistance, STRONG_CONTRAST, type Segmentation } from './segment.ts';

/** Matte alpha (0..255) from which a pixel is garment whatever the colour segmentation says. */
const MATTE_INSIDE = 128;
/** Matte alpha (0..255) below which a pixel is backdrop whatever the colour segmentation says. */
const MATTE_OUTSIDE = 26;
/** Narrowest addition (px at a 1024 px long side) the matte makes: thinner ones are its blurred edge. */
const SLIVER_PX_PER_1024 = 4;
/** Least mean distance (ΔE, brighter counting double) from the backdrop model of a region the matte adds. */
const ADDED_MIN_CONTRAST = 2;
/**
 * Mean distance from the backdrop model (as ADDED_MIN_CONTRAST) from which a region on the outline
 * that the matte calls backdrop stays garment. The shadows and sweep the matte removed from the
 * development garments measured 3-25; a striped sleeve it lost, 48.
 */
const REMOVED_MAX_CONTRAST = 35;
/**
 * Least overlap (intersection over union) of the matte's and the colour segmentation's garment
 * for the matte to be trusted. Where the matte picked only a print off a white tee the overlap
 * measured 0.13-0.39; where the colour segmentation lost most of a white tee or kept a shadow,
 * 0.6-0.9.
 */
const MIN_AGREEMENT = 0.5;

export interface MatteCombination {
  /** 1 where garment, else 0. */
  foreground: Uint8Array;
  /** Intersection over union of the matte (at alpha 128) and the colour segmentation. */
  agreement: number;
  /** Which cut was used: both combined, or the colour segmentation alone. */
  source: 'matte' | 'colour';
}

/**
 * The garment as the matte and the colour segmentation agree on it: the matte's inside, plus the
 * colour segmentation's garment within the matte's edge band.
 */
export function combineWithMatte(segmentation: Segmentation, matte: Uint8Array, width: number, height: number): MatteCombination {
  const colour = segmentation.foreground;
  let inter = 0;
  let union = 0;
  for (let p = 0; p < colour.length; p++) {
    const m = matte[p] >= MATTE_INSIDE ? 1 : 0;
    inter += colour[p] & m;
    union += colour[p] | m;
  }
  const agreement = union ? inter / union : 0;
  if (agreement < MIN_AGREEMENT) return { foreground: colour.slice(), agreement, source: 'colour' };
  // What the matte adds (its inside, where the colour segmentation saw backdrop), opened so that
  // only blobs wider than a sliver remain.
  const added = new Uint8Array(colour.length);
  for (let p = 0; p < colour.length; p++) added[p] = matte[p] >= MATTE_INSIDE && !colour[p] ? 1 : 0;
  const sliver = Math.max(1, Math.round((SLIVER_PX_PER_1024 * Math.max(width, height)) / 1024));
  const opened = dilate(erode(added, width, height, sliver), width, height, sliver);
  for (let p = 0; p < added.length; p++) added[p] &= opened[p];
  // Mean backdrop distance per added region, read from the segmentation's work resolution.
  const contrastAt = backdropContrastReader(segmentation, width);
  // Summed backdrop distance per labelled region.
  const summedContrast = (regions: ArrayLike<number>, count: number): Float64Array => {
    const sums = new Float64Array(count);
    for (let p = 0; p < regions.length; p++) if (regions[p]) sums[regions[p]] += contrastAt(p);
    return sums;
  };
  const { labels, areas } = labelComponents(added, width, height);
  const contrast = summedContrast(labels, areas.length);
  // What the matte removes (its outside, where the colour segmentation saw garment): only regions
  // on the garment's outline (a shadow, a prop, a logo beside it). A hole it would punch inside the
  // garment is backdrop the colour segmentation kept on purpose (a gap closed by a cuff), whose
  // removal only confuses the outline's landmarks.
  const removed = new Uint8Array(colour.length);
  for (let p = 0; p < colour.length; p++) removed[p] = colour[p] && matte[p] < MATTE_OUTSIDE ? 1 : 0;
  const cut = labelComponents(removed, width, height);
  const onOutline = regionsOnOutline(cut.labels, cut.areas.length, colour, width);
  // Shadows, the sweep's vignetting and a backdrop's folds stay close to the backdrop's colour; a
  // region far from it is fabric the matte lost (the striped lower half of a sleeve hanging beside
  // the body), which its removal would cut off.
  const cutContrast = summedContrast(cut.labels, cut.areas.length);
  const faint = fadedPastMatte(colour, matte, contrastAt, width, height, sliver);
  const foreground = new Uint8Array(colour.length);
  for (let p = 0; p < colour.length; p++) {
    const k = cut.labels[p];
    const kept = colour[p] && !faint[p] && (!onOutline[k] || cutContrast[k] >= REMOVED_MAX_CONTRAST * cut.areas[k]);
    foreground[p] = kept || (labels[p] && contrast[labels[p]] >= ADDED_MIN_CONTRAST * areas[labels[p]]) ? 1 : 0;
  }
  return { foreground, agreement, source: 'matte' };
}

/** The backdrop distance (backdropDistance) of a full-resolution pixel, read from the segmentation's work resolution. */
function backdropContrastReader(segmentation: Segmentation, width: number): (p: number) => number {
  const { lab, background } = segmentation;
  const { dL, dChroma } = backgroundDifference(lab, background);
  const factor = Math.max(1, Math.floor(width / lab.width));
  return (p) => {
    const x = p % width;
    const y = (p - x) / width;
    const q = Math.min(lab.height - 1, Math.floor(y / factor)) * lab.width + Math.min(lab.width - 1, Math.floor(x / factor));
    return backdropDistance(dL[q], dChroma[q]);
  };
}

/** Per labelled region (1..count-1): 1 when one of its pixels lies on the outline of `mask` (next to a 0 or on the image's border). */
function regionsOnOutline(labels: ArrayLike<number>, count: number, mask: Uint8Array, width: number): Uint8Array {
  const onOutline = new Uint8Array(count);
  for (let p = 0; p < mask.length; p++) {
    if (!labels[p] || onOutline[labels[p]]) continue;
    const x = p % width;
    if ((x > 0 && !mask[p - 1]) || (x < width - 1 && !mask[p + 1]) || (p >= width && !mask[p - width]) ||
      (p + width < mask.length && !mask[p + width]) || x === 0 || x === width - 1 || p < width || p + width >= mask.length) {
      onOutline[labels[p]] = 1;
    }
  }
  return onOutline;
}

/**
 * The colour segmentation's garment outside the matte's half level (in its soft edge band) where
 * the photo there barely differs from the backdrop (less than STRONG_CONTRAST): along a white tee's
 * outline on a pale sweep the colour cut follows the pixels' noise, a fringe of bumps a few pixels
 * out (wide 63, 67, 71, 88: the tees came out torn along every edge), while the matte's guided
 * half level follows the photo's faint edge. Only regions that reach the colour outline: the
 * matte's band inside the garment is its doubt, not backdrop. Where the photo differs clearly
 * from the backdrop (a dark garment, a shadow's core, a print) the colour segmentation's sharp
 * outline stays. Only slivers (narrower than two SLIVER_PX_PER_1024): the matte also loses pale
 * fabric, and that is wide.
 */
function fadedPastMatte(colour: Uint8Array, matte: Uint8Array, contrastAt: (p: number) => number, width: number, height: number, sliver: number): Uint8Array {
  const band = new Uint8Array(colour.length);
  for (let p = 0; p < colour.length; p++) band[p] = colour[p] && matte[p] < MATTE_INSIDE && contrastAt(p) < STRONG_CONTRAST ? 1 : 0;
  // Slivers only: what is wider than two slivers is fabric the matte lost (a pale cotton ruffle's
  // folds, wide 103's camisole), not a fringe of noise.
  const wide = dilate(erode(band, width, height, sliver), width, height, sliver);
  for (let p = 0; p < band.length; p++) band[p] &= wide[p] ^ 1;
  const { labels, areas } = labelComponents(band, width, height);
  const outer = regionsOnOutline(labels, areas.length, colour, width);
  for (let p = 0; p < band.length; p++) band[p] = labels[p] && outer[labels[p]] ? 1 : 0;
  return band;
}
