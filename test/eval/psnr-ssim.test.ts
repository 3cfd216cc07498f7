import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Raster } from '../../src/imaging/raster.ts';
import { createMask, createRaster } from '../../src/imaging/raster.ts';
import { PSNR_CAP_DB, capPsnr, outsidePsnr, psnr } from '../../eval/metrics/psnr.ts';
import { ssim } from '../../eval/metrics/ssim.ts';

function filled(width: number, height: number, rgb: [number, number, number]): Raster {
  const r = createRaster(width, height, 3);
  for (let i = 0; i < width * height; i++) r.data.set(rgb, i * 3);
  return r;
}

/** Deterministic pseudo-random texture (LCG), so tests never depend on Math.random. */
function noise(width: number, height: number, seed: number): Raster {
  const r = createRaster(width, height, 3);
  let s = seed >>> 0;
  for (let i = 0; i < r.data.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    r.data[i] = s >>> 24;
  }
  return r;
}

test('PSNR of identical images is +Infinity and the summary cap is 99 dB', () => {
  const a = noise(32, 24, 1);
  assert.equal(psnr(a, { ...a, data: a.data.slice() }), Infinity);
  assert.equal(capPsnr(Infinity), PSNR_CAP_DB);
  assert.equal(PSNR_CAP_DB, 99);
  assert.equal(capPsnr(42.5), 42.5);
});

test('PSNR of a known error: every channel off by ±5 gives 10·log10(255²/25)', () => {
  const a = filled(20, 10, [100, 100, 100]);
  const b = createRaster(20, 10, 3);
  for (let i = 0; i < b.data.length; i++) b.data[i] = i % 2 === 0 ? 105 : 95;
  const want = 10 * Math.log10((255 * 255) / 25);
  assert.ok(Math.abs(psnr(a, b) - want) < 1e-9, `${psnr(a, b)} vs ${want}`);
  assert.ok(Math.abs(want - 34.1514) < 1e-4);
});

test('outside PSNR ignores changes inside the repaint mask and counts any non-zero mask value as repainted', () => {
  const input = noise(16, 16, 7);
  const result = { ...input, data: input.data.slice() };
  const mask = createMask(16, 16);
  // Change a block inside the mask completely, with the mask's edge at value 1 (a soft edge).
  for (let y = 4; y < 12; y++) {
    for (let x = 4; x < 12; x++) {
      mask.data[y * 16 + x] = x === 4 ? 1 : 255;
      result.data.fill(0, (y * 16 + x) * 3, (y * 16 + x) * 3 + 3);
    }
  }
  assert.equal(outsidePsnr(result, input, mask), Infinity);
  // Now one outside pixel off by 10 on one channel: MSE = 100 / (192 pixels · 3 channels).
  result.data[0] = input.data[0] > 127 ? input.data[0] - 10 : input.data[0] + 10;
  const outsideValues = (256 - 64) * 3;
  const want = 10 * Math.log10((255 * 255) / (100 / outsideValues));
  assert.ok(Math.abs((outsidePsnr(result, input, mask) as number) - want) < 1e-9);
});

test('outside PSNR is null when the mask covers every pixel', () => {
  const input = noise(8, 8, 3);
  const mask = createMask(8, 8);
  mask.data.fill(255);
  assert.equal(outsidePsnr(input, input, mask), null);
});

test('SSIM of identical images is 1', () => {
  const a = noise(40, 30, 11);
  assert.ok(Math.abs(ssim(a, { ...a, data: a.data.slice() }) - 1) < 1e-12);
});

test('SSIM of two flat images equals the closed form of its luminance term', () => {
  // Flat images have zero variance, so SSIM = (2ab + C1) / (a² + b² + C1).
  const a = filled(30, 30, [100, 100, 100]);
  const b = filled(30, 30, [120, 120, 120]);
  const C1 = (0.01 * 255) ** 2;
  const want = (2 * 100 * 120 + C1) / (100 * 100 + 120 * 120 + C1);
  assert.ok(Math.abs(ssim(a, b) - want) < 1e-9, `${ssim(a, b)} vs ${want}`);
});

test('SSIM of unrelated noise is near 0, and SSIM is symmetric', () => {
  const a = noise(64, 64, 1);
  const b = noise(64, 64, 2);
  assert.ok(Math.abs(ssim(a, b)) < 0.1, String(ssim(a, b)));
  assert.ok(Math.abs(ssim(a, b) - ssim(b, a)) < 1e-12);
});
