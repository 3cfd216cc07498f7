/**
 * Sampling a source image through a backward warp map. Bilinear on *premultiplied* colour: at the
 * garment's outline the transparent neighbours carry weight in alpha but none in colour, so the
 * edge keeps the garment's colour instead of fading towards whatever RGB sits under alpha 0 (on a
 * cut-out that is often black or the studio backdrop: the classic dark fringe).
 */
import { createRaster, type Mask, type Raster } from '../../../imaging/raster.ts';
import type { WarpMap } from './backward-map.ts';

/**
 * RGBA output the map's size. `source` may be RGBA (alpha respected), RGB or grey (opaque).
 * Positions outside the source contribute transparency, NaN positions give alpha 0 and RGB 0.
 * `sourceMask` (same size as the source) further multiplies the source's alpha, e.g. to take only
 * the body panel of a garment whose sleeves are warped separately.
 */
export function sampleRgba(source: Raster, map: WarpMap, sourceMask?: Mask): Raster {
  const { width: sw, height: sh, channels, data: src } = source;
  if (sourceMask && (sourceMask.width !== sw || sourceMask.height !== sh)) throw new Error('sampleRgba: source mask differs in size from the source');
  const out = createRaster(map.width, map.height, 4);
  const dst = out.data;
  const mx = map.x;
  const my = map.y;
  const maskData = sourceMask?.data;
  const n = map.width * map.height;
  const taps = [0, 0, 0, 0];
  const weights = [0, 0, 0, 0];
  for (let i = 0; i < n; i++) {
    const fx = mx[i];
    if (fx !== fx) continue; // NaN
    const fy = my[i];
    const x0 = Math.floor(fx);
    const y0 = Math.floor(fy);
    if (x0 < -1 || y0 < -1 || x0 >= sw || y0 >= sh) continue;
    const tx = fx - x0;
    const ty = fy - y0;
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
