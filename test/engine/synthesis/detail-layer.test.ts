import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toDetailLayer } from '../../../src/engine/classic/synthesis/inpaint.ts';
import type { SynthesisLevel } from '../../../src/engine/classic/synthesis/patchmatch.ts';
import { gaussianBlurPlane } from '../../../src/engine/classic/render/blur.ts';
import { createGaussianRandom } from '../../../src/engine/classic/render/noise.ts';

/** The detail layer computed over the whole level (blur(value · weight) / blur(weight), 0 off the weight). */
function wholeLevelDetail(level: SynthesisLevel, sigma: number): Float32Array {
  const { width: w, height: h, channels: c, unknown, usable } = level;
  const values = level.values.slice();
  const n = w * h;
  const weight = new Float32Array(n);
  for (let i = 0; i < n; i++) weight[i] = unknown[i] | usable[i];
  const weightBlur = gaussianBlurPlane(weight, w, h, sigma);
  const weighted = new Float32Array(n);
  for (let k = 0; k < c; k++) {
    for (let i = 0; i < n; i++) weighted[i] = values[i * c + k] * weight[i];
    const low = gaussianBlurPlane(weighted, w, h, sigma);
    for (let i = 0; i < n; i++) values[i * c + k] = weight[i] > 0 ? values[i * c + k] - low[i] / weightBlur[i] : 0;
  }
  return values;
}

/** A level of seeded noisy values whose hole and source are blobs inside [x0, x1) x [y0, y1). */
function drawnLevel(w: number, h: number, c: number, box: { x0: number; y0: number; x1: number; y1: number }, seed: number): SynthesisLevel {
  const random = createGaussianRandom(seed);
  const values = new Float32Array(w * h * c);
  for (let i = 0; i < values.length; i++) values[i] = Math.max(0, Math.min(255, Math.round(128 + 40 * random())));
  const unknown = new Uint8Array(w * h);
  const usable = new Uint8Array(w * h);
  const cx = (box.x0 + box.x1) / 2;
  const cy = (box.y0 + box.y1) / 2;
  for (let y = box.y0; y < box.y1; y++) {
    for (let x = box.x0; x < box.x1; x++) {
      const i = y * w + x;
      const r = Math.hypot((x - cx) / (box.x1 - box.x0), (y - cy) / (box.y1 - box.y0));
      if (r < 0.2) unknown[i] = 1;
      else if (random() > -0.3) usable[i] = 1;
    }
  }
  return { width: w, height: h, channels: c, values, unknown, usable };
}

test('the detail layer computed on the weighted pixels\' box equals, bit for bit, the one computed over the whole level', () => {
  const cases = [
    { w: 120, h: 90, c: 3, box: { x0: 40, y0: 30, x1: 80, y1: 60 }, sigma: 3 },
    { w: 120, h: 90, c: 3, box: { x0: 0, y0: 0, x1: 50, y1: 40 }, sigma: 3 },
    { w: 120, h: 90, c: 3, box: { x0: 70, y0: 50, x1: 120, y1: 90 }, sigma: 5 },
    { w: 64, h: 200, c: 1, box: { x0: 10, y0: 120, x1: 30, y1: 170 }, sigma: 2 },
    { w: 200, h: 150, c: 4, box: { x0: 90, y0: 2, x1: 180, y1: 60 }, sigma: 7 },
  ];
  for (const [index, { w, h, c, box, sigma }] of cases.entries()) {
    const level = drawnLevel(w, h, c, box, 5 + index);
    const expected = wholeLevelDetail(level, sigma);
    toDetailLayer(level, sigma);
    assert.deepEqual(level.values, expected, `case ${index}`);
  }
});

test('a level with no weighted pixel has no detail anywhere', () => {
  const level = drawnLevel(40, 30, 3, { x0: 0, y0: 0, x1: 0, y1: 0 }, 3);
  toDetailLayer(level, 3);
  assert.ok(level.values.every((v) => v === 0));
});
