/**
 * A kept top above a lower new bottom. Where the old bottom began higher than the new one's
 * waistband (high-waisted trousers, a bodysuit or a dress whose lower part the parsing calls the
 * bottom) the new bottom bares a band of the torso. When the photo shows no bare midriff above the
 * old bottom, the top ran down to it: what shows in that band is the top continuing, not skin
 * (painted, it read as a flat flesh-coloured belt between the top and the new trousers). This
 * finds that part of the bared skin zone, for the caller to synthesise from the top's own visible
 * patches.
 */
import type { Mask } from '../../../imaging/raster.ts';
import type { BodyFrame } from '../body/index.ts';
import { enclosedPieces } from '../layers.ts';
import { PartLabel } from '../types.ts';
import { colourModel, lightnessTexture, smoothLab, smoothOffset } from '../person/colour-model.ts';
import { zonePart } from './kept-trousers.ts';

/** Fewer visible pixels of the top than this (analysis px) are too few to synthesise its end from: the band stays skin. */
const MIN_TOP_PIXELS = 200;

/**
 * The part of `bareSkin` (coverage 0..255; the skin zone the new bottom leaves bare) that is the
 * kept top continuing down: above the hip joints, within the torso's span and off the arms (a
 * bare arm hanging beside the waist stays skin). Null when none of the zone lies there, or when
 * `seenTop` (the top the photo shows, the synthesis's source) holds too few pixels to continue it from.
 */
export function topAboveBottom(bareSkin: Mask, seenTop: Mask, body: BodyFrame): Mask | null {
  let topPixels = 0;
  for (let i = 0; i < seenTop.data.length && topPixels < MIN_TOP_PIXELS; i++) if (seenTop.data[i] >= 128) topPixels++;
  if (topPixels < MIN_TOP_PIXELS) return null;
  const hipY = Math.round(Math.max(body.hip.l.y, body.hip.r.y));
  // The torso's span walks the person mask: once per row.
  let spanRow = -1;
  let span: [number, number] = [0, -1];
  return zonePart(bareSkin, 0, hipY, (x, y) => {
    if (y !== spanRow) {
      span = body.torsoSpan(y);
      spanRow = y;
    }
    return x >= Math.ceil(span[0]) && x <= Math.floor(span[1]) && !body.inArm(x, y);
  });
}

/** Share of a piece of "skin"'s outline that must border the top for the piece to be the top's. */
const TOP_ENCLOSED_SKIN = 0.6;

/**
 * The kept top's own pixels that the parsing took for skin (255): a tan or camel jacket passes the
 * skin test, and the pieces of its front and hem parsed as torso or leg skin were neither the top
 * (protected from a new bottom) nor the bottom: the new trousers were drawn over the jacket's hem
 * (wide 15). Skin of the torso or the legs lies between garments, against the backdrop and the
 * limbs; a piece of it whose outline borders the top's label along at least TOP_ENCLOSED_SKIN of
 * its length lies inside the top and is the top. (A bare midriff borders the bottom below it as
 * much as the top above it, and bare legs border the bottom and the feet.)
 */
export function skinInsideTop(labels: Uint8Array, width: number): Mask {
  const box = { x0: 0, y0: 0, x1: width, y1: labels.length / width };
  return enclosedPieces(labels, width, box, [PartLabel.TorsoSkin, PartLabel.Leg], [PartLabel.UpperGarment], TOP_ENCLOSED_SKIN);
}

/** Rows above the bottom's parsed top edge, as a share of the torso's length, in which the top's label may hold the bottom's own fabric. */
const HEM_STRIP_REACH = 0.12;
/** Least colour gap (mean CIELAB, lightness at full weight) between the top and the bottom for the strip to be told apart from the top. */
const MIN_TOP_BOTTOM_GAP = 6;
/** A pixel of the strip is the bottom's when its local colour's distance to the bottom is below this share of its distance to the top... */
const STRIP_NEARER_BOTTOM = 0.5;
/**
 * ...and below this (mean CIELAB): the strip is the bottom's own colour, not merely nearer it than
 * the top above (a striped shirt's tail under a black jacket, over beige chinos, is nearer the
 * chinos than the jacket, yet no chino).
 */
const STRIP_MAX_DISTANCE = 12;
/** Columns either side (share of the search's reach in rows) over which the top's colour above a column is averaged. */
const TOP_COLUMNS = 0.25;
/** Fewest pixels of the top's colour above a column to tell the strip from. */
const MIN_TOP_SAMPLES = 20;
/**
 * A pixel of the strip is the bottom's only when the spread of lightness around it (CIELAB L, px
 * within STRIP_SMOOTHING) is at most this many times the bottom's own (robust) spread, or
 * TEXTURE_SLACK when more, and never more than TEXTURE_MAX: a striped or checked shirt's tail
 * averages to a plain bottom's colour, yet its stripes (a spread of 11-22 at the analysis size)
 * are no plain fabric; denim's weave and a waistband's seam spread 2-9.
 */
const TEXTURE_FACTOR = 2;
const TEXTURE_SLACK = 6;
const TEXTURE_MAX = 9;
/** Radius (px) over which a pixel's colour is averaged for that test: the fabric's weave and a seam's stitching are no colour. */
const STRIP_SMOOTHING = 2;

