/**
 * Where the old garment is, as the repaint region needs it: the parsing's garment labels, cleaned
 * of the thin rims that parsing leaves along other parts' outlines (a band around the face that is
 * not face, hair or neck), and grown over the garment's own outline, which the labels stop short
 * of (the darker double layer at a sheer sleeve's edge, the blurred rim of a black tee on a white
 * backdrop). A pixel left out there survives the repaint as a ghost outline of the old garment.
 */
import { createMask, type Mask, type Raster } from '../../../imaging/raster.ts';
import { dilate, erode } from '../garment/components.ts';
import { boundingRect } from '../person/grid.ts';

export interface GarmentRegionOptions {
  /** Rows above this are never old garment (the chin: no top or dress rises above it). */
  ceilingY?: number;
  /** How far (px) the region may grow over pixels that look like the garment. */
  growth?: number;
  /** Structures thinner than about twice this (px) are parsing rims, not garment. */
  rim?: number;
  /**
   * The person (≥ 128): growth stays on it, because a pale garment and a pale backdrop look alike
   * and the backdrop beside a white top is not its outline.
   */
  person?: Mask;
}

/** Cell size (px) of the grid on which the garment's and the surroundings' colours are averaged. */
const CELL = 8;

/**
 * Mean colour per cell over the (2·reach+1)² cells around it, from per-cell sums (R, G, B,
 * count); NaN where no pixel of the class is near.
 */
function cellMeans(sums: Float64Array, gw: number, gh: number, reach: number): Float32Array {
  const out = new Float32Array(gw * gh * 3);
  for (let gy = 0; gy < gh; gy++) {
    for (let gx = 0; gx < gw; gx++) {
      let r = 0, g = 0, b = 0, n = 0;
      for (let y = Math.max(0, gy - reach); y <= Math.min(gh - 1, gy + reach); y++) {
        for (let x = Math.max(0, gx - reach); x <= Math.min(gw - 1, gx + reach); x++) {
          const k = (y * gw + x) * 4;
          r += sums[k];
          g += sums[k + 1];
          b += sums[k + 2];
          n += sums[k + 3];
        }
      }
      const o = (gy * gw + gx) * 3;
      out[o] = n > 0 ? r / n : NaN;
      out[o + 1] = n > 0 ? g / n : NaN;
      out[o + 2] = n > 0 ? b / n : NaN;
    }
  }
  return out;
}


export function oldGarmentRegion(labelled: Mask, image: Raster, options: GarmentRegionOptions = {}): Mask {
  // Everything happens near the labelled garment: work on its bounding box, grown by the reach of
  // the growth and the colour averages.
  const { width, height } = labelled;
  const out = createMask(width, height);
  const margin = (options.growth ?? 6) + (options.rim ?? 2) + 3 * CELL;
  const box = boundingRect(labelled.data, width, height, margin, (v) => v >= 128);
  if (!box) return out;
  const { x0, y0 } = box;
  const cw = box.x1 - x0;
  const ch = box.y1 - y0;
  const crop = <T extends Mask | Raster>(src: T, channels: number): T => {
    const data = new Uint8Array(cw * ch * channels);
    for (let y = 0; y < ch; y++) data.set(src.data.subarray(((y0 + y) * width + x0) * channels, ((y0 + y) * width + x0 + cw) * channels), y * cw * channels);
    return { ...src, width: cw, height: ch, data };
  };
  const region = regionInCrop(crop(labelled, 1), crop(image, image.channels), {
    ...options,
    ceilingY: options.ceilingY === undefined ? undefined : options.ceilingY - y0,
    person: options.person && crop(options.person, 1),
  });
  for (let y = 0; y < ch; y++) out.data.set(region.data.subarray(y * cw, (y + 1) * cw), (y0 + y) * width + x0);
  return out;
}

