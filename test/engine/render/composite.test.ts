import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  compositeOver, layerOver, matchNoise, upscaleLayer,
} from '../../../src/engine/classic/render/composite.ts';
import { createMask, createRaster, type Raster } from '../../../src/imaging/raster.ts';

function textured(width: number, height: number, channels: 3 | 4, salt: number): Raster {
  const image = createRaster(width, height, channels);
  for (let i = 0; i < image.data.length; i++) image.data[i] = (i * 31 + salt * 17 + ((i * i) % 23)) & 255;
  return image;
}

test('compositeOver: outside the layer and mask the base is bit-identical, alpha 255 gives the layer exactly', () => {
  const w = 20;
  const h = 10;
  const base = textured(w, h, 3, 1);
  const before = base.data.slice();
  const layer = textured(w, h, 4, 2);
  for (let i = 0; i < w * h; i++) layer.data[i * 4 + 3] = i % 3 === 0 ? 0 : i % 3 === 1 ? 255 : 77;
  const mask = createMask(w, h);
  for (let i = 0; i < w * h; i++) mask.data[i] = i < 100 ? 255 : i < 150 ? 0 : 128;
  compositeOver(base, layer, mask);
  for (let i = 0; i < w * h; i++) {
    const px = Array.from(base.data.subarray(i * 3, i * 3 + 3));
    if (layer.data[i * 4 + 3] === 0 || mask.data[i] === 0) {
      assert.deepEqual(px, Array.from(before.subarray(i * 3, i * 3 + 3)), `pixel ${i} must be untouched`);
    } else if (layer.data[i * 4 + 3] === 255 && mask.data[i] === 255) {
      assert.deepEqual(px, Array.from(layer.data.subarray(i * 4, i * 4 + 3)), `pixel ${i} must be the layer`);
    } else {
      const a = (layer.data[i * 4 + 3] * mask.data[i]) / 65025;
      for (let c = 0; c < 3; c++) assert.ok(Math.abs(px[c] - (before[i * 3 + c] * (1 - a) + layer.data[i * 4 + c] * a)) <= 0.5 + 1e-9);
    }
  }
});

test('compositeOver without a mask keeps an RGBA base\'s alpha', () => {
  const base = createRaster(1, 1, 4);
  base.data.set([10, 20, 30, 99]);
  const layer = createRaster(1, 1, 4);
  layer.data.set([200, 100, 50, 255]);
  compositeOver(base, layer);
  assert.deepEqual(Array.from(base.data), [200, 100, 50, 99]);
});

test('layerOver stacks straight-alpha layers', () => {
  const bottom = createRaster(3, 1, 4);
  bottom.data.set([100, 100, 100, 255, 0, 200, 0, 255, 50, 60, 70, 0]);
  const top = createRaster(3, 1, 4);
  top.data.set([200, 0, 0, 128, 9, 9, 9, 0, 10, 20, 30, 128]);
  layerOver(bottom, top);
  assert.deepEqual(Array.from(bottom.data.subarray(4, 8)), [0, 200, 0, 255], 'transparent top changes nothing');
  assert.deepEqual(Array.from(bottom.data.subarray(8)), [10, 20, 30, 128], 'over transparency: the top as it is');
  assert.equal(bottom.data[3], 255);
  assert.ok(Math.abs(bottom.data[0] - 150) <= 1 && Math.abs(bottom.data[1] - 50) <= 1);
});

test('matchNoise adds grain up to the photo\'s level, deterministically, only where the layer is', () => {
  const w = 100;
  const h = 100;
  const photo = createRaster(w, h, 3);
  let s = 99;
  const rand = (): number => ((s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  for (let i = 0; i < w * h; i++) photo.data.fill(Math.round(128 + (rand() + rand() + rand() - 1.5) * 16), i * 3, i * 3 + 3);
  const region = createMask(w, h);
  region.data.fill(255);
  const clean = createRaster(w, h, 4);
  for (let i = 0; i < w * h; i++) clean.data.set(i < w * h / 2 ? [90, 140, 200, 255] : [0, 0, 0, 0], i * 4);
  const one = { ...clean, data: clean.data.slice() };
  const two = { ...clean, data: clean.data.slice() };
  const sigma = matchNoise(one, photo, region, 5);
  matchNoise(two, photo, region, 5);
  assert.deepEqual(one.data, two.data);
  assert.ok(sigma > 5 && sigma < 11, `sigma ${sigma}`);
  let sum2 = 0;
  for (let i = 0; i < w * h / 2; i++) sum2 += (one.data[i * 4 + 1] - 140) ** 2;
  const sd = Math.sqrt(sum2 / (w * h / 2));
  assert.ok(Math.abs(sd - sigma) < 1, `added ${sd} for σ ${sigma}`);
  assert.deepEqual(Array.from(one.data.subarray((w * h - 1) * 4)), [0, 0, 0, 0]);
  assert.equal(matchNoise(one, clean, region, 5), 0, 'a clean reference adds nothing');
});

test('upscaleLayer keeps colours at the outline (no dark fringe) and alpha interpolates', () => {
  const layer = createRaster(2, 1, 4);
  layer.data.set([255, 128, 0, 255, 0, 0, 0, 0]);
  const big = upscaleLayer(layer, 4, 2);
  for (let x = 0; x < 3; x++) {
    assert.deepEqual(Array.from(big.data.subarray(x * 4, x * 4 + 3)), [255, 128, 0], `pixel ${x}`);
  }
  assert.deepEqual([big.data[3], big.data[7], big.data[11], big.data[15]], [255, 191, 64, 0]);
});
