/**
 * In-memory pixel containers shared by every stage. Plain typed arrays (no class) so they cross
 * `worker_threads` boundaries by transfer and cost nothing to create.
 */

/** Interleaved 8-bit pixels, row-major, `channels` values per pixel (1 grey, 3 RGB, 4 RGBA). */
export interface Raster {
  width: number;
  height: number;
  channels: 1 | 3 | 4;
  data: Uint8Array;
}

/** One 8-bit coverage value per pixel: 0 = outside, 255 = fully inside, values between are soft edges. */
export interface Mask {
  width: number;
  height: number;
  data: Uint8Array;
}

/** One float per pixel (shading maps, distance fields, warp coordinates). */
export interface FloatMap {
  width: number;
  height: number;
  data: Float32Array;
}

export function createRaster(width: number, height: number, channels: 1 | 3 | 4): Raster {
  return { width, height, channels, data: new Uint8Array(width * height * channels) };
}

export function createMask(width: number, height: number): Mask {
  return { width, height, data: new Uint8Array(width * height) };
}

export function createFloatMap(width: number, height: number): FloatMap {
  return { width, height, data: new Float32Array(width * height) };
}
