import { test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { ApiError } from '../../src/domain/errors.ts';
import { decodeImage, decodeToRaster } from '../../src/imaging/decode.ts';
import { DEFAULT_IMAGE_LIMITS } from '../../src/imaging/limits.ts';
import { sniffImageFormat } from '../../src/imaging/sniff.ts';
import { BLUE, GREEN, RED, YELLOW, ftypFile, near, pixelAt, pngDeclaring, quadrantImage } from './fixtures.ts';

/** Asserts that `promise` rejects with a 10004 whose msg starts with the field and matches `pattern`. */
async function assertInvalid(promise: Promise<unknown>, field: string, pattern: RegExp, status = 400): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof ApiError, `expected ApiError, got ${String(error)}`);
    assert.equal(error.code, 10004);
    assert.equal(error.status, status);
    assert.ok(error.msg.startsWith(`INVALID_PARAM: ${field}: `), error.msg);
    assert.match(error.msg, pattern);
    return true;
  });
}

for (const format of ['jpeg', 'png', 'webp', 'avif'] as const) {
  test(`decodes ${format} to an upright RGB raster with the right colours`, async () => {
    const decoded = await decodeImage(await quadrantImage(format), 'modelImg');
    assert.equal(decoded.format, format);
    assert.equal(decoded.width, 200);
    assert.equal(decoded.height, 160);
    assert.equal(decoded.raster.channels, 3);
    assert.equal(decoded.raster.data.length, 200 * 160 * 3);
    assert.ok(near(pixelAt(decoded.raster, 20, 20), RED), `top-left ${pixelAt(decoded.raster, 20, 20)}`);
    assert.ok(near(pixelAt(decoded.raster, 180, 20), GREEN));
    assert.ok(near(pixelAt(decoded.raster, 20, 140), BLUE));
    assert.ok(near(pixelAt(decoded.raster, 180, 140), YELLOW));
    assert.match(decoded.sha256, /^[0-9a-f]{64}$/);
  });
}

test('the content hash depends on pixels, not on the encoding', async () => {
  const fromPng = await decodeImage(await quadrantImage('png'), 'modelImg');
  const fromWebp = await decodeImage(await quadrantImage('webp'), 'modelImg'); // lossless: same pixels
  assert.equal(fromPng.sha256, fromWebp.sha256);
  const other = await decodeImage(await quadrantImage('png', 200, 161), 'modelImg');
  assert.notEqual(fromPng.sha256, other.sha256);
});

test('EXIF orientation 6 is applied: the stored landscape image comes out rotated 90° clockwise', async () => {
  const jpeg = await sharp(await quadrantImage('png', 200, 160)).jpeg({ quality: 95 }).withMetadata({ orientation: 6 }).toBuffer();
  assert.equal((await sharp(jpeg).metadata()).orientation, 6);
  const { raster } = await decodeImage(jpeg, 'modelImg');
  assert.equal(raster.width, 160);
  assert.equal(raster.height, 200);
  // Rotating clockwise moves stored bottom-left (blue) to the top-left, stored top-left (red) to top-right.
  assert.ok(near(pixelAt(raster, 20, 20), BLUE), `top-left ${pixelAt(raster, 20, 20)}`);
  assert.ok(near(pixelAt(raster, 140, 20), RED), `top-right ${pixelAt(raster, 140, 20)}`);
  assert.ok(near(pixelAt(raster, 20, 180), YELLOW));
  assert.ok(near(pixelAt(raster, 140, 180), GREEN));
});

test('alpha is flattened onto white', async () => {
  const png = await sharp({ create: { width: 130, height: 130, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } })
    .png()
    .toBuffer();
  const { raster } = await decodeImage(png, 'modelImg');
  assert.deepEqual(pixelAt(raster, 65, 65), [255, 255, 255]);
});

test('greyscale and 16-bit inputs come out as 8-bit RGB', async () => {
  const grey = await sharp(await quadrantImage('png')).greyscale().png().toBuffer();
  const g = await decodeImage(grey, 'modelImg');
  assert.equal(g.raster.channels, 3);
  assert.equal(g.raster.data.length, 200 * 160 * 3);
  const deep = await sharp(await quadrantImage('png')).toColourspace('rgb16').png().toBuffer();
  assert.equal((await sharp(deep).metadata()).depth, 'ushort');
  const d = await decodeImage(deep, 'modelImg');
  assert.ok(near(pixelAt(d.raster, 20, 20), RED, 2));
});

test('an animated WebP decodes to its first frame', async () => {
  const red = await sharp({ create: { width: 160, height: 140, channels: 3, background: RED } }).png().toBuffer();
  const blue = await sharp({ create: { width: 160, height: 140, channels: 3, background: BLUE } }).png().toBuffer();
  const animated = await sharp([red, blue], { join: { animated: true } }).webp({ lossless: true }).toBuffer();
  assert.equal((await sharp(animated).metadata()).pages, 2);
  const { raster } = await decodeImage(animated, 'modelImg');
  assert.equal(raster.width, 160);
  assert.equal(raster.height, 140);
  assert.ok(near(pixelAt(raster, 80, 130), RED));
});

