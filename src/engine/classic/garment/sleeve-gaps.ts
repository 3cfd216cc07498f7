/**
 * The backdrop between a long sleeve and the body it hangs against.
 *
 * The flood that separates a product shot from its backdrop starts at the photo's border (see
 * segment.ts), so a strip of backdrop enclosed between a sleeve hanging close to the body and the
 * body's side, closed at the armpit and at the cuff or hem, is never reached and stays in the
 * cut-out as garment. Warped onto the wearer it was a pale stripe of the shop's sweep between the
 * arm and the torso (a red long-sleeve tee on a white sweep: wide 72). Once the landmarks say where
 * the body panel's sides run, such strips are found as what they are: enclosed, flat, of the
 * backdrop's own colour, outside the panel's sides, between armpit and hem.
 */
import type { Raster } from '../../../imaging/raster.ts';
import type { Point, UpperLandmarks } from '../types.ts';
import { backgroundDifference, fitBackground } from './background.ts';
import { rasterToLab } from './color.ts';
import { labelComponents } from './components.ts';
import { backdropDistance, boxMean3, lightnessLaplacian, tolerancesFor } from './segment.ts';

/** Largest distance from the backdrop model (ΔE, brighter counting double) of a gap's pixels, in the backdrop's own noise (tolerancesFor's tight tolerance) and at least this. */
const GAP_MAX_CONTRAST = 2.5;
/** Largest texture (5x5 mean |L Laplacian|) of a gap's pixels, in the backdrop's edge tolerance: fabric lit to the sweep's colour has a weave. */
const GAP_MAX_TEXTURE = 1;
/** Smallest gap, as a share of the garment's area: a few stray pixels are the fabric's own highlights. */
const MIN_GAP_SHARE = 0.002;
/** Share of the panel's width (armpit to armpit), inward from each armpit, where a gap may lie: the panel's side bulges past the straight armpit-to-hem line. */
const PANEL_MARGIN = 0.15;
/** Least length of a sleeve below its armpit, in panel widths, for it to hang against the body: short sleeves stand off it. */
const MIN_HANGING_SLEEVE = 0.3;
/** Least median distance from the backdrop (as GAP_MAX_CONTRAST) of the panel's middle: paler, the garment is the backdrop's colour itself. */
const MIN_PANEL_CONTRAST = 12;
/** Least height of a gap over its width: a strip along the side, not a blob of white print on a sleeve. */
const MIN_GAP_ELONGATION = 3;

/**
 * Removes from `mask` (0/1, `image`'s size, in place) the enclosed strips of backdrop beside the
 * body panel's sides (see the header); returns how many pixels it removed.
 */
export function openSleeveGaps(image: Raster, mask: Uint8Array, landmarks: UpperLandmarks): number {
  const { width, height } = image;
  const panel = Math.abs(landmarks.armpitRight.x - landmarks.armpitLeft.x);
  // Only beside a sleeve that hangs down past the armpit, down to its cuff.
  const sides = [
    landmarks.sleeveLeft ? { armpit: landmarks.armpitLeft, bottom: Math.min(landmarks.hemLeft.y, landmarks.sleeveLeft.cuffInner.y), outward: -1 } : null,
    landmarks.sleeveRight ? { armpit: landmarks.armpitRight, bottom: Math.min(landmarks.hemRight.y, landmarks.sleeveRight.cuffInner.y), outward: 1 } : null,
  ].filter((side): side is { armpit: Point; bottom: number; outward: number } => side !== null && side.bottom - side.armpit.y >= MIN_HANGING_SLEEVE * panel);
  if (sides.length === 0) return 0;
  let area = 0;
  for (let p = 0; p < mask.length; p++) area += mask[p];
  const lab = rasterToLab(image);
  const texture = boxMean3(boxMean3(lightnessLaplacian(lab), width, height), width, height);
  const model = fitBackground(lab, texture);
  const tol = tolerancesFor(model);
  const { dL, dChroma } = backgroundDifference(lab, model);
  const maxContrast = Math.max(GAP_MAX_CONTRAST, tol.tight);
  const candidate = new Uint8Array(width * height);
  // A garment as pale as the backdrop (a white tee on a white sweep) is lit to its colour in
  // places, and those are fabric: never opened.
  const middle: number[] = [];
  const [mx0, mx1] = [Math.min(landmarks.armpitLeft.x, landmarks.armpitRight.x) + 0.3 * panel, Math.max(landmarks.armpitLeft.x, landmarks.armpitRight.x) - 0.3 * panel];
  const [my0, my1] = [Math.max(landmarks.armpitLeft.y, landmarks.armpitRight.y), Math.min(landmarks.hemLeft.y, landmarks.hemRight.y)];
  for (let y = Math.max(0, Math.ceil(my0)); y <= Math.min(height - 1, my1); y += 2) {
    for (let x = Math.max(0, Math.ceil(mx0)); x <= Math.min(width - 1, mx1); x += 2) {
      const p = y * width + x;
      if (mask[p]) middle.push(backdropDistance(dL[p], dChroma[p]));
    }
  }
  middle.sort((a, b) => a - b);
  if (middle.length === 0 || middle[middle.length >> 1] < MIN_PANEL_CONTRAST) return 0;
  for (const { armpit, bottom, outward } of sides) {
    const y0 = Math.max(0, Math.ceil(armpit.y));
    const y1 = Math.min(height - 1, Math.floor(bottom));
    // The panel's middle is left alone (a white print there is the garment's): beside its side,
    // from the armpit down to the hem, only the sleeve and the gap lie.
    const limitX = armpit.x - outward * PANEL_MARGIN * panel;
    for (let y = y0; y <= y1; y++) {
      for (let x = 0; x < width; x++) {
        if ((x - limitX) * outward <= 0) continue;
        const p = y * width + x;
        if (mask[p] && backdropDistance(dL[p], dChroma[p]) <= maxContrast && texture[p] <= GAP_MAX_TEXTURE * tol.edge) candidate[p] = 1;
      }
    }
  }
  const { labels, areas, boxes } = labelComponents(candidate, width, height);
  const gap = areas.map((a, k) => {
    const [x0, y0, x1, y1] = boxes[k];
    return k > 0 && a >= MIN_GAP_SHARE * area && y1 - y0 + 1 >= MIN_GAP_ELONGATION * (x1 - x0 + 1);
  });
  // The gap's rim, beside the sleeve's and the body's outlines, is as textured as they are: from
  // each gap the backdrop's colour is followed out to them, whatever the texture.
  const stack: number[] = [];
  for (let p = 0; p < labels.length; p++) {
    if (labels[p] !== 0 && gap[labels[p]]) {
      mask[p] = 0;
      stack.push(p);
    }
  }
  let removed = stack.length;
  while (stack.length > 0) {
    const p = stack.pop()!;
    const x = p % width;
    for (const q of [x > 0 ? p - 1 : -1, x < width - 1 ? p + 1 : -1, p - width, p + width]) {
      if (q < 0 || q >= mask.length || !mask[q] || backdropDistance(dL[q], dChroma[q]) > tol.loose) continue;
      mask[q] = 0;
      removed++;
      stack.push(q);
    }
  }
  return removed;
}
