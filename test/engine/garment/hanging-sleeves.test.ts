import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyseGarment } from '../../../src/engine/classic/garment/index.ts';
import type { Point, SleeveLandmarks, UpperLandmarks } from '../../../src/engine/classic/types.ts';
import { HANGING, assertNear, drawGarment } from './drawn.ts';

// The drawn tops share one body panel: shoulders (130,140)/(350,140), side seams at x = 130/350
// (220 px wide), sleeves joining them down to the armpits at y = 240.

function sleeves(u: UpperLandmarks): [SleeveLandmarks, SleeveLandmarks] {
  assert.ok(u.sleeveLeft, 'left sleeve missing');
  assert.ok(u.sleeveRight, 'right sleeve missing');
  return [u.sleeveLeft, u.sleeveRight];
}

/**
 * A sleeve touching the body hides its armpit: it must still sit on the body's side seam, an
 * armhole's depth below the shoulder (drawn at 100 px; the engine estimates it from the width).
 */
function hiddenArmpit(actual: Point, sideX: number, name: string): void {
  assert.ok(Math.abs(actual.x - sideX) <= 4, `${name} x ${actual.x.toFixed(1)}, side seam at ${sideX}`);
  assert.ok(actual.y >= 215 && actual.y <= 265, `${name} y ${actual.y.toFixed(1)}, armhole depth ~100 px below the shoulder at 140`);
}

test('sleeves hanging beside the body with a thin wedge of backdrop, cuffs below the hem', async () => {
  const { image } = await drawGarment(HANGING.thinGap, { fill: [60, 40, 90], jpeg: 92 });
  const g = await analyseGarment(image, 'upper_body');
  const u = g.upper;
  assert.ok(u);
  assertNear(u.shoulderLeft, [130, 140], 4, 'shoulderLeft');
  assertNear(u.shoulderRight, [350, 140], 4, 'shoulderRight');
  // The top of the gap is the armpit.
  assertNear(u.armpitLeft, [130, 240], 6, 'armpitLeft');
  assertNear(u.armpitRight, [350, 240], 6, 'armpitRight');
  // The panel's hem corners, not the cuffs hanging 30 px lower.
  assertNear(u.hemLeft, [130, 530], 4, 'hemLeft');
  assertNear(u.hemRight, [350, 530], 4, 'hemRight');
  const [left, right] = sleeves(u);
  assertNear(left.cuffOuter, [70, 560], 5, 'left cuffOuter');
  assertNear(left.cuffInner, [110, 560], 5, 'left cuffInner');
  assertNear(right.cuffOuter, [410, 560], 5, 'right cuffOuter');
  assertNear(right.cuffInner, [370, 560], 5, 'right cuffInner');
  assert.equal(g.sleeve, 'long');
  // Shoulder (130,140) to the cuff's middle (90,560): 422 px over a 220 px shoulder width.
  assert.ok(Math.abs(g.sleeveLengthRatio - 1.92) < 0.1, `sleeveLengthRatio ${g.sleeveLengthRatio}`);
});

test('sleeves touching the body down to cuffs resting on it above the hem (the thin gap closed)', async () => {
  const { image } = await drawGarment(HANGING.closedGap, { fill: [150, 120, 110], jpeg: 92 });
  const g = await analyseGarment(image, 'upper_body');
  const u = g.upper;
  assert.ok(u);
  assertNear(u.shoulderLeft, [130, 140], 4, 'shoulderLeft');
  assertNear(u.shoulderRight, [350, 140], 4, 'shoulderRight');
  hiddenArmpit(u.armpitLeft, 130, 'armpitLeft');
  hiddenArmpit(u.armpitRight, 350, 'armpitRight');
  // Below the cuffs the body panel runs on to its hem; the cuffs' rows are not its corners.
  assertNear(u.hemLeft, [130, 545], 4, 'hemLeft');
  assertNear(u.hemRight, [350, 545], 4, 'hemRight');
  const [left, right] = sleeves(u);
  assertNear(left.cuffOuter, [70, 525], 5, 'left cuffOuter');
  assertNear(left.cuffInner, [130, 525], 5, 'left cuffInner');
  assertNear(right.cuffOuter, [410, 525], 5, 'right cuffOuter');
  assertNear(right.cuffInner, [350, 525], 5, 'right cuffInner');
  assert.equal(g.sleeve, 'long');
  // Shoulder (130,140) to the cuff's middle (100,525): 386 px over 220.
  assert.ok(Math.abs(g.sleeveLengthRatio - 1.75) < 0.1, `sleeveLengthRatio ${g.sleeveLengthRatio}`);
});

test('sleeves touching the body all the way and hanging below its hem', async () => {
  const { image } = await drawGarment(HANGING.touching, { fill: [200, 70, 60], jpeg: 92 });
  const g = await analyseGarment(image, 'upper_body');
  const u = g.upper;
  assert.ok(u);
  assertNear(u.shoulderLeft, [130, 140], 4, 'shoulderLeft');
  assertNear(u.shoulderRight, [350, 140], 4, 'shoulderRight');
  hiddenArmpit(u.armpitLeft, 130, 'armpitLeft');
  hiddenArmpit(u.armpitRight, 350, 'armpitRight');
  assertNear(u.hemLeft, [130, 530], 4, 'hemLeft');
  assertNear(u.hemRight, [350, 530], 4, 'hemRight');
  const [left, right] = sleeves(u);
  assertNear(left.cuffOuter, [70, 575], 5, 'left cuffOuter');
  assertNear(left.cuffInner, [132, 575], 5, 'left cuffInner');
  assertNear(right.cuffOuter, [410, 575], 5, 'right cuffOuter');
  assertNear(right.cuffInner, [348, 575], 5, 'right cuffInner');
  assert.equal(g.sleeve, 'long');
  // Shoulder (130,140) to the cuff's middle (101,575): 436 px over 220; within the engine's
  // failsafe (2.5) that would otherwise drop the landmarks.
  assert.ok(Math.abs(g.sleeveLengthRatio - 1.98) < 0.1, `sleeveLengthRatio ${g.sleeveLengthRatio}`);
});
