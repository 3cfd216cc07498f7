/**
 * A pale tee's cut-out with the colour segmentation's pinholes (its flood seeps into fabric lit to
 * the sweep's colour) that the matte does not add back (they are narrower than a sliver): the
 * flat garment's cut (cutWithMatte) is whole, and its sleeves read as the short sleeves they are,
 * not as long sleeves hanging against the body beside a line of pinholes down its sides.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cutWithMatte } from '../../../src/engine/classic/garment/index.ts';
import { segmentGarment } from '../../../src/engine/classic/garment/segment.ts';
import { profileMask } from '../../../src/engine/classic/garment/profile.ts';
import { findUpperLandmarks } from '../../../src/engine/classic/garment/upper.ts';
import { sleeveClass } from '../../../src/engine/classic/garment/classify.ts';
import { SHAPES, drawGarment, iou } from './drawn.ts';

test('pinholes the colour cut left in a tee are filled, and its sleeves stay short', async () => {
  const { image, truth } = await drawGarment([SHAPES.tshirt], { fill: [120, 130, 150] });
  const { width, height } = image;
  const segmentation = segmentGarment(image);
  // The flood's pinholes: 2x2 px, in a line just inside each side seam (x = 150 and 330) from
  // below the armpits to above the hem, and scattered over the chest.
  const holes: Array<[number, number]> = [];
  for (let y = 240; y < 540; y += 6) holes.push([153, y], [325, y]);
  for (let y = 260; y < 500; y += 37) for (let x = 180; x < 300; x += 41) holes.push([x, y]);
  for (const [x, y] of holes) for (let dy = 0; dy < 2; dy++) for (let dx = 0; dx < 2; dx++) segmentation.foreground[(y + dy) * width + x + dx] = 0;
  // The matte sees the whole tee.
  const matte = new Uint8Array(width * height);
  for (let i = 0; i < matte.length; i++) matte[i] = truth[i] ? 255 : 0;
  const cut = cutWithMatte(segmentation, matte, width, height);
  for (const [x, y] of holes) assert.equal(cut[y * width + x], 1, `pinhole at (${x}, ${y}) filled`);
  assert.ok(iou(cut, truth) > 0.97, `IoU ${iou(cut, truth)}`);
  const upper = findUpperLandmarks(profileMask(cut, width, height), false, { symmetric: true });
  assert.equal(sleeveClass(upper.sleeveLength / upper.shoulderWidth), 'short');
});

test('a hole wider than a pinhole (a keyhole) stays open', async () => {
  const { image, truth } = await drawGarment([SHAPES.tshirt], { fill: [120, 130, 150] });
  const { width, height } = image;
  const segmentation = segmentGarment(image);
  const matte = new Uint8Array(width * height);
  // A keyhole of 40x30 px below the neckline: backdrop to both cuts.
  const inKeyhole = (x: number, y: number): boolean => x >= 220 && x < 260 && y >= 170 && y < 200;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (inKeyhole(x, y)) segmentation.foreground[i] = 0;
      matte[i] = truth[i] && !inKeyhole(x, y) ? 255 : 0;
    }
  }
  const cut = cutWithMatte(segmentation, matte, width, height);
  assert.equal(cut[185 * width + 240], 0, 'the keyhole stays open');
  assert.equal(cut[300 * width + 240], 1);
});
