import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PartLabel } from '../../../src/engine/classic/types.ts';
import { bodyGeometry } from '../../../src/engine/classic/person/geometry.ts';
import { growHair, labelHead } from '../../../src/engine/classic/person/head.ts';
import { labImage } from '../../../src/imaging/colour.ts';
import { COAT, drawFigure, HAIR, HEIGHT, SKIN, WIDTH, type RGB } from './figure.ts';

/**
 * The drawn figure with a piece of `colour` standing beside the jaw on the person's right (a
 * collar's point, or a lock of hair), rising from the top's shoulder to the ear lobe's level;
 * labels after the head's labelling and the hair's growth. Returns the label at the piece's middle
 * and at the head's own hair.
 */
function labelBesideJaw(colour: RGB): { piece: number; headHair: number } {
  const { image, silhouette, pose } = drawFigure();
  for (let y = 54; y < 92; y++) {
    for (let x = 98; x < 110; x++) {
      image.data.set(colour, (y * WIDTH + x) * 3);
      silhouette.data[y * WIDTH + x] = 255;
    }
  }
  const labels = new Uint8Array(WIDTH * HEIGHT);
  const isSkin = new Uint8Array(WIDTH * HEIGHT);
  for (let i = 0; i < WIDTH * HEIGHT; i++) isSkin[i] = image.data[i * 3] === SKIN[0] && image.data[i * 3 + 1] === SKIN[1] ? 1 : 0;
  const input = { lab: labImage(image), width: WIDTH, height: HEIGHT, person: silhouette.data, isSkin, body: bodyGeometry(pose), labels, skinLikelihood: new Float32Array(WIDTH * HEIGHT) };
  const head = labelHead(input);
  assert.ok(head);
  growHair(input, head, undefined);
  return { piece: labels[58 * WIDTH + 103], headHair: labels[15 * WIDTH + 120] };
}

test('a collar standing beside the jaw, in the head region, is not hair: it goes back to the garments (left as hair it stood above the new neckline)', () => {
  const { piece, headHair } = labelBesideJaw(COAT);
  assert.notEqual(piece, PartLabel.Hair);
  assert.equal(headHair, PartLabel.Hair, 'the head keeps its hair');
});

test('a lock of the hair\'s colour beside the jaw stays hair', () => {
  const { piece } = labelBesideJaw(HAIR);
  assert.equal(piece, PartLabel.Hair);
});
