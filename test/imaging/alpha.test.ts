/**
 * Keeping a transparent person photo's alpha (src/imaging/alpha.ts) and decoding it
 * (src/imaging/decode.ts), on drawn images and synthetic masks.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { composeResultRgba, resultAlpha, stackShares, unflattenOnWhite } from '../../src/imaging/alpha.ts';
import { decodeImage, imageContentHash } from '../../src/imaging/decode.ts';
import type { Mask, Raster } from '../../src/imaging/raster.ts';

const W = 8;
const H = 4;

function mask(values: number[] | ((i: number) => number)): Mask {
  const data = new Uint8Array(W * H);
  for (let i = 0; i < data.length; i++) data[i] = typeof values === 'function' ? values(i) : values[i];
  return { width: W, height: H, data };
}

/** Input alpha: left half a transparent backdrop, right half the opaque person, one soft column between. */
const INPUT_ALPHA = mask((i) => (i % W < 3 ? 0 : i % W === 3 ? 128 : 255));
/** Repainted: the middle four columns. */
const REPAINT = mask((i) => (i % W >= 2 && i % W < 6 ? 255 : 0));

test('outside the repaint mask the alpha is the input alpha, bit for bit', () => {
  const shares = { backgroundFill: mask(() => 200), photoKept: mask(() => 30) };
  for (const out of [resultAlpha(INPUT_ALPHA, REPAINT, shares), resultAlpha(INPUT_ALPHA, REPAINT)]) {
    for (let i = 0; i < W * H; i++) if (REPAINT.data[i] === 0) assert.equal(out.data[i], INPUT_ALPHA.data[i], `pixel ${i}`);
  }
});

test('inside the repaint mask: drawn is opaque, filled backdrop transparent, the photo keeps its alpha, mixes are soft', () => {
  const at = (x: number) => x; // row 0
  const cases: Array<{ x: number; background: number; photo: number; expected: number; what: string }> = [
    { x: 2, background: 0, photo: 0, expected: 255, what: 'garment drawn over the transparent backdrop' },
    { x: 4, background: 255, photo: 0, expected: 0, what: 'old garment replaced by backdrop' },
    { x: 2, background: 0, photo: 255, expected: 0, what: "the photo's own transparent backdrop" },
    { x: 3, background: 0, photo: 255, expected: 128, what: "the photo's own soft edge" },
    { x: 5, background: 0, photo: 255, expected: 255, what: "the photo's own opaque person" },
    { x: 4, background: 128, photo: 0, expected: 127, what: 'soft edge of a backdrop fill' },
    { x: 2, background: 0, photo: 128, expected: 127, what: 'soft garment edge over the transparent backdrop' },
  ];
  for (const c of cases) {
    const shares = { backgroundFill: mask(() => 0), photoKept: mask(() => 255) };
    shares.backgroundFill.data[at(c.x)] = c.background;
    shares.photoKept.data[at(c.x)] = c.photo;
    assert.equal(resultAlpha(INPUT_ALPHA, REPAINT, shares).data[at(c.x)], c.expected, c.what);
  }
});

test('an engine that does not say what it drew is opaque wherever it repainted', () => {
  const out = resultAlpha(INPUT_ALPHA, REPAINT);
  for (let i = 0; i < W * H; i++) if (REPAINT.data[i] === 255) assert.equal(out.data[i], 255);
});

test('unflattening: opaque pixels keep their RGB exactly, and the RGBA over white is the flattened picture again', () => {
  const rgb: Raster = { width: W, height: H, channels: 3, data: new Uint8Array(W * H * 3) };
  const straight = [30, 140, 220];
  for (let i = 0; i < W * H; i++) {
    const a = INPUT_ALPHA.data[i] / 255;
    // What sharp's flatten on white gives for this straight colour and alpha.
    for (let c = 0; c < 3; c++) rgb.data[i * 3 + c] = Math.round(straight[c] * a + 255 * (1 - a));
  }
  const out = unflattenOnWhite(rgb, INPUT_ALPHA);
  assert.equal(out.channels, 4);
  for (let i = 0; i < W * H; i++) {
    const a = out.data[i * 4 + 3];
    assert.equal(a, INPUT_ALPHA.data[i]);
    for (let c = 0; c < 3; c++) {
      const v = out.data[i * 4 + c];
      if (a === 255) assert.equal(v, rgb.data[i * 3 + c]);
      if (a > 0 && a < 255) assert.ok(Math.abs(v - straight[c]) <= 2, `straight colour recovered: ${v} vs ${straight[c]}`);
      const overWhite = Math.round((v * a + 255 * (255 - a)) / 255);
      assert.ok(Math.abs(overWhite - rgb.data[i * 3 + c]) <= 1, `over white ${overWhite} vs ${rgb.data[i * 3 + c]}`);
    }
  }
  const composed = composeResultRgba(rgb, INPUT_ALPHA, REPAINT);
  assert.equal(composed.data[2 * 4 + 3], 255, 'repainted pixel opaque');
});

test('two passes stack: the later pass sees the earlier result as its photo', () => {
  const earlier = { backgroundFill: mask(() => 255), photoKept: mask(() => 0) };
  const later = { backgroundFill: mask(() => 0), photoKept: mask(() => 255) };
  later.photoKept.data[0] = 0; // drawn over by the later pass
  const stacked = stackShares(earlier, later);
  assert.equal(stacked.backgroundFill?.data[1], 255, 'kept through the later pass: still backdrop');
  assert.equal(stacked.photoKept?.data[1], 0);
  assert.equal(stacked.backgroundFill?.data[0], 0, 'drawn by the later pass: opaque');
  assert.deepEqual(stackShares(earlier, {}), {}, 'a pass that does not say makes the stack unknown');
});

