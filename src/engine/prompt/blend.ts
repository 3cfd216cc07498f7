/**
 * What `guidance_scale` and `num_inference_steps` do to a prompt edit (README.md says the same for
 * users). Both act on the garment layer before it goes through the classic engine's shared
 * rendering path (composeIntoPhoto), so try-on and prompt edits still share one compositor.
 *
 * guidance_scale g (1..100), w = (g − 1) / 99:
 * - opacity = min(1, 0.2 + 0.8·(g − 1)/49): the layer's alpha scale. g = 1 lays the new colour over
 *   the current garment at 20 % (a tint; the garment's own colours and print show through);
 *   from g = 50 (the default) on the new appearance covers the old completely.
 * - kept detail k: how much of the photo's own fine luminance detail (the old garment's print,
 *   logo, weave and seams; ratio of luminance to its 1.5 %-of-width blur) is multiplied onto the
 *   layer, on top of the broad folds and shadows every render borrows. Up to the default it falls
 *   from 0.5 at g = 1 to 0.01 at g = 50 (k = 0.01 + 0.49·((50 − g)/49)², 0.138 at g = 25: the
 *   old print reads through the tint), then as 0.01·√((100 − g)/50) to 0 at g = 100 (0.0071 at
 *   g = 75), a clean surface. At the default it is a trace under two levels: with 0.5·(1 − w)³, 0.064 there, a
 *   crochet shirt's holes, a dog motif or a plaid printed through every new plain garment as a
 *   ghost (and at 0.5·(1 − w)², 0.13, a plaid shirt through a new dress).
 * Both terms fall monotonically as g rises, so the rendered garment's colour distance to the
 * requested colour falls monotonically with g.
 *
 * num_inference_steps n (1..50): n iterations of edge-aware seam relaxation of the layer's
 * coverage in a 3-px band around its outline: each step moves every band pixel's alpha towards
 * its 4 neighbours (rate 0.12), each neighbour weighted by 0.5 + 0.5·exp(−ΔL²/σ²) of the photo's
 * luminance difference (σ = 12 levels), so the seam softens twice as fast where the photo is smooth
 * as across the photo's own edges (arm against torso, body against backdrop). Each step lowers the
 * weighted gradient energy of the alpha band, so more steps give a smoother seam (monotonically,
 * with diminishing returns) and cost time linearly (about 0.3 ms per step at 768x1024).
 */
import { type Mask, type Raster } from '../../imaging/raster.ts';
import { boundingRect } from '../classic/person/grid.ts';
import { crop } from '../../imaging/transform.ts';

export const GUIDANCE_DEFAULT = 50;
export const STEPS_DEFAULT = 28;

export function guidanceOpacity(guidance: number): number {
  return Math.min(1, 0.2 + (0.8 * (guidance - 1)) / 49);
}

/** Kept detail at g = 1 and at the default g (see the header): a tint's print, and a trace under two levels. */
const KEPT_DETAIL_AT_1 = 0.5;
const KEPT_DETAIL_AT_DEFAULT = 0.01;

export function guidanceKeptDetail(guidance: number): number {
  if (guidance <= GUIDANCE_DEFAULT) {
    const t = (GUIDANCE_DEFAULT - guidance) / (GUIDANCE_DEFAULT - 1);
    return KEPT_DETAIL_AT_DEFAULT + (KEPT_DETAIL_AT_1 - KEPT_DETAIL_AT_DEFAULT) * t * t;
  }
  // A square root, not a straight line: at g = 75 the trace must still move the colour (the
  // rendered colour distance falls strictly from 50 to 75 to 100), at a linear 0.005 it did not.
  return KEPT_DETAIL_AT_DEFAULT * Math.sqrt((100 - guidance) / (100 - GUIDANCE_DEFAULT));
}

/** Box radius of the fine-detail ratio, as a share of the image width: keeps prints and weave, drops folds. */
const DETAIL_RADIUS_SHARE = 0.015;

/** Bounding box of the pixels with alpha > 0, grown by `margin` and clipped to the image; null when empty. */
export function alphaBox(layer: Raster, margin: number): { x0: number; y0: number; x1: number; y1: number } | null {
  const { width: w, height: h, data } = layer;
  let x0 = w;
  let y0 = h;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < h; y++) {
    for (let x = 0, p = y * w * 4 + 3; x < w; x++, p += 4) {
      if (data[p] === 0) continue;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      y1 = y;
    }
  }
  if (x1 < 0) return null;
  return { x0: Math.max(0, x0 - margin), y0: Math.max(0, y0 - margin), x1: Math.min(w - 1, x1 + margin), y1: Math.min(h - 1, y1 + margin) };
}

