/**
 * Small binary-mask helpers for the metrics. A soft mask counts as "inside" at 128 and above.
 */
import type { Mask, Raster } from '../../src/imaging/raster.ts';
import { createMask } from '../../src/imaging/raster.ts';

export const INSIDE = 128;

/** 255 where the mask is at least 128, else 0. */
export function binarize(mask: Mask): Mask {
  const out = createMask(mask.width, mask.height);
  for (let i = 0; i < mask.data.length; i++) out.data[i] = mask.data[i] >= INSIDE ? 255 : 0;
  return out;
}

/**
 * Erosion by a (2r+1) x (2r+1) square: a pixel stays inside only when every pixel within r
 * (Chebyshev distance) is inside. Pixels past the image border count as inside, so a garment
 * touching the frame edge is not eaten from that side.
 */
export function erode(mask: Mask, radius: number): Mask {
  const bin = binarize(mask);
  if (radius <= 0) return bin;
  const { width: w, height: h } = mask;
  const horizontal = createMask(w, h);
  for (let y = 0; y < h; y++) {
    // Running count of outside pixels in the window [x - r, x + r] of this row.
    let outside = 0;
    for (let x = 0; x <= Math.min(radius, w - 1); x++) if (bin.data[y * w + x] === 0) outside++;
    for (let x = 0; x < w; x++) {
      horizontal.data[y * w + x] = outside === 0 ? 255 : 0;
      const leaving = x - radius;
      const entering = x + radius + 1;
      if (leaving >= 0 && bin.data[y * w + leaving] === 0) outside--;
      if (entering < w && bin.data[y * w + entering] === 0) outside++;
    }
  }
  const out = createMask(w, h);
  for (let x = 0; x < w; x++) {
    let outside = 0;
    for (let y = 0; y <= Math.min(radius, h - 1); y++) if (horizontal.data[y * w + x] === 0) outside++;
    for (let y = 0; y < h; y++) {
      out.data[y * w + x] = outside === 0 ? 255 : 0;
      const leaving = y - radius;
      const entering = y + radius + 1;
      if (leaving >= 0 && horizontal.data[leaving * w + x] === 0) outside--;
      if (entering < h && horizontal.data[entering * w + x] === 0) outside++;
    }
  }
  return out;
}

/** Pixels inside both masks (binary result). */
export function intersect(a: Mask, b: Mask): Mask {
  assertSameSize(a, b);
  const out = createMask(a.width, a.height);
  for (let i = 0; i < a.data.length; i++) out.data[i] = a.data[i] >= INSIDE && b.data[i] >= INSIDE ? 255 : 0;
  return out;
}

export function countInside(mask: Mask): number {
  let n = 0;
  for (let i = 0; i < mask.data.length; i++) if (mask.data[i] >= INSIDE) n++;
  return n;
}

/** The RGB values (interleaved, n*3) of the raster's pixels inside the mask, in row-major order. */
export function pixelsInside(image: Raster, mask: Mask): Uint8Array {
  if (image.width !== mask.width || image.height !== mask.height) {
    throw new Error(`mask is ${mask.width}x${mask.height}, image ${image.width}x${image.height}`);
  }
  if (image.channels < 3) throw new Error('pixelsInside needs an RGB raster');
  const out = new Uint8Array(countInside(mask) * 3);
  const ch = image.channels;
  let o = 0;
  for (let p = 0; p < mask.data.length; p++) {
    if (mask.data[p] < INSIDE) continue;
    out[o++] = image.data[p * ch];
    out[o++] = image.data[p * ch + 1];
    out[o++] = image.data[p * ch + 2];
  }
  return out;
}

export function assertSameSize(a: { width: number; height: number }, b: { width: number; height: number }): void {
  if (a.width !== b.width || a.height !== b.height) {
    throw new Error(`sizes differ: ${a.width}x${a.height} vs ${b.width}x${b.height}`);
  }
}
