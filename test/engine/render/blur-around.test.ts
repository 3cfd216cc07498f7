import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gaussianBlurPlane, gaussianBlurPlaneAround } from '../../../src/engine/classic/render/blur.ts';
import { createGaussianRandom } from '../../../src/engine/classic/render/noise.ts';

/** A w·h plane of seeded non-negative noise inside `box` (a blob of soft weights and values), 0 elsewhere. */
function drawnPlane(w: number, h: number, box: { x0: number; y0: number; x1: number; y1: number }, seed: number): Float32Array {
  const random = createGaussianRandom(seed);
  const plane = new Float32Array(w * h);
  for (let y = box.y0; y < box.y1; y++) {
    for (let x = box.x0; x < box.x1; x++) {
      if (random() < -0.8) continue;
      plane[y * w + x] = Math.abs(0.4 + 0.3 * random());
    }
  }
  // The box's corners exactly: the values reach its edges.
  plane[box.y0 * w + box.x0] = 0.7;
  plane[(box.y1 - 1) * w + box.x1 - 1] = 0.3;
  return plane;
}

test('a Gaussian blur run on the box around a plane\'s non-zero values equals, bit for bit, the whole plane\'s near them', () => {
  const cases = [
    { w: 120, h: 90, box: { x0: 40, y0: 30, x1: 80, y1: 60 }, sigma: 3 },
    { w: 120, h: 90, box: { x0: 0, y0: 0, x1: 50, y1: 40 }, sigma: 3.7 },
    { w: 120, h: 90, box: { x0: 70, y0: 50, x1: 120, y1: 90 }, sigma: 5 },
    { w: 64, h: 200, box: { x0: 10, y0: 120, x1: 30, y1: 170 }, sigma: 2.2 },
    { w: 200, h: 150, box: { x0: 90, y0: 2, x1: 180, y1: 60 }, sigma: 7 },
  ];
  for (const [index, { w, h, box, sigma }] of cases.entries()) {
    const plane = drawnPlane(w, h, box, 3 + index);
    const whole = gaussianBlurPlane(plane, w, h, sigma);
    const around = gaussianBlurPlaneAround(plane, w, h, sigma, box);
    // Everything within the blur's reach of the values, and further (the box's own slack).
    const reach = Math.ceil(3 * sigma);
    for (let y = Math.max(0, box.y0 - reach); y < Math.min(h, box.y1 + reach); y++) {
      for (let x = Math.max(0, box.x0 - reach); x < Math.min(w, box.x1 + reach); x++) {
        const i = y * w + x;
        assert.ok(Object.is(around[i], whole[i]), `case ${index} at (${x}, ${y}): ${around[i]} vs ${whole[i]}`);
      }
    }
  }
});

test('a blur around an empty box is 0 everywhere; around the whole plane it is the whole blur', () => {
  const plane = drawnPlane(50, 40, { x0: 0, y0: 0, x1: 50, y1: 40 }, 9);
  assert.deepEqual(gaussianBlurPlaneAround(plane, 50, 40, 2, { x0: 0, y0: 0, x1: 50, y1: 40 }), gaussianBlurPlane(plane, 50, 40, 2));
  assert.ok(gaussianBlurPlaneAround(new Float32Array(2000), 50, 40, 2, { x0: 10, y0: 10, x1: 10, y1: 10 }).every((v) => v === 0));
});
