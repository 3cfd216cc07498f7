/**
 * What `guidance_scale` and `num_inference_steps` do to a prompt edit (README.md says the same for
 * users). Both act on the garment layer before it goes through the classic engine's shared
 * rendering path (composeIntoPhoto), so try-on and prompt edits still share one compositor.
 *
 * guidance_scale g (1..100), w = (g − 1) / 99:
 * - opacity = min(1, 0.2 + 0.8·(g − 1)/49): the layer's alpha scale. g = 1 lays the new colour over
 *   the current garment at 20 % (a tint; the garment's own colours and print show through);
 *   from g = 50 (the default) on the new appearance covers the old completely.
 * - kept detail k = 0.5·(1 − w): how much of the photo's own fine luminance detail (the old
 *   garment's print, logo, weave and seams; ratio of luminance to its 1.5 %-of-width blur) is
 *   multiplied onto the layer, on top of the broad folds and shadows every render borrows.
 *   g = 1: k = 0.5, the old print still reads through; g = 100: k = 0, a clean new surface.
 * Both terms fall monotonically as g rises, so the rendered garment's colour distance to the
 * requested colour falls monotonically with g.
 *
 * num_inference_steps n (1..50): n iterations of edge-aware seam relaxation of the layer's
 * coverage in a 3-px band around its outline: each step moves every band pixel's alpha towards
 * its 4 neighbours (rate 0.12), each neighbour weighted by exp(−ΔL²/σ²) of the photo's luminance
 * difference (σ = 12 levels), so the seam softens where the photo is smooth and stays crisp on
 * the photo's own edges (arm against torso, body against backdrop). Each step lowers the
 * weighted gradient energy of the alpha band, so more steps give a smoother seam (monotonically,
 * with diminishing returns) and cost time linearly (about 0.3 ms per step at 768x1024).
 */
import type { Mask, Raster } from '../imaging/raster.ts';
import { shadingMap } from '../engine/classic/render/shading.ts';

export const GUIDANCE_DEFAULT = 50;
export const STEPS_DEFAULT = 28;

export function guidanceOpacity(guidance: number): number {
  return Math.min(1, 0.2 + (0.8 * (guidance - 1)) / 49);
}

export function guidanceKeptDetail(guidance: number): number {
  return 0.5 * (1 - (guidance - 1) / 99);
}

/** Blur of the fine-detail ratio, as a share of the image width: keeps prints and weave, drops folds. */
const DETAIL_SIGMA_SHARE = 0.015;

/**
 * Multiplies the layer (in place, where alpha > 0) by 1 + k·(detail − 1), `detail` being the
 * photo's luminance over its fine blur on `region` (the old garment): the old garment's print and
 * texture show through the new colour in proportion to k. k = 0 changes nothing.
 */
export function keepPhotoDetail(layer: Raster, photo: Raster, region: Mask, k: number): void {
  if (k <= 0) return;
  const detail = shadingMap(photo, region, Math.max(2, photo.width * DETAIL_SIGMA_SHARE), { min: 0.3, max: 2, detailSigma: 0.7 });
  const d = layer.data;
  const s = detail.data;
  for (let i = 0, p = 0; i < s.length; i++, p += 4) {
    if (d[p + 3] === 0 || s[i] === 1) continue;
    const f = 1 + k * (s[i] - 1);
    // sRGB values scaled by f^(1/2.2) ≈ the linear-light factor f.
    const g = f ** (1 / 2.2);
    for (let c = 0; c < 3; c++) {
      const v = Math.round(d[p + c] * g);
      d[p + c] = v > 255 ? 255 : v;
    }
  }
}

const SEAM_BAND = 3;
const SEAM_RATE = 0.12;
const SEAM_SIGMA = 12;

