/**
 * What each rendered pixel is made of, for callers that put a transparent input's alpha back
 * (EngineResult.diagnostics backgroundFill / photoKept, src/imaging/alpha.ts). The render paints
 * in this order, each step blending by its coverage: background fill, skin fill over it, the new
 * garment layer over both. So, with b, s, L the background, skin and layer coverages (0..1):
 *   background share = (1 − L)·b·(1 − s),  photo share = (1 − L)·(1 − b)·(1 − s),
 * and the rest (L and the visible skin) is drawn, opaque.
 */
import { createMask, type Mask, type Raster } from '../../../imaging/raster.ts';
import { bilinearAxis } from './masks.ts';

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
 * The render's shares are upscaled bilinearly (the same taps as resizeMask) only where the region
 * is, since everywhere else the photo is kept whole.
 */
export function finalShares(shares: PixelShares, region: Mask): PixelShares {
  const { width, height } = region;
  const { width: sw, height: sh } = shares.backgroundFill;
  const srcBackground = shares.backgroundFill.data;
  const srcPhoto = shares.photoKept.data;
  const outBackground = createMask(width, height);
  const outPhoto = createMask(width, height);
  outPhoto.data.fill(255);
  const r = region.data;
  const xs = bilinearAxis(sw, width);
  const ys = bilinearAxis(sh, height);
  const { i0: x0s, i1: x1s, t: txs } = xs;
  const ob = outBackground.data;
  const op = outPhoto.data;
  for (let y = 0; y < height; y++) {
    const r0 = ys.i0[y] * sw;
    const r1 = ys.i1[y] * sw;
    const ty = ys.t[y];
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const a = r[row + x];
      if (a === 0) continue;
      const p00 = r0 + x0s[x];
      const p01 = r0 + x1s[x];
      const p10 = r1 + x0s[x];
      const p11 = r1 + x1s[x];
      const t = txs[x];
      // Bilinear weights of the four taps.
      const w11 = t * ty;
      const w01 = t - w11;
      const w10 = ty - w11;
      const w00 = 1 - t - ty + w11;
      const background = Math.round(srcBackground[p00] * w00 + srcBackground[p01] * w01 + srcBackground[p10] * w10 + srcBackground[p11] * w11);
      const photo = Math.round(srcPhoto[p00] * w00 + srcPhoto[p01] * w01 + srcPhoto[p10] * w10 + srcPhoto[p11] * w11);
      ob[row + x] = Math.round((a * background) / 255);
      op[row + x] = Math.round(((255 - a) * 255 + a * photo) / 255);
    }
  }
  return { backgroundFill: outBackground, photoKept: outPhoto };
}
