/**
 * What each rendered pixel is made of, for callers that put a transparent input's alpha back
 * (EngineResult.diagnostics backgroundFill / photoKept, src/imaging/alpha.ts). The render paints
 * in this order, each step blending by its coverage: background fill, skin fill over it, the new
 * garment layer over both. So, with b, s, L the background, skin and layer coverages (0..1):
 *   background share = (1 − L)·b·(1 − s),  photo share = (1 − L)·(1 − b)·(1 − s),
 * and the rest (L and the visible skin) is drawn, opaque.
 */
import { createMask, type Mask, type Raster } from '../../../imaging/raster.ts';
import { resizeMask } from './masks.ts';

export interface PixelShares {
  backgroundFill: Mask;
  photoKept: Mask;
}

/** Shares at the render's resolution, from the two fill masks and the layer as it was composited. */
export function renderShares(backgroundFill: Mask, skinFill: Mask, layer: Raster): PixelShares {
  const { width, height } = backgroundFill;
  const background = createMask(width, height);
  const photo = createMask(width, height);
  const b = backgroundFill.data;
  const s = skinFill.data;
  const l = layer.data;
  const SCALE = 255 * 255 * 255;
  for (let i = 0; i < b.length; i++) {
    const open = (255 - l[i * 4 + 3]) * (255 - s[i]);
    background.data[i] = Math.round((open * b[i] * 255) / SCALE);
    photo.data[i] = Math.round((open * (255 - b[i]) * 255) / SCALE);
  }
  return { backgroundFill: background, photoKept: photo };
}

/**
 * Shares of the final full-resolution pixel, where the render (upscaled) was blended over the
 * photo with coverage `region`: background = region·background, photo = (1 − region) + region·photo.
 */
export function finalShares(shares: PixelShares, region: Mask): PixelShares {
  const { width, height } = region;
  const sameSize = shares.backgroundFill.width === width && shares.backgroundFill.height === height;
  const background = sameSize ? shares.backgroundFill : resizeMask(shares.backgroundFill, width, height);
  const photo = sameSize ? shares.photoKept : resizeMask(shares.photoKept, width, height);
  const outBackground = createMask(width, height);
  const outPhoto = createMask(width, height);
  const r = region.data;
  outPhoto.data.fill(255);
  for (let i = 0; i < r.length; i++) {
    const a = r[i];
    if (a === 0) continue;
    outBackground.data[i] = Math.round((a * background.data[i]) / 255);
    outPhoto.data[i] = Math.round(((255 - a) * 255 + a * photo.data[i]) / 255);
  }
  return { backgroundFill: outBackground, photoKept: outPhoto };
}
