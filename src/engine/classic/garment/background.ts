/**
 * The product shot's background, modelled from the image border: a smooth quadratic surface per
 * Lab channel (plain studio backdrops, light vignetting, a gentle gradient), fitted robustly so
 * that garment pixels touching the border (a hem cut by the frame) are rejected as outliers.
 */
import type { LabImage } from './color.ts';
import { kthSmallest } from '../person/colour-model.ts';

export interface BackgroundModel {
  /** Quadratic coefficients per channel over u = x/w - 0.5, v = y/h - 0.5: [1, u, v, u², uv, v²]. */
  coefficients: [Float64Array, Float64Array, Float64Array];
  /** Robust standard deviation of the border's colour around the surface (ΔE units). */
  noise: number;
  /** 95th percentile of the texture (3x3 mean L gradient) over backdrop border pixels (L units per px). */
  gradientNoise: number;
  /** Share of border samples that fit the surface; small when the garment fills the border. */
  inlierShare: number;
  /** Robust per-pixel noise of the border (ΔE between neighbouring pixels / √2): grain, not shading. */
  pixelNoise: number;
}

const BAND = 4;

function basis(u: number, v: number, out: Float64Array): void {
  out[0] = 1;
  out[1] = u;
  out[2] = v;
  out[3] = u * u;
  out[4] = u * v;
  out[5] = v * v;
}

/** Solves the 6x6 symmetric system in place (Gaussian elimination with partial pivoting). */
function solve6(a: Float64Array, b: Float64Array): Float64Array {
  const n = 6;
  const m = Float64Array.from(a);
  const x = Float64Array.from(b);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r * n + col]) > Math.abs(m[pivot * n + col])) pivot = r;
    if (pivot !== col) {
      for (let c = 0; c < n; c++) [m[col * n + c], m[pivot * n + c]] = [m[pivot * n + c], m[col * n + c]];
      [x[col], x[pivot]] = [x[pivot], x[col]];
    }
    const d = m[col * n + col];
    if (Math.abs(d) < 1e-12) continue;
    for (let r = col + 1; r < n; r++) {
      const k = m[r * n + col] / d;
      if (k === 0) continue;
      for (let c = col; c < n; c++) m[r * n + c] -= k * m[col * n + c];
      x[r] -= k * x[col];
    }
  }
  for (let r = n - 1; r >= 0; r--) {
    let s = x[r];
    for (let c = r + 1; c < n; c++) s -= m[r * n + c] * x[c];
    const d = m[r * n + r];
    x[r] = Math.abs(d) < 1e-12 ? 0 : s / d;
  }
  return x;
}

function median(values: ArrayLike<number>): number {
  if (values.length === 0) return 0;
  const s = Float64Array.from(values);
  return kthSmallest(s, s.length >> 1);
}

/**
 * Distance of each border sample's colour from the current surface. Summed per sample in channel
 * order, each channel's model in coefficient order (the order the fit has always used).
 */
function borderResiduals(data: Float32Array, samples: Int32Array, us: Float64Array, coefficients: [Float64Array, Float64Array, Float64Array]): Float64Array {
  const [cl, ca, cb] = coefficients;
  const l0 = cl[0], l1 = cl[1], l2 = cl[2], l3 = cl[3], l4 = cl[4], l5 = cl[5];
  const a0 = ca[0], a1 = ca[1], a2 = ca[2], a3 = ca[3], a4 = ca[4], a5 = ca[5];
  const b0 = cb[0], b1 = cb[1], b2 = cb[2], b3 = cb[3], b4 = cb[4], b5 = cb[5];
  const n = samples.length;
  const residuals = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const o = i * 6;
    const u0 = us[o], u1 = us[o + 1], u2 = us[o + 2], u3 = us[o + 3], u4 = us[o + 4], u5 = us[o + 5];
    const q = samples[i] * 3;
    const dl = data[q] - (0 + l0 * u0 + l1 * u1 + l2 * u2 + l3 * u3 + l4 * u4 + l5 * u5);
    const da = data[q + 1] - (0 + a0 * u0 + a1 * u1 + a2 * u2 + a3 * u3 + a4 * u4 + a5 * u5);
    const db = data[q + 2] - (0 + b0 * u0 + b1 * u1 + b2 * u2 + b3 * u3 + b4 * u4 + b5 * u5);
    residuals[i] = Math.sqrt(0 + dl * dl + da * da + db * db);
  }
  return residuals;
}

/** Σ over inlier samples of basis r · basis k, in sample order. */
function inlierDot(us: Float64Array, inlier: Uint8Array, r: number, k: number): number {
  let sum = 0;
  for (let i = 0, o = 0; i < inlier.length; i++, o += 6) if (inlier[i]) sum += us[o + r] * us[o + k];
  return sum;
}

/** Σ over inlier samples of basis r · the sample's channel c, in sample order. */
function inlierDotValue(us: Float64Array, inlier: Uint8Array, r: number, data: Float32Array, samples: Int32Array, c: number): number {
  let sum = 0;
  for (let i = 0, o = 0; i < inlier.length; i++, o += 6) if (inlier[i]) sum += us[o + r] * data[samples[i] * 3 + c];
  return sum;
}

