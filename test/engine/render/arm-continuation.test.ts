import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMask, createRaster } from '../../../src/imaging/raster.ts';
import { continueSeenArms } from '../../../src/engine/classic/render/arm-continuation.ts';
import type { Point } from '../../../src/engine/classic/types.ts';

const W = 120;
const H = 200;
const SLAB: [number, number, number] = [200, 160, 130];
const BACKDROP: [number, number, number] = [200, 200, 200];
const RADIUS = 10.5;

/**
 * A drawn arm: a vertical upper arm x 40..60 from the shoulder (y 10) to the elbow, then the
 * forearm to the wrist, the old sleeve's hem at `hemY` on the upper arm. The photo shows the arm's
 * skin below the hem (`seen(x, y, onForearm)`), the sleeve (teal) above it; the canvas has the
 * sleeve painted over with a flat skin tone (the slab) on the bared upper arm.
 */
function drawnArm(options: { elbow: Point; wrist: Point; hemY: number; seen: (x: number, y: number, onForearm: boolean) => [number, number, number] }) {
  const { elbow, wrist, hemY, seen } = options;
  const shoulder = { x: 50, y: 10 };
  const joints = [shoulder, elbow, wrist, { x: wrist.x + (wrist.x - elbow.x) * 0.1, y: wrist.y + (wrist.y - elbow.y) * 0.1 }];
  const capsule = { joints, radii: [RADIUS, RADIUS, RADIUS, RADIUS] };
  const distance = (p: Point, a: Point, b: Point) => {
    const dx = b.x - a.x;
    const dy = b.y - a.y;
    const t = Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / (dx * dx + dy * dy)));
    return Math.hypot(p.x - a.x - dx * t, p.y - a.y - dy * t);
  };
  const onUpper = (x: number, y: number) => distance({ x, y }, shoulder, elbow) <= RADIUS;
  const onForearm = (x: number, y: number) => !onUpper(x, y) && distance({ x, y }, elbow, wrist) <= RADIUS;
  const image = createRaster(W, H, 3);
  const canvas = createRaster(W, H, 3);
  const bared = createMask(W, H);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const i = y * W + x;
      const arm = onUpper(x, y) || onForearm(x, y);
      const sleeve = onUpper(x, y) && y < hemY;
      const rgb: [number, number, number] = !arm ? BACKDROP : sleeve ? [60, 150, 160] : seen(x, y, onForearm(x, y));
      image.data.set(rgb, i * 3);
      canvas.data.set(sleeve && y >= 20 ? SLAB : rgb, i * 3);
      if (sleeve && y >= 20) bared.data[i] = 255;
    }
  }
  const upper = Math.hypot(elbow.x - shoulder.x, elbow.y - shoulder.y);
  const hem = { at: (hemY - shoulder.y) / upper, halfWidth: RADIUS, offset: 0 };
  const isArmSkin = (x: number, y: number) => x >= 0 && y >= 0 && x < W && y < H && (onForearm(x, y) || (onUpper(x, y) && y >= hemY));
  const at = (x: number, y: number) => Array.from(canvas.data.subarray((y * W + x) * 3, (y * W + x) * 3 + 3));
  const run = (seenSkin = isArmSkin) => continueSeenArms(canvas, image, bared, [capsule], (i) => (bared.data[i] ? 0 : -1), [hem], seenSkin);
  return { image, canvas, bared, at, run, isArmSkin };
}

/** Skin lit from the image's right (darker at the arm's left silhouette), with a grain along the arm. */
const litSkin = (x: number, y: number): [number, number, number] => {
  const grain = ((y * 7919) % 13) - 6;
  const across = 3 * (x - 40);
  return [140 + across + grain, 100 + across * 0.7 + grain, 80 + across * 0.5 + grain];
};

const straight = { elbow: { x: 50, y: 150 }, wrist: { x: 50, y: 195 } };