/**
 * Multiplies the layer (in place, where alpha > 0) by 1 + k·(detail − 1). `detail` is the photo's
 * luminance over its local mean on `region` (the old garment): a box mean of radius 1.5 % of the
 * image width, normalised by the region's own coverage (mean(L·m) / mean(m), integral images), so
 * the backdrop does not leak in; clamped to 0.3..2; exactly 1 outside the region. The old
 * garment's print and texture then show through the new colour in proportion to k; k = 0 changes
 * nothing.
 */
export function keepPhotoDetail(layer: Raster, photo: Raster, region: Mask, k: number): void {
  if (k <= 0) return;
  const box = alphaBox(layer, detailRadius(photo) + 1);
  if (!box) return;
  scaleByDetail(layer.data, 4, { data: layer.data, stride: 4, offset: 3 }, box, layer.width, photo, region, k);
}

/**
 * keepPhotoDetail on a rendered RGB image, in place where `covered` is non-zero (the same box and
 * arithmetic as on an RGBA layer of those pixels, so the same bytes). A pass's result went through
 * an RGBA copy of the whole image and back: at 1920x2880 (imag) that copy and its garbage cost
 * more than the detail itself.
 */
export function keepPhotoDetailWhere(image: Raster, covered: Mask, photo: Raster, region: Mask, k: number): void {
  if (k <= 0) return;
  const rect = boundingRect(covered.data, covered.width, covered.height, detailRadius(photo) + 1, (v) => v !== 0);
  if (!rect) return;
  // boundingRect's far edges are exclusive, alphaBox's inclusive.
  scaleByDetail(image.data, image.channels, { data: covered.data, stride: 1, offset: 0 }, { x0: rect.x0, y0: rect.y0, x1: rect.x1 - 1, y1: rect.y1 - 1 }, image.width, photo, region, k);
}

function detailRadius(photo: Raster): number {
  return Math.max(2, Math.round(photo.width * DETAIL_RADIUS_SHARE));
}

/** Gamma of the sRGB values the detail factor scales: a linear-light factor f is f^(1/2.2) on them. */
const DETAIL_GAMMA = 2.2;
const DETAIL_EXPONENT = 1 / DETAIL_GAMMA;

/**
 * keepPhotoDetail's work on `d` (`stride` bytes a pixel, RGB first) inside `box`, where the coverage
 * byte (`cover.data[i * cover.stride + cover.offset]`: a layer's alpha, or a mask) is non-zero.
 */
function scaleByDetail(d: Uint8Array, stride: number, cover: { data: Uint8Array; stride: number; offset: number }, box: { x0: number; y0: number; x1: number; y1: number }, w: number, photo: Raster, region: Mask, k: number): void {
  const r = detailRadius(photo);
  const bw = box.x1 - box.x0 + 1;
  const bh = box.y1 - box.y0 + 1;
  // Integral images of L·m and m over the box (one extra row and column of zeros).
  const sumLm = new Float64Array((bw + 1) * (bh + 1));
  const sumM = new Float64Array((bw + 1) * (bh + 1));
  const lum = new Float32Array(bw * bh);
  const pc = photo.channels;
  for (let y = 0; y < bh; y++) {
    let rowLm = 0;
    let rowM = 0;
    for (let x = 0; x < bw; x++) {
      const i = (box.y0 + y) * w + box.x0 + x;
      const p = i * pc;
      const l = pc >= 3 ? 0.2126 * photo.data[p] + 0.7152 * photo.data[p + 1] + 0.0722 * photo.data[p + 2] : photo.data[p];
      lum[y * bw + x] = l;
      const m = region.data[i] / 255;
      rowLm += l * m;
      rowM += m;
      sumLm[(y + 1) * (bw + 1) + x + 1] = sumLm[y * (bw + 1) + x + 1] + rowLm;
      sumM[(y + 1) * (bw + 1) + x + 1] = sumM[y * (bw + 1) + x + 1] + rowM;
    }
  }
  for (let y = 0; y < bh; y++) {
    const ya = Math.max(0, y - r);
    const yb = Math.min(bh, y + r + 1);
    for (let x = 0; x < bw; x++) {
      const i = (box.y0 + y) * w + box.x0 + x;
      const p = i * stride;
      const m = region.data[i];
      if (m === 0 || cover.data[i * cover.stride + cover.offset] === 0) continue;
      const xa = Math.max(0, x - r);
      const xb = Math.min(bw, x + r + 1);
      const i11 = yb * (bw + 1) + xb;
      const i01 = ya * (bw + 1) + xb;
      const i10 = yb * (bw + 1) + xa;
      const i00 = ya * (bw + 1) + xa;
      const weight = sumM[i11] - sumM[i01] - sumM[i10] + sumM[i00];
      if (weight <= 1e-6) continue;
      const mean = (sumLm[i11] - sumLm[i01] - sumLm[i10] + sumLm[i00]) / weight;
      if (mean < 2) continue; // near-black surroundings carry no usable ratio
      let ratio = lum[y * bw + x] / mean;
      ratio = ratio < 0.3 ? 0.3 : ratio > 2 ? 2 : ratio;
      // Soft region edges fade the effect out; sRGB values scale by f^(1/2.2) ≈ a linear-light factor f.
      const f = 1 + k * (ratio - 1) * (m / 255);
      const g = f ** DETAIL_EXPONENT;
      for (let c = 0; c < 3; c++) {
        const v = Math.round(d[p + c] * g);
        d[p + c] = v > 255 ? 255 : v;
      }
    }
  }
}

