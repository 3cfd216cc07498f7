import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRaster } from '../../src/imaging/raster.ts';
import { segmentPerson } from '../../src/vision/segmentation.ts';

for (const model of ['selfie', 'meet'] as const) {
  test(`${model}: a probability mask the size of the image`, async () => {
    const image = createRaster(75, 100, 3);
    image.data.fill(235);
    const mask = await segmentPerson(image, { model });
    assert.equal(mask.width, 75);
    assert.equal(mask.height, 100);
    assert.equal(mask.data.length, 75 * 100);
    // A blank wall holds no person.
    const mean = mask.data.reduce((s, v) => s + v, 0) / mask.data.length;
    assert.ok(mean < 128, `mean ${mean}`);
  });
}

test('segmentPerson refuses a non-RGB raster', async () => {
  await assert.rejects(segmentPerson(createRaster(8, 8, 1)), /RGB/);
});
