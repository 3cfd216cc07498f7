import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EngineResult } from '../../src/engine/types.ts';
import type { Mask, Raster } from '../../src/imaging/raster.ts';
import { createMask, createRaster } from '../../src/imaging/raster.ts';
import { rgbPixelsToLab } from '../../eval/metrics/ciede2000.ts';
import type { FlagMetrics } from '../../eval/metrics/flags.ts';
import { BADNESS_CAP, FLAG_LIMITS, judge, longestHorizontalBoundary, measureFlags } from '../../eval/metrics/flags.ts';
import { pixelsInside } from '../../eval/metrics/mask-ops.ts';
import { dominantPalette } from '../../eval/metrics/palette.ts';

type Rgb = [number, number, number];
const W = 120;
const H = 160;
const CHIN = 40;
const GREY: Rgb = [150, 150, 150];
const SKIN: Rgb = [225, 180, 150];
const RED: Rgb = [210, 40, 40];
const NAVY: Rgb = [30, 40, 120];

interface SceneOptions {
  /** The old garment runs 16 px below the new hem, unmasked and unrepainted: a remnant outside. */
  oldBelowRepaint?: boolean;
  /** The old garment runs 16 px below the new hem, masked and repainted with skin: flat or photo-like. */
  fill?: 'flat' | 'textured';
  /** The new garment gets a collar up to row 28, above the chin (row 40). */
  collar?: boolean;
  /** The new garment starts this many columns left of its own (column 36); the torso starts at column 30. */
  widen?: number;
  /** The garments' hems are a straight row instead of an arc. */
  straightHem?: boolean;
}

/** Deterministic texture, ±11 per channel: what a photo's grain and fabric look like to the metrics. */
function grain(x: number, y: number): number {
  return (((Math.imul(x + 1, 73856093) ^ Math.imul(y + 1, 19349663)) >>> 0) % 23) - 11;
}

function paint(r: Raster, x: number, y: number, c: Rgb, textured = true): void {
  const g = textured ? grain(x, y) : 0;
  for (let k = 0; k < 3; k++) r.data[(y * W + x) * 3 + k] = Math.max(0, Math.min(255, c[k] + g));
}

/** Garment columns 36..84 (a wider garment repeats its side column's shape). */
const side = (x: number): number => Math.min(84, Math.max(36, x));
/** Top edge of the garment: shoulders falling 8 px from the neck to the sides. */
const top = (x: number): number => 48 + Math.round((8 * Math.abs(side(x) - 60)) / 24);
/** The garment's hem: an arc, 108 at the centre, 88 at the sides (or a straight row 104). */
const hem = (x: number, straight: boolean): number => (straight ? 104 : 108 - Math.round(20 * ((side(x) - 60) / 24) ** 2));
/** Where the old garment ends when it is longer than the new one: the same arc, 16 px lower. */
const OLD_EXTRA = 16;

/**
 * A "person" (head, neck and a torso down to the frame, on a grey ground, all with grain) wearing a
 * red top, and what an engine returned for a navy top: the result, the repaint mask and the
 * diagnostics, drawn according to `options`.
 */
function scene(options: SceneOptions = {}): { model: Raster; result: EngineResult } {
  const model = createRaster(W, H, 3);
  const person = createMask(W, H);
  const oldGarment = createMask(W, H);
  const newGarment = createMask(W, H);
  const repaintMask = createMask(W, H);
  const onPerson = (x: number, y: number): boolean =>
    (x >= 48 && x < 72 && y >= 10 && y < CHIN) || (x >= 54 && x < 66 && y >= CHIN && y < 44) || (x >= 30 && x < 90 && y >= 44);
  const oldLonger = options.oldBelowRepaint || options.fill !== undefined;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const p = y * W + x;
      if (onPerson(x, y)) person.data[p] = 255;
      const inNewX = x >= 36 - (options.widen ?? 0) && x <= 84;
      const straight = options.straightHem ?? false;
      const body = inNewX && y >= top(x) && y < hem(x, straight);
      const collar = options.collar === true && x >= 54 && x < 66 && y >= 28 && y < 48;
      if (body || collar) newGarment.data[p] = 255;
      const oldBody = x >= 36 && x <= 84 && y >= top(x) && y < hem(x, straight) + (oldLonger ? OLD_EXTRA : 0);
      paint(model, x, y, oldBody ? RED : onPerson(x, y) ? SKIN : GREY);
      // The engine's view of the old garment: all of it, unless it missed the part below the hem.
      if (oldBody && !(options.oldBelowRepaint && y >= hem(x, straight))) oldGarment.data[p] = 255;
      repaintMask.data[p] = Math.max(newGarment.data[p], oldGarment.data[p]);
    }
  }
  const image: Raster = { width: W, height: H, channels: 3, data: new Uint8Array(model.data) };
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const p = y * W + x;
      if (newGarment.data[p]) paint(image, x, y, NAVY);
      else if (repaintMask.data[p]) paint(image, x, y, SKIN, options.fill === 'textured');
    }
  }
  return { model, result: { image, repaintMask, timings: {}, diagnostics: { oldGarment, newGarment, person, chinY: CHIN } } };
}

