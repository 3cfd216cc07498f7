/**
 * sRGB -> CIELAB for whole images, through lookup tables so that a 768x1024 photo converts in a few
 * tens of milliseconds. Distances between colours are plain Euclidean ΔE*76: the cut-out only
 * compares colours against thresholds derived from the same metric, so the cheaper formula suffices.
 */
import type { Raster } from '../../../imaging/raster.ts';

/** L, a, b interleaved per pixel (L 0..100). */
export interface LabImage {
  width: number;
  height: number;
  data: Float32Array;
}

const SRGB_TO_LINEAR = new Float32Array(256);
for (let i = 0; i < 256; i++) {
  const c = i / 255;
  SRGB_TO_LINEAR[i] = c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

// f(t) of the CIELAB definition, tabulated on [0, 1] (every normalised XYZ of an sRGB colour lies there).
const F_STEPS = 4096;
const F_TABLE = new Float32Array(F_STEPS + 2);
for (let i = 0; i <= F_STEPS + 1; i++) {
  const t = i / F_STEPS;
  F_TABLE[i] = t > 216 / 24389 ? Math.cbrt(t) : (24389 / 27 * t + 16) / 116;
}
function f(t: number): number {
  const s = Math.min(Math.max(t, 0), 1) * F_STEPS;
  const i = Math.floor(s);
  const frac = s - i;
  return F_TABLE[i] + (F_TABLE[i + 1] - F_TABLE[i]) * frac;
}

// D65 white point.
const XN = 0.95047;
const ZN = 1.08883;

export function rgbToLab(r: number, g: number, b: number): [number, number, number] {
  const rl = SRGB_TO_LINEAR[r];
  const gl = SRGB_TO_LINEAR[g];
  const bl = SRGB_TO_LINEAR[b];
  const fx = f((0.4124 * rl + 0.3576 * gl + 0.1805 * bl) / XN);
  const fy = f(0.2126 * rl + 0.7152 * gl + 0.0722 * bl);
  const fz = f((0.0193 * rl + 0.1192 * gl + 0.9505 * bl) / ZN);
  return [116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)];
}

/** Converts an RGB or RGBA raster (alpha ignored) to Lab. */
export function rasterToLab(image: Raster): LabImage {
  const { width, height, channels, data } = image;
  const n = width * height;
  const out = new Float32Array(n * 3);
  for (let i = 0, p = 0; i < n; i++, p += channels) {
    const rl = SRGB_TO_LINEAR[data[p]];
    const gl = SRGB_TO_LINEAR[data[p + 1]];
    const bl = SRGB_TO_LINEAR[data[p + 2]];
    const fx = f((0.4124 * rl + 0.3576 * gl + 0.1805 * bl) / XN);
    const fy = f(0.2126 * rl + 0.7152 * gl + 0.0722 * bl);
    const fz = f((0.0193 * rl + 0.1192 * gl + 0.9505 * bl) / ZN);
    out[i * 3] = 116 * fy - 16;
    out[i * 3 + 1] = 500 * (fx - fy);
    out[i * 3 + 2] = 200 * (fy - fz);
  }
  return { width, height, data: out };
}
