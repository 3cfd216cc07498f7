/**
 * `category: "auto"`: drawn product shots of each kind of garment get their category from the
 * outline alone: tops (tee, tank, long sleeves hanging beside the body) upper_body; trousers,
 * shorts and a skirt lower_body; a dress dresses. Also with a drop shadow, noise and JPEG.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decideCategory } from '../../src/garment-category/decide.ts';
import { drawGarment, HANGING, SHAPES, type Vertex } from '../engine/garment/drawn.ts';

const cases: Array<[string, Vertex[][], string]> = [
  ['tee', [SHAPES.tshirt], 'upper_body'],
  ['tank top', [SHAPES.tank], 'upper_body'],
  ['long sleeves hanging', [SHAPES.longSleeveHanging], 'upper_body'],
  ['sleeves hanging apart from the body', HANGING.thinGap, 'upper_body'],
  ['sleeves touching the body', HANGING.touching, 'upper_body'],
  ['trousers', [SHAPES.trousers], 'lower_body'],
  ['shorts', [SHAPES.shorts], 'lower_body'],
  ['skirt', [SHAPES.skirt], 'lower_body'],
  ['dress', [SHAPES.dress], 'dresses'],
];

describe('decideCategory', () => {
  for (const [name, polygons, expected] of cases) {
    it(`a drawn ${name} is ${expected}`, async () => {
      const plain = await drawGarment(polygons);
      assert.equal(decideCategory(plain.image).category, expected, JSON.stringify(decideCategory(plain.image).measures));
      const photo = await drawGarment(polygons, { shadow: { dx: 6, dy: 8, blur: 6, opacity: 0.25 }, noise: 4, jpeg: 85, fill: [150, 40, 50] });
      assert.equal(decideCategory(photo.image).category, expected, JSON.stringify(decideCategory(photo.image).measures));
    });
  }
});
