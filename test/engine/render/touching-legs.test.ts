/**
 * Between new trouser legs, a narrow gap where the photo shows the old bottom hides legs that touch
 * there (tryon.ts composeIntoPhoto): the new legs are closed over it. Where the photo shows the
 * backdrop between the legs, the gap stays the backdrop.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { measureBody } from '../../../src/engine/classic/body/index.ts';
import { composeIntoPhoto } from '../../../src/engine/classic/tryon.ts';
import { PartLabel } from '../../../src/engine/classic/types.ts';
import { createRaster } from '../../../src/imaging/raster.ts';
import { drawnPerson, FIGURE } from '../placement/figure.ts';

const OLD_DRESS: [number, number, number] = [210, 30, 30];
const NEW_TROUSERS: [number, number, number] = [30, 30, 34];
const BACKDROP: [number, number, number] = [250, 250, 250];

/**
 * The drawn figure with the new trousers laid on it: a block from the waist (row 260) to the
 * crotch (row 330), then two legs with a 5 px gap between them (x 148..152) down to row 540. With
 * `dress`, the old bottom is a straight red dress over the legs (x 96..204, rows 280..540: the photo
 * shows no gap between the legs); without, the legs stand apart in old red trousers with the
 * backdrop between them. Returns the result's pixel at (x, y).
 */
function tryOn(dress: boolean): (x: number, y: number) => number[] {
  const person = drawnPerson();
  const { width, height } = FIGURE;
  const labels = person.parsing.labels;
  const layer = createRaster(width, height, 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (dress && x >= 96 && x <= 204 && y >= 280 && y <= 540) {
        labels[i] = PartLabel.LowerGarment;
        person.personMask.data[i] = 255;
      }
      if (labels[i] === PartLabel.LowerGarment) person.image.data.set(OLD_DRESS, i * 3);
      else if (person.personMask.data[i] < 128) person.image.data.set(BACKDROP, i * 3);
      const inLegs = x >= 98 && x <= 202 && (y < 330 || x < 148 || x > 152);
      if (y >= 260 && y <= 540 && inLegs) layer.data.set([...NEW_TROUSERS, 255], i * 4);
    }
  }
  const body = measureBody(person);
  const out = composeIntoPhoto({ model: person.image, person, body, layer, category: 'lower_body', timings: {}, straightHem: true }).image.data;
  return (x, y) => [...out.slice((y * width + x) * 3, (y * width + x) * 3 + 3)];
}

const dark = (rgb: number[]): boolean => Math.max(...rgb) < 90;

test('a narrow gap between new trouser legs over an old dress is closed with the trousers', () => {
  const at = tryOn(true);
  for (const y of [340, 400, 480]) assert.ok(dark(at(150, y)), `gap at row ${y}: ${at(150, y)}`);
});

test('the gap between new trouser legs over the backdrop between the old legs stays the backdrop', () => {
  const at = tryOn(false);
  for (const y of [400, 480]) assert.ok(Math.min(...at(150, y)) > 200, `gap at row ${y}: ${at(150, y)}`);
});
