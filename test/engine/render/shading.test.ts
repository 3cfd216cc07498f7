import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyShading, castShadowBelow, darken, luminance, shadingContrast, shadingMap, silhouetteShading } from '../../../src/engine/classic/render/shading.ts';
import { SRGB_TO_LINEAR } from '../../../src/imaging/colour.ts';
import { createFloatMap, createMask, createRaster, type Raster } from '../../../src/imaging/raster.ts';

function flat(width: number, height: number, rgb: [number, number, number]): Raster {
  const image = createRaster(width, height, 3);
  for (let i = 0; i < width * height; i++) image.data.set(rgb, i * 3);
  return image;
}

function fullMask(width: number, height: number) {
  const m = createMask(width, height);
  m.data.fill(255);
  return m;
}

test('luminance is linear-light relative luminance', () => {
  const lum = luminance(flat(2, 2, [255, 255, 255]));
  assert.ok(Math.abs(lum.data[0] - 1) < 1e-6);
  const grey = luminance(flat(1, 1, [128, 128, 128]));
  assert.ok(Math.abs(grey.data[0] - SRGB_TO_LINEAR[128]) < 1e-6);
});

test('shadingMap of a flat image is 1.0 everywhere', () => {
  const map = shadingMap(flat(120, 160, [140, 90, 60]), fullMask(120, 160), 20);
  for (const v of map.data) assert.ok(Math.abs(v - 1) < 1e-4, `value ${v}`);
});

test('shadingMap finds a crease below 1 and ignores light outside the region', () => {
  const w = 120;
  const h = 120;
  const image = flat(w, h, [150, 150, 150]);
  for (let y = 0; y < h; y++) for (let x = 58; x < 62; x++) image.data.set([90, 90, 90], (y * w + x) * 3);
  // A bright backdrop right of the region must not make the region look dark.
  for (let y = 0; y < h; y++) for (let x = 100; x < w; x++) image.data.set([255, 255, 255], (y * w + x) * 3);
  const region = createMask(w, h);
  for (let y = 0; y < h; y++) for (let x = 0; x < 100; x++) region.data[y * w + x] = 255;
  const map = shadingMap(image, region, 15);
  assert.ok(map.data[60 * w + 60] < 0.7, `crease ${map.data[60 * w + 60]}`);
  assert.ok(Math.abs(map.data[60 * w + 20] - 1) < 0.05, `flat area ${map.data[60 * w + 20]}`);
  assert.ok(Math.abs(map.data[60 * w + 97] - 1) < 0.05, `next to the backdrop ${map.data[60 * w + 97]}`);
  assert.equal(map.data[60 * w + 110], 1, 'outside the region');
  for (const v of map.data) assert.ok(v >= 0.5 && v <= 1.4);
});

test('applyShading with strength 0 changes nothing, bit for bit', () => {
  const layer = createRaster(16, 16, 4);
  for (let i = 0; i < layer.data.length; i++) layer.data[i] = (i * 29) & 255;
  const before = layer.data.slice();
  const shading = createFloatMap(16, 16);
  shading.data.fill(0.6);
  applyShading(layer, shading, 0);
  assert.deepEqual(layer.data, before);
});

test('applyShading with a factor of exactly 1 leaves every code unchanged', () => {
  const layer = createRaster(256, 1, 4);
  for (let i = 0; i < 256; i++) layer.data.set([i, 255 - i, (i * 7) & 255, 255], i * 4);
  const before = layer.data.slice();
  const shading = createFloatMap(256, 1);
  shading.data.fill(1);
  applyShading(layer, shading, 1);
  assert.deepEqual(layer.data, before);
});

test('applyShading multiplies in linear light, scaled by strength, and skips transparent pixels', () => {
  const layer = createRaster(2, 1, 4);
  layer.data.set([200, 100, 50, 255, 200, 100, 50, 0]);
  const shading = createFloatMap(2, 1);
  shading.data.fill(0.5);
  applyShading(layer, shading, 0.5); // factor 0.75
  for (let c = 0; c < 3; c++) {
    const expected = SRGB_TO_LINEAR[[200, 100, 50][c]] * 0.75;
    const got = SRGB_TO_LINEAR[layer.data[c]];
    assert.ok(Math.abs(got - expected) < 0.01, `channel ${c}: ${got} vs ${expected}`);
  }
  assert.deepEqual(Array.from(layer.data.subarray(4)), [200, 100, 50, 0]);
});

