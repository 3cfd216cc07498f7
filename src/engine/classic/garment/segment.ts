/**
 * Separates a garment from a product-shot backdrop.
 *
 * The backdrop is modelled from the border (background.ts); a flood fill from the border then eats
 * every pixel that looks like backdrop and is reachable without crossing an edge. Two rules decide
 * "looks like backdrop": colour within a tolerance scaled to the border's own noise, and for pixels
 * that are only slightly off (a white garment on a white sweep, a soft shadow) additionally a low
 * local gradient, so that the flood stops at the faint outline of a white garment and walks through
 * the smooth gradient of a shadow. Whatever the flood cannot reach is garment, so holes inside the
 * garment (white print areas, a white lining) are filled by construction.
 */
import { EngineInputError } from '../../types.ts';
import type { Raster } from '../../../imaging/raster.ts';
import { fitBackground, backgroundDifference, type BackgroundModel } from './background.ts';
import { rasterToLab, type LabImage } from './color.ts';
import { labelComponents } from './components.ts';

export interface Segmentation {
  /** 1 where garment (or garment-plus-person before skin removal), else 0. */
  foreground: Uint8Array;
  lab: LabImage;
  background: BackgroundModel;
}

/** L gradient magnitude (Sobel, in L units per pixel) of a lightly smoothed L channel. */
export function lightnessGradient(lab: LabImage): Float32Array {
  const { width: w, height: h, data } = lab;
  const l = new Float32Array(w * h);
  for (let i = 0; i < w * h; i++) l[i] = data[i * 3];
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    const ym = y > 0 ? y - 1 : y;
    const yp = y < h - 1 ? y + 1 : y;
    for (let x = 0; x < w; x++) {
      const xm = x > 0 ? x - 1 : x;
      const xp = x < w - 1 ? x + 1 : x;
      const a = l[ym * w + xm], b = l[ym * w + x], c = l[ym * w + xp];
      const d = l[y * w + xm], f = l[y * w + xp];
      const g = l[yp * w + xm], hh = l[yp * w + x], i = l[yp * w + xp];
      const gx = c + 2 * f + i - a - 2 * d - g;
      const gy = g + 2 * hh + i - a - 2 * b - c;
      out[y * w + x] = Math.sqrt(gx * gx + gy * gy) / 8;
    }
  }
  return out;
}

export interface Tolerances {
  /** Colour distance below which a pixel is backdrop whatever its gradient. */
  tight: number;
  /** Colour distance below which a pixel is backdrop when the local gradient is low. */
  loose: number;
  /** Texture (3x3 mean L gradient, L per px) that counts as garment or edge. */
  edge: number;
  /** Texture of a real outline, which even the regrowth along edges does not cross. */
  edgeStrong: number;
  /** Deepest darkening (ΔL) still accepted as the backdrop's shadow. */
  shadow: number;
}

export function tolerancesFor(model: BackgroundModel): Tolerances {
  const loose = Math.min(14, Math.max(1.2, 3.5 * model.noise + 0.8));
  const edge = Math.min(4, Math.max(0.04, 1.5 * model.gradientNoise + 0.03));
  return {
    tight: Math.min(loose, Math.max(0.6, 1.5 * model.noise + 0.3)),
    loose,
    edge,
    edgeStrong: Math.max(0.6, 3 * edge),
    shadow: 22,
  };
}

/** 3x3 box mean of the gradient: a texture measure that also closes one-pixel gaps in faint outlines. */
export function boxMean3(values: Float32Array, width: number, height: number): Float32Array {
  const tmp = new Float32Array(width * height);
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const a = values[row + (x > 0 ? x - 1 : x)];
      const c = values[row + (x < width - 1 ? x + 1 : x)];
      tmp[row + x] = (a + values[row + x] + c) / 3;
    }
  }
  for (let y = 0; y < height; y++) {
    const up = (y > 0 ? y - 1 : y) * width;
    const down = (y < height - 1 ? y + 1 : y) * width;
    const row = y * width;
    for (let x = 0; x < width; x++) out[row + x] = (tmp[up + x] + tmp[row + x] + tmp[down + x]) / 3;
  }
  return out;
}

/**
 * Flood-fills the backdrop from the border; returns 1 for backdrop pixels.
 *
 * Pixels brighter than the backdrop weigh double: studio sweeps are a shade darker than the white
 * garments shot on them, while shadows (darker) must be walked through.
 */
