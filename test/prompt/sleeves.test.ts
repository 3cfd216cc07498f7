import { test } from 'node:test';
import assert from 'node:assert/strict';
import { measureBody } from '../../src/engine/classic/body/index.ts';
import { PartLabel, type PersonAnalysis } from '../../src/engine/classic/types.ts';
import { editAnalysedPerson, sleevesCoveringCurrent, wornOverSleevedTop } from '../../src/engine/prompt/edit.ts';
import { parsePrompt } from '../../src/engine/prompt/parser.ts';
import { withLabelPhoto } from './label-photo.ts';
import { drawnPerson, FIGURE } from '../engine/placement/figure.ts';

/**
 * The drawn figure (arms hanging at its sides) in a green top and blue trousers; with `sleeved`,
 * the top's long sleeves cover both arms to the wrists (the arm capsules labelled top), else the
 * arms are bare skin.
 */
function figure(sleeved: boolean): PersonAnalysis {
  const person = drawnPerson();
  const labels = person.parsing.labels;
  if (sleeved) for (let i = 0; i < labels.length; i++) if (labels[i] === PartLabel.UpperArm) labels[i] = PartLabel.UpperGarment;
  return withLabelPhoto(person);
}

const specOf = (prompt: string) => parsePrompt(prompt).garments[0];

test('sleeves: a dress of open sleeves is long-sleeved on a person whose top covers the forearms; said sleeves and bare arms keep theirs', () => {
  const sleeved = figure(true);
  const bare = figure(false);
  assert.equal(specOf('a red dress').sleeveSaid, false);
  assert.equal(sleevesCoveringCurrent(specOf('a red dress'), sleeved).sleeve, 'long');
  assert.equal(sleevesCoveringCurrent(specOf('a little black dress'), sleeved).sleeve, 'long');
  // Bare forearms: the type's short sleeves.
  assert.equal(sleevesCoveringCurrent(specOf('a red dress'), bare).sleeve, 'short');
  // Said by a word, or by the style or noun.
  assert.equal(specOf('a red short-sleeved dress').sleeveSaid, true);
  assert.equal(sleevesCoveringCurrent(specOf('a red short-sleeved dress'), sleeved).sleeve, 'short');
  assert.equal(sleevesCoveringCurrent(specOf('a red sleeveless dress'), sleeved).sleeve, 'none');
  assert.equal(sleevesCoveringCurrent(specOf('an emerald satin slip dress'), sleeved).sleeve, 'none');
  assert.equal(sleevesCoveringCurrent(specOf('a coral wrap dress'), sleeved).sleeve, 'three_quarter');
  // Not a dress: a t-shirt is short-sleeved by what it is.
  assert.equal(sleevesCoveringCurrent(specOf('a red t-shirt'), sleeved).sleeve, 'short');
  // Forearms the pose cannot place say nothing.
  const hidden = figure(true);
  for (const k of hidden.pose.keypoints) if (k.name.endsWith('_wrist')) k.score = 0.05;
  assert.equal(sleevesCoveringCurrent(specOf('a red dress'), hidden).sleeve, 'short');
});

test('sleeves: on a person in long sleeves, a new dress covers the forearms instead of baring them', async () => {
  const person = figure(true);
  const body = measureBody(person);
  const { result, garments } = await editAnalysedPerson({ model: person.image, prompt: 'a red dress', seed: 4, guidanceScale: 50, steps: 28, diagnostics: true }, person, body);
  assert.equal(garments[0].spec.sleeve, 'long');
  // The middle of each forearm (two thirds of the way from the elbow to the wrist) is red new garment.
  const { left_elbow: le, left_wrist: lw, right_elbow: re, right_wrist: rw } = FIGURE.joints;
  for (const [e, w] of [[le, lw], [re, rw]]) {
    const x = Math.round(e.x + (2 / 3) * (w.x - e.x));
    const y = Math.round(e.y + (2 / 3) * (w.y - e.y));
    const i = y * person.image.width + x;
    const [r, g, b] = result.image.data.subarray(i * 3, i * 3 + 3);
    assert.ok(r > 110 && r > 1.8 * g && r > 1.8 * b, `forearm at ${x},${y} is the red dress: ${r},${g},${b}`);
  }
});

test('layering: a sleeveless garment is worn over a sleeved top, not over bare arms or as outerwear', () => {
  const sleeved = figure(true);
  const bare = figure(false);
  for (const prompt of ['a white silk camisole', 'an emerald green satin slip dress', 'a yellow sundress', 'a yellow tank top', 'a sleeveless white jumpsuit']) {
    assert.equal(wornOverSleevedTop(specOf(prompt), sleeved), true, `${prompt} over sleeves`);
    assert.equal(wornOverSleevedTop(specOf(prompt), bare), false, `${prompt} on bare arms`);
  }
  // Sleeved garments, overalls (kept over the top on their own), outerwear and recolours are not.
  for (const prompt of ['a red t-shirt', 'a red dress', 'denim overalls', 'a black vest', 'make it red']) assert.equal(wornOverSleevedTop(specOf(prompt), sleeved), false, prompt);
  // A person in a one-piece garment: the old dress would stay beside and below the new one.
  assert.equal(wornOverSleevedTop(specOf('a white silk camisole'), { ...sleeved, wearsOnePiece: true }), false);
  // Upper arms the pose cannot place say nothing.
  const hidden = figure(true);
  for (const k of hidden.pose.keypoints) if (k.name.endsWith('_elbow')) k.score = 0.05;
  assert.equal(wornOverSleevedTop(specOf('a white silk camisole'), hidden), false);
});

test('layering: a camisole on a person in long sleeves keeps the sleeves instead of painting bare arms', async () => {
  const person = figure(true);
  const body = measureBody(person);
  const { result } = await editAnalysedPerson({ model: person.image, prompt: 'a white silk camisole', seed: 4, guidanceScale: 50, steps: 28, diagnostics: true }, person, body);
  // The middle of each upper arm and forearm is the photo's green top, not skin.
  const j = FIGURE.joints;
  for (const [a, b] of [[j.left_shoulder, j.left_elbow], [j.right_shoulder, j.right_elbow], [j.left_elbow, j.left_wrist], [j.right_elbow, j.right_wrist]]) {
    const x = Math.round(a.x + 0.6 * (b.x - a.x));
    const y = Math.round(a.y + 0.6 * (b.y - a.y));
    const i = y * person.image.width + x;
    const [r, g, bl] = result.image.data.subarray(i * 3, i * 3 + 3);
    assert.ok(g > r + 25 && g > bl + 25 && r < 120, `arm at ${x},${y} is the kept green top: ${r},${g},${bl}`);
  }
});
