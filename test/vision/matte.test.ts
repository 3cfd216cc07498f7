import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRaster, type Raster } from '../../src/imaging/raster.ts';
import { MATTE_INPUT_SIDE, matteForeground } from '../../src/vision/matte.ts';

/** A dark red rounded "garment" (a rectangle with a collar notch) with some shading, on a light grey backdrop. */
function drawnShot(width: number, height: number, channels: 3 | 4): { image: Raster; inside: (x: number, y: number) => boolean } {
  const image = createRaster(width, height, channels);
  const x0 = Math.round(width * 0.25), x1 = Math.round(width * 0.75);
  const y0 = Math.round(height * 0.2), y1 = Math.round(height * 0.85);
  const inside = (x: number, y: number): boolean => x >= x0 && x < x1 && y >= y0 && y < y1 && !(y < y0 + 20 && Math.abs(x - width / 2) < 25);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * channels;
      if (inside(x, y)) {
        const shade = 20 * Math.sin(x / 9) * Math.sin(y / 13);
        image.data[o] = 170 + shade;
        image.data[o + 1] = 30 + shade / 2;
        image.data[o + 2] = 40 + shade / 2;
      } else {
        image.data.fill(228, o, o + 3);
      }
      if (channels === 4) image.data[o + 3] = 255;
    }
  }
  return { image, inside };
}

test('matte: a coloured shape on a plain backdrop gives a mask over the shape, not the corners', async () => {
  const width = 360, height = 480;
  const { image, inside } = drawnShot(width, height, 3);
  const mask = await matteForeground(image);
  assert.equal(mask.width, width);
  assert.equal(mask.height, height);
  let inSum = 0, inCount = 0, outSum = 0, outCount = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      // Away from the outline (8 px): the shape's body and the backdrop proper.
      const core = inside(x, y) && inside(x - 8, y) && inside(x + 8, y) && inside(x, y - 8) && inside(x, y + 8);
      const far = !inside(x, y) && !inside(x - 8, y) && !inside(x + 8, y) && !inside(x, y - 8) && !inside(x, y + 8);
      if (core) { inSum += mask.data[y * width + x]; inCount++; }
      if (far) { outSum += mask.data[y * width + x]; outCount++; }
    }
  }
  assert.ok(inSum / inCount > 200, `mean alpha inside the shape ${(inSum / inCount).toFixed(1)}`);
  assert.ok(outSum / outCount < 30, `mean alpha on the backdrop ${(outSum / outCount).toFixed(1)}`);
  for (const [x, y] of [[0, 0], [width - 1, 0], [0, height - 1], [width - 1, height - 1]]) {
    assert.ok(mask.data[y * width + x] < 30, `corner (${x},${y}) alpha ${mask.data[y * width + x]}`);
  }
});

test('matte: the same image gives the same mask, bit for bit, RGB or RGBA', async () => {
  const { image } = drawnShot(240, 300, 3);
  const first = await matteForeground(image);
  const second = await matteForeground(image);
  assert.deepEqual(second.data, first.data);
  const rgba = drawnShot(240, 300, 4).image;
  const third = await matteForeground(rgba);
  assert.deepEqual(third.data, first.data);
});

test('matte: an image smaller than the network input is answered at its own size', async () => {
  const { image } = drawnShot(MATTE_INPUT_SIDE / 2, MATTE_INPUT_SIDE / 2, 3);
  const mask = await matteForeground(image);
  assert.equal(mask.data.length, (MATTE_INPUT_SIDE / 2) ** 2);
});