export function floodBackdrop(
  width: number,
  height: number,
  dL: Float32Array,
  dChroma: Float32Array,
  texture: Float32Array,
  tol: Tolerances,
): Uint8Array {
  const n = width * height;
  // 0: garment-like, 1: backdrop colour, 2: backdrop-like (only slightly off, or a shadow).
  const kind = new Uint8Array(n);
  for (let p = 0; p < n; p++) {
    const l = dL[p] > 0 ? 2 * dL[p] : dL[p];
    const d = Math.sqrt(l * l + dChroma[p] * dChroma[p]);
    if (d < tol.tight) kind[p] = 1;
    else if (d < tol.loose || (dL[p] < 0 && dL[p] > -tol.shadow && dChroma[p] < tol.loose * 1.5)) kind[p] = 2;
  }
  // The flood walks only through smooth backdrop-like pixels: a garment's outline (or the texture of
  // a garment whose colour equals the backdrop's) stops it.
  const flood = new Uint8Array(n);
  const stack = new Int32Array(n);
  let top = 0;
  const seed = (p: number): void => {
    if (!flood[p] && kind[p] !== 0 && texture[p] < tol.edge) {
      flood[p] = 1;
      stack[top++] = p;
    }
  };
  for (let x = 0; x < width; x++) {
    seed(x);
    seed((height - 1) * width + x);
  }
  for (let y = 0; y < height; y++) {
    seed(y * width);
    seed(y * width + width - 1);
  }
  while (top > 0) {
    const p = stack[--top];
    const x = p % width;
    if (x > 0) seed(p - 1);
    if (x < width - 1) seed(p + 1);
    if (p >= width) seed(p - width);
    if (p < n - width) seed(p + width);
  }
  // The texture test stops the flood short of every edge (the outline's blur, JPEG ringing in the
  // 8x8 blocks along it): grow it back through backdrop-like pixels that are not on a real edge,
  // then by a pixel or two through the backdrop's exact colour (the blurred rim of a strong edge).
  let front = flood;
  for (let step = 0; step < REGROW_STEPS + 2; step++) {
    const next = front.slice();
    let changed = false;
    const textureLimit = step < REGROW_STEPS ? tol.edgeStrong : Infinity;
    for (let p = 0; p < n; p++) {
      if (front[p] || kind[p] === 0 || (step >= REGROW_STEPS && kind[p] !== 1) || texture[p] >= textureLimit) continue;
      const x = p % width;
      if ((x > 0 && front[p - 1]) || (x < width - 1 && front[p + 1]) || (p >= width && front[p - width]) || (p < n - width && front[p + width])) {
        next[p] = 1;
        changed = true;
      }
    }
    front = next;
    if (!changed && step >= REGROW_STEPS) break;
  }
  return front;
}

const REGROW_STEPS = 8;

/**
 * Keeps the largest foreground component and the components close to it (straps, a detached
 * sleeve), drops specks (dust, a stray label far from the garment).
 */
export function keepGarmentComponents(foreground: Uint8Array, width: number, height: number): Uint8Array {
  const { labels, areas, boxes } = labelComponents(foreground, width, height);
  let main = 0;
  for (let id = 1; id < areas.length; id++) if (areas[id] > (areas[main] ?? 0)) main = id;
  const out = new Uint8Array(width * height);
  if (main === 0) return out;
  const [mx0, my0, mx1, my1] = boxes[main];
  const reach = Math.round(0.02 * Math.hypot(width, height));
  const keep = new Uint8Array(areas.length);
  keep[main] = 1;
  for (let id = 1; id < areas.length; id++) {
    if (id === main || areas[id] < Math.max(20, areas[main] * 0.002)) continue;
    const [x0, y0, x1, y1] = boxes[id];
    const gapX = Math.max(0, mx0 - x1, x0 - mx1);
    const gapY = Math.max(0, my0 - y1, y0 - my1);
    // A component overlapping the garment's box, or close to it and not tiny, is part of it.
    if ((gapX === 0 && gapY === 0 && areas[id] > areas[main] * 0.01) || Math.max(gapX, gapY) <= reach && areas[id] > areas[main] * 0.02) keep[id] = 1;
  }
  for (let p = 0; p < out.length; p++) if (keep[labels[p]]) out[p] = 1;
  return out;
}

export function segmentGarment(image: Raster): Segmentation {
  const { width, height } = image;
  const lab = rasterToLab(image);
  const texture = boxMean3(lightnessGradient(lab), width, height);
  const background = fitBackground(lab, texture);
  if (background.inlierShare < 0.25) {
    throw new EngineInputError('garment photo has no plain background around the garment to separate it from');
  }
  const { dL, dChroma } = backgroundDifference(lab, background);
  const tol = tolerancesFor(background);
  const backdrop = floodBackdrop(width, height, dL, dChroma, texture, tol);
  const foreground = new Uint8Array(width * height);
  for (let p = 0; p < foreground.length; p++) foreground[p] = backdrop[p] ? 0 : 1;
  return { foreground: keepGarmentComponents(foreground, width, height), lab, background };
}
