import { test } from 'node:test';
import assert from 'node:assert/strict';
import { measureBody } from '../../../src/engine/classic/body/index.ts';
import { armAbsentForPanel, armAbsentMask } from '../../../src/engine/classic/body/bare-arm.ts';
import { armsInFrontMask } from '../../../src/engine/classic/tryon.ts';
import { PartLabel } from '../../../src/engine/classic/types.ts';
import { drawnPerson, FIGURE } from './figure.ts';

/** x of the segment a→b at row y. */
function armAxisX(y: number, a: { x: number; y: number }, b: { x: number; y: number }): number {
  return a.x + ((b.x - a.x) * (y - a.y)) / (b.y - a.y);
}

/**
 * The drawn figure with its image-left arm in a sleeve (all garment) and its image-right arm bare
 * but half hidden behind the torso: only the outer half of that arm is parsed as skin, its inner
 * half as the top (a three-quarter view, the arm hanging behind the hip).
 */
function halfHiddenArm() {
  const person = drawnPerson();
  const { width, height } = FIGURE;
  const labels = person.parsing.labels;
  const j = FIGURE.joints;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (labels[i] !== PartLabel.UpperArm) continue;
      if (x < 150) labels[i] = PartLabel.UpperGarment;
      else if (x < armAxisX(y, y < j.left_elbow.y ? j.left_shoulder : j.left_elbow, y < j.left_elbow.y ? j.left_elbow : j.left_wrist)) {
        labels[i] = PartLabel.UpperGarment;
      }
    }
  }
  return person;
}

test('an arm parsed bare beside the torso is absent where its capsule overlaps the parsed top; a sleeved arm never is', () => {
  const person = halfHiddenArm();
  const body = measureBody(person);
  const { width } = FIGURE;
  const absent = armAbsentMask(body, person.parsing.labels, person.personMask, 140);
  let rightSide = 0;
  let leftSide = 0;
  for (let y = 150; y < 280; y++) {
    for (let x = 0; x < width; x++) {
      if (absent.data[y * width + x] < 128) continue;
      assert.notEqual(person.parsing.labels[y * width + x], PartLabel.UpperArm, `arm skin at ${x},${y} marked absent`);
      if (x > 150) rightSide++;
      else leftSide++;
    }
  }
  assert.ok(rightSide > 150, `absent band beside the bare arm: ${rightSide} px`);
  assert.equal(leftSide, 0, 'the sleeved arm could be anywhere in its capsule');
  // Nothing above the row it is asked from.
  for (let y = 0; y < 140; y++) for (let x = 0; x < width; x++) assert.equal(absent.data[y * width + x], 0);
  // The panel is not held behind the arm there; it still is behind the arm's skin.
  const inFront = armsInFrontMask(person, body);
  let freed = 0;
  for (let y = 180; y < 260; y++) {
    for (let x = 151; x < width; x++) {
      const i = y * width + x;
      if (absent.data[i] >= 128 && inFront.data[i] === 0) freed++;
      if (person.parsing.labels[i] === PartLabel.UpperArm && y > 200) assert.equal(inFront.data[i], 255, `arm skin at ${x},${y} not in front`);
    }
  }
  assert.ok(freed > 100, `panel pixels freed beside the bare arm: ${freed}`);
});

test('a bare arm parsed whole leaves no absent band (only slivers, which are dropped)', () => {
  const person = drawnPerson();
  const body = measureBody(person);
  const absent = armAbsentMask(body, person.parsing.labels, person.personMask, 140);
  let n = 0;
  for (const v of absent.data) if (v >= 128) n++;
  assert.ok(n < 40, `${n} px absent on an arm parsed whole`);
});

test('a body panel is held back by a bare arm parsed narrower than its capsule only where the arm is, not by the slivers beside it', () => {
  const person = drawnPerson();
  const body = measureBody(person);
  const { width } = FIGURE;
  const j = FIGURE.joints;
  // The image-right forearm parsed narrower than it is drawn: its inner 4 px (towards the torso)
  // are the top, a sliver between the arm's skin and its capsule's edge.
  const sliver: number[] = [];
  for (let y = 215; y < 285; y++) {
    const axis = armAxisX(y, j.left_elbow, j.left_wrist);
    for (let x = Math.ceil(axis - FIGURE.armRadius); x < axis - FIGURE.armRadius + 4; x++) {
      const i = y * width + x;
      if (person.parsing.labels[i] !== PartLabel.UpperArm) continue;
      person.parsing.labels[i] = PartLabel.UpperGarment;
      sliver.push(i);
    }
  }
  assert.ok(sliver.length > 100, `sliver of ${sliver.length} px`);
  // The sleeve's mask drops the sliver (too thin to be torso beside the arm) ...
  const absent = armAbsentMask(body, person.parsing.labels, person.personMask, 140);
  assert.ok(sliver.every((i) => absent.data[i] === 0), 'sliver absent for sleeves');
  // ... the panel's keeps it, less a soft edge's width along the arm's skin.
  const panel = armAbsentForPanel(body, person.parsing.labels, person.personMask, 140);
  const inFront = armsInFrontMask(person, body);
  const freed = sliver.filter((i) => panel.data[i] === 255 && inFront.data[i] === 0).length;
  assert.ok(freed > sliver.length * 0.3, `${freed} of ${sliver.length} sliver px free for the panel`);
  for (let i = 0; i < person.parsing.labels.length; i++) {
    if (person.parsing.labels[i] === PartLabel.UpperArm && Math.floor(i / width) > 200) assert.equal(inFront.data[i], 255, `arm skin at ${i % width},${Math.floor(i / width)} not in front`);
  }
});

test("a bare arm's skin past its capsule (an arm thicker than measured) is in front of the panel; skin farther out is not", () => {
  const person = drawnPerson();
  const { width } = FIGURE;
  const j = FIGURE.joints;
  const body = measureBody(person);
  const radius = body.arm.r.radius;
  // The image-right forearm's inner side reaches 3 px past its capsule (capsule radius × 0.85 on
  // the forearm, grown by 1 px); a patch of skin parsed as arm lies far out on the torso.
  const beside: number[] = [];
  for (let y = 225; y < 280; y++) {
    const axis = armAxisX(y, j.left_elbow, j.left_wrist);
    const edge = axis - radius * 0.85 - 1;
    for (let x = Math.floor(edge - 3); x < Math.floor(edge); x++) {
      const i = y * width + x;
      if (body.inArm(x, y, 1)) continue;
      person.parsing.labels[i] = PartLabel.LowerArm;
      person.personMask.data[i] = 255;
      beside.push(i);
    }
  }
  const far: number[] = [];
  for (let y = 230; y < 250; y++) {
    for (let x = 140; x < 150; x++) {
      person.parsing.labels[y * width + x] = PartLabel.LowerArm;
      far.push(y * width + x);
    }
  }
  assert.ok(beside.length > 100, `${beside.length} px of arm past the capsule`);
  const inFront = armsInFrontMask(person, body);
  assert.ok(beside.every((i) => inFront.data[i] === 255), `arm skin past the capsule held in front of the panel: ${beside.filter((i) => inFront.data[i] === 255).length} of ${beside.length}, radius ${radius}`);
  assert.ok(far.every((i) => inFront.data[i] === 0), 'skin far from the arm is not the arm');
});
