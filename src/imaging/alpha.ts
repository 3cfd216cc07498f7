/**
 * Keeping a person photo's transparency in the result. The engine works on the photo flattened on
 * white (decode.ts) and never sees alpha; the result's alpha is put back here, from the input's
 * alpha and what the engine says each repainted pixel is made of (EngineResult.diagnostics
 * `backgroundFill` and `photoKept`):
 *
 *   a repainted pixel = drawn (new garment, filled skin: opaque)
 *                     + backgroundFill (filled backdrop: transparent)
 *                     + photoKept (the photo's own pixel: the input's alpha)
 *
 * so its alpha is 255 − backgroundFill − photoKept·(255 − inputAlpha)/255. Outside the repaint
 * mask the alpha is the input's, bit for bit. An engine that does not say (no diagnostics) is
 * taken as drawing opaque wherever it repainted.
 *
 * Colour: the engine's RGB is a pixel seen over white. For a partly transparent pixel the straight
 * colour is recovered by undoing that flattening (c = 255 − (255 − v)·255/α), so the RGBA result
 * laid over white gives back exactly the engine's picture, and over any other backdrop shows no
 * white fringe. Opaque pixels keep the engine's RGB unchanged.
 */
import type { Mask, Raster } from './raster.ts';

/** What the engine says each pixel of its result is made of (coverage 0..255, full resolution). */
export interface RenderShares {
  /** Share of the pixel that is backdrop the engine filled (transparent in the result). */
  backgroundFill?: Mask;
  /** Share of the pixel that is still the input photo's own pixel (keeps the input's alpha). */
  photoKept?: Mask;
}

function checkSize(name: string, mask: Mask | undefined, width: number, height: number): void {
  if (mask && (mask.width !== width || mask.height !== height)) {
    throw new Error(`${name} ${mask.width}x${mask.height} does not match image ${width}x${height}`);
  }
}

/**
 * The result's alpha: the input's where `repaintMask` is 0, otherwise the shares' mix (see the
 * header). Without shares a repainted pixel is opaque in proportion to the repaint mask's coverage.
 */
export function resultAlpha(inputAlpha: Mask, repaintMask: Mask, shares: RenderShares = {}): Mask {
  const { width, height } = inputAlpha;
  checkSize('repaint mask', repaintMask, width, height);
  checkSize('backgroundFill', shares.backgroundFill, width, height);
  checkSize('photoKept', shares.photoKept, width, height);
  const out = new Uint8Array(inputAlpha.data);
  const repaint = repaintMask.data;
  const background = shares.backgroundFill?.data;
  const kept = shares.photoKept?.data;
  const known = background !== undefined && kept !== undefined;
  for (let i = 0; i < out.length; i++) {
    const r = repaint[i];
    if (r === 0) continue;
    const transparency = 255 - inputAlpha.data[i];
    let alpha: number;
    if (known) {
      alpha = 255 - background[i] - (kept[i] * transparency) / 255;
    } else {
      // Opaque wherever repainted: the repainted share drawn, the rest the photo's own pixel.
      alpha = 255 - ((255 - r) * transparency) / 255;
    }
    out[i] = alpha <= 0 ? 0 : alpha >= 255 ? 255 : Math.round(alpha);
  }
  return { width, height, data: out };
}

/**
 * RGB flattened on white + alpha → straight RGBA (see the header). Pixels with alpha 255 keep their
 * RGB exactly; fully transparent ones keep the flattened RGB (invisible, and cheap to encode).
 */
export function unflattenOnWhite(rgb: Raster, alpha: Mask): Raster {
  if (rgb.channels !== 3) throw new Error(`unflattenOnWhite: expected RGB, got ${rgb.channels} channels`);
  checkSize('alpha', alpha, rgb.width, rgb.height);
  const out = new Uint8Array(rgb.width * rgb.height * 4);
  const src = rgb.data;
  const a = alpha.data;
  for (let i = 0, p = 0, q = 0; i < a.length; i++, p += 3, q += 4) {
    const alphaHere = a[i];
    out[q + 3] = alphaHere;
    if (alphaHere === 255 || alphaHere === 0) {
      out[q] = src[p];
      out[q + 1] = src[p + 1];
      out[q + 2] = src[p + 2];
      continue;
    }
    const gain = 255 / alphaHere;
    for (let c = 0; c < 3; c++) {
      const straight = 255 - (255 - src[p + c]) * gain;
      out[q + c] = straight <= 0 ? 0 : Math.round(straight);
    }
  }
  return { width: rgb.width, height: rgb.height, channels: 4, data: out };
}

/** The RGBA result for a person photo with transparency: `resultAlpha` then `unflattenOnWhite`. */
export function composeResultRgba(image: Raster, inputAlpha: Mask, repaintMask: Mask, shares: RenderShares = {}): Raster {
  return unflattenOnWhite(image, resultAlpha(inputAlpha, repaintMask, shares));
}

/**
 * The shares of a result rendered in two passes, `later` painted over the result of `earlier` (the
 * prompt engine draws one garment per pass): the later pass's photo share is the earlier result,
 * itself part backdrop fill, part photo. background = later.bg + later.photo·earlier.bg,
 * photo = later.photo·earlier.photo. Undefined when either pass did not say.
 */
export function stackShares(earlier: RenderShares | undefined, later: RenderShares): RenderShares {
  const eb = earlier?.backgroundFill;
  const ep = earlier?.photoKept;
  const lb = later.backgroundFill;
  const lp = later.photoKept;
  if (!eb || !ep || !lb || !lp) return {};
  const { width, height } = lb;
  const background = new Uint8Array(width * height);
  const photo = new Uint8Array(width * height);
  for (let i = 0; i < background.length; i++) {
    const kept = lp.data[i];
    background[i] = Math.min(255, lb.data[i] + Math.round((kept * eb.data[i]) / 255));
    photo[i] = Math.round((kept * ep.data[i]) / 255);
  }
  return { backgroundFill: { width, height, data: background }, photoKept: { width, height, data: photo } };
}
