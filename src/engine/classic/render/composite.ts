/**
 * Putting the rendered garment into the photo. The promise to users is that every pixel outside
 * the repainted region is the input's own: `compositeOver` never touches a pixel whose effective
 * alpha is 0, and the seam tools say how far they reach.
 */
import { createRaster, type Mask, type Raster } from '../../../imaging/raster.ts';
import { bilinearAxis, erodeMask } from './masks.ts';
import { createGaussianRandom, estimateNoiseSigma } from './noise.ts';

/**
 * In place: base ← layer over base, with alpha = layer alpha × mask (mask optional). Where that
 * alpha is 0 the base pixel is not written at all (bit-identical); where it is 255·255 the layer's
 * colour is copied exactly. Blends in sRGB, as photo editors do. `base` may be RGB or RGBA (its
 * alpha is kept).
 */
export function compositeOver(base: Raster, layer: Raster, mask?: Mask): void {
  if (layer.channels !== 4) throw new Error('compositeOver: layer must be RGBA');
  if (base.channels < 3) throw new Error('compositeOver: base must be RGB or RGBA');
  if (layer.width !== base.width || layer.height !== base.height) throw new Error('compositeOver: layer differs in size from the base');
  if (mask && (mask.width !== base.width || mask.height !== base.height)) throw new Error('compositeOver: mask differs in size from the base');
  const bc = base.channels;
  const bd = base.data;
  const ld = layer.data;
  const md = mask?.data;
  const n = base.width * base.height;
  const FULL = 255 * 255;
  for (let i = 0; i < n; i++) {
    const a = ld[i * 4 + 3] * (md ? md[i] : 255);
    if (a === 0) continue;
    const p = i * bc;
    const q = i * 4;
    if (a === FULL) {
      bd[p] = ld[q];
      bd[p + 1] = ld[q + 1];
      bd[p + 2] = ld[q + 2];
      continue;
    }
    const inv = FULL - a;
    bd[p] = Math.round((bd[p] * inv + ld[q] * a) / FULL);
    bd[p + 1] = Math.round((bd[p + 1] * inv + ld[q + 1] * a) / FULL);
    bd[p + 2] = Math.round((bd[p + 2] * inv + ld[q + 2] * a) / FULL);
  }
}

/**
 * In place: bottom ← top over bottom for two RGBA layers (Porter–Duff "over", straight alpha), to
 * stack separately warped pieces (a sleeve in front of the body panel) before one composite.
 */
export function layerOver(bottom: Raster, top: Raster): void {
  if (bottom.channels !== 4 || top.channels !== 4) throw new Error('layerOver: both layers must be RGBA');
  if (bottom.width !== top.width || bottom.height !== top.height) throw new Error('layerOver: layers differ in size');
  const b = bottom.data;
  const t = top.data;
  for (let p = 0; p < b.length; p += 4) {
    const at = t[p + 3];
    if (at === 0) continue;
    if (at === 255) {
      b[p] = t[p];
      b[p + 1] = t[p + 1];
      b[p + 2] = t[p + 2];
      b[p + 3] = 255;
      continue;
    }
    const ab = (b[p + 3] * (255 - at)) / 255;
    const out = at + ab;
    for (let c = 0; c < 3; c++) b[p + c] = Math.round((t[p + c] * at + b[p + c] * ab) / out);
    b[p + 3] = Math.round(out);
  }
}

/**
 * Multi-band blend (Burt & Adelson): `b` where mask is 255, `a` where it is 0, each frequency band
 * blended across a transition as wide as the band, so a seam is invisible in both fine detail and
 * broad colour. Computed as a + collapse(M_l · L_l(b − a)), which equals the textbook form and
 * needs one pyramid instead of two, and only over the mask's bounding box grown by the pyramid's
 * reach (4·2^levels px): beyond it the result is `a` exactly. Note the low bands of `b` reach up
 * to that far outside the mask: composite the result back through the repainted region if nothing
 * outside it may change. `levels` counts pyramid levels (1 = a plain alpha blend).
 */