/** Fits the background surface to the border band of `lab`; `texture` is the smoothed L gradient magnitude. */
export function fitBackground(lab: LabImage, texture: Float32Array): BackgroundModel {
  const { width: w, height: h, data } = lab;
  const band = Math.min(BAND, Math.floor(Math.min(w, h) / 4) || 1);
  // About a thousand samples per side are plenty for six coefficients per channel.
  const step = Math.max(1, Math.round(Math.max(w, h) / 400));
  const samples: number[] = [];
  for (let y = 0; y < h; y += step) {
    if (y < band || y >= h - band) {
      for (let x = 0; x < w; x += step) samples.push(y * w + x);
    } else {
      for (let x = 0; x < band; x += step) samples.push(y * w + x);
      for (let x = w - band; x < w; x += step) samples.push(y * w + x);
    }
  }
  const n = samples.length;
  const us = new Float64Array(n * 6);
  const row = new Float64Array(6);
  for (let i = 0; i < n; i++) {
    const p = samples[i];
    basis((p % w) / w - 0.5, Math.floor(p / w) / h - 0.5, row);
    us.set(row, i * 6);
  }
  // Start from the border's per-channel median (robust to a garment covering part of the border).
  const coefficients: [Float64Array, Float64Array, Float64Array] = [new Float64Array(6), new Float64Array(6), new Float64Array(6)];
  for (let c = 0; c < 3; c++) coefficients[c][0] = median(samples.map((p) => data[p * 3 + c]));
  const inlier = new Uint8Array(n);
  const sampleAt = Int32Array.from(samples);
  let noise = 0;
  for (let iteration = 0; iteration < 4; iteration++) {
    const residuals = borderResiduals(data, sampleAt, us, coefficients);
    // Scale from the median residual; the floor keeps perfectly flat synthetic backdrops usable.
    noise = Math.max(0.1, 1.4826 * median(residuals));
    const limit = Math.max(3 * noise, 1);
    let count = 0;
    for (let i = 0; i < n; i++) {
      inlier[i] = residuals[i] <= limit ? 1 : 0;
      count += inlier[i];
    }
    if (count < 12) break;
    // The normal matrix is the same for the three channels and symmetric: each entry of its upper
    // triangle is summed once (the same products in the same order, so the same values) and mirrored.
    const normal = new Float64Array(36);
    for (let r = 0; r < 6; r++) {
      for (let k = r; k < 6; k++) normal[r * 6 + k] = normal[k * 6 + r] = inlierDot(us, inlier, r, k);
    }
    for (let c = 0; c < 3; c++) {
      const ata = normal.slice();
      const atb = new Float64Array(6);
      for (let r = 0; r < 6; r++) atb[r] = inlierDotValue(us, inlier, r, data, sampleAt, c);
      // A little ridge keeps the curvature terms tame when only part of the border is usable.
      for (let k = 1; k < 6; k++) ata[k * 6 + k] += count * 1e-3;
      coefficients[c] = solve6(ata, atb);
    }
  }
  let inliers = 0;
  for (let i = 0; i < n; i++) inliers += inlier[i];
  // A typed array sorts numerically and natively (texture values are magnitudes: no NaN).
  const inlierGradients = new Float64Array(inliers);
  for (let i = 0, k = 0; i < n; i++) if (inlier[i]) inlierGradients[k++] = texture[samples[i]];
  const gradientNoise = inlierGradients.length ? kthSmallest(inlierGradients, Math.floor(inlierGradients.length * 0.95)) : 0;
  // Pixel-to-pixel differences along the top and bottom rows: the backdrop's grain, free of the
  // slow shading a quadratic does not capture.
  const steps: number[] = [];
  for (const y of [1, h - 2]) {
    for (let x = 0; x + 1 < w; x += 2) {
      const p = (y * w + x) * 3;
      steps.push(Math.hypot(data[p] - data[p + 3], data[p + 1] - data[p + 4], data[p + 2] - data[p + 5]));
    }
  }
  // Mean of the differences below their 95th percentile (JPEG leaves many identical neighbours, so
  // a median would read zero; the top 5 % are a garment touching the border).
  steps.sort((a, b) => a - b);
  const kept = steps.slice(0, Math.max(1, Math.floor(steps.length * 0.95)));
  const pixelNoise = kept.reduce((sum, v) => sum + v, 0) / kept.length / Math.SQRT2;
  return { coefficients, noise, gradientNoise, inlierShare: n ? inliers / n : 0, pixelNoise };
}

/** Per-pixel signed differences from the background: ΔL (pixel minus backdrop) and chroma distance. */
export function backgroundDifference(lab: LabImage, model: BackgroundModel): { dL: Float32Array; dChroma: Float32Array } {
  const { width: w, height: h, data } = lab;
  const dL = new Float32Array(w * h);
  const dChroma = new Float32Array(w * h);
  const [cL, cA, cB] = model.coefficients;
  for (let y = 0; y < h; y++) {
    const v = y / h - 0.5;
    // Per row the surface is a quadratic in u: evaluate its coefficients once.
    const rowCoef = (c: Float64Array): [number, number, number] => [c[0] + c[2] * v + c[5] * v * v, c[1] + c[4] * v, c[3]];
    const [l0, l1, l2] = rowCoef(cL);
    const [a0, a1, a2] = rowCoef(cA);
    const [b0, b1, b2] = rowCoef(cB);
    for (let x = 0; x < w; x++) {
      const u = x / w - 0.5;
      const p = y * w + x;
      const bl = l0 + u * (l1 + u * l2);
      const ba = a0 + u * (a1 + u * a2);
      const bb = b0 + u * (b1 + u * b2);
      dL[p] = data[p * 3] - bl;
      const da = data[p * 3 + 1] - ba;
      const db = data[p * 3 + 2] - bb;
      dChroma[p] = Math.sqrt(da * da + db * db);
    }
  }
  return { dL, dChroma };
}
