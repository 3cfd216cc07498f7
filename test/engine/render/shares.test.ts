/**
 * What each rendered pixel is made of (src/engine/classic/render/shares.ts), reported as
 * diagnostics.backgroundFill / photoKept so a transparent input keeps its alpha.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { measureBody } from '../../../src/engine/classic/body/index.ts';
import { finalShares, renderShares } from '../../../src/engine/classic/render/shares.ts';
import { tryOnAnalysedPerson } from '../../../src/engine/classic/tryon.ts';
import { PartLabel } from '../../../src/engine/classic/types.ts';
import { createMask, createRaster, type Mask } from '../../../src/imaging/raster.ts';
import { FIGURE, personInFlaredTop } from '../placement/figure.ts';

function filled(width: number, height: number, value: number): Mask {
  const m = createMask(width, height);
  m.data.fill(value);
  return m;
}

test('render shares: background fill, skin over it, the layer over both', () => {
  const layer = createRaster(4, 1, 4);
  const background = filled(4, 1, 0);
  const skin = filled(4, 1, 0);
  // 0: untouched photo; 1: backdrop fill; 2: skin over a backdrop fill; 3: half-opaque layer over a backdrop fill.
  background.data.set([0, 255, 255, 255]);
  skin.data.set([0, 0, 255, 0]);
  layer.data[3 * 4 + 3] = 128;
  const shares = renderShares(background, skin, layer);
  assert.deepEqual(Array.from(shares.backgroundFill.data), [0, 255, 0, 127]);
  assert.deepEqual(Array.from(shares.photoKept.data), [255, 0, 0, 0]);
});

test('final shares: outside the region the photo is kept whole; inside, the render blends by the region coverage', () => {
  const shares = { backgroundFill: filled(3, 1, 255), photoKept: filled(3, 1, 0) };
  const region = createMask(3, 1);
  region.data.set([0, 255, 102]);
  const out = finalShares(shares, region);
  assert.deepEqual(Array.from(out.backgroundFill.data), [0, 255, 102]);
  assert.deepEqual(Array.from(out.photoKept.data), [255, 0, 153]);
  // A render at a lower resolution is scaled to the region's.
  const big = finalShares({ backgroundFill: filled(2, 2, 255), photoKept: filled(2, 2, 0) }, filled(6, 6, 255));
  assert.equal(big.backgroundFill.width, 6);
  assert.ok(big.backgroundFill.data.every((v) => v === 255));
});

test('try-on of a drawn person whose old top flares past the body: the flare becomes backdrop fill, the rest is drawn or kept', async () => {
  // Arms held out from the body; the old top flares 26 px past each side of the torso.
  const { person, flare } = personInFlaredTop();
  const { width, height } = FIGURE;
  const labels = person.parsing.labels;
  const colours: Record<number, [number, number, number]> = {
    [PartLabel.Background]: [255, 255, 255],
    [PartLabel.Face]: [225, 180, 150],
    [PartLabel.UpperArm]: [220, 175, 145],
    [PartLabel.UpperGarment]: [40, 70, 200],
    [PartLabel.LowerGarment]: [40, 40, 45],
  };
  for (let i = 0; i < width * height; i++) person.image.data.set(colours[labels[i]] ?? [128, 128, 128], i * 3);
  const garment = createRaster(400, 420, 3);
  garment.data.fill(250);
  for (let y = 70; y <= 360; y++) for (let x = 140; x <= 260; x++) garment.data.set([210, 30, 35], (y * 400 + x) * 3);
  const result = await tryOnAnalysedPerson({ model: person.image, garment, category: 'upper_body', diagnostics: true }, person, measureBody(person));

  const background = result.diagnostics?.backgroundFill;
  const photo = result.diagnostics?.photoKept;
  const newGarment = result.diagnostics?.newGarment;
  assert.ok(background && photo && newGarment, 'both shares reported');
  assert.equal(background.width, width);
  assert.equal(photo.height, height);
  let flareFilled = 0;
  let flarePixels = 0;
  for (let i = 0; i < width * height; i++) {
    assert.ok(background.data[i] + photo.data[i] <= 256, `shares add up to at most the whole pixel at ${i}`);
    if (result.repaintMask.data[i] === 0) {
      assert.equal(photo.data[i], 255, `outside the repaint the photo is kept whole at ${i}`);
      assert.equal(background.data[i], 0);
    }
    const x = i % width;
    const y = Math.floor(i / width);
    // Flare pixels the new garment does not cover (it is narrower), away from the soft edges.
    if (flare(x, y) && flare(x - 4, y) && flare(x + 4, y) && flare(x, y - 4) && flare(x, y + 4) && newGarment.data[i] === 0) {
      flarePixels++;
      if (background.data[i] > 200) flareFilled++;
    }
  }
  assert.ok(flarePixels > 300, `${flarePixels} flare pixels left bare by the new garment`);
  assert.ok(flareFilled > 0.95 * flarePixels, `${flareFilled} of ${flarePixels} bare flare pixels filled as backdrop`);
  // The chest, under the new garment, is drawn: no backdrop, no photo.
  const chest = 200 * width + 150;
  assert.equal(background.data[chest], 0);
  assert.equal(photo.data[chest], 0);
});
