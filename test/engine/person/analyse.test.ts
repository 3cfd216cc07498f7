import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRaster } from '../../../src/imaging/raster.ts';
import { EngineInputError } from '../../../src/engine/types.ts';
import { analysePerson } from '../../../src/engine/classic/person/index.ts';
import { ANALYSIS_LONG_SIDE, PartLabel } from '../../../src/engine/classic/types.ts';
import { drawFigure, HEIGHT, SKIN, WIDTH } from './figure.ts';

test('an empty wall is refused with the contract reason', async () => {
  const image = createRaster(192, 256, 3);
  image.data.fill(225);
  await assert.rejects(analysePerson(image), (error: unknown) => {
    assert.ok(error instanceof EngineInputError);
    assert.match(error.message, /no person found|shoulders and hips/);
    return true;
  });
});

test('non-RGB input is a programming error, not an input error', async () => {
  await assert.rejects(analysePerson(createRaster(8, 8, 4)), (error: unknown) => !(error instanceof EngineInputError));
});

test('a drawn person is analysed end to end at the analysis resolution', async () => {
  const figure = drawFigure();
  const analysis = await analysePerson(figure.image);
  // 240x400 is enlarged so the long side is 1024.
  assert.equal(analysis.image.height, ANALYSIS_LONG_SIDE);
  assert.equal(analysis.image.width, Math.round(WIDTH * analysis.scale));
  assert.ok(Math.abs(analysis.scale - ANALYSIS_LONG_SIDE / HEIGHT) < 1e-9);
  for (const m of [analysis.personMask, analysis.parsing]) {
    assert.equal(m.width, analysis.image.width);
    assert.equal(m.height, analysis.image.height);
  }
  // Shoulders found where they were drawn (in figure pixels, within 6 px).
  for (const name of ['left_shoulder', 'right_shoulder'] as const) {
    const k = analysis.pose.keypoints.find((p) => p.name === name)!;
    const truth = figure.pose.keypoints.find((p) => p.name === name)!;
    assert.ok(Math.hypot(k.x / analysis.scale - truth.x, k.y / analysis.scale - truth.y) < 6, name);
  }
  const label = (p: { x: number; y: number }) =>
    analysis.parsing.labels[Math.round(p.y * analysis.scale) * analysis.image.width + Math.round(p.x * analysis.scale)];
  assert.equal(label(figure.at.chest), PartLabel.UpperGarment);
  assert.equal(label(figure.at.face), PartLabel.Face);
  assert.equal(label(figure.at.wall), PartLabel.Background);
  assert.ok(Math.abs(analysis.skin.rgb[0] - SKIN[0]) < 8);
  for (const stage of ['pose', 'segmentation', 'mask', 'skin', 'parsing']) assert.ok(analysis.timings[stage] >= 0, stage);
});
