/**
 * Fine texture at full resolution, for the cut-out (segment.ts) of pale garments.
 *
 * A white garment on a white sweep is separated from it only by a faint line: a step of a few
 * levels where the fabric turns away from the light, or a thin grey rim. Colour cannot tell the
 * lit fabric beside that line from the backdrop, but texture can: the backdrop is flat to within
 * its own grain, the fabric (weave, folds, its JPEG blocks) and the line are not.
 *
 * JPEG ringing beside a high-contrast outline is texture on the backdrop too, and that is what
 * the refinement must be able to clear: it is a small share of the step it rings beside.
 */
import type { Raster } from '../../../imaging/raster.ts';
import { kthSmallest } from '../person/colour-model.ts';

/** Least curvature (levels) that counts as texture, whatever the backdrop's noise (JPEG's own rounding). */
const MIN_TEXTURE = 1;
/** Fabric texture and outlines stand this many times above the backdrop's own pixel-to-pixel curvature. */
const NOISE_FACTOR = 3;
/** Curvature of ringing stays below this share of that of the step it rings beside. */
const RINGING_SHARE = 0.35;
/**
 * Height (luma levels) of the least step whose ringing matters: beside a fainter one (a white
 * garment's outline, its shading) JPEG leaves no more than the fabric's own grain.
 */
const RINGING_STEP = 24;
/** Side of the blocks over which the strongest nearby step is taken (one JPEG block). */
const BLOCK = 8;
/** Width (px) of the border band whose curvature measures the backdrop's grain. */
const BORDER_BAND = 4;

export interface FineTexture {
  /** Luma per pixel (levels). */
  luma: Float32Array;
  /** Luma curvature (Laplacian magnitude, levels) per pixel. */
  curvature: Float32Array;
  /** Image width (px), for `textureAt`. */
  width: number;
  /** Image height (px), for `textureAt`. */
  height: number;
  /** Texture (see `textureAt`) below which a pixel is as flat as the backdrop (its grain, with a floor). */
  smooth: number;
  /** Luma range per block over the 3x3 blocks around it (see `nearestStep`). */
  nearRange: Float32Array;
  /** Blocks per row of `nearRange`. */
  blocksPerRow: number;
}

/** Magnitude of the luma Laplacian (4-neighbour, levels): a shadow's smooth ramp has none, fabric grain and outlines do. */
function lumaCurvature(luma: Float32Array, w: number, h: number): Float32Array {
  const out = new Float32Array(w * h);
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      const p = y * w + x;
      out[p] = Math.abs(luma[p - 1] + luma[p + 1] + luma[p - w] + luma[p + w] - 4 * luma[p]) / 2;
    }
  }
  return out;
}

/**
 * Texture of pixel p = (x, y): the largest curvature over its 3x3 neighbourhood (clamped at the
 * image's edges). Fabric grain has some within a pixel, a flat backdrop or a shadow's ramp none.
 * Computed on demand: the cut-out asks for it only near pale fabric, a small part of the image.
 */
export function textureAt(texture: FineTexture, p: number, x: number, y: number): number {
  const { curvature, width, height } = texture;
  const left = x > 0 ? -1 : 0;
  const right = x < width - 1 ? 1 : 0;
  const up = y > 0 ? p - width : p;
  const down = y < height - 1 ? p + width : p;
  let most = -Infinity;
  for (let d = left; d <= right; d++) {
    const v = Math.max(curvature[up + d], curvature[p + d], curvature[down + d]);
    if (v > most) most = v;
  }
  return most;
}

/** 90th percentile of a map over the border band: the backdrop's own level of it (a garment touching the border is the top share). */
export function borderNoise(curvature: Float32Array, width: number, height: number): number {
  let count = 0;
  for (let y = 1; y < height - 1; y++) {
    if (y <= BORDER_BAND || y >= height - 1 - BORDER_BAND) count += Math.max(0, width - 2);
    else for (let x = 1; x <= BORDER_BAND; x++) count += 2;
  }
  // A typed array sorts numerically and natively (the values are magnitudes: no NaN, no -0).
  const values = new Float64Array(count);
  let k = 0;
  for (let y = 1; y < height - 1; y++) {
    const row = y * width;
    if (y <= BORDER_BAND || y >= height - 1 - BORDER_BAND) {
      for (let x = 1; x < width - 1; x++) values[k++] = curvature[row + x];
    } else {
      for (let x = 1; x <= BORDER_BAND; x++) {
        values[k++] = curvature[row + x];
        values[k++] = curvature[row + width - 1 - x];
      }
    }
  }
  if (!values.length) return 0;
  return kthSmallest(values, Math.floor(values.length * 0.9));
}

