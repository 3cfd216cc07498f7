/**
 * Try-on sample views (src/sampling/tryon-variations.ts): the engine sees an equivalent view of the
 * photos, and its result comes back in the photo's own geometry, untouched pixels bit for bit.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EngineResult, TryOnRequest } from '../../src/engine/types.ts';
import type { Mask, Raster } from '../../src/imaging/raster.ts';
import { TRYON_VARIATIONS, tryOnView } from '../../src/sampling/tryon-variations.ts';

const WIDTH = 60;
const HEIGHT = 80;

function photo(width: number, height: number, seed: number): Raster {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < data.length; i++) data[i] = ((i + seed) * 2654435761) >>> 24;
  return { width, height, channels: 3, data };
}

/** An engine that repaints a block at a fixed place of whatever view it is given (left third, upper half). */
function blockEngine(request: TryOnRequest): EngineResult {
  const { width, height } = request.model;
  const image = { ...request.model, data: new Uint8Array(request.model.data) };
  const repaintMask: Mask = { width, height, data: new Uint8Array(width * height) };
  for (let y = 0; y < Math.floor(height / 2); y++) {
    for (let x = 0; x < Math.floor(width / 3); x++) {
      repaintMask.data[y * width + x] = 255;
      image.data.set([250, 0, 0], (y * width + x) * 3);
    }
  }
  return { image, repaintMask, timings: {}, diagnostics: { photoKept: { ...repaintMask, data: repaintMask.data.map((v) => 255 - v) }, chinY: 10 } };
}

test('every view\'s result comes back at the photo\'s size, the photo\'s own pixels wherever the mask is 0', () => {
  const model = photo(WIDTH, HEIGHT, 1);
  const request: TryOnRequest = { model, garment: photo(30, 40, 2), category: 'upper_body', diagnostics: true };
  const masks = new Set<string>();
  for (const variation of TRYON_VARIATIONS) {
    const view = tryOnView(variation, request);
    const result = view.restore(blockEngine(view.request));
    assert.equal(result.image.width, WIDTH, variation);
    assert.equal(result.image.height, HEIGHT, variation);
    assert.equal(result.repaintMask.width, WIDTH);
    assert.equal(result.diagnostics!.photoKept!.width, WIDTH, 'diagnostic masks are mapped back too');
    let kept = 0;
    for (let i = 0; i < WIDTH * HEIGHT; i++) {
      if (result.repaintMask.data[i] !== 0) continue;
      for (let c = 0; c < 3; c++) assert.equal(result.image.data[i * 3 + c], model.data[i * 3 + c], `${variation}: pixel ${i}`);
      kept++;
    }
    assert.ok(kept > WIDTH * HEIGHT / 2, variation);
    masks.add(Buffer.from(result.repaintMask.data).toString('base64'));
  }
  assert.equal(masks.size, TRYON_VARIATIONS.length, 'each view puts the block elsewhere on the photo');
});

test('the as-is view is the request itself; a framed view shifts the chin row back by the frame', () => {
  const request: TryOnRequest = { model: photo(WIDTH, HEIGHT, 3), garment: photo(30, 40, 4), category: 'dresses' };
  assert.equal(tryOnView('as-is', request).request, request);
  const framed = tryOnView('framed', request);
  const margin = (framed.request.model.width - WIDTH) / 2;
  assert.ok(margin > 0);
  assert.equal(framed.request.garment, request.garment, 'the garment photo is not framed');
  assert.equal(framed.restore(blockEngine(framed.request)).diagnostics!.chinY, 10 - margin);
  const mirrored = tryOnView('mirrored', request);
  assert.deepEqual(mirrored.request.garment.data[0], request.garment.data[(30 - 1) * 3], 'the garment is mirrored with the person');
});
