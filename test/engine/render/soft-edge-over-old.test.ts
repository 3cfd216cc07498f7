/**
 * Under the new garment's soft outline the old garment is refilled like everything it leaves bare
 * (tryon.ts OPAQUE_ALPHA): the layer's partly transparent edge blends into what would be there,
 * not into the old garment (specks of an old blue plaid along a white strap's edge, wide 103).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { measureBody } from '../../../src/engine/classic/body/index.ts';
import { composeIntoPhoto } from '../../../src/engine/classic/tryon.ts';
import { PartLabel } from '../../../src/engine/classic/types.ts';
import { createRaster } from '../../../src/imaging/raster.ts';
import { drawnPerson, FIGURE } from '../placement/figure.ts';

const OLD_TOP: [number, number, number] = [40, 70, 200];
const NEW_TOP: [number, number, number] = [60, 60, 60];
/** The new top's last solid row; below it its alpha falls over SOFT_ROWS rows. */
const HEM = 220;
const SOFT_ROWS = 8;

test("the old top does not show through the new top's soft hem", () => {
  const person = drawnPerson();
  const { width, height, torso } = FIGURE;
  const labels = person.parsing.labels;
  for (let i = 0; i < labels.length; i++) if (labels[i] === PartLabel.UpperGarment) person.image.data.set(OLD_TOP, i * 3);
  const layer = createRaster(width, height, 4);
  for (let y = torso.y0; y < HEM + SOFT_ROWS; y++) {
    // Solid down to the hem, then fading: alpha 240, 210, 180, ... (the soft edge a matte gives).
    const alpha = y <= HEM ? 255 : 255 - 30 * (y - HEM) + 15;
    for (let x = torso.x0; x <= torso.x1; x++) layer.data.set([...NEW_TOP, alpha], (y * width + x) * 4);
  }
  const body = measureBody(person);
  const out = composeIntoPhoto({ model: person.image, person, body, layer, category: 'upper_body', timings: {}, exactOutline: true }).image.data;
  // In the soft rows where the layer lets 6-22 % through (alpha 240 and 210), across the torso's middle.
  for (const y of [HEM + 1, HEM + 2]) {
    for (const x of [130, 150, 170]) {
      const i = (y * width + x) * 3;
      // The old top (blue far above red) showing through tints the grey layer blue.
      const blueTint = out[i + 2] - out[i];
      assert.ok(blueTint < 8, `(${x}, ${y}): the old top's blue shows through the soft hem (${out[i]}, ${out[i + 1]}, ${out[i + 2]})`);
    }
  }
});
