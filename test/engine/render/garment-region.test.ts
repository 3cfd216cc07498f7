import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMask, createRaster } from '../../../src/imaging/raster.ts';
import { oldGarmentRegion } from '../../../src/engine/classic/render/garment-region.ts';

test('old garment region: grows over the garment\'s unlabelled outline, drops thin rims and what is above the ceiling', () => {
  const w = 120;
  const h = 120;
  const image = createRaster(w, h, 3);
  image.data.fill(235); // white backdrop
  const labelled = createMask(w, h);
  for (let y = 50; y < 110; y++) {
    for (let x = 30; x < 90; x++) {
      // A black garment whose outer 3 px (a darker blurred rim) the labels missed.
      image.data.fill(x < 33 || x >= 87 ? 15 : 30, (y * w + x) * 3, (y * w + x) * 3 + 3);
      if (x >= 33 && x < 87) labelled.data[y * w + x] = 255;
    }
  }
  // A 1-px ring of garment label around a skin-coloured face disc, above the garment.
  for (let y = 0; y < 45; y++) {
    for (let x = 0; x < w; x++) {
      const d = Math.hypot(x - 60, y - 22);
      if (d < 15) image.data.set([220, 170, 140], (y * w + x) * 3);
      if (d >= 15 && d < 16) labelled.data[y * w + x] = 255;
    }
  }
  const region = oldGarmentRegion(labelled, image, { ceilingY: 40 });
  const at = (x: number, y: number): number => region.data[y * w + x];
  assert.equal(at(60, 80), 255, 'garment');
  assert.equal(at(31, 80), 255, 'the missed outline on the left');
  assert.equal(at(88, 80), 255, 'the missed outline on the right');
  assert.equal(at(25, 80), 0, 'the backdrop beyond it');
  assert.equal(at(60, 7), 0, 'the rim above the face');
  assert.equal(at(75, 22), 0, 'the rim beside the face');
  // Without the growth the outline stays out, so the test measures the growth.
  const plain = oldGarmentRegion(labelled, image, { ceilingY: 40, growth: 0 });
  assert.equal(plain.data[80 * w + 31], 0);
});

test('old garment region: above the ceiling only where it is let through (an old sleeve on a raised arm)', () => {
  const w = 80;
  const h = 80;
  const image = createRaster(w, h, 3);
  image.data.fill(235);
  const labelled = createMask(w, h);
  // A garment from row 10 down; a sleeve going up beside the head (columns 60-69) and a collar
  // (columns 20-49) both rise above the ceiling at row 30.
  for (let y = 10; y < 80; y++) {
    for (let x = 20; x < 70; x++) {
      if (y < 30 && x >= 50 && x < 60) continue;
      image.data.fill(30, (y * w + x) * 3, (y * w + x) * 3 + 3);
      labelled.data[y * w + x] = 255;
    }
  }
  const raisedArm = createMask(w, h);
  for (let y = 0; y < 30; y++) for (let x = 58; x < 72; x++) raisedArm.data[y * w + x] = 255;
  const region = oldGarmentRegion(labelled, image, { ceilingY: 30, aboveCeiling: raisedArm });
  const at = (x: number, y: number): number => region.data[y * w + x];
  assert.equal(at(64, 15), 255, 'the sleeve above the ceiling, on the raised arm');
  assert.equal(at(35, 15), 0, 'the collar above the ceiling');
  assert.equal(at(35, 50), 255, 'the garment below it');
  assert.equal(oldGarmentRegion(labelled, image, { ceilingY: 30 }).data[15 * w + 64], 0, 'without it, nothing above the ceiling');
});
