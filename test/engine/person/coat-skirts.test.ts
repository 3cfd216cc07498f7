import { test } from 'node:test';
import assert from 'node:assert/strict';
import { claimCoatSkirts, keepHangingAttached, type CoatSkirtsInput } from '../../../src/engine/classic/person/parsing.ts';
import { PartLabel } from '../../../src/engine/classic/types.ts';
import { labelRects, type LabelRect } from './figure.ts';

const W = 120;
const H = 200;
const BOX = { x0: 0, y0: 0, x1: W, y1: H };
const TOP = PartLabel.UpperGarment;
const BOTTOM = PartLabel.LowerGarment;
const at = (labels: Uint8Array, x: number, y: number): number => labels[y * W + x];

function input(options: Partial<CoatSkirtsInput> = {}): CoatSkirtsInput {
  return {
    splitY: 60,
    limitY: 180,
    shoulderWidth: 60,
    torsoLength: 100,
    excluded: new Uint8Array(W * H),
    clearlyBottom: () => false,
    ...options,
  };
}

/** A top (rows 0..59) over what was parsed as the bottom from the split down: `skirts` (rows 60..119), then `legs` below. */
function figure(skirts: LabelRect[], legs: PartLabel): Uint8Array {
  return labelRects(W, H, [
    [30, 0, 90, 60, TOP],
    ...skirts,
    [38, 120, 58, 190, legs],
    [62, 120, 82, 190, legs],
  ]);
}

test("a coat's skirts hanging outside the legs, over trousers, are the top's", () => {
  // The coat (x 25..94) ends at row 120 straight across both legs; trousers below.
  const labels = figure([[25, 60, 95, 120, BOTTOM]], BOTTOM);
  claimCoatSkirts(labels, W, BOX, input());
  assert.equal(at(labels, 28, 100), TOP, 'the coat beside the legs');
  assert.equal(at(labels, 60, 100), TOP, 'the coat in front of the legs');
  assert.equal(at(labels, 45, 150), BOTTOM, 'the trousers below the hem');
});

test("trousers between an open coat's fronts keep their label where their colour is the bottom's", () => {
  const labels = figure([[25, 60, 95, 120, BOTTOM]], BOTTOM);
  // The fronts part over the middle (x 50..69): there the colour is clearly the trousers'.
  claimCoatSkirts(labels, W, BOX, input({ clearlyBottom: (x) => x >= 50 && x < 70 }));
  assert.equal(at(labels, 60, 100), BOTTOM);
  assert.equal(at(labels, 40, 100), TOP);
});

test('a skirt over bare legs stays the bottom', () => {
  const labels = figure([[25, 60, 95, 120, BOTTOM]], PartLabel.Leg);
  claimCoatSkirts(labels, W, BOX, input());
  assert.equal(at(labels, 28, 100), BOTTOM);
  assert.equal(at(labels, 60, 100), BOTTOM);
});

test("a flared skirt narrowing above its hem, bare legs below, stays the bottom", () => {
  // The skirt (x 25..94) narrows at row 115 to its last rows (x 35..84, to row 127): the legs
  // below it are bare.
  const labels = labelRects(W, H, [
    [30, 0, 90, 60, TOP], [25, 60, 95, 115, BOTTOM], [35, 115, 85, 128, BOTTOM],
    [38, 128, 58, 190, PartLabel.Leg], [62, 128, 82, 190, PartLabel.Leg],
  ]);
  claimCoatSkirts(labels, W, BOX, input());
  assert.equal(at(labels, 60, 100), BOTTOM);
  assert.equal(at(labels, 28, 100), BOTTOM);
});

test('trousers narrowing on one side only (a cuff or a bag ending beside them) stay the bottom', () => {
  // The trousers' own outline (x 38..81) from the split down, with something beside the left leg
  // (x 25..37) ending at row 120.
  const labels = figure([[38, 60, 82, 120, BOTTOM], [25, 60, 38, 120, BOTTOM]], BOTTOM);
  claimCoatSkirts(labels, W, BOX, input());
  assert.equal(at(labels, 60, 100), BOTTOM);
  assert.equal(at(labels, 28, 100), BOTTOM);
});

test("trousers tapering from the hips to the knees are no coat's hem", () => {
  const rects: LabelRect[] = [];
  // One row at a time, a little narrower each row (x 25..94 at the split to 38..81 at row 120).
  for (let y = 60; y < 120; y++) {
    const inset = Math.round(((y - 60) / 60) * 13);
    rects.push([25 + inset, y, 95 - inset, y + 1, BOTTOM]);
  }
  const labels = figure(rects, BOTTOM);
  claimCoatSkirts(labels, W, BOX, input());
  assert.equal(at(labels, 60, 100), BOTTOM);
});

test("the top's parts below the split hang from the top above it, not from a sleeve beside the bottom", () => {
  // A top (rows 0..59) over a skirt; a sleeve hanging beside it below the split (x 95..109, rows
  // 60..99). Parsed as the top's parts hanging below the split: a motif of the skirt's print
  // (x 60..94, rows 110..129) joined to the sleeve by a strip along the skirt's edge under it
  // (x 95..99, rows 100..129), and a coat's skirt hanging from the top itself (x 20..29, rows 60..89).
  const labels = labelRects(W, H, [
    [10, 0, 110, 60, TOP], [10, 60, 100, 190, BOTTOM], [95, 60, 110, 100, TOP],
    [60, 110, 95, 130, TOP], [95, 100, 100, 130, TOP], [20, 60, 30, 90, TOP],
  ]);
  const hanging = labelRects(W, H, [[60, 110, 95, 130, 1], [95, 100, 100, 130, 1], [20, 60, 30, 90, 1]]);
  const sleeved = labelRects(W, H, [[95, 60, 110, 100, 1]]);
  keepHangingAttached(labels, hanging, sleeved, W, 2);
  assert.equal(at(labels, 75, 120), BOTTOM, 'the motif');
  assert.equal(at(labels, 97, 120), BOTTOM, 'the strip');
  assert.equal(at(labels, 97, 100), TOP, "the sleeve's own edge");
  assert.equal(at(labels, 25, 80), TOP, "the coat's skirt");
});
