import { test } from 'node:test';
import assert from 'node:assert/strict';
import { claimAccessoryIslands, claimBottomIslands, claimFingers, claimHandIslands, returnGarmentSpecks } from '../../../src/engine/classic/person/parsing.ts';
import { PartLabel } from '../../../src/engine/classic/types.ts';
import { labelRects } from './figure.ts';

const W = 60;
const H = 60;
const BOX = { x0: 0, y0: 0, x1: W, y1: H };

function fill(labels: Uint8Array, x0: number, y0: number, x1: number, y1: number, label: PartLabel): void {
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) labels[y * W + x] = label;
}

/** Trousers everywhere; a hand (x 20..29, y 20..39) on them. */
function handOnTrousers(): Uint8Array {
  const labels = new Uint8Array(W * H).fill(PartLabel.LowerGarment);
  fill(labels, 20, 20, 30, 40, PartLabel.Hand);
  return labels;
}

/** How far from the hand a piece of it may reach, in pixels. */
const REACH = 4;

test("a finger's flank parsed as leg beside the hand is the hand's", () => {
  const labels = handOnTrousers();
  // The shaded flank of the fingers, 3 px wide, on the thigh's side of the hand.
  fill(labels, 30, 25, 33, 38, PartLabel.Leg);
  claimHandIslands(labels, W, BOX, REACH);
  assert.equal(labels[30 * W + 31], PartLabel.Hand);
  assert.equal(labels[10 * W + 31], PartLabel.LowerGarment, 'the trousers stay');
});

test('bare leg skin that runs on past the hand stays leg', () => {
  const labels = handOnTrousers();
  // Shorts: the thigh's skin beside the hand continues far down the leg.
  fill(labels, 30, 25, 40, 60, PartLabel.Leg);
  claimHandIslands(labels, W, BOX, REACH);
  assert.equal(labels[30 * W + 31], PartLabel.Leg);
  assert.equal(labels[55 * W + 35], PartLabel.Leg);
});

test('leg skin that does not touch the hand stays leg', () => {
  const labels = handOnTrousers();
  fill(labels, 32, 25, 34, 38, PartLabel.Leg);
  claimHandIslands(labels, W, BOX, REACH);
  assert.equal(labels[30 * W + 33], PartLabel.Leg);
});

/** A forearm coming down to a wrist at (25, 20); the hand reaches 30 px past it. */
const HAND_REACH = [{ elbow: { x: 25, y: 0 }, wrist: { x: 25, y: 20 }, radius: 30 }];

test("the back of a hand bent into a pocket, parsed as leg, is the hand's where it lies within the hand's reach", () => {
  const labels = handOnTrousers();
  // The back of the hand, 12 px across (three times the reach), beside the fingers' label.
  fill(labels, 30, 22, 42, 38, PartLabel.Leg);
  claimHandIslands(labels, W, BOX, REACH);
  assert.equal(labels[30 * W + 38], PartLabel.Leg, 'without the hand reach: leg');
  claimHandIslands(labels, W, BOX, REACH, HAND_REACH);
  assert.equal(labels[30 * W + 38], PartLabel.Hand);
  assert.equal(labels[10 * W + 38], PartLabel.LowerGarment, 'the trousers stay');
});

test("leg skin that runs past the hand's reach, or lies behind its wrist, stays leg", () => {
  const labels = handOnTrousers();
  // Shorts: the thigh's skin beside the hand runs on down past the reach.
  fill(labels, 30, 25, 40, 60, PartLabel.Leg);
  // Torso skin up beside the forearm, on the elbow's side of the wrist.
  fill(labels, 14, 5, 20, 22, PartLabel.TorsoSkin);
  claimHandIslands(labels, W, BOX, REACH, HAND_REACH);
  assert.equal(labels[30 * W + 35], PartLabel.Leg);
  assert.equal(labels[10 * W + 15], PartLabel.TorsoSkin);
});

