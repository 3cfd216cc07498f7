import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRaster } from '../../../src/imaging/raster.ts';
import { openSleeveGaps } from '../../../src/engine/classic/garment/sleeve-gaps.ts';

const W = 200;
const H = 240;
const BACKDROP: [number, number, number] = [246, 246, 246];

/**
 * A flat lay of a long-sleeved top of `fabric` on a light grey sweep: body panel x 60..140, sleeves
 * x 30..52 and 148..170 hanging from the shoulders (y 40..60, joined to the panel) to cuffs joined
 * to the panel's sides at y 200..206, so that a strip of sweep 7 px wide is enclosed on each side
 * (x 53..59, 141..147); a print of the sweep's own colour in the panel's middle. The mask is the
 * flood's: everything inside the garment's outline.
 */
function flatLay(fabric: [number, number, number]) {
  const image = createRaster(W, H, 3);
  const mask = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const inside = y >= 40 && y <= 220 && x >= 30 && x <= 170 && (y <= 206 || (x >= 60 && x <= 140));
      const gap = y > 60 && y < 200 && ((x >= 53 && x <= 59) || (x >= 141 && x <= 147));
      const print = x >= 90 && x <= 110 && y >= 100 && y <= 160;
      image.data.set(!inside || gap || print ? BACKDROP : fabric, (y * W + x) * 3);
      if (inside) mask[y * W + x] = 1;
    }
  }
  const sleeve = (shoulderX: number, cuffOuterX: number, cuffInnerX: number, armpitX: number) => ({
    shoulder: { x: shoulderX, y: 40 }, armpit: { x: armpitX, y: 60 }, cuffOuter: { x: cuffOuterX, y: 206 }, cuffInner: { x: cuffInnerX, y: 206 },
  });
  const landmarks = {
    neckLeft: { x: 85, y: 40 }, neckRight: { x: 115, y: 40 }, neckDip: { x: 100, y: 50 },
    shoulderLeft: { x: 40, y: 40 }, shoulderRight: { x: 160, y: 40 },
    armpitLeft: { x: 60, y: 60 }, armpitRight: { x: 140, y: 60 }, hemLeft: { x: 60, y: 220 }, hemRight: { x: 140, y: 220 },
    sleeveLeft: sleeve(40, 30, 52, 60), sleeveRight: sleeve(160, 170, 148, 140),
  };
  return { image, mask, landmarks };
}

test('the sweep enclosed between a long sleeve and the body it hangs against is opened; a print of its colour in the panel stays', () => {
  const { image, mask, landmarks } = flatLay([200, 30, 40]);
  const removed = openSleeveGaps(image, mask, landmarks);
  assert.ok(removed > 0);
  for (const [x, y] of [[56, 120], [144, 120], [55, 80], [145, 190]]) assert.equal(mask[y * W + x], 0, `gap at ${x},${y}`);
  for (const [x, y] of [[100, 130], [40, 120], [160, 120], [70, 120], [100, 210]]) assert.equal(mask[y * W + x], 1, `garment at ${x},${y}`);
});

test('a garment as pale as the sweep, or one with short sleeves, keeps every pixel', () => {
  const pale = flatLay([240, 240, 238]);
  const before = pale.mask.slice();
  assert.equal(openSleeveGaps(pale.image, pale.mask, pale.landmarks), 0);
  assert.deepEqual(pale.mask, before);
  const short = flatLay([200, 30, 40]);
  const cuff = (x: number) => ({ x, y: 70 });
  const landmarks = { ...short.landmarks, sleeveLeft: { ...short.landmarks.sleeveLeft, cuffOuter: cuff(30), cuffInner: cuff(52) }, sleeveRight: { ...short.landmarks.sleeveRight, cuffOuter: cuff(170), cuffInner: cuff(148) } };
  assert.equal(openSleeveGaps(short.image, short.mask, landmarks), 0);
});
