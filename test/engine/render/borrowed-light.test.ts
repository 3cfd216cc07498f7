/**
 * borrowLight (tryon.ts): bared skin takes the photo's light on the old garment at the body's scale,
 * less of a printed top's. (On a try-on: chest-tone.test.ts.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { borrowLight } from '../../../src/engine/classic/tryon.ts';
import { createFloatMap, createMask } from '../../../src/imaging/raster.ts';

test('borrowLight: only on the bared skin, and less of a printed top\'s light than of a plain one\'s', () => {
  const w = 40;
  const h = 20;
  const skin = createMask(w, h);
  const old = createMask(w, h);
  old.data.fill(255);
  for (let i = 0; i < w * h; i++) if (i % w < 20) skin.data[i] = 255;
  const plain = createFloatMap(w, h);
  plain.data.fill(1);
  // One pixel in shade on the skin and one off it.
  plain.data[5 * w + 10] = 0.8;
  plain.data[5 * w + 30] = 0.8;
  const shading = createFloatMap(w, h);
  shading.data.fill(1);
  borrowLight(shading, skin, plain, old, 0.5);
  assert.ok(Math.abs(shading.data[5 * w + 10] - 0.9) < 1e-6, `on the skin ${shading.data[5 * w + 10]}`);
  assert.equal(shading.data[5 * w + 30], 1, 'off the skin');
  // A print: light swinging ±0.3 over the whole top.
  const printed = createFloatMap(w, h);
  for (let i = 0; i < w * h; i++) printed.data[i] = i % 2 ? 1.3 : 0.7;
  const onPrint = createFloatMap(w, h);
  onPrint.data.fill(1);
  borrowLight(onPrint, skin, printed, old, 0.5);
  assert.ok(Math.abs(onPrint.data[0] - 1) < 0.05, `a print's light is mostly left out: ${onPrint.data[0]}`);
});
