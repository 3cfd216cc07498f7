import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chestPrior } from '../../../src/engine/classic/person/index.ts';
import { createMask } from '../../../src/imaging/raster.ts';
import { KEYPOINT_NAMES, type Pose } from '../../../src/engine/classic/types.ts';

const pose: Pose = {
  keypoints: KEYPOINT_NAMES.map((name) => ({
    name,
    x: name === 'left_shoulder' ? 140 : name === 'right_shoulder' ? 60 : 100,
    y: 50,
    score: 0.9,
  })),
  score: 0.9,
};

test('chest prior: a person under the shoulders scores high, a garment alone (no one segmented) scores 0', () => {
  const prior = createMask(200, 200);
  assert.equal(chestPrior(prior, pose), 0);
  // A torso block below the shoulder line.
  for (let y = 50; y < 190; y++) for (let x = 55; x < 145; x++) prior.data[y * 200 + x] = 255;
  assert.ok(chestPrior(prior, pose) > 0.95);
  // Someone only beside the shoulders (a hand in frame) does not count as the chest.
  const beside = createMask(200, 200);
  for (let y = 50; y < 190; y++) for (let x = 0; x < 40; x++) beside.data[y * 200 + x] = 255;
  assert.equal(chestPrior(beside, pose), 0);
});
