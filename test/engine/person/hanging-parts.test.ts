import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keepHangingAttached } from '../../../src/engine/classic/person/parsing.ts';
import { PartLabel } from '../../../src/engine/classic/types.ts';
import { labelRects } from './figure.ts';

const W = 120;
const H = 200;
const TOP = PartLabel.UpperGarment;
const BOTTOM = PartLabel.LowerGarment;
const at = (labels: Uint8Array, x: number, y: number): number => labels[y * W + x];

test("the top's parts below the split hang from the top above it, not from a sleeve beside the bottom", () => {
  // A top (rows 0..59) over a skirt; a sleeve hanging beside it below the split (x 95..109, rows
  // 60..99). Parsed as the top's parts hanging below the split: a motif of the skirt's print
  // (x 60..94, rows 110..129) joined to the sleeve by a strip along the skirt's edge under it
  // (x 95..99, rows 100..129), and a coat's skirt hanging from the top itself (x 20..29, rows 60..89).
  const labels = labelRects(W, H, [
    [10, 0, 110, 60, TOP], [10, 60, 100, 190, BOTTOM], [95, 60, 110, 100, TOP],
    [60, 110, 95, 130, TOP], [95, 100, 100, 130, TOP], [20, 60, 30, 90, TOP],
  ]);
  const hanging = labelRects(W, H, [[60, 110, 95, 130, 1], [95, 100, 100, 130, 1], [20, 60, 30, 90, 1]]);
  const sleeved = labelRects(W, H, [[95, 60, 110, 100, 1]]);
  keepHangingAttached(labels, hanging, sleeved, W, 2);
  assert.equal(at(labels, 75, 120), BOTTOM, 'the motif');
  assert.equal(at(labels, 97, 120), BOTTOM, 'the strip');
  assert.equal(at(labels, 97, 100), TOP, "the sleeve's own edge");
  assert.equal(at(labels, 25, 80), TOP, "the coat's skirt");
});
