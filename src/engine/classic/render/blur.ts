/**
 * Separable blurs on planar float maps, the workhorse of shading, lighting and masks. A Gaussian
 * is approximated by three box passes (running sums: O(1) per pixel whatever the sigma); wide
 * blurs run on a 4× or 8× reduced copy, because a sigma-30 blur has nothing left at the full
 * resolution's frequencies and the reduction makes it ~16–64× cheaper. Edges repeat the border
 * pixel (clamp), so a map does not darken towards the image border.
 */

/** Box radii for approximating a Gaussian of `sigma` with `passes` box blurs (W. Wells / P. Kovesi). */
export function boxRadiiForGaussian(sigma: number, passes = 3): number[] {
  const ideal = Math.sqrt((12 * sigma * sigma) / passes + 1);
  let lower = Math.floor(ideal);
  if (lower % 2 === 0) lower--;
  const upper = lower + 2;
  const m = Math.round((12 * sigma * sigma - passes * lower * lower - 4 * passes * lower - 3 * passes) / (-4 * lower - 4));
  const radii: number[] = [];
  for (let i = 0; i < passes; i++) radii.push(((i < m ? lower : upper) - 1) / 2);
  return radii;
}

/**
 * One box pass along rows then columns, `src` → `dst` through `tmp` (all w·h). Radius 0 copies.
 * Window [i−r, i+r] with clamped indices; running sums in double precision.
 */
export function boxBlurPlane(src: Float32Array, dst: Float32Array, tmp: Float32Array, w: number, h: number, radius: number): void {
  const r = Math.max(0, Math.floor(radius));
  if (r === 0) {
    dst.set(src);
    return;
  }
  const norm = 1 / (2 * r + 1);
  // Rows: src → tmp, four rows side by side: each row's running sum is a chain of dependent
  // additions, and four independent chains keep the processor busy while each waits (every row's
  // sums are the same, in the same order, as one row at a time).
  const last = w - 1;
  let y = 0;
  for (; y + 4 <= h; y += 4) {
    const r0 = y * w;
    const r1 = r0 + w;
    const r2 = r1 + w;
    const r3 = r2 + w;
    let s0 = (r + 1) * src[r0];
    let s1 = (r + 1) * src[r1];
    let s2 = (r + 1) * src[r2];
    let s3 = (r + 1) * src[r3];
    for (let k = 1; k <= r; k++) {
      const o = Math.min(k, last);
      s0 += src[r0 + o];
      s1 += src[r1 + o];
      s2 += src[r2 + o];
      s3 += src[r3 + o];
    }
    for (let x = 0; x < w; x++) {
      tmp[r0 + x] = s0 * norm;
      tmp[r1 + x] = s1 * norm;
      tmp[r2 + x] = s2 * norm;
      tmp[r3 + x] = s3 * norm;
      const add = Math.min(x + r + 1, last);
      const sub = Math.max(x - r, 0);
      s0 += src[r0 + add] - src[r0 + sub];
      s1 += src[r1 + add] - src[r1 + sub];
      s2 += src[r2 + add] - src[r2 + sub];
      s3 += src[r3 + add] - src[r3 + sub];
    }
  }
  for (; y < h; y++) {
    const row = y * w;
    let sum = (r + 1) * src[row];
    for (let k = 1; k <= r; k++) sum += src[row + Math.min(k, last)];
    for (let x = 0; x < w; x++) {
      tmp[row + x] = sum * norm;
      sum += src[row + Math.min(x + r + 1, last)] - src[row + Math.max(x - r, 0)];
    }
  }
  // Columns: tmp → dst, processed a row at a time (cache friendly) with one running sum per column.
  const sums = new Float64Array(w);
  for (let x = 0; x < w; x++) {
    let s = (r + 1) * tmp[x];
    for (let k = 1; k <= r; k++) s += tmp[Math.min(k, h - 1) * w + x];
    sums[x] = s;
  }
  // Four rows per sweep along the row: each column's sum is read and written back once per four
  // rows instead of once per row (the same additions, in the same order).
  for (y = 0; y + 4 <= h; y += 4) {
    const row = y * w;
    const add0 = Math.min(y + r + 1, h - 1) * w;
    const add1 = Math.min(y + r + 2, h - 1) * w;
    const add2 = Math.min(y + r + 3, h - 1) * w;
    const add3 = Math.min(y + r + 4, h - 1) * w;
    const sub0 = Math.max(y - r, 0) * w;
    const sub1 = Math.max(y + 1 - r, 0) * w;
    const sub2 = Math.max(y + 2 - r, 0) * w;
    const sub3 = Math.max(y + 3 - r, 0) * w;
    for (let x = 0; x < w; x++) {
      let s = sums[x];
      dst[row + x] = s * norm;
      s += tmp[add0 + x] - tmp[sub0 + x];
      dst[row + w + x] = s * norm;
      s += tmp[add1 + x] - tmp[sub1 + x];
      dst[row + 2 * w + x] = s * norm;
      s += tmp[add2 + x] - tmp[sub2 + x];
      dst[row + 3 * w + x] = s * norm;
      sums[x] = s + (tmp[add3 + x] - tmp[sub3 + x]);
    }
  }
  for (; y < h; y++) {
    const row = y * w;
    const addRow = Math.min(y + r + 1, h - 1) * w;
    const subRow = Math.max(y - r, 0) * w;
    for (let x = 0; x < w; x++) {
      dst[row + x] = sums[x] * norm;
      sums[x] += tmp[addRow + x] - tmp[subRow + x];
    }
  }
}

