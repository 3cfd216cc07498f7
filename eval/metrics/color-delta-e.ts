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
/**
 * ΔE00 from the background colour under which a pixel may belong to the background: 4x the
 * band's median distance from that colour, within these bounds. The median, not a high percentile,
 * so a stripe of another colour along one edge (a frame line, a studio floor) does not open the
 * gate. The floor is low because white garments on off-white studio backgrounds differ from them
 * by only 3-6 ΔE00.
 */
export const BACKGROUND_TOLERANCE = { min: 3, max: 18, spreadFactor: 4 };
/** Sobel magnitude of L* (per pixel) above which a pixel is an edge: 3x the band's 90th percentile, within bounds. */
export const EDGE_TOLERANCE = { min: 1, max: 6, spreadFactor: 3 };
/**
 * Impassable pixels are grown by this share of the shorter side (5 px at 768x1024) before the
 * flood, sealing gaps of up to twice that in a pale garment's outline; the flood then gets the band
 * back where it is background-coloured.
 */
const SEAL_SHARE = 1 / 150;
/** Erosion of the cut-out, px: drops the anti-aliased rim and the contact shadow. */
const CUTOUT_EROSION = 2;

/**
 * The garment's pixels in a product shot on a plain background: the background colour is the
 * median of a thin band along the frame; the background is every pixel connected to the frame
 * through smooth pixels within a tolerance of that colour (so a white print inside a garment stays
 * garment), where colour steps and edges have first been thickened so the flood cannot slip through
 * a small gap in a pale garment's outline; the rest, eroded by 2 px, is the garment.
 * Deliberately simple and independent of the engine's own cut-out.
 */
export function garmentCutout(garment: Raster): Mask {
  const { width: w, height: h, channels: ch } = garment;
  if (ch < 3) throw new Error('garmentCutout needs an RGB raster');
  const n = w * h;
  const lab = rgbPixelsToLab(channels3(garment));
  const band = Math.max(2, Math.round(Math.min(w, h) * BORDER_SHARE));
  const borderIdx: number[] = [];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (x < band || y < band || x >= w - band || y >= h - band) borderIdx.push(y * w + x);
    }
  }
  const borderLab = new Float32Array(borderIdx.length * 3);
  borderIdx.forEach((p, i) => borderLab.set(lab.subarray(p * 3, p * 3 + 3), i * 3));
  const background: Lab = [channelMedian(borderLab, 0), channelMedian(borderLab, 1), channelMedian(borderLab, 2)];
  const distance = (p: number): number =>
    ciede2000Components(lab[p * 3], lab[p * 3 + 1], lab[p * 3 + 2], background[0], background[1], background[2]);

  // Tolerance follows the band's own spread (noise, vignetting), within fixed bounds.
  const spread = new Float32Array(borderIdx.length);
  borderIdx.forEach((p, i) => (spread[i] = distance(p)));
  spread.sort();
  const typical = spread[Math.floor(spread.length / 2)];
  const tolerance = Math.min(BACKGROUND_TOLERANCE.max, Math.max(BACKGROUND_TOLERANCE.min, BACKGROUND_TOLERANCE.spreadFactor * typical));

  // Edges stop the flood too: a white garment on an off-white ground is close to it in colour
  // but its outline is still a step in lightness, where the ground itself is smooth.
  const gradient = lightnessGradient(lab, w, h);
  const bandGradient = Float32Array.from(borderIdx, (p) => gradient[p]).sort();
  const gradientTolerance = Math.min(EDGE_TOLERANCE.max, Math.max(EDGE_TOLERANCE.min, EDGE_TOLERANCE.spreadFactor * bandGradient[Math.floor(bandGradient.length * 0.9)]));

  // Passable = background-like, not an edge, and not within the sealing radius of an impassable pixel.
  const foreground = createMask(w, h);
  const barrier = createMask(w, h);
  for (let p = 0; p < n; p++) {
    foreground.data[p] = distance(p) < tolerance ? 0 : 255;
    barrier.data[p] = foreground.data[p] !== 0 || gradient[p] > gradientTolerance ? 255 : 0;
  }
  const seal = Math.max(1, Math.round(Math.min(w, h) * SEAL_SHARE));
  const background0 = erode(invert(barrier), seal);

  // Flood fill (4-connected) from every passable frame pixel.
  const flooded = new Uint8Array(n);
  const stack: number[] = [];
  const visit = (p: number): void => {
    if (flooded[p] === 0 && background0.data[p] !== 0) {
      flooded[p] = 1;
      stack.push(p);
    }
  };
  for (let x = 0; x < w; x++) {
    visit(x);
    visit((h - 1) * w + x);
  }
  for (let y = 0; y < h; y++) {
    visit(y * w);
    visit(y * w + w - 1);
  }
  while (stack.length > 0) {
    const p = stack.pop() as number;
    const x = p % w;
    if (x > 0) visit(p - 1);
    if (x < w - 1) visit(p + 1);
    if (p >= w) visit(p - w);
    if (p < n - w) visit(p + w);
  }
  // Give the flood back the sealing band it could not enter, where that band is background-like.
  const floodMask = createMask(w, h);
  for (let p = 0; p < n; p++) floodMask.data[p] = flooded[p] ? 255 : 0;
  const grown = invert(erode(invert(floodMask), seal));
  const cutout = createMask(w, h);
  for (let p = 0; p < n; p++) cutout.data[p] = grown.data[p] !== 0 && foreground.data[p] === 0 ? 0 : 255;
  return erode(cutout, CUTOUT_EROSION);
}

/** |∇L*| by the Sobel operator, scaled to L* units per pixel (the kernel's weights sum to 8). */
function lightnessGradient(lab: Float32Array, w: number, h: number): Float32Array {
  const out = new Float32Array(w * h);
  const L = (x: number, y: number): number => lab[(Math.min(h - 1, Math.max(0, y)) * w + Math.min(w - 1, Math.max(0, x))) * 3];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const gx = L(x + 1, y - 1) + 2 * L(x + 1, y) + L(x + 1, y + 1) - L(x - 1, y - 1) - 2 * L(x - 1, y) - L(x - 1, y + 1);
      const gy = L(x - 1, y + 1) + 2 * L(x, y + 1) + L(x + 1, y + 1) - L(x - 1, y - 1) - 2 * L(x, y - 1) - L(x + 1, y - 1);
      out[y * w + x] = Math.hypot(gx, gy) / 8;
    }
  }
  return out;
}

function invert(mask: Mask): Mask {
  const out = createMask(mask.width, mask.height);
  for (let i = 0; i < mask.data.length; i++) out.data[i] = mask.data[i] >= 128 ? 0 : 255;
  return out;
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
