/**
 * A chest bared below the old neckline takes the tone of the chest the photo shows above it, not
 * the body's median skin, which is mostly the arms' (tryon.ts composeIntoPhoto, fillSkin's toneAt).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { measureBody } from '../../../src/engine/classic/body/index.ts';
import { composeIntoPhoto } from '../../../src/engine/classic/tryon.ts';
import { PartLabel } from '../../../src/engine/classic/types.ts';
import { createRaster } from '../../../src/imaging/raster.ts';
import { drawnPerson, FIGURE } from '../placement/figure.ts';

const CHEST = [236, 196, 172];
const ARMS = [160, 112, 86];

/** The colour the chest takes 15 px above a bandeau from row 200 down, on the drawn person painted by `colourOf` (label, row). */
function chestUnderBandeau(person: ReturnType<typeof drawnPerson>, colourOf: (label: number, y: number) => number[]): number[] {
  const { width, height, torso } = FIGURE;
  const labels = person.parsing.labels;
  const layer = createRaster(width, height, 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      person.image.data.set(colourOf(labels[i], y), i * 3);
      if (x >= torso.x0 && x <= torso.x1 && y >= 200 && y < 260) layer.data.set([210, 30, 35, 255], i * 4);
    }
  }
  const result = composeIntoPhoto({ model: person.image, person, body: measureBody(person), layer, category: 'upper_body', timings: {} });
  // Deep in the bared chest, 55 px below the old neckline and 15 px above the bandeau.
  const p = (185 * width + 150) * 3;
  return Array.from(result.image.data.subarray(p, p + 3));
}

/** The rest of the drawn person's colours: face, old top, trousers, backdrop. */
function otherColour(label: number): number[] {
  return label === PartLabel.Face ? [225, 180, 150] : label === PartLabel.UpperGarment ? [40, 70, 200]
    : label === PartLabel.LowerGarment ? [40, 40, 45] : [200, 200, 205];
}

const distance = (a: number[], b: number[]) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);

test('a chest bared below the old neckline goes on in the tone of the chest above it, not the darker arms\'', () => {
  const person = drawnPerson();
  const labels = person.parsing.labels;
  // The chest shows above the old top's neckline (rows up to 130); the arms are bare and in shade.
  for (let i = 0; i < labels.length; i++) if (labels[i] === PartLabel.UpperGarment && Math.floor(i / FIGURE.width) < 130) labels[i] = PartLabel.TorsoSkin;
  const got = chestUnderBandeau(person, (label) => (label === PartLabel.TorsoSkin ? CHEST : label === PartLabel.UpperArm ? ARMS : otherColour(label)));
  assert.ok(distance(got, CHEST) < 25, `chest fill ${got}, the chest above ${CHEST}`);
  assert.ok(distance(got, CHEST) < distance(got, ARMS) / 3, `chest fill ${got} nearer the arms' ${ARMS}`);
});

test('a chest bared where the photo shows none takes the face\'s lit tone, not the shadowed neck\'s', () => {
  const person = drawnPerson();
  const { width } = FIGURE;
  const LIT_FACE = [232, 190, 165];
  const SHADED_FACE = [170, 125, 100];
  const NECK = [150, 104, 80];
  // A neck in the chin's shadow between the face and the old top (rows 86-112), which covers the
  // whole chest; the face lit on its upper two thirds.
  for (let y = 86; y < 112; y++) {
    for (let x = 138; x <= 162; x++) {
      person.parsing.labels[y * width + x] = PartLabel.Neck;
      person.personMask.data[y * width + x] = 255;
    }
  }
  const got = chestUnderBandeau(person, (label, y) => (label === PartLabel.Face ? (y < 72 ? LIT_FACE : SHADED_FACE)
    : label === PartLabel.Neck ? NECK : label === PartLabel.UpperArm ? [200, 150, 120] : otherColour(label)));
  assert.ok(distance(got, LIT_FACE) < distance(got, NECK) / 2, `chest fill ${got}: the lit face ${LIT_FACE}, the neck ${NECK}`);
});