test('a bared upper arm continues the skin of the upper arm seen below the old sleeve: its light across the arm and its grain', () => {
  // The forearm is another colour altogether: the copy must come from the upper arm below the hem.
  const arm = drawnArm({ ...straight, hemY: 60, seen: (x, y, forearm) => (forearm ? [90, 60, 50] : litSkin(x, y)) });
  arm.run();
  const y = 55;
  const left = arm.at(42, y)[0];
  const right = arm.at(58, y)[0];
  assert.ok(right - left > 35, `right ${right} vs left ${left}: the seen arm's light across it`);
  assert.ok(Math.abs(arm.at(50, y)[0] - litSkin(50, 80)[0]) < 15, `upper arm's skin, not the forearm's: ${arm.at(50, y)}`);
  const column = [];
  for (let r = 30; r < 58; r++) column.push(arm.at(50, r)[1]);
  const mean = column.reduce((a, b) => a + b, 0) / column.length;
  const spread = Math.sqrt(column.reduce((a, b) => a + (b - mean) ** 2, 0) / column.length);
  assert.ok(spread > 2, `grain along the arm: spread ${spread.toFixed(2)}`);
  // Off the arm nothing changes; near the shoulder the copy fades into the painted skin.
  assert.deepEqual(arm.at(20, 40), BACKDROP);
  const offSlab = (rgb: number[]) => Math.hypot(rgb[0] - SLAB[0], rgb[1] - SLAB[1], rgb[2] - SLAB[2]);
  assert.ok(offSlab(arm.at(50, 20)) < 0.5 * offSlab(arm.at(50, 45)), `at the shoulder ${arm.at(50, 20)}, further down ${arm.at(50, 45)}`);
});

test('a crease or shadow across the seen arm is not copied up it', () => {
  // A dark band across the arm a little below the hem (the elbow's crease, the sleeve's shadow).
  const arm = drawnArm({ ...straight, hemY: 60, seen: (x, y) => (y >= 80 && y < 84 ? [70, 45, 35] : [150, 110, 90]) });
  arm.run();
  for (let y = 22; y < 58; y++) assert.ok(arm.at(50, y)[0] > 120, `row ${y}: ${arm.at(50, y)}`);
});

test('skin that is not skin (a striped cuff, a glove), or too little of it, is not copied: the painted skin stays', () => {
  const striped = drawnArm({ ...straight, hemY: 60, seen: (x, y) => ((y >> 2) % 2 ? [40, 60, 160] : [230, 230, 240]) });
  const before = striped.canvas.data.slice();
  striped.run();
  assert.deepEqual(striped.canvas.data, before);
  const short = drawnArm({ ...straight, hemY: 60, seen: litSkin });
  const shortBefore = short.canvas.data.slice();
  short.run((x, y) => short.isArmSkin(x, y) && y < 68);
  assert.deepEqual(short.canvas.data, shortBefore);
});

test('a forearm bent away from the upper arm does not stand in for it', () => {
  // The hem just above the elbow: too little upper arm below it; the forearm turns 90 degrees.
  const bent = drawnArm({ elbow: { x: 50, y: 110 }, wrist: { x: 110, y: 110 }, hemY: 100, seen: litSkin });
  const before = bent.canvas.data.slice();
  bent.run();
  assert.deepEqual(bent.canvas.data, before);
  // Straight, the forearm is copied.
  const straightArm = drawnArm({ elbow: { x: 50, y: 110 }, wrist: { x: 50, y: 195 }, hemY: 100, seen: litSkin });
  const straightBefore = straightArm.canvas.data.slice();
  straightArm.run();
  assert.notDeepEqual(straightArm.canvas.data, straightBefore);
});

/**
 * Two drawn arms side by side, straight down from y 10 to y 190: arm 0 round x 30 shows `seen`
 * skin below its hem at y 60; arm 1 round x 90 is bared from y 20 down to its hand (its old
 * sleeve ran down to it: no skin of its own), painted with the slab. Optionally a leg round x 60
 * (y 100..199) showing `leg` skin, and arm 0 sleeved all the way down too (`bothSleeved`). The
 * bared skin is painted `painted` (the person's skin tone as the fill paints it).
 */