test('applyShading keeps the hue of a highlight that would pass white', () => {
  const layer = createRaster(1, 1, 4);
  layer.data.set([250, 120, 40, 255]);
  const shading = createFloatMap(1, 1);
  shading.data.fill(1.4);
  applyShading(layer, shading, 1);
  assert.equal(layer.data[0], 255);
  assert.ok(layer.data[1] > 120 && layer.data[1] < 250 && layer.data[2] > 40 && layer.data[2] < layer.data[1], Array.from(layer.data).join());
});

test('shadingMap ignores a coloured button on a white top but keeps a crease on red fabric', () => {
  const w = 120;
  const h = 120;
  const full = fullMask(w, h);
  const top = flat(w, h, [235, 235, 230]);
  for (let y = 50; y < 66; y++) for (let x = 50; x < 66; x++) top.data.set([110, 70, 40], (y * w + x) * 3);
  const guarded = shadingMap(top, full, 15);
  assert.ok(guarded.data[58 * w + 58] > 0.9, `button with the guard: ${guarded.data[58 * w + 58]}`);
  const unguarded = shadingMap(top, full, 15, { chromaTolerance: Infinity, printGuard: false });
  assert.ok(unguarded.data[58 * w + 58] < 0.6, `button without the guard: ${unguarded.data[58 * w + 58]}`);

  const red = flat(w, h, [170, 40, 45]);
  for (let y = 0; y < h; y++) for (let x = 58; x < 62; x++) red.data.set([120, 26, 30], (y * w + x) * 3);
  const crease = shadingMap(red, full, 15);
  assert.ok(crease.data[60 * w + 60] < 0.75, `crease on red: ${crease.data[60 * w + 60]}`);
  assert.ok(Math.abs(crease.data[60 * w + 20] - 1) < 0.05);
});

test('shadingMap leaves no ghost of white letters on a black top but keeps its creases', () => {
  const w = 120;
  const h = 120;
  const full = fullMask(w, h);
  const top = flat(w, h, [30, 30, 32]);
  // A white letter block and a crease (a third darker, in linear light about half).
  for (let y = 30; y < 50; y++) for (let x = 30; x < 50; x++) top.data.set([245, 245, 245], (y * w + x) * 3);
  for (let y = 0; y < h; y++) for (let x = 88; x < 92; x++) top.data.set([20, 20, 21], (y * w + x) * 3);
  const guarded = shadingMap(top, full, 15, { min: 0.5, max: 1.4 });
  assert.ok(Math.abs(guarded.data[40 * w + 40] - 1) < 0.1, `letter with the guard: ${guarded.data[40 * w + 40]}`);
  assert.ok(guarded.data[80 * w + 90] < 0.8, `crease: ${guarded.data[80 * w + 90]}`);
  const unguarded = shadingMap(top, full, 15, { min: 0.5, max: 1.4, printGuard: false });
  assert.ok(unguarded.data[40 * w + 40] > 1.3, `letter without the guard: ${unguarded.data[40 * w + 40]}`);
});

test('shadingMap with a stroke radius leaves no ghost of grey letters on a cream top but keeps a broad fold', () => {
  const w = 160;
  const h = 120;
  const full = fullMask(w, h);
  const top = flat(w, h, [236, 226, 205]);
  // Grey lettering: vertical and horizontal strokes 6 px thick (about 0.4 of the cream's light,
  // inside the wide-surround print guard's range), and a broad soft fold further right.
  for (let y = 30; y < 60; y++) {
    for (let x = 20; x < 80; x++) {
      const stroke = (x - 20) % 14 < 6 || (y - 30) % 15 < 6;
      if (stroke) top.data.set([150, 148, 140], (y * w + x) * 3);
    }
  }
  for (let y = 0; y < h; y++) {
    for (let x = 110; x < 150; x++) {
      const k = 1 - 0.22 * Math.exp(-(((x - 130) / 10) ** 2));
      top.data.set([236 * k, 226 * k, 205 * k].map(Math.round), (y * w + x) * 3);
    }
  }
  const plain = shadingMap(top, full, 15, { min: 0.5, max: 1.4, detailSigma: 2 });
  const guarded = shadingMap(top, full, 15, { min: 0.5, max: 1.4, detailSigma: 2, printStrokeRadius: 5 });
  const letter = 33 * w + 22;
  assert.ok(plain.data[letter] < 0.8, `the letters read as shading without the stroke radius: ${plain.data[letter]}`);
  assert.ok(Math.abs(guarded.data[letter] - 1) < 0.08, `letter with the stroke radius: ${guarded.data[letter]}`);
  assert.ok(plain.data[80 * w + 130] < 0.8, `fold: ${plain.data[80 * w + 130]}`);
  assert.ok(Math.abs(guarded.data[80 * w + 130] - plain.data[80 * w + 130]) < 0.03, `fold with the stroke radius: ${guarded.data[80 * w + 130]}, without: ${plain.data[80 * w + 130]}`);
});