/** A 160x140 drawing: a transparent backdrop, an opaque blue disc, a soft rim. */
async function cutOut(format: 'png' | 'webp'): Promise<{ bytes: Buffer; alpha: Uint8Array }> {
  const width = 160;
  const height = 140;
  const rgba = Buffer.alloc(width * height * 4);
  const alpha = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const d = Math.hypot(x - 80, y - 70) - 50;
      const a = Math.round(255 * Math.max(0, Math.min(1, 0.5 - d / 3)));
      const i = y * width + x;
      rgba.set([20, 60, 200, a], i * 4);
      alpha[i] = a;
    }
  }
  const image = sharp(rgba, { raw: { width, height, channels: 4 } });
  const bytes = format === 'png' ? await image.png().toBuffer() : await image.webp({ lossless: true }).toBuffer();
  return { bytes, alpha };
}

for (const format of ['png', 'webp'] as const) {
  test(`decoding a ${format} with transparency: RGB flattened on white as before, plus the source alpha`, async () => {
    const { bytes, alpha } = await cutOut(format);
    const decoded = await decodeImage(bytes, 'modelImg');
    assert.equal(decoded.raster.channels, 3);
    assert.deepEqual(Array.from(decoded.raster.data.subarray(0, 3)), [255, 255, 255], 'backdrop flattened on white');
    assert.ok(decoded.alpha, 'alpha returned');
    assert.deepEqual(decoded.alpha.data, alpha);
    // The engine's RGB is sharp's own flatten, exactly.
    const flat = await sharp(bytes).flatten({ background: { r: 255, g: 255, b: 255 } }).raw().toBuffer();
    assert.deepEqual(Buffer.from(decoded.raster.data), flat);
  });
}

test('opaque images carry no alpha, even with an all-255 alpha channel, and hash exactly as before', async () => {
  const rgb = await sharp({ create: { width: 140, height: 130, channels: 3, background: { r: 10, g: 120, b: 40 } } }).png().toBuffer();
  const rgbaOpaque = await sharp({ create: { width: 140, height: 130, channels: 4, background: { r: 10, g: 120, b: 40, alpha: 1 } } }).png().toBuffer();
  const a = await decodeImage(rgb, 'modelImg');
  const b = await decodeImage(rgbaOpaque, 'modelImg');
  assert.equal(a.alpha, undefined);
  assert.equal(b.alpha, undefined);
  assert.equal(a.sha256, b.sha256);
  // The hash every earlier version computed: width, height (uint32 BE) and the RGB bytes.
  const header = Buffer.alloc(8);
  header.writeUInt32BE(140, 0);
  header.writeUInt32BE(130, 4);
  assert.equal(a.sha256, createHash('sha256').update(header).update(a.raster.data).digest('hex'));
});

test('a cut-out and the same pixels flattened on white hash differently; different alphas differ too', async () => {
  const { bytes } = await cutOut('png');
  const cut = await decodeImage(bytes, 'modelImg');
  const flattened = await decodeImage(await sharp(bytes).flatten({ background: '#ffffff' }).png().toBuffer(), 'modelImg');
  assert.deepEqual(cut.raster.data, flattened.raster.data, 'same RGB for the engine');
  assert.notEqual(cut.sha256, flattened.sha256);
  assert.ok(cut.alpha);
  const otherAlpha = { ...cut.alpha, data: cut.alpha.data.slice() };
  otherAlpha.data[0] = 1;
  assert.notEqual(imageContentHash(cut.raster, otherAlpha), cut.sha256);
  assert.equal(imageContentHash(cut.raster, cut.alpha), cut.sha256);
});

test('the alpha follows the EXIF orientation, like the RGB', async () => {
  const { bytes } = await cutOut('png');
  // Make the top-left corner opaque so the rotation is visible in the alpha.
  const marked = await sharp(bytes).composite([{ input: { create: { width: 10, height: 10, channels: 4, background: { r: 255, g: 0, b: 0, alpha: 1 } } }, left: 0, top: 0 }]).png().toBuffer();
  const rotated = await sharp(marked).withMetadata({ orientation: 6 }).png().toBuffer();
  const decoded = await decodeImage(rotated, 'modelImg');
  assert.equal(decoded.width, 140);
  assert.ok(decoded.alpha);
  // Rotated 90° clockwise: the stored top-left corner is now top-right.
  assert.equal(decoded.alpha.data[0 * 140 + 135], 255);
  assert.equal(decoded.alpha.data[0], 0);
});

test('grey+alpha and palette transparency come out as one alpha plane', async () => {
  const { bytes, alpha } = await cutOut('png');
  const greyAlpha = await sharp(bytes).toColourspace('b-w').png().toBuffer();
  const g = await decodeImage(greyAlpha, 'modelImg');
  assert.ok(g.alpha);
  assert.deepEqual(g.alpha.data, alpha);
  const palette = await sharp(bytes).png({ palette: true, colours: 16 }).toBuffer();
  const p = await decodeImage(palette, 'modelImg');
  assert.ok(p.alpha, 'palette transparency kept');
  assert.equal(p.alpha.data[0], 0);
  assert.equal(p.alpha.data[70 * 160 + 80], 255);
});
