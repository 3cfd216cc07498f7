import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createWarpMap, identityWarpMap } from '../../../src/engine/classic/warp/backward-map.ts';
import { sampleRgba, warpMapScale } from '../../../src/engine/classic/warp/sample.ts';
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

test('sampleRgba anti-aliases a shrinking warp: fine stripes average to grey instead of aliasing', () => {
  const stripes = createRaster(90, 30, 4);
  for (let i = 0; i < 90 * 30; i++) {
    const v = (i % 90) % 2 === 0 ? 255 : 0;
    stripes.data.set([v, v, v, 255], i * 4);
  }
  // Output pixel (x, y) reads source (3x + 1, 3y + 1): a 3× reduction.
  const map = createWarpMap(30, 10);
  for (let y = 0; y < 10; y++) for (let x = 0; x < 30; x++) { map.x[y * 30 + x] = 3 * x + 1; map.y[y * 30 + x] = 3 * y + 1; }
  assert.ok(Math.abs(warpMapScale(map) - 3) < 1e-6);
  const smooth = sampleRgba(stripes, map);
  const aliased = sampleRgba(stripes, map, undefined, { antialias: false });
  for (let i = 0; i < 300; i++) {
    assert.ok(Math.abs(smooth.data[i * 4] - 128) < 50, `pixel ${i}: ${smooth.data[i * 4]}`);
    assert.equal(smooth.data[i * 4 + 3], 255);
  }
  assert.ok(aliased.data.some((v, k) => k % 4 === 0 && (v === 0 || v === 255)), 'without anti-aliasing the stripes alias');
  assert.equal(warpMapScale(identityWarpMap(8, 8)), 1);
});