function twoArms(options: { seen: (x: number, y: number) => [number, number, number]; leg?: (x: number, y: number) => [number, number, number]; bothSleeved?: boolean; painted?: [number, number, number] }) {
  const { seen, leg, bothSleeved = false, painted = PAINTED } = options;
  const capsuleAt = (cx: number) => ({ joints: [{ x: cx, y: 10 }, { x: cx, y: 100 }, { x: cx, y: 180 }, { x: cx, y: 190 }], radii: [RADIUS, RADIUS, RADIUS, RADIUS] });
  const capsules = [capsuleAt(30), capsuleAt(90)];
  const onArm = (k: number, x: number, y: number) => y >= 10 && y <= 190 && Math.abs(x - (k === 0 ? 30 : 90)) <= RADIUS;
  const onLeg = (x: number, y: number) => leg !== undefined && y >= 100 && Math.abs(x - 60) <= 8;
  const image = createRaster(W, H, 3);
  const canvas = createRaster(W, H, 3);
  const bared = createMask(W, H);
  const owner = new Int8Array(W * H).fill(-1);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const i = y * W + x;
      const k = onArm(0, x, y) ? 0 : onArm(1, x, y) ? 1 : -1;
      const sleeve = k === 1 || (k === 0 && (bothSleeved || y < 60));
      const rgb: [number, number, number] = onLeg(x, y) ? leg!(x, y) : k < 0 ? BACKDROP : sleeve ? [60, 150, 160] : seen(x, y);
      image.data.set(rgb, i * 3);
      const paint = sleeve && y >= 20;
      canvas.data.set(paint ? painted : rgb, i * 3);
      if (paint) {
        bared.data[i] = 255;
        owner[i] = k;
      }
    }
  }
  const hems = [bothSleeved ? null : { at: 50 / 90, halfWidth: RADIUS, offset: 0 }, null];
  const isArmSkin = (x: number, y: number) => x >= 0 && y >= 0 && x < W && y < H && onArm(0, x, y) && !bothSleeved && y >= 60;
  const legs = leg ? { legs: [{ joints: [{ x: 60, y: 40 }, { x: 60, y: 120 }, { x: 60, y: 199 }], radius: 8 }], isLegSkin: (x: number, y: number) => x >= 0 && y >= 0 && x < W && y < H && onLeg(x, y) } : undefined;
  continueSeenArms(canvas, image, bared, capsules, (i) => owner[i], hems, isArmSkin, undefined, legs);
  return (x: number, y: number) => Array.from(canvas.data.subarray((y * W + x) * 3, (y * W + x) * 3 + 3));
}

test('an arm that shows no skin of its own takes the other arm\'s skin, lit across as it lies', () => {
  const at = twoArms({ seen: litSkin2 });
  // Arm 1's bared skin (x 80..100) takes arm 0's light across it: darker on its left side.
  for (const y of [60, 120, 170]) {
    const [left, right] = [at(82, y)[0], at(98, y)[0]];
    assert.ok(right - left > 30, `row ${y}: left ${left}, right ${right}`);
    assert.ok(Math.abs(at(90, y)[0] - litSkin2(30, 80)[0]) < 15, `row ${y}: ${at(90, y)} is the other arm's skin, not the slab`);
  }
  // However far the painted tone is from it: the other arm is this person's skin.
  const painted: [number, number, number] = [80, 60, 55];
  assert.notDeepEqual(twoArms({ seen: litSkin2, painted })(90, 120), painted);
});

test('with no arm skin anywhere, an arm takes a bare shin\'s skin; with none at all the painted skin stays', () => {
  const shin = (x: number): [number, number, number] => [120 + 4 * (x - 52), 90 + 3 * (x - 52), 70 + 2 * (x - 52)];
  const at = twoArms({ seen: litSkin2, leg: shin, bothSleeved: true });
  const [left, right] = [at(82, 120)[0], at(98, 120)[0]];
  assert.ok(right - left > 30 && Math.abs(at(90, 120)[0] - shin(60)[0]) < 15, `shin's skin across the arm: ${left} ${at(90, 120)} ${right}`);
  const none = twoArms({ seen: litSkin2, bothSleeved: true });
  assert.deepEqual(none(90, 120), PAINTED);
  assert.deepEqual(none(30, 120), PAINTED);
});

test('a shin\'s "skin" far from the tone the arm is painted in (dark tights) is not copied', () => {
  const tights = (): [number, number, number] => [70, 52, 48];
  const at = twoArms({ seen: litSkin2, leg: tights, bothSleeved: true });
  assert.deepEqual(at(90, 120), PAINTED);
  // Painted as dark as the tights, it would be the person's skin: copied.
  const dark = twoArms({ seen: litSkin2, leg: tights, bothSleeved: true, painted: [72, 54, 50] });
  assert.notDeepEqual(dark(90, 120), [72, 54, 50]);
});

/** The tone the fill paints bared skin in, in these drawn scenes: the drawn skin's mean. */
const PAINTED: [number, number, number] = [165, 118, 92];

/** Skin lit from the image's right across an arm round x 30 (x 20..40), with a grain along it. */
function litSkin2(x: number, y: number): [number, number, number] {
  return litSkin(x + 20, y);
}
