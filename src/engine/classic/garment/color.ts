/**
 * CIELAB images for the cut-out, from the shared conversion in imaging/colour.ts. Distances
 * between colours are plain Euclidean ΔE*76: the cut-out only compares colours against thresholds
 * derived from the same metric, so the cheaper formula suffices.
 */
import { labImage, rgbToLab as sharedRgbToLab } from '../../../imaging/colour.ts';
import type { Raster } from '../../../imaging/raster.ts';

/** L, a, b interleaved per pixel (L 0..100). */
export interface LabImage {
  width: number;
  height: number;
  data: Float32Array;
}

/** CIELAB of one 8-bit sRGB colour as a tuple (the shared conversion, see imaging/colour.ts). */
export function rgbToLab(r: number, g: number, b: number): [number, number, number] {
  const lab = sharedRgbToLab(r, g, b);
  return [lab[0], lab[1], lab[2]];
}

/** Converts an RGB or RGBA raster (alpha ignored) to Lab. */
export function rasterToLab(image: Raster): LabImage {
  return { width: image.width, height: image.height, data: labImage(image) };
}
