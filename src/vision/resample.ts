/**
 * Image resampling shared by the vision models and the analysis stages: an anti-aliased separable
 * linear (triangle) filter, so shrinking a 1024 px photo to a 256 px model input averages the pixels
 * it covers instead of skipping them. Source windows may reach outside the image: those pixels read
 * as 0 (black padding, which is what MoveNet's own pipeline pads with).
 */
import { createMask, createRaster, type Mask, type Raster } from '../imaging/raster.ts';

/** A window in source pixels (may extend past the image's edges). */
export interface Window {
  x: number;
  y: number;
  width: number;
  height: number;
}

interface Taps {
  /** Source index per tap, -1 for padding (reads 0). */
  index: Int32Array;
  weights: Float32Array;
  count: Int32Array;
  stride: number;
  /** Per output index, its first source index when its taps are consecutive source pixels, else -1. */
  consecutiveFrom: Int32Array;
}

/**
 * For each output index, its source taps and normalised weights. An output pixel whose centre
 * falls inside the source reads edge-replicated pixels where its filter reaches past the edge (no
 * darkened border); one whose centre falls outside is padding.
 */
function taps(srcOrigin: number, srcLength: number, outLength: number, size: number): Taps {
  const scale = srcLength / outLength;
  const support = Math.max(1, scale);
  const stride = Math.ceil(support) * 2 + 2;
  const index = new Int32Array(outLength * stride).fill(-1);
  const count = new Int32Array(outLength);
  const weights = new Float32Array(outLength * stride);
  for (let i = 0; i < outLength; i++) {
    const centre = srcOrigin + (i + 0.5) * scale - 0.5;
    if (centre < -0.5 || centre > size - 0.5) continue;
    const lo = Math.ceil(centre - support);
    const hi = Math.floor(centre + support);
    let n = 0;
    let sum = 0;
    for (let s = lo; s <= hi && n < stride; s++) {
      const w = 1 - Math.abs(s - centre) / support;
      if (w <= 0) continue;
      index[i * stride + n] = Math.min(size - 1, Math.max(0, s));
      weights[i * stride + n] = w;
      sum += w;
      n++;
    }
    if (n === 0) {
      index[i * stride] = Math.min(size - 1, Math.max(0, Math.round(centre)));
      weights[i * stride] = 1;
      n = 1;
      sum = 1;
    }
    for (let k = 0; k < n; k++) weights[i * stride + k] /= sum;
    count[i] = n;
  }
  const consecutiveFrom = new Int32Array(outLength).fill(-1);
  for (let i = 0; i < outLength; i++) {
    let consecutive = count[i] > 0;
    for (let k = i * stride + 1; k < i * stride + count[i] && consecutive; k++) consecutive = index[k] === index[k - 1] + 1;
    if (consecutive) consecutiveFrom[i] = index[i * stride];
  }
  return { index, count, weights, stride, consecutiveFrom };
}

/**
 * Resamples `window` of an interleaved 8-bit image to outWidth x outHeight, returning floats in the
 * source's value range (0..255), interleaved like the source.
 *
 * Separable: each source row the vertical taps read is filtered horizontally once, then each output
 * row sums its taps' filtered rows. Output rows are made in order and a filtered row is kept only
 * from the first output row that reads it to the last (the taps move down monotonically), so a
 * handful of rows are live at a time, not the whole horizontally filtered image (61 MB for a
 * 5000x7501 photo), and each is summed while it is still in cache.
 */