/** Work arrays for gaussianBlurPlane, each at least w·h long: `out` receives the result. */
export interface BlurBuffers {
  out: Float32Array;
  a: Float32Array;
  tmp: Float32Array;
}

/**
 * Gaussian blur (three box passes) of a planar w·h float map, returning a new array, or
 * `buffers.out` when work arrays are given (a caller blurring many planes of one size reuses them
 * instead of allocating three arrays a blur). `src` is only read.
 */
export function gaussianBlurPlane(src: Float32Array, w: number, h: number, sigma: number, buffers?: BlurBuffers): Float32Array {
  if (sigma <= 0) {
    if (!buffers) return src.slice();
    buffers.out.set(src);
    return buffers.out;
  }
  const radii = boxRadiiForGaussian(sigma);
  const a = buffers ? buffers.a : new Float32Array(w * h);
  const b = buffers ? buffers.out : new Float32Array(w * h);
  const tmp = buffers ? buffers.tmp : new Float32Array(w * h);
  // The first pass reads the source itself (it never writes it): no copy.
  boxBlurPlane(src, b, tmp, w, h, radii[0]);
  boxBlurPlane(b, a, tmp, w, h, radii[1]);
  boxBlurPlane(a, b, tmp, w, h, radii[2]);
  return b;
}

/**
 * Cells (beyond the box passes' summed radii) by which gaussianBlurPlaneAround's box exceeds the
 * non-zero values: its left and top edges must see only zeros in every pass (one cell would do),
 * and its right and bottom edges only the constant each pass's running sums settle to past them.
 */
const AROUND_BOX_SLACK = 2;

/**
 * gaussianBlurPlane of a w·h plane whose non-zero values all lie in `content` (exclusive ends),
 * run only on `content` grown by the box passes' summed radii + AROUND_BOX_SLACK (within the
 * plane), and 0 outside that box. Inside it the values are gaussianBlurPlane's, bit for bit: from
 * the left and top each pass's running sum enters the box at exactly 0 (it has added and taken
 * away nothing but zeros), and past the right and bottom of what a pass has spread to, its sums
 * only add and take away equal values and stay constant, which the box's clamped edge repeats.
 * Outside the box the whole-plane blur is 0 to the left and above, and a rounding residue of
 * those sums to the right and below.
 */
export function gaussianBlurPlaneAround(src: Float32Array, w: number, h: number, sigma: number, content: { x0: number; y0: number; x1: number; y1: number }): Float32Array {
  if (sigma <= 0) return gaussianBlurPlane(src, w, h, sigma);
  const reach = boxRadiiForGaussian(sigma).reduce((sum, r) => sum + Math.max(0, Math.floor(r)), 0) + AROUND_BOX_SLACK;
  const x0 = Math.max(0, content.x0 - reach);
  const y0 = Math.max(0, content.y0 - reach);
  const bw = Math.min(w, content.x1 + reach) - x0;
  const bh = Math.min(h, content.y1 + reach) - y0;
  const out = new Float32Array(w * h);
  if (bw <= 0 || bh <= 0) return out;
  if (bw === w && bh === h) return gaussianBlurPlane(src, w, h, sigma);
  const crop = new Float32Array(bw * bh);
  for (let y = 0; y < bh; y++) crop.set(src.subarray((y0 + y) * w + x0, (y0 + y) * w + x0 + bw), y * bw);
  const blurred = gaussianBlurPlane(crop, bw, bh, sigma);
  for (let y = 0; y < bh; y++) out.set(blurred.subarray(y * bw, (y + 1) * bw), (y0 + y) * w + x0);
  return out;
}

