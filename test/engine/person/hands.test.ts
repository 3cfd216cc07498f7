import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createMask, createRaster } from '../../../src/imaging/raster.ts';
import { bodyGeometry } from '../../../src/engine/classic/person/geometry.ts';
import { hideUnseenHands, wholeHands } from '../../../src/engine/classic/person/hands.ts';
import { bodyParts } from '../../../src/engine/classic/person/parts.ts';
import { KEYPOINT_NAMES, PartLabel, type Keypoint, type Pose } from '../../../src/engine/classic/types.ts';

const W = 200;
const H = 300;

/** A standing figure: shoulders at y 60 (x 60, 140), elbows at y 130 beside the torso, wrists at y 190 over the hips. */
function drawnPose(): Pose {
  const at: Record<string, [number, number]> = {
    nose: [100, 30], left_eye: [106, 25], right_eye: [94, 25], left_ear: [112, 28], right_ear: [88, 28],
    left_shoulder: [140, 60], right_shoulder: [60, 60], left_elbow: [150, 130], right_elbow: [50, 130],
    left_wrist: [125, 190], right_wrist: [75, 190], left_hip: [125, 190], right_hip: [75, 190],
    left_knee: [125, 250], right_knee: [75, 250], left_ankle: [125, 295], right_ankle: [75, 295],
  };
  const keypoints: Keypoint[] = KEYPOINT_NAMES.map((name) => ({ name, x: at[name][0], y: at[name][1], score: 0.9 }));
  return { keypoints, score: 0.9 };
}

/** Person mask: the whole figure's box; skin: both forearms from the elbow down to y `skinTo`, and a hand disc at each wrist when `hands`. */
function drawnSkin(pose: Pose, skinTo: number, hands: boolean): { person: ReturnType<typeof createMask>; skin: Float32Array } {
  const person = createMask(W, H);
  for (let y = 20; y < H; y++) for (let x = 40; x < 160; x++) person.data[y * W + x] = 255;
  const skin = new Float32Array(W * H);
  const k = (name: string) => pose.keypoints.find((p) => p.name === name)!;
  for (const side of ['left', 'right']) {
    const e = k(`${side}_elbow`);
    const w = k(`${side}_wrist`);
    for (let t = 0; t <= 1; t += 0.005) {
      const cx = e.x + (w.x - e.x) * t;
      const cy = e.y + (w.y - e.y) * t;
      if (cy > skinTo) break;
      for (let dy = -6; dy <= 6; dy++) for (let dx = -6; dx <= 6; dx++) skin[Math.round(cy + dy) * W + Math.round(cx + dx)] = 0.9;
    }
    if (hands) for (let dy = -10; dy <= 10; dy++) for (let dx = -10; dx <= 10; dx++) skin[(w.y + 8 + dy) * W + w.x + dx] = 0.9;
  }
  return { person, skin };
}

test('a hand the photo shows keeps its wrist', () => {
  const pose = drawnPose();
  const { person, skin } = drawnSkin(pose, H, true);
  const seen = hideUnseenHands(pose, bodyGeometry(pose), skin, person);
  assert.equal(seen, pose);
  assert.ok(!seen.keypoints.some((k) => k.handHidden));
});

test('a hand behind the back is hidden and the bare forearm ends where its skin stops', () => {
  const pose = drawnPose();
  // Forearm skin from the elbow (y 130) down to y 160; the guessed wrists (y 190) and past them show clothes.
  const { person, skin } = drawnSkin(pose, 160, false);
  const seen = hideUnseenHands(pose, bodyGeometry(pose), skin, person);
  for (const side of ['left', 'right']) {
    const wrist = seen.keypoints.find((k) => k.name === `${side}_wrist`)!;
    assert.equal(wrist.handHidden, true, side);
    // Pulled back from the skin's end (y 160) by the forearm's half width, never past the elbow.
    assert.ok(wrist.y < 160 && wrist.y > 130, `${side} wrist y ${wrist.y}`);
  }
  // Nothing past a hidden hand's wrist is claimed as hand.
  assert.ok(!bodyParts(bodyGeometry(seen), seen, H).capsules.some((c) => c.label === PartLabel.Hand));
  assert.equal(bodyParts(bodyGeometry(pose), pose, H).capsules.filter((c) => c.label === PartLabel.Hand).length, 2);
  // The input pose is not changed.
  assert.equal(pose.keypoints.find((k) => k.name === 'left_wrist')!.y, 190);
});

