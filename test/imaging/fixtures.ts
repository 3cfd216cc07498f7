/** Small synthetic images for the imaging and net tests (never the research photos). */
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';

export const RED = { r: 220, g: 20, b: 20 };
export const GREEN = { r: 20, g: 200, b: 40 };
export const BLUE = { r: 20, g: 40, b: 220 };
export const YELLOW = { r: 230, g: 210, b: 20 };

/**
 * width x height RGB pixels in four flat quadrants: top-left red, top-right green, bottom-left blue,
 * bottom-right yellow. Orientation changes are visible from the quadrant colours.
 */
export function quadrantPixels(width: number, height: number): Buffer {
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const top = y < height / 2;
      const left = x < width / 2;
      const c = top ? (left ? RED : GREEN) : left ? BLUE : YELLOW;
      const i = (y * width + x) * 3;
      data[i] = c.r;
      data[i + 1] = c.g;
      data[i + 2] = c.b;
    }
  }
  return data;
}

export type TestFormat = 'jpeg' | 'png' | 'webp' | 'avif' | 'gif' | 'tiff';

/** The quadrant image encoded in `format` (lossless where the format allows, so colours stay exact). */
export async function quadrantImage(format: TestFormat, width = 200, height = 160): Promise<Buffer> {
  const img = sharp(quadrantPixels(width, height), { raw: { width, height, channels: 3 } });
  switch (format) {
    case 'jpeg':
      return img.jpeg({ quality: 95 }).toBuffer();
    case 'png':
      return img.png().toBuffer();
    case 'webp':
      return img.webp({ lossless: true }).toBuffer();
    case 'avif':
      return img.avif({ quality: 80, effort: 0 }).toBuffer();
    case 'gif':
      return img.gif().toBuffer();
    case 'tiff':
      return img.tiff().toBuffer();
  }
}

/** Pixel at (x, y) of an RGB raster as [r, g, b]. */
export function pixelAt(raster: { width: number; channels: number; data: Uint8Array }, x: number, y: number): number[] {
  const i = (y * raster.width + x) * raster.channels;
  return [raster.data[i], raster.data[i + 1], raster.data[i + 2]];
}

/** True when two colours differ by at most `tolerance` in every channel (lossy codecs move colours a little). */
export function near(actual: number[], expected: { r: number; g: number; b: number }, tolerance = 12): boolean {
  return (
    Math.abs(actual[0] - expected.r) <= tolerance &&
    Math.abs(actual[1] - expected.g) <= tolerance &&
    Math.abs(actual[2] - expected.b) <= tolerance
  );
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData) >>> 0);
  return Buffer.concat([length, typeAndData, crc]);
}

/**
 * A valid-looking PNG of a few hundred bytes whose header declares `width` x `height` (a decompression
 * bomb's shape). Its IDAT holds a few compressed zero rows only; a decoder that trusted the header
 * and decoded would allocate width*height*3 bytes.
 */
export function pngDeclaring(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type RGB
  const idat = deflateSync(Buffer.alloc(Math.min(width * 3 + 1, 1 << 20)));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', idat),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** An ISO-BMFF `ftyp` box with the given brands followed by junk (enough for sniffing only). */
export function ftypFile(major: string, compatible: string[]): Buffer {
  const size = 16 + compatible.length * 4;
  const box = Buffer.alloc(size);
  box.writeUInt32BE(size, 0);
  box.write('ftyp', 4, 'latin1');
  box.write(major, 8, 'latin1');
  compatible.forEach((brand, i) => box.write(brand, 16 + i * 4, 'latin1'));
  return Buffer.concat([box, Buffer.alloc(64)]);
}
