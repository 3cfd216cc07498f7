import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bottomUnderTopHem, skinInsideTop } from '../../../src/engine/classic/render/kept-top.ts';
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

/** A CIELAB image drawn as rectangles of one colour each (later rectangles over earlier ones). */
function labRects(width: number, height: number, rects: Array<[number, number, number, number, [number, number, number]]>): Float32Array {
  const lab = new Float32Array(width * height * 3);
  for (const [x0, y0, x1, y1, colour] of rects) {
    for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) lab.set(colour, (y * width + x) * 3);
  }
  return lab;
}

const NAVY_TOP: [number, number, number] = [30, 5, -30];
const BLUE_JEANS: [number, number, number] = [45, 0, -25];
const JEANS: [number, number, number] = [12, 2, -2];
const HAND = PartLabel.Hand;

test("the trousers' fabric the parsing gave the top, between the top's hem and its split row, is the trousers'", () => {
  // A top (rows 0..39) over jeans; the parsing split them at row 46, so rows 40..45 of jeans are labelled the top.
  const labels = labelRects(W, H, [[10, 0, 50, 46, TOP], [10, 46, 50, 80, BOTTOM]]);
  const lab = labRects(W, H, [[10, 0, 50, 40, NAVY_TOP], [10, 40, 50, 80, JEANS]]);
  const out = bottomUnderTopHem(labels, lab, W, [10, 49], 0, 10);
  assert.ok(out, 'the strip is relabelled');
  // (Within the colour's averaging radius of the hem the strip mixes with the top: from a row below it.)
  for (const y of [42, 43, 45]) assert.equal(out[y * W + 30], BOTTOM, `row ${y} is the trousers'`);
  for (const y of [30, 39]) assert.equal(out[y * W + 30], TOP, `row ${y} stays the top's`);
  assert.equal(labels[43 * W + 30], TOP, 'the input labels are left as they were');
});

test('the walk up from the trousers stops at a hand, and a top of the trousers\' colour is left alone', () => {
  // A hand (rows 41..45, columns 20..29) in front of the strip: the columns it covers keep their labels above it.
  const withHand = labelRects(W, H, [[10, 0, 50, 46, TOP], [20, 41, 30, 46, HAND], [10, 46, 50, 80, BOTTOM]]);
  const lab = labRects(W, H, [[10, 0, 50, 40, NAVY_TOP], [10, 40, 50, 80, BLUE_JEANS]]);
  const out = bottomUnderTopHem(withHand, lab, W, [10, 49], 0, 10);
  assert.ok(out);
  assert.equal(out[40 * W + 25], TOP, 'above the hand: the top');
  assert.equal(out[43 * W + 40], BOTTOM, 'beside the hand: the trousers');
  // A black top on black jeans: nothing tells the strip from the top.
  const same = labRects(W, H, [[10, 0, 50, 80, JEANS]]);
  assert.equal(bottomUnderTopHem(labelRects(W, H, [[10, 0, 50, 46, TOP], [10, 46, 50, 80, BOTTOM]]), same, W, [10, 49], 0, 10), null);
});

test("a striped shirt's tail over plain trousers of its average colour stays the top's", () => {
  // A black jacket (rows 0..35) over a shirt's tail striped light and dark (rows 36..45, 2-px
  // stripes averaging the chinos' colour), chinos from row 46.
  const labels = labelRects(W, H, [[10, 0, 50, 46, TOP], [10, 46, 50, 80, BOTTOM]]);
  const stripes: Array<[number, number, number, number, [number, number, number]]> = [];
  for (let y = 36; y < 46; y += 2) stripes.push([10, y, 50, y + 1, [95, 2, 10]], [10, y + 1, 50, y + 2, [65, 2, 10]]);
  const lab = labRects(W, H, [[10, 0, 50, 36, JEANS], ...stripes, [10, 46, 50, 80, [80, 2, 10]]]);
  assert.equal(bottomUnderTopHem(labels, lab, W, [10, 49], 0, 10), null);
});
