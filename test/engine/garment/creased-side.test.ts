import { test } from 'node:test';
import assert from 'node:assert/strict';
import { profileMask } from '../../../src/engine/classic/garment/profile.ts';
import { findUpperLandmarks } from '../../../src/engine/classic/garment/upper.ts';
import { SHAPES, drawGarment } from './drawn.ts';

/**
 * A short-sleeved tee's outline (armpits at (150,215)/(330,215), hem at y = 560) with a thin line
 * taken out along each lower side, as a cut-out does along a crease or a fold's shadow on a white
 * tee on white (the segmentation's own gap rules are not what is tested: the outline is given): a
 * sliver of the side, 7 px wide, split off by a 4 px gap. On the left the gap reaches below the row
 * the side is followed from, on the right it lies wholly above it.
 */
const CREASES = [
  { x0: 157, x1: 160, y0: 380, y1: 545 },
  { x0: 319, x1: 322, y0: 400, y1: 480 },
];

test('a tee whose outline has slivers split off its lower sides keeps short sleeves: a sliver rejoining is no cuff', async () => {
  const { truth } = await drawGarment([SHAPES.tshirt]);
  const width = 480;
  for (const c of CREASES) for (let y = c.y0; y <= c.y1; y++) for (let x = c.x0; x <= c.x1; x++) truth[y * width + x] = 0;
  const { landmarks: u, shoulderWidth, sleeveLength } = findUpperLandmarks(profileMask(truth, width, 640), false);
  // Short sleeves: shoulder to cuff about half the shoulder width, not down to the hem.
  assert.ok(sleeveLength < 0.9 * shoulderWidth, `sleeve length ${sleeveLength.toFixed(0)} over shoulder width ${shoulderWidth.toFixed(0)}`);
  assert.ok(u.armpitLeft.y < 260 && u.armpitRight.y < 260, `armpits at y ${u.armpitLeft.y}/${u.armpitRight.y}, drawn at 215`);
  for (const s of [u.sleeveLeft, u.sleeveRight]) {
    assert.ok(s, 'sleeve missing');
    assert.ok(s.cuffOuter.y < 280 && s.cuffInner.y < 280, `cuff at y ${s.cuffOuter.y}/${s.cuffInner.y}: the sleeve's end, not the hem`);
  }
});