test('format is decided by the bytes: sniffing', async () => {
  for (const format of ['jpeg', 'png', 'webp', 'avif'] as const) {
    assert.deepEqual(sniffImageFormat(await quadrantImage(format)), { kind: 'accepted', format });
  }
  assert.deepEqual(sniffImageFormat(await quadrantImage('gif')), { kind: 'unsupported', name: 'GIF' });
  assert.deepEqual(sniffImageFormat(await quadrantImage('tiff')), { kind: 'unsupported', name: 'TIFF' });
  assert.deepEqual(sniffImageFormat(ftypFile('heic', ['mif1', 'heic'])), { kind: 'unsupported', name: 'HEIC/HEIF' });
  assert.deepEqual(sniffImageFormat(ftypFile('mif1', ['mif1', 'avif'])), { kind: 'accepted', format: 'avif' });
  assert.deepEqual(sniffImageFormat(Buffer.from('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>')), {
    kind: 'unsupported',
    name: 'SVG',
  });
  assert.deepEqual(sniffImageFormat(Buffer.from('hello world')), { kind: 'unknown' });
});

test('unaccepted formats are refused with a message naming the accepted ones', async () => {
  await assertInvalid(decodeImage(await quadrantImage('gif'), 'garmentImg'), 'garmentImg', /GIF is not accepted; send JPEG, PNG, WebP or AVIF/);
  await assertInvalid(decodeImage(await quadrantImage('tiff'), 'garmentImg'), 'garmentImg', /TIFF is not accepted/);
  await assertInvalid(decodeImage(ftypFile('heic', ['mif1', 'heic']), 'modelImg'), 'modelImg', /HEIC\/HEIF is not accepted/);
  await assertInvalid(decodeImage(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'modelImg'), 'modelImg', /SVG is not accepted/);
  await assertInvalid(decodeImage(Buffer.from([1, 2, 3, 4, 5, 6, 7, 8]), 'modelImg'), 'modelImg', /not a recognised image; send JPEG, PNG, WebP or AVIF/);
});

test('encoded size over the limit is refused before decoding (HTTP 413, like an oversized body)', async () => {
  const big = Buffer.concat([await quadrantImage('png'), Buffer.alloc(DEFAULT_IMAGE_LIMITS.maxBytes)]);
  await assertInvalid(decodeImage(big, 'modelImg'), 'modelImg', /image is 20\.1 MB, the limit is 20 MB$/, 413);
});

test('a decompression bomb (header declares 3.6 gigapixels) is refused from its header', async () => {
  // Under 2 kB: a header and no pixel data to speak of. Only a check of the header's size can give
  // this reason; decoding it would have failed on the missing data (or run out of memory) instead.
  const bomb = pngDeclaring(60_000, 60_000);
  assert.ok(bomb.length < 2000);
  await assertInvalid(decodeImage(bomb, 'modelImg'), 'modelImg', /image is 60000x60000 \(3600 MP\), the limit is 40 MP$/);
});

test('pixel limit applies to real images too', async () => {
  const limits = { ...DEFAULT_IMAGE_LIMITS, maxPixels: 30_000 };
  await assertInvalid(decodeImage(await quadrantImage('jpeg'), 'modelImg', limits), 'modelImg', /image is 200x160 \(0\.1 MP\), the limit is 0\.1 MP/);
  // 40,000,001 pixels declared: just over the contract's limit.
  await assertInvalid(decodeImage(pngDeclaring(40_000_001, 1), 'modelImg'), 'modelImg', /the limit is 40 MP/);
});

test('shortest side under 128 px is refused', async () => {
  const small = await quadrantImage('png', 300, 127);
  await assertInvalid(decodeImage(small, 'garmentImg'), 'garmentImg', /image is 300x127, its shortest side must be at least 128 px/);
  const ok = await decodeImage(await quadrantImage('png', 128, 128), 'garmentImg');
  assert.equal(ok.width, 128);
});

test('corrupt and truncated images are refused without decoder internals', async () => {
  for (const format of ['jpeg', 'png', 'webp', 'avif'] as const) {
    const whole = await quadrantImage(format, 300, 300);
    const truncated = whole.subarray(0, Math.floor(whole.length * 0.6));
    await assert.rejects(decodeImage(truncated, 'modelImg'), (error: unknown) => {
      assert.ok(error instanceof ApiError);
      assert.equal(error.code, 10004);
      assert.match(error.msg, /^INVALID_PARAM: modelImg: the (JPEG|PNG|WEBP|AVIF) image is corrupt or truncated/);
      assert.doesNotMatch(error.msg, /vips|libpng|heif|seek/i);
      return true;
    });
  }
  // Right magic bytes, garbage after.
  const garbage = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(500, 7)]);
  await assertInvalid(decodeImage(garbage, 'modelImg'), 'modelImg', /JPEG image is corrupt or truncated/);
});

test('decodeToRaster gives the raster and takes custom limits', async () => {
  const raster = await decodeToRaster(await quadrantImage('png', 100, 100), { limits: { ...DEFAULT_IMAGE_LIMITS, minSide: 1 } });
  assert.equal(raster.width, 100);
  await assertInvalid(decodeToRaster(await quadrantImage('png', 100, 100)), 'image', /shortest side/);
});
