/**
 * A person cut out on a transparent background keeps the transparency in the result (issue 8):
 * the result and mask images are RGBA WebP whose alpha outside the repainted region is the input's,
 * bit for bit; an opaque photo still gives an opaque RGB result; and the result cache never serves
 * the cut-out's result for the same pixels flattened on white, or the other way round. The test
 * engine (FITROOM_ENGINE=test) repaints a fixed rectangle and says nothing about background, so
 * its repainted rectangle is opaque (src/imaging/alpha.ts).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { API1_PATH, API2_PATH, api1Parts, api2Parts, bearer, expectOk, expectPromptResult, expectTryOnResult, filePart, multipart, post, readResponse } from '../helpers/http.ts';
import { garmentImage, PERSON_SIZE } from '../helpers/images.ts';
import { createUser, startServer, type StartedServer, type TestUser } from '../helpers/server.ts';
import { expectTestEngineTryOn } from '../helpers/test-engine.ts';
import { testEngineRect } from '../../src/engine/test/index.ts';

/** Lossy WebP moves opaque colours a little; alpha is stored losslessly. */
const RGB_TOLERANCE = 16;

interface Rgba {
  width: number;
  height: number;
  channels: number;
  data: Buffer;
}

/**
 * A person-like drawing on a transparent background: a head and a torso (ellipses) in two colours,
 * with a two-pixel soft edge, the rest alpha 0. RGBA PNG.
 */
async function cutOutPerson(): Promise<{ png: Buffer; pixels: Buffer }> {
  const { width, height } = PERSON_SIZE;
  const pixels = Buffer.alloc(width * height * 4);
  const shapes = [
    { cx: width / 2, cy: height * 0.17, rx: width * 0.1, ry: height * 0.09, rgb: [200, 150, 120] },
    { cx: width / 2, cy: height * 0.6, rx: width * 0.22, ry: height * 0.36, rgb: [40, 90, 160] },
  ];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (const s of shapes) {
        // Signed distance to the ellipse edge, roughly in pixels (negative inside).
        const d = (Math.hypot((x - s.cx) / s.rx, (y - s.cy) / s.ry) - 1) * Math.min(s.rx, s.ry);
        const a = Math.max(0, Math.min(1, 0.5 - d / 2));
        if (a === 0) continue;
        const p = (y * width + x) * 4;
        pixels[p] = s.rgb[0];
        pixels[p + 1] = s.rgb[1];
        pixels[p + 2] = s.rgb[2];
        pixels[p + 3] = Math.max(pixels[p + 3], Math.round(a * 255));
      }
    }
  }
  const png = await sharp(pixels, { raw: { width, height, channels: 4 } }).png().toBuffer();
  return { png, pixels };
}

async function rgba(bytes: Buffer): Promise<Rgba> {
  const { data, info } = await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, channels: info.channels, data };
}

function inRect(x: number, y: number, r: { x0: number; x1: number; y0: number; y1: number }): boolean {
  return x >= r.x0 && x < r.x1 && y >= r.y0 && y < r.y1;
}

/** Pixels within this many px of a pixel with other RGBA values are not compared in colour. */
const EDGE_MARGIN_PX = 4;

function flatAround(input: Buffer, x: number, y: number): boolean {
  const { width, height } = PERSON_SIZE;
  const p = (y * width + x) * 4;
  for (let dy = -EDGE_MARGIN_PX; dy <= EDGE_MARGIN_PX; dy++) {
    for (let dx = -EDGE_MARGIN_PX; dx <= EDGE_MARGIN_PX; dx++) {
      const qx = Math.min(width - 1, Math.max(0, x + dx));
      const qy = Math.min(height - 1, Math.max(0, y + dy));
      const q = (qy * width + qx) * 4;
      if (input.readUInt32BE(q) !== input.readUInt32BE(p)) return false;
    }
  }
  return true;
}

/** Outside the test engine's rectangle: alpha exactly the input's, opaque colours unchanged (within WebP's loss). */
function expectInputKeptOutside(actual: Rgba, input: Buffer, what: string): void {
  const { width, height } = PERSON_SIZE;
  const rect = testEngineRect(width, height);
  const m = EDGE_MARGIN_PX;
  const nearRect = { x0: rect.x0 - m, x1: rect.x1 + m, y0: rect.y0 - m, y1: rect.y1 + m };
  let compared = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (inRect(x, y, rect)) continue;
      const p = (y * width + x) * 4;
      assert.equal(actual.data[p + 3], input[p + 3], `${what}: alpha at (${x},${y})`);
      // Lossy WebP smears colour across edges (chroma subsampling, ringing): colours are compared
      // where the input is flat around the pixel; alpha, stored losslessly, everywhere.
      if (input[p + 3] !== 255 || !flatAround(input, x, y) || inRect(x, y, nearRect)) continue;
      for (let c = 0; c < 3; c++) {
        assert.ok(Math.abs(actual.data[p + c] - input[p + c]) <= RGB_TOLERANCE, `${what}: channel ${c} at (${x},${y}) is ${actual.data[p + c]}, input ${input[p + c]}`);
      }
      compared++;
    }
  }
  assert.ok(compared > 5000, `${what}: ${compared} opaque pixels compared outside the rectangle`);
}

let server: StartedServer;
let user: TestUser;
let person: { png: Buffer; pixels: Buffer };
let flattened: Buffer;
let garment: Buffer;

