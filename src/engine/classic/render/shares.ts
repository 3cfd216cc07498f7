/**
 * What each rendered pixel is made of, for callers that put a transparent input's alpha back
 * (EngineResult.diagnostics backgroundFill / photoKept, src/imaging/alpha.ts). The render paints
 * in this order, each step blending by its coverage: background fill, skin fill over it, the new
 * garment layer over both. So, with b, s, L the background, skin and layer coverages (0..1):
 *   background share = (1 − L)·b·(1 − s),  photo share = (1 − L)·(1 − b)·(1 − s),
 * and the rest (L and the visible skin) is drawn, opaque.
 */
import { createMask, type Mask, type Raster } from '../../../imaging/raster.ts';
import { boundingRect } from '../person/grid.ts';
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
 * The render's shares are upscaled by resizeMask (the repaint mask's own resize) within the
 * region's box only, since everywhere else the photo is kept whole.
 */
export function finalShares(shares: PixelShares, region: Mask): PixelShares {
  const { width, height } = region;
  const box = boundingRect(region.data, width, height, 0, (v) => v > 0);
  if (!box) {
    const photoKept = createMask(width, height);
    photoKept.data.fill(255);
    return { backgroundFill: createMask(width, height), photoKept };
  }
  // Both are rewritten in place: 0 (background) and 255 (photo) wherever the region is 0.
  const outBackground = resizeMask(shares.backgroundFill, width, height, box);
  const outPhoto = resizeMask(shares.photoKept, width, height, box);
  const r = region.data;
  const ob = outBackground.data;
  const op = outPhoto.data;
  op.fill(255, 0, box.y0 * width);
  op.fill(255, box.y1 * width);
  for (let y = box.y0; y < box.y1; y++) {
    const row = y * width;
    op.fill(255, row, row + box.x0);
    op.fill(255, row + box.x1, row + width);
    for (let i = row + box.x0; i < row + box.x1; i++) {
      const a = r[i];
      if (a === 0) {
        ob[i] = 0;
        op[i] = 255;
        continue;
      }
      ob[i] = Math.round((a * ob[i]) / 255);
      op[i] = Math.round(((255 - a) * 255 + a * op[i]) / 255);
    }
  }
  return { backgroundFill: outBackground, photoKept: outPhoto };
}