export function laplacianBlend(a: Raster, b: Raster, mask: Mask, levels: number): Raster {
  if (a.width !== b.width || a.height !== b.height || a.channels !== b.channels) throw new Error('laplacianBlend: images differ in size or channels');
  if (mask.width !== a.width || mask.height !== a.height) throw new Error('laplacianBlend: mask differs in size from the images');
  const { width: w, height: h, channels } = a;
  const out: Raster = { width: w, height: h, channels, data: a.data.slice() };

  let x0 = w;
  let y0 = h;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (mask.data[y * w + x] === 0) continue;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      y1 = y;
    }
  }
  if (x1 < 0) return out;
  const depth = Math.max(1, Math.floor(levels));
  const reach = 4 * 2 ** depth;
  x0 = Math.max(0, x0 - reach);
  y0 = Math.max(0, y0 - reach);
  x1 = Math.min(w, x1 + 1 + reach);
  y1 = Math.min(h, y1 + 1 + reach);
  const cw = x1 - x0;
  const ch = y1 - y0;

  // Pyramid sizes; stop early when a level would be smaller than the filter.
  const widths = [cw];
  const heights = [ch];
  while (widths.length < depth && widths[widths.length - 1] > 4 && heights[heights.length - 1] > 4) {
    widths.push(Math.ceil(widths[widths.length - 1] / 2));
    heights.push(Math.ceil(heights[heights.length - 1] / 2));
  }
  const count = widths.length;

  const maskPyramid: Float32Array[] = [new Float32Array(cw * ch)];
  for (let y = 0; y < ch; y++) for (let x = 0; x < cw; x++) maskPyramid[0][y * cw + x] = mask.data[(y0 + y) * w + x0 + x] / 255;
  for (let l = 1; l < count; l++) maskPyramid.push(reduce(maskPyramid[l - 1], widths[l - 1], heights[l - 1], widths[l], heights[l]));

  const diff = new Float32Array(cw * ch);
  for (let c = 0; c < channels; c++) {
    for (let y = 0; y < ch; y++) {
      const row = ((y0 + y) * w + x0) * channels + c;
      for (let x = 0; x < cw; x++) diff[y * cw + x] = b.data[row + x * channels] - a.data[row + x * channels];
    }
    // Gaussian levels of the difference, then Laplacian bands in place, masked, then collapsed.
    const gauss: Float32Array[] = [diff];
    for (let l = 1; l < count; l++) gauss.push(reduce(gauss[l - 1], widths[l - 1], heights[l - 1], widths[l], heights[l]));
    let collapsed: Float32Array = gauss[count - 1].slice();
    const topMask = maskPyramid[count - 1];
    for (let i = 0; i < collapsed.length; i++) collapsed[i] *= topMask[i];
    for (let l = count - 2; l >= 0; l--) {
      const up = expand(gauss[l + 1], widths[l + 1], heights[l + 1], widths[l], heights[l]);
      const upCollapsed = expand(collapsed, widths[l + 1], heights[l + 1], widths[l], heights[l]);
      const g = gauss[l];
      const m = maskPyramid[l];
      for (let i = 0; i < g.length; i++) upCollapsed[i] += (g[i] - up[i]) * m[i];
      collapsed = upCollapsed;
    }
    for (let y = 0; y < ch; y++) {
      const row = ((y0 + y) * w + x0) * channels + c;
      for (let x = 0; x < cw; x++) {
        const delta = collapsed[y * cw + x];
        if (delta === 0) continue;
        const p = row + x * channels;
        const v = Math.round(a.data[p] + delta);
        out.data[p] = v < 0 ? 0 : v > 255 ? 255 : v;
      }
    }
  }
  return out;
}

/**
 * Adds grain to an RGBA layer (in place, where alpha > 0) so its noise level matches the
 * reference photo's on `region`: σ_added = √(σ_photo² − σ_layer²), luminance grain from a seeded
 * PRNG (same inputs, same pixels). Returns the σ added (0 when the layer is already as noisy).
 */
