import { test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { decodeToRaster, encodePng, encodeWebp, greyMaskImage, MASK_GREY } from '../../src/imaging/encode.ts';
import { createMask, type Raster } from '../../src/imaging/raster.ts';
import { GREEN, RED, near, pixelAt, quadrantPixels } from './fixtures.ts';

function quadrantRaster(width: number, height: number): Raster {
  return { width, height, channels: 3, data: new Uint8Array(quadrantPixels(width, height)) };
}

test('encodeWebp writes a WebP of the raster size whose colours survive', async () => {
  const raster = quadrantRaster(240, 180);
  const webp = await encodeWebp(raster);
  const meta = await sharp(webp).metadata();
  assert.equal(meta.format, 'webp');
  assert.equal(meta.width, 240);
  assert.equal(meta.height, 180);
  const back = await decodeToRaster(webp);
  assert.ok(near(pixelAt(back, 30, 30), RED));
  assert.ok(near(pixelAt(back, 210, 30), GREEN));
});

test('encodeWebp quality trades size for fidelity', async () => {
  const noisy = quadrantRaster(256, 256);
  for (let i = 0; i < noisy.data.length; i++) noisy.data[i] = (noisy.data[i] + ((i * 2654435761) >>> 27)) & 0xff;
  const low = await encodeWebp(noisy, { quality: 20 });
  const high = await encodeWebp(noisy, { quality: 95 });
  assert.ok(low.length < high.length, `${low.length} < ${high.length}`);
});

test('encodePng is lossless', async () => {
  const raster = quadrantRaster(150, 130);
  const png = await encodePng(raster);
  assert.equal((await sharp(png).metadata()).format, 'png');
  const back = await decodeToRaster(png);
  assert.deepEqual(Buffer.from(back.data), Buffer.from(raster.data));
});

test('greyMaskImage fills mask > 127 with neutral grey, blends the soft edge, keeps the rest', () => {
  const model = quadrantRaster(4, 2);
  const mask = createMask(4, 2);
  mask.data.set([255, 128, 64, 0, 0, 0, 0, 200]);
  const out = greyMaskImage(model, mask);
  assert.equal(out.width, 4);
  assert.equal(out.height, 2);
  assert.equal(out.channels, 3);
  assert.deepEqual(pixelAt(out, 0, 0), [MASK_GREY, MASK_GREY, MASK_GREY]);
  assert.deepEqual(pixelAt(out, 1, 0), [MASK_GREY, MASK_GREY, MASK_GREY]);
  assert.deepEqual(pixelAt(out, 3, 1), [MASK_GREY, MASK_GREY, MASK_GREY]);
  // Soft edge at coverage 64: about half way between the photo (red 220,20,20) and grey.
  const edge = pixelAt(out, 2, 0);
  const expectedEdge = [GREEN.r, GREEN.g, GREEN.b].map((v) => Math.round(v * (1 - 64 / 127.5) + MASK_GREY * (64 / 127.5)));
  assert.deepEqual(edge, expectedEdge);
  // Untouched pixels are the photo's, and the input raster is not modified.
  assert.deepEqual(pixelAt(out, 0, 1), pixelAt(model, 0, 1));
  assert.deepEqual(pixelAt(model, 0, 0), [RED.r, RED.g, RED.b]);
});

test('greyMaskImage refuses a mask of another size', () => {
  assert.throws(() => greyMaskImage(quadrantRaster(4, 2), createMask(2, 4)), /does not match/);
});
