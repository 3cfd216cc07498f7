import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  compositeOver, drawsLayerAtOutput, layerOver, matchNoise, mergeIntoPhoto, smoothOutline, upscaleLayer,
} from '../../../src/engine/classic/render/composite.ts';
import { resizeMask } from '../../../src/engine/classic/render/masks.ts';
import { createMask, createRaster, type Raster } from '../../../src/imaging/raster.ts';
import { createGaussianRandom, estimateNoiseSigma } from '../../../src/engine/classic/render/noise.ts';

function textured(width: number, height: number, channels: 3 | 4, salt: number): Raster {
  const image = createRaster(width, height, channels);
  for (let i = 0; i < image.data.length; i++) image.data[i] = (i * 31 + salt * 17 + ((i * i) % 23)) & 255;
  return image;
}

test('compositeOver: outside the layer and mask the base is bit-identical, alpha 255 gives the layer exactly', () => {
  const w = 20;
  const h = 10;
  const base = textured(w, h, 3, 1);
  const before = base.data.slice();
  const layer = textured(w, h, 4, 2);
  for (let i = 0; i < w * h; i++) layer.data[i * 4 + 3] = i % 3 === 0 ? 0 : i % 3 === 1 ? 255 : 77;
  const mask = createMask(w, h);
  for (let i = 0; i < w * h; i++) mask.data[i] = i < 100 ? 255 : i < 150 ? 0 : 128;
  compositeOver(base, layer, mask);
  for (let i = 0; i < w * h; i++) {
    const px = Array.from(base.data.subarray(i * 3, i * 3 + 3));
    if (layer.data[i * 4 + 3] === 0 || mask.data[i] === 0) {
      assert.deepEqual(px, Array.from(before.subarray(i * 3, i * 3 + 3)), `pixel ${i} must be untouched`);
    } else if (layer.data[i * 4 + 3] === 255 && mask.data[i] === 255) {
      assert.deepEqual(px, Array.from(layer.data.subarray(i * 4, i * 4 + 3)), `pixel ${i} must be the layer`);
    } else {
      const a = (layer.data[i * 4 + 3] * mask.data[i]) / 65025;
      for (let c = 0; c < 3; c++) assert.ok(Math.abs(px[c] - (before[i * 3 + c] * (1 - a) + layer.data[i * 4 + c] * a)) <= 0.5 + 1e-9);
    }
  }
});

test('compositeOver without a mask keeps an RGBA base\'s alpha', () => {
  const base = createRaster(1, 1, 4);
  base.data.set([10, 20, 30, 99]);
  const layer = createRaster(1, 1, 4);
  layer.data.set([200, 100, 50, 255]);
  compositeOver(base, layer);
  assert.deepEqual(Array.from(base.data), [200, 100, 50, 99]);
});

test('layerOver stacks straight-alpha layers', () => {
  const bottom = createRaster(3, 1, 4);
  bottom.data.set([100, 100, 100, 255, 0, 200, 0, 255, 50, 60, 70, 0]);
  const top = createRaster(3, 1, 4);
  top.data.set([200, 0, 0, 128, 9, 9, 9, 0, 10, 20, 30, 128]);
  layerOver(bottom, top);
  assert.deepEqual(Array.from(bottom.data.subarray(4, 8)), [0, 200, 0, 255], 'transparent top changes nothing');
  assert.deepEqual(Array.from(bottom.data.subarray(8)), [10, 20, 30, 128], 'over transparency: the top as it is');
  assert.equal(bottom.data[3], 255);
  assert.ok(Math.abs(bottom.data[0] - 150) <= 1 && Math.abs(bottom.data[1] - 50) <= 1);
});

