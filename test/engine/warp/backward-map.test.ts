import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  identityWarpMap, resizeWarpMap, tpsWarpMap,
} from '../../../src/engine/classic/warp/backward-map.ts';
import { applyTps, fitTps } from '../../../src/engine/classic/warp/tps.ts';

test('tpsWarpMap on an 8 px grid stays within 0.5 px of exact evaluation on a body-scale warp', () => {
  const width = 384;
  const height = 512;
  // Target (body) points and where they read in a 300×400 product shot: a garment pulled in at the
  // waist, flared at the hem and shifted, as a real fit would do.
  const target = [
    { x: 120, y: 130 }, { x: 265, y: 128 }, { x: 135, y: 210 }, { x: 250, y: 212 },
    { x: 145, y: 300 }, { x: 240, y: 302 }, { x: 130, y: 400 }, { x: 258, y: 398 }, { x: 192, y: 120 },
  ];
  const source = [
    { x: 40, y: 40 }, { x: 260, y: 40 }, { x: 45, y: 150 }, { x: 255, y: 150 },
    { x: 60, y: 260 }, { x: 240, y: 260 }, { x: 30, y: 390 }, { x: 270, y: 390 }, { x: 150, y: 25 },
  ];
  const tps = fitTps(target, source);
  const map = tpsWarpMap(tps, width, height, undefined, 8);
  let worst = 0;
  for (let y = 0; y < height; y += 3) {
    for (let x = 0; x < width; x += 3) {
      const exact = applyTps(tps, { x, y });
      const i = y * width + x;
      worst = Math.max(worst, Math.abs(map.x[i] - exact.x), Math.abs(map.y[i] - exact.y));
    }
  }
  assert.ok(worst < 0.5, `worst interpolation error ${worst} px`);
});

test('tpsWarpMap leaves pixels outside the region empty and is exact at grid nodes', () => {
  const tps = fitTps([{ x: 0, y: 0 }, { x: 50, y: 0 }, { x: 0, y: 50 }, { x: 40, y: 40 }], [{ x: 3, y: 1 }, { x: 55, y: 2 }, { x: 1, y: 49 }, { x: 47, y: 44 }]);
  const map = tpsWarpMap(tps, 64, 64, { x: 10, y: 12, width: 30, height: 20 }, 8);
  assert.ok(Number.isNaN(map.x[0]) && Number.isNaN(map.y[0]));
  assert.ok(Number.isNaN(map.x[11 * 64 + 20]), 'row above the region');
  assert.ok(Number.isNaN(map.x[20 * 64 + 40]), 'column right of the region');
  const exact = applyTps(tps, { x: 18, y: 20 });
  assert.ok(Math.abs(map.x[20 * 64 + 18] - exact.x) < 1e-3 && Math.abs(map.y[20 * 64 + 18] - exact.y) < 1e-3);
  const last = applyTps(tps, { x: 39, y: 31 });
  assert.ok(Math.abs(map.x[31 * 64 + 39] - last.x) < 1e-3, 'the region\'s last pixel is a node too');
});

test('resizeWarpMap keeps source coordinates and interpolates between output pixels', () => {
  const map = identityWarpMap(10, 10);
  const big = resizeWarpMap(map, 20, 20);
  // Output pixel 5 of 20 sits at (5 + 0.5)/2 − 0.5 = 2.25 of the 10-wide map.
  assert.ok(Math.abs(big.x[3 * 20 + 5] - 2.25) < 1e-6);
  assert.ok(Math.abs(big.y[5 * 20 + 3] - 2.25) < 1e-6);
  map.x[0] = NaN;
  map.y[0] = NaN;
  const edged = resizeWarpMap(map, 20, 20);
  assert.ok(Number.isNaN(edged.x[0]), 'nearest neighbour of an empty pixel stays empty');
  assert.ok(!Number.isNaN(edged.x[2]), 'a pixel nearer a defined neighbour takes it');
});
