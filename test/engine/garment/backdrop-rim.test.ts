import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withoutBackdropRim } from '../../../src/engine/classic/garment/backdrop-rim.ts';
import { createRaster } from '../../../src/imaging/raster.ts';

/** A blank 300x400 white sweep (248) and an empty segmentation of it. */
function whiteSweep() {
  const w = 300;
  const h = 400;
  const image = createRaster(w, h, 3);
  image.data.fill(248);
  return { w, image, foreground: new Uint8Array(w * h) };
}

/**
 * A 300x400 product shot on a white sweep: black trousers (x 100..199, rows 40..359) with, beside
 * their left side, the sweep's soft shadow (x 95..99, grey darkening towards the trousers) that
 * the colour segmentation took with them, and a light grey motif where the right side meets the
 * outline (x 192..199, rows 200..207). `foreground` is that segmentation: trousers and shadow.
 */
function productShot() {
  const { w, image, foreground } = whiteSweep();
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

/**
 * A 300x400 product shot on a white sweep: black jeans (x 90..210) whose legs part below the
 * crotch (row 165) into a gap that the segmentation cut out from row 170 down; between rows 165
 * and 169 it kept the gap's shaded wedge (grey on its left side, white on its right), and a light
 * grey motif sits at a leg's inner edge lower down (rows 250..257, beside the cut gap).
 */
function jeansWithShadedCrotch() {
  const { w, image, foreground } = whiteSweep();
  for (let y = 40; y < 360; y++) {
    // The gap widens from 5 px at the crotch to 21 px at the hem.
    const gapHalf = y < 165 ? -1 : 2 + Math.floor(((y - 165) / 195) * 8);
    for (let x = 90; x < 211; x++) {
      const p = y * w + x;
      const inGap = Math.abs(x - 150) <= gapHalf;
      if (inGap && y >= 170) continue;
      foreground[p] = 1;
      if (inGap) {
        const v = x < 150 ? 200 : 246;
        image.data.set([v, v, v], p * 3);
      } else {
        const motif = x >= 150 + gapHalf + 1 && x < 150 + gapHalf + 5 && y >= 250 && y < 258;
        image.data.set(motif ? [215, 215, 215] : [22, 22, 24], p * 3);
      }
    }
  }
  return { image, foreground, w };
}

test('the shaded wedge the segmentation kept at the top of the gap between trouser legs is cut out, grey and white; a light motif lower down at a leg\'s inner edge stays', () => {
  const { image, foreground, w } = jeansWithShadedCrotch();
  const out = withoutBackdropRim(image, foreground);
  for (const [x, y] of [[150, 165], [148, 166], [152, 167], [150, 169]]) assert.equal(out[y * w + x], 0, `wedge at ${x},${y}`);
  for (const [x, y] of [[150, 164], [120, 166], [180, 166], [100, 300]]) assert.equal(out[y * w + x], 1, `jeans at ${x},${y}`);
  const motifX = 150 + 2 + Math.floor(((253 - 165) / 195) * 8) + 2;
  assert.equal(out[253 * w + motifX], 1, 'the motif at the inner edge');
});