const SEAM_BAND = 3;
const SEAM_RATE = 0.12;
const SEAM_SIGMA = 12;
/** Every neighbour keeps at least this weight, so each step also smooths across the photo's edges a little (monotone energy). */
const SEAM_FLOOR = 0.5;

/** Pixels within SEAM_BAND px (chessboard) of the layer's outline: where alpha may change (indices into the w x h box). */
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
  // Within SEAM_BAND (chessboard) of an edge pixel: the square round each one. The outline is a few
  // per cent of the box, so this touches far fewer pixels than sweeping every row and column.
  const near = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (!edge[y * w + x]) continue;
      const ya = Math.max(0, y - SEAM_BAND);
      const yb = Math.min(h - 1, y + SEAM_BAND);
      const xa = Math.max(0, x - SEAM_BAND);
      const xb = Math.min(w - 1, x + SEAM_BAND);
      for (let v = ya; v <= yb; v++) near.fill(1, v * w + xa, v * w + xb + 1);
    }
  }
  // Border pixels stay fixed (the update reads all four neighbours). Counted first, then filled:
  // a growing number[] of every band pixel was a large share of the seam's time.
  let count = 0;
  for (let y = 1; y < h - 1; y++) for (let x = 1; x < w - 1; x++) count += near[y * w + x];
  const out = new Int32Array(count);
  let n = 0;
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) if (near[y * w + x]) out[n++] = y * w + x;
  }
  return out;
}

/** Rec. 601 luma of an RGB (or grey) pixel. */
function lumaAt(data: Uint8Array, p: number, channels: number): number {
  return channels >= 3 ? 0.299 * data[p] + 0.587 * data[p + 1] + 0.114 * data[p + 2] : data[p];
}

/**
 * `steps` iterations of the edge-aware relaxation of `alpha` (w x h, 0..255, in place) over the
 * band pixels, weighted by the luma map's differences. The band (seamBand) keeps one pixel off the
 * box's border, so the four neighbours are always inside.
 */
