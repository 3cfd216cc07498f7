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

/**
 * A pale tee on a pale sweep, as the colour segmentation cuts it there: its outline follows the
 * pixels' noise, a fringe of bumps a few pixels out over the sweep, inside the matte's soft edge
 * band. A dark cord hanging from the hem, which the 320 px matte blurs below its half level, is
 * garment the photo shows clearly.
 */
test('a pale garment\'s fringe over the sweep goes to the matte\'s half level; a dark cord in the matte\'s band stays', async () => {
  const { SHAPES, drawGarment } = await import('./drawn.ts');
  const cord = (x: number, y: number): boolean => x >= 238 && x < 241 && y >= 560 && y < 610;
  const { image, truth } = await drawGarment([SHAPES.tshirt], {
    fill: [252, 252, 252],
    background: [238, 238, 240],
    extras: [{ polygon: [[238, 560], [241, 560], [241, 610], [238, 610]], fill: [40, 40, 45] }],
  });
  const { width, height } = image;
  const segmentation = segmentGarment(image);
  const fg = segmentation.foreground;
  const at = (mask: Uint8Array, x: number, y: number) => mask[y * width + x];
  // The colour cut: the tee and the cord, with bumps 1-3 px out every few pixels along the tee's
  // left side (x = 150) and right sleeve's lower edge.
  for (let p = 0; p < fg.length; p++) fg[p] = truth[p] || cord(p % width, Math.floor(p / width)) ? 1 : 0;
  const bumps: Array<[number, number]> = [];
  for (let y = 240; y < 540; y += 7) for (let d = 1; d <= 3; d++) for (let dy = 0; dy < 3; dy++) { fg[(y + dy) * width + 150 - d] = 1; bumps.push([150 - d, y + dy]); }
  // The matte: the tee inside, a 4 px band at 90 outside its outline (its blurred edge), the cord at 90.
  const matte = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (truth[i]) { matte[i] = 255; continue; }
      let near = false;
      for (let d = 1; d <= 4 && !near; d++) near = (x - d >= 0 && truth[i - d] === 1) || (x + d < width && truth[i + d] === 1);
      matte[i] = near || cord(x, y) ? 90 : 0;
    }
  }
  const combined = combineWithMatte(segmentation, matte, width, height);
  assert.equal(combined.source, 'matte');
  for (const [x, y] of bumps) assert.equal(at(combined.foreground, x, y), 0, `the bump at (${x}, ${y}) is the sweep`);
  assert.equal(at(combined.foreground, 160, 300), 1, 'the tee stays');
  assert.equal(at(combined.foreground, 239, 590), 1, 'the dark cord stays');
});

test('pale fabric the matte lost stays when it is wider than a sliver (a ruffle beside the hem)', async () => {
  const { SHAPES, drawGarment } = await import('./drawn.ts');
  const { image, truth } = await drawGarment([SHAPES.tshirt], { fill: [252, 252, 252], background: [238, 238, 240] });
  const { width, height } = image;
  const segmentation = segmentGarment(image);
  const fg = segmentation.foreground;
  // The colour cut: the tee (its outline faint against the sweep everywhere); the matte calls a
  // 40x30 px piece of its hem, at its left corner, doubtful (90).
  const ruffle = (x: number, y: number): boolean => x >= 150 && x < 190 && y >= 530 && y < 560;
  const matte = new Uint8Array(width * height);
  for (let p = 0; p < fg.length; p++) {
    fg[p] = truth[p];
    matte[p] = truth[p] ? (ruffle(p % width, Math.floor(p / width)) ? 90 : 255) : 0;
  }
  const combined = combineWithMatte(segmentation, matte, width, height);
  assert.equal(combined.source, 'matte');
  assert.equal(combined.foreground[545 * width + 170], 1, 'the ruffle\'s middle stays');
  assert.equal(combined.foreground[545 * width + 160], 1);
});
