import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Mask, Raster } from '../../src/imaging/raster.ts';
import { createMask, createRaster } from '../../src/imaging/raster.ts';
import { ciede2000, srgbToLab } from '../../eval/metrics/ciede2000.ts';
import { colorDeltaE, garmentCutout } from '../../eval/metrics/color-delta-e.ts';
import { countInside, erode, pixelsInside } from '../../eval/metrics/mask-ops.ts';
import { paletteDistance } from '../../eval/metrics/palette.ts';
import { remnant } from '../../eval/metrics/remnant.ts';

type Rgb = [number, number, number];
const WHITE: Rgb = [250, 250, 250];
const NAVY: Rgb = [30, 40, 110];
const RED: Rgb = [200, 30, 40];
const GREEN: Rgb = [40, 160, 60];

/**
 * A product shot: off-white background, a "shirt" (body rectangle plus sleeves) in navy with red
 * horizontal stripes, and a small white logo inside the body (must stay part of the garment).
 */
function productShot(w = 120, h = 160): Raster {
  const r = createRaster(w, h, 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const body = x >= 30 && x < 90 && y >= 30 && y < 140;
      const sleeve = y >= 30 && y < 60 && x >= 10 && x < 110;
      let c: Rgb = WHITE;
      if (body || sleeve) c = Math.floor(y / 10) % 3 === 0 ? RED : NAVY;
      if (x >= 50 && x < 70 && y >= 80 && y < 95) c = WHITE; // logo
      r.data.set(c, (y * w + x) * 3);
    }
  }
  return r;
}

function garmentShape(w = 120, h = 160): Mask {
  const m = createMask(w, h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const body = x >= 30 && x < 90 && y >= 30 && y < 140;
      const sleeve = y >= 30 && y < 60 && x >= 10 && x < 110;
      if (body || sleeve) m.data[y * w + x] = 255;
    }
  }
  return m;
}

/** Multiply every channel by `factor` (a uniform shadow) in 8-bit sRGB. */
function shaded(pixels: Uint8Array, factor: number): Uint8Array {
  return pixels.map((v) => Math.round(v * factor));
}

test('erode shrinks a square by the radius on each side but not where it touches the frame', () => {
  const m = createMask(20, 20);
  for (let y = 5; y < 15; y++) for (let x = 5; x < 15; x++) m.data[y * 20 + x] = 255;
  assert.equal(countInside(erode(m, 3)), 4 * 4);
  const edge = createMask(20, 20);
  for (let y = 0; y < 20; y++) for (let x = 0; x < 10; x++) edge.data[y * 20 + x] = 255;
  assert.equal(countInside(erode(edge, 2)), 20 * 8);
});

test('garment cut-out keeps the garment (and a white logo inside it) and drops the background', () => {
  const photo = productShot();
  const cut = garmentCutout(photo);
  const truth = garmentShape();
  const inner = erode(truth, 2);
  let missed = 0;
  let extra = 0;
  for (let p = 0; p < cut.data.length; p++) {
    if (inner.data[p] === 255 && cut.data[p] === 0) missed++;
    if (truth.data[p] === 0 && cut.data[p] === 255) extra++;
  }
  assert.equal(missed, 0);
  assert.equal(extra, 0);
  // The logo (white, like the background) is enclosed by garment, so it stays garment.
  assert.equal(cut.data[87 * 120 + 60], 255);
});

test('colour ΔE of a garment against a uniformly shaded copy of itself is near 0', () => {
  const photo = productShot();
  const garment = pixelsInside(photo, garmentCutout(photo));
  const same = colorDeltaE(garment, garment);
  assert.ok(same !== null && same.deltaE < 0.5, JSON.stringify(same?.deltaE));
  const darker = colorDeltaE(garment, shaded(garment, 0.8));
  assert.ok(darker !== null && darker.deltaE < 1.5, `shaded: ${darker?.deltaE}`);
  assert.ok(darker.exposure > 1.5, 'the shadow was absorbed by the exposure factor');
});