test('matchNoise adds grain up to the photo\'s level, deterministically, only where the layer is', () => {
  const w = 100;
  const h = 100;
  const photo = createRaster(w, h, 3);
  let s = 99;
  const rand = (): number => ((s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  for (let i = 0; i < w * h; i++) photo.data.fill(Math.round(128 + (rand() + rand() + rand() - 1.5) * 16), i * 3, i * 3 + 3);
  const region = createMask(w, h);
  region.data.fill(255);
  const clean = createRaster(w, h, 4);
  for (let i = 0; i < w * h; i++) clean.data.set(i < w * h / 2 ? [90, 140, 200, 255] : [0, 0, 0, 0], i * 4);
  const one = { ...clean, data: clean.data.slice() };
  const two = { ...clean, data: clean.data.slice() };
  const sigma = matchNoise(one, photo, region, 5);
  matchNoise(two, photo, region, 5);
  assert.deepEqual(one.data, two.data);
  assert.ok(sigma > 5 && sigma < 11, `sigma ${sigma}`);
  let sum2 = 0;
  for (let i = 0; i < w * h / 2; i++) sum2 += (one.data[i * 4 + 1] - 140) ** 2;
  const sd = Math.sqrt(sum2 / (w * h / 2));
  assert.ok(Math.abs(sd - sigma) < 1, `added ${sd} for σ ${sigma}`);
  assert.deepEqual(Array.from(one.data.subarray((w * h - 1) * 4)), [0, 0, 0, 0]);
  assert.equal(matchNoise(one, clean, region, 5), 0, 'a clean reference adds nothing');
});

test('matchNoise takes the photo\'s grain from its smoothest region: a textured old garment does not print speckle', () => {
  const w = 100;
  const h = 100;
  // Left half: a coarse tweed (±40 levels pixel to pixel); right half: skin with faint grain (±2).
  const photo = createRaster(w, h, 3);
  let s = 7;
  const rand = (): number => ((s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const amplitude = x < w / 2 ? 40 : 2;
      photo.data.fill(Math.round(128 + (rand() - 0.5) * 2 * amplitude), (y * w + x) * 3, (y * w + x) * 3 + 3);
    }
  }
  const tweed = createMask(w, h);
  const skin = createMask(w, h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (x < w / 2 - 2) tweed.data[y * w + x] = 255;
      if (x > w / 2 + 2) skin.data[y * w + x] = 255;
    }
  }
  const layer = (): ReturnType<typeof createRaster> => {
    const l = createRaster(w, h, 4);
    for (let i = 0; i < w * h; i++) l.data.set([90, 140, 200, 255], i * 4);
    return l;
  };
  const fromTweed = matchNoise(layer(), photo, tweed, 3);
  const fromBoth = matchNoise(layer(), photo, [tweed, skin], 3);
  assert.ok(fromTweed > 15, `the tweed alone reads as heavy grain (${fromTweed})`);
  assert.ok(fromBoth < 3, `with the skin beside it, the grain is the skin's (${fromBoth})`);
  // A region too small to measure is passed over.
  const speck = createMask(w, h);
  speck.data[5050] = 255;
  assert.equal(matchNoise(layer(), photo, [tweed, speck], 3), fromTweed);
});

test('upscaleLayer keeps colours at the outline (no dark fringe) and alpha interpolates', () => {
  const layer = createRaster(2, 1, 4);
  layer.data.set([255, 128, 0, 255, 0, 0, 0, 0]);
  const big = upscaleLayer(layer, 4, 2);
  for (let x = 0; x < 3; x++) {
    assert.deepEqual(Array.from(big.data.subarray(x * 4, x * 4 + 3)), [255, 128, 0], `pixel ${x}`);
  }
  assert.deepEqual([big.data[3], big.data[7], big.data[11], big.data[15]], [255, 191, 64, 0]);
});

test('mergeIntoPhoto: the render upscaled and blended by the region where it covers (plus luminance grain), the photo bit for bit elsewhere', () => {
  // A render at "analysis" size, a photo 3.3x larger, a soft region over part of it: the merge
  // must equal a whole-image upscale (upscaleLayer of the opaque render) blended per pixel, up to
  // the grain restoreGrain adds: the same offset on the three channels of a pixel.
  const render = textured(31, 23, 3, 3);
  const photo = textured(103, 76, 3, 4);
  const soft = createMask(31, 23);
  for (let y = 6; y < 17; y++) for (let x = 9; x < 25; x++) soft.data[y * 31 + x] = (x * 37 + y * 11) % 256;
  const merged = mergeIntoPhoto(photo, render, soft);
  const opaque = createRaster(31, 23, 4);
  for (let i = 0; i < 31 * 23; i++) {
    opaque.data.set(render.data.subarray(i * 3, i * 3 + 3), i * 4);
    opaque.data[i * 4 + 3] = 255;
  }
  const up = upscaleLayer(opaque, 103, 76);
  const region = resizeMask(soft, 103, 76);
  let covered = 0;
  for (let i = 0; i < 103 * 76; i++) {
    const a = region.data[i];
    assert.equal(merged.region.data[i], a);
    assert.equal(merged.repaintMask.data[i], a === 0 ? 0 : 255);
    if (a > 0) covered++;
    const offsets: number[] = [];
    for (let c = 0; c < 3; c++) {
      const expected = a === 0 ? photo.data[i * 3 + c] : Math.round((photo.data[i * 3 + c] * (255 - a) + up.data[i * 4 + c] * a) / 255);
      if (a === 0) assert.equal(merged.image.data[i * 3 + c], expected, `pixel ${i} channel ${c}`);
      else if (merged.image.data[i * 3 + c] > 0 && merged.image.data[i * 3 + c] < 255) offsets.push(merged.image.data[i * 3 + c] - expected);
    }
    // Grain, not another colour: one offset for the three channels (unclamped ones), to rounding.
    if (offsets.length > 1) assert.ok(Math.max(...offsets) - Math.min(...offsets) <= 1, `pixel ${i} offsets ${offsets}`);
  }
  assert.ok(covered > 1000 && covered < 103 * 76 / 2, `the region covers part of the photo (${covered} px)`);
  // Same size: the render itself, no resampling.
  const same = mergeIntoPhoto(render, textured(31, 23, 3, 5), soft);
  assert.equal(same.region, soft);
});

test('mergeIntoPhoto: a smooth render merged into a grainy photo three times its size takes the photo\'s grain, and only where it covers', () => {
  const random = createGaussianRandom(99);
  const photo = createRaster(150, 120, 3);
  for (let i = 0; i < photo.data.length; i += 3) {
    const v = Math.round(128 + 6 * random());
    photo.data.fill(v, i, i + 3);
  }
  const render = createRaster(50, 40, 3);
  render.data.fill(90);
  const soft = createMask(50, 40);
  for (let y = 10; y < 30; y++) for (let x = 10; x < 40; x++) soft.data[y * 50 + x] = 255;
  const merged = mergeIntoPhoto(photo, render, soft);
  const inside = (i: number) => merged.region.data[i] === 255;
  const photoSigma = estimateNoiseSigma(photo.data, 3, 150, 120, () => true);
  const mergedSigma = estimateNoiseSigma(merged.image.data, 3, 150, 120, inside);
  assert.ok(photoSigma > 4, `photo grain ${photoSigma}`);
  assert.ok(Math.abs(mergedSigma - photoSigma) < 0.3 * photoSigma, `merged grain ${mergedSigma} against the photo's ${photoSigma}`);
  for (let i = 0; i < 150 * 120; i++) {
    if (merged.region.data[i] === 0) for (let c = 0; c < 3; c++) assert.equal(merged.image.data[i * 3 + c], photo.data[i * 3 + c]);
  }
  // At the photo's own size the render is merged as drawn: its grain was matched when it was drawn.
  const same = mergeIntoPhoto(render, render, soft);
  assert.equal(estimateNoiseSigma(same.image.data, 3, 50, 40, (i) => soft.data[i] === 255), 0);
});

/** A layer of one colour whose solid part is `inside(x, y)`. */
function drawnLayer(w: number, h: number, inside: (x: number, y: number) => boolean): Raster {
  const layer = createRaster(w, h, 4);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (!inside(x, y)) continue;
      layer.data.set([200, 40, 30, 255], (y * w + x) * 4);
    }
  }
  return layer;
}

