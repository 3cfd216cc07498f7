/**
 * A sleeveless top made to be worn over another (a sweater vest, a waistcoat) is laid over the
 * person's own top, which stays where the new one does not cover it (garment/classify.ts
 * wornOverAnotherTop, tryon.ts ComposeInput.wornOver).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { measureBody } from '../../../src/engine/classic/body/index.ts';
import { wornOverAnotherTop } from '../../../src/engine/classic/garment/classify.ts';
import { composeIntoPhoto } from '../../../src/engine/classic/tryon.ts';
import { PartLabel } from '../../../src/engine/classic/types.ts';
import { createRaster } from '../../../src/imaging/raster.ts';
import { drawnPerson, FIGURE } from '../placement/figure.ts';

/** A flat lay's neck and shoulder points: neck line at y 100, shoulders 200 px apart. */
const SHOT = {
  neckLeft: { x: 170, y: 100 },
  neckRight: { x: 230, y: 100 },
  shoulderLeft: { x: 100, y: 110 },
  shoulderRight: { x: 300, y: 110 },
};

test('a sleeveless top whose V opens deep below the neck is worn over the person\'s top; a tank\'s or a sleeved top\'s neckline is not', () => {
  // A buttoned vest's V: 180 px below the neck line, 0.9 shoulder widths.
  assert.equal(wornOverAnotherTop('upper_body', 'none', SHOT, 280, undefined), true);
  // A tank's scoop or a jersey's V: 0.4 shoulder widths.
  assert.equal(wornOverAnotherTop('upper_body', 'none', SHOT, 180, undefined), false);
  assert.equal(wornOverAnotherTop('upper_body', 'none', SHOT, null, undefined), false);
  // A deep V with sleeves (a wrap top) is worn on the skin; a dress is a whole outfit.
  assert.equal(wornOverAnotherTop('upper_body', 'short', SHOT, 280, undefined), false);
  assert.equal(wornOverAnotherTop('dresses', 'none', SHOT, 280, undefined), false);
});

test('what the shop calls it decides too: a sweater vest, a waistcoat or a gilet is worn over; a vest that is a tank top is not', () => {
  assert.equal(wornOverAnotherTop('upper_body', 'none', SHOT, 180, 'Asymmetric intarsia-knit sweater vest with fringed hem'), true);
  assert.equal(wornOverAnotherTop('upper_body', 'none', SHOT, null, 'Tailored waistcoat in wool'), true);
  assert.equal(wornOverAnotherTop('upper_body', 'none', undefined, null, 'Quilted gilet'), true);
  assert.equal(wornOverAnotherTop('upper_body', 'none', SHOT, 180, 'Ribbed cotton vest top'), false);
  assert.equal(wornOverAnotherTop('upper_body', 'none', SHOT, 180, 'light-grey sleeveless muscle tank'), false);
});

const OLD_TOP: [number, number, number] = [40, 70, 200];
const VEST: [number, number, number] = [120, 120, 120];

/**
 * The drawn person in a blue top over the torso (rows 112-259) and a grey vest narrower than it
 * (x 120-180), open in a V down to row 200 between x 140 and 160 at its top.
 */
function scene() {
  const person = drawnPerson();
  const { width, height, torso } = FIGURE;
  const labels = person.parsing.labels;
  const layer = createRaster(width, height, 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (labels[i] === PartLabel.UpperGarment) person.image.data.set(OLD_TOP, i * 3);
      else if (labels[i] === PartLabel.UpperArm) person.image.data.set([220, 175, 145], i * 3);
      const inV = Math.abs(x - 150) < 10 * (1 - (y - torso.y0) / (200 - torso.y0));
      if (x >= 120 && x <= 180 && y >= torso.y0 && y < 250 && !inV) layer.data.set([...VEST, 255], i * 4);
    }
  }
  return { person, layer, width };
}

const isOldTop = (data: Uint8Array, i: number): boolean =>
  Math.abs(data[i * 3] - OLD_TOP[0]) < 12 && Math.abs(data[i * 3 + 1] - OLD_TOP[1]) < 12 && Math.abs(data[i * 3 + 2] - OLD_TOP[2]) < 12;

test("worn over, the person's top stays beside the new one and in its V; replaced, it is taken away there", () => {
  const run = (wornOver: boolean) => {
    const { person, layer, width } = scene();
    const body = measureBody(person);
    const out = composeIntoPhoto({ model: person.image, person, body, layer, category: 'upper_body', timings: {}, wornOver }).image.data;
    // Beside the vest (between its sides and the torso's), in the V's top, below the vest's hem.
    const beside = [140, 180, 220].flatMap((y) => [114, 117, 183, 185].map((x) => y * width + x));
    const inV = [118, 122].flatMap((y) => [148, 150, 152].map((x) => y * width + x));
    const belowHem = [253, 256].flatMap((y) => [130, 150, 170].map((x) => y * width + x));
    const vest = [150, 230].flatMap((y) => [125, 175].map((x) => y * width + x));
    const share = (pixels: number[]) => pixels.filter((i) => isOldTop(out, i)).length / pixels.length;
    return { beside: share(beside), inV: share(inV), belowHem: share(belowHem), vestOld: share(vest) };
  };
  const over = run(true);
  assert.equal(over.beside, 1, 'the old top beside the vest stays');
  assert.equal(over.inV, 1, "the old top in the vest's V stays");
  assert.equal(over.belowHem, 1, "the old top below the vest's hem stays");
  assert.equal(over.vestOld, 0, 'the vest covers the old top where it lies');
  const replaced = run(false);
  assert.ok(replaced.beside < 0.2, `replaced, the old top beside the vest goes (${replaced.beside} stays)`);
  assert.ok(replaced.belowHem < 0.2, `replaced, the old top below the hem goes (${replaced.belowHem} stays)`);
});
