/**
 * The one owner of colour conversions: sRGB codes <-> linear light (light mixes such as shading are
 * multiplications in linear light; on sRGB codes they would darken mid-tones and shift hues), and
 * sRGB (D65) <-> CIELAB for colour models and distances.
 */
import type { Raster } from './raster.ts';

/** sRGB code (0..255) → linear light 0..1. */
export const SRGB_TO_LINEAR: Float32Array = (() => {
  const table = new Float32Array(256);
  for (let i = 0; i < 256; i++) {
    const c = i / 255;
    table[i] = c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }
  return table;
})();

const LINEAR_STEPS = 65535;

/** Linear light quantised to 1/65535 → nearest sRGB code. Index with `linearToSrgb`. */
const LINEAR_TO_SRGB: Uint8Array = (() => {
  const table = new Uint8Array(LINEAR_STEPS + 1);
  for (let i = 0; i <= LINEAR_STEPS; i++) {
    const l = i / LINEAR_STEPS;
    const c = l <= 0.0031308 ? l * 12.92 : 1.055 * l ** (1 / 2.4) - 0.055;
    table[i] = Math.round(Math.min(1, Math.max(0, c)) * 255);
  }
  return table;
})();

/** Luminance (Rec. 709 weights) of a colour already in linear light. */
export function linearLuminance(r: number, g: number, b: number): number {
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** Linear-light luminance (Rec. 709 weights) of an 8-bit sRGB colour. */
export function srgbLuminance(r: number, g: number, b: number): number {
  // No helper closure: this runs per pixel, and a closure made on every call costs more than the sum.
  const lr = SRGB_TO_LINEAR[Math.max(0, Math.min(255, Math.round(r)))];
  const lg = SRGB_TO_LINEAR[Math.max(0, Math.min(255, Math.round(g)))];
  const lb = SRGB_TO_LINEAR[Math.max(0, Math.min(255, Math.round(b)))];
  return linearLuminance(lr, lg, lb);
}

/** Linear light (clamped to 0..1) → sRGB code. */
export function linearToSrgb(linear: number): number {
  if (!(linear > 0)) return 0;
  if (linear >= 1) return 255;
  return LINEAR_TO_SRGB[Math.round(linear * LINEAR_STEPS)];
}

const LINEAR = SRGB_TO_LINEAR;

function f(t: number): number {
  return t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116;
}

/** f() tabulated over 0..1.1 (all 8-bit sRGB lands inside) for the per-pixel conversion. */
const F_STEPS = 4096;
const F_MAX = 1.1;
const F_TABLE = new Float32Array(F_STEPS + 2);
for (let i = 0; i <= F_STEPS + 1; i++) F_TABLE[i] = f((i / F_STEPS) * F_MAX);

function fFast(t: number): number {
  const u = (t / F_MAX) * F_STEPS;
  const i = u | 0;
  const frac = u - i;
  return F_TABLE[i] + (F_TABLE[i + 1] - F_TABLE[i]) * frac;
}

/** CIELAB (L 0..100) of an 8-bit sRGB colour, written into `out` at `offset`. */
export function rgbToLab(r: number, g: number, b: number, out: Float32Array | number[] = [0, 0, 0], offset = 0): Float32Array | number[] {
  const lr = LINEAR[r];
  const lg = LINEAR[g];
  const lb = LINEAR[b];
  const x = f((0.4124 * lr + 0.3576 * lg + 0.1805 * lb) / 0.95047);
  const y = f(0.2126 * lr + 0.7152 * lg + 0.0722 * lb);
  const z = f((0.0193 * lr + 0.1192 * lg + 0.9505 * lb) / 1.08883);
  out[offset] = 116 * y - 16;
  out[offset + 1] = 500 * (x - y);
  out[offset + 2] = 200 * (y - z);
  return out;
}

/**
 * CIELAB chroma over lightness + 16: a colour's saturation as light on it changes. Scaling a colour's
 * linear light by k scales L* + 16 and a*, b* alike by k^(1/3) (above the CIE's linear toe), so
 * a shaded colour keeps it where its chroma falls.
 */
export function labSaturation(l: number, a: number, b: number): number {
  return Math.hypot(a, b) / Math.max(1, l + 16);
}

/** 8-bit sRGB of a CIELAB colour. */
export function labToRgb(l: number, a: number, b: number): [number, number, number] {
  const fy = (l + 16) / 116;
  const fx = fy + a / 500;
  const fz = fy - b / 200;
  const inv = (t: number) => (t ** 3 > 0.008856 ? t ** 3 : (t - 16 / 116) / 7.787);
  const x = inv(fx) * 0.95047;
  const y = inv(fy);
  const z = inv(fz) * 1.08883;
  const lin = [
    3.2406 * x - 1.5372 * y - 0.4986 * z,
    -0.9689 * x + 1.8758 * y + 0.0415 * z,
    0.0557 * x - 0.204 * y + 1.057 * z,
  ];
  return lin.map((c) => {
    const v = c <= 0.0031308 ? 12.92 * c : 1.055 * Math.max(0, c) ** (1 / 2.4) - 0.055;
    return Math.round(Math.min(1, Math.max(0, v)) * 255);
  }) as [number, number, number];
}

/** CIE L* of every pixel of an RGB raster, one float each: labImage's lightness to the bit, a third of its memory. */
export function lightnessImage(image: Raster): Float32Array {
  const { channels: ch, data } = image;
  const out = new Float32Array(image.width * image.height);
  for (let i = 0; i < out.length; i++) {
    out[i] = 116 * fFast(0.2126 * LINEAR[data[i * ch]] + 0.7152 * LINEAR[data[i * ch + 1]] + 0.0722 * LINEAR[data[i * ch + 2]]) - 16;
  }
  return out;
}

/**
 * CIELAB of the pixels of an RGB raster: 3 floats per pixel, image-sized. With `region`
 * (x0, y0 inclusive; x1, y1 exclusive) only that rectangle is converted; the rest stays 0.
 * Uses a tabulated cube root (error < 0.01 L units).
 */
export function labImage(image: Raster, region?: { x0: number; y0: number; x1: number; y1: number }): Float32Array {
  const { width: w, height: h, channels: ch, data } = image;
  const out = new Float32Array(w * h * 3);
  const r = region ?? { x0: 0, y0: 0, x1: w, y1: h };
  for (let y = r.y0; y < r.y1; y++) {
    for (let x = r.x0; x < r.x1; x++) {
      const i = y * w + x;
      const lr = LINEAR[data[i * ch]];
      const lg = LINEAR[data[i * ch + 1]];
      const lb = LINEAR[data[i * ch + 2]];
      const fx = fFast((0.4124 * lr + 0.3576 * lg + 0.1805 * lb) / 0.95047);
      const fy = fFast(0.2126 * lr + 0.7152 * lg + 0.0722 * lb);
      const fz = fFast((0.0193 * lr + 0.1192 * lg + 0.9505 * lb) / 1.08883);
      out[i * 3] = 116 * fy - 16;
      out[i * 3 + 1] = 500 * (fx - fy);
      out[i * 3 + 2] = 200 * (fy - fz);
    }
  }
  return out;
}
