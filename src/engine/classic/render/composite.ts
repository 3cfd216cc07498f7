/**
 * Putting the rendered garment into the photo. The promise to users is that every pixel outside
 * the repainted region is the input's own: `compositeOver` never touches a pixel whose effective
 * alpha is 0. Also: stacking layers, grain matched to the photo, and the upscale to full size.
 */
import { createMask, createRaster, type Mask, type Raster } from '../../../imaging/raster.ts';
import { boundingRect } from '../person/grid.ts';
import { bilinearAxis, bilinearRow, featherMask, labelComponents, resizeMask } from './masks.ts';
import { createGaussianRandom, estimateNoiseSigma } from './noise.ts';
import { binarise, windowMeanColour } from '../layers.ts';

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

/** Fewer pixels than this in a region: too few to estimate its grain from. */
const MIN_GRAIN_SAMPLE_PIXELS = 500;

/**
 * Adds grain to an RGBA layer (in place, where alpha > 0) so its noise level matches the
 * reference photo's: σ_added = √(σ_photo² − σ_layer²), luminance grain from a seeded PRNG (same
 * inputs, same pixels). σ_photo is the smallest estimate over `regions` (each with enough pixels):
 * a sensor's grain is the same all over the photo, while a tweed coat or a knit adds its texture to
 * the estimate and would print that texture onto the new garment as speckle. Returns the σ added
 * (0 when the layer is already as noisy).
 */