/** Measures the fine texture of a garment photo. */
export function fineTexture(image: Raster): FineTexture {
  const { width, height, channels: c, data } = image;
  const luma = new Float32Array(width * height);
  // Luma range per block, then over the 3x3 blocks around: the height of the strongest step
  // within at least one block (the reach of ringing) in every direction from any pixel. The
  // block extremes are taken while the luma is computed (the stored, single-precision values).
  const bw = Math.ceil(width / BLOCK), bh = Math.ceil(height / BLOCK);
  const blockMin = new Float32Array(bw * bh).fill(Infinity);
  const blockMax = new Float32Array(bw * bh).fill(-Infinity);
  for (let y = 0; y < height; y++) {
    const brow = Math.floor(y / BLOCK) * bw;
    const row = y * width;
    for (let x0 = 0, b = brow; x0 < width; x0 += BLOCK, b++) {
      let lo = blockMin[b];
      let hi = blockMax[b];
      for (let p = row + x0, end = row + Math.min(width, x0 + BLOCK); p < end; p++) {
        luma[p] = 0.299 * data[p * c] + 0.587 * data[p * c + 1] + 0.114 * data[p * c + 2];
        const v = luma[p];
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      blockMin[b] = lo;
      blockMax[b] = hi;
    }
  }
  const curvature = lumaCurvature(luma, width, height);
  const smooth = Math.max(MIN_TEXTURE, NOISE_FACTOR * borderNoise(curvature, width, height));
  const nearRange = new Float32Array(bw * bh);
  for (let by = 0; by < bh; by++) {
    for (let bx = 0; bx < bw; bx++) {
      let lo = Infinity, hi = -Infinity;
      for (let dy = Math.max(0, by - 1); dy <= Math.min(bh - 1, by + 1); dy++) {
        for (let dx = Math.max(0, bx - 1); dx <= Math.min(bw - 1, bx + 1); dx++) {
          lo = Math.min(lo, blockMin[dy * bw + dx]);
          hi = Math.max(hi, blockMax[dy * bw + dx]);
        }
      }
      nearRange[by * bw + bx] = hi - lo;
    }
  }
  return { luma, curvature, width, height, smooth, nearRange, blocksPerRow: bw };
}

/** Height (luma levels) of the strongest step around pixel (x, y): the luma range within about a block. */
export function nearestStep(texture: FineTexture, x: number, y: number): number {
  return texture.nearRange[Math.floor(y / BLOCK) * texture.blocksPerRow + Math.floor(x / BLOCK)];
}

/**
 * Whether a textured pixel's curvature is no more than the ringing of a strong step nearby: JPEG
 * rings with a small share of the step's height (a clean step of height h has curvature h / 2).
 */
export function isRinging(texture: FineTexture, p: number, x: number, y: number): boolean {
  const step = nearestStep(texture, x, y);
  return step >= RINGING_STEP && texture.curvature[p] < RINGING_SHARE * step / 2;
}

/**
 * Bend of the lightness around each pixel: the standard deviation (L units) left over when a plane
 * is fitted to `values` (one value per pixel) in the (2·radius+1)² window around it, pixels beyond
 * the image repeating the edge.
 *
 * A white garment lit almost to the backdrop's colour is told from it, where its outline is only
 * a soft step of a few levels, by that step: the flat backdrop on one side, the fabric's plateau a
 * level or two darker on the other. The per-pixel texture measures (curvature) do not see it:
 * spread over a few pixels by the lens and JPEG, it bends each pixel no more than the backdrop's
 * own grain does, and along the outline it fades in and out. Over a window of about a JPEG block the
 * step adds up along the outline's length, while the grain averages out; and a shadow's gradient,
 * however steep, is a plane, which the fit removes.
 */
export function lightnessBend(values: Float32Array, width: number, height: number, radius: number): Float32Array {
  const n = width * height;
  const r = Math.max(1, Math.round(radius));
  const side = 2 * r + 1;
  const count = side * side;
  // Σ d² over the window along one axis, times the window's other side.
  let moment = 0;
  for (let d = -r; d <= r; d++) moment += d * d;
  moment *= side;
  // Window sums by rows (plain and weighted by the column offset d), then by columns; in double
  // precision, since the variance is a small difference of large sums.
  const rowSum = new Float64Array(n);
  const rowSquares = new Float64Array(n);
  const rowTilt = new Float64Array(n);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      let sum = 0, squares = 0, tilt = 0;
      for (let d = -r; d <= r; d++) {
        const v = values[row + Math.min(width - 1, Math.max(0, x + d))];
        sum += v;
        squares += v * v;
        tilt += d * v;
      }
      rowSum[row + x] = sum;
      rowSquares[row + x] = squares;
      rowTilt[row + x] = tilt;
    }
  }
  const out = new Float32Array(n);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0, squares = 0, tiltX = 0, tiltY = 0;
      for (let d = -r; d <= r; d++) {
        const q = Math.min(height - 1, Math.max(0, y + d)) * width + x;
        sum += rowSum[q];
        squares += rowSquares[q];
        tiltX += rowTilt[q];
        tiltY += d * rowSum[q];
      }
      const residual = squares - (sum * sum) / count - (tiltX * tiltX) / moment - (tiltY * tiltY) / moment;
      out[y * width + x] = Math.sqrt(Math.max(0, residual) / count);
    }
  }
  return out;
}
