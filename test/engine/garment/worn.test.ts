import { test } from 'node:test';
import assert from 'node:assert/strict';
import { showsWearer, skinShareAround, wornGarmentMask } from '../../../src/engine/classic/garment/worn.ts';
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