export function resampleWindow(
  data: Uint8Array,
  width: number,
  height: number,
  channels: number,
  window: Window,
  outWidth: number,
  outHeight: number,
): Float32Array {
  const tx = taps(window.x, window.width, outWidth, width);
  const ty = taps(window.y, window.height, outHeight, height);
  const rowLength = outWidth * channels;
  // The last output row that reads each source row (-1: none reads it).
  const lastUse = new Int32Array(height).fill(-1);
  for (let j = 0; j < outHeight; j++) {
    for (let k = 0; k < ty.count[j]; k++) lastUse[ty.index[j * ty.stride + k]] = j;
  }
  // Source row -> its filtered row while live; filtered rows no longer read go back to `spare`.
  const live = new Map<number, Float32Array>();
  const spare: Float32Array[] = [];
  const out = new Float32Array(outHeight * rowLength);
  const rows: Float32Array[] = [];
  for (let j = 0; j < outHeight; j++) {
    const dstRow = j * rowLength;
    const first = j * ty.stride;
    const n = ty.count[j];
    for (let k = 0; k < n; k++) {
      const s = ty.index[first + k];
      let filtered = live.get(s);
      if (!filtered) {
        filtered = spare.pop() ?? new Float32Array(rowLength);
        // The next source row too when a later tap reads it: the two rows' sums are independent
        // chains, filtered side by side (each row's sums are the same, in the same order).
        const next = s + 1;
        if (channels !== 3) {
          filterRow(data, s * width * channels, channels, tx, filtered);
        } else if (next < height && lastUse[next] >= 0 && !live.has(next)) {
          const filteredNext = spare.pop() ?? new Float32Array(rowLength);
          filterRows3(data, s * width * 3, next * width * 3, tx, filtered, filteredNext);
          live.set(next, filteredNext);
        } else {
          // (Rare: the last row, or a row whose successor no output reads.)
          filterRows3(data, s * width * 3, s * width * 3, tx, filtered, filtered);
        }
        live.set(s, filtered);
      }
      rows[k] = filtered;
    }
    // The taps' rows are summed two at a time: each sum is rounded to float32 after every tap, as
    // storing it after every tap did, but stored once per two taps.
    let k = 0;
    for (; k + 4 <= n; k += 4) {
      const f0 = rows[k];
      const f1 = rows[k + 1];
      const f2 = rows[k + 2];
      const f3 = rows[k + 3];
      const w0 = ty.weights[first + k];
      const w1 = ty.weights[first + k + 1];
      const w2 = ty.weights[first + k + 2];
      const w3 = ty.weights[first + k + 3];
      for (let i = 0; i < rowLength; i++) {
        out[dstRow + i] = Math.fround(Math.fround(Math.fround(out[dstRow + i] + f0[i] * w0) + f1[i] * w1) + f2[i] * w2) + f3[i] * w3;
      }
    }
    for (; k + 2 <= n; k += 2) {
      const f0 = rows[k];
      const f1 = rows[k + 1];
      const w0 = ty.weights[first + k];
      const w1 = ty.weights[first + k + 1];
      for (let i = 0; i < rowLength; i++) out[dstRow + i] = Math.fround(out[dstRow + i] + f0[i] * w0) + f1[i] * w1;
    }
    if (k < n) {
      const f0 = rows[k];
      const w0 = ty.weights[first + k];
      for (let i = 0; i < rowLength; i++) out[dstRow + i] += f0[i] * w0;
    }
    for (let k = 0; k < n; k++) {
      const s = ty.index[first + k];
      const filtered = live.get(s);
      if (filtered && lastUse[s] === j) {
        live.delete(s);
        spare.push(filtered);
      }
    }
  }
  return out;
}

/**
 * The horizontal pass over one source row (starting at `srcRow` in `data`) into `into`, every
 * value of it written. (RGB rows go through filterRows3.)
 */
function filterRow(data: Uint8Array, srcRow: number, channels: number, tx: Taps, into: Float32Array): void {
  const outWidth = tx.count.length;
  for (let i = 0; i < outWidth; i++) {
    for (let c = 0; c < channels; c++) into[i * channels + c] = tapSum(data, srcRow, channels, c, tx, i);
  }
}

/** Output pixel i's channel c of the horizontal pass over the row at `srcRow`: its taps' weighted sum, in tap order. */
function tapSum(data: Uint8Array, srcRow: number, channels: number, c: number, tx: Taps, i: number): number {
  const { index: xi, weights: xw } = tx;
  let acc = 0;
  for (let k = i * tx.stride, end = k + tx.count[i]; k < end; k++) acc += data[srcRow + xi[k] * channels + c] * xw[k];
  return acc;
}

/**
 * The horizontal pass over two RGB source rows at once (`intoA` from the row at `srcA`, `intoB`
 * from `srcB`; the same row twice for one alone), every value written: the same sums in the same
 * order as one row at a time, as six independent chains instead of three. Away from the edges an
 * output pixel's taps are consecutive source pixels, walked with a running offset instead of an
 * index lookup per tap.
 */
