import { test } from 'node:test';
import assert from 'node:assert/strict';
import { measureBody } from '../../../src/engine/classic/body/index.ts';
import { drawnPerson, FIGURE } from './figure.ts';

test('body frame: image sides, shoulders outside the joints, torso span excludes the arms', () => {
  const body = measureBody(drawnPerson());
  const j = FIGURE.joints;
  assert.ok(body.shoulder.l.x < j.right_shoulder.x, 'image-left shoulder lies outside the joint');
  assert.ok(body.shoulder.r.x > j.left_shoulder.x, 'image-right shoulder lies outside the joint');
  assert.ok(body.shoulder.l.x < body.shoulder.r.x);
  // Mid-torso the mask is the torso box plus the arms hanging beside it; the span must stop at the arms.
  const [l, r] = body.torsoSpan(200);
  assert.ok(l >= FIGURE.torso.x0 - 3 && l <= FIGURE.torso.x0 + 12, `left edge ${l}`);
  assert.ok(r <= FIGURE.torso.x1 + 3 && r >= FIGURE.torso.x1 - 12, `right edge ${r}`);
  assert.ok(body.inArm(j.left_elbow.x, j.left_elbow.y));
  assert.ok(!body.inArm(150, 200), 'torso centre is not arm');
  assert.ok(Math.abs(body.arm.l.radius - FIGURE.armRadius) <= 4, `arm radius ${body.arm.l.radius}`);
});

test('body frame: unseen knees and ankles are extrapolated below the hips', () => {
  const body = measureBody(drawnPerson({ hidden: ['left_knee', 'right_knee', 'left_ankle', 'right_ankle'] }));
  for (const leg of [body.leg.l, body.leg.r]) {
    assert.deepEqual(leg.visible, [true, false, false]);
    assert.ok(leg.joints[1].y > leg.joints[0].y + body.torsoLength * 0.5);
    assert.ok(leg.joints[2].y > leg.joints[1].y + body.torsoLength * 0.5);
  }
});

test('body frame: the shoulder seam and the top contour sit on the silhouette', () => {
  const body = measureBody(drawnPerson());
  // The drawn torso box starts at row 112; from a guess a few rows off, the contour is found.
  assert.equal(body.topContour(150, 118), 112);
  // Out of reach (still inside the body 0.12 shoulder spans above the guess): the guess stays.
  assert.equal(body.topContour(150, 160), 160);
  // The outer shoulder points lie on the top edge of the arm's root, not inside it.
  for (const p of [body.shoulder.l, body.shoulder.r]) {
    const x = Math.round(p.x);
    const y = Math.round(p.y);
    const person = (yy: number) => (drawnPerson().personMask.data[yy * FIGURE.width + x] ?? 0) >= 128;
    assert.ok(person(y) && !person(y - 2), `shoulder (${p.x}, ${p.y}) is not on the contour`);
  }
});

test('body frame: the neck base follows the collar line the photo shows, not only the shoulder joints', () => {
  // Shoulder joints 40 px below the torso's top edge (row 112): a close-up with sloping shoulders.
  const low = measureBody(drawnPerson({ joints: { left_shoulder: { x: 195, y: 152 }, right_shoulder: { x: 105, y: 152 } } }));
  const jointSpan = 90;
  // Beside the neck the torso's top is found from the chin down.
  assert.equal(low.collarY(150 - 0.25 * jointSpan), 112);
  // The neck's base sits just below that line, well above where the joints alone would put it.
  assert.ok(low.neck.centre.y < 152 - 0.08 * jointSpan - 10, `neck centre ${low.neck.centre.y}`);
  assert.ok(low.neck.centre.y >= 112, `neck centre ${low.neck.centre.y} above the collar line`);
  // In the joints' usual place the estimate is unchanged.
  const usual = measureBody(drawnPerson());
  assert.equal(usual.neck.centre.y, 120 - 0.08 * jointSpan);
  // A column beside the person says nothing.
  assert.equal(usual.collarY(5), undefined);
});
