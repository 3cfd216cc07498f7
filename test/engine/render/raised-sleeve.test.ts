/**
 * A raised arm's old sleeve above the chin ceiling is old garment (tryon.ts raisedSleeves); the
 * arm's own skin parsed as the top there is not.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { measureBody } from '../../../src/engine/classic/body/index.ts';
import { chinCeiling, raisedSleeves } from '../../../src/engine/classic/tryon.ts';
import { PartLabel } from '../../../src/engine/classic/types.ts';
import { drawnPerson, FIGURE } from '../placement/figure.ts';

/** The drawn figure with its left arm raised beside the head; the arm above the chin ceiling parsed as the top, in `colour`. */
function raisedArm(colour: [number, number, number]) {
  const person = drawnPerson({ joints: { left_elbow: { x: 235, y: 70 }, left_wrist: { x: 195, y: 20 } } });
  const body = measureBody(person);
  const ceiling = chinCeiling(body);
  const { width, height } = FIGURE;
  const labels = person.parsing.labels;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (labels[i] === PartLabel.UpperArm) person.image.data.set([220, 175, 145], i * 3);
      if (labels[i] === PartLabel.UpperArm && x > 180 && y < ceiling) {
        labels[i] = PartLabel.UpperGarment;
        person.image.data.set(colour, i * 3);
      }
    }
  }
  return { person, body, at: { x: 225, y: Math.min(60, ceiling - 5) } };
}

test("a raised arm's old sleeve above the chin ceiling is the old garment", () => {
  const { person, body, at } = raisedArm([245, 245, 245]);
  const sleeves = raisedSleeves(person, body, 'upper_body');
  assert.ok(sleeves);
  assert.equal(sleeves.data[at.y * FIGURE.width + at.x], 255);
});

test("the raised arm's own skin parsed as the top is not", () => {
  const { person, body } = raisedArm([220, 175, 145]);
  assert.equal(raisedSleeves(person, body, 'upper_body'), null);
});
