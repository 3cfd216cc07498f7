/**
 * Does the rendered garment keep the product's colours? CIEDE2000 between the dominant colours of
 * the garment photo's cut-out and those of the rendered garment, after normalising lightness for
 * shading: the rendered pixels are re-exposed (one factor on their linear-light RGB) so that their
 * median L* equals the cut-out's median L*. The photo's light may make the garment darker or
 * brighter overall, and that is not a colour error. A plain shift of L* would also match the
 * medians, but a shadow multiplies light, so it lowers L* of a light colour more than a dark one's
 * and lowers chroma too: a shift leaves ΔE ≈ 3.6 for a striped shirt under a 20 % shadow, the
 * exposure factor ≈ 0.
 * Palettes are weighted k-means (k = 3..5) compared with the Earth Mover's Distance, so both the
 * colours and their proportions count.
 *
 * The cut-out is computed here, from the garment photo alone, and never taken from the engine:
 * the engine's own cut-out could otherwise hide its mistakes from the metric.
 */
import type { Mask, Raster } from '../../src/imaging/raster.ts';
import { createMask } from '../../src/imaging/raster.ts';
import type { Lab } from './ciede2000.ts';
import { ciede2000Components, luminanceOfLightness, rgbPixelsToLab } from './ciede2000.ts';
import { erode } from './mask-ops.ts';
import type { PaletteEntry } from './palette.ts';
import { dominantPalette, paletteDistance } from './palette.ts';

/** Fewer pixels than this on either side and the palette is noise: the metric reports null. */
export const MIN_PIXELS = 64;

export interface ColorDeltaEResult {
  /** EMD between the palettes in ΔE00 units: ~0-2 same colours, 5-10 visibly off, 30+ another colour. */
  deltaE: number;
  /** Factor on the rendered pixels' linear RGB that matched the medians of L* (> 1: the render was darker). */
  exposure: number;
  garmentPalette: PaletteEntry[];
  renderedPalette: PaletteEntry[];
}

/**
 * @param garmentCutoutPixels interleaved RGB of the garment's own pixels (see `garmentCutout`)
 * @param renderedGarmentPixels interleaved RGB of the result inside the rendered garment
 */
export function colorDeltaE(garmentCutoutPixels: Uint8Array, renderedGarmentPixels: Uint8Array): ColorDeltaEResult | null {
  if (garmentCutoutPixels.length / 3 < MIN_PIXELS || renderedGarmentPixels.length / 3 < MIN_PIXELS) return null;
  const garmentLab = rgbPixelsToLab(garmentCutoutPixels);
  const exposure = exposureMatching(medianLightness(garmentLab), medianLightness(rgbPixelsToLab(renderedGarmentPixels)));
  const renderedLab = rgbPixelsToLab(renderedGarmentPixels, exposure);
  const garmentPalette = dominantPalette(garmentLab);
  const renderedPalette = dominantPalette(renderedLab);
  return { deltaE: paletteDistance(garmentPalette, renderedPalette), exposure, garmentPalette, renderedPalette };
}

/** Bounds on the exposure factor: beyond 16x either way the render is black or blown out, not shaded. */
const MAX_EXPOSURE = 16;

/** The linear-light factor that maps lightness `from` onto `to` (L* is monotone in Y). */
export function exposureMatching(to: number, from: number): number {
  const yFrom = luminanceOfLightness(from);
  if (yFrom <= 0) return MAX_EXPOSURE;
  const k = luminanceOfLightness(to) / yFrom;
  return Math.min(MAX_EXPOSURE, Math.max(1 / MAX_EXPOSURE, k));
}

export function medianLightness(lab: Float32Array): number {
  const n = lab.length / 3;
  const ls = new Float32Array(n);
  for (let i = 0; i < n; i++) ls[i] = lab[i * 3];
  ls.sort();
  return n % 2 === 1 ? ls[(n - 1) / 2] : (ls[n / 2 - 1] + ls[n / 2]) / 2;
}

