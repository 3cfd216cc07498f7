import { test } from 'node:test';
import assert from 'node:assert/strict';
import { skinInsideTop } from '../../../src/engine/classic/render/kept-top.ts';
import { PartLabel } from '../../../src/engine/classic/types.ts';

const W = 60;
const H = 80;

function fill(labels: Uint8Array, x0: number, y0: number, x1: number, y1: number, label: PartLabel): void {
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) labels[y * W + x] = label;
}

test("the front of a skin-coloured jacket, parsed as torso and leg skin inside the jacket's outline, is the jacket's", () => {
  const labels = new Uint8Array(W * H);
  // A jacket (x 10..49, y 0..39) whose front panel (x 14..45, y 4..35) passed the skin test, its
  // hem's pieces as leg; trousers below (y 40..79).
  fill(labels, 10, 0, 50, 40, PartLabel.UpperGarment);
  fill(labels, 14, 4, 46, 30, PartLabel.TorsoSkin);
  fill(labels, 14, 30, 46, 36, PartLabel.Leg);
  fill(labels, 10, 40, 50, 80, PartLabel.LowerGarment);
  const inside = skinInsideTop(labels, W);
  assert.equal(inside.data[10 * W + 20], 255);
  assert.equal(inside.data[33 * W + 40], 255);
  assert.equal(inside.data[60 * W + 20], 0, 'the trousers');
});

test('a bare midriff between the top and the trousers, and bare legs, stay skin', () => {
  const labels = new Uint8Array(W * H);
  // A cropped top (y 0..19), the midriff (y 20..29) against the backdrop at its sides, shorts
  // (y 30..44), bare legs below them (y 45..79).
  fill(labels, 10, 0, 50, 20, PartLabel.UpperGarment);
  fill(labels, 12, 20, 48, 30, PartLabel.TorsoSkin);
  fill(labels, 10, 30, 50, 45, PartLabel.LowerGarment);
  fill(labels, 14, 45, 26, 80, PartLabel.Leg);
  fill(labels, 34, 45, 46, 80, PartLabel.Leg);
  const inside = skinInsideTop(labels, W);
  assert.equal(inside.data[25 * W + 30], 0);
  assert.equal(inside.data[60 * W + 20], 0);
});
