/**
 * Presets and the result cache with the default policy (FITROOM_CACHE=presets, cache hits
 * charged), and API 2's determinism: the same image, prompt, seed and parameters give the same
 * bytes; without a seed the server draws one and returns it.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  API1_PATH,
  API2_PATH,
  PRESETS_PATH,
  api1Parts,
  api2Parts,
  bearer,
  expectError,
  expectOk,
  expectTryOnResult,
  fetchBytes,
  multipart,
  post,
  readResponse,
  textPart,
} from '../helpers/http.ts';
import { decodedInfo, garmentImage, personImage, PERSON_SIZE } from '../helpers/images.ts';
import { createUser, showUser, startServer, type StartedServer, type TestUser } from '../helpers/server.ts';
import { expectTestEngineTryOn } from '../helpers/test-engine.ts';

let server: StartedServer;
let user: TestUser;
let dir: string;
let model: Buffer;
let garment: Buffer;

before(async () => {
  server = await startServer();
  user = await createUser(server, { credits: 100 });
  dir = mkdtempSync(join(tmpdir(), 'fitroom-presets-'));
  model = await personImage('png', PERSON_SIZE, 3);
  garment = await garmentImage('webp', 4);
  writeFileSync(join(dir, 'model.png'), model);
  writeFileSync(join(dir, 'garment.webp'), garment);
});

after(async () => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  if (server) {
    const exit = await server.stop();
    assert.equal(exit.code, 0, `server exit after SIGTERM: ${JSON.stringify(exit)}`);
  }
});

describe('presets', () => {
  let modelPreset: Record<string, unknown>;
  let garmentPreset: Record<string, unknown>;

  before(async () => {
    modelPreset = await server.cli(['presets', 'add', 'model', join(dir, 'model.png')]);
    garmentPreset = await server.cli(['presets', 'add', 'garment', join(dir, 'garment.webp')]);
  });

  it('`presets add` prints an id, the kind and an absolute URL on this server', () => {
    assert.match(String(modelPreset.id), /^pre_/);
    assert.equal(modelPreset.kind, 'model');
    assert.equal(garmentPreset.kind, 'garment');
    for (const p of [modelPreset, garmentPreset]) assert.ok(String(p.url).startsWith(server.url + '/'), String(p.url));
  });

  it('GET /api/openapi/presets lists both (auth required)', async () => {
    const res = await readResponse(await fetch(server.url + PRESETS_PATH, { headers: bearer(user.apiKey) }));
    const data = expectOk(res) as { models: Array<{ id: string; url: string }>; garments: Array<{ id: string; url: string }> };
    assert.deepEqual(data.models.map((p) => [p.id, p.url]), [[modelPreset.id, modelPreset.url]]);
    assert.deepEqual(data.garments.map((p) => [p.id, p.url]), [[garmentPreset.id, garmentPreset.url]]);
    const anonymous = await readResponse(await fetch(server.url + PRESETS_PATH));
    expectError(anonymous, { status: 401, code: 10001, name: 'NOT_LOGIN' });
  });

  it('a preset URL serves the image with its content type, without auth', async () => {
    const { bytes, contentType } = await fetchBytes(String(modelPreset.url));
    assert.match(contentType ?? '', /^image\//);
    const info = await decodedInfo(bytes);
    assert.deepEqual([info.width, info.height], [PERSON_SIZE.width, PERSON_SIZE.height]);
  });

  it('the second identical preset call is a cache hit with the same result URL, and both are charged', async () => {
    const before = await showUser(server, user.email);
    const parts = (category: string, desc?: string) =>
      api1Parts(model, garment, {
        modelImg: textPart('modelImg', String(modelPreset.url)),
        garmentImg: textPart('garmentImg', String(garmentPreset.url)),
        category: textPart('category', category),
        garmentDesc: desc === undefined ? null : textPart('garmentDesc', desc),
      });
    const call = async (category: string, desc?: string) =>
      expectOk(await post(server.url, API1_PATH, multipart(parts(category, desc)), bearer(user.apiKey)));

    const first = await call('upper_body');
    assert.equal(first.cacheHit, false);
    const { result, mask } = await expectTryOnResult(first, PERSON_SIZE);
    await expectTestEngineTryOn(model, garment, result, mask);

    const second = await call('upper_body');
    assert.equal(second.cacheHit, true);
    assert.equal(second.resultImgUrl, first.resultImgUrl);
    assert.equal(second.maskImgUrl, first.maskImgUrl);
    await expectTryOnResult(second, PERSON_SIZE);

    // Every parameter that changes the output is part of the key.
    assert.equal((await call('dresses')).cacheHit, false, 'another category is a miss');
    assert.equal((await call('upper_body', 'a cropped tee')).cacheHit, false, 'another description is a miss');
    assert.equal((await call('upper_body', 'a cropped tee')).cacheHit, true);

    const after = await showUser(server, user.email);
    assert.equal(after.credits, before.credits - 5, 'cache hits are charged by default (FITROOM_CACHE_HIT_CHARGE=true)');
    assert.equal(after.ledgerSum, after.credits);
  });

  it('uploaded (non-preset) inputs are not cached under the default policy', async () => {
    const body = () => multipart(api1Parts(model, garment));
    const a = expectOk(await post(server.url, API1_PATH, body(), bearer(user.apiKey)));
    const b = expectOk(await post(server.url, API1_PATH, body(), bearer(user.apiKey)));
    assert.equal(a.cacheHit, false);
    assert.equal(b.cacheHit, false);
  });
});

describe('API 2 determinism and seeds', () => {
  async function edit(fields: Record<string, string | null>) {
    const data = expectOk(await post(server.url, API2_PATH, multipart(api2Parts(model, fields)), bearer(user.apiKey)));
    const { bytes } = await fetchBytes(String(data.resultImgUrl));
    return { data, bytes };
  }

  it('the same image, prompt, seed and parameters give identical result bytes', async () => {
    const fields = { seed: '31337', guidance_scale: '40', num_inference_steps: '12' };
    const a = await edit(fields);
    const b = await edit(fields);
    assert.equal(a.data.seed, 31337);
    assert.equal(b.data.seed, 31337);
    assert.ok(a.bytes.equals(b.bytes), 'results are bit for bit identical');
  });

  it('another prompt gives another result', async () => {
    const a = await edit({ seed: '1', prompt: 'Help the model change into a red dress.' });
    const b = await edit({ seed: '1', prompt: 'Help the model change into a green hoodie.' });
    assert.ok(!a.bytes.equals(b.bytes));
  });

  it('without a seed, one is drawn and returned; sending it back reproduces the result', async () => {
    const a = await edit({ seed: null });
    assert.ok(Number.isInteger(a.data.seed) && (a.data.seed as number) >= 0 && (a.data.seed as number) <= 2147483647);
    const b = await edit({ seed: String(a.data.seed) });
    assert.equal(b.data.seed, a.data.seed);
    assert.ok(a.bytes.equals(b.bytes), 'the returned seed reproduces the result');
  });

  it('randomize_seed=true ignores the given seed', async () => {
    const seeds = new Set<unknown>();
    for (let i = 0; i < 3; i++) seeds.add((await edit({ seed: '5', randomize_seed: 'true' })).data.seed);
    // Three draws from 2^31 values colliding with 5 (or each other) is practically impossible.
    assert.ok(!seeds.has(5), `seed 5 was not used: ${[...seeds].join(', ')}`);
    assert.equal(seeds.size, 3);
  });

  it('randomize_seed=false with a seed uses that seed', async () => {
    assert.equal((await edit({ seed: '77', randomize_seed: 'false' })).data.seed, 77);
  });
});
