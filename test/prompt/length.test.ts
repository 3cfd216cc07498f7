import { test } from 'node:test';
import assert from 'node:assert/strict';
import { measureBody } from '../../src/engine/classic/body/index.ts';
import { PartLabel, type PersonAnalysis } from '../../src/engine/classic/types.ts';
import { editAnalysedPerson, lengthCoveringCurrent } from '../../src/engine/prompt/edit.ts';
import { parsePrompt, type GarmentSpec } from '../../src/engine/prompt/parser.ts';
import { withLabelPhoto } from './label-photo.ts';
import { drawnPerson } from '../engine/placement/figure.ts';

/**
 * The drawn figure in a long flared skirt: one navy piece from the hips (x 108..192 at y 290)
 * widening by `flare` px each side to y 530 (x 70..230 by default), over the legs, its hem moved
 * `swing` px to the right (a walking figure's skirt swings to one side); a green top. Without
 * `skirt`, its blue trousers.
 */
function figure(skirt: boolean, flare = 38, swing = 0): PersonAnalysis {
  const person = drawnPerson();
  const { width } = person.personMask;
  const labels = person.parsing.labels;
  if (skirt) {
    for (let y = 290; y <= 530; y++) {
      const t = (y - 290) / 240;
      const x0 = Math.round(108 - (flare - swing) * t);
      const x1 = Math.round(192 + (flare + swing) * t);
      for (let x = x0; x <= x1; x++) {
        labels[y * width + x] = PartLabel.LowerGarment;
        person.personMask.data[y * width + x] = 255;
      }
    }
  }
  return withLabelPhoto(person);
}

const specOf = (prompt: string) => parsePrompt(prompt).garments[0];

/** The dress is maxi and drawn long enough (shoulder widths from the shoulder line) to reach the person's ankles. */
function assertMaxiToAnkles(dress: GarmentSpec, person: PersonAnalysis): void {
  const body = measureBody(person);
  const ankleY = Math.max(...['left_ankle', 'right_ankle'].map((n) => person.pose.keypoints.find((k) => k.name === n)?.y ?? 0));
  const shoulderY = (body.shoulder.l.y + body.shoulder.r.y) / 2;
  assert.equal(dress.length, 'maxi');
  assert.ok(dress.lengthS !== undefined && dress.lengthS * body.shoulderWidth >= ankleY - shoulderY, `drawn ${dress.lengthS?.toFixed(2)} shoulder widths: reaches the ankles`);
}

test('length: a dress or skirt covers the current long skirt (maxi, wider), whatever length is said; trousers and tops are left alone', () => {
  const long = figure(true);
  const body = measureBody(long);
  const dress = lengthCoveringCurrent(specOf('a red dress'), long, body);
  assert.equal(dress.length, 'maxi');
  assert.ok((dress.lengthS ?? 0) >= 3.5, `drawn ${dress.lengthS} shoulder widths long`);
  assert.notEqual(dress.cut, 'straight');
  assert.equal(lengthCoveringCurrent(specOf('a green tartan skirt'), long, body).length, 'maxi');
  // Said shorter: covered too (a mini over the classic engine's stick legs was broken, econ).
  assert.equal(lengthCoveringCurrent(specOf('a red knee length dress'), long, body).length, 'maxi');
  assert.equal(lengthCoveringCurrent(specOf('a black mini skirt'), long, body).length, 'maxi');
  assert.equal(lengthCoveringCurrent(specOf('a black miniskirt'), long, body).length, 'maxi');
  // A length the noun only implies ("pleated skirt" is midi) is still open.
  assert.equal(specOf('a pleated skirt').lengthSaid, false);
  assert.equal(lengthCoveringCurrent(specOf('a pleated skirt'), long, body).length, 'maxi');
  assert.equal(lengthCoveringCurrent(specOf('a red a-line dress'), long, body).cut, 'a_line');
  // Not a dress or skirt.
  assert.deepEqual(lengthCoveringCurrent(specOf('a red t-shirt'), long, body), specOf('a red t-shirt'));
});

