/**
 * The backdrop's rim taken with a garment by the colour segmentation: a product shot's sweep
 * darkens in a soft shadow beside the garment, and the segmentation, which cuts where the colour
 * leaves the backdrop's, takes that band with dark trousers (10-15 px at the 1024 px working size).
 * Worn, it is a grey strip beside the new garment. Peeled here, for every category: the backdrop grows over the
 * garment's outline through pixels nearer the backdrop's local colour than the garment's (the
 * repaint region's growth, render/garment-region.ts, run the other way round).
 */
import { createMask, type Raster } from '../../../imaging/raster.ts';
import { oldGarmentRegion } from '../render/garment-region.ts';
import { erode, labelComponents } from './components.ts';
import { rgbToLab } from '../../../imaging/colour.ts';
import { kthSmallest } from '../person/colour-model.ts';

/** How far (share of the image's long side) the backdrop may reach back over the garment's outline. */
const RIM_REACH = 0.015;
/** Distance (RGB, 0-255 per channel) from the backdrop's median colour within which a pixel is backdrop-like. */
const BACKDROP_LIKE = 40;
/**
 * Largest share of the garment's inside (deeper than the reach) that may be backdrop-like for the
 * rim to be peeled: a garment with fabric of the backdrop's colour (white trousers, a white ground
 * under a print) would lose that fabric where it meets its outline.
 */
const MAX_BACKDROP_LIKE_SHARE = 0.03;
/** Least darkening (CIELAB L) of the backdrop for an outline pixel to be its shadow. */
const SHADOW_MIN_L = 3;
/** Largest chroma distance (CIELAB a*, b*) from the backdrop of its shadow: a cast shadow keeps the sweep's hue. */
const SHADOW_MAX_CHROMA = 6;
/** Shortest run of shadow along the outline that is peeled, as a share of the image's long side. */
const MIN_SHADOW_LENGTH = 0.08;
/** Every how many pixels the medians and shares sample (they need the bulk, not every pixel). */
const SAMPLE_STEP = 7;

function medianColour(image: Raster, pick: (p: number) => boolean): number[] | null {
  // (Typed arrays and a quickselect: the same values as sorting arrays of numbers, at a fraction of the cost.)
  const most = Math.ceil((image.width * image.height) / SAMPLE_STEP);
  const values = [new Float32Array(most), new Float32Array(most), new Float32Array(most)];
  let count = 0;
  for (let p = 0; p < image.width * image.height; p += SAMPLE_STEP) {
    if (!pick(p)) continue;
    for (let c = 0; c < 3; c++) values[c][count] = image.data[p * image.channels + c];
    count++;
  }
  if (count === 0) return null;
  return values.map((v) => kthSmallest(v.subarray(0, count), count >> 1));
}

/**
 * `foreground` (1 = garment) without the backdrop's rim along its outline; unchanged when the
 * garment has backdrop-coloured fabric (MAX_BACKDROP_LIKE_SHARE). With `openGaps` (trousers), the
 * shaded wedge closing the top of a gap in the garment goes too (see gapApexes); a top's gap
 * between a hanging sleeve and its body closes at the armpit, which must stay where it is.
 */