export function matchNoise(layer: Raster, reference: Raster, region: Mask, seed: number): number {
  if (layer.channels !== 4) throw new Error('matchNoise: layer must be RGBA');
  if (region.width !== reference.width || region.height !== reference.height) throw new Error('matchNoise: region differs in size from the reference');
  const photoSigma = estimateNoiseSigma(reference.data, reference.channels, reference.width, reference.height, (i) => region.data[i] >= 128);
  const ld = layer.data;
  const layerSigma = estimateNoiseSigma(ld, 4, layer.width, layer.height, (i) => ld[i * 4 + 3] === 255);
  const sigma = Math.sqrt(Math.max(0, photoSigma * photoSigma - layerSigma * layerSigma));
  if (sigma < 0.3) return 0;
  const random = createGaussianRandom(seed);
  for (let p = 0; p < ld.length; p += 4) {
    if (ld[p + 3] === 0) continue;
    const grain = sigma * random();
    for (let c = 0; c < 3; c++) {
      const v = Math.round(ld[p + c] + grain);
      ld[p + c] = v < 0 ? 0 : v > 255 ? 255 : v;
    }
  }
  return sigma;
}

/**
 * Softens an RGBA layer (in place) to the reference photo's edge sharpness on `region`, and
 * returns the Gaussian sigma applied (0 when the layer is not sharper or either has no edges).
 * Edge blur is estimated by re-blurring (Zhuo & Sim): at an edge blurred by σ, a further σ₀ = 1
 * blur lowers the peak gradient by σ / √(σ² + 1), so the median gradient ratio over the strongest
 * edges gives σ. The layer then gets √(σ_photo² − σ_layer²).
 */
export function matchSharpness(layer: Raster, reference: Raster, region: Mask): number {
  if (layer.channels !== 4) throw new Error('matchSharpness: layer must be RGBA');
  if (region.width !== reference.width || region.height !== reference.height) throw new Error('matchSharpness: region differs in size from the reference');
  // Only pixels well inside the layer: its outline against transparency is not an edge of the print.
  const opaque = { width: layer.width, height: layer.height, data: new Uint8Array(layer.width * layer.height) };
  for (let i = 0; i < opaque.data.length; i++) opaque.data[i] = layer.data[i * 4 + 3] === 255 ? 255 : 0;
  const layerInterior = erodeMask(opaque, 4);
  const regionInterior = erodeMask(region, 4);
  const photoSigma = estimateEdgeBlur(reference, regionInterior);
  const layerSigma = estimateEdgeBlur(layer, layerInterior);
  if (photoSigma === null || layerSigma === null || photoSigma <= layerSigma) return 0;
  const sigma = Math.sqrt(photoSigma * photoSigma - layerSigma * layerSigma);
  if (sigma < 0.25) return 0;
  blurLayerInPlace(layer, sigma);
  return sigma;
}

/**
 * RGBA → RGBA at another size, bilinear on premultiplied colour (no dark fringe at the outline).
 * Prefer resizing the warp map (`resizeWarpMap`) and sampling the full-resolution garment: that
 * keeps the print's own detail, which up-sampling a rendered layer cannot.
 */
export function upscaleLayer(layer: Raster, width: number, height: number): Raster {
  if (layer.channels !== 4) throw new Error('upscaleLayer: layer must be RGBA');
  const out = createRaster(width, height, 4);
  const { width: sw, height: sh, data } = layer;
  const { i0: x0s, i1: x1s, t: txs } = bilinearAxis(sw, width);
  const acc = new Float64Array(4);
  for (let y = 0; y < height; y++) {
    const f = Math.min(Math.max((y + 0.5) * (sh / height) - 0.5, 0), sh - 1);
    const y0 = Math.floor(f);
    const y1 = Math.min(y0 + 1, sh - 1);
    const ty = f - y0;
    for (let x = 0; x < width; x++) {
      const tx = txs[x];
      acc.fill(0);
      accumulatePremultiplied(data, (y0 * sw + x0s[x]) * 4, (1 - tx) * (1 - ty), acc);
      accumulatePremultiplied(data, (y0 * sw + x1s[x]) * 4, tx * (1 - ty), acc);
      accumulatePremultiplied(data, (y1 * sw + x0s[x]) * 4, (1 - tx) * ty, acc);
      accumulatePremultiplied(data, (y1 * sw + x1s[x]) * 4, tx * ty, acc);
      const alpha = acc[3];
      if (alpha <= 0) continue;
      const o = (y * width + x) * 4;
      out.data[o] = Math.round(acc[0] / alpha);
      out.data[o + 1] = Math.round(acc[1] / alpha);
      out.data[o + 2] = Math.round(acc[2] / alpha);
      out.data[o + 3] = Math.round(alpha);
    }
  }
  return out;
}