test('length: on a person in full-length trousers, a dress of open length is a maxi dress to the ankles; a said length is kept', () => {
  // At its type's knee length it bared shins the classic engine paints as flat slabs (lhm, 2s).
  const trousers = figure(false);
  const body = measureBody(trousers);
  assertMaxiToAnkles(lengthCoveringCurrent(specOf('a red dress'), trousers, body), trousers);
  // Said: kept (the trousers' legs are the classic engine's to draw below it).
  assert.deepEqual(lengthCoveringCurrent(specOf('a red knee length dress'), trousers, body), specOf('a red knee length dress'));
  assert.deepEqual(lengthCoveringCurrent(specOf('a red mini dress'), trousers, body), specOf('a red mini dress'));
});

test('length: on a person in a long skirt, a new dress reaches down over it', async () => {
  const person = figure(true);
  const body = measureBody(person);
  const { result } = await editAnalysedPerson({ model: person.image, prompt: 'a red dress', seed: 2, guidanceScale: 50, steps: 28, diagnostics: true }, person, body);
  // Mid-calf, on the centre line: the new dress, not the old skirt nor a fill.
  const i = 490 * person.image.width + 150;
  const [r, g, b] = result.image.data.subarray(i * 3, i * 3 + 3);
  assert.ok(r > 120 && r > 2 * g && r > 2 * b, `mid-calf is red: ${r},${g},${b}`);
});

test('length: a maxi dress, said or chosen, is drawn long enough to reach the ankles at the placement\'s scale', () => {
  const person = figure(false);
  const body = measureBody(person);
  assertMaxiToAnkles(lengthCoveringCurrent(specOf('a floral maxi dress'), person, body), person);
  // Other said lengths keep their class's own length.
  assert.equal(lengthCoveringCurrent(specOf('a red knee length dress'), person, body).lengthS, undefined);
});

/** Where a prompt's new garment ends and how wide it is at row 500, on the figure in a long flared skirt. */
async function coverOf(prompt: string, flare = 38, swing = 0) {
  const person = figure(true, flare, swing);
  const body = measureBody(person);
  const { result } = await editAnalysedPerson({ model: person.image, prompt, seed: 3, guidanceScale: 50, steps: 28, diagnostics: true }, person, body);
  const newGarment = result.diagnostics?.newGarment;
  assert.ok(newGarment);
  // Drawn the first time at a maxi class's length, the placement (scaled by the waistband) ended
  // it well above the old hem (row 530) and narrower than the old flare (x 70..230 there).
  let lowest = -1;
  for (let y = 0; y < newGarment.height; y++) for (let x = 0; x < newGarment.width; x++) if (newGarment.data[y * newGarment.width + x] >= 128) lowest = y;
  const row = 500;
  let l = -1;
  let r = -1;
  for (let x = 0; x < newGarment.width; x++) {
    if (newGarment.data[row * newGarment.width + x] < 128) continue;
    if (l < 0) l = x;
    r = x;
  }
  // The old skirt there (figure): 84 px at the hips widening by 2·flare px to its hem.
  const t = (row - 290) / 240;
  return { lowest, width: r - l, old: 84 + 2 * flare * t, l, r, oldL: 108 - (flare - swing) * t, oldR: 192 + (flare + swing) * t };
}

test('length: on a person in a long flared skirt, a new skirt of open length and cut reaches its hem and covers its width', async () => {
  const { lowest, width, old } = await coverOf('a green skirt');
  assert.ok(lowest >= 515, `hem at row ${lowest}`);
  assert.ok(width >= 0.85 * old, `${width} px wide at row 500, the old skirt ${old.toFixed(0)}`);
});

test('length: over a long flared skirt, a slip dress (its straight cut only the style\'s usual one) is as wide near the hem as the old skirt', async () => {
  const { width, old } = await coverOf('a green slip dress', 70);
  assert.ok(width >= 0.85 * old, `${width} px wide at row 500, the old skirt ${old.toFixed(0)}`);
});