test('a sleeved forearm with a hidden hand keeps its wrist (its extent cannot be read from skin)', () => {
  const pose = drawnPose();
  const { person, skin } = drawnSkin(pose, 0, false);
  const seen = hideUnseenHands(pose, bodyGeometry(pose), skin, person);
  const wrist = seen.keypoints.find((k) => k.name === 'left_wrist')!;
  assert.equal(wrist.handHidden, true);
  assert.equal(wrist.y, 190);
});

test('a hand is kept whole: the creases between its fingers and its skin-coloured rim, not the trousers beside it', () => {
  // A hand resting on dark trousers: the parsing labels the fingers but not the dark crease
  // between two of them, nor the hand's antialiased edge.
  const width = 120;
  const height = 120;
  const image = createRaster(width, height, 3);
  const labels = new Uint8Array(width * height).fill(PartLabel.LowerGarment);
  for (let i = 0; i < width * height; i++) image.data.set([30, 30, 36], i * 3);
  const skin: [number, number, number] = [214, 168, 140];
  for (let y = 40; y < 80; y++) {
    for (let x = 40; x < 80; x++) {
      const i = y * width + x;
      // Fingers (x 40-57 and 60-79) with a dark crease between them (x 58-59) from row 60 down.
      const crease = y >= 60 && (x === 58 || x === 59);
      if (crease) continue;
      image.data.set(skin, i * 3);
      // The outermost column of skin on each side is the hand's soft edge: skin-coloured, not labelled.
      if (x > 40 && x < 79) labels[i] = PartLabel.Hand;
    }
  }
  const hands = wholeHands(labels, image, 200);
  const at = (x: number, y: number) => hands.data[y * width + x];
  assert.equal(at(58, 70), 255, 'the crease between two fingers is the hand');
  assert.equal(at(40, 50), 255, 'the skin-coloured rim past the label is the hand');
  assert.equal(at(45, 50), 255, 'the labelled hand');
  assert.equal(at(36, 50), 0, 'the dark trousers beside the hand are not');
  assert.equal(at(60, 90), 0, 'nor below it');
});

/**
 * A 120 px square: a hand of `skin` colour over x 40 to `skinTo` (exclusive), rows 30-89, on
 * `beside`, its Hand label over x 40 to `labelTo`; everything else labelled trousers.
 */
function drawnHand(beside: [number, number, number], skin: [number, number, number], skinTo: number, labelTo: number) {
  const width = 120;
  const image = createRaster(width, width, 3);
  const labels = new Uint8Array(width * width).fill(PartLabel.LowerGarment);
  for (let i = 0; i < width * width; i++) image.data.set(beside, i * 3);
  for (let y = 30; y < 90; y++) {
    for (let x = 40; x < Math.max(skinTo, labelTo); x++) {
      if (x < skinTo) image.data.set(skin, (y * width + x) * 3);
      if (x < labelTo) labels[y * width + x] = PartLabel.Hand;
    }
  }
  return { image, labels, at: (mask: { data: Uint8Array }, x: number, y: number) => mask.data[y * width + x] };
}

test("a hand's label reaching over the pale trousers beside it keeps only the hand: the strip of trousers is not kept in front", () => {
  // A hand hanging beside white trousers: the parsing's hand label runs 5 px on over the
  // trousers along the hand's side (x 65-69). Kept as the photo shows it, that strip stood as a
  // pale halo beside the hand over the new garment drawn behind it.
  const { image, labels, at } = drawnHand([238, 236, 228], [200, 150, 122], 65, 70);
  const hands = wholeHands(labels, image, 200);
  assert.equal(at(hands, 50, 60), 255, 'the hand');
  assert.equal(at(hands, 64, 60), 255, "the hand's edge");
  assert.equal(at(hands, 40, 60), 255, "the hand's other edge");
  for (const x of [66, 67, 68, 69]) assert.equal(at(hands, x, 60), 0, `the trousers at x ${x}`);
});

test('a hand over skin-coloured clothes keeps its label outline (no colour contrast to decide by)', () => {
  const { image, labels, at } = drawnHand([205, 152, 125], [200, 150, 122], 70, 70);
  const hands = wholeHands(labels, image, 200);
  for (const x of [40, 55, 69]) assert.equal(at(hands, x, 60), 255, `x ${x}`);
});

test("a highlight on the hand's edge nearer the backdrop's colour stays the hand's", () => {
  const { image, labels, at } = drawnHand([238, 236, 228], [200, 150, 122], 65, 65);
  // A pale glint two pixels in from the hand's side, inside the band decided by colour.
  image.data.set([236, 232, 226], (60 * 120 + 62) * 3);
  const hands = wholeHands(labels, image, 200);
  assert.equal(at(hands, 62, 60), 255);
});