test('shadingContrast is the RMS departure from 1 over the fully covered region only', () => {
  const w = 10;
  const h = 10;
  const shading = createFloatMap(w, h);
  shading.data.fill(1);
  const region = createMask(w, h);
  for (let i = 0; i < 50; i++) region.data[i] = 255;
  region.data[50] = 128; // partial coverage: not counted
  assert.equal(shadingContrast(shading, region), 0);
  for (let i = 0; i < 50; i++) shading.data[i] = i % 2 ? 1.1 : 0.9;
  shading.data[50] = 3;
  assert.ok(Math.abs(shadingContrast(shading, region) - 0.1) < 1e-6);
  assert.equal(shadingContrast(shading, createMask(w, h)), 0);
});

test('silhouetteShading darkens a body towards its silhouette only, as a rounded solid lit from the front', () => {
  // A drawn torso: a 60 px wide band down a 100 px image.
  const width = 100;
  const height = 40;
  const body = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 20; x < 80; x++) body[y * width + x] = 1;
  const map = silhouetteShading(body, width, height, 15, 0.3);
  const at = (x: number) => map.data[20 * width + x];
  // Off the body and deeper than the reach inside it: untouched.
  assert.equal(at(5), 1);
  assert.equal(at(50), 1);
  assert.equal(at(36), 1);
  // At the silhouette about 1 − depth, rising steeply and then levelling off towards the reach.
  assert.ok(at(20) < 0.8 && at(20) >= 0.7, `edge ${at(20)}`);
  assert.ok(at(79) < 0.8, `far edge ${at(79)}`);
  assert.ok(at(20) < at(22) && at(22) < at(26) && at(26) < at(32) && at(32) <= 1);
  assert.ok(at(22) - at(20) > at(32) - at(30), 'steepest at the edge');
  // Symmetric about the middle.
  assert.ok(Math.abs(at(22) - at(77)) < 1e-6);
  // Depth 0 changes nothing.
  assert.ok(silhouetteShading(body, width, height, 15, 0).data.every((v) => v === 1));
});

test('castShadowBelow: a garment\'s shadow falls just below its lower edge, fades down the column, and only on the receiver', () => {
  const width = 60;
  const height = 60;
  // A garment over columns 10-39, rows 0-19; everything below may receive a shadow but column 30-39.
  const garment = new Uint8Array(width * height);
  const receiver = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (y < 20 && x >= 10 && x < 40) garment[y * width + x] = 1;
      else if (x < 30 || x >= 40) receiver[y * width + x] = 1;
    }
  }
  const shadow = castShadowBelow(garment, receiver, width, height, 4, 0.3);
  const at = (x: number, y: number) => shadow.data[y * width + x];
  assert.ok(at(20, 20) > 0.2 && at(20, 20) <= 0.3 + 1e-6, `right under the hem ${at(20, 20)}`);
  assert.ok(at(20, 20) > at(20, 24) && at(20, 24) > at(20, 28) && at(20, 28) > 0);
  assert.equal(at(20, 45), 0, 'beyond three fall-off lengths');
  assert.equal(at(35, 21), 0, 'not on what does not receive it');
  assert.equal(at(20, 10), 0, 'not on the garment');
  assert.ok(at(55, 21) === 0 && at(2, 21) === 0, 'not below where no garment is');
  // Darkening by it in linear light: half the light of mid-grey is sRGB ~ 99, none keeps the pixel.
  const image = createRaster(2, 1, 3);
  image.data.set([136, 136, 136, 136, 136, 136]);
  const loss = createFloatMap(2, 1);
  loss.data[0] = 0.5;
  darken(image, loss);
  assert.ok(Math.abs(image.data[0] - 99) <= 1, `darkened ${image.data[0]}`);
  assert.equal(image.data[3], 136);
});