function regionInCrop(labelled: Mask, image: Raster, options: GarmentRegionOptions): Mask {
  const { width: w, height: h } = labelled;
  const rim = options.rim ?? 2;
  const growth = options.growth ?? 6;
  const person = options.person;
  const labels = new Uint8Array(w * h);
  for (let i = 0; i < w * h; i++) labels[i] = labelled.data[i] >= 128 ? 1 : 0;
  // Opening with a (2·rim+1)² square: rims thinner than that vanish. It also rounds off a
  // garment's thin tips (a strap's end): keep labelled pixels next to what survived, drop only
  // the rims that lost all their body.
  const near = rim > 0 ? dilate(dilate(erode(labels, w, h, rim), w, h, rim), w, h, rim + 1) : labels;
  const region = createMask(w, h);
  const ceiling = Math.max(0, Math.floor(options.ceilingY ?? 0));
  for (let i = ceiling * w; i < w * h; i++) region.data[i] = labels[i] && near[i] ? 255 : 0;
  if (growth <= 0) return region;

  // Local mean colour of the garment and of everything else around it (beyond the growth band),
  // each averaged only over its own pixels, on a grid of cells (a few cells across: the garment's
  // colour beside a band pixel, not the whole garment's); a band pixel joins when it is nearer
  // the garment's.
  const inRegion = new Uint8Array(w * h);
  for (let i = 0; i < w * h; i++) inRegion[i] = region.data[i] ? 1 : 0;
  const band = dilate(inRegion, w, h, growth);
  const gw = Math.ceil(w / CELL);
  const gh = Math.ceil(h / CELL);
  const garmentSum = new Float64Array(gw * gh * 4);
  const otherSum = new Float64Array(gw * gh * 4);
  const channels = image.channels;
  const pixels = image.data;
  for (let y = 0; y < h; y++) {
    const cellRow = ((y / CELL) | 0) * gw;
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const k = (cellRow + ((x / CELL) | 0)) * 4;
      const p = i * channels;
      if (inRegion[i]) {
        garmentSum[k] += pixels[p];
        garmentSum[k + 1] += pixels[p + 1];
        garmentSum[k + 2] += pixels[p + 2];
        garmentSum[k + 3] += 1;
      } else if (!band[i]) {
        otherSum[k] += pixels[p];
        otherSum[k + 1] += pixels[p + 1];
        otherSum[k + 2] += pixels[p + 2];
        otherSum[k + 3] += 1;
      }
    }
  }
  const garmentMean = cellMeans(garmentSum, gw, gh, 1);
  const otherMean = cellMeans(otherSum, gw, gh, 2);
  const looksLikeGarment = (i: number): boolean => {
    const x = i % w;
    const k = (Math.floor((i - x) / w / CELL) * gw + Math.floor(x / CELL)) * 3;
    if (Number.isNaN(garmentMean[k]) || Number.isNaN(otherMean[k])) return false;
    let toGarment = 0;
    let toOther = 0;
    for (let c = 0; c < 3; c++) {
      const v = image.data[i * image.channels + c];
      toGarment += (v - garmentMean[k + c]) ** 2;
      toOther += (v - otherMean[k + c]) ** 2;
    }
    return toGarment < toOther;
  };
  // Breadth-first from the region's edge, through look-alike pixels only, `growth` steps deep.
  const top = ceiling * w;
  const grow = (q: number, next: number[]): void => {
    if (q < top || q >= w * h || region.data[q] || (person && person.data[q] < 128) || !looksLikeGarment(q)) return;
    region.data[q] = 255;
    next.push(q);
  };
  let front: number[] = [];
  for (let i = top; i < w * h; i++) {
    if (!region.data[i]) continue;
    const x = i % w;
    // Only the edge can grow: a pixel with a neighbour outside the region.
    if ((x > 0 && !region.data[i - 1]) || (x < w - 1 && !region.data[i + 1]) || (i >= w && !region.data[i - w]) || (i < w * (h - 1) && !region.data[i + w])) front.push(i);
  }
  for (let step = 0; step < growth && front.length; step++) {
    const next: number[] = [];
    for (const p of front) {
      const x = p % w;
      if (x > 0) grow(p - 1, next);
      if (x < w - 1) grow(p + 1, next);
      grow(p - w, next);
      grow(p + w, next);
    }
    front = next;
  }
  return region;
}
