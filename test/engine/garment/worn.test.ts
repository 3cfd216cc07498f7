import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dropPiecesAboveShoulders, showsWearer, skinShareAround, wornGarmentMask } from '../../../src/engine/classic/garment/worn.ts';
import { fillSmallHoles } from '../../../src/engine/classic/garment/components.ts';
import { createRaster } from '../../../src/imaging/raster.ts';
import { KEYPOINT_NAMES, type Pose } from '../../../src/engine/classic/types.ts';
import { drawGarment, SHAPES } from './drawn.ts';

/** A pose whose named keypoints have the given scores (the rest 0.1). */
function poseWith(scores: Partial<Record<(typeof KEYPOINT_NAMES)[number], number>>): Pose {
  return { keypoints: KEYPOINT_NAMES.map((name, i) => ({ name, x: 10 * i, y: 10 * i, score: scores[name] ?? 0.1 })), score: 0.5 };
}

test('a wearer is both shoulders plus a face or both knees; a flat lay reads as shoulders, elbows and hips only', () => {
  const flatLay = { left_shoulder: 0.8, right_shoulder: 0.9, left_elbow: 0.7, right_elbow: 0.7, left_hip: 0.6, right_hip: 0.6 };
  assert.equal(showsWearer(poseWith(flatLay)), false);
  assert.equal(showsWearer(poseWith({ ...flatLay, nose: 0.8, left_ear: 0.6 })), true);
  assert.equal(showsWearer(poseWith({ ...flatLay, left_knee: 0.7, right_knee: 0.6 })), true);
  // One face point or one knee is not enough, and nothing counts without both shoulders.
  assert.equal(showsWearer(poseWith({ ...flatLay, nose: 0.8 })), false);
  assert.equal(showsWearer(poseWith({ ...flatLay, left_knee: 0.9 })), false);
  assert.equal(showsWearer(poseWith({ left_shoulder: 0.9, nose: 0.9, left_eye: 0.9, left_knee: 0.9, right_knee: 0.9 })), false);
});

test('a drawn flat lay has no wearer: the garment is cut off its backdrop as before', async () => {
  const { image } = await drawGarment([SHAPES.tshirt]);
  assert.equal(await wornGarmentMask(image, 'upper_body'), null);
});

test('the skin probe finds a face-coloured disc and not a white or grey garment', () => {
  const image = createRaster(100, 100, 3);
  image.data.fill(235);
  for (let y = 30; y < 70; y++) for (let x = 30; x < 70; x++) image.data.set([224, 172, 140], (y * 100 + x) * 3);
  assert.ok(skinShareAround(image, { x: 50, y: 50 }, 10) > 0.95);
  assert.equal(skinShareAround(image, { x: 10, y: 10 }, 8), 0);
  // Partly off the frame: only the pixels inside count.
  assert.equal(skinShareAround(image, { x: 0, y: 0 }, 5), 0);
});

/** A pose with both shoulders at (x, y) pairs and everything else unseen. */
function shouldersAt(left: [number, number], right: [number, number]): Pose {
  return {
    keypoints: KEYPOINT_NAMES.map((name) => {
      const at = name === 'left_shoulder' ? left : name === 'right_shoulder' ? right : [0, 0];
      return { name, x: at[0], y: at[1], score: name.endsWith('shoulder') ? 0.9 : 0.1 };
    }),
    score: 0.9,
  };
}

function fillRect(mask: Uint8Array, width: number, x0: number, y0: number, x1: number, y1: number, v = 255): void {
  for (let y = y0; y < y1; y++) mask.fill(v, y * width + x0, y * width + x1);
}

test('hair ends parsed as cloth above a worn top, joined to it by a thin line, are not part of the garment', () => {
  const width = 200;
  const height = 200;
  const mask = new Uint8Array(width * height);
  fillRect(mask, width, 40, 60, 160, 190); // the top, shoulders at y = 60
  fillRect(mask, width, 30, 10, 60, 45); // a lock of hair ending above the shoulders
  fillRect(mask, width, 58, 45, 59, 60); // a one-pixel jaw line joining it to the top
  fillRect(mask, width, 150, 120, 154, 150, 0); // a slit in the top's side: its edges stay
  const before = mask.slice();
  dropPiecesAboveShoulders(mask, width, height, shouldersAt([150, 62], [50, 60]));
  assert.equal(mask[20 * width + 40], 0, 'the hair is gone');
  assert.equal(mask[50 * width + 58], 0, 'and the line joining it');
  for (let y = 60; y < 190; y++) {
    for (let x = 40; x < 160; x++) assert.equal(mask[y * width + x], before[y * width + x], `the top is kept as it was at ${x},${y}`);
  }
});

test('a separate piece of a worn garment below the shoulders (a sleeve beyond a hand) is kept', () => {
  const width = 200;
  const height = 200;
  const mask = new Uint8Array(width * height);
  fillRect(mask, width, 60, 60, 140, 190);
  fillRect(mask, width, 150, 100, 170, 180); // a sleeve cut off the body by an arm in front
  dropPiecesAboveShoulders(mask, width, height, shouldersAt([140, 60], [60, 60]));
  assert.equal(mask[150 * width + 160], 255);
});

test('small holes inside a worn garment parsed as backdrop are filled; fingers, a bent arm\'s gap and the outside are not', () => {
  const width = 200;
  const height = 200;
  const mask = new Uint8Array(width * height);
  fillRect(mask, width, 20, 20, 180, 180);
  fillRect(mask, width, 60, 60, 70, 64, 0); // a cream stripe parsed as the backdrop: 40 px
  fillRect(mask, width, 100, 80, 160, 160, 0); // the gap beside a bent arm: 4800 px
  fillRect(mask, width, 0, 100, 30, 110, 0); // a notch open to the outside
  fillRect(mask, width, 120, 40, 126, 46, 0); // fingers in front of the garment: 36 px
  fillSmallHoles(mask, width, height, (i) => !(i % width >= 120 && i % width < 126 && Math.floor(i / width) >= 40 && Math.floor(i / width) < 46));
  assert.equal(mask[62 * width + 65], 255, 'the stripe is cloth again');
  assert.equal(mask[43 * width + 123], 0, 'the fingers are not cloth');
  assert.equal(mask[120 * width + 130], 0, 'the arm\'s gap stays');
  assert.equal(mask[105 * width + 25], 0, 'the notch stays');
});