function relaxAlpha(alpha: Float32Array, band: Int32Array, luma: Float64Array, w: number, steps: number): void {
  const weight = (li: number, j: number): number => {
    const dl = li - luma[j];
    return SEAM_FLOOR + (1 - SEAM_FLOOR) * Math.exp(-(dl * dl) / (SEAM_SIGMA * SEAM_SIGMA));
  };
  const wr = new Float32Array(band.length);
  const wl = new Float32Array(band.length);
  const wu = new Float32Array(band.length);
  const wd = new Float32Array(band.length);
  for (let k = 0; k < band.length; k++) {
    const i = band[k];
    const li = luma[i];
    wr[k] = weight(li, i + 1);
    wl[k] = weight(li, i - 1);
    wu[k] = weight(li, i - w);
    wd[k] = weight(li, i + w);
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
}

/**
 * Band pixels whose relaxed coverage (`cover(i)`, 0..255) reaches 0.5 but that had no colour
 * (`coloured` 0) take the colour of their most covered coloured neighbour, one ring per pass, so a
 * soft edge carries the garment's (or the surroundings') colour. `offset(i)` is pixel i's first
 * byte in `data` (RGB or RGBA). Marks them in `coloured`.
 */
function extendColours(data: Uint8Array, offset: (i: number) => number, coloured: Uint8Array, band: Int32Array, cover: (i: number) => number, w: number, rings = SEAM_BAND + 1): void {
  const newly: number[] = [];
  for (let pass = 0; pass < rings; pass++) {
    newly.length = 0;
    for (let k = 0; k < band.length; k++) {
      const i = band[k];
      if (coloured[i] || cover(i) < 0.5) continue;
      let best = -1;
      if (coloured[i - 1]) best = i - 1;
      if (coloured[i + 1] && (best < 0 || cover(i + 1) > cover(best))) best = i + 1;
      if (coloured[i - w] && (best < 0 || cover(i - w) > cover(best))) best = i - w;
      if (coloured[i + w] && (best < 0 || cover(i + w) > cover(best))) best = i + w;
      if (best < 0) continue;
      const p = offset(i);
      const q = offset(best);
      data[p] = data[q];
      data[p + 1] = data[q + 1];
      data[p + 2] = data[q + 2];
      newly.push(i);
    }
    for (const i of newly) coloured[i] = 1;
  }
}

/**
 * `steps` iterations of edge-aware relaxation of the layer's alpha in the seam band (in place).
 * Where the relaxed alpha reaches a pixel the layer had no colour for, the colour of the nearest
 * covered neighbour is copied so the soft edge has the garment's colour.
 */
export function relaxSeam(layer: Raster, photo: Raster, steps: number): void {
  // Work in the box around the layer's coverage (plus the band): the rest of the image cannot change.
  const box = alphaBox(layer, SEAM_BAND + 2);
  if (!box) return;
  const W = layer.width;
  const w = box.x1 - box.x0 + 1;
  const h = box.y1 - box.y0 + 1;
  const d = layer.data;
  const pc = photo.channels;
  const alpha = new Float32Array(w * h);
  const alpha8 = new Uint8Array(w * h);
  const luma = new Float64Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const f = (box.y0 + y) * W + box.x0 + x;
      const a = d[f * 4 + 3];
      alpha[y * w + x] = a;
      alpha8[y * w + x] = a;
      luma[y * w + x] = lumaAt(photo.data, f * pc, pc);
    }
  }
  const band = seamBand(alpha8, w, h);
  if (band.length === 0) return;
  relaxAlpha(alpha, band, luma, w, steps);
  const full = (i: number): number => (box.y0 + Math.floor(i / w)) * W + box.x0 + (i % w);
  // Pixels the relaxed alpha newly reaches take the colour of a coloured neighbour, one ring per pass.
  const coloured = new Uint8Array(w * h);
  for (let i = 0; i < coloured.length; i++) coloured[i] = alpha8[i] > 0 ? 1 : 0;
  extendColours(d, (i) => full(i) * 4, coloured, band, (i) => alpha[i], w);
  for (let k = 0; k < band.length; k++) {
    const i = band[k];
    const a = coloured[i] ? Math.round(alpha[i]) : 0;
    d[full(i) * 4 + 3] = a < 0 ? 0 : a > 255 ? 255 : a;
  }
}

/**
 * num_inference_steps on a rendered result (product-shot garments, which the classic engine
 * composites itself): the same edge-aware seam relaxation as relaxSeam, run on the new garment's
 * coverage in the result. The garment's colour is carried outwards and the surroundings' colour
 * inwards across the outline (relaxSeam's colour extension, run on the garment and on its
 * complement, whose relaxed coverage is 255 minus the garment's: the relaxation is linear), and
 * each band pixel becomes their mix by the relaxed coverage. Only pixels inside `within` (the
 * repaint mask) change, so the input stays bit for bit outside it.
 */
