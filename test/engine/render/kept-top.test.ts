import { test } from 'node:test';
import assert from 'node:assert/strict';
import { skinInsideTop } from '../../../src/engine/classic/render/kept-top.ts';
import { PartLabel } from '../../../src/engine/classic/types.ts';
import { labelRects, type LabelRect } from '../person/figure.ts';

const W = 60;
const H = 80;
const TOP = PartLabel.UpperGarment;
const BOTTOM = PartLabel.LowerGarment;
const TORSO = PartLabel.TorsoSkin;
const LEG = PartLabel.Leg;

/** Label maps drawn as rectangles, and points (x, y) that must be, or must not be, in the top. */
const CASES: Array<{ name: string; rects: LabelRect[]; inside: Array<[number, number]>; outside: Array<[number, number]> }> = [
  {
    // A jacket (x 10..49, y 0..39) whose front panel passed the skin test, its hem's pieces as leg; trousers below.
    name: "the front of a skin-coloured jacket, parsed as torso and leg skin inside the jacket's outline, is the jacket's",
    rects: [[10, 0, 50, 40, TOP], [14, 4, 46, 30, TORSO], [14, 30, 46, 36, LEG], [10, 40, 50, 80, BOTTOM]],
    inside: [[20, 10], [40, 33]],
    outside: [[20, 60]],
  },
  {
    // A cropped top, the midriff (y 20..29) against the backdrop at its sides, shorts, bare legs below them.
    name: 'a bare midriff between the top and the trousers, and bare legs, stay skin',
    rects: [[10, 0, 50, 20, TOP], [12, 20, 48, 30, TORSO], [10, 30, 50, 45, BOTTOM], [14, 45, 26, 80, LEG], [34, 45, 46, 80, LEG]],
    inside: [],
    outside: [[30, 25], [20, 60]],
  },
];

for (const { name, rects, inside, outside } of CASES) {
  test(name, () => {
    const mask = skinInsideTop(labelRects(W, H, rects), W);
    for (const [x, y] of inside) assert.equal(mask.data[y * W + x], 255, `(${x}, ${y}) is the top's`);
    for (const [x, y] of outside) assert.equal(mask.data[y * W + x], 0, `(${x}, ${y}) is not the top's`);
  });
}