export function matchNoise(layer: Raster, reference: Raster, regions: Mask | Mask[], seed: number): number {
  if (layer.channels !== 4) throw new Error('matchNoise: layer must be RGBA');
  const list = Array.isArray(regions) ? regions : [regions];
  let photoSigma = Infinity;
  for (const region of list) {
    if (region.width !== reference.width || region.height !== reference.height) throw new Error('matchNoise: region differs in size from the reference');
    let inside = 0;
    for (let i = 0; i < region.data.length && inside < MIN_GRAIN_SAMPLE_PIXELS; i++) if (region.data[i] >= 128) inside++;
    if (inside < MIN_GRAIN_SAMPLE_PIXELS) continue;
    photoSigma = Math.min(photoSigma, estimateNoiseSigma(reference.data, reference.channels, reference.width, reference.height, (i) => region.data[i] >= 128));
  }
  if (photoSigma === Infinity) return 0;
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
 * The render (RGB at analysis resolution) merged into the full-resolution photo with the soft
 * coverage `softRegion` (analysis resolution): the region is resized to the photo (resizeMask, the
 * repaint mask's coverage) and each pixel it covers becomes photo·(1 − a) + render·a, the render
 * upscaled as upscaleLayer upscales an opaque layer, to the bit, then given the grain the upscale
 * smoothed away where the photo is noisier (restoreGrain). Pixels the region does not cover
 * are the photo's own and are never computed: a full-size upscale of a 37-megapixel photo costs
 * seconds, the garment's region a fraction of that. Returns the merged image, the repaint mask
 * (255 wherever a > 0) and the region at full resolution.
 *
 * `layer` (RGBA, the render's size, not yet drawn on it; see drawsLayerAtOutput) is drawn over the
 * upscaled render at the output's resolution, with its outline as sharp there as the photo's
 * own: upscaled after drawing, a garment's edge on a photo several times the analysis resolution
 * stood in stair steps as wide as an analysis pixel, or smeared over as many output pixels.
 */
export function mergeIntoPhoto(photo: Raster, render: Raster, softRegion: Mask, layer?: Raster): { image: Raster; repaintMask: Mask; region: Mask } {
  if (render.channels !== 3 || photo.channels !== 3) throw new Error('mergeIntoPhoto: photo and render must be RGB');
  if (layer && (layer.channels !== 4 || layer.width !== render.width || layer.height !== render.height)) throw new Error('mergeIntoPhoto: layer must be RGBA, the render\'s size');
  const { width, height } = photo;
  const { width: sw, height: sh } = render;
  const sameSize = sw === width && sh === height;
  const region = sameSize ? softRegion : resizeMask(softRegion, width, height);
  const image = createRaster(width, height, 3);
  image.data.set(photo.data);
  const repaintMask = createMask(width, height);
  const box = boundingRect(region.data, width, height, 0, (v) => v > 0);
  if (!box) return { image, repaintMask, region };
  const m = region.data;
  const full = photo.data;
  const out = image.data;
  const src = render.data;
  const { i0: x0s, i1: x1s, t: txs } = bilinearAxis(sw, width);
  const repaint = repaintMask.data;
  // (Same size: the layer is drawn on the render before it comes here, see drawsLayerAtOutput.)
  const ld = layer && !sameSize ? layer.data : null;
  // The layer's outline ramp, OUTLINE_RAMP_PX analysis pixels, is as many output pixels again.
  const edgeGain = Math.max(1, width / sw);
  for (let y = box.y0; y < box.y1; y++) {
    const { y0, y1, ty } = bilinearRow(sh, height, y);
    const r0 = y0 * sw;
    const r1 = y1 * sw;
    for (let i = y * width + box.x0, x = box.x0; x < box.x1; i++, x++) {
      const a = m[i];
      if (a === 0) continue;
      repaint[i] = 255;
      const p = i * 3;
      let r: number;
      let g: number;
      let b: number;
      if (sameSize) {
        r = src[p];
        g = src[p + 1];
        b = src[p + 2];
      } else {
        // upscaleLayer's premultiplied bilinear with every alpha 255: the same products and sums
        // in the same order, so the same rounding.
        const tx = txs[x];
        const w00 = (1 - tx) * (1 - ty) * 255;
        const w01 = tx * (1 - ty) * 255;
        const w10 = (1 - tx) * ty * 255;
        const w11 = tx * ty * 255;
        const q00 = (r0 + x0s[x]) * 3;
        const q01 = (r0 + x1s[x]) * 3;
        const q10 = (r1 + x0s[x]) * 3;
        const q11 = (r1 + x1s[x]) * 3;
        const alpha = w00 + w01 + w10 + w11;
        r = Math.round((w00 * src[q00] + w01 * src[q01] + w10 * src[q10] + w11 * src[q11]) / alpha);
        g = Math.round((w00 * src[q00 + 1] + w01 * src[q01 + 1] + w10 * src[q10 + 1] + w11 * src[q11 + 1]) / alpha);
        b = Math.round((w00 * src[q00 + 2] + w01 * src[q01 + 2] + w10 * src[q10 + 2] + w11 * src[q11 + 2]) / alpha);
        if (ld) {
          // The layer, premultiplied bilinear (as upscaleLayer), its alpha steepened back to the
          // outline's ramp at the output's resolution.
          const k00 = (r0 + x0s[x]) * 4;
          const k01 = (r0 + x1s[x]) * 4;
          const k10 = (r1 + x0s[x]) * 4;
          const k11 = (r1 + x1s[x]) * 4;
          const l00 = w00 * ld[k00 + 3];
          const l01 = w01 * ld[k01 + 3];
          const l10 = w10 * ld[k10 + 3];
          const l11 = w11 * ld[k11 + 3];
          const covered = l00 + l01 + l10 + l11;
          if (covered > 0) {
            const lr = (l00 * ld[k00] + l01 * ld[k01] + l10 * ld[k10] + l11 * ld[k11]) / covered;
            const lg = (l00 * ld[k00 + 1] + l01 * ld[k01 + 1] + l10 * ld[k10 + 1] + l11 * ld[k11 + 1]) / covered;
            const lb = (l00 * ld[k00 + 2] + l01 * ld[k01 + 2] + l10 * ld[k10 + 2] + l11 * ld[k11 + 2]) / covered;
            // covered / 255 is the bilinear alpha (0..255).
            const steep = 127.5 + (covered / 255 - 127.5) * edgeGain;
            const la = steep <= 0 ? 0 : steep >= 255 ? 1 : steep / 255;
            r = Math.round(r + (lr - r) * la);
            g = Math.round(g + (lg - g) * la);
            b = Math.round(b + (lb - b) * la);
          }
        }
      }
      if (a === 255) {
        // (photo·0 + v·255) / 255 is v exactly.
        out[p] = r;
        out[p + 1] = g;
        out[p + 2] = b;
        continue;
      }
      const keep = 255 - a;
      out[p] = Math.round((full[p] * keep + r * a) / 255);
      out[p + 1] = Math.round((full[p + 1] * keep + g * a) / 255);
      out[p + 2] = Math.round((full[p + 2] * keep + b * a) / 255);
    }
  }
  if (!sameSize && width / sw >= GRAIN_UPSCALE_MIN) restoreGrain(image, photo, region, box);
  return { image, repaintMask, region };
}

/**
 * Least upscale (output width over render width) from which the garment layer is drawn at the
 * output's resolution (mergeIntoPhoto's `layer`): below it the upscaled outline ramp stays within
 * two output pixels, as soft as a photo's edge.
 */
const LAYER_AT_OUTPUT_MIN = 1.4;

/** Whether the garment layer is drawn at the output's resolution (mergeIntoPhoto) rather than on the render. */
export function drawsLayerAtOutput(renderWidth: number, outputWidth: number): boolean {
  return outputWidth / renderWidth >= LAYER_AT_OUTPUT_MIN;
}

/**
 * Least upscale (output width over render width) from which the merged render's grain is topped
 * up at the output's resolution: below it the bilinear upscale keeps most of the grain the render
 * was given at analysis resolution.
 */
const GRAIN_UPSCALE_MIN = 1.25;
/** Seed of the grain added at the output's resolution (same inputs, same pixels). */
const OUTPUT_GRAIN_SEED = 4321;

/**
 * In place: luminance grain on the pixels `region` covers (weighted by its coverage), so that their
 * noise matches the photo's at the output's resolution: σ_added = √(σ_photo² − σ_render²), σ_photo
 * measured on the photo's pixels the region leaves alone, σ_render on the fully covered ones. The render is drawn at analysis resolution and upscaled: on a 12-megapixel
 * phone photo the garment and every fill came out smooth as plastic beside the photo's grain, a
 * pasted look however right their shape. Pixels outside the region are untouched.
 */
function restoreGrain(image: Raster, photo: Raster, region: Mask, box: { x0: number; y0: number; x1: number; y1: number }): void {
  const { width, height } = image;
  const m = region.data;
  // (The photo's own pixels anywhere: a rectangular region leaves none in its box.)
  const photoSigma = estimateNoiseSigma(photo.data, 3, width, height, (i) => m[i] === 0);
  const renderSigma = estimateNoiseSigma(image.data, 3, width, height, (i) => m[i] === 255, box);
  const sigma = Math.sqrt(Math.max(0, photoSigma * photoSigma - renderSigma * renderSigma));
  if (sigma < 0.3) return;
  const random = createGaussianRandom(OUTPUT_GRAIN_SEED);
  const out = image.data;
  for (let y = box.y0; y < box.y1; y++) {
    for (let i = y * width + box.x0, end = y * width + box.x1; i < end; i++) {
      const a = m[i];
      if (a === 0) continue;
      const grain = (sigma * random() * a) / 255;
      const p = i * 3;
      for (let c = 0; c < 3; c++) {
        const v = Math.round(out[p + c] + grain);
        out[p + c] = v < 0 ? 0 : v > 255 ? 255 : v;
      }
    }
  }
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


/**
 * Reach (px at analysis resolution) of the filter that smooths the garment's outline: the steps
 * and tabs the cut-out, the warp and the binary masks after it leave along the outline (a sleeve's
 * edge in stair steps of 2-4 px, a torn fringe) are shorter than this, a garment's shape is not.
 */
const OUTLINE_SMOOTHING_PX = 3;
/**
 * Width (px at analysis resolution) over which the smoothed outline goes from garment to what is
 * under it: a photographed garment's edge is a soft roll one or two pixels wide, never a hard step.
 */
const OUTLINE_RAMP_PX = 1.5;
/**
 * Largest piece (in squared OUTLINE_SMOOTHING_PX) the smoothing adds to or takes from the garment:
 * a step, a notch or a tab. Larger ones are the garment's own shape where it is narrow (a strap, a
 * gap between a sleeve and the body) and stay as they were drawn.
 */
const OUTLINE_MAX_PIECE = 8;

/**
 * In place: the layer's outline smoothed and given a soft edge. The solid layer (alpha ≥ 128) is
 * blurred (featherMask) and cut at one half again, which takes the steps and small tabs off its
 * outline and fills small notches; the cut is a ramp OUTLINE_RAMP_PX wide, not a step. Only pieces
 * smaller than OUTLINE_MAX_PIECE change sides (see there). Nothing changes on or within the
 * filter's reach of `keep` (what stays as the photo shows it: hands, a kept neck, arms in sight). Pixels the layer newly reaches take the colour of
 * the layer beside them.
 */
export function smoothOutline(layer: Raster, keep: Mask): void {
  if (layer.channels !== 4) throw new Error('smoothOutline: layer must be RGBA');
  if (keep.width !== layer.width || keep.height !== layer.height) throw new Error('smoothOutline: mask differs in size from the layer');
  const { width: w, height: h, data } = layer;
  const n = w * h;
  const solid = createMask(w, h);
  const sd = solid.data;
  for (let i = 0, p = 3; i < n; i++, p += 4) if (data[p] >= 128) sd[i] = 255;
  // Only the layer's box, grown by the filter's reach, can change: the loops below stay in it.
  const box = boundingRect(sd, w, h, 2 * OUTLINE_SMOOTHING_PX + 2, (v) => v > 0);
  if (!box) return;
  const blurred = featherMask(solid, OUTLINE_SMOOTHING_PX).data;
  // Across a straight edge featherMask's tent rises from 0 to 255 over its wider box (radius
  // reach − ⌊reach/2⌋): steepened to rise over the ramp's width.
  const rise = 2 * (OUTLINE_SMOOTHING_PX - Math.floor(OUTLINE_SMOOTHING_PX / 2)) + 1;
  const gain = rise / OUTLINE_RAMP_PX;
  const kd = keep.data;
  // Beside what is kept the outline is the shape of what stands in front (a hand, an arm in sight
  // below a cuff), the photo's own edge: left as drawn.
  const nearKeep = featherMask(binarise(keep, 128), OUTLINE_SMOOTHING_PX).data;
  // Pieces that change sides (smoothed alpha across one half from the solid layer), labelled to
  // keep only small ones (a step, a tab, a notch).
  const smoothed = new Uint8Array(n);
  const changed = createMask(w, h);
  for (let y = box.y0; y < box.y1; y++) {
    for (let i = y * w + box.x0, end = y * w + box.x1; i < end; i++) {
      const v = Math.round(127.5 + (blurred[i] - 127.5) * gain);
      const s = kd[i] >= 128 ? 0 : v < 0 ? 0 : v > 255 ? 255 : v;
      smoothed[i] = s;
      if ((sd[i] !== 0) !== (s >= 128)) changed.data[i] = 255;
    }
  }
  const { labels, regions } = labelComponents(changed);
  const maxPiece = OUTLINE_MAX_PIECE * OUTLINE_SMOOTHING_PX * OUTLINE_SMOOTHING_PX;
  const reached: number[] = [];
  for (let y = box.y0; y < box.y1; y++) {
    for (let i = y * w + box.x0, end = y * w + box.x1; i < end; i++) {
      const b = blurred[i];
      const label = labels[i];
      // The layer away from its outline stays; so does a large piece.
      if (label ? regions[label - 1].size > maxPiece : b === 0 || b === 255) continue;
      if (nearKeep[i] !== 0) continue;
      const p = i * 4 + 3;
      if (data[p] === 0 && smoothed[i] > 0) reached.push(i);
      data[p] = smoothed[i];
    }
  }
  spreadColourOutwards(data, reached, w, h);
}

/**
 * In place: pixels of an RGBA layer newly given alpha (`reached`) take the mean colour of their
 * neighbours that have colour, ring by ring outwards.
 */
function spreadColourOutwards(data: Uint8Array, reached: number[], w: number, h: number): void {
  // Coloured: every pixel the layer had (alpha now, and not newly reached).
  const uncoloured = new Uint8Array(w * h);
  for (const i of reached) uncoloured[i] = 1;
  const isColoured = (q: number): boolean => uncoloured[q] === 0 && data[q * 4 + 3] > 0;
  const mean = [0, 0, 0];
  let pending = reached;
  while (pending.length > 0) {
    const next: number[] = [];
    const done: number[] = [];
    for (const i of pending) {
      const x = i % w;
      if (windowMeanColour(data, w, h, x, (i - x) / w, 1, isColoured, mean) === 0) {
        next.push(i);
        continue;
      }
      data[i * 4] = mean[0];
      data[i * 4 + 1] = mean[1];
      data[i * 4 + 2] = mean[2];
      done.push(i);
    }
    // Nothing reached this ring: what is left has no coloured pixel near it at all.
    if (done.length === 0) break;
    for (const i of done) uncoloured[i] = 0;
    pending = next;
  }
}
