import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ROLL_RISE, STAND_RISE } from '../../src/engine/prompt/roll-collar.ts';
import { neckCovered, neckRows } from './neck-figure.ts';

test('roll collar: a turtleneck covers the neck up to its roll; a crew-neck top leaves it bare; the chin stays', async () => {
  const { base, chin } = neckRows();
  const h = base - chin;
  // Rows well inside the roll: from just above the neck's base to below its top.
  const rows: [number, number] = [Math.round(base - 0.8 * ROLL_RISE * h), Math.round(base - 0.2 * h)];
  const turtle = await neckCovered('a black turtleneck', rows, [144, 156]);
  assert.ok(turtle.share > 0.9, `turtleneck: ${(turtle.share * 100).toFixed(0)}% of the neck under the roll is the garment`);
  const crew = await neckCovered('a black long-sleeve top', rows, [144, 156]);
  assert.ok(crew.share < 0.1, `crew neck: ${(crew.share * 100).toFixed(0)}% of the neck covered`);
  // Above the roll the neck and the chin are the photo's own.
  const above = Math.floor(base - (ROLL_RISE + 0.1) * h);
  for (let y = 70; y <= above; y++) {
    for (let x = 134; x <= 166; x++) {
      const i = y * turtle.photo.width + x;
      for (let c = 0; c < 3; c++) assert.equal(turtle.result.image.data[i * 3 + c], turtle.photo.data[i * 3 + c], `(${x}, ${y}) kept`);
    }
  }
});

test('roll collar: hair falling in front of the neck stays in front of the roll', async () => {
  const { base, chin } = neckRows();
  const h = base - chin;
  const rows: [number, number] = [Math.round(base - 0.8 * ROLL_RISE * h), Math.round(base - 0.2 * h)];
  const { share } = await neckCovered('a black turtleneck', rows, [136, 142], [135, 143]);
  assert.equal(share, 0, 'no roll over the hair');
});

test('roll collar: a bomber\'s stand collar rises a little way up the neck, lower than a turtleneck\'s roll; a jacket without one leaves the neck bare', async () => {
  const { base, chin } = neckRows();
  const h = base - chin;
  const rows: [number, number] = [Math.round(base - 0.8 * STAND_RISE * h), Math.round(base - 0.2 * h)];
  const bomber = await neckCovered('a black bomber jacket', rows, [144, 156]);
  assert.ok(bomber.share > 0.9, `bomber: ${(bomber.share * 100).toFixed(0)}% of the neck under its collar is the garment`);
  const above = await neckCovered('a black bomber jacket', [Math.round(base - ROLL_RISE * h), Math.round(base - (STAND_RISE + 0.05) * h)], [144, 156]);
  assert.ok(above.share < 0.1, `above the stand collar ${(above.share * 100).toFixed(0)}% covered`);
  const jacket = await neckCovered('a black blazer', rows, [144, 156]);
  assert.ok(jacket.share < 0.1, `blazer: ${(jacket.share * 100).toFixed(0)}% of the neck covered`);
});
