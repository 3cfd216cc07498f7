/**
 * The new garment's neckline is its own edge: the old garment's collar above it is not covered by
 * growing the layer (tryon.ts composeIntoPhoto, ComposeInput.neckOpening).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { measureBody } from '../../../src/engine/classic/body/index.ts';
import { composeIntoPhoto } from '../../../src/engine/classic/tryon.ts';
import { PartLabel } from '../../../src/engine/classic/types.ts';
import { createMask, createRaster } from '../../../src/imaging/raster.ts';
import { drawnPerson, FIGURE } from '../placement/figure.ts';

const NEW_TOP: [number, number, number] = [210, 30, 35];

/**
 * The drawn person in an old top with a collar band (rows `collarTop`-111) around a drawn neck, and
 * a new top whose scooped neckline (30 px deep) is cut from the torso's top (with `scooped`; else
 * the layer runs straight across and only the opening mask says where the neckline is).
 */
function scene(collarTop = 100, scooped = true) {
  const person = drawnPerson();
  const { width, height, torso } = FIGURE;
  const labels = person.parsing.labels;
  const colours: Record<number, number[]> = {
    [PartLabel.Background]: [200, 200, 205],
    [PartLabel.Face]: [225, 180, 150],
    [PartLabel.Neck]: [215, 170, 140],
    [PartLabel.UpperArm]: [220, 175, 145],
    [PartLabel.UpperGarment]: [40, 70, 200],
    [PartLabel.LowerGarment]: [40, 40, 45],
  };
  const opening = createMask(width, height);
  const layer = createRaster(width, height, 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (y >= 86 && y < torso.y0 && x >= 138 && x <= 162) labels[i] = PartLabel.Neck;
      if (y >= collarTop && y < torso.y0 && x >= 125 && x <= 175 && !(x >= 138 && x <= 162 && y < collarTop + 4)) labels[i] = PartLabel.UpperGarment;
      if (labels[i] !== PartLabel.Background) person.personMask.data[i] = 255;
      person.image.data.set(colours[labels[i]] ?? [128, 128, 128], i * 3);
      const u = (x - 150) / 30;
      const inOpening = Math.abs(u) < 1 && y >= torso.y0 && y < torso.y0 + 30 * (1 - u * u);
      if (inOpening) opening.data[i] = 255;
      if (!(inOpening && scooped) && x >= torso.x0 && x <= torso.x1 && y >= torso.y0 && y < 260) layer.data.set([...NEW_TOP, 255], i * 4);
    }
  }
  return { person, layer, opening, width };
}

const isNewTop = (data: Uint8Array, i: number): boolean =>
  Math.abs(data[i * 3] - NEW_TOP[0]) < 30 && Math.abs(data[i * 3 + 1] - NEW_TOP[1]) < 30 && Math.abs(data[i * 3 + 2] - NEW_TOP[2]) < 30;

test("the old collar above the new garment's neckline is not covered by growing the new garment over it", () => {
  const run = (withOpening: boolean, collarTop: number, rows: number[], scooped = true) => {
    const { person, layer, opening, width } = scene(collarTop, scooped);
    const body = measureBody(person);
    const result = composeIntoPhoto({
      model: person.image, person, body, layer, category: 'upper_body', timings: {}, neckOpening: withOpening ? opening : undefined,
    });
    return { out: result.image.data, pixels: rows.flatMap((y) => [128, 134, 166, 172].map((x) => y * width + x)) };
  };
  // A tall collar band over a scooped layer: never grown over with the opening (nor, since the
  // sliver cover stopped running along bands that leave the garment sideways, without it; the thin
  // band below is the one where the opening makes the difference).
  const told = run(true, 100, [105, 108, 110]);
  const covered = told.pixels.filter((i) => isNewTop(told.out, i));
  assert.equal(covered.length, 0, `${covered.length} of ${told.pixels.length} collar pixels drawn in the new top's fabric`);
  // A collar band only a few rows tall right on top of the layer, the backdrop right above it: a
  // thin band between the new top and the outside, which is grown over unless the opening says
  // the neckline is there (grown, it stood on the neckline as blocks of fabric).
  const thin = run(true, 107, [108, 110], false);
  assert.equal(thin.pixels.filter((i) => isNewTop(thin.out, i)).length, 0, 'a thin collar band beside the opening is not grown over');
  const untold = run(false, 107, [108, 110], false);
  assert.ok(untold.pixels.filter((i) => isNewTop(untold.out, i)).length >= untold.pixels.length / 4, 'without the opening the thin collar band is grown over');
});
