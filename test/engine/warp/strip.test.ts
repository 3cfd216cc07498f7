import assert from 'node:assert/strict';
import { test } from 'node:test';
import { warpMapCoverage } from '../../../src/engine/classic/warp/backward-map.ts';
import { ribbonOutline, stripWarpMap } from '../../../src/engine/classic/warp/strip.ts';

// A straight sleeve on the product shot (horizontal, shoulder at the left, 20 px wide)...
const sleeve = { centre: [{ x: 10, y: 50 }, { x: 70, y: 50 }, { x: 130, y: 50 }], halfWidths: [10, 10, 10] };
// ...onto an arm bent at the elbow: down from the shoulder, then right along the forearm.
const arm = { centre: [{ x: 40, y: 20 }, { x: 40, y: 80 }, { x: 100, y: 80 }], halfWidths: [12, 12, 8] };
const W = 140;
const H = 110;

test('stripWarpMap maps the bent arm\'s centreline onto the straight sleeve\'s centreline', () => {
  const map = stripWarpMap(sleeve, arm, W, H);
  // Upper arm: (40, y) for y in 20..80 reads source (10 + (y − 20), 50).
  for (let y = 22; y <= 78; y += 4) {
    const i = y * W + 40;
    assert.ok(Math.abs(map.y[i] - 50) < 1e-3, `upper arm y=${y}: source y ${map.y[i]}`);
    assert.ok(Math.abs(map.x[i] - (10 + (y - 20))) < 1e-3, `upper arm y=${y}: source x ${map.x[i]}`);
  }
  // Forearm: (x, 80) for x in 40..100 reads source (70 + (x − 40), 50).
  for (let x = 44; x <= 98; x += 6) {
    const i = 80 * W + x;
    assert.ok(Math.abs(map.y[i] - 50) < 1e-3, `forearm x=${x}: source y ${map.y[i]}`);
    assert.ok(Math.abs(map.x[i] - (70 + (x - 40))) < 1e-3, `forearm x=${x}: source x ${map.x[i]}`);
  }
});

test('stripWarpMap carries relative offsets across the ribbon and leaves the outside empty', () => {
  const map = stripWarpMap(sleeve, arm, W, H);
  // Half-way to the arm's edge (6 of 12 px) on the upper arm is half-way to the sleeve's edge (5 of 10 px).
  // Travelling down (+y), the left normal (−dy, dx) points to −x, the sleeve's left normal (travelling +x) to +y.
  // (Along the limb, the mitred elbow stretches the outer side of the bend, so only the offset is exact here.)
  const i = 40 * W + 34;
  assert.ok(Math.abs(map.y[i] - 55) < 1e-3, `source y ${map.y[i]}`);
  // On a straight ribbon both coordinates are exact: width 12 → 10 and length 60 → 120.
  const straightArm = { centre: [{ x: 40, y: 20 }, { x: 40, y: 80 }], halfWidths: [12, 12] };
  const straightSleeve = { centre: [{ x: 10, y: 50 }, { x: 130, y: 50 }], halfWidths: [10, 10] };
  const straight = stripWarpMap(straightSleeve, straightArm, W, H);
  const j = 35 * W + 31; // 9 px left of the centre (3/4 of the half-width), a quarter of the way down
  assert.ok(Math.abs(straight.y[j] - 57.5) < 1e-3 && Math.abs(straight.x[j] - 40) < 1e-3, `(${straight.x[j]}, ${straight.y[j]})`);
  assert.ok(Number.isNaN(map.x[40 * W + 70]), 'inside the elbow\'s bend but off the arm');
  assert.ok(Number.isNaN(map.x[5 * W + 40]), 'above the shoulder end cap');
  assert.ok(Number.isNaN(map.x[80 * W + 105]), 'past the wrist end cap');
  // Every defined pixel reads inside the source ribbon.
  for (let k = 0; k < map.x.length; k++) {
    if (Number.isNaN(map.x[k])) continue;
    assert.ok(map.x[k] >= 10 - 1e-3 && map.x[k] <= 130 + 1e-3 && Math.abs(map.y[k] - 50) <= 10 + 1e-3, `pixel ${k} reads (${map.x[k]}, ${map.y[k]})`);
  }
});

test('stripWarpMap covers the outer side of a bend without gaps', () => {
  const map = stripWarpMap(sleeve, arm, W, H);
  // The elbow's outer corner region (below-left of (40, 80)) lies within the mitred ribbon.
  for (let y = 70; y <= 90; y++) {
    for (let x = 30; x <= 50; x++) {
      const inUpper = Math.abs(x - 40) <= 11 && y <= 80;
      const inFore = Math.abs(y - 80) <= 7 && x >= 40;
      if (inUpper || inFore) assert.ok(!Number.isNaN(map.x[y * W + x]), `gap at (${x}, ${y})`);
    }
  }
});

test('stripWarpMap resamples centrelines of different lengths by arc length', () => {
  const straight = { centre: [{ x: 10, y: 50 }, { x: 130, y: 50 }], halfWidths: [10, 10] };
  const map = stripWarpMap(straight, arm, W, H);
  // The arm is 120 px long, the sleeve 120 px: the elbow (60 px along) reads the sleeve's middle.
  const i = 70 * W + 40;
  assert.ok(Math.abs(map.x[i] - 60) < 0.5 && Math.abs(map.y[i] - 50) < 1e-3, `(${map.x[i]}, ${map.y[i]})`);
});

test('ribbonOutline walks the left edge out and the right edge back', () => {
  const outline = ribbonOutline({ centre: [{ x: 0, y: 0 }, { x: 10, y: 0 }], halfWidths: [2, 3] });
  assert.deepEqual(outline.map((p) => [Math.round(p.x), Math.round(p.y)]), [[0, 2], [10, 3], [10, -3], [0, -2]]);
});

test('stripWarpMap rejects malformed ribbons; its coverage is the target ribbon', () => {
  assert.throws(() => stripWarpMap(sleeve, { centre: [{ x: 0, y: 0 }], halfWidths: [3] }, W, H), /at least 2 points/);
  assert.throws(() => stripWarpMap(sleeve, { centre: arm.centre, halfWidths: [1, 2] }, W, H), /half-widths/);
  assert.throws(() => stripWarpMap(sleeve, { centre: arm.centre, halfWidths: [1, -2, 3] }, W, H), /negative/);
  const coverage = warpMapCoverage(stripWarpMap(sleeve, arm, W, H));
  assert.equal(coverage.data[50 * W + 40], 255);
  assert.equal(coverage.data[50 * W + 70], 0);
});