/**
 * Gaussian blur for wide sigmas, computed at a reduced resolution (factor chosen so the reduced
 * sigma stays ≥ 2 px) and brought back by bilinear interpolation. Linear in its input, so
 * normalised blurs (blur(v·m) / blur(m)) stay exactly normalised.
 */
export function wideGaussianBlurPlane(src: Float32Array, w: number, h: number, sigma: number): Float32Array {
  let factor = 1;
  while (factor < 8 && sigma / (factor * 2) >= 2 && w / (factor * 2) >= 8 && h / (factor * 2) >= 8) factor *= 2;
  if (factor === 1) return gaussianBlurPlane(src, w, h, sigma);
  const sw = Math.ceil(w / factor);
  const sh = Math.ceil(h / factor);
  const small = downsampleAverage(src, w, h, factor, sw, sh);
  // The box reduction itself blurs by about factor/√12; take it out of the remaining sigma.
  const remaining = Math.sqrt(Math.max(0.25, (sigma / factor) ** 2 - 1 / 12));
  const blurred = gaussianBlurPlane(small, sw, sh, remaining);
  return upsampleBilinear(blurred, sw, sh, w, h, factor);
}

/**
 * Region-normalised wide blur: blur(weighted) / blur(weight), where `weighted` = value × weight.
 * Light from outside the weighted region does not leak in, and the region's edge is not darkened
 * by the zeros around it. Same reduced-resolution scheme as `wideGaussianBlurPlane`, with both
 * up-samplings and the division fused into one pass. 0 where the blurred weight is ~0.
 */
export function normalisedWideBlurPlane(weighted: Float32Array, weight: Float32Array, w: number, h: number, sigma: number): Float32Array {
  let factor = 1;
  while (factor < 8 && sigma / (factor * 2) >= 2 && w / (factor * 2) >= 8 && h / (factor * 2) >= 8) factor *= 2;
  if (factor === 1) {
    const bv = gaussianBlurPlane(weighted, w, h, sigma);
    const bw = gaussianBlurPlane(weight, w, h, sigma);
    for (let i = 0; i < bv.length; i++) bv[i] = bw[i] > 1e-6 ? bv[i] / bw[i] : 0;
    return bv;
  }
  const sw = Math.ceil(w / factor);
  const sh = Math.ceil(h / factor);
  const remaining = Math.sqrt(Math.max(0.25, (sigma / factor) ** 2 - 1 / 12));
  const sv = gaussianBlurPlane(downsampleAverage(weighted, w, h, factor, sw, sh), sw, sh, remaining);
  const sm = gaussianBlurPlane(downsampleAverage(weight, w, h, factor, sw, sh), sw, sh, remaining);
  const out = new Float32Array(w * h);
  const x0s = new Int32Array(w);
  const x1s = new Int32Array(w);
  const txs = new Float32Array(w);
  for (let x = 0; x < w; x++) {
    const f = Math.min(Math.max((x + 0.5) / factor - 0.5, 0), sw - 1);
    x0s[x] = Math.floor(f);
    x1s[x] = Math.min(x0s[x] + 1, sw - 1);
    txs[x] = f - x0s[x];
  }
  for (let y = 0; y < h; y++) {
    const f = Math.min(Math.max((y + 0.5) / factor - 0.5, 0), sh - 1);
    const y0 = Math.floor(f);
    const ty = f - y0;
    const r0 = y0 * sw;
    const r1 = Math.min(y0 + 1, sh - 1) * sw;
    const row = y * w;
    for (let x = 0; x < w; x++) {
      const a = r0 + x0s[x];
      const b = r0 + x1s[x];
      const c = r1 + x0s[x];
      const d = r1 + x1s[x];
      const t = txs[x];
      const vTop = sv[a] + (sv[b] - sv[a]) * t;
      const vBottom = sv[c] + (sv[d] - sv[c]) * t;
      const mTop = sm[a] + (sm[b] - sm[a]) * t;
      const mBottom = sm[c] + (sm[d] - sm[c]) * t;
      const m = mTop + (mBottom - mTop) * ty;
      out[row + x] = m > 1e-6 ? (vTop + (vBottom - vTop) * ty) / m : 0;
    }
  }
  return out;
}

