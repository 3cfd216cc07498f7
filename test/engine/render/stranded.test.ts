import { test } from 'node:test';
import assert from 'node:assert/strict';
import { strandedByBackdrop } from '../../../src/engine/classic/render/masks.ts';
import { createMask, type Mask } from '../../../src/imaging/raster.ts';

const W = 200;
const H = 200;

function fill(mask: Mask, x0: number, y0: number, x1: number, y1: number): void {
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) mask.data[y * W + x] = 255;
}

/**
 * A body (a block) with a coat's tail hanging from its side (a strip joined to it), and an object
 * held apart from it (not joined). The backdrop fill takes the tail's outer part, a band across
 * the strip, and so cuts off its lower end.
 */
function scene(): { person: Mask; backdrop: Mask } {
  const person = createMask(W, H);
  fill(person, 40, 20, 120, 190);
  fill(person, 120, 100, 130, 110); // where the tail hangs from
  fill(person, 130, 100, 140, 180); // the tail, apart from the body's side below its top
  fill(person, 160, 40, 170, 50); // held apart from the body
  const backdrop = createMask(W, H);
  fill(backdrop, 130, 140, 140, 150);
  return { person, backdrop };
}

test('strandedByBackdrop: a piece of the body cut off by the backdrop fill goes with it; the body and what was apart before stay', () => {
  const { person, backdrop } = scene();
  const stranded = strandedByBackdrop(person, backdrop, 0.05);
  assert.ok(stranded, 'the tail end is cut off');
  const at = (x: number, y: number) => stranded.data[y * W + x];
  assert.equal(at(135, 165), 255, "the tail's lower end");
  assert.equal(at(135, 120), 0, "the tail's upper part, still joined to the body");
  assert.equal(at(80, 100), 0, 'the body');
  assert.equal(at(165, 45), 0, 'the object held apart');
});

test('strandedByBackdrop: a large piece cut off stays (a limb, not a remnant), and without a cut nothing goes', () => {
  const { person, backdrop } = scene();
  assert.equal(strandedByBackdrop(person, backdrop, 0.01), null);
  assert.equal(strandedByBackdrop(person, createMask(W, H), 0.01), null);
});