function flagsOf(s: { model: Raster; result: EngineResult }, category: 'upper_body' | 'lower_body' = 'upper_body'): FlagMetrics & { notes: string[] } {
  const newGarment = s.result.diagnostics?.newGarment as Mask;
  const newPalette = dominantPalette(rgbPixelsToLab(pixelsInside(s.result.image, newGarment)));
  const notes: string[] = [];
  return { ...measureFlags({ model: s.model, result: s.result, category, newPalette, exposure: 1 }, notes), notes };
}

test('a clean drawing raises no flag: every value near 0, the arc-shaped hem is no straight cut', () => {
  const f = flagsOf(scene());
  assert.deepEqual(f.notes, []);
  assert.deepEqual(f.flags, []);
  assert.ok(f.remnant_outside !== null && f.remnant_outside < 0.01, String(f.remnant_outside));
  assert.equal(f.fill_share, 0);
  assert.equal(f.flat_fill, 0);
  assert.equal(f.above_chin, 0);
  assert.equal(f.outside_envelope, 0);
  assert.ok(f.straight_cut !== null && f.straight_cut < 0.4, String(f.straight_cut));
  assert.ok(f.badness < 1, String(f.badness));
});

test('remnant_outside: old garment below the repaint mask, on the person, is counted; a new garment of its colour excuses it', () => {
  const s = scene({ oldBelowRepaint: true });
  const f = flagsOf(s);
  assert.ok(f.remnant_outside !== null && f.remnant_outside > 0.25, String(f.remnant_outside));
  assert.ok(f.flags.includes('remnant_outside'));
  assert.ok(f.badness >= 1);
  // Told that the new garment is red too, the same pixels are no longer a remnant.
  const red = new Uint8Array(300).map((_, i) => RED[i % 3]);
  const notes: string[] = [];
  const excused = measureFlags({ model: s.model, result: s.result, category: 'upper_body', newPalette: dominantPalette(rgbPixelsToLab(red)), exposure: 1 }, notes);
  assert.ok(excused.remnant_outside !== null && excused.remnant_outside < 0.01, String(excused.remnant_outside));
});

test('flat_fill: a flat skin slab where the old garment was counts, the same fill with the photo\'s grain does not', () => {
  const flat = flagsOf(scene({ fill: 'flat' }));
  const textured = flagsOf(scene({ fill: 'textured' }));
  // Same fill either way: 49 columns by 16 rows, about 4 % of the image.
  assert.ok(flat.fill_share !== null && flat.fill_share > 0.03 && flat.fill_share < 0.05, String(flat.fill_share));
  assert.equal(textured.fill_share, flat.fill_share);
  // The slab is flat but for its 2 px rim, where the window sees the photo.
  assert.ok(flat.flat_fill !== null && flat.flat_fill > 0.5 * flat.fill_share, `${flat.flat_fill} of ${flat.fill_share}`);
  assert.ok(flat.flags.includes('flat_fill'));
  assert.ok(textured.flat_fill !== null && textured.flat_fill < 0.002, String(textured.flat_fill));
  assert.ok(!textured.flags.includes('flat_fill'));
});