function accumulatePremultiplied(data: Uint8Array, p: number, weight: number, acc: Float64Array): void {
  const wa = weight * data[p + 3];
  if (wa === 0) return;
  acc[0] += wa * data[p];
  acc[1] += wa * data[p + 1];
  acc[2] += wa * data[p + 2];
  acc[3] += wa;
}

/** 5-tap binomial [1 4 6 4 1]/16 filter and halve, clamped borders. */
function reduce(src: Float32Array, w: number, h: number, w2: number, h2: number): Float32Array {
  const tmp = new Float32Array(w2 * h);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    const orow = y * w2;
    for (let x = 0; x < w2; x++) {
      const c = 2 * x;
      const l2 = c - 2 < 0 ? 0 : c - 2;
      const l1 = c - 1 < 0 ? 0 : c - 1;
      const cc = c < w ? c : w - 1;
      const r1 = c + 1 < w ? c + 1 : w - 1;
      const r2 = c + 2 < w ? c + 2 : w - 1;
      tmp[orow + x] = (src[row + l2] + 4 * src[row + l1] + 6 * src[row + cc] + 4 * src[row + r1] + src[row + r2]) * 0.0625;
    }
  }
  const out = new Float32Array(w2 * h2);
  for (let y = 0; y < h2; y++) {
    const c = 2 * y;
    const u2 = (c - 2 < 0 ? 0 : c - 2) * w2;
    const u1 = (c - 1 < 0 ? 0 : c - 1) * w2;
    const cc = (c < h ? c : h - 1) * w2;
    const d1 = (c + 1 < h ? c + 1 : h - 1) * w2;
    const d2 = (c + 2 < h ? c + 2 : h - 1) * w2;
    const orow = y * w2;
    for (let x = 0; x < w2; x++) {
      out[orow + x] = (tmp[u2 + x] + 4 * tmp[u1 + x] + 6 * tmp[cc + x] + 4 * tmp[d1 + x] + tmp[d2 + x]) * 0.0625;
    }
  }
  return out;
}

/**
 * Inverse of `reduce`'s sampling: up-sample (w2×h2 → w×h) with the same binomial kernel doubled,
 * i.e. even samples (1 6 1)/8 of their neighbourhood, odd samples (4 4)/8.
 */
function expand(src: Float32Array, w2: number, h2: number, w: number, h: number): Float32Array {
  const tmp = new Float32Array(w * h2);
  for (let y = 0; y < h2; y++) {
    const row = y * w2;
    const orow = y * w;
    for (let x = 0; x < w; x++) {
      const i = x >> 1;
      const left = i - 1 < 0 ? 0 : i - 1;
      const right = i + 1 < w2 ? i + 1 : w2 - 1;
      tmp[orow + x] = (x & 1) === 0
        ? (src[row + left] + 6 * src[row + i] + src[row + right]) * 0.125
        : (src[row + i] + src[row + right]) * 0.5;
    }
  }
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    const i = y >> 1;
    const up = (i - 1 < 0 ? 0 : i - 1) * w;
    const mid = i * w;
    const down = (i + 1 < h2 ? i + 1 : h2 - 1) * w;
    const orow = y * w;
    if ((y & 1) === 0) {
      for (let x = 0; x < w; x++) out[orow + x] = (tmp[up + x] + 6 * tmp[mid + x] + tmp[down + x]) * 0.125;
    } else {
      for (let x = 0; x < w; x++) out[orow + x] = (tmp[mid + x] + tmp[down + x]) * 0.5;
    }
  }
  return out;
}

