/**
 * 10004 INVALID_PARAM, black-box: every missing, malformed or out-of-range field and image of both
 * endpoints answers 400 (413 for a body over the limit) with a msg that names the field, and none
 * of them costs a credit. Boundary values that the contract allows succeed.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import {
  API1_PATH,
  API2_PATH,
  api1Parts,
  api2Parts,
  bearer,
  expectError,
  expectOk,
  expectPromptResult,
  expectTryOnResult,
  filePart,
  multipart,
  post,
  postEarlyResponse,
  textPart,
  type Part,
} from '../helpers/http.ts';
import { dataUri, garmentImage, meanRgb, personImage, PERSON_SIZE, tooSmallImage } from '../helpers/images.ts';
import { createUser, releaseSharedServers, sharedServer, showUser, type StartedServer, type TestUser } from '../helpers/server.ts';

const CREDITS = 50;
let server: StartedServer;
let user: TestUser;
let model: Buffer;
let garment: Buffer;
let successes = 0;

before(async () => {
  server = await sharedServer();
  user = await createUser(server, { credits: CREDITS });
  model = await personImage('jpeg');
  garment = await garmentImage('jpeg');
});

after(async () => {
  await releaseSharedServers();
});

const INVALID = { status: 400, code: 10004, name: 'INVALID_PARAM' };

async function api1(parts: Part[]) {
  return post(server.url, API1_PATH, multipart(parts), bearer(user.apiKey));
}
async function api2(parts: Part[]) {
  return post(server.url, API2_PATH, multipart(parts), bearer(user.apiKey));
}

describe('API 1 fields', () => {
  for (const field of ['modelImg', 'garmentImg', 'category'] as const) {
    it(`missing ${field} → 400 naming it`, async () => {
      expectError(await api1(api1Parts(model, garment, { [field]: null })), { ...INVALID, mentions: [field] });
    });
  }

  for (const category of ['hats', 'UPPER_BODY', '']) {
    it(`category "${category}" → 400 naming category`, async () => {
      const res = await api1(api1Parts(model, garment, { category: textPart('category', category) }));
      expectError(res, { ...INVALID, mentions: ['category'] });
    });
  }

  it('garmentDesc of 1,001 characters → 400 naming garmentDesc; 1,000 is accepted', async () => {
    const tooLong = await api1(api1Parts(model, garment, { garmentDesc: textPart('garmentDesc', 'x'.repeat(1001)) }));
    expectError(tooLong, { ...INVALID, mentions: ['garmentDesc'] });
    expectOk(await api1(api1Parts(model, garment, { garmentDesc: textPart('garmentDesc', 'y'.repeat(1000)) })));
    successes += 1;
  });
});

describe('image inputs', () => {
  it('an image whose shortest side is under 128 px → 400 naming the field and the limit', async () => {
    const small = await tooSmallImage('png', 200, 100);
    const res = await api1(api1Parts(model, garment, { modelImg: filePart('modelImg', small, 'small.png', 'image/png') }));
    expectError(res, { ...INVALID, mentions: ['modelImg', '128'] });
  });

  it('an image over 40 megapixels → 400 naming the field', async () => {
    // 7000x6000 = 42 MP of one colour: a small PNG that would decode to 126 MB.
    const bomb = await sharp({ create: { width: 7000, height: 6000, channels: 3, background: { r: 1, g: 2, b: 3 } } })
      .png({ compressionLevel: 9 })
      .toBuffer();
    const res = await api1(api1Parts(model, garment, { modelImg: filePart('modelImg', bomb, 'big.png', 'image/png') }));
    expectError(res, { ...INVALID, mentions: ['modelImg'] });
  });

  it('bytes that are not an image → 400 naming the field', async () => {
    const text = Buffer.from('this is a text file, not a garment photo\n'.repeat(50));
    const res = await api1(api1Parts(model, garment, { garmentImg: filePart('garmentImg', text, 'garment.jpg', 'image/jpeg') }));
    expectError(res, { ...INVALID, mentions: ['garmentImg'] });
  });

  it('a real image in a format the contract does not accept (TIFF) → 400', async () => {
    const tiff = await sharp(model).tiff().toBuffer();
    const res = await api1(api1Parts(model, garment, { modelImg: filePart('modelImg', tiff, 'model.tiff', 'image/tiff') }));
    expectError(res, { ...INVALID, mentions: ['modelImg'] });
  });

  it('a data URI whose payload is not an image → 400', async () => {
    const res = await api1(
      api1Parts(model, garment, { garmentImg: textPart('garmentImg', dataUri(Buffer.from('hello world, no image'), 'image/png')) }),
    );
    expectError(res, { ...INVALID, mentions: ['garmentImg'] });
  });

  it('text that is neither URL, data URI nor base64 → 400', async () => {
    const res = await api1(api1Parts(model, garment, { modelImg: textPart('modelImg', 'my photo.jpg (see attachment)') }));
    expectError(res, { ...INVALID, mentions: ['modelImg'] });
  });

  it('a URL that is not http(s) → 400', async () => {
    const res = await api1(api1Parts(model, garment, { modelImg: textPart('modelImg', 'ftp://example.com/model.jpg') }));
    expectError(res, { ...INVALID, mentions: ['modelImg'] });
  });

  it('an image file over 20 MB → 400 or 413 naming the field', async () => {
    // Valid JPEG header followed by padding: only the size is wrong.
    const big = Buffer.concat([model, Buffer.alloc(21 * 1024 * 1024 - model.length, 0)]);
    const body = multipart(api1Parts(model, garment, { modelImg: filePart('modelImg', big, 'model.jpg', 'image/jpeg') }));
    const res = await postEarlyResponse(server.url + API1_PATH, { ...bearer(user.apiKey), 'content-type': body.contentType }, body.body);
    assert.ok(res.status === 400 || res.status === 413, `status ${res.status}`);
    expectError(res, { status: res.status, code: 10004, name: 'INVALID_PARAM', mentions: ['modelImg'] });
  });

  it('a request body over the whole-body limit → 413 with 10004', async () => {
    const huge = Buffer.alloc(60 * 1024 * 1024, 1);
    const body = multipart([
      filePart('modelImg', huge, 'model.jpg', 'image/jpeg'),
      filePart('garmentImg', garment, 'garment.jpg', 'image/jpeg'),
      textPart('category', 'upper_body'),
    ]);
    const res = await postEarlyResponse(server.url + API1_PATH, { ...bearer(user.apiKey), 'content-type': body.contentType }, body.body);
    expectError(res, { status: 413, code: 10004, name: 'INVALID_PARAM' });
  });

  it('a body that is not multipart → 400', async () => {
    const res = await fetch(server.url + API1_PATH, {
      method: 'POST',
      headers: { ...bearer(user.apiKey), 'content-type': 'application/json' },
      body: JSON.stringify({ modelImg: 'x', garmentImg: 'y', category: 'upper_body' }),
    });
    const text = await res.text();
    assert.ok(res.status === 400 || res.status === 415, `status ${res.status}: ${text}`);
    const json = JSON.parse(text) as { code: number; msg: string };
    assert.equal(json.code, 10004);
    assert.match(json.msg, /^INVALID_PARAM: \S/);
  });
});

describe('accepted image formats', () => {
  for (const format of ['webp', 'avif'] as const) {
    it(`a ${format.toUpperCase()} model image is accepted; the result has its size`, async () => {
      const bytes = await sharp(model).toFormat(format).toBuffer();
      const data = expectOk(await api1(api1Parts(model, garment, { modelImg: filePart('modelImg', bytes, `m.${format}`, `image/${format}`) })));
      successes += 1;
      await expectTryOnResult(data, PERSON_SIZE);
    });
  }

  it('EXIF orientation is applied: a sideways JPEG tagged "rotate 90°" gives an upright result', async () => {
    // Stored 512x384 (the person lying on its side), tagged orientation 6: viewers show it 384x512.
    const sideways = await sharp(model).rotate(-90).withMetadata({ orientation: 6 }).jpeg().toBuffer();
    const stored = await sharp(sideways).metadata();
    assert.deepEqual([stored.width, stored.height, stored.orientation], [512, 384, 6]);
    const data = expectOk(await api1(api1Parts(model, garment, { modelImg: filePart('modelImg', sideways, 'side.jpg', 'image/jpeg') })));
    successes += 1;
    const { result } = await expectTryOnResult(data, PERSON_SIZE);
    // Upright means the top-left corner is the backdrop as in the upright original.
    const corner = { left: 0, top: 0, width: 60, height: 60 };
    const [a, b] = [await meanRgb(result, corner), await meanRgb(model, corner)];
    for (let c = 0; c < 3; c++) assert.ok(Math.abs(a[c] - b[c]) < 12, `corner rgb ${a.map(Math.round)} vs ${b.map(Math.round)}`);
  });
});

describe('API 2 fields', () => {
  const cases: Array<[string, Record<string, string | null>, string]> = [
    ['missing prompt', { prompt: null }, 'prompt'],
    ['empty prompt', { prompt: '' }, 'prompt'],
    ['prompt of 2,001 characters', { prompt: 'a'.repeat(2001) }, 'prompt'],
    ['seed "abc"', { seed: 'abc' }, 'seed'],
    ['seed "-1"', { seed: '-1' }, 'seed'],
    ['seed "1.5"', { seed: '1.5' }, 'seed'],
    ['seed "2147483648"', { seed: '2147483648' }, 'seed'],
    ['randomize_seed "maybe"', { randomize_seed: 'maybe' }, 'randomize_seed'],
    ['guidance_scale "0"', { guidance_scale: '0' }, 'guidance_scale'],
    ['guidance_scale "100.5"', { guidance_scale: '100.5' }, 'guidance_scale'],
    ['guidance_scale "strong"', { guidance_scale: 'strong' }, 'guidance_scale'],
    ['num_inference_steps "0"', { num_inference_steps: '0' }, 'num_inference_steps'],
    ['num_inference_steps "51"', { num_inference_steps: '51' }, 'num_inference_steps'],
    ['num_inference_steps "2.5"', { num_inference_steps: '2.5' }, 'num_inference_steps'],
  ];
  for (const [title, fields, field] of cases) {
    it(`${title} → 400 naming ${field}`, async () => {
      expectError(await api2(api2Parts(model, fields)), { ...INVALID, mentions: [field] });
    });
  }

  it('missing modelImg → 400 naming it', async () => {
    const res = await api2([textPart('prompt', 'Help the model change into a green coat.')]);
    expectError(res, { ...INVALID, mentions: ['modelImg'] });
  });

  it('the edges of every range are accepted', async () => {
    const low = await api2(api2Parts(model, { seed: '0', guidance_scale: '1', num_inference_steps: '1', prompt: 'a' }));
    assert.equal(expectOk(low).seed, 0);
    const high = await api2(
      api2Parts(model, { seed: '2147483647', guidance_scale: '100', num_inference_steps: '50', prompt: 'b'.repeat(2000) }),
    );
    const data = expectOk(high);
    assert.equal(data.seed, 2147483647);
    await expectPromptResult(data, PERSON_SIZE);
    successes += 2;
  });
});

describe('billing', () => {
  it('no refused call cost a credit; the ledger sums to the balance', async () => {
    const state = await showUser(server, user.email);
    assert.equal(state.credits, CREDITS - successes);
    assert.equal(state.ledgerSum, state.credits);
  });
});