test('above_chin: a collar above the chin row raises it for tops, lower_body is not measured', () => {
  const s = scene({ collar: true });
  const f = flagsOf(s);
  // 12 rows x 12 columns above row 40 out of ~2,200 garment pixels.
  assert.ok(f.above_chin !== null && f.above_chin > 0.04 && f.above_chin < 0.1, String(f.above_chin));
  assert.ok(f.flags.includes('above_chin'));
  assert.equal(flagsOf(s, 'lower_body').above_chin, null);
});

test('outside_envelope: garment past the person\'s side beyond the margin is counted; the margin itself is not', () => {
  const f = flagsOf(scene({ widen: 20 }));
  // Columns 16..26 are more than 3.6 px (3 % of 120) from the torso, which starts at column 30:
  // 11 of the garment's 69 columns.
  assert.ok(f.outside_envelope !== null && f.outside_envelope > 0.1 && f.outside_envelope < 0.2, String(f.outside_envelope));
  assert.ok(f.flags.includes('outside_envelope'));
  // Columns 27..29 are within the margin.
  assert.equal(flagsOf(scene({ widen: 9 })).outside_envelope, 0);
});

test('straight_cut: a hem cut along one row spans the garment\'s width', () => {
  const f = flagsOf(scene({ straightHem: true }));
  assert.ok(f.straight_cut !== null && f.straight_cut > 0.95, String(f.straight_cut));
  assert.ok(f.flags.includes('straight_cut'));
});

test('longestHorizontalBoundary: ±1 px of wander is straight, a 3 px step breaks the run; the frame is no boundary', () => {
  const mask = createMask(40, 20);
  // Rows 5..19 inside across the full width: one 40 px edge on top (the sides and bottom are the frame).
  for (let y = 5; y < 20; y++) mask.data.fill(255, y * 40, y * 40 + 40);
  assert.equal(longestHorizontalBoundary(mask, 1), 40);
  // Lower the top edge of the right half by 1 px: still one run within ±1.
  mask.data.fill(0, 5 * 40 + 20, 5 * 40 + 40);
  assert.equal(longestHorizontalBoundary(mask, 1), 40);
  // By 3 px: the run breaks at column 20 (the right half and the step's corner pixel, 21).
  mask.data.fill(0, 6 * 40 + 20, 6 * 40 + 40);
  mask.data.fill(0, 7 * 40 + 20, 7 * 40 + 40);
  assert.equal(longestHorizontalBoundary(mask, 1), 21);
  assert.equal(longestHorizontalBoundary(mask, 2), 40);
  // A mask that fills the frame has no boundary at all.
  assert.equal(longestHorizontalBoundary({ width: 10, height: 10, data: new Uint8Array(100).fill(255) }, 1), 0);
});

test('judge: flags over their limits, badness ≥ 1 exactly when one is raised, capped per flag', () => {
  const clean = judge({ remnant_outside: FLAG_LIMITS.remnant_outside * 0.9, flat_fill: FLAG_LIMITS.flat_fill * 0.9, above_chin: 0, outside_envelope: null, straight_cut: FLAG_LIMITS.straight_cut * 0.9 });
  assert.deepEqual(clean.flags, []);
  assert.ok(clean.badness > 0 && clean.badness < 1, String(clean.badness));
  const one = judge({ straight_cut: FLAG_LIMITS.straight_cut * 1.2 });
  assert.deepEqual(one.flags, ['straight_cut']);
  assert.ok(Math.abs(one.badness - 1.2) < 1e-9);
  const huge = judge({ remnant_outside: 1000, above_chin: FLAG_LIMITS.above_chin * 2 });
  assert.deepEqual(huge.flags, ['remnant_outside', 'above_chin']);
  assert.ok(Math.abs(huge.badness - (BADNESS_CAP + 2)) < 1e-9);
});

test('no diagnostics: every flag null with a note, nothing raised', () => {
  const s = scene();
  const notes: string[] = [];
  const f = measureFlags({ model: s.model, result: { ...s.result, diagnostics: undefined }, category: 'upper_body', newPalette: null, exposure: 1 }, notes);
  assert.deepEqual(f.flags, []);
  assert.equal(f.badness, 0);
  assert.equal(f.remnant_outside, null);
  assert.equal(f.straight_cut, null);
  assert.ok(notes.some((n) => n.startsWith('flags:')));
});
