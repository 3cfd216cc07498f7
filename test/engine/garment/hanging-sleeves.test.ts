import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyseGarment } from '../../../src/engine/classic/garment/index.ts';
import type { Point, SleeveLandmarks, UpperLandmarks } from '../../../src/engine/classic/types.ts';
import { HANGING, assertNear, drawGarment, type Vertex } from './drawn.ts';

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

/**
 * A loose drop-shoulder shirt laid as one trapezoid: shoulder line from the collar down to the
 * corners (150,130)/(330,130), wide sleeves hanging against the body from there to slanted cuffs
 * (95,520)→(160,540) and mirrored, the body's side seam (x = 160/320) showing only below them, down
 * to the hem at y = 560. No gap anywhere: the cuffs' notches above the hem are the only sign.
 */
const notchedCuff: Vertex[] = [[160, 560], [160, 540], [95, 520], [150, 130], [205, 112], [225, 126]];
const LOOSE_SHIRT: Vertex[] = [...notchedCuff, ...notchedCuff.map(([x, y]) => [480 - x, y] as Vertex).reverse()];
/** The same shirt with the left cuff's notch rounded off by the cut-out: its outline runs straight from the cuff's outer corner to the hem corner. */
const LOOSE_SHIRT_ONE_NOTCH: Vertex[] = LOOSE_SHIRT.filter(([x, y]) => !(x === 160 && y === 540));

// Where the notch is rounded off the outline has no hem corner of its own: it is read on the slant
// from the cuff's corner down to where the corner was drawn, within 20 px of it.
for (const [name, outline, leftHemTolerance] of [['both cuffs\' notches', LOOSE_SHIRT, 10], ['one cuff\'s notch, the other rounded off', LOOSE_SHIRT_ONE_NOTCH, 20]] as const) {
  test(`wide sleeves hanging against a loose shirt's body, read from ${name}`, async () => {
    const { image } = await drawGarment([outline], { fill: [200, 180, 140], jpeg: 92 });
    const g = await analyseGarment(image, 'upper_body');
    const u = g.upper;
    assert.ok(u);
    assert.equal(g.sleeve, 'long', `sleeve ${g.sleeve}, ratio ${g.sleeveLengthRatio}`);
    assertNear(u.shoulderLeft, [150, 130], 14, 'shoulderLeft');
    assertNear(u.shoulderRight, [330, 130], 14, 'shoulderRight');
    // The armpits an armhole's depth below the shoulders, on the drop shoulder's seam.
    for (const [armpit, x] of [[u.armpitLeft, 150], [u.armpitRight, 330]] as const) {
      assert.ok(Math.abs(armpit.x - x) <= 14 && armpit.y > 170 && armpit.y < 260, `armpit at (${armpit.x}, ${armpit.y})`);
    }
    assertNear(u.hemLeft, [160, 560], leftHemTolerance, 'hemLeft');
    assertNear(u.hemRight, [320, 560], 10, 'hemRight');
    const [left, right] = sleeves(u);
    assert.ok(left.cuffOuter.y > 480 && right.cuffOuter.y > 480, 'cuffs at the sleeves\' hanging ends');
  });
}
