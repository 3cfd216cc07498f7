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
