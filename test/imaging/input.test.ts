import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { ApiError } from '../../src/domain/errors.ts';
import { DEFAULT_IMAGE_LIMITS, resolveImageInput, type ImageFieldValue, type ImageLimits } from '../../src/imaging/input.ts';
import { createImageFetcher, type ImageFetcher } from '../../src/net/image-fetcher.ts';
import { startImageServer, type ImageServer } from '../net/image-server.ts';
import { blockedTargets } from '../net/no-outbound.ts';
import { RED, near, pixelAt, quadrantImage } from './fixtures.ts';

let server: ImageServer;
let png: Buffer;
let jpeg: Buffer;
/** FITROOM_ALLOW_PRIVATE_URLS=true, as the service's tests run it against a loopback image server. */
let privateFetcher: ImageFetcher;
/** The production policy. */
let publicOnlyFetcher: ImageFetcher;

before(async () => {
  png = await quadrantImage('png');
  jpeg = await quadrantImage('jpeg');
  server = await startImageServer(png);
  const common = { maxBytes: DEFAULT_IMAGE_LIMITS.maxBytes, timeoutMs: 3000, maxRedirects: 3 };
  privateFetcher = createImageFetcher({ ...common, allowPrivate: true });
  publicOnlyFetcher = createImageFetcher({ ...common, allowPrivate: false });
});
after(async () => {
  await server.close();
});

function resolve(value: ImageFieldValue, options: { fetcher?: ImageFetcher; limits?: ImageLimits; field?: string } = {}) {
  return resolveImageInput(options.field ?? 'modelImg', value, {
    fetcher: options.fetcher ?? privateFetcher,
    limits: options.limits ?? DEFAULT_IMAGE_LIMITS,
  });
}

async function assertInvalid(promise: Promise<unknown>, field: string, pattern: RegExp | string, status = 400): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof ApiError, `expected ApiError, got ${String(error)}`);
    assert.equal(error.code, 10004);
    assert.equal(error.status, status);
    assert.ok(error.msg.startsWith(`INVALID_PARAM: ${field}: `), error.msg);
    if (typeof pattern === 'string') assert.equal(error.msg, pattern);
    else assert.match(error.msg, pattern);
    return true;
  });
}

function assertQuadrantImage(decoded: { width: number; height: number; raster: { channels: number; width: number; data: Uint8Array } }): void {
  assert.equal(decoded.width, 200);
  assert.equal(decoded.height, 160);
  assert.equal(decoded.raster.channels, 3);
  assert.ok(near(pixelAt(decoded.raster, 20, 20), RED));
}

test('form 1: an uploaded file part', async () => {
  const decoded = await resolve({ kind: 'file', bytes: jpeg });
  assert.equal(decoded.format, 'jpeg');
  assertQuadrantImage(decoded);
});

test('form 2: an http URL, downloaded', async () => {
  const decoded = await resolve({ kind: 'text', text: `${server.origin}/img.png` });
  assert.equal(decoded.format, 'png');
  assertQuadrantImage(decoded);
});

test('form 3: data URIs, whatever MIME type they declare, with line breaks or url-safe base64', async () => {
  const b64 = png.toString('base64');
  const wrapped = b64.replace(/.{76}/g, '$&\r\n');
  const urlSafe = png.toString('base64url'); // also unpadded
  for (const text of [
    `data:image/png;base64,${b64}`,
    `data:image/jpeg;base64,${b64}`, // a PNG declared as JPEG: the bytes decide
    `data:image/png;base64,${wrapped}`,
    `data:image/png;base64,${urlSafe}`,
    `  DATA:image/png;charset=binary;base64,${b64}\n`,
    `data:;base64,${b64}`,
  ]) {
    const decoded = await resolve({ kind: 'text', text });
    assert.equal(decoded.format, 'png');
    assertQuadrantImage(decoded);
  }
});

test('form 4: bare base64 (standard, wrapped, url-safe)', async () => {
  for (const text of [jpeg.toString('base64'), jpeg.toString('base64').replace(/.{64}/g, '$&\n'), jpeg.toString('base64url')]) {
    const decoded = await resolve({ kind: 'text', text });
    assert.equal(decoded.format, 'jpeg');
    assertQuadrantImage(decoded);
  }
});

test('a file part holding text (Python requests files=) is read as a URL, data URI or base64', async () => {
  for (const text of [`${server.origin}/img.png`, `data:image/png;base64,${png.toString('base64')}`, png.toString('base64')]) {
    const decoded = await resolve({ kind: 'file', bytes: Buffer.from(text, 'latin1') });
    assertQuadrantImage(decoded);
  }
  // UTF-8 with a byte-order mark and a trailing newline, as some clients write text files.
  assertQuadrantImage(await resolve({ kind: 'file', bytes: Buffer.from(`\uFEFF${server.origin}/img.png\n`, 'utf8') }));
  // A non-ASCII URL path is still a URL (the server answers 404, so it was requested).
  await assertInvalid(resolve({ kind: 'file', bytes: Buffer.from(`${server.origin}/bilder/größe.png`, 'utf8') }), 'modelImg', /failed with HTTP 404/);
});

test('every form yields the same content hash for the same pixels', async () => {
  const hashes = new Set<string>();
  for (const value of [
    { kind: 'file', bytes: png },
    { kind: 'text', text: `${server.origin}/img.png` },
    { kind: 'text', text: `data:image/png;base64,${png.toString('base64')}` },
    { kind: 'text', text: png.toString('base64') },
  ] as ImageFieldValue[]) {
    hashes.add((await resolve(value)).sha256);
  }
  assert.equal(hashes.size, 1);
});

