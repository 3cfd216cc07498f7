import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRaster } from '../../../src/imaging/raster.ts';
import { EngineInputError } from '../../../src/engine/types.ts';
import { analysePerson } from '../../../src/engine/classic/person/index.ts';

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
