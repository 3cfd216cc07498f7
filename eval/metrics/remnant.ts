/**
 * Is the old garment really gone where the new one should be? Among the pixels where the person's
 * old garment was AND the new garment was drawn (that intersection eroded by 3 px, so seams and
 * mask slop do not count), the share whose result colour is still the input's colour there
 * (ΔE00 < 6) AND is not a colour of the new garment (ΔE00 ≥ 6 from every palette colour, after the
 * same exposure normalisation `colorDeltaE` applied): a new garment of the same colour as the old one is
 * not a remnant. 0 = the old garment is entirely covered, 1 = it is untouched.
 */
import type { Mask, Raster } from '../../src/imaging/raster.ts';
import { ciede2000Components, srgbToLabInto } from './ciede2000.ts';
import { countInside, erode, intersect } from './mask-ops.ts';
import type { PaletteEntry } from './palette.ts';

export const REMNANT_DELTA_E = 6;
export const REMNANT_EROSION = 3;

export interface RemnantResult {
  /** Share of the counted pixels that are left-over old garment, 0..1. */
  share: number;
  /** Pixels in old ∩ new after erosion (the denominator). */
  pixels: number;
}

/**
 * @param garmentPalette the new garment's dominant colours (from the cut-out, `colorDeltaE`)
 * @param exposure factor on the result's linear RGB before comparing with the palette (shading; see colorDeltaE)
 * @returns null when old ∩ new is empty after erosion (nothing to judge)
 */
export function remnant(
  input: Raster,
  result: Raster,
  oldGarmentMask: Mask,
  newGarmentMask: Mask,
  garmentPalette: PaletteEntry[],
  exposure = 1,
): RemnantResult | null {
  if (input.width !== result.width || input.height !== result.height) throw new Error('remnant: input and result differ in size');
  const region = erode(intersect(oldGarmentMask, newGarmentMask), REMNANT_EROSION);
  const pixels = countInside(region);
  if (pixels === 0) return null;
  const inCh = input.channels;
  const outCh = result.channels;
  let left = 0;
  const lab = new Float64Array(9); // input, result, result re-exposed
  for (let p = 0; p < region.data.length; p++) {
    if (region.data[p] === 0) continue;
    srgbToLabInto(input.data[p * inCh], input.data[p * inCh + 1], input.data[p * inCh + 2], 1, lab, 0);
    srgbToLabInto(result.data[p * outCh], result.data[p * outCh + 1], result.data[p * outCh + 2], 1, lab, 3);
    if (ciede2000Components(lab[3], lab[4], lab[5], lab[0], lab[1], lab[2]) >= REMNANT_DELTA_E) continue;
    srgbToLabInto(result.data[p * outCh], result.data[p * outCh + 1], result.data[p * outCh + 2], exposure, lab, 6);
    const likeNewGarment = garmentPalette.some(
      (e) => ciede2000Components(lab[6], lab[7], lab[8], e.lab[0], e.lab[1], e.lab[2]) < REMNANT_DELTA_E,
    );
    if (!likeNewGarment) left++;
  }
  return { share: left / pixels, pixels };
}
