/**
 * Safe image decoding: bytes from an untrusted client → 8-bit RGB Raster, upright (EXIF orientation
 * applied), alpha flattened onto white, first frame only. Every refusal is a 10004 that names the field.
 * An image with an alpha channel that is not fully opaque also gives its alpha as a Mask (a person cut
 * out on a transparent background keeps that transparency in the result); the engine only ever sees
 * the RGB flattened on white.
 *
 * Order matters for hostile input: the encoded size is checked first, the format is sniffed from the
 * magic bytes, then only the header is read (sharp `metadata()`) to check dimensions, and only then is
 * the image decoded, with sharp's `limitInputPixels` as a second guard. A decompression bomb (a tiny
 * file declaring a huge canvas) is refused from its header and never decoded.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { default as SharpFactory, Sharp } from 'sharp';
import { ApiError } from '../domain/errors.ts';
import type { Mask, Raster } from './raster.ts';
import { ACCEPTED_FORMATS_TEXT, sniffImageFormat, type AcceptedFormat } from './sniff.ts';
import { DEFAULT_IMAGE_LIMITS, formatMegabytes, formatMegapixels, type ImageLimits } from './limits.ts';

export interface DecodedImage {
  /** 8-bit RGB, channels 3, EXIF orientation applied, alpha flattened onto white. */
  raster: Raster;
  /**
   * The source's alpha (upright, same size as `raster`), only when the image has an alpha channel
   * with at least one pixel below 255; absent for opaque images.
   */
  alpha?: Mask;
  /** `imageContentHash` of `raster` and `alpha`: what the result cache keys by. */
  sha256: string;
  width: number;
  height: number;
  /** The format the bytes are in (decided by magic bytes). */
  format: AcceptedFormat;
}

/**
 * sharp (libvips), imported on first use: loading it costs ~0.3 s, which the CLI's commands that
 * touch no image (this module is reached through the domain services) should not pay.
 */
let sharpModule: Promise<{ default: typeof SharpFactory }> | undefined;
async function loadSharp(): Promise<typeof SharpFactory> {
  sharpModule ??= import('sharp');
  return (await sharpModule).default;
}

/** sharp's name for each accepted format, to cross-check its own detection against our sniffing. */
const SHARP_FORMAT: Record<AcceptedFormat, string> = { jpeg: 'jpeg', png: 'png', webp: 'webp', avif: 'heif' };

function refuse(field: string, detail: string, status?: number): ApiError {
  return new ApiError('INVALID_PARAM', `${field}: ${detail}`, { status });
}

/** Separates the alpha bytes from the RGB bytes in the hashed stream (see imageContentHash). */
const ALPHA_HASH_TAG = Buffer.from('fitroom:alpha\n');

/**
 * Content hash of a decoded image: SHA-256 over width and height (uint32 big-endian each) followed by
 * the RGB pixel bytes, then, for an image with transparency, a tag and the alpha bytes. Two encodings
 * of the same pixels hash the same; used by the result cache. Without `alpha` the hash is the one
 * every earlier version computed (cached results of opaque images stay valid); a cut-out person and
 * the same pixels flattened on opaque white hash differently, because their results differ.
 */
export function imageContentHash(raster: Raster, alpha?: Mask): string {
  const header = Buffer.alloc(8);
  header.writeUInt32BE(raster.width, 0);
  header.writeUInt32BE(raster.height, 4);
  const hash = createHash('sha256').update(header).update(raster.data);
  if (alpha) hash.update(ALPHA_HASH_TAG).update(alpha.data);
  return hash.digest('hex');
}

/** What the header of an image declares, read without decoding its pixels. */
export interface ImageHeader {
  format: AcceptedFormat;
  width: number;
  height: number;
  /** The image has an alpha channel (it may still be fully opaque). Optional for older callers. */
  hasAlpha?: boolean;
}

/**
 * Decodes untrusted image bytes under `limits`. `field` names the API field in every error message.
 * Throws `ApiError('INVALID_PARAM')` for anything wrong with the bytes; never leaks decoder internals.
 */
export async function decodeImage(
  bytes: Buffer,
  field: string,
  limits: ImageLimits = DEFAULT_IMAGE_LIMITS,
): Promise<DecodedImage> {
  return decodeInspected(bytes, field, limits, await inspectImage(bytes, field, limits));
}

/**
 * The cheap half of `decodeImage`: encoded size, format from the magic bytes, and the dimensions the
 * header declares (sharp `metadata()`, no pixels decoded), each checked against `limits`. Callers
 * that admit expensive work one call at a time run this first, so a bad image is refused at once.
 */
