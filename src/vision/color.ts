/** sRGB (D65) <-> CIELAB conversions for colour models and distances. */
import type { Raster } from '../imaging/raster.ts';

const LINEAR = new Float32Array(256);
for (let i = 0; i < 256; i++) {
  const c = i / 255;
  LINEAR[i] = c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

function f(t: number): number {
  return t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116;
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

/** CIELAB of every pixel of an RGB raster: 3 floats per pixel. */
export function labImage(image: Raster): Float32Array {
  const n = image.width * image.height;
  const out = new Float32Array(n * 3);
  const ch = image.channels;
  for (let i = 0; i < n; i++) {
    rgbToLab(image.data[i * ch], image.data[i * ch + 1], image.data[i * ch + 2], out, i * 3);
  }
  return out;
}
