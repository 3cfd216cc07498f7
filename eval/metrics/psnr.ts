/**
 * Peak signal-to-noise ratio on 8-bit pixels: 10·log10(255² / MSE), MSE over every channel of
 * every counted pixel. Identical pixels give +Infinity (the summary caps it; JSON has no Infinity).
 */
import type { Mask, Raster } from '../../src/imaging/raster.ts';

/** What the summary writes in place of +Infinity (identical pixels). */
export const PSNR_CAP_DB = 99;

/** PSNR of `a` against `b` over the whole image. Same width, height and channels required. */
export function psnr(a: Raster, b: Raster): number {
  assertSameShape(a, b);
  let sum = 0;
  for (let i = 0; i < a.data.length; i++) {
    const d = a.data[i] - b.data[i];
    sum += d * d;
  }
  return psnrFromSquaredError(sum, a.data.length);
}

/**
 * PSNR of the result against the input over the pixels the engine says it kept: those where
 * `repaintMask` is exactly 0 (a soft edge value of 1 already counts as repainted). The engine
 * contract promises these pixels are the input's own, so anything below the cap is a leak.
 * Returns null when the mask covers every pixel (nothing is claimed untouched).
 */
export function outsidePsnr(result: Raster, input: Raster, repaintMask: Mask): number | null {
  assertSameShape(result, input);
  if (repaintMask.width !== input.width || repaintMask.height !== input.height) {
    throw new Error(`outsidePsnr: mask is ${repaintMask.width}x${repaintMask.height}, image ${input.width}x${input.height}`);
  }
  const ch = input.channels;
  let sum = 0;
  let counted = 0;
  for (let p = 0; p < repaintMask.data.length; p++) {
    if (repaintMask.data[p] !== 0) continue;
    const base = p * ch;
    for (let c = 0; c < ch; c++) {
      const d = result.data[base + c] - input.data[base + c];
      sum += d * d;
    }
    counted += ch;
  }
  if (counted === 0) return null;
  return psnrFromSquaredError(sum, counted);
}

function psnrFromSquaredError(sumSquared: number, count: number): number {
  if (sumSquared === 0) return Infinity;
  const mse = sumSquared / count;
  return 10 * Math.log10((255 * 255) / mse);
}

/** Infinity → the cap, for JSON and for means (a mean with one Infinity says nothing). */
export function capPsnr(db: number): number {
  return Number.isFinite(db) ? Math.min(db, PSNR_CAP_DB) : PSNR_CAP_DB;
}

function assertSameShape(a: Raster, b: Raster): void {
  if (a.width !== b.width || a.height !== b.height || a.channels !== b.channels) {
    throw new Error(`images differ in shape: ${a.width}x${a.height}x${a.channels} vs ${b.width}x${b.height}x${b.channels}`);
  }
}
