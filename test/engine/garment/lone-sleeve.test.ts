/**
 * A garment cut off its wearer with a "sleeve" on one side only that is a fraction of a sleeve's
 * size (what the cut left of the wearer's arm at a tank's armhole) is read as sleeveless; a real
 * sleeve seen on one side only stays a sleeve.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { profileMask } from '../../../src/engine/classic/garment/profile.ts';
import { findUpperLandmarks } from '../../../src/engine/classic/garment/upper.ts';
import { SHAPES, drawGarment, type Vertex } from './drawn.ts';

async function read(extra: Vertex[]) {
  const { truth, image } = await drawGarment([SHAPES.tank, extra]);
  return findUpperLandmarks(profileMask(truth, image.width, image.height), false, { symmetric: false });
}

test('a strip hanging from one armhole of a tank cut off its wearer is no sleeve', async () => {
  // The tank's right armhole runs from the strap (295,100) down to (335,230): a strip 10 px wide
  // hanging from it down beside the body, the edge of the wearer's arm the cut kept.
  const u = await read([[318, 200], [345, 215], [352, 420], [342, 420], [334, 240]]);
  assert.equal(u.landmarks.sleeveLeft, undefined);
  assert.equal(u.landmarks.sleeveRight, undefined);
  assert.equal(u.sleeveLength, 0);
});

test('a short sleeve seen on one side only stays a sleeve', async () => {
  const u = await read([[300, 150], [390, 190], [370, 250], [330, 235], [322, 200]]);
  assert.ok(u.landmarks.sleeveRight, 'right sleeve kept');
  assert.ok(u.sleeveLength > 0);
});
