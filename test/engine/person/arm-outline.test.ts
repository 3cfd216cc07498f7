import { test } from 'node:test';
import assert from 'node:assert/strict';
import { smoothArmOutlines } from '../../../src/engine/classic/person/parsing.ts';
import { PartLabel } from '../../../src/engine/classic/types.ts';

/**
 * A 60x60 label map: backdrop on the left (x < 10), a forearm (x 10..29) against a top (x >= 30);
 * the arm's edge against the top torn by a 2 px notch of "top" into the arm and a 2 px spur of
 * "arm" into the top, as a hairy arm against a dark tee parses.
 */
function tornArm() {
  const w = 60;
  const h = 60;
  const labels = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 10; x < w; x++) labels[y * w + x] = x < 30 ? PartLabel.LowerArm : PartLabel.UpperGarment;
  }
  for (let y = 20; y < 23; y++) for (let x = 28; x < 30; x++) labels[y * w + x] = PartLabel.UpperGarment;
  for (let y = 40; y < 43; y++) for (let x = 30; x < 32; x++) labels[y * w + x] = PartLabel.LowerArm;
  return { labels, w, h, box: { x0: 0, y0: 0, x1: w, y1: h } };
}

test("an arm's outline against the top is smoothed: the top's notch into it and its spur into the top go", () => {
  const { labels, w, box } = tornArm();
  smoothArmOutlines(labels, w, box, 3);
  assert.equal(labels[21 * w + 28], PartLabel.LowerArm, 'the notch of top in the arm is arm');
  assert.equal(labels[41 * w + 31], PartLabel.UpperGarment, 'the spur of arm in the top is top');
  assert.equal(labels[10 * w + 29], PartLabel.LowerArm, 'the straight edge stays: arm');
  assert.equal(labels[10 * w + 30], PartLabel.UpperGarment, 'the straight edge stays: top');
});

test("an arm's edge against the backdrop and a hand stays as parsed", () => {
  const { labels, w, box } = tornArm();
  // A 2 px bite of backdrop in the arm's outer edge, and a hand's pixels in the arm.
  for (let y = 30; y < 33; y++) for (let x = 10; x < 12; x++) labels[y * w + x] = PartLabel.Background;
  for (let y = 50; y < 52; y++) for (let x = 20; x < 22; x++) labels[y * w + x] = PartLabel.Hand;
  smoothArmOutlines(labels, w, box, 3);
  assert.equal(labels[31 * w + 10], PartLabel.Background);
  assert.equal(labels[50 * w + 20], PartLabel.Hand);
  assert.equal(labels[31 * w + 13], PartLabel.LowerArm);
});
