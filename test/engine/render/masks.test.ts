import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  dilateMask, erodeMask, featherMask, intersectMask, resizeMask, subtractMask, unionMask,
} from '../../../src/engine/classic/render/masks.ts';
import { createMask, type Mask } from '../../../src/imaging/raster.ts';

function disc(size: number, cx: number, cy: number, r: number): Mask {
  const m = createMask(size, size);
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) m.data[y * size + x] = 255;
  return m;
}

const count = (m: Mask): number => m.data.reduce((s, v) => s + (v >= 128 ? 1 : 0), 0);

test('featherMask ramps monotonically across the edge and keeps the interior at 255', () => {
  const size = 101;
  const mask = disc(size, 50, 50, 30);
  const soft = featherMask(mask, 6);
  const row = 50 * size;
  for (let x = 50; x < size - 1; x++) assert.ok(soft.data[row + x] >= soft.data[row + x + 1], `not monotone at x=${x}`);
  for (let x = 50; x <= 50 + 30 - 7; x++) assert.equal(soft.data[row + x], 255, `interior x=${x}`);
  assert.ok(soft.data[row + 80] > 60 && soft.data[row + 80] < 200, `edge ${soft.data[row + 80]}`);
  assert.equal(soft.data[row + 88], 0, 'beyond the ramp');
  assert.equal(soft.data[0], 0);
});

test('featherMask inside never reaches outside the original mask', () => {
  const size = 80;
  const mask = disc(size, 40, 40, 25);
  const soft = featherMask(mask, 5, true);
  for (let i = 0; i < mask.data.length; i++) assert.ok(soft.data[i] <= mask.data[i], `pixel ${i}`);
  assert.equal(soft.data[40 * size + 40], 255);
  assert.ok(soft.data[40 * size + 64] < 128, 'the edge pixel is already soft');
});

test('featherMask does not fade a mask along the image border', () => {
  const m = createMask(40, 40);
  for (let y = 20; y < 40; y++) m.data.fill(255, y * 40, y * 40 + 40);
  const soft = featherMask(m, 4);
  assert.equal(soft.data[39 * 40 + 0], 255);
  assert.equal(soft.data[39 * 40 + 20], 255);
});

test('dilateMask and erodeMask grow and shrink by a Euclidean disc', () => {
  const size = 101;
  const grown = dilateMask(disc(size, 50, 50, 20), 10);
  const shrunk = erodeMask(disc(size, 50, 50, 20), 10);
  const expected = (r: number): number => Math.PI * r * r;
  assert.ok(Math.abs(count(grown) - expected(30)) / expected(30) < 0.03, `grown ${count(grown)}`);
  assert.ok(Math.abs(count(shrunk) - expected(10)) / expected(10) < 0.08, `shrunk ${count(shrunk)}`);
  const dot = createMask(21, 21);
  dot.data[10 * 21 + 10] = 255;
  const round = dilateMask(dot, 10);
  assert.equal(round.data[0], 0, 'a disc, not a square: the corner stays out');
  assert.equal(round.data[10 * 21], 255);
});

test('erodeMask does not eat a mask from the image border', () => {
  const m = createMask(30, 30);
  m.data.fill(255);
  assert.equal(count(erodeMask(m, 5)), 900);
});

test('union, intersection and subtraction', () => {
  const a = createMask(3, 1);
  const b = createMask(3, 1);
  a.data.set([255, 100, 0]);
  b.data.set([55, 200, 255]);
  assert.deepEqual(Array.from(unionMask(a, b).data), [255, 200, 255]);
  assert.deepEqual(Array.from(intersectMask(a, b).data), [55, 100, 0]);
  assert.deepEqual(Array.from(subtractMask(a, b).data), [200, 55, 0]);
  assert.throws(() => unionMask(a, createMask(2, 2)), /differ in size/);
});

test('resizeMask up-samples bilinearly with centred pixels', () => {
  const m = createMask(2, 1);
  m.data.set([0, 255]);
  const big = resizeMask(m, 4, 2);
  assert.deepEqual(Array.from(big.data.subarray(0, 4)), [0, 64, 191, 255]);
  assert.deepEqual(Array.from(big.data.subarray(4, 8)), [0, 64, 191, 255]);
  const same = resizeMask(m, 2, 1);
  assert.deepEqual(Array.from(same.data), [0, 255]);
});

test('resizeMask computes only where the mask reaches, and within a box when given one, with the same values', () => {
  // A small blob in a large mask: the result must equal the resize of the whole grid, which is
  // what a plain per-pixel bilinear gives (reference written out here).
  const m = createMask(40, 30);
  for (let y = 11; y < 16; y++) for (let x = 20; x < 27; x++) m.data[y * 40 + x] = (x * 53 + y * 29) % 256;
  const reference = (x: number, y: number, w: number, h: number): number => {
    const at = (i: number, size: number, target: number) => Math.min(Math.max((i + 0.5) * (size / target) - 0.5, 0), size - 1);
    const fx = Math.fround(at(x, 40, w) - Math.floor(at(x, 40, w)));
    const x0 = Math.floor(at(x, 40, w));
    const x1 = Math.min(x0 + 1, 39);
    const y0 = Math.floor(at(y, 30, h));
    const y1 = Math.min(y0 + 1, 29);
    const fy = at(y, 30, h) - y0;
    const top = m.data[y0 * 40 + x0] + (m.data[y0 * 40 + x1] - m.data[y0 * 40 + x0]) * fx;
    const bottom = m.data[y1 * 40 + x0] + (m.data[y1 * 40 + x1] - m.data[y1 * 40 + x0]) * fx;
    return Math.round(top + (bottom - top) * fy);
  };
  const big = resizeMask(m, 131, 97);
  let nonZero = 0;
  for (let y = 0; y < 97; y++) {
    for (let x = 0; x < 131; x++) {
      assert.equal(big.data[y * 131 + x], reference(x, y, 131, 97), `pixel ${x},${y}`);
      if (big.data[y * 131 + x] > 0) nonZero++;
    }
  }
  assert.ok(nonZero > 200);
  const box = { x0: 60, y0: 40, x1: 80, y1: 50 };
  const within = resizeMask(m, 131, 97, box);
  for (let y = 0; y < 97; y++) {
    for (let x = 0; x < 131; x++) {
      const inside = x >= box.x0 && x < box.x1 && y >= box.y0 && y < box.y1;
      assert.equal(within.data[y * 131 + x], inside ? big.data[y * 131 + x] : 0, `pixel ${x},${y}`);
    }
  }
});
