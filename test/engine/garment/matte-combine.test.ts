/**
 * How the learned matte and the colour segmentation are combined (garment/matte.ts), with the
 * matte drawn by hand: what the matte calls backdrop is removed from the colour cut-out only when
 * it looks like backdrop (a shadow, the sweep), not when it is fabric far from the backdrop's
 * colour that the matte lost.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { combineWithMatte } from '../../../src/engine/classic/garment/matte.ts';
import { segmentGarment } from '../../../src/engine/classic/garment/segment.ts';
import { createRaster } from '../../../src/imaging/raster.ts';

const WIDTH = 200;
const HEIGHT = 260;
const BACKDROP = [200, 200, 205] as const;
const inPanel = (x: number, y: number): boolean => x >= 60 && x < 140 && y >= 40 && y < 220;
const inSleeve = (x: number, y: number): boolean => x >= 146 && x < 172 && y >= 50 && y < 200;

/** A black-and-white striped top (panel and a sleeve hanging beside it) on a grey sweep. */
function stripedTop() {
  const image = createRaster(WIDTH, HEIGHT, 3);
  for (let y = 0; y < HEIGHT; y++) {
    for (let x = 0; x < WIDTH; x++) {
      const stripe = Math.floor(y / 8) % 2 === 0 ? [20, 20, 25] : [250, 250, 250];
      image.data.set(inPanel(x, y) || inSleeve(x, y) ? stripe : BACKDROP, (y * WIDTH + x) * 3);
    }
  }
  return image;
}

test('fabric the matte lost stays; a backdrop-coloured region the colour cut kept goes', () => {
  const image = stripedTop();
  const segmentation = segmentGarment(image);
  const at = (mask: Uint8Array, x: number, y: number) => mask[y * WIDTH + x];
  assert.equal(at(segmentation.foreground, 158, 170), 1, 'the colour segmentation finds the whole sleeve');
  // The colour cut also kept a band of sweep under the hem (as it keeps a soft shadow).
  for (let y = 220; y < 232; y++) for (let x = 60; x < 140; x++) segmentation.foreground[y * WIDTH + x] = 1;
  // The matte: the panel and the sleeve's upper half; the sleeve's lower half and the band are backdrop to it.
  const matte = new Uint8Array(WIDTH * HEIGHT);
  for (let y = 0; y < HEIGHT; y++) {
    for (let x = 0; x < WIDTH; x++) matte[y * WIDTH + x] = inPanel(x, y) || (inSleeve(x, y) && y < 120) ? 255 : 0;
  }
  const combined = combineWithMatte(segmentation, matte, WIDTH, HEIGHT);
  assert.equal(combined.source, 'matte');
  assert.equal(at(combined.foreground, 158, 170), 1, 'the striped lower sleeve is kept');
  assert.equal(at(segmentation.foreground, 158, 194), 1);
  assert.equal(at(combined.foreground, 158, 194), 1, 'down to its cuff');
  assert.equal(at(combined.foreground, 100, 226), 0, 'the band of sweep is removed');
  assert.equal(at(combined.foreground, 100, 130), 1);
});
