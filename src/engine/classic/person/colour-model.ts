/** Robust colour statistics over pixel sets, shared by the hair and garment steps. */
import { hypot3, type Rect } from './grid.ts';

export interface ColourModel {
  /** Median CIELAB. */
  lab: [number, number, number];
  /** Per-channel MAD x 1.4826 (a robust standard deviation). */
  spread: [number, number, number];
  /** Mean CIELAB: what a row or a blurred patch of a printed fabric averages to. */
  mean: [number, number, number];
  count: number;
}

export function colourModel(lab: Float32Array, pixels: ArrayLike<number>): ColourModel | undefined {
  const n = pixels.length;
  if (n < 12) return undefined;
  // Subsample big sets: medians of a few thousand pixels are as good and much cheaper.
  const step = Math.max(1, Math.floor(n / 4000));
  const m = Math.ceil(n / step);
  const values = new Float32Array(m);
  const channel = (c: number) => {
    for (let k = 0, j = 0; k < n; k += step, j++) values[j] = lab[pixels[k] * 3 + c];
    // The middle element of the sorted values, found without sorting them.
    const median = selectKth(values, m >> 1);
    for (let j = 0; j < m; j++) values[j] = Math.abs(values[j] - median);
    return [median, 1.4826 * selectKth(values, m >> 1)];
  };
  const [l, a, b] = [channel(0), channel(1), channel(2)];
  const mean: [number, number, number] = [0, 0, 0];
  for (let k = 0; k < n; k += step) for (let c = 0; c < 3; c++) mean[c] += lab[pixels[k] * 3 + c];
  for (let c = 0; c < 3; c++) mean[c] /= m;
  return { lab: [l[0], a[0], b[0]], spread: [l[1], a[1], b[1]], mean, count: n };
}

/**
 * Exactly `values.sort()[k]` (0 ≤ k < length), by quickselect: linear where a sort is n·log n;
 * reorders `values`. Where the k-th value is a zero, its sign is the one the sort puts at k (−0
 * before +0); with a NaN present the sort itself is used (it puts NaNs last).
 */
export function kthSmallest(values: Float32Array | Float64Array, k: number): number {
  let negative = 0;
  let negativeZero = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== v) return values.sort()[k];
    if (v < 0) negative++;
    else if (v === 0 && Object.is(v, -0)) negativeZero++;
  }
  const v = selectKth(values, k);
  if (v !== 0) return v;
  return k < negative + negativeZero ? -0 : 0;
}

/** The upper median of `values` (exactly the element at length >> 1 once sorted, as `sort()[length >> 1]` is), without sorting or changing them; `values` non-empty. */
export function medianOf(values: readonly number[]): number {
  return kthSmallest(Float64Array.from(values), values.length >> 1);
}

/**
 * The k-th smallest of `values` (what `values.sort()[k]` is), by quickselect; reorders `values`.
 * Hoare partitioning around the middle element, so sorted input (flat colour) stays linear.
 */