/** Pixels within SEAM_BAND px (chessboard) of the layer's outline: where alpha may change. */
function seamBand(alpha: Uint8Array, w: number, h: number): Int32Array {
  const solid = (i: number): boolean => alpha[i] >= 128;
  const edge = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const a = alpha[i];
      if ((a > 0 && a < 255) || (x > 0 && solid(i - 1) !== solid(i)) || (y > 0 && solid(i - w) !== solid(i))) edge[i] = 1;
    }
  }
  // Chessboard dilation by SEAM_BAND: a separable running max, rows then columns.
  const rows = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    let last = -Infinity;
    for (let x = 0; x < w; x++) {
      if (edge[y * w + x]) last = x;
      if (x - last <= SEAM_BAND) rows[y * w + x] = 1;
    }
    last = Infinity;
    for (let x = w - 1; x >= 0; x--) {
      if (edge[y * w + x]) last = x;
      if (last - x <= SEAM_BAND) rows[y * w + x] = 1;
    }
  }
  const near = new Uint8Array(w * h);
  for (let x = 0; x < w; x++) {
    let last = -Infinity;
    for (let y = 0; y < h; y++) {
      if (rows[y * w + x]) last = y;
      if (y - last <= SEAM_BAND) near[y * w + x] = 1;
    }
    last = Infinity;
    for (let y = h - 1; y >= 0; y--) {
      if (rows[y * w + x]) last = y;
      if (last - y <= SEAM_BAND) near[y * w + x] = 1;
    }
  }
  const out: number[] = [];
  for (let y = 1; y < h - 1; y++) {
    // Border pixels stay fixed (the update reads all four neighbours).
    for (let x = 1; x < w - 1; x++) if (near[y * w + x]) out.push(y * w + x);
  }
  return Int32Array.from(out);
}

/**
 * `steps` iterations of edge-aware relaxation of the layer's alpha in the seam band (in place).
 * Where the relaxed alpha reaches a pixel the layer had no colour for, the colour of the nearest
 * covered neighbour is copied so the soft edge has the garment's colour.
 */
export function relaxSeam(layer: Raster, photo: Raster, steps: number): void {
  const { width: w, height: h } = layer;
  const d = layer.data;
  const alpha = new Float32Array(w * h);
  const alpha8 = new Uint8Array(w * h);
  for (let i = 0; i < alpha.length; i++) {
    alpha[i] = d[i * 4 + 3];
    alpha8[i] = d[i * 4 + 3];
  }
  const band = seamBand(alpha8, w, h);
  if (band.length === 0) return;
  // Edge-aware weights to the right and down neighbours (left/up reuse them), from photo luminance.
  const luma = new Float32Array(w * h);
  const pc = photo.channels;
  for (let i = 0; i < luma.length; i++) {
    const p = i * pc;
    luma[i] = pc >= 3 ? 0.299 * photo.data[p] + 0.587 * photo.data[p + 1] + 0.114 * photo.data[p + 2] : photo.data[p];
  }
  const weight = (i: number, j: number): number => {
    const dl = luma[i] - luma[j];
    return Math.exp(-(dl * dl) / (SEAM_SIGMA * SEAM_SIGMA));
  };
  const wr = new Float32Array(band.length);
  const wl = new Float32Array(band.length);
  const wu = new Float32Array(band.length);
  const wd = new Float32Array(band.length);
  for (let k = 0; k < band.length; k++) {
    const i = band[k];
    wr[k] = weight(i, i + 1);
    wl[k] = weight(i, i - 1);
    wu[k] = weight(i, i - w);
    wd[k] = weight(i, i + w);
  }
  const next = new Float32Array(band.length);
  for (let s = 0; s < steps; s++) {
    for (let k = 0; k < band.length; k++) {
      const i = band[k];
      const a = alpha[i];
      next[k] = a + SEAM_RATE * (wr[k] * (alpha[i + 1] - a) + wl[k] * (alpha[i - 1] - a) + wu[k] * (alpha[i - w] - a) + wd[k] * (alpha[i + w] - a));
    }
    for (let k = 0; k < band.length; k++) alpha[band[k]] = next[k];
  }
  // Pixels the relaxed alpha newly reaches take the colour of a coloured neighbour, one ring per pass.
  const coloured = new Uint8Array(w * h);
  for (let i = 0; i < coloured.length; i++) coloured[i] = d[i * 4 + 3] > 0 ? 1 : 0;
  for (let pass = 0; pass <= SEAM_BAND; pass++) {
    const newly: number[] = [];
    for (let k = 0; k < band.length; k++) {
      const i = band[k];
      if (coloured[i] || alpha[i] < 0.5) continue;
      let best = -1;
      for (const j of [i - 1, i + 1, i - w, i + w]) if (coloured[j] && (best < 0 || alpha[j] > alpha[best])) best = j;
      if (best < 0) continue;
      d[i * 4] = d[best * 4];
      d[i * 4 + 1] = d[best * 4 + 1];
      d[i * 4 + 2] = d[best * 4 + 2];
      newly.push(i);
    }
    for (const i of newly) coloured[i] = 1;
  }
  for (let k = 0; k < band.length; k++) {
    const i = band[k];
    const a = coloured[i] ? Math.round(alpha[i]) : 0;
    d[i * 4 + 3] = a < 0 ? 0 : a > 255 ? 255 : a;
  }
}