test('length: a said midi skirt reaches mid-calf at least, however narrow the waistband shows', async () => {
  const person = figure(false);
  const body = measureBody(person);
  const joint = (name: string) => person.pose.keypoints.find((k) => k.name === name)?.y ?? 0;
  const kneeY = (joint('left_knee') + joint('right_knee')) / 2;
  const ankleY = (joint('left_ankle') + joint('right_ankle')) / 2;
  const { result } = await editAnalysedPerson({ model: person.image, prompt: 'a floral midi skirt', seed: 3, guidanceScale: 50, steps: 28, diagnostics: true }, person, body);
  const newGarment = result.diagnostics?.newGarment;
  assert.ok(newGarment);
  let lowest = -1;
  for (let y = 0; y < newGarment.height; y++) for (let x = 0; x < newGarment.width; x++) if (newGarment.data[y * newGarment.width + x] >= 128) lowest = y;
  assert.ok(lowest >= kneeY + 0.35 * (ankleY - kneeY), `hem at row ${lowest}; knee ${kneeY.toFixed(0)}, ankle ${ankleY.toFixed(0)}`);
});

test('length: over a skirt that swings to one side, a new skirt of open cut reaches its farther side too', async () => {
  // Centred on the hips, a skirt as wide as the old one left the old skirt's far side to the
  // classic engine's fill of the floor (econ: a fog right of the hem).
  const { r, oldR } = await coverOf('a green skirt', 38, 30);
  // The figure's hips are centred on x 150; the refit makes up most of a shortfall in one
  // try-on (a skirt half the old one's width from the hips reached 68 of its 102 px).
  assert.ok(r - 150 >= 0.8 * (oldR - 150), `right edge ${r} at row 500, the old skirt's ${oldR.toFixed(0)}`);
});

test('length: full-length trousers on a person in a long skirt are wide legs to its hem and width, placed over it as a skirt is', async () => {
  // Narrow trousers left the old skirt's place to the classic engine's legs and floor: torn
  // trouser legs over a fog of backdrop (econ).
  const { lowest, width, old } = await coverOf('khaki chinos');
  assert.ok(lowest >= 515, `hem at row ${lowest}`);
  assert.ok(width >= 0.85 * old, `${width} px wide at row 500, the old skirt ${old.toFixed(0)}`);
  const long = figure(true);
  const body = measureBody(long);
  const chinos = lengthCoveringCurrent(specOf('khaki chinos'), long, body);
  assert.equal(chinos.overSkirt, true);
  // Leggings and shorts keep their shape; on trousers nothing changes.
  for (const prompt of ['black leggings', 'denim shorts']) assert.deepEqual(lengthCoveringCurrent(specOf(prompt), long, body), specOf(prompt), prompt);
  const trousers = figure(false);
  assert.deepEqual(lengthCoveringCurrent(specOf('khaki chinos'), trousers, measureBody(trousers)), specOf('khaki chinos'));
});

test('length: over a long flared skirt, a said maxi dress or skirt of open cut keeps its length and is as wide near the hem as the old skirt', async () => {
  // Its length said, it was drawn straight: a fog of backdrop either side where the old skirt flared (econ).
  for (const prompt of ['a floral maxi dress', 'a green maxi skirt']) {
    const { width, old } = await coverOf(prompt, 70);
    // (Fitted to the legs below the knee, they were 0.55-0.67 of it.)
    assert.ok(width >= 0.8 * old, `${prompt}: ${width} px wide at row 500, the old skirt ${old.toFixed(0)}`);
  }
  const long = figure(true, 70);
  const body = measureBody(long);
  assert.equal(lengthCoveringCurrent(specOf('a floral maxi dress'), long, body).length, 'maxi');
});

