import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRaster } from '../../src/imaging/raster.ts';
import { KEYPOINT_NAMES } from '../../src/engine/classic/types.ts';
import { detectPose, personCrop } from '../../src/vision/pose.ts';

function plainImage(width: number, height: number) {
  const image = createRaster(width, height, 3);
  image.data.fill(180);
  return image;
}

for (const model of ['thunder', 'lightning'] as const) {
  test(`${model}: 17 named keypoints in image pixels with scores in 0..1`, async () => {
    const pose = await detectPose(plainImage(90, 160), { model });
    assert.deepEqual(pose.keypoints.map((k) => k.name), [...KEYPOINT_NAMES]);
    for (const k of pose.keypoints) {
      assert.ok(k.score >= 0 && k.score <= 1);
      // The square the model sees is 160 px wide, centred on the 90 px image.
      assert.ok(k.x >= -35 - 1 && k.x <= 125 + 1, `x ${k.x}`);
      assert.ok(k.y >= -1 && k.y <= 161, `y ${k.y}`);
    }
    assert.ok(pose.score >= 0 && pose.score <= 1);
  });
}

test('the refinement crop is a square around the torso that keeps the head', () => {
  const at = (x: number, y: number, score = 0.9) => ({ x, y, score });
  // A small upright figure in a 400x800 image: head at y 300, shoulders 330, hips 420, ankles 560.
  const points: Record<string, { x: number; y: number; score: number }> = {
    nose: at(200, 300), left_eye: at(205, 295), right_eye: at(195, 295), left_ear: at(210, 298), right_ear: at(190, 298),
    left_shoulder: at(220, 330), right_shoulder: at(180, 330), left_elbow: at(225, 370), right_elbow: at(175, 370),
    left_wrist: at(228, 405), right_wrist: at(172, 405), left_hip: at(212, 420), right_hip: at(188, 420),
    left_knee: at(212, 490), right_knee: at(188, 490), left_ankle: at(212, 560), right_ankle: at(188, 560),
  };
  const keypoints = KEYPOINT_NAMES.map((name) => ({ name, ...points[name] }));
  const crop = personCrop(keypoints, plainImage(400, 800));
  assert.ok(crop);
  assert.equal(crop.width, crop.height);
  assert.ok(crop.width < 400, 'smaller than the whole image');
  assert.ok(crop.y < 300 - 20 && crop.y + crop.height > 560, 'head and feet inside');
});

test('no crop without a torso', () => {
  const keypoints = KEYPOINT_NAMES.map((name) => ({ name, x: 10, y: 10, score: 0.05 }));
  assert.equal(personCrop(keypoints, plainImage(100, 100)), undefined);
});
