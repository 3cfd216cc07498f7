/**
 * A kept top above a lower new bottom. Where the old bottom began higher than the new one's
 * waistband (high-waisted trousers, a bodysuit or a dress whose lower part the parsing calls the
 * bottom) the new bottom bares a band of the torso. When the photo shows no bare midriff above the
 * old bottom, the top ran down to it: what shows in that band is the top continuing, not skin
 * (painted, it read as a flat flesh-coloured belt between the top and the new trousers). This
 * finds that part of the bared skin zone, for the caller to synthesise from the top's own visible
 * patches.
 */
import { createMask, type Mask } from '../../../imaging/raster.ts';
import type { BodyFrame } from '../body/index.ts';
import { PartLabel } from '../types.ts';

/** Fewer visible pixels of the top than this (analysis px) are too few to synthesise its end from: the band stays skin. */
const MIN_TOP_PIXELS = 200;

/**
 * The part of `bareSkin` (coverage 0..255; the skin zone the new bottom leaves bare) that is the
 * kept top continuing down: above the hip joints, within the torso's span and off the arms (a
 * bare arm hanging beside the waist stays skin). Null when none of the zone lies there, or when the
 * photo shows too little of the top (`labels` UpperGarment outside `bare`) to continue it from.
 */
export function topAboveBottom(bareSkin: Mask, labels: Uint8Array, bare: Mask, body: BodyFrame): Mask | null {
  const { width, height } = bareSkin;
  let topPixels = 0;
  for (let i = 0; i < labels.length && topPixels < MIN_TOP_PIXELS; i++) if (labels[i] === PartLabel.UpperGarment && bare.data[i] === 0) topPixels++;
  if (topPixels < MIN_TOP_PIXELS) return null;
  const hipY = Math.min(height, Math.round(Math.max(body.hip.l.y, body.hip.r.y)));
  const out = createMask(width, height);
  let any = false;
  for (let y = 0; y < hipY; y++) {
    const [l, r] = body.torsoSpan(y);
    for (let x = Math.max(0, Math.ceil(l)); x <= Math.min(width - 1, Math.floor(r)); x++) {
      const i = y * width + x;
      if (bareSkin.data[i] === 0 || body.inArm(x, y)) continue;
      out.data[i] = bareSkin.data[i];
      any = true;
    }
  }
  return any ? out : null;
}