function selectKth(values: Float32Array | Float64Array, k: number): number {
  let lo = 0;
  let hi = values.length - 1;
  while (lo < hi) {
    const pivot = values[(lo + hi) >> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i] < pivot) i++;
      while (values[j] > pivot) j--;
      if (i <= j) {
        const t = values[i];
        values[i] = values[j];
        values[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return values[k];
  }
  return values[k];
}

/** Colour distance with lightness at half weight (shading moves L more than a*, b*). */
export function colourDistance(lab: ArrayLike<number>, offset: number, model: ColourModel): number {
  return hypot3((lab[offset] - model.lab[0]) * 0.5, lab[offset + 1] - model.lab[1], lab[offset + 2] - model.lab[2]);
}

export function modelDistance(p: ColourModel, q: ColourModel): number {
  return colourDistance(p.lab, 0, q);
}

/**
 * Distance of an averaged colour (a blurred pixel, a row mean) to the model's mean colour, with
 * lightness at full weight by default: averaged over a patch, shading matters less than telling
 * black from charcoal. (`lightness` < 1 asks whether it is the same fabric in another light.)
 */
export function meanDistance(lab: ArrayLike<number>, offset: number, model: ColourModel, lightness = 1): number {
  return hypot3((lab[offset] - model.mean[0]) * lightness, lab[offset + 1] - model.mean[1], lab[offset + 2] - model.mean[2]);
}

/** Whether two fabrics look alike: same mean colour and similar texture (spread of lightness). */
export function sameFabric(p: ColourModel, q: ColourModel, tolerance: number): boolean {
  const meanGap = Math.hypot((p.mean[0] - q.mean[0]) * 0.5, p.mean[1] - q.mean[1], p.mean[2] - q.mean[2]);
  return meanGap < tolerance && modelDistance(p, q) < tolerance * 1.5 && Math.abs(p.spread[0] - q.spread[0]) < 8;
}

/** Local average CIELAB on a half-resolution grid covering a rectangle of the image. */
export interface SmoothLab {
  data: Float32Array;
  /** Grid size (half the rectangle's, rounded up). */
  width: number;
  height: number;
  x0: number;
  y0: number;
}

/**
 * Box-filtered CIELAB (radius in image px): the local average colour, so a print reads as one
 * colour. Computed on a half-resolution grid over `rect` (a local average needs no more).
 */
export function smoothLab(lab: Float32Array, width: number, rect: Rect, radius: number): SmoothLab {
  const gw = Math.max(1, Math.ceil((rect.x1 - rect.x0) / 2));
  const gh = Math.max(1, Math.ceil((rect.y1 - rect.y0) / 2));
  const half = new Float32Array(gw * gh * 3);
  for (let gy = 0; gy < gh; gy++) {
    for (let gx = 0; gx < gw; gx++) {
      let n = 0;
      let acc0 = 0;
      let acc1 = 0;
      let acc2 = 0;
      for (let dy = 0; dy < 2; dy++) {
        const y = rect.y0 + gy * 2 + dy;
        if (y >= rect.y1) continue;
        for (let dx = 0; dx < 2; dx++) {
          const x = rect.x0 + gx * 2 + dx;
          if (x >= rect.x1) continue;
          const o = (y * width + x) * 3;
          acc0 += lab[o];
          acc1 += lab[o + 1];
          acc2 += lab[o + 2];
          n++;
        }
      }
      const o = (gy * gw + gx) * 3;
      half[o] = acc0 / n;
      half[o + 1] = acc1 / n;
      half[o + 2] = acc2 / n;
    }
  }
  return { data: boxBlur3(half, gw, gh, Math.max(1, Math.round(radius / 2))), width: gw, height: gh, x0: rect.x0, y0: rect.y0 };
}

/** Offset into `s.data` of the smoothed colour at image pixel (x, y). */
export function smoothOffset(s: SmoothLab, x: number, y: number): number {
  const gx = Math.min(s.width - 1, Math.max(0, (x - s.x0) >> 1));
  const gy = Math.min(s.height - 1, Math.max(0, (y - s.y0) >> 1));
  return (gy * s.width + gx) * 3;
}

/** Separable box blur (clipped at the edges) of a 3-channel float grid. */
function boxBlur3(src: Float32Array, w: number, h: number, radius: number): Float32Array {
  const tmp = new Float32Array(src.length);
  const out = new Float32Array(src.length);
  // Horizontal pass: the three channels' running sums side by side (each sees the same sequence
  // of additions and subtractions as a pass of its own).
  for (let y = 0; y < h; y++) {
    const row = y * w * 3;
    let acc0 = 0;
    let acc1 = 0;
    let acc2 = 0;
    let n = 0;
    for (let x = -radius; x < w + radius; x++) {
      const add = x + radius;
      if (add < w) {
        const o = row + add * 3;
        acc0 += src[o];
        acc1 += src[o + 1];
        acc2 += src[o + 2];
        n++;
      }
      const drop = x - radius - 1;
      if (drop >= 0) {
        const o = row + drop * 3;
        acc0 -= src[o];
        acc1 -= src[o + 1];
        acc2 -= src[o + 2];
        n--;
      }
      if (x >= 0 && x < w) {
        const o = row + x * 3;
        tmp[o] = acc0 / n;
        tmp[o + 1] = acc1 / n;
        tmp[o + 2] = acc2 / n;
      }
    }
  }
  // Vertical pass row by row, one running sum per column and channel: each sum sees the same
  // additions and subtractions in the same order as a column-by-column pass, reading memory in order.
  const acc = new Float64Array(w * 3);
  for (let y = -radius; y < h + radius; y++) {
    const add = y + radius;
    const drop = y - radius - 1;
    if (add < h) for (let k = 0, o = add * w * 3; k < w * 3; k++) acc[k] += tmp[o + k];
    if (drop >= 0) for (let k = 0, o = drop * w * 3; k < w * 3; k++) acc[k] -= tmp[o + k];
    if (y >= 0 && y < h) {
      // Window rows actually inside the grid (the count the column pass kept).
      const n = Math.min(h - 1, y + radius) - Math.max(0, y - radius) + 1;
      for (let k = 0, o = y * w * 3; k < w * 3; k++) out[o + k] = acc[k] / n;
    }
  }
  return out;
}

/**
 * Local standard deviation of lightness in a (2 radius + 1)² window, inside `rect` (0 elsewhere).
 * Skin is smooth (about 1 L unit); printed, checked or knitted fabric is not (5-20), which is what
 * separates a nude-coloured dress from the skin it resembles. `stride`: values per pixel in `lab`,
 * lightness first (1 for a lightness plane alone, a third of a whole photo's CIELAB).
 */
export function lightnessTexture(lab: Float32Array, width: number, rect: Rect, radius: number, stride = 3): Float32Array {
  const { x0, y0, x1, y1 } = rect;
  const w = x1 - x0;
  const h = y1 - y0;
  const out = new Float32Array(lab.length / stride);
  if (w <= 0 || h <= 0) return out;
  const sum = new Float64Array((w + 1) * (h + 1));
  const sq = new Float64Array((w + 1) * (h + 1));
  for (let y = 0; y < h; y++) {
    let rowSum = 0;
    let rowSq = 0;
    for (let x = 0; x < w; x++) {
      const l = lab[((y0 + y) * width + x0 + x) * stride];
      rowSum += l;
      rowSq += l * l;
      const k = (y + 1) * (w + 1) + x + 1;
      sum[k] = sum[k - (w + 1)] + rowSum;
      sq[k] = sq[k - (w + 1)] + rowSq;
    }
  }
  for (let y = 0; y < h; y++) {
    const ya = Math.max(0, y - radius);
    const yb = Math.min(h, y + radius + 1);
    for (let x = 0; x < w; x++) {
      const xa = Math.max(0, x - radius);
      const xb = Math.min(w, x + radius + 1);
      const n = (yb - ya) * (xb - xa);
      const a = yb * (w + 1) + xb;
      const b = ya * (w + 1) + xb;
      const c = yb * (w + 1) + xa;
      const d = ya * (w + 1) + xa;
      const mean = (sum[a] - sum[b] - sum[c] + sum[d]) / n;
      const variance = (sq[a] - sq[b] - sq[c] + sq[d]) / n - mean * mean;
      out[(y0 + y) * width + x0 + x] = Math.sqrt(Math.max(0, variance));
    }
  }
  return out;
}
