import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMask, createRaster, type Mask, type Raster } from '../../../src/imaging/raster.ts';
import { continueSeenArms } from '../../../src/engine/classic/render/arm-continuation.ts';

const W = 100;
const H = 200;
/** A vertical arm from the shoulder (y 10) through the elbow (y 110) to the wrist (y 190), x 40..60. */
const ARM = { x0: 40, x1: 60 };
const capsule = { joints: [{ x: 50, y: 10 }, { x: 50, y: 110 }, { x: 50, y: 190 }, { x: 50, y: 200 }], radii: [10.5, 10.5, 10.5, 10.5] };
/** The old sleeve ended at y 96: the arm above is bared, below it the photo shows it. */
const HEM_Y = 96;
const BARED_TOP = 20;
const hem = { at: (HEM_Y - 10) / 100, halfWidth: 10.5, offset: 0 };
const SLAB: [number, number, number] = [200, 160, 130];

/** The photo: grey backdrop, the arm below the hem lit from the image's right (darker at its left silhouette), with a grain along it. */
function photo(seen: (x: number, y: number) => [number, number, number]): Raster {
  const image = createRaster(W, H, 3);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const onArm = x >= ARM.x0 && x <= ARM.x1;
      const rgb: [number, number, number] = !onArm ? [200, 200, 200] : y >= HEM_Y ? seen(x, y) : [60, 150, 160];
      image.data.set(rgb, (y * W + x) * 3);
    }
  }
  return image;
}

const skinArm = (x: number, y: number): [number, number, number] => {
  const grain = ((y * 7919) % 13) - 6;
  const across = 3 * (x - ARM.x0);
  return [140 + across + grain, 100 + across * 0.7 + grain, 80 + across * 0.5 + grain];
};

/** The canvas after the old sleeve was painted over with a flat skin tone (the slab), and the bared skin's mask. */
function paintedSlab(image: Raster): { canvas: Raster; bared: Mask } {
  const canvas = createRaster(W, H, 3);
  canvas.data.set(image.data);
  const bared = createMask(W, H);
  for (let y = BARED_TOP; y < HEM_Y; y++) {
    for (let x = ARM.x0; x <= ARM.x1; x++) {
      bared.data[y * W + x] = 255;
      canvas.data.set(SLAB, (y * W + x) * 3);
    }
  }
  return { canvas, bared };
}

const isArmSkin = (x: number, y: number): boolean => x >= ARM.x0 && x <= ARM.x1 && y >= HEM_Y && y < H;
const armAt = (bared: Mask) => (i: number): number => (bared.data[i] ? 0 : -1);

test('a bared upper arm continues the arm skin the photo shows below the old sleeve: its light across the arm and its grain', () => {
  const image = photo(skinArm);
  const { canvas, bared } = paintedSlab(image);
  continueSeenArms(canvas, image, bared, [capsule], armAt(bared), [hem], isArmSkin);
  const at = (x: number, y: number) => Array.from(canvas.data.subarray((y * W + x) * 3, (y * W + x) * 3 + 3));
  // Lit as the seen arm is: its left silhouette darker than its right by what the photo shows below.
  const y = 60;
  const left = at(ARM.x0 + 1, y)[0];
  const right = at(ARM.x1 - 1, y)[0];
  assert.ok(right - left > 40, `right ${right} vs left ${left}: the seen arm's light across it`);
  // The seen skin's grain runs on up the arm (the slab was one flat colour).
  const column = [];
  for (let r = 40; r < 90; r++) column.push(at(50, r)[1]);
  const mean = column.reduce((a, b) => a + b, 0) / column.length;
  const spread = Math.sqrt(column.reduce((a, b) => a + (b - mean) ** 2, 0) / column.length);
  assert.ok(spread > 2, `grain along the arm: spread ${spread.toFixed(2)}`);
  // Right above the hem it is the skin right below it, not the slab.
  const above = at(50, HEM_Y - 3);
  const below = at(50, HEM_Y + 12);
  assert.ok(Math.abs(above[0] - below[0]) < 15, `above the hem ${above}, below ${below}`);
  // Off the arm nothing changes.
  assert.deepEqual(at(20, 60), [200, 200, 200]);
  // Near the shoulder it fades into the painted skin (which joins the torso's).
  const offSlab = (rgb: number[]) => Math.hypot(rgb[0] - SLAB[0], rgb[1] - SLAB[1], rgb[2] - SLAB[2]);
  assert.ok(offSlab(at(50, BARED_TOP)) < 0.5 * offSlab(at(50, 60)), `at the shoulder ${at(50, BARED_TOP)}, halfway ${at(50, 60)}`);
});

test('an arm "seen" below the sleeve that is not skin (a striped cuff, a glove) is not copied: the painted skin stays', () => {
  const image = photo((x, y) => ((y >> 2) % 2 ? [40, 60, 160] : [230, 230, 240]));
  const { canvas, bared } = paintedSlab(image);
  const before = canvas.data.slice();
  continueSeenArms(canvas, image, bared, [capsule], armAt(bared), [hem], isArmSkin);
  assert.deepEqual(canvas.data, before);
});

test('too little arm skin below the hem (a wrist) is not copied', () => {
  const image = photo(skinArm);
  const { canvas, bared } = paintedSlab(image);
  const before = canvas.data.slice();
  const wristOnly = (x: number, y: number): boolean => isArmSkin(x, y) && y < HEM_Y + 12;
  continueSeenArms(canvas, image, bared, [capsule], armAt(bared), [hem], wristOnly);
  assert.deepEqual(canvas.data, before);
});
