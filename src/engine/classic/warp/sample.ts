/**
 * Sampling a source image through a backward warp map. Bilinear on *premultiplied* colour: at the
 * garment's outline the transparent neighbours carry weight in alpha but none in colour, so the
 * edge keeps the garment's colour instead of fading towards whatever RGB sits under alpha 0 (on a
 * cut-out that is often black or the studio backdrop: the classic dark fringe).
 */
import { createRaster, type Mask, type Raster } from '../../../imaging/raster.ts';
import type { WarpMap } from './backward-map.ts';

export interface SampleOptions {
  /**
   * Anti-aliasing when the warp shrinks the source (default true): if the map reads on average
   * 1.5 or more source pixels per output pixel, it samples a box-reduced copy of the source (a
   * mip level) instead, so fine prints, stripes and text do not shimmer into moiré.
   */
  antialias?: boolean;
}

/**
 * RGBA output the map's size. `source` may be RGBA (alpha respected), RGB or grey (opaque).
 * Positions outside the source contribute transparency, NaN positions give alpha 0 and RGB 0.
 * `sourceMask` (same size as the source) further multiplies the source's alpha, e.g. to take only
 * the body panel of a garment whose sleeves are warped separately.
 */
export function sampleRgba(source: Raster, map: WarpMap, sourceMask?: Mask, options: SampleOptions = {}): Raster {
  if (sourceMask && (sourceMask.width !== source.width || sourceMask.height !== source.height)) {
    throw new Error('sampleRgba: source mask differs in size from the source');
  }
  if (options.antialias ?? true) {
    const factor = Math.round(warpMapScale(map));
    if (factor >= 2) return sampleBilinear(reduceSource(source, sourceMask, factor), map, undefined, factor);
  }
  return sampleBilinear(source, map, sourceMask, 1);
}

/**
 * Typical minification of a map: the median, over a sparse grid of output pixels, of √|det J|
 * (source pixels per output pixel, by area). 1 for an identity map, 0 when nothing is defined.
 */
export function warpMapScale(map: WarpMap): number {
  const { width: w, height: h, x, y } = map;
  const step = Math.max(1, Math.floor(Math.sqrt((w * h) / 4000)));
  const scales: number[] = [];
  for (let row = 0; row < h - 1; row += step) {
    for (let col = 0; col < w - 1; col += step) {
      const i = row * w + col;
      const x0 = x[i];
      const xr = x[i + 1];
      const xd = x[i + w];
      if (x0 !== x0 || xr !== xr || xd !== xd) continue;
      const det = (xr - x0) * (y[i + w] - y[i]) - (xd - x0) * (y[i + 1] - y[i]);
      scales.push(Math.sqrt(Math.abs(det)));
    }
  }
  if (scales.length === 0) return 0;
  scales.sort((a, b) => a - b);
  return scales[scales.length >> 1];
}

/**
 * factor×factor box reduction of (source alpha × mask) with premultiplied colour, stored as
 * straight-alpha RGBA: the mip level that `sampleBilinear` reads with coordinates divided by factor.
 */
function reduceSource(source: Raster, sourceMask: Mask | undefined, factor: number): Raster {
  const { width: w, height: h, channels, data } = source;
  const rw = Math.ceil(w / factor);
  const rh = Math.ceil(h / factor);
  const sums = new Float64Array(rw * rh * 4);
  const counts = new Float64Array(rw * rh);
  const mask = sourceMask?.data;
  const block = new Int32Array(w);
  for (let x = 0; x < w; x++) block[x] = (x / factor) | 0;
  if (channels === 4 && !mask) {
    // Common case (an RGBA cut-out, no mask), without the per-pixel branches below.
    for (let y = 0; y < h; y++) {
      const rrow = ((y / factor) | 0) * rw;
      for (let x = 0, p = y * w * 4; x < w; x++, p += 4) {
        const o = rrow + block[x];
        counts[o] += 1;
        const a = data[p + 3];
        if (a === 0) continue;
        const q = o * 4;
        sums[q] += a * data[p];
        sums[q + 1] += a * data[p + 1];
        sums[q + 2] += a * data[p + 2];
        sums[q + 3] += a;
      }
    }
    return finishReduction(sums, counts, rw, rh);
  }
  for (let y = 0; y < h; y++) {
    const rrow = ((y / factor) | 0) * rw;
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const o = rrow + block[x];
      counts[o] += 1;
      let a = channels === 4 ? data[i * 4 + 3] : 255;
      if (mask) a = (a * mask[i]) / 255;
      if (a === 0) continue;
      const p = i * channels;
      const q = o * 4;
      if (channels === 1) {
        sums[q] += a * data[p];
        sums[q + 1] += a * data[p];
        sums[q + 2] += a * data[p];
      } else {
        sums[q] += a * data[p];
        sums[q + 1] += a * data[p + 1];
        sums[q + 2] += a * data[p + 2];
      }
      sums[q + 3] += a;
    }
  }
  return finishReduction(sums, counts, rw, rh);
}

