import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withoutBackdropRim } from '../../../src/engine/classic/garment/backdrop-rim.ts';
import { createRaster } from '../../../src/imaging/raster.ts';

/**
 * A 300x400 product shot on a white sweep: black trousers (x 100..199, rows 40..359) with, beside
 * their left side, the sweep's soft shadow (x 95..99, grey darkening towards the trousers) that
 * the colour segmentation took with them, and a light grey motif where the right side meets the
 * outline (x 192..199, rows 200..207). `foreground` is that segmentation: trousers and shadow.
 */
function productShot() {
  const w = 300;
  const h = 400;
  const image = createRaster(w, h, 3);
  image.data.fill(248);
  const foreground = new Uint8Array(w * h);
  for (let y = 40; y < 360; y++) {
    for (let x = 95; x < 200; x++) {
      const p = y * w + x;
      foreground[p] = 1;
      if (x < 100) {
        const v = Math.round(230 - ((x - 95) / 4) * 80);
        image.data.set([v, v, v], p * 3);
      } else {
        const motif = x >= 192 && y >= 200 && y < 208;
        image.data.set(motif ? [215, 215, 215] : [22, 22, 24], p * 3);
      }
    }
  }
  return { image, foreground, w };
}

test("the sweep's shadow taken with dark trousers is peeled off their outline; the trousers and a light motif at their edge stay", () => {
  const { image, foreground, w } = productShot();
  const out = withoutBackdropRim(image, foreground);
  for (const x of [95, 97, 99]) assert.equal(out[200 * w + x], 0, `shadow at x ${x}`);
  for (const x of [100, 150, 199]) assert.equal(out[200 * w + x], 1, `trousers at x ${x}`);
  assert.equal(out[203 * w + 195], 1, 'the white motif at the right edge');
});

test('a garment with fabric of the backdrop\'s colour keeps its outline whole (white trousers on a white sweep)', () => {
  const { image, foreground, w } = productShot();
  for (let y = 40; y < 360; y++) for (let x = 100; x < 200; x++) image.data.set([238, 238, 238], (y * w + x) * 3);
  assert.deepEqual(withoutBackdropRim(image, foreground), foreground);
});