export function relaxResultSeam(image: Raster, garment: Mask, guide: Raster, within: Mask, steps: number): void {
  const { width } = image;
  // Only the garment's box (plus the band) can change: work on that crop. boundingRect scans each
  // row in from both ends (a full scan of every pixel cost 0.1 s at 1920x2880); its far edges are
  // exclusive.
  const rect = boundingRect(garment.data, width, image.height, SEAM_BAND + 2, (v) => v >= 128);
  if (!rect) return;
  const { x0, y0 } = rect;
  const x1 = rect.x1 - 1;
  const y1 = rect.y1 - 1;
  const w = x1 - x0 + 1;
  const h = y1 - y0 + 1;
  const alpha8 = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) alpha8[y * w + x] = garment.data[(y0 + y) * width + x0 + x] >= 128 ? 255 : 0;
  }
  const band = seamBand(alpha8, w, h);
  if (band.length === 0) return;
  // The guide's luma is read only at band pixels and their four neighbours (relaxAlpha's weights):
  // worked out there alone, not over the whole box (a garment's box is about a megapixel at full
  // resolution, its band a few per cent of it).
  const luma = new Float64Array(w * h);
  const gc = guide.channels;
  const lumaOf = (n: number): void => {
    luma[n] = lumaAt(guide.data, ((y0 + Math.floor(n / w)) * width + x0 + (n % w)) * gc, gc);
  };
  for (let k = 0; k < band.length; k++) {
    const j = band[k];
    lumaOf(j);
    lumaOf(j - 1);
    lumaOf(j + 1);
    lumaOf(j - w);
    lumaOf(j + w);
  }
  // A typed-array copy: Float32Array.from walked the megapixel through the iterator protocol.
  const alpha = new Float32Array(alpha8);
  relaxAlpha(alpha, band, luma, w, steps);
  // The garment's colours carried outwards and the surroundings' inwards, each on its own copy.
  const inside = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) inside.set(image.data.subarray(((y0 + y) * width + x0) * 3, ((y0 + y) * width + x1 + 1) * 3), y * w * 3);
  const outside = inside.slice();
  const colouredIn = new Uint8Array(w * h);
  const colouredOut = new Uint8Array(w * h);
  for (let i = 0; i < alpha8.length; i++) {
    colouredIn[i] = alpha8[i] > 0 ? 1 : 0;
    colouredOut[i] = 1 - colouredIn[i];
  }
  const rgb = (i: number): number => i * 3;
  extendColours(inside, rgb, colouredIn, band, (i) => alpha[i], w);
  extendColours(outside, rgb, colouredOut, band, (i) => 255 - alpha[i], w);
  // Only band pixels can differ from the garment's hard outline.
  for (let k = 0; k < band.length; k++) {
    const j = band[k];
    const i = (y0 + Math.floor(j / w)) * width + x0 + (j % w);
    if (within.data[i] === 0) continue;
    const r = colouredIn[j] ? Math.round(alpha[j]) : 0;
    const a = r < 0 ? 0 : r > 255 ? 255 : r;
    if (a === alpha8[j]) continue;
    for (let c = 0; c < 3; c++) image.data[i * 3 + c] = Math.round((inside[j * 3 + c] * a + outside[j * 3 + c] * (255 - a)) / 255);
  }
}

/**
 * A rendered garment's inner rim beside what was put back round it (a kept top, see the prompt
 * pass's layering), recoloured from the garment further in: each rim pixel takes the colour of its
 * nearest non-rim garment neighbour, ring by ring. `beside(i)` says which pixels outside the
 * garment (coverage < 128) were put back; the rim is the garment's pixels within `rimPx`
 * (chessboard) of one of them. The classic engine's layer fades out over a few pixels inside the
 * coverage it reports, over what it painted beneath (skin where the old top was): put back round
 * it, the kept top met that fade, a pink ring round overalls' straps and bib and a sleeveless
 * garment's armholes. Only pixels inside `within` change.
 */
export function recolourRimBeside(image: Raster, garment: Mask, beside: (i: number) => boolean, within: Mask, rimPx: number): void {
  const { width, height } = image;
  const r = Math.max(1, Math.round(rimPx));
  const rect = boundingRect(garment.data, width, height, r + 2, (v) => v >= 128);
  if (!rect) return;
  const { x0, y0 } = rect;
  const w = rect.x1 - x0;
  const h = rect.y1 - y0;
  const full = (j: number): number => (y0 + Math.floor(j / w)) * width + x0 + (j % w);
  const garmentCrop = crop(garment, x0, y0, w, h).data;
  const solid = new Uint8Array(w * h);
  for (let j = 0; j < solid.length; j++) solid[j] = garmentCrop[j] >= 128 ? 1 : 0;
  const rim = new Uint8Array(w * h);
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      const j = y * w + x;
      if (solid[j] || !beside(full(j)) || !(solid[j - 1] || solid[j + 1] || solid[j - w] || solid[j + w])) continue;
      for (let v = Math.max(1, y - r); v <= Math.min(h - 2, y + r); v++) {
        for (let u = Math.max(1, x - r); u <= Math.min(w - 2, x + r); u++) if (solid[v * w + u]) rim[v * w + u] = 1;
      }
    }
  }
  let count = 0;
  for (let j = 0; j < rim.length; j++) count += rim[j];
  if (count === 0) return;
  const band = new Int32Array(count);
  const coloured = new Uint8Array(w * h);
  for (let j = 0, n = 0; j < rim.length; j++) {
    if (rim[j]) band[n++] = j;
    else coloured[j] = solid[j];
  }
  const colours = crop(image, x0, y0, w, h).data;
  // A slanted outline's rim is up to about twice r across a row: rings enough to cross it.
  extendColours(colours, (j) => j * 3, coloured, band, () => 255, w, 3 * r);
  for (let k = 0; k < band.length; k++) {
    const j = band[k];
    const i = full(j);
    if (within.data[i] === 0 || !coloured[j]) continue;
    for (let c = 0; c < 3; c++) image.data[i * 3 + c] = colours[j * 3 + c];
  }
}