test('EXIF orientation applies to every form', async () => {
  const rotated = await sharp(png).jpeg({ quality: 95 }).withMetadata({ orientation: 6 }).toBuffer();
  const decoded = await resolve({ kind: 'text', text: `data:image/jpeg;base64,${rotated.toString('base64')}` });
  assert.equal(decoded.width, 160);
  assert.equal(decoded.height, 200);
});

test('empty values are refused as required', async () => {
  await assertInvalid(resolve({ kind: 'text', text: '' }), 'modelImg', /^INVALID_PARAM: modelImg: is required and must not be empty/);
  await assertInvalid(resolve({ kind: 'text', text: '  \n ' }), 'modelImg', /is required/);
  await assertInvalid(resolve({ kind: 'file', bytes: Buffer.alloc(0) }, { field: 'garmentImg' }), 'garmentImg', /is required: the uploaded file is empty/);
});

test('text that is no accepted form says which forms are accepted', async () => {
  const forms = /expected an image file, an http\(s\) URL, a data URI \(data:image\/\.\.\.;base64,\.\.\.\) or base64-encoded image bytes/;
  await assertInvalid(resolve({ kind: 'text', text: 'upper_body' }, { field: 'garmentImg' }), 'garmentImg', forms);
  await assertInvalid(resolve({ kind: 'text', text: 'not an image, just words' }), 'modelImg', forms);
  await assertInvalid(resolve({ kind: 'file', bytes: Buffer.from('hello there') }), 'modelImg', forms);
  await assertInvalid(resolve({ kind: 'text', text: 'ftp://example.com/a.png' }), 'modelImg', /only http:\/\/ and https:\/\/ URLs are accepted/);
  await assertInvalid(resolve({ kind: 'text', text: 'data:text/plain;base64,aGVsbG8=' }), 'modelImg', /data URI has media type "text\/plain"/);
  await assertInvalid(resolve({ kind: 'text', text: 'data:image/png;base64,@@@@' }), 'modelImg', /data URI payload is not valid base64/);
  await assertInvalid(resolve({ kind: 'text', text: 'data:image/png;base64' }), 'modelImg', /data URI has no comma/);
});

test('binary that is no image, and images in refused formats, are refused in every form', async () => {
  await assertInvalid(resolve({ kind: 'file', bytes: Buffer.from([0, 1, 2, 3, 250, 251, 252]) }), 'modelImg', /not a recognised image; send JPEG, PNG, WebP or AVIF/);
  const gif = await quadrantImage('gif');
  await assertInvalid(resolve({ kind: 'file', bytes: gif }), 'modelImg', /GIF is not accepted/);
  await assertInvalid(resolve({ kind: 'text', text: `data:image/gif;base64,${gif.toString('base64')}` }), 'modelImg', /GIF is not accepted/);
  await assertInvalid(resolve({ kind: 'text', text: gif.toString('base64') }), 'modelImg', /GIF is not accepted/);
  const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="500" height="500"/>');
  await assertInvalid(resolve({ kind: 'file', bytes: svg }), 'modelImg', /SVG is not accepted/);
});

test('limits are enforced for every form and name the field', async () => {
  const tight: ImageLimits = { ...DEFAULT_IMAGE_LIMITS, maxBytes: 2000 };
  const noisy = await sharp(Buffer.from(Array.from({ length: 200 * 200 * 3 }, (_, i) => (i * 2654435761) >>> 24)), {
    raw: { width: 200, height: 200, channels: 3 },
  })
    .png()
    .toBuffer();
  assert.ok(noisy.length > 2000);
  await assertInvalid(resolve({ kind: 'file', bytes: noisy }, { limits: tight }), 'modelImg', /image is 0\.\d MB, the limit is 0\.\d MB/, 413);
  await assertInvalid(resolve({ kind: 'text', text: noisy.toString('base64') }, { limits: tight }), 'modelImg', /the limit is/, 413);
  await assertInvalid(resolve({ kind: 'text', text: `data:image/png;base64,${noisy.toString('base64')}` }, { limits: tight }), 'modelImg', /the limit is/, 413);
  // Just over the limit: the text passes the length guard and the decoded bytes are measured exactly.
  const justOver: ImageLimits = { ...DEFAULT_IMAGE_LIMITS, maxBytes: noisy.length - 1 };
  await assertInvalid(resolve({ kind: 'text', text: noisy.toString('base64') }, { limits: justOver }), 'modelImg', /^INVALID_PARAM: modelImg: image is [\d.]+ MB, the limit is/, 413);
  assert.equal((await resolve({ kind: 'text', text: noisy.toString('base64') }, { limits: { ...justOver, maxBytes: noisy.length } })).width, 200);
  const small = await quadrantImage('png', 100, 300);
  await assertInvalid(resolve({ kind: 'text', text: small.toString('base64') }, { field: 'garmentImg' }), 'garmentImg', /image is 100x300, its shortest side must be at least 128 px/);
  await assertInvalid(resolve({ kind: 'file', bytes: png }, { limits: { ...DEFAULT_IMAGE_LIMITS, maxPixels: 10_000 } }), 'modelImg', /\(0\.1 MP\), the limit is 0\.1 MP/);
});

test('URL inputs go through the address policy', async () => {
  await assertInvalid(
    resolve({ kind: 'text', text: `${server.origin}/img.png` }, { fetcher: publicOnlyFetcher }),
    'modelImg',
    'INVALID_PARAM: modelImg: URL host resolves to a private or loopback address (not allowed)',
  );
  await assertInvalid(resolve({ kind: 'text', text: `${server.origin}/missing.png` }), 'modelImg', /failed with HTTP 404/);
});

test('no test tried to connect to a non-loopback address', () => {
  assert.deepEqual(blockedTargets, []);
});
