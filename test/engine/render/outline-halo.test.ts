/**
 * The light rim a retouched photo leaves around the person's outline (tryon.ts OUTLINE_HALO):
 * where the old garment is refilled as backdrop, its rim goes with it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { measureBody } from '../../../src/engine/classic/body/index.ts';
import { tryOnAnalysedPerson } from '../../../src/engine/classic/tryon.ts';
import { squaredDistanceToSet } from '../../../src/engine/classic/render/masks.ts';
import { PartLabel } from '../../../src/engine/classic/types.ts';
import { createRaster } from '../../../src/imaging/raster.ts';
import { FIGURE, personInFlaredTop } from '../placement/figure.ts';

test("the old top's light rim off the person, beside a narrower new top, is refilled as backdrop, not left as a line", async () => {
  // Arms held out from the body; the old top flares 26 px past each side of the torso.
  const { person } = personInFlaredTop();
  const { width, height, torso } = FIGURE;
  const labels = person.parsing.labels;
  const backdrop = [200, 200, 205];
  const colours: Record<number, number[]> = {
    [PartLabel.Background]: backdrop,
    [PartLabel.Face]: [225, 180, 150],
    [PartLabel.UpperArm]: [220, 175, 145],
    [PartLabel.UpperGarment]: [40, 70, 200],
    [PartLabel.LowerGarment]: [40, 40, 45],
  };
  for (let i = 0; i < width * height; i++) person.image.data.set(colours[labels[i]] ?? [128, 128, 128], i * 3);
  // A light rim 3-4 px outside the old top, on the backdrop, where the person mask stops short of it.
  const inTop = Uint8Array.from(labels, (v) => (v === PartLabel.UpperGarment ? 1 : 0));
  const toTop = squaredDistanceToSet(inTop, width, height);
  const rim: number[] = [];
  for (let i = 0; i < width * height; i++) {
    const x = i % width;
    const y = Math.floor(i / width);
    if (labels[i] !== PartLabel.Background || toTop[i] < 9 || toTop[i] > 16 || y < 222 || y > 250) continue;
    if (!(x < torso.x0 - 20 || x > torso.x1 + 20)) continue;
    person.image.data.set([250, 250, 250], i * 3);
    rim.push(i);
  }
  assert.ok(rim.length > 40, `${rim.length} rim pixels drawn`);
  const garment = createRaster(400, 420, 3);
  garment.data.fill(250);
  for (let y = 70; y <= 360; y++) for (let x = 140; x <= 260; x++) garment.data.set([210, 30, 35], (y * 400 + x) * 3);
  const result = await tryOnAnalysedPerson({ model: person.image, garment, category: 'upper_body' }, person, measureBody(person));
  const out = result.image.data;
  const light = rim.filter((i) => out[i * 3] > (backdrop[0] + 250) / 2).length;
  assert.ok(light < 0.1 * rim.length, `${light} of ${rim.length} rim pixels still light`);
});
