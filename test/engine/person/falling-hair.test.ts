import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PartLabel } from '../../../src/engine/classic/types.ts';
import { bodyGeometry } from '../../../src/engine/classic/person/geometry.ts';
import { growHair } from '../../../src/engine/classic/person/head.ts';
import { colourModel } from '../../../src/engine/classic/person/colour-model.ts';
import { labImage } from '../../../src/imaging/colour.ts';
import { drawFigure, HAIR, HEIGHT, WIDTH } from './figure.ts';

/**
 * Hair grown from the head's hair down a band of its colour that runs from beside the neck down
 * the top to its hem, `bandWidth` px wide; `headHair` picks which of the head's hair-coloured pixels the head holds as hair.
 * With `headCutByFrame`, the head's hair runs off the top of the photo.
 */
function grow(headHair: (x: number, y: number) => boolean, bandWidth: number, headCutByFrame = false, bandLeft = 128): Uint8Array {
  const figure = drawFigure();
  const { image, silhouette, pose } = figure;
  // A head cut by the photo's top edge: its hair runs off the frame.
  if (headCutByFrame) {
    for (let y = 0; y < 20; y++) {
      for (let x = 110; x < 130; x++) {
        image.data.set(HAIR, (y * WIDTH + x) * 3);
        silhouette.data[y * WIDTH + x] = 255;
      }
    }
  }
  // The band, in the hair's colour, joined to the head's hair at its top.
  for (let y = 20; y < 200; y++) {
    for (let x = bandLeft; x < bandLeft + bandWidth; x++) {
      image.data.set(HAIR, (y * WIDTH + x) * 3);
      silhouette.data[y * WIDTH + x] = 255;
    }
  }
  const lab = labImage(image);
  const labels = new Uint8Array(WIDTH * HEIGHT);
  const hairPixels: number[] = [];
  for (let y = 0; y < 70; y++) {
    for (let x = 0; x < WIDTH; x++) {
      const i = y * WIDTH + x;
      if (silhouette.data[i] && headHair(x, y) && image.data[i * 3] === HAIR[0]) {
        labels[i] = PartLabel.Hair;
        hairPixels.push(i);
      }
    }
  }
  const hair = colourModel(lab, hairPixels);
  assert.ok(hair);
  growHair(
    { lab, width: WIDTH, height: HEIGHT, person: silhouette.data, isSkin: new Uint8Array(WIDTH * HEIGHT), body: bodyGeometry(pose), labels, skinLikelihood: new Float32Array(WIDTH * HEIGHT) },
    { chinY: 78, hair },
    undefined,
  );
  return labels;
}

test('hair many times the head\'s own hair, down the front of the top, is not hair (a dark shirt between a jacket\'s fronts)', () => {
  // Cropped short: only a little hair on the head is seen as the head's.
  const labels = grow((x, y) => y < 24 && Math.abs(x - 130) < 12, 14);
  assert.notEqual(labels[150 * WIDTH + 134], PartLabel.Hair);
  assert.equal(labels[15 * WIDTH + 130], PartLabel.Hair, 'the head keeps its hair');
});

test('a full head of hair falling down the top as a lock stays hair', () => {
  const labels = grow(() => true, 14);
  assert.equal(labels[150 * WIDTH + 134], PartLabel.Hair);
});

test('under a head cut by the top of the photo, hair down the front stays hair: the head shows too little of its own to compare', () => {
  const labels = grow((x, y) => y < 24 && Math.abs(x - 124) < 6, 16, true);
  assert.equal(labels[150 * WIDTH + 134], PartLabel.Hair);
});

test('a band of the hair\'s colour straight down from the neck\'s base, under a full head of hair, is not hair (a striped shirt between a jacket\'s fronts)', () => {
  // Centred on the body's centre line (x = 120), 12 px wide: it crosses the shoulder line (y = 98)
  // through the neck's base, where no lock of hair falls.
  const labels = grow(() => true, 12, false, 114);
  assert.notEqual(labels[150 * WIDTH + 120], PartLabel.Hair);
  assert.notEqual(labels[110 * WIDTH + 120], PartLabel.Hair);
  assert.equal(labels[15 * WIDTH + 120], PartLabel.Hair, 'the head keeps its hair');
});
