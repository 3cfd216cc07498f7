/**
 * A new bottom bares no arm whose hand is out of sight (tryon.ts composeIntoPhoto): where the old
 * trousers, wider than the new ones, held a hand in their pocket, that part is refilled as the
 * backdrop beside it, not painted as the arm run on from the cuff (a flesh slab beside the new
 * trousers). An arm whose hand shows keeps its painted edge there.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { measureBody } from '../../../src/engine/classic/body/index.ts';
import { composeIntoPhoto } from '../../../src/engine/classic/tryon.ts';
import { PartLabel } from '../../../src/engine/classic/types.ts';
import { createRaster } from '../../../src/imaging/raster.ts';
import { drawnPerson, FIGURE } from '../placement/figure.ts';

const SKIN: [number, number, number] = [220, 170, 140];
const OLD_TROUSERS: [number, number, number] = [150, 120, 60];
const NEW_TROUSERS: [number, number, number] = [40, 50, 90];

/** Pixels below the right wrist (x 85, y 290) inside the old pocket that come out skin-coloured, and that keep the old trousers. */
function belowTheWrist(handHidden: boolean): { skinLike: number; old: number } {
  const person = drawnPerson();
  // person/hands.ts marks a wrist whose hand the photo does not show.
  if (handHidden) person.pose.keypoints.find((k) => k.name === 'right_wrist')!.handHidden = true;
  const { width, height } = FIGURE;
  const labels = person.parsing.labels;
  const layer = createRaster(width, height, 4);
  // The hand in the pocket: the old trousers' side runs out round the right wrist (x 85, y 290),
  // rows 270-340, x 66-110; the arms above are bare skin.
  const pocket = (x: number, y: number) => x >= 66 && x <= 110 && y >= 270 && y <= 340;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (pocket(x, y)) {
        labels[i] = PartLabel.LowerGarment;
        person.personMask.data[i] = 255;
      }
      if (labels[i] === PartLabel.LowerGarment) person.image.data.set(OLD_TROUSERS, i * 3);
      else if (labels[i] === PartLabel.UpperArm) person.image.data.set(SKIN, i * 3);
      // The new trousers: the legs' width from the waist down, nowhere near the hand.
      if (x >= 112 && x <= 188 && y >= 260 && y < 560) layer.data.set([...NEW_TROUSERS, 255], i * 4);
    }
  }
  const body = measureBody(person);
  const out = composeIntoPhoto({ model: person.image, person, body, layer, category: 'lower_body', timings: {}, straightHem: true }).image.data;
  // Below the wrist, inside the old pocket and off the new trousers.
  const below = [300, 315, 330].flatMap((y) => [80, 85, 90].map((x) => y * width + x));
  const skinLike = below.filter((i) => out[i * 3] - out[i * 3 + 2] > 40).length;
  const old = below.filter((i) => Math.abs(out[i * 3] - OLD_TROUSERS[0]) < 15 && Math.abs(out[i * 3 + 2] - OLD_TROUSERS[2]) < 15).length;
  return { skinLike, old };
}

test('a hand in the pocket of wider old trousers is not painted on beside the new ones', () => {
  const hidden = belowTheWrist(true);
  assert.equal(hidden.skinLike, 0, `${hidden.skinLike} pixels below the hidden hand's wrist are painted skin`);
  // (Refilled: the old trousers are gone there.)
  assert.equal(hidden.old, 0);
  // A hand the photo shows: the arm run on past the wrist is painted as before.
  assert.ok(belowTheWrist(false).skinLike > 0);
});
