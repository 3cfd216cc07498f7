import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createMask, type Mask } from '../../../src/imaging/raster.ts';
import { refinePersonMask } from '../../../src/engine/classic/person/mask.ts';
import { drawFigure } from './figure.ts';

function iou(a: Mask, b: Mask): number {
  let inter = 0;
  let union = 0;
  for (let i = 0; i < a.data.length; i++) {
    const p = a.data[i] >= 128;
    const q = b.data[i] >= 128;
    if (p && q) inter++;
    if (p || q) union++;
  }
  return inter / union;
}

/** A sloppy network prior: the silhouette grown by `grow` px, with a bite out of one arm. */
function sloppyPrior(silhouette: Mask, grow: number): Mask {
  const { width: w, height: h } = silhouette;
  const prior = createMask(w, h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let hit = false;
      for (let dy = -grow; dy <= grow && !hit; dy += 2) {
        for (let dx = -grow; dx <= grow && !hit; dx += 2) {
          const yy = y + dy;
          const xx = x + dx;
          hit = yy >= 0 && xx >= 0 && yy < h && xx < w && silhouette.data[yy * w + xx] > 0;
        }
      }
      prior.data[y * w + x] = hit ? 220 : 10;
    }
  }
  for (let y = 180; y < 215; y++) for (let x = 155; x < 180; x++) prior.data[y * w + x] = 10;
  return prior;
}

test('the refined mask hugs the drawn person better than the prior', async () => {
  const figure = drawFigure();
  const prior = sloppyPrior(figure.silhouette, 8);
  const mask = await refinePersonMask(figure.image, figure.pose, prior);
  assert.equal(mask.width, figure.image.width);
  assert.equal(mask.height, figure.image.height);
  const before = iou(prior, figure.silhouette);
  const after = iou(mask, figure.silhouette);
  assert.ok(after > 0.9, `IoU ${after.toFixed(3)}`);
  assert.ok(after > before + 0.05, `IoU ${before.toFixed(3)} -> ${after.toFixed(3)}`);
  // The forearm the prior lost is back (the skeleton is sure foreground).
  assert.ok(mask.data[figure.at.forearm.y * figure.image.width + figure.at.forearm.x] >= 128);
  assert.equal(mask.data[figure.at.wall.y * figure.image.width + figure.at.wall.x], 0);
});

test('the mask is soft only along its edge', async () => {
  const figure = drawFigure();
  const mask = await refinePersonMask(figure.image, figure.pose, sloppyPrior(figure.silhouette, 4));
  const c = figure.at.chest;
  assert.equal(mask.data[c.y * figure.image.width + c.x], 255);
  let soft = 0;
  for (const v of mask.data) if (v > 0 && v < 255) soft++;
  assert.ok(soft > 0 && soft < mask.data.length * 0.05, `soft pixels ${soft}`);
});

test('the same photo gives the same mask, call after call (grabCut does not inherit random state)', async () => {
  const figure = drawFigure();
  // Grain makes grabCut's colour models depend on its k-means initialisation.
  let state = 7;
  for (let i = 0; i < figure.image.data.length; i++) {
    state = (state * 1103515245 + 12345) >>> 0;
    figure.image.data[i] = Math.max(0, Math.min(255, figure.image.data[i] + ((state >>> 16) % 41) - 20));
  }
  const prior = sloppyPrior(figure.silhouette, 8);
  const first = await refinePersonMask(figure.image, figure.pose, prior);
  for (let run = 0; run < 3; run++) {
    const again = await refinePersonMask(figure.image, figure.pose, prior);
    assert.deepEqual(again.data, first.data, `run ${run + 2} differs`);
  }
});