before(async () => {
  server = await startServer({ env: { FITROOM_CACHE: 'all' } });
  user = await createUser(server, { credits: 100 });
  person = await cutOutPerson();
  // The same picture flattened on white: the same RGB the engine sees, without transparency.
  flattened = await sharp(person.png).flatten({ background: { r: 255, g: 255, b: 255 } }).png().toBuffer();
  garment = await garmentImage('png', 5);
});

after(async () => {
  if (server) {
    const exit = await server.stop();
    assert.equal(exit.code, 0, `server exit after SIGTERM: ${JSON.stringify(exit)}`);
  }
});

async function tryOn(model: Buffer): Promise<Record<string, unknown>> {
  const body = multipart(api1Parts(model, garment, { modelImg: filePart('modelImg', model, 'model.png', 'image/png') }));
  return expectOk(await post(server.url, API1_PATH, body, bearer(user.apiKey)));
}

describe('a person cut out on a transparent background', () => {
  let first: Record<string, unknown>;

  before(async () => {
    first = await tryOn(person.png);
  });

  it('API 1 gives an RGBA result: transparent corners, the input kept outside the repainted region, opaque where repainted', async () => {
    const { result } = await expectTryOnResult(first, PERSON_SIZE);
    assert.equal(first.cacheHit, false);
    assert.equal((await sharp(result).metadata()).hasAlpha, true, 'the result has an alpha channel');
    const image = await rgba(result);
    const { width, height } = PERSON_SIZE;
    for (const [x, y] of [[0, 0], [width - 1, 0], [0, height - 1], [width - 1, height - 1]]) {
      assert.equal(image.data[(y * width + x) * 4 + 3], 0, `corner (${x},${y}) stays transparent`);
    }
    expectInputKeptOutside(image, person.pixels, 'result');
    const rect = testEngineRect(width, height);
    for (let y = rect.y0; y < rect.y1; y++) {
      for (let x = rect.x0; x < rect.x1; x++) assert.equal(image.data[(y * width + x) * 4 + 3], 255, `repainted (${x},${y}) is opaque`);
    }
  });

  it('the mask image keeps the input alpha too', async () => {
    const { mask } = await expectTryOnResult(first, PERSON_SIZE);
    assert.equal((await sharp(mask).metadata()).hasAlpha, true, 'the mask image has an alpha channel');
    expectInputKeptOutside(await rgba(mask), person.pixels, 'mask');
  });

  it('the same pixels flattened on white are another cache entry, and give an opaque RGB result as before', async () => {
    const opaque = await tryOn(flattened);
    assert.equal(opaque.cacheHit, false, 'not served the cut-out result');
    assert.notEqual(opaque.resultImgUrl, first.resultImgUrl);
    const { result, mask } = await expectTryOnResult(opaque, PERSON_SIZE);
    const meta = await sharp(result).metadata();
    assert.equal(meta.hasAlpha, false, 'an opaque input gives an opaque result');
    assert.equal(meta.channels, 3);
    assert.equal((await sharp(mask).metadata()).hasAlpha, false);
    await expectTestEngineTryOn(flattened, garment, result, mask);

    // Each is its own cache entry: asking again hits the right one.
    const again = await tryOn(person.png);
    assert.equal(again.cacheHit, true);
    assert.equal(again.resultImgUrl, first.resultImgUrl);
    const opaqueAgain = await tryOn(flattened);
    assert.equal(opaqueAgain.cacheHit, true);
    assert.equal(opaqueAgain.resultImgUrl, opaque.resultImgUrl);
  });

  it('API 2 keeps the transparency the same way', async () => {
    const data = expectOk(await post(server.url, API2_PATH, multipart(api2Parts(person.png, { seed: '7' })), bearer(user.apiKey)));
    const result = await expectPromptResult(data, PERSON_SIZE);
    assert.equal((await sharp(result).metadata()).hasAlpha, true);
    expectInputKeptOutside(await rgba(result), person.pixels, 'prompt result');
  });

  it('an async /v1/tryon job gives the same RGBA result', async () => {
    // Another garment than above, so that the job runs the engine rather than hitting the cache.
    const otherGarment = await garmentImage('png', 6);
    const body = multipart(api1Parts(person.png, otherGarment, { modelImg: filePart('modelImg', person.png, 'model.png', 'image/png') }));
    const queued = await post(server.url, '/v1/tryon', body, bearer(user.apiKey));
    assert.equal(queued.status, 202, queued.text);
    const jobId = (queued.json as { data: { jobId: string } }).data.jobId;
    const deadline = Date.now() + 60_000;
    let job: { status: string; result: Record<string, unknown> | null };
    for (;;) {
      const res = await readResponse(await fetch(`${server.url}/v1/jobs/${jobId}`, { headers: bearer(user.apiKey) }));
      job = (res.json as { data: typeof job }).data;
      if (job.status !== 'queued' && job.status !== 'running') break;
      assert.ok(Date.now() < deadline, `job still ${job.status}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.equal(job.status, 'succeeded');
    assert.equal(job.result?.cacheHit, false);
    const { result } = await expectTryOnResult(job.result as Record<string, unknown>, PERSON_SIZE);
    assert.equal((await sharp(result).metadata()).hasAlpha, true);
    expectInputKeptOutside(await rgba(result), person.pixels, 'job result');
  });
});
