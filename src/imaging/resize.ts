/** Resizing with sharp (off the event loop, in libuv's pool), for rasters already decoded. */
import sharp from 'sharp';
import type { Raster } from './raster.ts';

/** Resizes to exactly width x height (aspect not kept), Lanczos. */
export async function resizeExact(image: Raster, width: number, height: number): Promise<Raster> {
  if (image.width === width && image.height === height) return image;
  const { data, info } = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: image.channels } })
    .resize(width, height, { fit: 'fill', kernel: 'lanczos3' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, channels: image.channels, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}
