import { test } from 'node:test';
import assert from 'node:assert/strict';
import { measureBody } from '../../src/engine/classic/body/index.ts';
import { HOOD_HALF_WIDTH, HOOD_RISE, HOOD_V_DEPTH } from '../../src/engine/prompt/hood.ts';
import { figureWithNeck, neckCovered, neckRows } from './neck-figure.ts';

/** The drawn figure's neck: its base row, height (base to chin), centre column and half-width. */
function neck() {
  const { base, chin } = neckRows();
  const body = measureBody(figureWithNeck().person);
  return { base, h: base - chin, cx: body.neck.centre.x, half: Math.abs(body.neck.r.x - body.neck.l.x) / 2 };
}

test('hood: a hoodie lays its hood round the neck (beside it above the base, down to a V in front); a sweatshirt does not', async () => {
  const { base, h, cx, half } = neck();
  // Beside the neck on the right, from a little above its base to half the hood's rise.
  const rows: [number, number] = [Math.round(base - 0.5 * HOOD_RISE * h), Math.round(base - 0.1 * h)];
  const cols: [number, number] = [Math.round(cx + 1.2 * half), Math.round(cx + 0.6 * (1 + HOOD_HALF_WIDTH) * half)];
  const hoodie = await neckCovered('a black hoodie', rows, cols);
  assert.ok(hoodie.share > 0.8, `hoodie: ${(hoodie.share * 100).toFixed(0)}% beside the neck is the hood`);
  const sweatshirt = await neckCovered('a black sweatshirt', rows, cols);
  assert.ok(sweatshirt.share < 0.2, `sweatshirt: ${(sweatshirt.share * 100).toFixed(0)}% beside the neck covered`);
  // The neck itself stays in front of the hood's back.
  const onNeck = await neckCovered('a black hoodie', rows, [Math.round(cx - 0.5 * half), Math.round(cx + 0.5 * half)]);
  assert.ok(onNeck.share < 0.1, `${(onNeck.share * 100).toFixed(0)}% of the neck covered`);
});

test('hood: its front edges meet in a V below the neck, lit as a roll with a darker lining', async () => {
  const { base, h, cx, half } = neck();
  const { result, photo } = await neckCovered('a black hoodie', [0, 0], [0, 0]);
  const sweatshirt = await neckCovered('a black sweatshirt', [0, 0], [0, 0]);
  // Across the hood's band on one row below the base, the hoodie's pixels vary (lining, crest,
  // edge) where the sweatshirt's chest is one even fabric.
  const y = Math.round(base + 0.3 * HOOD_V_DEPTH * h);
  const spread = (image: typeof photo) => {
    const values: number[] = [];
    for (let x = Math.round(cx + 0.2 * half); x <= Math.round(cx + 1.8 * half); x++) {
      const i = (y * photo.width + x) * 3;
      values.push(image.data[i] + image.data[i + 1] + image.data[i + 2]);
    }
    return Math.max(...values) - Math.min(...values);
  };
  assert.ok(spread(result.image) > spread(sweatshirt.result.image) + 20, `hood band ${spread(result.image)} vs plain chest ${spread(sweatshirt.result.image)}`);
});