function finishReduction(sums: Float64Array, counts: Float64Array, rw: number, rh: number): Raster {
  const out = createRaster(rw, rh, 4);
  for (let o = 0; o < rw * rh; o++) {
    const a = sums[o * 4 + 3];
    if (a === 0) continue;
    out.data[o * 4] = Math.round(sums[o * 4] / a);
    out.data[o * 4 + 1] = Math.round(sums[o * 4 + 1] / a);
    out.data[o * 4 + 2] = Math.round(sums[o * 4 + 2] / a);
    out.data[o * 4 + 3] = Math.round(a / counts[o]);
  }
  return out;
}

/** Bilinear premultiplied sampling; map coordinates address a source reduced by `factor`. */
function sampleBilinear(source: Raster, map: WarpMap, sourceMask: Mask | undefined, factor: number): Raster {
  const { width: sw, height: sh, channels, data: src } = source;
  const inv = 1 / factor;
  const shift = 0.5 * inv - 0.5; // pixel centre u of the full source sits at (u + 0.5)/factor − 0.5
  const out = createRaster(map.width, map.height, 4);
  const dst = out.data;
  const mx = map.x;
  const my = map.y;
  const maskData = sourceMask?.data;
  const n = map.width * map.height;
  const rgbaFast = channels === 4 && !maskData;
  const taps = [0, 0, 0, 0];
  const weights = [0, 0, 0, 0];
  for (let i = 0; i < n; i++) {
    const mxi = mx[i];
    if (mxi !== mxi) continue; // NaN
    const fx = factor === 1 ? mxi : mxi * inv + shift;
    const fy = factor === 1 ? my[i] : my[i] * inv + shift;
    const x0 = Math.floor(fx);
    const y0 = Math.floor(fy);
    if (x0 < -1 || y0 < -1 || x0 >= sw || y0 >= sh) continue;
    const tx = fx - x0;
    const ty = fy - y0;
    if (rgbaFast && x0 >= 0 && y0 >= 0 && x0 + 1 < sw && y0 + 1 < sh) {
      // Common case: RGBA source, no mask, all four taps inside.
      const p00 = (y0 * sw + x0) * 4;
      const p10 = p00 + 4;
      const p01 = p00 + sw * 4;
      const p11 = p01 + 4;
      const w00 = (1 - tx) * (1 - ty) * src[p00 + 3];
      const w10 = tx * (1 - ty) * src[p10 + 3];
      const w01 = (1 - tx) * ty * src[p01 + 3];
      const w11 = tx * ty * src[p11 + 3];
      const alpha = w00 + w10 + w01 + w11;
      if (alpha <= 0) continue;
      const o = i * 4;
      dst[o] = Math.round((w00 * src[p00] + w10 * src[p10] + w01 * src[p01] + w11 * src[p11]) / alpha);
      dst[o + 1] = Math.round((w00 * src[p00 + 1] + w10 * src[p10 + 1] + w01 * src[p01 + 1] + w11 * src[p11 + 1]) / alpha);
      dst[o + 2] = Math.round((w00 * src[p00 + 2] + w10 * src[p10 + 2] + w01 * src[p01 + 2] + w11 * src[p11 + 2]) / alpha);
      dst[o + 3] = Math.round(alpha);
      continue;
    }
    let count = 0;
    const inX0 = x0 >= 0;
    const inX1 = x0 + 1 < sw;
    const inY0 = y0 >= 0;
    const inY1 = y0 + 1 < sh;
    if (inY0) {
      if (inX0) { taps[count] = y0 * sw + x0; weights[count++] = (1 - tx) * (1 - ty); }
      if (inX1) { taps[count] = y0 * sw + x0 + 1; weights[count++] = tx * (1 - ty); }
    }
    if (inY1) {
      if (inX0) { taps[count] = (y0 + 1) * sw + x0; weights[count++] = (1 - tx) * ty; }
      if (inX1) { taps[count] = (y0 + 1) * sw + x0 + 1; weights[count++] = tx * ty; }
    }
    let r = 0;
    let g = 0;
    let b = 0;
    let a = 0;
    for (let k = 0; k < count; k++) {
      const p = taps[k];
      let alpha = channels === 4 ? src[p * 4 + 3] : 255;
      if (maskData) alpha = (alpha * maskData[p]) / 255;
      const w = weights[k] * alpha;
      if (w === 0) continue;
      a += w;
      if (channels === 1) {
        const v = src[p];
        r += w * v;
        g += w * v;
        b += w * v;
      } else {
        const q = p * channels;
        r += w * src[q];
        g += w * src[q + 1];
        b += w * src[q + 2];
      }
    }
    if (a <= 0) continue;
    const o = i * 4;
    dst[o] = Math.round(r / a);
    dst[o + 1] = Math.round(g / a);
    dst[o + 2] = Math.round(b / a);
    dst[o + 3] = Math.round(a);
  }
  return out;
}
