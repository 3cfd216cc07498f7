/**
 * Bared skin takes the photo's light on the old garment at the body's scale (tryon.ts borrowLight,
 * composeIntoPhoto): a shadow across the old top (where an arm hangs against the body, the side
 * of the chest turned from the light) stays on the skin painted where the top was.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { measureBody } from '../../../src/engine/classic/body/index.ts';
import { borrowLight, composeIntoPhoto } from '../../../src/engine/classic/tryon.ts';
import { PartLabel } from '../../../src/engine/classic/types.ts';
import { createFloatMap, createMask, createRaster } from '../../../src/imaging/raster.ts';
import { SRGB_TO_LINEAR } from '../../../src/imaging/colour.ts';
import { drawnPerson, FIGURE } from '../placement/figure.ts';

const TOP = [120, 130, 160];
/** The same cloth in a soft shadow a band of columns wide. */
const TOP_IN_SHADE = [100, 108, 136];
const SHADE = { x0: 124, x1: 140 };

function colourOf(label: number, x: number): number[] {
  if (label === PartLabel.UpperGarment) return x >= SHADE.x0 && x < SHADE.x1 ? TOP_IN_SHADE : TOP;
  return label === PartLabel.Face || label === PartLabel.Neck || label === PartLabel.UpperArm || label === PartLabel.LowerArm || label === PartLabel.Hand
    ? [225, 180, 150] : label === PartLabel.LowerGarment ? [40, 40, 45] : [200, 200, 205];
}

/** Mean linear luminance of the result over columns x0..x1 (exclusive) and rows y0..y1. */
function light(image: { data: Uint8Array }, x0: number, x1: number, y0: number, y1: number): number {
  let sum = 0;
  let n = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const p = (y * FIGURE.width + x) * 3;
      sum += 0.2126 * SRGB_TO_LINEAR[image.data[p]] + 0.7152 * SRGB_TO_LINEAR[image.data[p + 1]] + 0.0722 * SRGB_TO_LINEAR[image.data[p + 2]];
      n++;
    }
  }
  return sum / n;
}

test('a chest bared where the old top lay in shade keeps that shade; the mirror side, lit, does not', () => {
  const person = drawnPerson();
  const { width, height, torso } = FIGURE;
  const labels = person.parsing.labels;
  const layer = createRaster(width, height, 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      person.image.data.set(colourOf(labels[i], x), i * 3);
      // A bandeau from row 200 down: the chest above it is bared.
      if (x >= torso.x0 && x <= torso.x1 && y >= 200 && y < 260) layer.data.set([210, 30, 35, 255], i * 4);
    }
  }
  const result = composeIntoPhoto({ model: person.image, person, body: measureBody(person), layer, category: 'upper_body', timings: {} });
  // The shaded band and its mirror image about the body's middle (x = 150), on the bared chest.
  const shaded = light(result.image, SHADE.x0 + 4, SHADE.x1 - 4, 150, 190);
  const lit = light(result.image, 300 - SHADE.x1 + 4, 300 - SHADE.x0 - 4, 150, 190);
  assert.ok(shaded < 0.985 * lit, `shaded ${shaded.toFixed(4)}, lit ${lit.toFixed(4)}`);
  assert.ok(shaded > 0.75 * lit, `a soft shadow, not a stripe: shaded ${shaded.toFixed(4)}, lit ${lit.toFixed(4)}`);
});

test('borrowLight: only on the bared skin, and less of a printed top\'s light than of a plain one\'s', () => {
  const w = 40;
  const h = 20;
  const skin = createMask(w, h);
  const old = createMask(w, h);
  old.data.fill(255);
  for (let i = 0; i < w * h; i++) if (i % w < 20) skin.data[i] = 255;
  const plain = createFloatMap(w, h);
  plain.data.fill(1);
  // One pixel in shade on the skin and one off it.
  plain.data[5 * w + 10] = 0.8;
  plain.data[5 * w + 30] = 0.8;
  const shading = createFloatMap(w, h);
  shading.data.fill(1);
  borrowLight(shading, skin, plain, old, 0.5);
  assert.ok(Math.abs(shading.data[5 * w + 10] - 0.9) < 1e-6, `on the skin ${shading.data[5 * w + 10]}`);
  assert.equal(shading.data[5 * w + 30], 1, 'off the skin');
  // A print: light swinging ±0.3 over the whole top.
  const printed = createFloatMap(w, h);
  for (let i = 0; i < w * h; i++) printed.data[i] = i % 2 ? 1.3 : 0.7;
  const onPrint = createFloatMap(w, h);
  onPrint.data.fill(1);
  borrowLight(onPrint, skin, printed, old, 0.5);
  assert.ok(Math.abs(onPrint.data[0] - 1) < 0.05, `a print's light is mostly left out: ${onPrint.data[0]}`);
});
