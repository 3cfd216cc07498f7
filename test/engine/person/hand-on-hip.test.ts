import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PartLabel } from '../../../src/engine/classic/types.ts';
import { bodyGeometry } from '../../../src/engine/classic/person/geometry.ts';
import { parsePerson } from '../../../src/engine/classic/person/parsing.ts';
import { sampleSkin, skinLikelihood } from '../../../src/engine/classic/person/skin.ts';
import { labImage } from '../../../src/imaging/colour.ts';
import { drawFigure, HEIGHT, SKIN, TOP, WALL, WIDTH, type RGB } from './figure.ts';

/**
 * The drawn person in a dress (the top's fabric down to the knees) with short sleeves, the right
 * arm (image-left) akimbo: bare forearm from an elbow held out to a hand resting on the dress's
 * side at the hips.
 */
function handOnHip() {
  const figure = drawFigure({ bottom: TOP });
  const { image, silhouette } = figure;
  const paint = (inside: (x: number, y: number) => boolean, colour: RGB | null) => {
    for (let y = 0; y < HEIGHT; y++) {
      for (let x = 0; x < WIDTH; x++) {
        if (!inside(x + 0.5, y + 0.5)) continue;
        image.data.set(colour ?? WALL, (y * WIDTH + x) * 3);
        silhouette.data[y * WIDTH + x] = colour ? 255 : 0;
      }
    }
  };
  const capsule = (ax: number, ay: number, bx: number, by: number, r: number) => (x: number, y: number) => {
    const dx = bx - ax;
    const dy = by - ay;
    const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
    return Math.hypot(x - ax - t * dx, y - ay - t * dy) <= r;
  };
  // The hanging arm off the wall, then the akimbo one: upper arm out to the elbow (the sleeve
  // down most of it, as an elbow-length sleeve), forearm back in.
  const [shoulder, elbow, wrist] = [[88, 98], [64, 158], [86, 200]];
  paint((x, y) => x < 84 && y > 95 && y < 262, null);
  paint(capsule(shoulder[0], shoulder[1], elbow[0], elbow[1], 10), SKIN);
  paint(capsule(shoulder[0], shoulder[1], shoulder[0] + (elbow[0] - shoulder[0]) * 0.8, shoulder[1] + (elbow[1] - shoulder[1]) * 0.8, 12), TOP);
  paint(capsule(elbow[0], elbow[1], wrist[0], wrist[1], 8), SKIN);
  const hand = { x: wrist[0] + (wrist[0] - elbow[0]) * 0.35, y: wrist[1] + (wrist[1] - elbow[1]) * 0.35 };
  paint((x, y) => ((x - hand.x) / 9) ** 2 + ((y - hand.y) / 11) ** 2 <= 1, SKIN);
  for (const k of figure.pose.keypoints) {
    if (k.name === 'right_elbow') [k.x, k.y] = elbow;
    if (k.name === 'right_wrist') [k.x, k.y] = wrist;
  }
  const lab = labImage(image);
  const body = bodyGeometry(figure.pose);
  const skin = sampleSkin(lab, image, body, silhouette);
  const result = parsePerson({ width: WIDTH, height: HEIGHT, lab, personMask: silhouette, skin: skinLikelihood(lab, skin, silhouette), pose: figure.pose, body });
  return { result, hand };
}

test("a dress's skirt around a hand resting on the hip, below a bare forearm, is the skirt's, not a sleeve's cuff", () => {
  // A short sleeve ends above the elbow: the dress round the hand is no cuff. Taken for one, it
  // was labelled the top and kept, and red patches of the old dress stayed beside new jeans.
  const { result, hand } = handOnHip();
  assert.equal(result.garments.wearsOnePiece, true);
  const labels = result.parsing.labels;
  let skirt = 0;
  let top = 0;
  for (let y = Math.round(hand.y) - 14; y <= Math.round(hand.y) + 14; y++) {
    for (let x = Math.round(hand.x) - 14; x <= Math.round(hand.x) + 14; x++) {
      if (y < result.garments.splitY) continue;
      const label = labels[y * WIDTH + x];
      if (label === PartLabel.LowerGarment) skirt++;
      if (label === PartLabel.UpperGarment) top++;
    }
  }
  assert.ok(skirt > 0, 'the skirt reaches the hand');
  assert.equal(top, 0, 'no pixel below the split round the hand is the top');
});