/** What lies under a pixel of a gap through a new garment (closeGarmentGaps). */
export type GapGround = 'old' | 'person' | 'other';

/**
 * Share of a gap's pixels that must lie over the person's old garments for it to be closed: the
 * slits run along the old skirt's outline, partly over what the parsing calls backdrop (econ); a
 * gap of backdrop alone (between a sleeve and the body) is not the render's.
 */
const GAP_OLD_SHARE = 0.5;
/**
 * Largest share of a gap's pixels over the person (a hand, an arm, hair) for it to be closed: a
 * slit beside a hanging hand has a pixel or two of the hand's label at its end (the labels are
 * resized from the analysis size); a hand in the gap fills most of it and stays.
 */
const GAP_PERSON_SHARE = 0.25;

/**
 * Thin gaps through a rendered garment closed with the garment: along each row, a run of pixels
 * that are not garment (coverage < 128), between garment pixels at most `maxGapPx` apart, at least
 * GAP_OLD_SHARE of them over the person's old garments (`over(i)` 'old') or at most `thinGapPx`
 * wide whatever lies under it (a slit along the old skirt's outline, which the parsing calls
 * backdrop and the render left as the photo), at most GAP_PERSON_SHARE over the person ('person':
 * an arm, a hand, hair in front stay), takes the garment's colour, interpolated along the row
 * between the garment `rimPx` beyond each end (the classic layer's fading rim round the gap, inside
 * `within`, is repainted with it), and becomes garment in `garment` and repainted in `within`. The classic
 * engine leaves such slits where the warped garment's outline folds in over the old one (an old
 * navy skirt's dark strips down the sides of every dress on econ, the crochet top's holes through
 * a camisole on baumu); the old garment must not show through the new one.
 */
export function closeGarmentGaps(image: Raster, garment: Mask, over: (i: number) => GapGround, within: Mask, maxGapPx: number, thinGapPx: number, rimPx: number): void {
  const { width, height, channels } = image;
  const r = Math.max(0, Math.round(rimPx));
  const solid = (i: number): boolean => garment.data[i] >= 128;
  const filled: number[] = [];
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let x = 0;
    while (x < width && !solid(row + x)) x++;
    while (x < width) {
      // x is garment; find the next gap and its end.
      while (x < width && solid(row + x)) x++;
      const l = x;
      while (x < width && !solid(row + x)) x++;
      if (x >= width) break;
      const rEnd = x - 1;
      if (rEnd - l + 1 > maxGapPx) continue;
      let onOld = 0;
      let onPerson = 0;
      for (let u = l; u <= rEnd; u++) {
        const ground = over(row + u);
        if (ground === 'old') onOld++;
        else if (ground === 'person') onPerson++;
      }
      const n = rEnd - l + 1;
      if ((n > thinGapPx && onOld < GAP_OLD_SHARE * n) || onPerson > GAP_PERSON_SHARE * n) continue;
      // Reach over the fading rim where the garment is solid that far.
      let a = l - 1;
      let b = rEnd + 1;
      for (let k = 0; k < r && a - 1 >= 0 && solid(row + a - 1); k++) a--;
      for (let k = 0; k < r && b + 1 < width && solid(row + b + 1); k++) b++;
      for (let u = a + 1; u < b; u++) {
        const i = row + u;
        // The garment's own rim is repainted only inside the mask; the gap is repainted and joins it.
        if (within.data[i] === 0 && solid(i)) continue;
        within.data[i] = 255;
        const t = (u - a) / (b - a);
        for (let c = 0; c < 3; c++) image.data[i * channels + c] = Math.round(image.data[(row + a) * channels + c] * (1 - t) + image.data[(row + b) * channels + c] * t);
        if (!solid(i)) filled.push(i);
      }
    }
  }
  for (const i of filled) garment.data[i] = 255;
}
