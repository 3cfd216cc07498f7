import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyTps, fitTps } from '../../../src/engine/classic/warp/tps.ts';
import type { Point } from '../../../src/engine/classic/types.ts';

// Body-scale control points: shoulders, armpits, hem corners, neck of a 768×1024 photo.
const from: Point[] = [
  { x: 250, y: 260 }, { x: 520, y: 255 }, { x: 270, y: 420 }, { x: 500, y: 430 },
  { x: 280, y: 700 }, { x: 490, y: 710 }, { x: 385, y: 240 }, { x: 390, y: 560 },
];
const bent: Point[] = from.map((p, i) => ({ x: p.x * 0.8 + 30 + 12 * Math.sin(i), y: p.y * 1.1 - 40 + 9 * Math.cos(i * 1.7) }));

function close(actual: Point, expected: Point, tolerance: number, label: string): void {
  assert.ok(Math.abs(actual.x - expected.x) <= tolerance && Math.abs(actual.y - expected.y) <= tolerance,
    `${label}: got (${actual.x}, ${actual.y}), expected (${expected.x}, ${expected.y})`);
}

test('fitTps is exact at its control points', () => {
  const tps = fitTps(from, bent);
  from.forEach((p, i) => close(applyTps(tps, p), bent[i], 1e-6, `control ${i}`));
});

test('fitTps with from == to is the identity everywhere', () => {
  const tps = fitTps(from, from);
  for (let y = 0; y <= 1024; y += 128) for (let x = 0; x <= 768; x += 96) close(applyTps(tps, { x, y }), { x, y }, 1e-6, `(${x}, ${y})`);
});

test('fitTps reproduces an affine map exactly, between and beyond the control points', () => {
  const affine = (p: Point): Point => ({ x: 1.3 * p.x - 0.4 * p.y + 17, y: 0.2 * p.x + 0.9 * p.y - 33 });
  const tps = fitTps(from, from.map(affine));
  for (const p of [{ x: 0, y: 0 }, { x: 384, y: 512 }, { x: 700, y: 1000 }, { x: 123.5, y: 876.25 }]) {
    close(applyTps(tps, p), affine(p), 1e-6, `(${p.x}, ${p.y})`);
  }
});

test('regularisation trades exactness for a map closer to affine', () => {
  const exact = fitTps(from, bent, 0);
  const smooth = fitTps(from, bent, 10);
  let exactError = 0;
  let smoothError = 0;
  from.forEach((p, i) => {
    exactError += Math.hypot(applyTps(exact, p).x - bent[i].x, applyTps(exact, p).y - bent[i].y);
    smoothError += Math.hypot(applyTps(smooth, p).x - bent[i].x, applyTps(smooth, p).y - bent[i].y);
  });
  assert.ok(exactError < 1e-5);
  assert.ok(smoothError > 1, `a strongly regularised spline should no longer interpolate (error ${smoothError})`);
  // Bending: the kernel weights shrink as regularisation grows.
  const energy = (w: Float64Array): number => w.reduce((s, v) => s + v * v, 0);
  assert.ok(energy(smooth.weights) < energy(exact.weights));
});

test('fitTps falls back to a similarity for collinear or too few points, and tolerates duplicates', () => {
  const one = fitTps([{ x: 10, y: 20 }], [{ x: 15, y: 18 }]);
  close(applyTps(one, { x: 100, y: 100 }), { x: 105, y: 98 }, 1e-9, 'translation');

  // Collinear: scale 2 and a 90° turn about the origin.
  const line = [{ x: 0, y: 0 }, { x: 10, y: 0 }, { x: 20, y: 0 }];
  const turned = line.map((p) => ({ x: -2 * p.y, y: 2 * p.x }));
  const similarity = fitTps(line, turned);
  close(applyTps(similarity, { x: 5, y: 5 }), { x: -10, y: 10 }, 1e-9, 'similarity off the line');

  const withDuplicate = fitTps([...from, from[0]], [...bent, { x: 0, y: 0 }]);
  close(applyTps(withDuplicate, from[0]), bent[0], 1e-6, 'first target of a duplicated point wins');
});

test('fitTps rejects mismatched point lists', () => {
  assert.throws(() => fitTps(from, bent.slice(1)), /source points/);
  assert.throws(() => fitTps([{ x: NaN, y: 0 }], [{ x: 0, y: 0 }]), /not finite/);
});
