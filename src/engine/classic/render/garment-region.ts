/**
 * Where the old garment is, as the repaint region needs it: the parsing's garment labels, cleaned
 * of the thin rims that parsing leaves along other parts' outlines (a band around the face that is
 * not face, hair or neck), and grown over the garment's own outline, which the labels stop short
 * of (the darker double layer at a sheer sleeve's edge, the blurred rim of a black tee on a white
 * backdrop). A pixel left out there survives the repaint as a ghost outline of the old garment.
 */
import type { Mask, Raster } from '../../../imaging/raster.ts';
import { createMask } from '../../../imaging/raster.ts';
import { normalisedWideBlurPlane } from './blur.ts';
import { dilateMask, erodeMask } from './masks.ts';

export interface GarmentRegionOptions {
  /** Rows above this are never old garment (the chin: no top or dress rises above it). */
  ceilingY?: number;
  /** How far (px) the region may grow over pixels that look like the garment. */
  growth?: number;
  /** Structures thinner than about twice this (px) are parsing rims, not garment. */
  rim?: number;
  /**
   * The person (≥ 128): growth stays on it, because a pale garment and a pale backdrop look alike
   * and the backdrop beside a white top is not its outline.
   */
  person?: Mask;
}

/** Neighbourhood (px) over which the garment's and the surroundings' colours are averaged. */
const LOCAL_SIGMA = 6;

export function oldGarmentRegion(labelled: Mask, image: Raster, options: GarmentRegionOptions = {}): Mask {
  const { width: w, height: h } = labelled;
  const rim = options.rim ?? 2;
  const growth = options.growth ?? 6;
  const person = options.person;
  const opened = rim > 0 ? dilateMask(erodeMask(labelled, rim), rim) : labelled;
  // Opening also rounds off a garment's thin tips (a strap's end): keep labelled pixels that are
  // next to what survived, drop only the rims that lost all their body.
  const near = dilateMask(opened, rim + 1);
  const region = createMask(w, h);
  const ceiling = Math.max(0, Math.floor(options.ceilingY ?? 0));
  for (let i = ceiling * w; i < w * h; i++) region.data[i] = labelled.data[i] >= 128 && near.data[i] ? 255 : 0;
  if (growth <= 0) return region;

  // Local mean colour of the garment and of everything else around it (beyond the growth band),
  // each averaged only over its own pixels; a band pixel joins when it is nearer the garment's.
  const band = dilateMask(region, growth);
  const garmentWeight = new Float32Array(w * h);
  const otherWeight = new Float32Array(w * h);
  for (let i = 0; i < w * h; i++) {
    garmentWeight[i] = region.data[i] ? 1 : 0;
    otherWeight[i] = band.data[i] ? 0 : 1;
  }
  const garmentMean: Float32Array[] = [];
  const otherMean: Float32Array[] = [];
  for (let c = 0; c < 3; c++) {
    const g = new Float32Array(w * h);
    const o = new Float32Array(w * h);
    for (let i = 0; i < w * h; i++) {
      const v = image.data[i * image.channels + c];
      g[i] = v * garmentWeight[i];
      o[i] = v * otherWeight[i];
    }
    garmentMean.push(normalisedWideBlurPlane(g, garmentWeight, w, h, LOCAL_SIGMA));
    otherMean.push(normalisedWideBlurPlane(o, otherWeight, w, h, LOCAL_SIGMA * 2));
  }
  const looksLikeGarment = (i: number): boolean => {
    let toGarment = 0;
    let toOther = 0;
    for (let c = 0; c < 3; c++) {
      const v = image.data[i * image.channels + c];
      toGarment += (v - garmentMean[c][i]) ** 2;
      toOther += (v - otherMean[c][i]) ** 2;
    }
    return toGarment < toOther;
  };
  // Breadth-first from the region's edge, through look-alike pixels only, `growth` steps deep.
  let front: number[] = [];
  for (let i = ceiling * w; i < w * h; i++) if (region.data[i]) front.push(i);
  for (let step = 0; step < growth && front.length; step++) {
    const next: number[] = [];
    for (const p of front) {
      const x = p % w;
      const neighbours = [x > 0 ? p - 1 : -1, x < w - 1 ? p + 1 : -1, p - w, p + w];
      for (const q of neighbours) {
        if (q < ceiling * w || q >= w * h || region.data[q] || (person && person.data[q] < 128)) continue;
        if (!looksLikeGarment(q)) continue;
        region.data[q] = 255;
        next.push(q);
      }
    }
    front = next;
  }
  return region;
}
