import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bodyGeometry } from '../../../src/engine/classic/person/geometry.ts';
import { looksLikeSkin, sampleSkin, skinLikelihood } from '../../../src/engine/classic/person/skin.ts';
import { labImage, rgbToLab } from '../../../src/imaging/colour.ts';
import { drawFigure, HAIR, SKIN, WIDTH } from './figure.ts';

test('the skin model is the face and neck colour', () => {
  const figure = drawFigure();
  const lab = labImage(figure.image);
  const skin = sampleSkin(lab, figure.image, bodyGeometry(figure.pose), figure.silhouette);
  const truth = rgbToLab(...SKIN);
  for (let c = 0; c < 3; c++) assert.ok(Math.abs(skin.lab[c] - truth[c]) < 1, `channel ${c}: ${skin.lab[c]} vs ${truth[c]}`);
  assert.deepEqual(skin.rgb.map((v, c) => Math.abs(v - SKIN[c]) <= 2), [true, true, true]);
});

test('the skin model ignores sleeves and hair that cover some sample patches', () => {
  // Long hair over the neck patch and sleeves over the arms: the face still wins the vote.
  const figure = drawFigure({ longHair: true });
  const lab = labImage(figure.image);
  const skin = sampleSkin(lab, figure.image, bodyGeometry(figure.pose), figure.silhouette);
  assert.ok(looksLikeSkin(skin.lab));
  assert.ok(Math.abs(skin.lab[1] - rgbToLab(...SKIN)[1]) < 2);
});

test('hair over both cheeks and the neck does not outvote the nose bridge', () => {
  // Strands of hair (skin's hue, far darker) over the cheeks beside the nose and over the whole
  // neck: three of the four face and neck patches read hair, the nose bridge reads skin; long
  // sleeves leave only the hands bare.
  const figure = drawFigure({ longHair: true, longSleeves: true });
  const paintHair = (x0: number, y0: number, x1: number, y1: number) => {
    for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) figure.image.data.set(HAIR, (y * WIDTH + x) * 3);
  };
  paintHair(100, 40, 117, 72);
  paintHair(124, 40, 140, 72);
  paintHair(108, 72, 132, 100);
  const lab = labImage(figure.image);
  const skin = sampleSkin(lab, figure.image, bodyGeometry(figure.pose), figure.silhouette);
  const truth = rgbToLab(...SKIN);
  assert.ok(Math.abs(skin.lab[0] - truth[0]) < 3, `lightness ${skin.lab[0]} vs the face's ${truth[0]}`);
});

test('skin likelihood is high on bare arms and low on the garments and the wall', () => {
  const figure = drawFigure();
  const lab = labImage(figure.image);
  const skin = sampleSkin(lab, figure.image, bodyGeometry(figure.pose), figure.silhouette);
  const everywhere = { width: figure.image.width, height: figure.image.height, data: new Uint8Array(figure.image.width * figure.image.height).fill(255) };
  const p = skinLikelihood(lab, skin, everywhere);
  const at = (q: { x: number; y: number }) => p[q.y * WIDTH + q.x];
  assert.ok(at(figure.at.forearm) > 0.8);
  assert.ok(at(figure.at.hand) > 0.8);
  assert.ok(at(figure.at.chest) < 0.01);
  assert.ok(at(figure.at.thigh) < 0.01);
  assert.ok(at(figure.at.wall) < 0.01);
  // Outside the region nothing is computed.
  assert.equal(skinLikelihood(lab, skin, { ...everywhere, data: new Uint8Array(everywhere.data.length) })[0], 0);
});

test('shaded skin (darker and more saturated, same hue) stays likely skin', () => {
  const figure = drawFigure();
  const lab = labImage(figure.image);
  const skin = sampleSkin(lab, figure.image, bodyGeometry(figure.pose), figure.silhouette);
  const shaded = rgbToLab(180, 125, 95);
  const grey = rgbToLab(150, 150, 150);
  const one = { width: 1, height: 1, data: new Uint8Array([255]) };
  assert.ok(skinLikelihood(new Float32Array(shaded), skin, one)[0] > 0.15);
  assert.equal(skinLikelihood(new Float32Array(grey), skin, one)[0], 0);
});