export async function inspectImage(bytes: Buffer, field: string, limits: ImageLimits = DEFAULT_IMAGE_LIMITS): Promise<ImageHeader> {
  if (bytes.length === 0) throw refuse(field, 'image is empty');
  if (bytes.length > limits.maxBytes) {
    throw refuse(field, `image is ${formatMegabytes(bytes.length)}, the limit is ${formatMegabytes(limits.maxBytes)}`, 413);
  }
  const sniffed = sniffImageFormat(bytes);
  if (sniffed.kind === 'unsupported') {
    throw refuse(field, `image format ${sniffed.name} is not accepted; send ${ACCEPTED_FORMATS_TEXT}`);
  }
  if (sniffed.kind === 'unknown') {
    throw refuse(field, `not a recognised image; send ${ACCEPTED_FORMATS_TEXT}`);
  }
  const format = sniffed.format;

  // Header only: dimensions and sharp's own format detection, without decoding pixels.
  let width: number;
  let height: number;
  let hasAlpha: boolean;
  const sharp = await loadSharp();
  try {
    const meta = await sharp(bytes, { limitInputPixels: false, failOn: 'truncated' }).metadata();
    if (meta.format !== SHARP_FORMAT[format] || !meta.width || !meta.height) {
      throw new Error(`header says ${String(meta.format)}`);
    }
    // For animated inputs sharp reports the first page's size unless asked for all pages.
    width = meta.width;
    height = meta.height;
    hasAlpha = meta.hasAlpha === true;
  } catch {
    throw refuse(field, `the ${format.toUpperCase()} image is corrupt or truncated and could not be read`);
  }
  const pixels = width * height;
  if (pixels > limits.maxPixels) {
    throw refuse(
      field,
      `image is ${width}x${height} (${formatMegapixels(pixels)}), the limit is ${formatMegapixels(limits.maxPixels)}`,
    );
  }
  const maxSide = limits.maxSide ?? Number.POSITIVE_INFINITY;
  if (Math.max(width, height) > maxSide) {
    throw refuse(field, `image is ${width}x${height}, its longest side must be at most ${maxSide} px`);
  }
  if (Math.min(width, height) < limits.minSide) {
    throw refuse(
      field,
      `image is ${width}x${height}, its shortest side must be at least ${limits.minSide} px`,
    );
  }
  return { format, width, height, hasAlpha };
}

/** The expensive half of `decodeImage`: the pixels of an image `inspectImage` accepted. */
export async function decodeInspected(bytes: Buffer, field: string, limits: ImageLimits, header: ImageHeader): Promise<DecodedImage> {
  const { format } = header;
  let raster: Raster;
  let alpha: Mask | undefined;
  const sharp = await loadSharp();
  const open = () =>
    sharp(bytes, {
      // Second guard in case the header lied (the decoder re-reads it); same limit as above.
      limitInputPixels: Math.max(1, Math.floor(limits.maxPixels)),
      failOn: 'truncated',
      pages: 1,
      page: 0,
    });
  try {
    const { data, info } = await open()
      .rotate() // EXIF orientation
      .flatten({ background: { r: 255, g: 255, b: 255 } })
      .toColourspace('srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`decoded ${info.channels} channels`);
    raster = {
      width: info.width,
      height: info.height,
      channels: 3,
      data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    };
    // The RGB above is exactly what it always was (sharp's own flatten); the alpha is a second,
    // separate decode, paid only by images whose header declares an alpha channel.
    if (header.hasAlpha) alpha = await decodeAlpha(open(), raster.width, raster.height);
  } catch {
    throw refuse(field, `the ${format.toUpperCase()} image is corrupt or truncated and could not be decoded`);
  }
  const decoded: DecodedImage = { raster, sha256: imageContentHash(raster, alpha), width: raster.width, height: raster.height, format };
  if (alpha) decoded.alpha = alpha;
  return decoded;
}

/**
 * The alpha channel of an image (upright, 8 bits), or undefined when every pixel is opaque. Goes
 * through sRGB RGBA so that grey+alpha, palette transparency and 16-bit alpha all arrive as one
 * 8-bit plane.
 */
async function decodeAlpha(image: Sharp, width: number, height: number): Promise<Mask | undefined> {
  const { data, info } = await image
    .rotate()
    .toColourspace('srgb')
    .ensureAlpha()
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 4 || info.width !== width || info.height !== height) {
    throw new Error(`alpha decoded as ${info.width}x${info.height}x${info.channels}`);
  }
  const alpha = new Uint8Array(width * height);
  let opaque = true;
  for (let i = 0, p = 3; i < alpha.length; i++, p += 4) {
    const a = data[p];
    alpha[i] = a;
    if (a !== 255) opaque = false;
  }
  return opaque ? undefined : { width, height, data: alpha };
}

export interface DecodeToRasterOptions {
  /** Field name used in error messages (default `image`). */
  field?: string;
  /** Limits to enforce (default the contract's). Pass `Infinity` values to lift them for trusted files. */
  limits?: ImageLimits;
}

/** Bytes → upright 8-bit RGB Raster (for the engine, presets and the eval tool). */
export async function decodeToRaster(bytes: Buffer, options: DecodeToRasterOptions = {}): Promise<Raster> {
  const decoded = await decodeImage(bytes, options.field ?? 'image', options.limits ?? DEFAULT_IMAGE_LIMITS);
  return decoded.raster;
}

/** Reads an image file (trusted local path) → upright 8-bit RGB Raster; the format still comes from the bytes. */
export async function decodeFileToRaster(path: string, options: DecodeToRasterOptions = {}): Promise<Raster> {
  return decodeToRaster(await readFile(path), options);
}
