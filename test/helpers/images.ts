/**
 * Small synthetic test images drawn pixel by pixel (no photos in the repository): a "person" on a
 * plain backdrop, a textured garment product shot, and a one-colour garment that the test engine
 * refuses (20001). Drawn as raw RGB and encoded with sharp, so every run gets the same bytes.
 */
import sharp from 'sharp';

export type ImageFormat = 'jpeg' | 'png' | 'webp';

export const PERSON_SIZE = { width: 384, height: 512 } as const;
export const GARMENT_SIZE = { width: 256, height: 320 } as const;

export const MIME: Record<ImageFormat, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
};

type Rgb = [number, number, number];

async function encode(raw: Buffer, width: number, height: number, format: ImageFormat): Promise<Buffer> {
  const img = sharp(raw, { raw: { width, height, channels: 3 } });
  if (format === 'jpeg') return img.jpeg({ quality: 85 }).toBuffer();
  if (format === 'png') return img.png().toBuffer();
  return img.webp({ quality: 85 }).toBuffer();
}

function inEllipse(x: number, y: number, cx: number, cy: number, rx: number, ry: number): boolean {
  const dx = (x - cx) / rx;
  const dy = (y - cy) / ry;
  return dx * dx + dy * dy <= 1;
}

/**
 * A standing figure on a soft vertical gradient: head, neck, shirt torso with arms, trousers.
 * `variant` shifts the shirt colour so two person images differ in content.
 */
export async function personImage(
  format: ImageFormat = 'jpeg',
  size: { width: number; height: number } = PERSON_SIZE,
  variant = 0,
): Promise<Buffer> {
  const { width: w, height: h } = size;
  const raw = Buffer.alloc(w * h * 3);
  const skin: Rgb = [224, 182, 150];
  const shirt: Rgb = [(60 + variant * 53) % 256, 90, (170 + variant * 31) % 256];
  const trousers: Rgb = [50, 50, 70];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const u = x / w;
      const v = y / h;
      let c: Rgb = [200 - Math.round(v * 40), 210 - Math.round(v * 30), 220];
      if (inEllipse(u, v, 0.5, 0.12, 0.08, 0.075)) c = skin;
      else if (u > 0.46 && u < 0.54 && v >= 0.19 && v < 0.23) c = skin;
      else if (u > 0.32 && u < 0.68 && v >= 0.23 && v < 0.55) c = shirt;
      else if (((u > 0.24 && u <= 0.32) || (u >= 0.68 && u < 0.76)) && v >= 0.24 && v < 0.5) c = shirt;
      else if (((u > 0.24 && u <= 0.32) || (u >= 0.68 && u < 0.76)) && v >= 0.5 && v < 0.56) c = skin;
      else if (u > 0.34 && u < 0.66 && v >= 0.55 && v < 0.95 && Math.abs(u - 0.5) > 0.01) c = trousers;
      const i = (y * w + x) * 3;
      raw[i] = c[0];
      raw[i + 1] = c[1];
      raw[i + 2] = c[2];
    }
  }
  return encode(raw, w, h, format);
}

/**
 * A T-shirt shape on white with diagonal stripes and a fine deterministic texture, like a product
 * shot. `variant` changes the stripe colours (so different variants have different mean colours).
 */
export async function garmentImage(
  format: ImageFormat = 'jpeg',
  variant = 0,
  size: { width: number; height: number } = GARMENT_SIZE,
): Promise<Buffer> {
  const { width: w, height: h } = size;
  const raw = Buffer.alloc(w * h * 3);
  const a: Rgb = [(200 + variant * 37) % 256, (40 + variant * 71) % 256, (60 + variant * 19) % 256];
  const b: Rgb = [(240 + variant * 11) % 256, (220 + variant * 23) % 256, (120 + variant * 47) % 256];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const u = x / w;
      const v = y / h;
      const body = u > 0.25 && u < 0.75 && v > 0.12 && v < 0.92;
      const out = Math.abs(u - 0.5) - 0.25; // how far past the body's edge, for sleeves sloping down
      const sleeves = out >= 0 && out < 0.17 && v > 0.14 + out * 0.8 && v < 0.34 + out * 0.8;
      const neck = inEllipse(u, v, 0.5, 0.12, 0.1, 0.06);
      let c: Rgb = [255, 255, 255];
      if ((body || sleeves) && !neck) {
        const stripe = Math.floor((x + y) / 12) % 2 === 0 ? a : b;
        // A small hash texture (like fabric weave) so no area is perfectly flat.
        const t = ((x * 7919 + y * 104729) % 13) - 6;
        c = [stripe[0] + t, stripe[1] + t, stripe[2] + t].map((n) => Math.max(0, Math.min(255, n))) as Rgb;
      }
      const i = (y * w + x) * 3;
      raw[i] = c[0];
      raw[i + 1] = c[1];
      raw[i + 2] = c[2];
    }
  }
  return encode(raw, w, h, format);
}

/** One flat colour everywhere: the test engine answers "garment image is blank" (20001). */
export async function flatGarmentImage(format: ImageFormat = 'jpeg'): Promise<Buffer> {
  const { width, height } = GARMENT_SIZE;
  const img = sharp({ create: { width, height, channels: 3, background: { r: 90, g: 120, b: 200 } } });
  return img.toFormat(format).toBuffer();
}

/** A valid image whose shortest side is below the contract's 128 px minimum. */
export async function tooSmallImage(format: ImageFormat = 'png', width = 200, height = 100): Promise<Buffer> {
  const img = sharp({ create: { width, height, channels: 3, background: { r: 10, g: 200, b: 30 } } });
  return img.toFormat(format).toBuffer();
}

export function dataUri(bytes: Buffer, mime: string): string {
  return `data:${mime};base64,${bytes.toString('base64')}`;
}

export interface DecodedInfo {
  format: string;
  width: number;
  height: number;
}

/** What the bytes really are, decided by sharp from the content. */
export async function decodedInfo(bytes: Buffer): Promise<DecodedInfo> {
  const meta = await sharp(bytes).metadata();
  return { format: meta.format ?? 'unknown', width: meta.width ?? 0, height: meta.height ?? 0 };
}

/** Mean RGB of a rectangle of an image (for checking where a result was painted). */
export async function meanRgb(
  bytes: Buffer,
  region: { left: number; top: number; width: number; height: number },
): Promise<Rgb> {
  // stats() describes the input, not the pipeline's output: crop to raw pixels first.
  const { data, info } = await sharp(bytes).extract(region).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const sums = [0, 0, 0];
  for (let i = 0; i < data.length; i += info.channels) {
    for (let c = 0; c < 3; c++) sums[c] += data[i + (info.channels >= 3 ? c : 0)];
  }
  const n = data.length / info.channels;
  return [sums[0] / n, sums[1] / n, sums[2] / n];
}