const GRADIENT_FLOOR = 4; // levels per pixel: weaker "edges" are noise or shading

/** Median re-blur edge sigma over the strongest 10 % of gradients inside `where`, or null without edges. */
function estimateEdgeBlur(image: Raster, where: Mask): number | null {
  const { width: w, height: h, channels, data } = image;
  const grey = new Float32Array(w * h);
  for (let i = 0; i < w * h; i++) {
    const p = i * channels;
    grey[i] = channels >= 3 ? (data[p] + data[p + 1] + data[p + 2]) / 3 : data[p];
  }
  const blurred = gaussianSmallPlane(grey, w, h, 1);
  const strengths: number[] = [];
  const ratios: number[] = [];
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      const i = y * w + x;
      if (where.data[i] < 128) continue;
      const gb = Math.hypot(blurred[i + 1] - blurred[i - 1], blurred[i + w] - blurred[i - w]) / 2;
      if (gb < GRADIENT_FLOOR) continue;
      const g = Math.hypot(grey[i + 1] - grey[i - 1], grey[i + w] - grey[i - w]) / 2;
      strengths.push(gb);
      ratios.push(g / gb);
    }
  }
  if (strengths.length < 50) return null;
  const sorted = strengths.slice().sort((p, q) => p - q);
  const cut = sorted[Math.floor(sorted.length * 0.9)];
  const strong: number[] = [];
  for (let k = 0; k < strengths.length; k++) if (strengths[k] >= cut) strong.push(ratios[k]);
  strong.sort((p, q) => p - q);
  const ratio = strong[strong.length >> 1];
  // ratio = √(σ² + 1) / σ  →  σ = 1 / √(ratio² − 1); capped so a perfectly blurred edge stays finite.
  return ratio <= 1.02 ? 5 : Math.min(5, 1 / Math.sqrt(ratio * ratio - 1));
}

/** Exact separable Gaussian (kernel to 3σ) for small sigmas, clamped borders. */
function gaussianSmallPlane(src: Float32Array, w: number, h: number, sigma: number): Float32Array {
  const radius = Math.max(1, Math.ceil(3 * sigma));
  const kernel = new Float32Array(2 * radius + 1);
  let total = 0;
  for (let k = -radius; k <= radius; k++) total += kernel[k + radius] = Math.exp(-(k * k) / (2 * sigma * sigma));
  for (let k = 0; k < kernel.length; k++) kernel[k] /= total;
  const tmp = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let k = -radius; k <= radius; k++) {
        const xx = x + k < 0 ? 0 : x + k >= w ? w - 1 : x + k;
        s += kernel[k + radius] * src[row + xx];
      }
      tmp[row + x] = s;
    }
  }
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let k = -radius; k <= radius; k++) {
        const yy = y + k < 0 ? 0 : y + k >= h ? h - 1 : y + k;
        s += kernel[k + radius] * tmp[yy * w + x];
      }
      out[y * w + x] = s;
    }
  }
  return out;
}

/** Gaussian blur of the layer's premultiplied colour, alpha kept: softens the print, not the outline. */
function blurLayerInPlace(layer: Raster, sigma: number): void {
  const { width: w, height: h, data } = layer;
  const n = w * h;
  const alpha = new Float32Array(n);
  for (let i = 0; i < n; i++) alpha[i] = data[i * 4 + 3];
  const blurredAlpha = gaussianSmallPlane(alpha, w, h, sigma);
  const plane = new Float32Array(n);
  for (let c = 0; c < 3; c++) {
    for (let i = 0; i < n; i++) plane[i] = data[i * 4 + c] * alpha[i];
    const blurred = gaussianSmallPlane(plane, w, h, sigma);
    for (let i = 0; i < n; i++) {
      if (alpha[i] === 0 || blurredAlpha[i] <= 0) continue;
      const v = Math.round(blurred[i] / blurredAlpha[i]);
      data[i * 4 + c] = v < 0 ? 0 : v > 255 ? 255 : v;
    }
  }
}