test('colour ΔE of a garment rendered in another colour is large', () => {
  const photo = productShot();
  const garment = pixelsInside(photo, garmentCutout(photo));
  const recoloured = garment.slice();
  for (let i = 0; i < recoloured.length; i += 3) {
    if (recoloured[i] === NAVY[0] && recoloured[i + 2] === NAVY[2]) recoloured.set(GREEN, i);
  }
  const result = colorDeltaE(garment, recoloured);
  assert.ok(result !== null && result.deltaE > 20, `recoloured: ${result?.deltaE}`);
});

test('colour ΔE is null when either side has too few pixels', () => {
  assert.equal(colorDeltaE(new Uint8Array(30), new Uint8Array(3000)), null);
});

test('palette distance weighs proportions: 90/10 white/black against 50/50 costs 0.4 · ΔE(white, black)', () => {
  const white = srgbToLab(255, 255, 255);
  const black = srgbToLab(0, 0, 0);
  const d = paletteDistance(
    [{ lab: white, weight: 0.9 }, { lab: black, weight: 0.1 }],
    [{ lab: white, weight: 0.5 }, { lab: black, weight: 0.5 }],
  );
  assert.ok(Math.abs(d - 0.4 * ciede2000(white, black)) < 1e-9, String(d));
  assert.ok(Math.abs(d - 40) < 1e-3);
  assert.equal(paletteDistance([{ lab: white, weight: 1 }], [{ lab: white, weight: 2 }]), 0);
});

/** A person photo stand-in: grey background, a red old garment block in the middle. */
function scene(): { input: Raster; oldGarment: Mask; newGarment: Mask } {
  const w = 60;
  const h = 80;
  const input = createRaster(w, h, 3);
  const oldGarment = createMask(w, h);
  const newGarment = createMask(w, h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const inOld = x >= 15 && x < 45 && y >= 20 && y < 60;
      input.data.set(inOld ? RED : [128, 128, 128], (y * w + x) * 3);
      if (inOld) oldGarment.data[y * w + x] = 255;
      if (x >= 12 && x < 48 && y >= 18 && y < 55) newGarment.data[y * w + x] = 255;
    }
  }
  return { input, oldGarment, newGarment };
}

test('remnant is 1 when the result leaves the old garment untouched where the new one should be', () => {
  const { input, oldGarment, newGarment } = scene();
  const palette = [{ lab: srgbToLab(...NAVY), weight: 1 }];
  const r = remnant(input, { ...input, data: input.data.slice() }, oldGarment, newGarment, palette);
  assert.ok(r !== null);
  assert.equal(r.share, 1);
  // old ∩ new is x 15..44, y 20..54 (30 x 35); eroded by 3 → 24 x 29.
  assert.equal(r.pixels, 24 * 29);
});

test('remnant is 0 when the region is repainted in the garment colour, even with shading', () => {
  const { input, oldGarment, newGarment } = scene();
  const result = { ...input, data: input.data.slice() };
  for (let p = 0; p < newGarment.data.length; p++) {
    if (newGarment.data[p]) result.data.set(NAVY.map((v) => Math.round(v * 0.85)), p * 3);
  }
  const palette = [{ lab: srgbToLab(...NAVY), weight: 1 }];
  assert.equal(remnant(input, result, oldGarment, newGarment, palette)?.share, 0);
});

test('remnant does not count a new garment that has the old garment colour', () => {
  const { input, oldGarment, newGarment } = scene();
  const palette = [{ lab: srgbToLab(...RED), weight: 1 }];
  assert.equal(remnant(input, input, oldGarment, newGarment, palette)?.share, 0);
});

test('remnant is null when old and new garments do not overlap', () => {
  const { input, oldGarment } = scene();
  const elsewhere = createMask(60, 80);
  elsewhere.data.fill(255, 0, 60 * 10);
  assert.equal(remnant(input, input, oldGarment, elsewhere, [{ lab: [50, 0, 0], weight: 1 }]), null);
});
