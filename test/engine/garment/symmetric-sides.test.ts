/**
 * A flat lay's two sides are read alike: a tee whose cut-out has a bump on one side low down (a
 * white tee's ragged side lit to the sweep's colour, a shadow kept beside the hem) keeps its short
 * sleeve on that side, not a long one hanging from an armpit hidden inside the body.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyseGarment } from '../../../src/engine/classic/garment/index.ts';
import { SHAPES, assertNear, drawGarment, type Vertex } from './drawn.ts';

test('a bump on one side of a tee low down leaves both its sleeves short', async () => {
  // The tee's right side seam runs at x = 330 from the armpit (y = 215) to the hem (y = 560);
  // the bump stands 16 px out of it between y = 470 and 500, square below (a step, as a ragged cut makes).
  const bump: Vertex[] = [[325, 470], [346, 470], [346, 500], [325, 500]];
  const { image } = await drawGarment([SHAPES.tshirt, bump], { jpeg: 92 });
  const g = await analyseGarment(image, 'upper_body');
  const u = g.upper;
  assert.ok(u);
  assertNear(u.armpitLeft, [150, 215], 6, 'armpitLeft');
  assertNear(u.armpitRight, [330, 215], 6, 'armpitRight');
  assertNear(u.sleeveRight?.cuffOuter, [390, 200], 8, 'right cuffOuter');
  assert.equal(g.sleeve, 'short');
});