test('smoothOutline: a stair-stepped edge becomes a straight soft one, a small notch is filled, a strap and the kept pixels stay', () => {
  const w = 80;
  const h = 80;
  // A diagonal edge in steps of 4 px (x < 20 + 4·⌊y/4⌋, up to x = 60) with a 2x2 notch in it, and
  // a strap 2 px wide beside it.
  const staircase = (x: number, y: number): boolean => x < Math.min(60, 20 + 4 * Math.floor(y / 4));
  const notch = (x: number, y: number): boolean => x >= 6 && x < 8 && y >= 40 && y < 42;
  const layer = drawnLayer(w, h, (x, y) => (staircase(x, y) && !notch(x, y)) || (x >= 70 && x < 72 && y < 60));
  const keep = createMask(w, h);
  // A small hand in front of the garment, cut out of it: a hole the size of a notch, never drawn over.
  for (let y = 60; y < 66; y++) {
    for (let x = 30; x < 36; x++) {
      keep.data[y * w + x] = 255;
      layer.data[(y * w + x) * 4 + 3] = 0;
    }
  }
  smoothOutline(layer, keep);
  const alpha = (x: number, y: number): number => layer.data[(y * w + x) * 4 + 3];
  // The half level along each row lies near the line through the steps' middles (x = 21.5 + y).
  let worst = 0;
  for (let y = 8; y < 40; y++) {
    let edge = 0;
    for (let x = 0; x < w - 12; x++) if (alpha(x, y) >= 128) edge = x + 1;
    worst = Math.max(worst, Math.abs(edge - (y + 20)));
  }
  assert.ok(worst <= 2, `the outline still steps by ${worst} px`);
  // Soft: a pixel or two of partial alpha across the edge, not a hard step.
  let partial = 0;
  for (let x = 0; x < w - 12; x++) if (alpha(x, 20) > 0 && alpha(x, 20) < 255) partial++;
  assert.ok(partial >= 1 && partial <= 3, `${partial} partial pixels across the edge`);
  assert.equal(alpha(6, 40), 255, 'the notch is filled');
  assert.deepEqual(Array.from(layer.data.subarray((40 * w + 6) * 4, (40 * w + 6) * 4 + 3)), [200, 40, 30], 'with the layer\'s colour');
  for (let y = 5; y < 55; y++) assert.ok(alpha(70, y) >= 128 && alpha(71, y) >= 128, `the strap is kept at row ${y}`);
  for (let y = 60; y < 66; y++) for (let x = 30; x < 36; x++) assert.equal(alpha(x, y), 0, 'nothing is drawn over what is kept');
  // Pixels newly reached take the layer's colour, not black.
  for (let i = 0; i < w * h; i++) if (layer.data[i * 4 + 3] > 0) assert.equal(layer.data[i * 4], 200, `pixel ${i} has the layer's colour`);
});

