/** Exact transforms (src/imaging/transform.ts): each inverse gives the input back bit for bit. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crop, frameWithEdges, mirrorX } from '../../src/imaging/transform.ts';
import type { Mask, Raster } from '../../src/imaging/raster.ts';

function noise(width: number, height: number, channels: 3 | 4): Raster {
  const data = new Uint8Array(width * height * channels);
  for (let i = 0; i < data.length; i++) data[i] = (i * 2654435761) >>> 24;
  return { width, height, channels, data };
}

test('mirrorX moves each pixel (all its channels) to the other side; twice is the input', () => {
  const image = noise(7, 5, 3);
  const once = mirrorX(image);
  for (const [x, y] of [[0, 0], [3, 2], [6, 4]]) {
    const from = (y * 7 + x) * 3;
    const to = (y * 7 + (6 - x)) * 3;
    assert.deepEqual([...once.data.subarray(to, to + 3)], [...image.data.subarray(from, from + 3)]);
  }
  assert.deepEqual(mirrorX(once), image);
});

test('frameWithEdges copies the nearest edge pixel into the border; cropping the border away is the input', () => {
  const mask: Mask = { width: 4, height: 3, data: Uint8Array.from({ length: 12 }, (_, i) => i * 10) };
  const framed = frameWithEdges(mask, 2);
  assert.equal(framed.width, 8);
  assert.equal(framed.height, 7);
  assert.equal(framed.data[0], mask.data[0], 'a corner of the border is the corner pixel');
  assert.equal(framed.data[7 + 8 * 6], mask.data[11]);
  assert.equal(framed.data[3 * 8 + 0], mask.data[4], 'the left border repeats the row\'s first pixel');
  assert.deepEqual(crop(framed, 2, 2, 4, 3), mask);
  const rgba = noise(9, 6, 4);
  assert.deepEqual(crop(frameWithEdges(rgba, 3), 3, 3, 9, 6), rgba);
});

test('crop refuses a region outside the image', () => {
  assert.throws(() => crop(noise(4, 4, 3), 2, 2, 3, 3), /outside/);
});
