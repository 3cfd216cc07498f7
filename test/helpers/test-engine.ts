/**
 * What the test engine (FITROOM_ENGINE=test, shared-service-facts.md) must have drawn: the model
 * image with the centred rectangle (middle third of the width, rows 30%..70%) filled with the
 * garment's mean colour; the mask is the model image with that rectangle neutral grey. Checked with
 * a tolerance because results are lossy WebP.
 */
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { meanRgb } from './images.ts';

const TOLERANCE = 12;

function close(actual: number[], expected: number[], what: string): void {
  for (let i = 0; i < 3; i++) {
    assert.ok(
      Math.abs(actual[i] - expected[i]) <= TOLERANCE,
      `${what}: got rgb(${actual.map(Math.round).join(',')}), expected about rgb(${expected.map(Math.round).join(',')})`,
    );
  }
}

async function imageMean(bytes: Buffer): Promise<number[]> {
  const stats = await sharp(bytes).removeAlpha().stats();
  return stats.channels.slice(0, 3).map((c) => c.mean);
}

/** Region well inside the repainted rectangle, and one well outside it (top-left corner). */
function regions(width: number, height: number) {
  return {
    inside: { left: Math.round(width * 0.4), top: Math.round(height * 0.4), width: Math.round(width * 0.2), height: Math.round(height * 0.2) },
    outside: { left: 0, top: 0, width: Math.round(width * 0.2), height: Math.round(height * 0.2) },
  };
}

/** Asserts the result and mask are the test engine's try-on of `model` with `garment`. */
export async function expectTestEngineTryOn(model: Buffer, garment: Buffer, result: Buffer, mask: Buffer): Promise<void> {
  const meta = await sharp(model).metadata();
  const { inside, outside } = regions(meta.width!, meta.height!);
  close(await meanRgb(result, inside), await imageMean(garment), 'result inside the rectangle = garment mean colour');
  close(await meanRgb(result, outside), await meanRgb(model, outside), 'result outside the rectangle = model pixels');
  const maskInside = await meanRgb(mask, inside);
  const grey = (maskInside[0] + maskInside[1] + maskInside[2]) / 3;
  close(maskInside, [grey, grey, grey], 'mask inside the rectangle is neutral grey');
  close(await meanRgb(mask, outside), await meanRgb(model, outside), 'mask outside the rectangle = model pixels');
}

/** Asserts an API 2 result keeps the model's pixels outside the repainted rectangle. */
export async function expectTestEnginePromptEdit(model: Buffer, result: Buffer): Promise<void> {
  const meta = await sharp(model).metadata();
  const { outside } = regions(meta.width!, meta.height!);
  close(await meanRgb(result, outside), await meanRgb(model, outside), 'result outside the rectangle = model pixels');
}