/** Width of the frame band whose colour defines "background", as a share of the shorter side. */
const BORDER_SHARE = 0.01;
/** ΔE00 from the background colour under which a pixel may belong to the background. */
const MIN_BACKGROUND_TOLERANCE = 6;
const MAX_BACKGROUND_TOLERANCE = 18;
/** Erosion of the cut-out, px: drops the anti-aliased rim and the contact shadow. */
const CUTOUT_EROSION = 2;

/**
 * The garment's pixels in a product shot on a plain background: the background colour is the
 * median of a thin band along the frame; the background is every pixel connected to the frame
 * through pixels within a tolerance of that colour (so a white print inside a garment stays
 * garment); the rest, eroded by 2 px, is the garment. Deliberately simple and engine-independent.
 */
export function garmentCutout(garment: Raster): Mask {
  const { width: w, height: h, channels: ch } = garment;
  if (ch < 3) throw new Error('garmentCutout needs an RGB raster');
  const band = Math.max(2, Math.round(Math.min(w, h) * BORDER_SHARE));
  const borderIdx: number[] = [];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (x < band || y < band || x >= w - band || y >= h - band) borderIdx.push(y * w + x);
    }
  }
  const rgbAt = (p: number): [number, number, number] => [garment.data[p * ch], garment.data[p * ch + 1], garment.data[p * ch + 2]];
  const borderRgb = new Uint8Array(borderIdx.length * 3);
  borderIdx.forEach((p, i) => borderRgb.set(rgbAt(p), i * 3));
  const borderLab = rgbPixelsToLab(borderRgb);
  const background: Lab = [channelMedian(borderLab, 0), channelMedian(borderLab, 1), channelMedian(borderLab, 2)];

  // Tolerance follows the band's own spread (noise, vignetting), within fixed bounds.
  const spread = new Float32Array(borderIdx.length);
  for (let i = 0; i < borderIdx.length; i++) {
    spread[i] = ciede2000Components(borderLab[i * 3], borderLab[i * 3 + 1], borderLab[i * 3 + 2], background[0], background[1], background[2]);
  }
  spread.sort();
  const p90 = spread[Math.floor(spread.length * 0.9)];
  const tolerance = Math.min(MAX_BACKGROUND_TOLERANCE, Math.max(MIN_BACKGROUND_TOLERANCE, 2 * p90));

  const allLab = rgbPixelsToLab(channels3(garment));
  const isBackgroundLike = (p: number): boolean =>
    ciede2000Components(allLab[p * 3], allLab[p * 3 + 1], allLab[p * 3 + 2], background[0], background[1], background[2]) < tolerance;

  // Flood fill (4-connected) from every background-like frame pixel.
  const state = new Uint8Array(w * h); // 0 unvisited, 1 background, 2 rejected
  const stack: number[] = [];
  for (const p of borderIdx) {
    const x = p % w;
    const y = (p - x) / w;
    if (x !== 0 && y !== 0 && x !== w - 1 && y !== h - 1) continue;
    if (state[p] === 0) {
      state[p] = isBackgroundLike(p) ? 1 : 2;
      if (state[p] === 1) stack.push(p);
    }
  }
  while (stack.length > 0) {
    const p = stack.pop() as number;
    const x = p % w;
    const neighbours = [x > 0 ? p - 1 : -1, x < w - 1 ? p + 1 : -1, p >= w ? p - w : -1, p < w * (h - 1) ? p + w : -1];
    for (const q of neighbours) {
      if (q < 0 || state[q] !== 0) continue;
      state[q] = isBackgroundLike(q) ? 1 : 2;
      if (state[q] === 1) stack.push(q);
    }
  }
  const cutout = createMask(w, h);
  for (let p = 0; p < w * h; p++) cutout.data[p] = state[p] === 1 ? 0 : 255;
  return erode(cutout, CUTOUT_EROSION);
}

function channelMedian(lab: Float32Array, channel: number): number {
  const n = lab.length / 3;
  const values = new Float32Array(n);
  for (let i = 0; i < n; i++) values[i] = lab[i * 3 + channel];
  values.sort();
  return values[Math.floor(n / 2)];
}

function channels3(r: Raster): Uint8Array {
  if (r.channels === 3) return r.data;
  const n = r.width * r.height;
  const out = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) out.set(r.data.subarray(i * r.channels, i * r.channels + 3), i * 3);
  return out;
}
