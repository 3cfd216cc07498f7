/**
 * Structural similarity (Wang, Bovik, Sheikh & Simoncelli, IEEE TIP 2004): the mean of the SSIM map
 * computed with an 11x11 Gaussian window (σ = 1.5), K1 = 0.01, K2 = 0.03, L = 255, on luma
 * Y = 0.299 R + 0.587 G + 0.114 B (Rec. 601, as MATLAB's rgb2gray), over the "valid" windows only
 * (no padding), as the authors' reference code does. No down-sampling step. This is the paired
 * number the try-on papers quote; see ENGINE-NOTES: report it, never tune for it.
 */
import type { Raster } from '../../src/imaging/raster.ts';

const WINDOW = 11;
const SIGMA = 1.5;
const C1 = (0.01 * 255) ** 2;
const C2 = (0.03 * 255) ** 2;

const KERNEL = ((): Float64Array => {
  const k = new Float64Array(WINDOW);
  const r = (WINDOW - 1) / 2;
  let sum = 0;
  for (let i = 0; i < WINDOW; i++) {
    k[i] = Math.exp(-((i - r) ** 2) / (2 * SIGMA * SIGMA));
    sum += k[i];
  }
  for (let i = 0; i < WINDOW; i++) k[i] /= sum;
  return k;
})();

/** Mean SSIM of two images of the same size (any channel count; colour is reduced to luma). */
export function ssim(a: Raster, b: Raster): number {
  if (a.width !== b.width || a.height !== b.height) {
    throw new Error(`ssim: images differ in size: ${a.width}x${a.height} vs ${b.width}x${b.height}`);
  }
  if (a.width < WINDOW || a.height < WINDOW) throw new Error(`ssim: images must be at least ${WINDOW}x${WINDOW}`);
  const x = luma(a);
  const y = luma(b);
  const n = x.length;
  const xx = new Float64Array(n);
  const yy = new Float64Array(n);
  const xy = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    xx[i] = x[i] * x[i];
    yy[i] = y[i] * y[i];
    xy[i] = x[i] * y[i];
  }
  const w = a.width;
  const h = a.height;
  const muX = filterValid(x, w, h);
  const muY = filterValid(y, w, h);
  const eXX = filterValid(xx, w, h);
  const eYY = filterValid(yy, w, h);
  const eXY = filterValid(xy, w, h);
  let total = 0;
  for (let i = 0; i < muX.length; i++) {
    const mx = muX[i];
    const my = muY[i];
    const vx = eXX[i] - mx * mx;
    const vy = eYY[i] - my * my;
    const cxy = eXY[i] - mx * my;
    total += ((2 * mx * my + C1) * (2 * cxy + C2)) / ((mx * mx + my * my + C1) * (vx + vy + C2));
  }
  return total / muX.length;
}

function luma(r: Raster): Float64Array {
  const n = r.width * r.height;
  const out = new Float64Array(n);
  if (r.channels === 1) {
    for (let i = 0; i < n; i++) out[i] = r.data[i];
    return out;
  }
  const ch = r.channels;
  for (let i = 0; i < n; i++) {
    const p = i * ch;
    out[i] = 0.299 * r.data[p] + 0.587 * r.data[p + 1] + 0.114 * r.data[p + 2];
  }
  return out;
}

/** Separable Gaussian filter keeping only windows entirely inside the image: (w-10) x (h-10). */
function filterValid(src: Float64Array, w: number, h: number): Float64Array {
  const ow = w - WINDOW + 1;
  const oh = h - WINDOW + 1;
  const rows = new Float64Array(ow * h);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < ow; x++) {
      let s = 0;
      for (let k = 0; k < WINDOW; k++) s += KERNEL[k] * src[row + x + k];
      rows[y * ow + x] = s;
    }
  }
  const out = new Float64Array(ow * oh);
  for (let y = 0; y < oh; y++) {
    for (let x = 0; x < ow; x++) {
      let s = 0;
      for (let k = 0; k < WINDOW; k++) s += KERNEL[k] * rows[(y + k) * ow + x];
      out[y * ow + x] = s;
    }
  }
  return out;
}
