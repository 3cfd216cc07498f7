import assert from 'node:assert/strict';
import { test } from 'node:test';
import { detectFraming } from '../../../src/engine/classic/person/framing.ts';
import { drawFigure, HEIGHT } from './figure.ts';

test('knees and ankles in frame make a full-body photo', () => {
  assert.equal(detectFraming(drawFigure().pose, HEIGHT), 'full_body');
});

test('legs guessed at or below the frame edge make a half-body photo', () => {
  const { pose } = drawFigure();
  const cropped = {
    ...pose,
    keypoints: pose.keypoints.map((k) => (/ankle/.test(k.name) ? { ...k, score: 0.1 } : /knee/.test(k.name) ? { ...k, y: 296, score: 0.45 } : k)),
  };
  assert.equal(detectFraming(cropped, 300), 'half_body');
});
