import { test } from 'node:test';
import assert from 'node:assert/strict';
import { measureBody } from '../../src/engine/classic/body/index.ts';
import { PartLabel, type PersonAnalysis } from '../../src/engine/classic/types.ts';
import { editAnalysedPerson, necklineCoveringCurrent } from '../../src/engine/prompt/edit.ts';
import { parsePrompt } from '../../src/engine/prompt/parser.ts';
import { withLabelPhoto } from './label-photo.ts';
import { drawnPerson, FIGURE } from '../engine/placement/figure.ts';

/** Middle of the drawn figure's shoulder line, and its shoulder width (px). */
const SHOULDER_MID = { x: (FIGURE.joints.left_shoulder.x + FIGURE.joints.right_shoulder.x) / 2, y: FIGURE.joints.left_shoulder.y };
const SHOULDER_WIDTH = FIGURE.joints.left_shoulder.x - FIGURE.joints.right_shoulder.x;

/**
 * The drawn figure in a green top and blue trousers; the top covers the chest up to the neck (a
 * crew sweater), or with `openV` shows a V of bare chest below the neck (an open collar) as deep
 * as a scoop neckline (0.3 shoulder widths) and 0.3 wide at the shoulder line.
 */
function figure(openV: boolean): PersonAnalysis {
  const person = drawnPerson();
  const { labels, width } = person.parsing;
  if (openV) {
    for (let y = FIGURE.torso.y0; y < SHOULDER_MID.y + 0.3 * SHOULDER_WIDTH; y++) {
      const half = 0.15 * SHOULDER_WIDTH * (1 - (y - FIGURE.torso.y0) / (SHOULDER_MID.y + 0.3 * SHOULDER_WIDTH - FIGURE.torso.y0));
      for (let x = Math.round(SHOULDER_MID.x - half); x <= Math.round(SHOULDER_MID.x + half); x++) labels[y * width + x] = PartLabel.TorsoSkin;
    }
  }
  return withLabelPhoto(person);
}

const specOf = (prompt: string) => parsePrompt(prompt).garments[0];

test('neckline: an open neckline is crew on a person whose top covers the upper chest; said necklines, outerwear and an open collar keep theirs', () => {
  const covered = figure(false);
  const open = figure(true);
  assert.equal(specOf('a red dress').necklineSaid, false);
  assert.equal(specOf('a red dress').neckline, 'scoop');
  assert.equal(necklineCoveringCurrent(specOf('a red dress'), covered).neckline, 'crew');
  assert.equal(necklineCoveringCurrent(specOf('a little black dress'), covered).neckline, 'crew');
  assert.equal(necklineCoveringCurrent(specOf('a black tank top'), covered).neckline, 'crew');
  assert.equal(necklineCoveringCurrent(specOf('a white blouse'), covered).neckline, 'crew');
  // A chest the person shows bare: the type's.
  assert.equal(necklineCoveringCurrent(specOf('a red dress'), open).neckline, 'scoop');
  assert.equal(necklineCoveringCurrent(specOf('a white blouse'), open).neckline, 'v');
  // Said by a word, or by the style or noun.
  assert.equal(specOf('a red v-neck dress').necklineSaid, true);
  assert.equal(necklineCoveringCurrent(specOf('a red v-neck dress'), covered).neckline, 'v');
  assert.equal(necklineCoveringCurrent(specOf('a red scoop neck dress'), covered).neckline, 'scoop');
  assert.equal(necklineCoveringCurrent(specOf('a black bodycon dress'), covered).neckline, 'scoop');
  assert.equal(necklineCoveringCurrent(specOf('an emerald satin slip dress'), covered).neckline, 'straps');
  // Outerwear lies over the kept top, whose own neckline shows in its V.
  assert.equal(necklineCoveringCurrent(specOf('a camel cardigan'), covered).neckline, 'v');
  assert.equal(necklineCoveringCurrent(specOf('a navy blazer'), covered).neckline, 'v');
  // Shoulders the pose cannot place say nothing.
  const hidden = figure(false);
  for (const k of hidden.pose.keypoints) if (k.name.endsWith('_shoulder')) k.score = 0.05;
  assert.equal(necklineCoveringCurrent(specOf('a red dress'), hidden).neckline, 'scoop');
});

test('neckline: on a person in a crew sweater, a new dress covers the upper chest instead of baring it as painted skin', async () => {
  const person = figure(false);
  const body = measureBody(person);
  const { result, garments } = await editAnalysedPerson({ model: person.image, prompt: 'a red dress', seed: 4, guidanceScale: 50, steps: 28, diagnostics: true }, person, body);
  assert.equal(garments[0].spec.neckline, 'crew');
  // The front's middle a tenth of a shoulder width below the shoulder line (inside a scoop's opening) is red dress.
  const x = Math.round(SHOULDER_MID.x);
  const y = Math.round(SHOULDER_MID.y + 0.1 * SHOULDER_WIDTH);
  const i = y * person.image.width + x;
  const [r, g, b] = result.image.data.subarray(i * 3, i * 3 + 3);
  assert.ok(r > 110 && r > 1.8 * g && r > 1.8 * b, `upper chest at ${x},${y} is the red dress: ${r},${g},${b}`);
});
