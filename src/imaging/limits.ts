/**
 * The contract's image limits ("Image inputs"), shared by the decoder and the input resolver.
 * Every refusal is 10004; the byte limit answers HTTP 413 (as the multipart layer does for an
 * oversized part), whether the image came in the body or from a URL; the others answer 400.
 */
import { LIMITS } from '../config/limits.ts';

export interface ImageLimits {
  /** Largest accepted encoded image, in bytes. */
  maxBytes: number;
  /** Largest accepted decoded image, width x height. */
  maxPixels: number;
  /** Smallest accepted shortest side, in pixels. */
  minSide: number;
  /**
   * Largest accepted longest side, in pixels. Results are WebP at the model photo's size and WebP
   * cannot hold a side over 16383 px, so a wider photo is refused from its header instead of failing
   * at the encoder after a full engine run. Absent: no limit (trusted callers such as the eval tool).
   */
  maxSide?: number;
}

/** The WebP format's largest width or height, in pixels (libwebp WEBP_MAX_DIMENSION; config/limits.ts). */
export const WEBP_MAX_SIDE_PX = LIMITS.imageMaxSide;

/** The contract's: 20 MB, 40 megapixels, 128 px, 16383 px (config/limits.ts). */
export const DEFAULT_IMAGE_LIMITS: ImageLimits = Object.freeze({
  maxBytes: LIMITS.imageBytes,
  maxPixels: LIMITS.imagePixels,
  minSide: LIMITS.imageMinSide,
  maxSide: LIMITS.imageMaxSide,
});

/** `25.3 MB` for messages; rounds up so a size just over the limit never prints as the limit itself. */
export function formatMegabytes(bytes: number): string {
  const mb = Math.ceil((bytes / (1024 * 1024)) * 10) / 10;
  return `${Number.isInteger(mb) ? mb.toFixed(0) : mb.toFixed(1)} MB`;
}

/** `40 MP` / `48.1 MP` for messages. */
export function formatMegapixels(pixels: number): string {
  const mp = Math.ceil((pixels / 1_000_000) * 10) / 10;
  return `${Number.isInteger(mp) ? mp.toFixed(0) : mp.toFixed(1)} MP`;
}
