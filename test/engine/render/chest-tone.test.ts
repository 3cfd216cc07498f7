/**
 * A chest bared below the old neckline takes the tone of the chest the photo shows above it, not
 * the body's median skin, which is mostly the arms' (tryon.ts composeIntoPhoto, fillSkin's toneAt);
 * and the photo's light on the old top at the body's scale (borrowLight).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { measureBody } from '../../../src/engine/classic/body/index.ts';
import { composeIntoPhoto } from '../../../src/engine/classic/tryon.ts';
import { PartLabel } from '../../../src/engine/classic/types.ts';
import { createRaster, type Raster } from '../../../src/imaging/raster.ts';
import { SRGB_TO_LINEAR } from '../../../src/imaging/colour.ts';
import { drawnPerson, FIGURE } from '../placement/figure.ts';

const CHEST = [236, 196, 172];
const ARMS = [160, 112, 86];

/** The drawn person painted by `colourOf` (label, row, column) in a bandeau from row 200 down: the try-on's image. */
function inBandeau(person: ReturnType<typeof drawnPerson>, colourOf: (label: number, y: number, x: number) => number[]): Raster {
  const { width, height, torso } = FIGURE;
  const labels = person.parsing.labels;
  const layer = createRaster(width, height, 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      person.image.data.set(colourOf(labels[i], y, x), i * 3);
      if (x >= torso.x0 && x <= torso.x1 && y >= 200 && y < 260) layer.data.set([210, 30, 35, 255], i * 4);
    }
  }
  return composeIntoPhoto({ model: person.image, person, body: measureBody(person), layer, category: 'upper_body', timings: {} }).image;
}

/** The colour the chest takes 15 px above a bandeau from row 200 down, on the drawn person painted by `colourOf` (label, row). */
function chestUnderBandeau(person: ReturnType<typeof drawnPerson>, colourOf: (label: number, y: number) => number[]): number[] {
  // Deep in the bared chest, 55 px below the old neckline and 15 px above the bandeau.
  const p = (185 * FIGURE.width + 150) * 3;
  return Array.from(inBandeau(person, colourOf).data.subarray(p, p + 3));
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

/** Mean linear luminance of `image` over columns x0..x1 (exclusive) and rows y0..y1. */
function meanLight(image: Raster, x0: number, x1: number, y0: number, y1: number): number {
  let sum = 0;
  let n = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const p = (y * image.width + x) * 3;
      sum += 0.2126 * SRGB_TO_LINEAR[image.data[p]] + 0.7152 * SRGB_TO_LINEAR[image.data[p + 1]] + 0.0722 * SRGB_TO_LINEAR[image.data[p + 2]];
      n++;
    }
  }
  return sum / n;
}

test('a chest bared where the old top lay in shade keeps that shade; the mirror side, lit, does not', () => {
  const TOP = [120, 130, 160];
  // The same cloth in a soft shadow a band of columns wide.
  const TOP_IN_SHADE = [100, 108, 136];
  const SHADE = { x0: 124, x1: 140 };
  const image = inBandeau(drawnPerson(), (label, _y, x) => (label === PartLabel.UpperGarment ? (x >= SHADE.x0 && x < SHADE.x1 ? TOP_IN_SHADE : TOP)
    : label === PartLabel.Face || label === PartLabel.Neck || label === PartLabel.UpperArm || label === PartLabel.LowerArm || label === PartLabel.Hand
      ? [225, 180, 150] : otherColour(label)));
  // The shaded band and its mirror image about the body's middle (x = 150), on the bared chest.
  const shaded = meanLight(image, SHADE.x0 + 4, SHADE.x1 - 4, 150, 190);
  const lit = meanLight(image, 300 - SHADE.x1 + 4, 300 - SHADE.x0 - 4, 150, 190);
  assert.ok(shaded < 0.985 * lit, `shaded ${shaded.toFixed(4)}, lit ${lit.toFixed(4)}`);
  assert.ok(shaded > 0.75 * lit, `a soft shadow, not a stripe: shaded ${shaded.toFixed(4)}, lit ${lit.toFixed(4)}`);
});