/**
 * The parsing's labels with the bottom's own fabric between the kept top's hem and the row where
 * the parsing let the bottom begin relabelled as the bottom. Where the top and the trousers meet
 * the parsing splits them at a row, and a strip of the trousers between the top's hem and that
 * row (lower at the middle, where a tee's hem rides up, or everywhere) was labelled the top's:
 * kept as the photo shows it, it stood as a band of the old jeans between the top and the new
 * trousers (wide 32, 50, 106). From each column's first bottom pixel (below `fromY`, within
 * [x0, x1]) up, at most `reach` rows, the top's pixels whose local colour is clearly the bottom's
 * go to the bottom; the walk stops at the first that is not (the top's hem, a shirt's tail, a
 * hand). A column whose top above is too like the bottom (a black jacket over black shorts) is
 * left as it is. Null when nothing changes.
 */
export function bottomUnderTopHem(labels: Uint8Array, lab: Float32Array, width: number, columns: [number, number], fromY: number, reach: number): Uint8Array | null {
  const height = labels.length / width;
  const [x0, x1] = [Math.max(0, columns[0]), Math.min(width - 1, columns[1])];
  const n = x1 - x0 + 1;
  const tops = new Int32Array(n).fill(-1);
  const bottomPixels: number[] = [];
  // Per column, the sums of the top's colour (L, a, b, count) well above the strip: its own
  // colour there, not the strip's. (Per column: a top is often two garments, a white tee under a
  // black jacket, and the strip is told from the one above it.)
  const topSums = new Float64Array((n + 1) * 4);
  for (let x = x0; x <= x1; x++) {
    let y = Math.max(0, fromY);
    while (y < height && labels[y * width + x] !== PartLabel.LowerGarment) y++;
    if (y >= height) continue;
    tops[x - x0] = y;
    for (let k = y; k < Math.min(height, y + reach); k++) if (labels[k * width + x] === PartLabel.LowerGarment) bottomPixels.push(k * width + x);
    for (let k = Math.max(fromY, y - 3 * reach); k < y - reach; k++) {
      const i = k * width + x;
      if (labels[i] !== PartLabel.UpperGarment) continue;
      for (let c = 0; c < 3; c++) topSums[(x - x0 + 1) * 4 + c] += lab[i * 3 + c];
      topSums[(x - x0 + 1) * 4 + 3]++;
    }
  }
  const bottom = colourModel(lab, bottomPixels);
  if (!bottom) return null;
  // Running sums over the columns, for the top's colour over a few columns either side.
  for (let k = 1; k <= n; k++) for (let c = 0; c < 4; c++) topSums[k * 4 + c] += topSums[(k - 1) * 4 + c];
  const half = Math.max(1, Math.round(reach * TOP_COLUMNS));
  const topAbove = (x: number): [number, number, number] | null => {
    const a = Math.max(0, x - x0 - half);
    const b = Math.min(n, x - x0 + half + 1);
    const count = topSums[b * 4 + 3] - topSums[a * 4 + 3];
    if (count < MIN_TOP_SAMPLES) return null;
    return [0, 1, 2].map((c) => (topSums[b * 4 + c] - topSums[a * 4 + c]) / count) as [number, number, number];
  };
  const smooth = smoothLab(lab, width, { x0, y0: Math.max(0, fromY), x1: x1 + 1, y1: height }, STRIP_SMOOTHING);
  // Lightness spread round each pixel of the strip (its window reaches STRIP_SMOOTHING px past the columns and above fromY).
  const texture = lightnessTexture(lab, width, { x0: Math.max(0, x0 - STRIP_SMOOTHING), y0: Math.max(0, fromY - STRIP_SMOOTHING), x1: Math.min(width, x1 + 1 + STRIP_SMOOTHING), y1: height }, STRIP_SMOOTHING);
  const maxSpread = Math.min(TEXTURE_MAX, Math.max(TEXTURE_SLACK, TEXTURE_FACTOR * bottom.spread[0]));
  const gap = (p: ArrayLike<number>, o: number, q: ArrayLike<number>): number => Math.hypot(p[o] - q[0], p[o + 1] - q[1], p[o + 2] - q[2]);
  let out: Uint8Array | null = null;
  for (let x = x0; x <= x1; x++) {
    const start = tops[x - x0];
    const top = start < 0 ? null : topAbove(x);
    // (A top of the trousers' colour there: nothing tells the strip from it.)
    if (!top || gap(top, 0, bottom.mean) < MIN_TOP_BOTTOM_GAP) continue;
    for (let y = start - 1; y >= Math.max(fromY, start - reach); y--) {
      const i = y * width + x;
      if (labels[i] !== PartLabel.UpperGarment) break;
      const o = smoothOffset(smooth, x, y);
      const toBottom = gap(smooth.data, o, bottom.mean);
      if (toBottom >= STRIP_MAX_DISTANCE || toBottom >= STRIP_NEARER_BOTTOM * gap(smooth.data, o, top)) break;
      if (texture[i] > maxSpread) break;
      out ??= labels.slice();
      out[i] = PartLabel.LowerGarment;
    }
  }
  return out;
}

/** The share of the torso's length searched above the bottom's top edge (see bottomUnderTopHem). */
export function hemStripReach(torsoLength: number): number {
  return Math.max(1, Math.round(HEM_STRIP_REACH * torsoLength));
}
