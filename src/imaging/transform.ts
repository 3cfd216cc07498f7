/**
 * Exact geometric transforms of rasters and masks: mirror left-right, frame with a border of
 * replicated edge pixels, crop. No resampling: every output pixel is a copy of an input pixel, so
 * a transform followed by its inverse (mirror twice; frame then crop the frame away) gives the input
 * back bit for bit. Used to run the engine on an equivalent view of a photo (src/sampling/).
 */
import type { Mask, Raster } from './raster.ts';

/** A Raster or a Mask: rows of `width` pixels of `channels` bytes (a Mask has one). */
type Pixels = Raster | Mask;

const channelsOf = (image: Pixels) => ('channels' in image ? image.channels : 1);

function like<T extends Pixels>(image: T, width: number, height: number, data: Uint8Array): T {
  return { ...image, width, height, data };
}

/** The image mirrored left-right. */
export function mirrorX<T extends Pixels>(image: T): T {
  const { width, height } = image;
  const c = channelsOf(image);
  const out = new Uint8Array(image.data.length);
  for (let y = 0; y < height; y++) {
    const row = y * width * c;
    for (let x = 0; x < width; x++) {
      const from = row + x * c;
      const to = row + (width - 1 - x) * c;
      for (let k = 0; k < c; k++) out[to + k] = image.data[from + k];
    }
  }
  return like(image, width, height, out);
}

/** The image inside a border `margin` px wide on every side, each border pixel a copy of the nearest edge pixel. */
export function frameWithEdges<T extends Pixels>(image: T, margin: number): T {
  const { width, height } = image;
  const c = channelsOf(image);
  const w = width + 2 * margin;
  const h = height + 2 * margin;
  const out = new Uint8Array(w * h * c);
  for (let y = 0; y < h; y++) {
    const sy = Math.min(height - 1, Math.max(0, y - margin));
    for (let x = 0; x < w; x++) {
      const sx = Math.min(width - 1, Math.max(0, x - margin));
      const from = (sy * width + sx) * c;
      const to = (y * w + x) * c;
      for (let k = 0; k < c; k++) out[to + k] = image.data[from + k];
    }
  }
  return like(image, w, h, out);
}

/** The `width` x `height` region whose top-left pixel is (`left`, `top`). */
export function crop<T extends Pixels>(image: T, left: number, top: number, width: number, height: number): T {
  if (left < 0 || top < 0 || left + width > image.width || top + height > image.height) {
    throw new Error(`crop ${width}x${height}+${left}+${top} lies outside ${image.width}x${image.height}`);
  }
  const c = channelsOf(image);
  const out = new Uint8Array(width * height * c);
  for (let y = 0; y < height; y++) {
    const from = ((top + y) * image.width + left) * c;
    out.set(image.data.subarray(from, from + width * c), y * width * c);
  }
  return like(image, width, height, out);
}
