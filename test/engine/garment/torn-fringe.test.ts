/**
 * A white tee's cut-out where the matte misread the photo (it picked only the print) and the colour
 * segmentation stands alone: its outline's torn fringe (bumps, bites, a short crack) is taken off
 * (cutWithMatte), while the garment's own narrow shapes (a strap-wide spur, a long gap) stay.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cutWithMatte } from '../../../src/engine/classic/garment/index.ts';
import { segmentGarment } from '../../../src/engine/classic/garment/segment.ts';
import { SHAPES, drawGarment, iou } from './drawn.ts';

test("a colour-only cut-out's torn fringe is mended, the garment's own shape is not", async () => {
  const { image, truth } = await drawGarment([SHAPES.tshirt], { fill: [120, 130, 150] });
  const { width, height } = image;
  const segmentation = segmentGarment(image);
  const fg = segmentation.foreground;
  const set = (x0: number, y0: number, w: number, h: number, v: 0 | 1): void => {
    for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) fg[y * width + x] = v;
  };
  // The hem's lowest row and the left side's outermost column.
  let hemY = 0;
  for (let y = 0; y < height; y++) if (fg[y * width + 240]) hemY = y;
  let sideX = width;
  for (let x = 0; x < width; x++) if (fg[400 * width + x]) { sideX = x; break; }
  // Torn: bumps 3x3 px below the hem, bites 3x3 px into it, a crack 2 px wide and 10 deep into the side.
  const bumps: Array<[number, number]> = [];
  const bites: Array<[number, number]> = [];
  for (let x = 160; x < 230; x += 20) bumps.push([x, hemY + 1]);
  for (let x = 170; x < 230; x += 20) bites.push([x, hemY - 2]);
  for (const [x, y] of bumps) set(x, y, 3, 3, 1);
  for (const [x, y] of bites) set(x, y, 3, 3, 0);
  set(sideX, 420, 10, 2, 0);
  // The garment's own shape: a spur as wide as a strap (10 px, 60 long) out of the hem stays.
  set(270, hemY + 1, 10, 60, 1);
  // The matte picked the print alone: it disagrees wildly, and the colour cut is used.
  const matte = new Uint8Array(width * height);
  for (let y = 300; y < 360; y++) for (let x = 220; x < 260; x++) matte[y * width + x] = 255;
  const cut = cutWithMatte(segmentation, matte, width, height);
  for (const [x, y] of bumps) assert.equal(cut[(y + 1) * width + x + 1], 0, `bump at (${x}, ${y}) taken off`);
  for (const [x, y] of bites) assert.equal(cut[(y + 1) * width + x + 1], 1, `bite at (${x}, ${y}) filled`);
  assert.equal(cut[421 * width + sideX + 4], 1, 'crack filled');
  assert.equal(cut[(hemY + 40) * width + 275], 1, 'the strap-wide spur stays');
  assert.ok(iou(cut, truth) > 0.97, `IoU ${iou(cut, truth)}`);
});
