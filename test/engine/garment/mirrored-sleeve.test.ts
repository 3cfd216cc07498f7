import { test } from 'node:test';
import assert from 'node:assert/strict';
import { profileMask } from '../../../src/engine/classic/garment/profile.ts';
import { findUpperLandmarks } from '../../../src/engine/classic/garment/upper.ts';
import { SHAPES, assertNear, drawGarment } from './drawn.ts';

const WIDTH = 480;
const HEIGHT = 640;

/**
 * The drawn tee (armpits at (150,215)/(330,215), sleeves out to x = 90/390) with its left sleeve's
 * underside joined to the body's side down to the hem by cloth, as a peplum's flare or a flat
 * lay's shadow joins them: the left side has no armhole notch left to read.
 */
async function teeWithJoinedLeftSleeve(): Promise<Uint8Array> {
  const { truth } = await drawGarment([SHAPES.tshirt]);
  for (let y = 200; y < 560; y++) for (let x = 100; x < 152; x++) truth[y * WIDTH + x] = 1;
  return truth;
}

test('a flat lay whose left sleeve is joined to its side gets the right sleeve\'s mirror image as its left sleeve', async () => {
  const mask = await teeWithJoinedLeftSleeve();
  const asRead = findUpperLandmarks(profileMask(mask, WIDTH, HEIGHT), false).landmarks;
  assert.equal(asRead.sleeveLeft, undefined, 'the joined sleeve is not read on its own (what this test is about)');
  const { landmarks: u } = findUpperLandmarks(profileMask(mask, WIDTH, HEIGHT), false, { symmetric: true });
  assert.ok(u.sleeveLeft && u.sleeveRight, 'both sleeves');
  const axis = 240;
  assertNear(u.armpitLeft, [2 * axis - u.armpitRight.x, u.armpitRight.y], 6, 'left armpit mirrors the right one');
  assertNear(u.sleeveLeft.cuffOuter, [2 * axis - u.sleeveRight.cuffOuter.x, u.sleeveRight.cuffOuter.y], 6, 'left cuff mirrors the right one');
  assert.ok(u.hemLeft.y > 500, `the hem stays at the bottom (y ${u.hemLeft.y})`);
});

test('a garment with one sleeve by design (nothing on the garment where its mirror image would be) keeps one sleeve', async () => {
  const { truth } = await drawGarment([SHAPES.tshirt]);
  // The left sleeve cut away: a one-sleeve top.
  for (let y = 130; y < 240; y++) for (let x = 80; x < 150; x++) truth[y * WIDTH + x] = 0;
  const { landmarks: u } = findUpperLandmarks(profileMask(truth, WIDTH, HEIGHT), false, { symmetric: true });
  assert.equal(u.sleeveLeft, undefined);
  assert.ok(u.sleeveRight);
});
