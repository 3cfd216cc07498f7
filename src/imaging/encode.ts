/**
 * Encoding results for the ObjectStore (WebP for results and masks, PNG for lossless needs) and the
 * contract's mask image. Decoding lives in decode.ts; `decodeToRaster` is re-exported here so callers
 * that encode and decode can import one module.
 */
import sharp, { type Sharp } from 'sharp';
import type { Mask, Raster } from './raster.ts';

export { decodeToRaster, decodeFileToRaster, decodeImage, imageContentHash } from './decode.ts';

/** Neutral grey used by the mask image for repainted pixels. */
export const MASK_GREY = 128;

function sharpFromRaster(raster: Raster): Sharp {
  if (raster.data.length !== raster.width * raster.height * raster.channels) {
    throw new Error(`raster data length ${raster.data.length} does not match ${raster.width}x${raster.height}x${raster.channels}`);
  }
  return sharp(raster.data, { raw: { width: raster.width, height: raster.height, channels: raster.channels } });
}

/**
 * Raster → WebP. Quality 90 by default; effort 2 (libwebp's 0..6 speed/size trade-off) because results
 * are encoded on the request path and effort above ~3 costs far more time than it saves bytes.
 */
export async function encodeWebp(raster: Raster, options: { quality?: number } = {}): Promise<Buffer> {
  const quality = Math.min(100, Math.max(1, Math.round(options.quality ?? 90)));
  return sharpFromRaster(raster).webp({ quality, effort: 2 }).toBuffer();
}

/** Raster → PNG (lossless; zlib level 6, adaptive filtering off for speed). */
export async function encodePng(raster: Raster): Promise<Buffer> {
  return sharpFromRaster(raster).png({ compressionLevel: 6, adaptiveFiltering: false }).toBuffer();
}

/**
 * The contract's mask image: the person photo with the repainted region filled with neutral grey
 * (128,128,128), same size and channel count as `model`.
 *
 * Coverage `m` of the repaint mask maps to grey weight `min(1, m / 127.5)`: every pixel with m > 127
 * (the repainted region) is exactly grey, and the outer half of a feathered edge (m 1..127) blends from
 * the photo to grey, so the mask image shows the soft edge rather than a hard stair-stepped outline.
 * An alpha channel (4-channel model) is kept as it is.
 */
export function greyMaskImage(model: Raster, repaintMask: Mask): Raster {
  if (model.width !== repaintMask.width || model.height !== repaintMask.height) {
    throw new Error(
      `mask ${repaintMask.width}x${repaintMask.height} does not match image ${model.width}x${model.height}`,
    );
  }
  const channels = model.channels;
  const colourChannels = channels === 4 ? 3 : channels;
  const out = new Uint8Array(model.data);
  const mask = repaintMask.data;
  for (let i = 0, p = 0; i < mask.length; i++, p += channels) {
    const m = mask[i];
    if (m === 0) continue;
    if (m > 127) {
      for (let c = 0; c < colourChannels; c++) out[p + c] = MASK_GREY;
      continue;
    }
    const w = m / 127.5;
    for (let c = 0; c < colourChannels; c++) {
      out[p + c] = Math.round(out[p + c] * (1 - w) + MASK_GREY * w);
    }
  }
  return { width: model.width, height: model.height, channels, data: out };
}
