/** Robust colour statistics over pixel sets, shared by the hair and garment steps. */
import type { Rect } from './grid.ts';

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
  const channel = (c: number) => {
    const values: number[] = [];
    for (let k = 0; k < n; k += step) values.push(lab[pixels[k] * 3 + c]);
    values.sort((a, b) => a - b);
    const median = values[values.length >> 1];
    const dev = values.map((v) => Math.abs(v - median)).sort((a, b) => a - b);
    return [median, 1.4826 * dev[dev.length >> 1]];
  };
  const [l, a, b] = [channel(0), channel(1), channel(2)];
  const mean: [number, number, number] = [0, 0, 0];
  let m = 0;
  for (let k = 0; k < n; k += step, m++) for (let c = 0; c < 3; c++) mean[c] += lab[pixels[k] * 3 + c];
  for (let c = 0; c < 3; c++) mean[c] /= m;
  return { lab: [l[0], a[0], b[0]], spread: [l[1], a[1], b[1]], mean, count: n };
}

/** Colour distance with lightness at half weight (shading moves L more than a*, b*). */
export function colourDistance(lab: ArrayLike<number>, offset: number, model: ColourModel): number {
  return Math.hypot((lab[offset] - model.lab[0]) * 0.5, lab[offset + 1] - model.lab[1], lab[offset + 2] - model.lab[2]);
}

export function modelDistance(p: ColourModel, q: ColourModel): number {
  return colourDistance(p.lab, 0, q);
}

/**
 * Distance of an averaged colour (a blurred pixel, a row mean) to the model's mean colour, with
 * lightness at full weight: averaged over a patch, shading matters less than telling black from
 * charcoal.
 */
export function meanDistance(lab: ArrayLike<number>, offset: number, model: ColourModel): number {
  return Math.hypot(lab[offset] - model.mean[0], lab[offset + 1] - model.mean[1], lab[offset + 2] - model.mean[2]);
}

/** Whether two fabrics look alike: same mean colour and similar texture (spread of lightness). */
export function sameFabric(p: ColourModel, q: ColourModel, tolerance: number): boolean {
  const meanGap = Math.hypot((p.mean[0] - q.mean[0]) * 0.5, p.mean[1] - q.mean[1], p.mean[2] - q.mean[2]);
  return meanGap < tolerance && modelDistance(p, q) < tolerance * 1.5 && Math.abs(p.spread[0] - q.spread[0]) < 8;
}

/**
 * Box-filtered CIELAB (radius in px): the local average colour, so a print reads as one colour.
 * Only `rect` is filtered (the box is clipped to it); the rest of the output stays 0.
 */
export function blurLab(lab: Float32Array, width: number, rect: Rect, radius: number): Float32Array {
  const { x0, y0, x1, y1 } = rect;
  const tmp = new Float32Array(lab.length);
  const out = new Float32Array(lab.length);
  for (let y = y0; y < y1; y++) {
    for (let c = 0; c < 3; c++) {
      let acc = 0;
      let n = 0;
      for (let x = x0 - radius; x < x1 + radius; x++) {
        const add = x + radius;
        if (add >= x0 && add < x1) {
          acc += lab[(y * width + add) * 3 + c];
          n++;
        }
        const drop = x - radius - 1;
        if (drop >= x0 && drop < x1) {
          acc -= lab[(y * width + drop) * 3 + c];
          n--;
        }
        if (x >= x0 && x < x1) tmp[(y * width + x) * 3 + c] = acc / n;
      }
    }
  }
  for (let x = x0; x < x1; x++) {
    for (let c = 0; c < 3; c++) {
      let acc = 0;
      let n = 0;
      for (let y = y0 - radius; y < y1 + radius; y++) {
        const add = y + radius;
        if (add >= y0 && add < y1) {
          acc += tmp[(add * width + x) * 3 + c];
          n++;
        }
        const drop = y - radius - 1;
        if (drop >= y0 && drop < y1) {
          acc -= tmp[(drop * width + x) * 3 + c];
          n--;
        }
        if (y >= y0 && y < y1) out[(y * width + x) * 3 + c] = acc / n;
      }
    }
  }
  return out;
}

/**
 * Local standard deviation of lightness in a (2 radius + 1)² window, inside `rect` (0 elsewhere).
 * Skin is smooth (about 1 L unit); printed, checked or knitted fabric is not (5-20), which is what
 * separates a nude-coloured dress from the skin it resembles.
 */
export function lightnessTexture(lab: Float32Array, width: number, rect: Rect, radius: number): Float32Array {
  const { x0, y0, x1, y1 } = rect;
  const w = x1 - x0;
  const h = y1 - y0;
  const out = new Float32Array(lab.length / 3);
  if (w <= 0 || h <= 0) return out;
  const sum = new Float64Array((w + 1) * (h + 1));
  const sq = new Float64Array((w + 1) * (h + 1));
  for (let y = 0; y < h; y++) {
    let rowSum = 0;
    let rowSq = 0;
    for (let x = 0; x < w; x++) {
      const l = lab[((y0 + y) * width + x0 + x) * 3];
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
