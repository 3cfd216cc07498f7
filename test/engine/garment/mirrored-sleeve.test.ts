import { test } from 'node:test';
import assert from 'node:assert/strict';
import { profileMask } from '../../../src/engine/classic/garment/profile.ts';
import { findUpperLandmarks, implausibleSleeve, mirrorLostSleeve } from '../../../src/engine/classic/garment/upper.ts';
import { SHAPES, assertNear, drawGarment, type Vertex } from './drawn.ts';

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

test('a flat lay laid a little off level: the lost sleeve is the other one\'s mirror image moved to where the garment is', async () => {
  // The tee with its left sleeve 24 px lower than the right one (the shot turned a few degrees),
  // joined to the body's side down to the hem.
  const lowered: Vertex[] = SHAPES.tshirt.map(([x, y]) => (x < 150 ? [x, y + 24] : [x, y]) as Vertex);
  const { truth } = await drawGarment([lowered]);
  for (let y = 200; y < 560; y++) for (let x = 100; x < 152; x++) truth[y * WIDTH + x] = 1;
  const { landmarks: u } = findUpperLandmarks(profileMask(truth, WIDTH, HEIGHT), false, { symmetric: true });
  assert.ok(u.sleeveLeft && u.sleeveRight, 'both sleeves');
  assert.ok(u.sleeveLeft.cuffOuter.y > u.sleeveRight.cuffOuter.y + 10, `the left cuff lower than the right one (${u.sleeveLeft.cuffOuter.y} vs ${u.sleeveRight.cuffOuter.y})`);
  assert.ok(u.sleeveLeft.cuffOuter.x < 110, `the left cuff out at the sleeve's end (x ${u.sleeveLeft.cuffOuter.x})`);
});

test('a sleeve read with a cuff a few pixels wide, or a shoulder on the collar, is replaced by the other sleeve\'s mirror image', async () => {
  const { truth } = await drawGarment([SHAPES.tshirt]);
  const profile = profileMask(truth, WIDTH, HEIGHT);
  const { landmarks: good } = findUpperLandmarks(profile, false, { symmetric: true });
  assert.ok(good.sleeveLeft && good.sleeveRight);
  // Readings as the side tracer gives them: the left one right; the right one a strip of the body's
  // side from a shoulder on the collar down to the hem (what the tracer makes of a sleeve hanging
  // flush against the body).
  const pixelsIn = (x0: number, x1: number, y0: number, y1: number) => {
    const xs: number[] = [], ys: number[] = [];
    for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) if (truth[y * WIDTH + x]) { xs.push(x); ys.push(y); }
    return { xs: Int32Array.from(xs), ys: Int32Array.from(ys), count: xs.length };
  };
  const left = { side: -1 as const, armpit: { x: 150, y: 215 }, pixels: pixelsIn(80, 150, 120, 240), hasSleeve: true, shoulder: { x: 150, y: 140 } };
  const strip = { side: 1 as const, armpit: { x: 322, y: 300 }, pixels: pixelsIn(322, 331, 300, 560), hasSleeve: true, shoulder: { x: 322, y: 137 } };
  const onCollar = { side: 1 as const, armpit: { x: 270, y: 215 }, pixels: pixelsIn(270, 400, 120, 240), hasSleeve: true, shoulder: { x: 270, y: 123 } };
  for (const [name, right] of [['a sliver cuff', strip], ['a shoulder on the collar', onCollar]] as const) {
    const flags = [left, right].map((r) => implausibleSleeve(r, 240, 180, false));
    assert.deepEqual(flags, [false, true], `${name}: only the right reading is implausible`);
    const [, mended] = mirrorLostSleeve(profile, [left, right], flags);
    assert.deepEqual([mended.shoulder.x, mended.armpit.x], [329, 329], `${name}: the right sleeve is the left one's mirror image`);
  }
  assert.deepEqual([left].map((r) => implausibleSleeve(r, 240, 180, false)), [false], 'a real sleeve is plausible');
});