/** CIELAB per pixel: a red dress everywhere, a hand of skin (x 30..39, y 20..39). */
const SKIN = [70, 15, 15];
const RED = [45, 65, 50];
function handOnDress(): { labels: Uint8Array; lab: Float32Array; likelihood: Float32Array } {
  const labels = new Uint8Array(W * H).fill(PartLabel.LowerGarment);
  const lab = new Float32Array(W * H * 3);
  const likelihood = new Float32Array(W * H);
  for (let i = 0; i < W * H; i++) lab.set(RED, i * 3);
  for (let y = 20; y < 40; y++) {
    for (let x = 30; x < 40; x++) {
      labels[y * W + x] = PartLabel.Hand;
      lab.set(SKIN, (y * W + x) * 3);
      likelihood[y * W + x] = 0.9;
    }
  }
  return { labels, lab, likelihood };
}

/** A finger from the hand's edge (x 29) leftwards to x `from`, 3 px high at rows y0..y0+2: its colour and skin likelihood. */
function finger(lab: Float32Array, likelihood: Float32Array, from: number, y0: number, colour: number[], p: number): void {
  for (let y = y0; y < y0 + 3; y++) {
    for (let x = from; x < 30; x++) {
      lab.set(colour, (y * W + x) * 3);
      likelihood[y * W + x] = p;
    }
  }
}

test('fingers lit red by the dress, too weakly skin-like for the skin test, are the hand', () => {
  const { labels, lab, likelihood } = handOnDress();
  // Reddened by the dress (nearer the skin than the dress all the same), likelihood 0.12.
  finger(lab, likelihood, 12, 24, [65, 35, 25], 0.12);
  claimFingers(labels, lab, likelihood, W, BOX, 20);
  assert.equal(labels[25 * W + 13], PartLabel.Hand, "the finger's tip");
  assert.equal(labels[25 * W + 11], PartLabel.LowerGarment, 'past the tip: the dress');
  assert.equal(labels[28 * W + 20], PartLabel.LowerGarment, 'below the finger: the dress');
});

test("garment-coloured pixels beside a hand, and skin-coloured ones without skin's likelihood, stay the garment", () => {
  const { labels, lab, likelihood } = handOnDress();
  // A fold of the dress that the skin model half believes, and a pale print that it does not.
  finger(lab, likelihood, 12, 24, [48, 60, 48], 0.3);
  finger(lab, likelihood, 12, 32, [68, 16, 14], 0.01);
  claimFingers(labels, lab, likelihood, W, BOX, 20);
  assert.equal(labels[25 * W + 28], PartLabel.LowerGarment);
  assert.equal(labels[33 * W + 28], PartLabel.LowerGarment);
});

test('fingers are grown no farther than the reach', () => {
  const { labels, lab, likelihood } = handOnDress();
  finger(lab, likelihood, 0, 24, [65, 35, 25], 0.12);
  claimFingers(labels, lab, likelihood, W, BOX, 10);
  assert.equal(labels[25 * W + 20], PartLabel.Hand);
  assert.equal(labels[25 * W + 19], PartLabel.LowerGarment);
});

test("a bag's stripes in the skirt's colour are the bag's; the skirt beside the bag stays the skirt", () => {
  // A black skirt (x 30..59) and a striped clutch beside it (x 10..29, y 20..39) whose black
  // stripes (rows 24..25 and 32..33, x 12..27) parsed as the skirt.
  const SKIRT = PartLabel.LowerGarment;
  const BAG = PartLabel.Accessory;
  const labels = labelRects(W, H, [[30, 0, 60, 60, SKIRT], [10, 20, 30, 40, BAG], [12, 24, 28, 26, SKIRT], [12, 32, 28, 34, SKIRT]]);
  claimAccessoryIslands(labels, W, BOX);
  assert.equal(labels[25 * W + 20], PartLabel.Accessory);
  assert.equal(labels[33 * W + 13], PartLabel.Accessory);
  assert.equal(labels[30 * W + 30], PartLabel.LowerGarment, 'the skirt the bag lies against');
});

