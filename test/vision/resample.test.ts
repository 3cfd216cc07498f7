import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRaster } from '../../src/imaging/raster.ts';
import { projectFloatMap, resampleWindow, resizeMask, resizeRaster } from '../../src/vision/resample.ts';

test('shrinking averages the pixels it covers (a fine checkerboard becomes mid grey)', () => {
  const image = createRaster(64, 64, 1);
  for (let y = 0; y < 64; y++) for (let x = 0; x < 64; x++) image.data[y * 64 + x] = (x + y) % 2 ? 255 : 0;
  const small = resizeRaster(image, 16, 16);
  assert.equal(small.width, 16);
  for (let y = 1; y < 15; y++) {
    for (let x = 1; x < 15; x++) assert.ok(Math.abs(small.data[y * 16 + x] - 128) <= 1, `got ${small.data[y * 16 + x]}`);
  }
  // Edge pixels replicate the border rather than darkening towards black.
  for (const v of small.data) assert.ok(Math.abs(v - 128) <= 8, `got ${v}`);
});

test('a flat colour stays the same colour at any size', () => {
  const image = createRaster(30, 40, 3);
  for (let i = 0; i < image.data.length; i += 3) image.data.set([10, 120, 240], i);
  for (const [w, h] of [[7, 9], [60, 80]]) {
    const out = resizeRaster(image, w, h);
    for (let i = 0; i < out.data.length; i += 3) assert.deepEqual([...out.data.subarray(i, i + 3)], [10, 120, 240]);
  }
  assert.equal(resizeMask({ width: 30, height: 40, data: new Uint8Array(1200).fill(77) }, 5, 5).data[12], 77);
});

test('a window reaching past the image reads black padding there', () => {
  const data = new Uint8Array(10 * 10).fill(200);
  // Window twice as wide as the image, image on its right half.
  const out = resampleWindow(data, 10, 10, 1, { x: -10, y: 0, width: 20, height: 10 }, 4, 2);
  assert.ok(out[0] < 1 && out[1] < 1, 'left half is padding');
  assert.ok(Math.abs(out[3] - 200) < 1, 'right half is the image');
});

test('projecting a map back onto the image follows its window', () => {
  // 2x1 map: left 0, right 1, covering x 10..30 of a 40 px wide target.
  const out = projectFloatMap(new Float32Array([0, 1]), 2, 1, { x: 10, y: 0, width: 20, height: 1 }, 40, 1);
  assert.equal(out[0], 0);
  assert.equal(out[39], 1);
  assert.ok(out[19] > 0.3 && out[19] < 0.7);
});
