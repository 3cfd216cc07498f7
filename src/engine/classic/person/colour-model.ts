/** Robust colour statistics over pixel sets, shared by the hair and garment steps. */

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

/** Box-filtered CIELAB (radius in px): the local average colour, so a print reads as one colour. */
export function blurLab(lab: Float32Array, width: number, height: number, radius: number): Float32Array {
  const tmp = new Float32Array(lab.length);
  const out = new Float32Array(lab.length);
  for (let y = 0; y < height; y++) {
    for (let c = 0; c < 3; c++) {
      let acc = 0;
      let n = 0;
      for (let x = -radius; x < width + radius; x++) {
        const add = x + radius;
        if (add < width) {
          acc += lab[(y * width + add) * 3 + c];
          n++;
        }
        const drop = x - radius - 1;
        if (drop >= 0) {
          acc -= lab[(y * width + drop) * 3 + c];
          n--;
        }
        if (x >= 0 && x < width) tmp[(y * width + x) * 3 + c] = acc / n;
      }
    }
  }
  for (let x = 0; x < width; x++) {
    for (let c = 0; c < 3; c++) {
      let acc = 0;
      let n = 0;
      for (let y = -radius; y < height + radius; y++) {
        const add = y + radius;
        if (add < height) {
          acc += tmp[(add * width + x) * 3 + c];
          n++;
        }
        const drop = y - radius - 1;
        if (drop >= 0) {
          acc -= tmp[(drop * width + x) * 3 + c];
          n--;
        }
        if (y >= 0 && y < height) out[(y * width + x) * 3 + c] = acc / n;
      }
    }
  }
  return out;
}
