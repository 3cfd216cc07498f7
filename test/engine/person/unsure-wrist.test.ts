import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createMask } from '../../../src/imaging/raster.ts';
import { bodyGeometry } from '../../../src/engine/classic/person/geometry.ts';
import { confirmSeenForearms } from '../../../src/engine/classic/person/hands.ts';
import { KEYPOINT_NAMES, type Keypoint, type Pose } from '../../../src/engine/classic/types.ts';

const W = 200;
const H = 300;

/**
 * Crossed arms: shoulders at y 60, elbows low beside the torso (y 170), and the image-right arm's
 * forearm running across the body to a wrist at (70, 160) the model is unsure of (`wristScore`).
 */
function crossedPose(wristScore: number): Pose {
  const at: Record<string, [number, number]> = {
    nose: [100, 30], left_eye: [106, 25], right_eye: [94, 25], left_ear: [112, 28], right_ear: [88, 28],
    left_shoulder: [140, 60], right_shoulder: [60, 60], left_elbow: [150, 170], right_elbow: [50, 170],
    left_wrist: [70, 160], right_wrist: [130, 150], left_hip: [125, 230], right_hip: [75, 230],
    left_knee: [125, 270], right_knee: [75, 270], left_ankle: [125, 295], right_ankle: [75, 295],
  };
  const keypoints: Keypoint[] = KEYPOINT_NAMES.map((name) => ({ name, x: at[name][0], y: at[name][1], score: name === 'left_wrist' ? wristScore : 0.9 }));
  return { keypoints, score: 0.9 };
}

/** Person mask: the figure's box; skin along the image-right forearm (elbow → wrist) when `forearm`. */
function drawn(pose: Pose, forearm: boolean): { person: ReturnType<typeof createMask>; skin: Float32Array } {
  const person = createMask(W, H);
  for (let y = 20; y < H; y++) for (let x = 30; x < 170; x++) person.data[y * W + x] = 255;
  const skin = new Float32Array(W * H);
  if (forearm) {
    const e = pose.keypoints.find((k) => k.name === 'left_elbow')!;
    const w = pose.keypoints.find((k) => k.name === 'left_wrist')!;
    for (let t = 0; t <= 1; t += 0.005) {
      const cx = e.x + (w.x - e.x) * t;
      const cy = e.y + (w.y - e.y) * t;
      for (let dy = -7; dy <= 7; dy++) for (let dx = -7; dx <= 7; dx++) skin[Math.round(cy + dy) * W + Math.round(cx + dx)] = 0.9;
    }
  }
  return { person, skin };
}

test('an unsure wrist at the end of a bare forearm across the body is taken as seen, its hand as hidden', () => {
  const pose = crossedPose(0.22);
  const { person, skin } = drawn(pose, true);
  const out = confirmSeenForearms(pose, bodyGeometry(pose), skin, person);
  const wrist = out.keypoints.find((k) => k.name === 'left_wrist')!;
  assert.ok(wrist.score >= 0.3, `wrist score ${wrist.score}`);
  assert.equal(wrist.handHidden, true);
  assert.deepEqual([wrist.x, wrist.y], [70, 160]);
  // The input pose is left as it was; the other wrist untouched.
  assert.equal(pose.keypoints.find((k) => k.name === 'left_wrist')!.score, 0.22);
  assert.equal(out.keypoints.find((k) => k.name === 'right_wrist')!.handHidden, undefined);
});

test('an unsure wrist with no forearm skin towards it, or one the model barely guessed, stays unsure', () => {
  const pose = crossedPose(0.22);
  const clothed = drawn(pose, false);
  assert.equal(confirmSeenForearms(pose, bodyGeometry(pose), clothed.skin, clothed.person), pose);
  const guessed = crossedPose(0.05);
  const bare = drawn(guessed, true);
  assert.equal(confirmSeenForearms(guessed, bodyGeometry(guessed), bare.skin, bare.person), guessed);
});