test('mergeIntoPhoto with a layer on a photo four times larger: the garment\'s edge is as sharp at the output as the analysis ramp, and nothing outside the region changes', () => {
  // A flat grey render (the fills), a red layer whose outline is a diagonal with a soft ramp of
  // about 1.5 analysis px, a photo 4x larger. Drawn on the render and upscaled, the ramp spans
  // about six output pixels; drawn at the output's size, about two.
  const sw = 24;
  const sh = 24;
  const render = createRaster(sw, sh, 3);
  render.data.fill(128);
  const layer = createRaster(sw, sh, 4);
  for (let y = 0; y < sh; y++) {
    for (let x = 0; x < sw; x++) {
      const inside = 12 + y * 0.3 - x + 0.5;
      const a = Math.max(0, Math.min(1, inside / 1.5 + 0.5));
      layer.data.set([220, 30, 30, Math.round(a * 255)], (y * sw + x) * 4);
    }
  }
  const region = createMask(sw, sh);
  for (let y = 2; y < 22; y++) for (let x = 2; x < 22; x++) region.data[y * sw + x] = 255;
  const photo = createRaster(sw * 4, sh * 4, 3);
  photo.data.fill(90);
  const drawnFirst = createRaster(sw, sh, 3);
  drawnFirst.data.set(render.data);
  compositeOver(drawnFirst, layer);
  const before = mergeIntoPhoto(photo, drawnFirst, region).image;
  const after = mergeIntoPhoto(photo, render, region, layer);
  // The red channel across one output row in the middle: the count of pixels between the two sides.
  const rampWidth = (image: Raster, y: number): number => {
    let n = 0;
    for (let x = 12; x < 84; x++) {
      const r = image.data[(y * sw * 4 + x) * 3];
      if (r > 128 + 12 && r < 220 - 12) n++;
    }
    return n;
  };
  for (const y of [40, 48, 56]) {
    assert.ok(rampWidth(before, y) >= 4, `drawn first, the edge is smeared (${rampWidth(before, y)} px at row ${y})`);
    assert.ok(rampWidth(after.image, y) <= 2, `drawn at the output, the edge is sharp (${rampWidth(after.image, y)} px at row ${y})`);
  }
  // The layer is drawn: red well inside its outline, the render's grey well outside.
  assert.equal(after.image.data[(48 * sw * 4 + 20) * 3], 220);
  assert.equal(after.image.data[(48 * sw * 4 + 80) * 3], 128);
  for (let i = 0; i < photo.width * photo.height; i++) {
    if (after.region.data[i] === 0) assert.equal(after.image.data[i * 3], 90, `pixel ${i} outside the region is the photo's`);
  }
  assert.equal(drawsLayerAtOutput(sw, sw * 4), true);
  assert.equal(drawsLayerAtOutput(sw, sw), false);
});
