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

test('old garment region: follows a white sleeve off the person mask on a pale backdrop, not onto the backdrop or hair', () => {
  const w = 160;
  const h = 160;
  const image = createRaster(w, h, 3);
  image.data.fill(222); // pale grey studio backdrop
  const labelled = createMask(w, h);
  const person = createMask(w, h);
  const guard = createMask(w, h);
  for (let y = 60; y < 150; y++) {
    for (let x = 40; x < 120; x++) {
      // A white top, its left sleeve's outer 12 px (bright knit and a shaded fold) off the person
      // mask: the mask stops where white meets pale grey.
      const offMask = x < 52;
      image.data.fill(offMask && x % 3 === 0 ? 212 : 240, (y * w + x) * 3, (y * w + x) * 3 + 3);
      if (!offMask) {
        labelled.data[y * w + x] = 255;
        person.data[y * w + x] = 255;
      }
    }
  }
  // Dark hair on the right, labelled where the mask has it (its top), off the mask below, where
  // its strands touch the garment.
  for (let y = 60; y < 100; y++) {
    for (let x = 120; x < 136; x++) {
      image.data.fill(30, (y * w + x) * 3, (y * w + x) * 3 + 3);
      if (y < 80) {
        guard.data[y * w + x] = 255;
        person.data[y * w + x] = 255;
      }
    }
  }
  const region = oldGarmentRegion(labelled, image, { ceilingY: 0, person, guard, offPersonReach: 20 });
  const at = (x: number, y: number): number => region.data[y * w + x];
  assert.equal(at(42, 120), 255, 'the sleeve\'s edge off the person');
  assert.equal(at(46, 100), 255, 'its shaded fold');
  assert.equal(at(30, 120), 0, 'the backdrop beyond it');
  assert.equal(at(122, 95), 0, 'the hair the mask missed');
  // Without the reach the sleeve's edge stays out, so the test measures the growth off the person.
  const plain = oldGarmentRegion(labelled, image, { ceilingY: 0, person, guard });
  assert.equal(plain.data[120 * w + 42], 0);
  assert.equal(plain.data[100 * w + 46], 0);
});

test('old garment region: a raised arm\'s sleeve above the ceiling is old garment, nothing else above it is', () => {
  const w = 120;
  const h = 120;
  const image = createRaster(w, h, 3);
  image.data.fill(235); // white backdrop
  const labelled = createMask(w, h);
  const garment = (x0: number, y0: number, x1: number, y1: number): void => {
    for (let y = y0; y < y1; y++) {
      for (let x = x0; x < x1; x++) {
        image.data.fill(30, (y * w + x) * 3, (y * w + x) * 3 + 3);
        labelled.data[y * w + x] = 255;
      }
    }
  };
  garment(30, 50, 90, 110); // the top below the ceiling (row 40)
  garment(80, 10, 92, 50); // its sleeve on an arm raised beside the head (x 80..91)
  garment(20, 20, 32, 40); // a dark scarf's end above the ceiling, off the arm
  const onArm = (x: number, y: number): boolean => x >= 78 && x < 94 && y < 60;
  const region = oldGarmentRegion(labelled, image, { ceilingY: 40, raisedArm: onArm });
  assert.equal(region.data[20 * w + 86], 255, 'the raised sleeve');
  assert.equal(region.data[30 * w + 26], 0, 'not what lies off the arm');
  const cut = oldGarmentRegion(labelled, image, { ceilingY: 40 });
  assert.equal(cut.data[20 * w + 86], 0, 'without the arm the ceiling cuts the sleeve');
});
