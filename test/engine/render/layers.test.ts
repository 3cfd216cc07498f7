import { test } from 'node:test';
import assert from 'node:assert/strict';
import { growLayerInto } from '../../../src/engine/classic/layers.ts';
import { createMask, createRaster } from '../../../src/imaging/raster.ts';

test('growLayerInto covers a thin band of the target along the solid layer, taking its edge colour, and no further', () => {
  const w = 40;
  const h = 20;
  const layer = createRaster(w, h, 4);
  // Solid red on columns 0..19.
  for (let y = 0; y < h; y++) for (let x = 0; x < 20; x++) layer.data.set([200, 10, 10, 255], (y * w + x) * 4);
  // The old garment runs on to column 29; a separate piece of it at columns 35..39.
  const target = createMask(w, h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) if (x < 30 || x >= 35) target.data[y * w + x] = 255;
  growLayerInto(layer, target, 5);
  const alphaAt = (x: number, y: number) => layer.data[(y * w + x) * 4 + 3];
  assert.equal(alphaAt(24, 10), 255);
  assert.deepEqual(Array.from(layer.data.subarray((10 * w + 24) * 4, (10 * w + 24) * 4 + 3)), [200, 10, 10]);
  // Five steps reach column 24, not 25; the detached piece is not reached at all.
  assert.equal(alphaAt(25, 10), 0);
  assert.equal(alphaAt(36, 10), 0);
});