test('the garment seen between a strap and the arm stays the garment', () => {
  // A top (x 20..59) with a strap (x 30..31) down it and an arm (x 36..39) beside the strap: the
  // strip between them borders the strap on one side only.
  const labels = labelRects(W, H, [[20, 0, 60, 60, PartLabel.UpperGarment], [30, 10, 32, 50, PartLabel.Accessory], [36, 0, 40, 60, PartLabel.LowerArm]]);
  claimAccessoryIslands(labels, W, BOX);
  assert.equal(labels[30 * W + 34], PartLabel.UpperGarment);
});

test("a garment of the hand's own colour is not grown into", () => {
  const { labels, lab, likelihood } = handOnDress();
  // Beige chinos: the whole garment is near the skin's colour.
  for (let i = 0; i < W * H; i++) if (labels[i] === PartLabel.LowerGarment) lab.set([68, 12, 18], i * 3);
  finger(lab, likelihood, 12, 24, [69, 14, 16], 0.12);
  claimFingers(labels, lab, likelihood, W, BOX, 20);
  assert.equal(labels[25 * W + 28], PartLabel.LowerGarment);
});

test("pieces of the top's label inside the skirt are the skirt", () => {
  // A top (rows 0..19) over a skirt (rows 20..59) against the backdrop (x 50..59): a motif of the
  // skirt's print (x 20..29, y 35..44) and one at its edge by the backdrop (x 44..49, y 46..53)
  // parsed as the top.
  const TOP = PartLabel.UpperGarment;
  const SKIRT = PartLabel.LowerGarment;
  const labels = labelRects(W, H, [[0, 0, 50, 20, TOP], [0, 20, 50, 60, SKIRT], [20, 35, 30, 45, TOP], [44, 46, 50, 54, TOP]]);
  claimBottomIslands(labels, W, BOX);
  assert.equal(labels[40 * W + 25], SKIRT);
  assert.equal(labels[50 * W + 47], SKIRT);
  assert.equal(labels[10 * W + 25], TOP, 'the top itself borders the skirt along its hem only');
});

test("a cuff of the top cut off by the forearm over the skirt stays the top's", () => {
  // A skirt (rows 20..59) with a forearm (x 10..19, y 20..39) over it and the sleeve's cuff below the
  // forearm (x 8..21, y 40..45): the cuff borders the arm along its top and the skirt elsewhere.
  const labels = labelRects(W, H, [
    [0, 0, 60, 20, PartLabel.UpperGarment], [0, 20, 60, 60, PartLabel.LowerGarment], [10, 20, 20, 40, PartLabel.LowerArm], [8, 40, 22, 46, PartLabel.UpperGarment],
  ]);
  claimBottomIslands(labels, W, BOX);
  assert.equal(labels[42 * W + 15], PartLabel.UpperGarment);
});

test("a crochet motif parsed as an accessory inside the top is the top's; a held bag stays the bag", () => {
  // A top (x 0..39) with a motif's dark centre (x 10..13, y 10..15) parsed as accessory, and a bag
  // (x 40..59, y 30..49) held by a hand (x 36..43, y 26..31) beside the top.
  const TOP = PartLabel.UpperGarment;
  const labels = labelRects(W, H, [[0, 0, 40, 60, TOP], [10, 10, 14, 16, PartLabel.Accessory], [40, 30, 60, 50, PartLabel.Accessory], [36, 26, 44, 32, PartLabel.Hand]]);
  returnGarmentSpecks(labels, W, BOX, 100);
  assert.equal(labels[12 * W + 11], TOP);
  assert.equal(labels[40 * W + 50], PartLabel.Accessory, 'the bag borders the backdrop and the hand');
});

test('an accessory piece larger than a speck stays, even inside the top', () => {
  const labels = labelRects(W, H, [[0, 0, 60, 60, PartLabel.UpperGarment], [10, 10, 30, 30, PartLabel.Accessory]]);
  returnGarmentSpecks(labels, W, BOX, 100);
  assert.equal(labels[20 * W + 20], PartLabel.Accessory);
});