/** Average over factor×factor blocks (partial blocks at the right/bottom edge average what they have). */
function downsampleAverage(src: Float32Array, w: number, h: number, factor: number, sw: number, sh: number): Float32Array {
  const out = new Float32Array(sw * sh);
  const rowSums = new Float64Array(sw);
  const fullBlocks = Math.floor(w / factor);
  for (let sy = 0; sy < sh; sy++) {
    rowSums.fill(0);
    const yEnd = Math.min(h, (sy + 1) * factor);
    for (let y = sy * factor; y < yEnd; y++) {
      const row = y * w;
      let x = 0;
      for (let b = 0; b < fullBlocks; b++) {
        let s = 0;
        for (let k = 0; k < factor; k++) s += src[row + x + k];
        rowSums[b] += s;
        x += factor;
      }
      for (; x < w; x++) rowSums[fullBlocks] += src[row + x];
    }
    const rows = yEnd - sy * factor;
    const orow = sy * sw;
    for (let b = 0; b < sw; b++) {
      const cols = Math.min(w, (b + 1) * factor) - b * factor;
      out[orow + b] = rowSums[b] / (rows * cols);
    }
  }
  return out;
}

/** Bilinear up-sampling where small pixel (i, j) is the centre of a factor×factor block. */
export function upsampleBilinear(small: Float32Array, sw: number, sh: number, w: number, h: number, factor: number): Float32Array {
  const out = new Float32Array(w * h);
  const upsampler = createRowUpsampler(small, sw, sh, w, factor);
  for (let y = 0; y < h; y++) out.set(upsampler(y), y * w);
  return out;
}

/**
 * Row-at-a-time bilinear up-sampling, for loops that consume the up-sampled values directly
 * (no full-size intermediate): returns a function giving output row y (a reused buffer). Each
 * row is one vertical blend of two small rows, then one horizontal lookup per pixel.
 */
export function createRowUpsampler(small: Float32Array, sw: number, sh: number, w: number, factor: number): (y: number) => Float32Array {
  const x0s = new Int32Array(w);
  const x1s = new Int32Array(w);
  const txs = new Float32Array(w);
  for (let x = 0; x < w; x++) {
    const f = Math.min(Math.max((x + 0.5) / factor - 0.5, 0), sw - 1);
    x0s[x] = Math.floor(f);
    x1s[x] = Math.min(x0s[x] + 1, sw - 1);
    txs[x] = f - x0s[x];
  }
  const column = new Float32Array(sw);
  const row = new Float32Array(w);
  return (y: number): Float32Array => {
    const f = Math.min(Math.max((y + 0.5) / factor - 0.5, 0), sh - 1);
    const y0 = Math.floor(f);
    const ty = f - y0;
    const r0 = y0 * sw;
    const r1 = Math.min(y0 + 1, sh - 1) * sw;
    for (let i = 0; i < sw; i++) column[i] = small[r0 + i] + (small[r1 + i] - small[r0 + i]) * ty;
    for (let x = 0; x < w; x++) {
      const a = column[x0s[x]];
      row[x] = a + (column[x1s[x]] - a) * txs[x];
    }
    return row;
  };
}

/**
 * Grey-level erosion (`min`) or dilation (`max`) of a plane over a (2·radius+1)² square, separable
 * (rows, then columns). Only cells with `valid[k] !== 0` take part, as sources and as targets;
 * the others are left as they are, so a region's outside never leaks into its rim.
 */
export function extremumFilterPlane(src: Float32Array, valid: Uint8Array, w: number, h: number, radius: number, kind: 'min' | 'max'): Float32Array {
  // Max is min of the negation: one loop serves both.
  const sign = kind === 'min' ? 1 : -1;
  const rows = new Float32Array(src.length);
  for (let y = 0; y < h; y++) {
    const o = y * w;
    for (let x = 0; x < w; x++) {
      if (!valid[o + x]) continue;
      let v = Infinity;
      for (let d = Math.max(0, x - radius), e = Math.min(w - 1, x + radius); d <= e; d++) {
        const s = sign * src[o + d];
        if (valid[o + d] && s < v) v = s;
      }
      rows[o + x] = v;
    }
  }
  const out = new Float32Array(src);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const k = y * w + x;
      if (!valid[k]) continue;
      let v = Infinity;
      for (let d = Math.max(0, y - radius), e = Math.min(h - 1, y + radius); d <= e; d++) {
        const j = d * w + x;
        if (valid[j] && rows[j] < v) v = rows[j];
      }
      out[k] = sign * v;
    }
  }
  return out;
}
