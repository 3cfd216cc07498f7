/** Small synthetic images for the queue and test-engine tests. */
import type { Raster } from '../../src/imaging/raster.ts';
import type { Rgb } from '../../src/engine/test/index.ts';

/** An RGB gradient: every pixel different enough to catch a shifted or swapped copy. */
export function gradientImage(width: number, height: number): Raster {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      data[i] = (x * 7) & 0xff;
      data[i + 1] = (y * 5) & 0xff;
      data[i + 2] = (x + y) & 0xff;
    }
  }
  return { width, height, channels: 3, data };
}

/** A checkerboard of two colours, one pixel per square: its mean is the midpoint of the two. */
export function checkerImage(width: number, height: number, a: Rgb, b: Rgb): Raster {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      data.set((x + y) % 2 === 0 ? a : b, (y * width + x) * 3);
    }
  }
  return { width, height, channels: 3, data };
}

export function flatImage(width: number, height: number, colour: Rgb): Raster {
  return checkerImage(width, height, colour, colour);
}

export function pixel(image: Raster, x: number, y: number): number[] {
  const i = (y * image.width + x) * image.channels;
  return [...image.data.subarray(i, i + image.channels)];
}
