import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRaster, type Raster } from '../../../src/imaging/raster.ts';
import type { BodyFrame } from '../../../src/engine/classic/body/index.ts';
import { analysePersonOnce, forgetPersonAnalysis, type AnalysedPerson } from '../../../src/engine/classic/person-cache.ts';
import type { PersonAnalysis } from '../../../src/engine/classic/types.ts';

/** A stand-in analysis that counts its calls and, like the real one at 1024 px, holds the photo as its image. */
function counting(): { analyse: (model: Raster) => Promise<AnalysedPerson>; calls: () => number } {
  let calls = 0;
  return {
    analyse: async (model) => {
      calls++;
      return { person: { image: model, scale: 1 } as unknown as PersonAnalysis, body: {} as BodyFrame };
    },
    calls: () => calls,
  };
}

function photo(value: number): Raster {
  const image = createRaster(6, 8, 3);
  image.data.fill(value);
  return image;
}

test('the same photo (equal bytes, a new buffer) is analysed once; another photo anew', async () => {
  forgetPersonAnalysis();
  const { analyse, calls } = counting();
  const first = await analysePersonOnce(photo(10), analyse);
  const again = await analysePersonOnce(photo(10), analyse);
  assert.equal(first.fresh, true);
  assert.equal(again.fresh, false);
  assert.equal(calls(), 1);
  assert.deepEqual(again.person.image.data, first.person.image.data);
  const other = await analysePersonOnce(photo(11), analyse);
  assert.equal(other.fresh, true);
  assert.equal(calls(), 2);
  // Same bytes at another size is another photo.
  const wide = createRaster(8, 6, 3);
  wide.data.fill(11);
  assert.equal((await analysePersonOnce(wide, analyse)).fresh, true);
  forgetPersonAnalysis();
});

test('a caller reusing its buffer for the next photo does not change the kept analysis', async () => {
  forgetPersonAnalysis();
  const { analyse } = counting();
  const buffer = photo(10);
  await analysePersonOnce(buffer, analyse);
  buffer.data.fill(99);
  const again = await analysePersonOnce(photo(10), analyse);
  assert.equal(again.fresh, false);
  assert.ok(again.person.image.data.every((v) => v === 10));
  forgetPersonAnalysis();
});

test('a failed analysis is not kept', async () => {
  forgetPersonAnalysis();
  await assert.rejects(analysePersonOnce(photo(5), async () => Promise.reject(new Error('no person'))));
  const { analyse, calls } = counting();
  assert.equal((await analysePersonOnce(photo(5), analyse)).fresh, true);
  assert.equal(calls(), 1);
  forgetPersonAnalysis();
});