test('length: over a long flared skirt, a said narrow cut gives way: a pencil skirt or bodycon dress is as wide near the hem as the old skirt (a skirt, a dress still)', async () => {
  // Kept narrow, the pencil skirt was a long column in a fog of backdrop and stick legs (econ, 2).
  for (const prompt of ['a red pencil skirt', 'a black lace bodycon dress']) {
    const { width, old } = await coverOf(prompt, 70);
    assert.ok(width >= 0.85 * old, `${prompt}: ${width} px wide at row 500, the old skirt ${old.toFixed(0)}`);
  }
  const long = figure(true, 70);
  const pencil = lengthCoveringCurrent(specOf('a red pencil skirt'), long, measureBody(long));
  assert.equal(pencil.type, 'skirt');
  assert.notEqual(pencil.cut, 'pencil');
});

test('length: over a long flared skirt, a said mini skirt is drawn down to the old hem and as wide (a skirt still)', async () => {
  // Kept a mini, it bared the legs and floor the old skirt hid: stick legs and an orphaned sandal (econ, 1).
  const { lowest, width, old } = await coverOf('a black leather mini skirt', 70);
  assert.ok(lowest >= 515, `hem at row ${lowest}`);
  assert.ok(width >= 0.85 * old, `${width} px wide at row 500, the old skirt ${old.toFixed(0)}`);
});

test('length: over a long flared skirt, a said A-line skirt keeps its cut and is as wide near the hem as the old skirt', async () => {
  // Kept at its cut's own width, the placement fitted it to the legs: a narrow column in a fog of backdrop (econ).
  const { width, old } = await coverOf('a mustard a-line skirt', 70);
  assert.ok(width >= 0.85 * old, `${width} px wide at row 500, the old skirt ${old.toFixed(0)}`);
  const long = figure(true, 70);
  assert.equal(lengthCoveringCurrent(specOf('a mustard a-line skirt'), long, measureBody(long)).cut, 'a_line');
});

test('length: skinny jeans on a person in a long skirt are wide-leg jeans over it (jeans still), leggings stay leggings', async () => {
  // Kept skinny, they were torn black flaps over stick legs (econ, 1).
  const { lowest, width, old } = await coverOf('black skinny jeans');
  assert.ok(lowest >= 515, `hem at row ${lowest}`);
  assert.ok(width >= 0.85 * old, `${width} px wide at row 500, the old skirt ${old.toFixed(0)}`);
  const long = figure(true);
  const jeans = lengthCoveringCurrent(specOf('black skinny jeans'), long, measureBody(long));
  assert.equal(jeans.type, 'jeans');
  assert.equal(jeans.overSkirt, true);
  assert.equal(lengthCoveringCurrent(specOf('black leggings'), long, measureBody(long)).overSkirt, undefined);
});

test('length: a full-length jumpsuit or overalls on a person in a long skirt has wide legs to its hem and width, placed by the shoulders', async () => {
  // With trouser legs, the classic engine drew stick legs where the skirt was and left its flare
  // as a fog of backdrop: econ's overalls were a balloon above the knees (1).
  for (const prompt of ['denim overalls', 'a black jumpsuit']) {
    const { lowest, width, old } = await coverOf(prompt);
    assert.ok(lowest >= 515, `${prompt}: hem at row ${lowest}`);
    // (Fitted to the legs below the knee, they were 0.55-0.67 of it.)
    assert.ok(width >= 0.8 * old, `${prompt}: ${width} px wide at row 500, the old skirt ${old.toFixed(0)}`);
  }
  const long = figure(true);
  const body = measureBody(long);
  const overalls = lengthCoveringCurrent(specOf('denim overalls'), long, body);
  assert.equal(overalls.overSkirt, true);
  assert.equal(overalls.category, 'dresses');
  // A romper keeps its shorts; on trousers nothing changes.
  assert.deepEqual(lengthCoveringCurrent(specOf('a denim romper'), long, body), specOf('a denim romper'));
  const trousers = figure(false);
  assert.deepEqual(lengthCoveringCurrent(specOf('a black jumpsuit'), trousers, measureBody(trousers)), specOf('a black jumpsuit'));
});
