/**
 * Image files for the eval tool: decode a trusted local photo the way the API does (sharp, EXIF
 * orientation applied, alpha flattened, 8-bit RGB, plus the source alpha when it has transparency),
 * resize, and write PNGs.
 */
import { readFile } from 'node:fs/promises';
import sharp, { type Sharp } from 'sharp';
import { createRaster, type Mask, type Raster } from '../src/imaging/raster.ts';
import { decodeFileToRaster, decodeImage } from '../src/imaging/decode.ts';
import { resizeExact } from '../src/imaging/resize.ts';

export { resizeExact };

/** Local photos are trusted: lift the API's size floor (tests use small images) but keep a pixel cap. */
const EVAL_LIMITS = { maxBytes: 200 * 1024 * 1024, maxPixels: 100_000_000, minSide: 1 };

export async function readPhoto(path: string): Promise<Raster> {
  return decodeFileToRaster(path, { field: path, limits: EVAL_LIMITS });
}

/** A photo as the API decodes it: RGB flattened on white, and its alpha when not fully opaque. */
export async function readPhotoWithAlpha(path: string): Promise<{ raster: Raster; alpha?: Mask }> {
  const decoded = await decodeImage(await readFile(path), path, EVAL_LIMITS);
  return { raster: decoded.raster, alpha: decoded.alpha };
}

/** Side of a checkerboard square (px) behind transparent results, so their alpha can be seen. */
const CHECKER_PX = 16;
const CHECKER_LIGHT = 205;
const CHECKER_DARK = 150;

/** An RGBA raster laid over a grey checkerboard (RGB); RGB rasters are returned as they are. */
export function overCheckerboard(image: Raster): Raster {
  if (image.channels !== 4) return image;
  const out = createRaster(image.width, image.height, 3);
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      const i = y * image.width + x;
      const back = ((Math.floor(x / CHECKER_PX) + Math.floor(y / CHECKER_PX)) & 1) === 0 ? CHECKER_LIGHT : CHECKER_DARK;
      const a = image.data[i * 4 + 3];
      for (let c = 0; c < 3; c++) out.data[i * 3 + c] = Math.round((image.data[i * 4 + c] * a + back * (255 - a)) / 255);
    }
  }
  return out;
}

function rawInput(image: Raster | Mask): Sharp {
  const channels = 'channels' in image ? image.channels : 1;
  return sharp(image.data, { raw: { width: image.width, height: image.height, channels } });
}

/** Lossless PNG of an RGB or RGBA raster or a mask (grey). */
export async function writePng(image: Raster | Mask, path: string): Promise<void> {
  const input = rawInput(image);
  // Without an explicit colourspace sharp widens one raw channel to RGB.
  if (!('channels' in image) || image.channels === 1) input.toColourspace('b-w');
  await input.png({ compressionLevel: 6 }).toFile(path);
}

/** Fits the image inside width x height on a white cell (aspect kept), as raw RGB. */
export async function thumbnail(image: Raster, width: number, height: number): Promise<Raster> {
  const { data, info } = await rawInput(image)
    .resize(width, height, { fit: 'contain', background: { r: 255, g: 255, b: 255 }, kernel: 'lanczos3' })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, channels: 3, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}

/** Shrinks (never enlarges) so the longer side is at most `maxSide`, keeping the aspect ratio. */
export async function downscaleToFit(image: Raster, maxSide: number): Promise<Raster> {
  const scale = maxSide / Math.max(image.width, image.height);
  if (scale >= 1) return image;
  return resizeExact(image, Math.max(1, Math.round(image.width * scale)), Math.max(1, Math.round(image.height * scale)));
}
