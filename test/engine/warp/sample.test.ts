import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createWarpMap, identityWarpMap } from '../../../src/engine/classic/warp/backward-map.ts';
import { sampleRgba } from '../../../src/engine/classic/warp/sample.ts';
import { createMask, createRaster } from '../../../src/imaging/raster.ts';

function patterned(width: number, height: number, channels: 3 | 4) {
  const image = createRaster(width, height, channels);
  for (let i = 0; i < width * height; i++) {
    for (let c = 0; c < channels; c++) image.data[i * channels + c] = (i * 37 + c * 91 + ((i * i) % 13)) & 255;
    if (channels === 4) image.data[i * 4 + 3] = 1 + ((i * 53) % 255); // never fully transparent
  }
  return image;
}

test('sampleRgba through an identity map reproduces an RGBA image exactly', () => {
  const image = patterned(17, 11, 4);
  const out = sampleRgba(image, identityWarpMap(17, 11));
  assert.deepEqual(out.data, image.data);
});

test('sampleRgba of an RGB image through an identity map gives it back opaque', () => {
  const image = patterned(9, 7, 3);
  const out = sampleRgba(image, identityWarpMap(9, 7));
  for (let i = 0; i < 63; i++) {
    assert.deepEqual(Array.from(out.data.subarray(i * 4, i * 4 + 4)), [...image.data.subarray(i * 3, i * 3 + 3), 255]);
  }
});

test('sampleRgba is transparent where the map is NaN or reads outside the source', () => {
  const image = patterned(4, 4, 3);
  const map = createWarpMap(3, 1);
  map.x[1] = 50; map.y[1] = 1;
  map.x[2] = -0.5; map.y[2] = 0; // half a pixel outside: half coverage
  const out = sampleRgba(image, map);
  assert.deepEqual(Array.from(out.data.subarray(0, 8)), [0, 0, 0, 0, 0, 0, 0, 0]);
  assert.equal(out.data[11], 128);
  assert.deepEqual(Array.from(out.data.subarray(8, 11)), Array.from(image.data.subarray(0, 3)), 'colour is not darkened by the outside');
});

test('sampleRgba blends premultiplied: no dark fringe between a red pixel and a transparent black one', () => {
  const image = createRaster(2, 1, 4);
  image.data.set([200, 20, 10, 255, 0, 0, 0, 0]);
  const map = createWarpMap(1, 1);
  map.x[0] = 0.5;
  map.y[0] = 0;
  const out = sampleRgba(image, map);
  assert.deepEqual(Array.from(out.data), [200, 20, 10, 128]);
});

test('sampleRgba restricted by a source mask takes only the masked part', () => {
  const image = patterned(4, 1, 3);
  const mask = createMask(4, 1);
  mask.data.set([255, 255, 0, 0]);
  const out = sampleRgba(image, identityWarpMap(4, 1), mask);
  assert.deepEqual([out.data[3], out.data[7], out.data[11], out.data[15]], [255, 255, 0, 0]);
});