export function withoutBackdropRim(image: Raster, foreground: Uint8Array, openGaps = true): Uint8Array {
  const { width, height, data, channels } = image;
  const reachPx = Math.max(2, Math.round(RIM_REACH * Math.max(width, height)));
  const backdrop = medianColour(image, (p) => foreground[p] === 0);
  if (!backdrop) return foreground;
  const inside = erode(foreground, width, height, reachPx);
  let sampled = 0;
  let backdropLike = 0;
  for (let p = 0; p < inside.length; p += SAMPLE_STEP) {
    if (!inside[p]) continue;
    sampled++;
    const q = p * channels;
    if (Math.hypot(data[q] - backdrop[0], data[q + 1] - backdrop[1], data[q + 2] - backdrop[2]) < BACKDROP_LIKE) backdropLike++;
  }
  if (sampled === 0 || backdropLike > MAX_BACKDROP_LIKE_SHARE * sampled) return foreground;
  const backdropMask = createMask(width, height);
  const garmentMask = createMask(width, height);
  for (let p = 0; p < foreground.length; p++) {
    if (foreground[p]) garmentMask.data[p] = 255;
    else backdropMask.data[p] = 255;
  }
  // Rims of the backdrop are not to be opened away (rim 0): the gap between trouser legs is one.
  const reach = oldGarmentRegion(backdropMask, image, { growth: reachPx, rim: 0, person: garmentMask });
  // Only the shadow goes: the backdrop's own colour, darker. A white motif or a frayed thread at
  // the outline is as light as the backdrop or of another hue, and stays.
  const backdropLab = rgbToLab(backdrop[0], backdrop[1], backdrop[2]);
  const lab = [0, 0, 0];
  const peeled = new Uint8Array(foreground.length);
  // The shadow and the backdrop's own light (the lit side of a gap's wedge, see gapApexes).
  const shadowOrLit = new Uint8Array(foreground.length);
  for (let p = 0; p < peeled.length; p++) {
    if (!foreground[p] || reach.data[p] < 128) continue;
    rgbToLab(data[p * channels], data[p * channels + 1], data[p * channels + 2], lab);
    if (Math.hypot(lab[1] - backdropLab[1], lab[2] - backdropLab[2]) > SHADOW_MAX_CHROMA) continue;
    if (backdropLab[0] - lab[0] >= SHADOW_MIN_L) peeled[p] = 1;
    shadowOrLit[p] = 1;
  }
  // A shadow runs along the outline; a light motif cut by it (a print's white diamond) is a short
  // bite, and stays.
  const { labels, boxes } = labelComponents(peeled, width, height);
  const minLength = MIN_SHADOW_LENGTH * Math.max(width, height);
  const out = foreground.slice();
  for (let p = 0; p < out.length; p++) {
    const id = labels[p];
    if (!id) continue;
    const [x0, y0, x1, y1] = boxes[id];
    if (Math.max(x1 - x0, y1 - y0) + 1 >= minLength) out[p] = 0;
  }
  // The wedge closing a gap between the legs goes whole, shade and light.
  if (!openGaps) return out;
  const wedges = labelComponents(shadowOrLit, width, height);
  const apexes = gapApexes(foreground, wedges.labels, wedges.boxes, width);
  if (apexes.size > 0) for (let p = 0; p < out.length; p++) if (apexes.has(wedges.labels[p])) out[p] = 0;
  return out;
}

/**
 * The shadow components (ids in `labels`, boxes [x0, y0, x1, y1] inclusive) that close the top of
 * a gap in the garment: the shaded wedge between trouser legs below the crotch, where the
 * segmentation's flood up the gap stopped at the shadow. On its top row such a wedge runs from
 * garment to garment with garment above it (the crotch), and on each of its rows garment lies
 * beyond it on both sides (the two legs). Too short to count as a run along the outline, it stayed
 * on the cut-out and the warp stretched it into a pale sliver at the wearer's crotch (wide 23,
 * 111). A light motif at the garment's outer edge has backdrop on one side; one by the gap between
 * the legs lower down has the gap's backdrop above or beside it on its top row.
 */
function gapApexes(foreground: Uint8Array, labels: Int32Array, boxes: Array<[number, number, number, number]>, width: number): Set<number> {
  const out = new Set<number>();
  for (let id = 1; id < boxes.length; id++) {
    const [x0, y0, x1, y1] = boxes[id];
    if (y0 === 0) continue;
    let ok = true;
    for (let y = y0; y <= y1 && ok; y++) {
      const row = y * width;
      let first = -1;
      let last = -1;
      for (let x = x0; x <= x1; x++) {
        if (labels[row + x] !== id) continue;
        if (first < 0) first = x;
        last = x;
      }
      if (first < 0) continue;
      if (y === y0) {
        // Its top run: garment at both ends and all along above it.
        for (let x = first; x <= last && ok; x++) if (labels[row + x] === id && !foreground[row - width + x]) ok = false;
        if (first === 0 || last === width - 1 || !foreground[row + first - 1] || !foreground[row + last + 1]) ok = false;
        for (let x = first; x <= last && ok; x++) if (labels[row + x] !== id && !foreground[row + x]) ok = false;
      } else {
        // Garment (not this component) somewhere left and right of it on the row.
        let left = false;
        for (let x = first - 1; x >= 0 && !left; x--) if (foreground[row + x] && labels[row + x] !== id) left = true;
        let right = false;
        for (let x = last + 1; x < width && !right; x++) if (foreground[row + x] && labels[row + x] !== id) right = true;
        ok = left && right;
      }
    }
    if (ok) out.add(id);
  }
  return out;
}