function filterRows3(data: Uint8Array, srcA: number, srcB: number, tx: Taps, intoA: Float32Array, intoB: Float32Array): void {
  const { weights: xw, count: xc, stride: xs, consecutiveFrom } = tx;
  const outWidth = xc.length;
  for (let i = 0; i < outWidth; i++) {
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let b0 = 0;
    let b1 = 0;
    let b2 = 0;
    const start = i * xs;
    const end = start + xc[i];
    const from = consecutiveFrom[i];
    if (from >= 0) {
      for (let k = start, o = srcA + from * 3, q = srcB + from * 3; k < end; k++, o += 3, q += 3) {
        const wk = xw[k];
        a0 += data[o] * wk;
        a1 += data[o + 1] * wk;
        a2 += data[o + 2] * wk;
        b0 += data[q] * wk;
        b1 += data[q + 1] * wk;
        b2 += data[q + 2] * wk;
      }
    } else {
      // Taps clamped at the image's edges (a few pixels a row): a channel at a time, the same sums.
      a0 = tapSum(data, srcA, 3, 0, tx, i);
      a1 = tapSum(data, srcA, 3, 1, tx, i);
      a2 = tapSum(data, srcA, 3, 2, tx, i);
      b0 = tapSum(data, srcB, 3, 0, tx, i);
      b1 = tapSum(data, srcB, 3, 1, tx, i);
      b2 = tapSum(data, srcB, 3, 2, tx, i);
    }
    intoA[i * 3] = a0;
    intoA[i * 3 + 1] = a1;
    intoA[i * 3 + 2] = a2;
    intoB[i * 3] = b0;
    intoB[i * 3 + 1] = b1;
    intoB[i * 3 + 2] = b2;
  }
}

/** Resamples a window of one image to a size (see resampleWindow); the array returned may be shared. */
export type WindowSampler = (window: Window, outWidth: number, outHeight: number) => Float32Array;

/**
 * resampleWindow over one image, remembered per window and output size: models that read the same
 * window at the same input size (a person's pose, first pass, and segmentation both take the photo
 * padded to a square at 256 px) share one resampling. The arrays it returns are shared between
 * callers: read them, never write them.
 */
export function windowSampler(data: Uint8Array, width: number, height: number, channels: number): WindowSampler {
  const done = new Map<string, Float32Array>();
  return (window, outWidth, outHeight) => {
    const key = `${window.x} ${window.y} ${window.width} ${window.height} ${outWidth} ${outHeight}`;
    let pixels = done.get(key);
    if (!pixels) {
      pixels = resampleWindow(data, width, height, channels, window, outWidth, outHeight);
      done.set(key, pixels);
    }
    return pixels;
  };
}

/**
 * Rounds resampled values (never negative: weighted means of bytes) to bytes. For a float32 v ≥ 0,
 * v + 0.5 is exact in double precision, so truncating it is Math.round(v), bit for bit, and several
 * times faster than Math.round stored into a byte array.
 */
function toBytes(values: Float32Array): Uint8Array {
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = (values[i] + 0.5) | 0;
  return out;
}

export function resizeRaster(image: Raster, width: number, height: number): Raster {
  if (image.width === width && image.height === height) return { ...image, data: image.data.slice() };
  const out = createRaster(width, height, image.channels);
  const full = { x: 0, y: 0, width: image.width, height: image.height };
  out.data.set(toBytes(resampleWindow(image.data, image.width, image.height, image.channels, full, width, height)));
  return out;
}

export function resizeMask(mask: Mask, width: number, height: number): Mask {
  if (mask.width === width && mask.height === height) return { ...mask, data: mask.data.slice() };
  const out = createMask(width, height);
  const full = { x: 0, y: 0, width: mask.width, height: mask.height };
  out.data.set(toBytes(resampleWindow(mask.data, mask.width, mask.height, 1, full, width, height)));
  return out;
}

/**
 * Bilinear up/down-sampling of a float map given as (data, width, height) into width x height
 * of a target, where the map covers `window` of the target's pixel grid (pixel centres aligned).
 * Target pixels outside the window read the nearest edge value.
 */
export function projectFloatMap(
  map: Float32Array,
  mapWidth: number,
  mapHeight: number,
  window: Window,
  outWidth: number,
  outHeight: number,
): Float32Array {
  const out = new Float32Array(outWidth * outHeight);
  const sx = mapWidth / window.width;
  const sy = mapHeight / window.height;
  for (let y = 0; y < outHeight; y++) {
    let fy = (y + 0.5 - window.y) * sy - 0.5;
    fy = Math.min(mapHeight - 1, Math.max(0, fy));
    const y0 = Math.floor(fy);
    const y1 = Math.min(mapHeight - 1, y0 + 1);
    const wy = fy - y0;
    for (let x = 0; x < outWidth; x++) {
      let fx = (x + 0.5 - window.x) * sx - 0.5;
      fx = Math.min(mapWidth - 1, Math.max(0, fx));
      const x0 = Math.floor(fx);
      const x1 = Math.min(mapWidth - 1, x0 + 1);
      const wx = fx - x0;
      const top = map[y0 * mapWidth + x0] * (1 - wx) + map[y0 * mapWidth + x1] * wx;
      const bottom = map[y1 * mapWidth + x0] * (1 - wx) + map[y1 * mapWidth + x1] * wx;
      out[y * outWidth + x] = top * (1 - wy) + bottom * wy;
    }
  }
  return out;
}
