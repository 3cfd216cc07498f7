import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyseGarment } from '../../../src/engine/classic/garment/index.ts';
import { drawGarment, type Vertex } from './drawn.ts';

/** A left half's outline mirrored to the right of the 480-wide canvas and joined into one polygon. */
const withMirror = (left: Vertex[]): Vertex[] => [...left, ...left.map(([x, y]) => [480 - x, y] as Vertex).reverse()];

/**
 * A camisole: spaghetti straps 12 px wide (6 % of the panel) from y = 100 down to the panel's
 * straight top edge at y = 200, sides bulging out below it (out to x = 120 at y = 300, leaning out
 * steeply above the waist at y = 330) and in again to the hem at y = 560.
 */
const CAMISOLE: Vertex[] = withMirror(([[240, 560], [150, 560], [160, 330], [120, 300], [165, 200], [172, 200], [166, 100], [178, 100], [186, 200], [240, 200]] as Vertex[]).reverse());

test('a camisole whose sides bulge out below its straps is sleeveless: a strap is no shoulder', async () => {
  const { image } = await drawGarment([CAMISOLE], { fill: [235, 230, 225], background: [120, 120, 125], jpeg: 92 });
  const g = await analyseGarment(image, 'upper_body');
  const u = g.upper;
  assert.ok(u);
  assert.equal(g.sleeve, 'none', `sleeve ${g.sleeve}, ratio ${g.sleeveLengthRatio}`);
  assert.equal(u.sleeveLeft, undefined);
  assert.equal(u.sleeveRight, undefined);
  // The shoulders are the straps' tops.
  assert.ok(Math.abs(u.shoulderLeft.y - 100) < 8 && Math.abs(u.shoulderRight.y - 100) < 8, `shoulders at y ${u.shoulderLeft.y}/${u.shoulderRight.y}`);
});
