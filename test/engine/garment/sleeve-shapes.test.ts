import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyseGarment } from '../../../src/engine/classic/garment/index.ts';
import { assertNear, drawGarment, type Vertex } from './drawn.ts';

/**
 * A short-sleeved tee laid with its sleeves standing out down at an angle, the shoulder line running
 * on into the sleeve's top edge: the armhole (shoulder (140,140) to armpit (140,290)) is deeper than
 * the sleeve is long, cuffs from (75,230) to (110,265).
 */
const ANGLED_TEE: Vertex[] = [[205, 110], [225, 122], [255, 122], [275, 110], [340, 140], [405, 230], [370, 265], [340, 290], [340, 560],
  [140, 560], [140, 290], [110, 265], [75, 230], [140, 140]];

/**
 * A drop-shoulder long-sleeved top, sleeves hanging down beside the body against it and their cuffs
 * below its hem: a nearly flat shoulder line from the neck to the outer corners (110,112)/(370,112),
 * body side seams (hidden) at x = 155/325, hem at 530, cuffs (85..155)/(325..395) at 580.
 */
const DROP_SHOULDER_HANGING: Vertex[] = [[205, 105], [225, 118], [255, 118], [275, 105], [370, 112], [395, 580], [325, 580], [325, 530],
  [155, 530], [155, 580], [85, 580], [110, 112]];

/** A vest whose straight sides run from the straps to the hem with no armhole notch. */
const NOTCHLESS_VEST: Vertex[] = [[185, 100], [210, 100], [240, 170], [270, 100], [295, 100], [345, 520], [135, 520]];

test('a short-sleeved tee with sleeves standing out at an angle: short, cuffs at the sleeve ends, armpits at their base', async () => {
  const { image } = await drawGarment([ANGLED_TEE], { fill: [230, 230, 235], background: [90, 90, 95], jpeg: 92 });
  const g = await analyseGarment(image, 'upper_body');
  const u = g.upper;
  assert.ok(u);
  assert.equal(g.sleeve, 'short', `sleeve ${g.sleeve}, ratio ${g.sleeveLengthRatio}`);
  assertNear(u.armpitLeft, [140, 290], 12, 'armpitLeft');
  assertNear(u.armpitRight, [340, 290], 12, 'armpitRight');
  assert.ok(u.sleeveLeft && u.sleeveRight, 'sleeves missing');
  // The cuffs at the sleeves' far ends (their middles), not beside the shoulders.
  const mid = (a: { x: number; y: number }, b: { x: number; y: number }) => ({ x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 });
  assertNear(mid(u.sleeveLeft.cuffOuter, u.sleeveLeft.cuffInner), [92.5, 247.5], 14, 'left cuff middle');
  assertNear(mid(u.sleeveRight.cuffOuter, u.sleeveRight.cuffInner), [387.5, 247.5], 14, 'right cuff middle');
});

test('a drop-shoulder top with long sleeves hanging beside the body: long, shoulders at the outer corners', async () => {
  const { image } = await drawGarment([DROP_SHOULDER_HANGING], { fill: [150, 135, 120], jpeg: 92 });
  const g = await analyseGarment(image, 'upper_body');
  const u = g.upper;
  assert.ok(u);
  assert.equal(g.sleeve, 'long', `sleeve ${g.sleeve}, ratio ${g.sleeveLengthRatio}`);
  assertNear(u.shoulderLeft, [110, 112], 12, 'shoulderLeft');
  assertNear(u.shoulderRight, [370, 112], 12, 'shoulderRight');
  assert.ok(u.sleeveLeft && u.sleeveRight, 'sleeves missing');
  assert.ok(u.sleeveLeft.cuffOuter.y > 560 && u.sleeveRight.cuffOuter.y > 560, 'cuffs at the sleeves\' hanging ends');
  // Within the bound the try-on trusts (2.5 shoulder widths).
  assert.ok(g.sleeveLengthRatio > 1.5 && g.sleeveLengthRatio < 2.2, `sleeveLengthRatio ${g.sleeveLengthRatio}`);
});

test('a vest whose sides have no armhole notch stays sleeveless', async () => {
  const { image } = await drawGarment([NOTCHLESS_VEST], { fill: [60, 90, 60], jpeg: 92 });
  const g = await analyseGarment(image, 'upper_body');
  assert.equal(g.sleeve, 'none', `sleeve ${g.sleeve}, ratio ${g.sleeveLengthRatio}`);
  assert.equal(g.upper?.sleeveLeft, undefined);
  assert.equal(g.upper?.sleeveRight, undefined);
});
