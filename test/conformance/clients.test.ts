/**
 * The original documentation's requests, sent by real clients to the started server: curl with a
 * file, a URL (served from loopback), a data URI and bare base64, for both endpoints; the Node
 * `fetch` + `FormData` snippet; the Python `requests` snippet. Every result is fetched back and
 * decoded as WebP of the model image's size.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { curlForm, findPythonWithRequests, runPythonClient, type ClientResult } from '../helpers/clients.ts';
import {
  API1_PATH,
  API2_PATH,
  CONTRACT_PROMPT,
  expectError,
  expectPromptResult,
  expectTryOnResult,
  readResponse,
} from '../helpers/http.ts';
import { startImageServer, type ImageServer } from '../helpers/image-server.ts';
import { dataUri, garmentImage, personImage, PERSON_SIZE } from '../helpers/images.ts';
import { createUser, releaseSharedServers, sharedServer, showUser, type StartedServer, type TestUser } from '../helpers/server.ts';
import { expectTestEnginePromptEdit, expectTestEngineTryOn } from '../helpers/test-engine.ts';

let server: StartedServer;
let images: ImageServer;
let user: TestUser;
let dir: string;
let modelPng: Buffer;
let modelJpeg: Buffer;
let garmentJpeg: Buffer;
let garmentPng: Buffer;
const urls: Record<string, string> = {};

before(async () => {
  server = await sharedServer({ FITROOM_ALLOW_PRIVATE_URLS: 'true' });
  images = await startImageServer();
  user = await createUser(server, { credits: 100 });
  dir = mkdtempSync(join(tmpdir(), 'fitroom-clients-'));
  modelPng = await personImage('png');
  modelJpeg = await personImage('jpeg');
  garmentJpeg = await garmentImage('jpeg', 1);
  garmentPng = await garmentImage('png', 2);
  writeFileSync(join(dir, 'm.png'), modelPng);
  writeFileSync(join(dir, 'm.jpg'), modelJpeg);
  writeFileSync(join(dir, 'g.jpg'), garmentJpeg);
  urls.model = images.serve('/people/m.jpg', modelJpeg, 'image/jpeg');
  urls.garment = images.serve('/garments/g.png', garmentPng, 'image/png');
});

after(async () => {
  await images?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  await releaseSharedServers();
});

function auth(): string {
  return `Authorization: Bearer ${user.apiKey}`;
}

function asApi(r: ClientResult) {
  assert.ok(r.requestId, 'X-Request-Id header present');
  return { status: r.status, headers: new Headers({ 'x-request-id': r.requestId }), json: r.json, text: r.body };
}

function okData(r: ClientResult): Record<string, unknown> {
  assert.equal(r.status, 200, `expected 200, got ${r.status}: ${r.body.slice(0, 500)}`);
  assert.ok(r.json, 'JSON body');
  assert.equal(r.json.code, 200);
  assert.equal(r.json.msg, 'OK');
  assert.ok(r.requestId, 'X-Request-Id header present');
  return r.json.data as Record<string, unknown>;
}

describe('API 1 with curl, as in the contract', () => {
  it('accepts file parts (garmentImg=@"g.jpg", category="dresses", modelImg=@"m.png")', async () => {
    const r = await curlForm(server.url + API1_PATH, {
      cwd: dir,
      headers: [auth()],
      forms: ['garmentImg=@"g.jpg"', 'category="dresses"', 'modelImg=@"m.png"'],
    });
    const { result, mask } = await expectTryOnResult(okData(r), PERSON_SIZE);
    await expectTestEngineTryOn(modelPng, garmentJpeg, result, mask);
  });

  it('accepts http URLs served from a loopback image server', async () => {
    const r = await curlForm(server.url + API1_PATH, {
      headers: [auth()],
      forms: [`modelImg="${urls.model}"`, `garmentImg="${urls.garment}"`, 'category="upper_body"'],
    });
    const { result, mask } = await expectTryOnResult(okData(r), PERSON_SIZE);
    await expectTestEngineTryOn(modelJpeg, garmentPng, result, mask);
    assert.ok((images.hits.get('/people/m.jpg') ?? 0) >= 1, 'the server downloaded the model URL');
  });

  it('accepts data URIs', async () => {
    const r = await curlForm(server.url + API1_PATH, {
      headers: [auth()],
      forms: [
        `modelImg="${dataUri(modelJpeg, 'image/jpeg')}"`,
        `garmentImg="${dataUri(garmentPng, 'image/png')}"`,
        'category="lower_body"',
        'garmentDesc="red and yellow striped tee"',
      ],
    });
    const { result, mask } = await expectTryOnResult(okData(r), PERSON_SIZE);
    await expectTestEngineTryOn(modelJpeg, garmentPng, result, mask);
  });

  it('accepts bare base64 (no data: prefix)', async () => {
    const r = await curlForm(server.url + API1_PATH, {
      headers: [auth()],
      forms: [`modelImg="${modelPng.toString('base64')}"`, `garmentImg="${garmentJpeg.toString('base64')}"`, 'category="dresses"'],
    });
    const { result, mask } = await expectTryOnResult(okData(r), PERSON_SIZE);
    await expectTestEngineTryOn(modelPng, garmentJpeg, result, mask);
  });

  it('decides the format by the bytes, not the file name or declared type', async () => {
    // A PNG uploaded under a .jpg name with a wrong declared type.
    writeFileSync(join(dir, 'really-a-png.jpg'), modelPng);
    const r = await curlForm(server.url + API1_PATH, {
      cwd: dir,
      headers: [auth()],
      forms: ['modelImg=@"really-a-png.jpg";type=image/gif', 'garmentImg=@"g.jpg"', 'category="upper_body"'],
    });
    await expectTryOnResult(okData(r), PERSON_SIZE);
  });

  it('answers an error with a non-2xx status and NAME: detail', async () => {
    const r = await curlForm(server.url + API1_PATH, {
      cwd: dir,
      headers: [auth()],
      forms: ['garmentImg=@"g.jpg"', 'category="hats"', 'modelImg=@"m.png"'],
    });
    expectError(asApi(r), { status: 400, code: 10004, name: 'INVALID_PARAM', mentions: ['category'] });
  });
});

describe('API 2 with curl, as in the contract', () => {
  it('accepts a file part and the contract prompt', async () => {
    const r = await curlForm(server.url + API2_PATH, {
      cwd: dir,
      headers: [auth()],
      forms: ['modelImg=@"m.png"', `prompt="${CONTRACT_PROMPT}"`],
    });
    const result = await expectPromptResult(okData(r), PERSON_SIZE);
    await expectTestEnginePromptEdit(modelPng, result);
  });

  it('accepts a URL', async () => {
    const r = await curlForm(server.url + API2_PATH, {
      headers: [auth()],
      forms: [`modelImg="${urls.model}"`, `prompt="${CONTRACT_PROMPT}"`, 'seed="42"'],
    });
    const data = okData(r);
    await expectPromptResult(data, PERSON_SIZE);
    assert.equal(data.seed, 42, 'a given seed is used');
  });

  it('accepts a data URI (the contract example)', async () => {
    const r = await curlForm(server.url + API2_PATH, {
      headers: [auth()],
      forms: [`modelImg="${dataUri(modelJpeg, 'image/jpeg')}"`, `prompt="${CONTRACT_PROMPT}"`],
    });
    const result = await expectPromptResult(okData(r), PERSON_SIZE);
    await expectTestEnginePromptEdit(modelJpeg, result);
  });

  it('accepts bare base64 with every optional parameter', async () => {
    const r = await curlForm(server.url + API2_PATH, {
      headers: [auth()],
      forms: [
        `modelImg="${modelJpeg.toString('base64')}"`,
        `prompt="${CONTRACT_PROMPT}"`,
        'seed="7"',
        'randomize_seed="false"',
        'guidance_scale="12.5"',
        'num_inference_steps="10"',
      ],
    });
    const data = okData(r);
    await expectPromptResult(data, PERSON_SIZE);
    assert.equal(data.seed, 7);
  });
});

describe('the Node.js snippet (fetch + FormData)', () => {
  it('API 1: Blob file parts and string parts; response.ok then data.resultImgUrl', async () => {
    const fd = new FormData();
    fd.append('modelImg', new Blob([new Uint8Array(modelJpeg)], { type: 'image/jpeg' }), 'model.jpg');
    fd.append('garmentImg', urls.garment);
    fd.append('category', 'upper_body');
    fd.append('garmentDesc', 'A red and yellow striped T-shirt');
    const response = await fetch(server.url + API1_PATH, {
      method: 'POST',
      headers: { Authorization: 'Bearer ' + user.apiKey },
      body: fd,
    });
    assert.ok(response.ok, `response.ok (status ${response.status})`);
    const body = (await response.json()) as { code: number; msg: string; data: Record<string, unknown> };
    assert.equal(body.code, 200);
    const { result, mask } = await expectTryOnResult(body.data, PERSON_SIZE);
    await expectTestEngineTryOn(modelJpeg, garmentPng, result, mask);
  });

  it('API 1: an image sent as a data URI string part', async () => {
    const fd = new FormData();
    fd.append('modelImg', dataUri(modelPng, 'image/png'));
    fd.append('garmentImg', new Blob([new Uint8Array(garmentJpeg)]), 'garment.jpg');
    fd.append('category', 'dresses');
    const response = await fetch(server.url + API1_PATH, {
      method: 'POST',
      headers: { Authorization: 'Bearer ' + user.apiKey },
      body: fd,
    });
    assert.ok(response.ok, `response.ok (status ${response.status})`);
    const { data } = (await response.json()) as { data: Record<string, unknown> };
    await expectTryOnResult(data, PERSON_SIZE);
  });

  it('API 2: response.ok then data.seed', async () => {
    const fd = new FormData();
    fd.append('modelImg', new Blob([new Uint8Array(modelPng)], { type: 'image/png' }), 'model.png');
    fd.append('prompt', CONTRACT_PROMPT);
    fd.append('seed', '123456');
    const response = await fetch(server.url + API2_PATH, {
      method: 'POST',
      headers: { Authorization: 'Bearer ' + user.apiKey },
      body: fd,
    });
    assert.ok(response.ok, `response.ok (status ${response.status})`);
    const { data } = (await response.json()) as { data: Record<string, unknown> };
    assert.equal(data.seed, 123456);
    await expectPromptResult(data, PERSON_SIZE);
  });

  it('an error: response.ok is false and msg names the problem', async () => {
    const fd = new FormData();
    fd.append('modelImg', new Blob([new Uint8Array(modelPng)]), 'model.png');
    fd.append('category', 'upper_body');
    const res = await readResponse(
      await fetch(server.url + API1_PATH, { method: 'POST', headers: { Authorization: 'Bearer ' + user.apiKey }, body: fd }),
    );
    expectError(res, { status: 400, code: 10004, name: 'INVALID_PARAM', mentions: ['garmentImg'] });
  });
});

describe('the Python snippet (requests, files=...)', () => {
  const python = findPythonWithRequests();
  const skip = python === null ? 'python3 with the requests module is not installed (.ci/run installs python3-requests)' : false;

  it('API 1: every field a file part named after the field, data URI and URL as text', { skip }, async () => {
    const out = await runPythonClient(python!, {
      url: server.url + API1_PATH,
      apiKey: user.apiKey,
      fields: { modelImg: dataUri(modelJpeg, 'image/jpeg'), garmentImg: urls.garment, category: 'upper_body' },
    });
    assert.equal(out.ok, true, `raise_for_status() raised: ${JSON.stringify(out)}`);
    const { result, mask } = await expectTryOnResult(out.data!, PERSON_SIZE);
    await expectTestEngineTryOn(modelJpeg, garmentPng, result, mask);
  });

  it('API 1: an opened image file and bare base64 text', { skip }, async () => {
    const out = await runPythonClient(python!, {
      url: server.url + API1_PATH,
      apiKey: user.apiKey,
      fields: { garmentImg: garmentJpeg.toString('base64'), category: 'dresses', garmentDesc: 'striped' },
      filePaths: { modelImg: join(dir, 'm.png') },
    });
    assert.equal(out.ok, true, `raise_for_status() raised: ${JSON.stringify(out)}`);
    await expectTryOnResult(out.data!, PERSON_SIZE);
  });

  it('API 2: data.seed', { skip }, async () => {
    const out = await runPythonClient(python!, {
      url: server.url + API2_PATH,
      apiKey: user.apiKey,
      fields: { modelImg: dataUri(modelPng, 'image/png'), prompt: CONTRACT_PROMPT, seed: '99', guidance_scale: '50' },
    });
    assert.equal(out.ok, true, `raise_for_status() raised: ${JSON.stringify(out)}`);
    assert.equal(out.data!.seed, 99);
    await expectPromptResult(out.data!, PERSON_SIZE);
  });

  it('an error: raise_for_status() raises and msg names the field', { skip }, async () => {
    const out = await runPythonClient(python!, {
      url: server.url + API1_PATH,
      apiKey: user.apiKey,
      fields: { modelImg: dataUri(modelJpeg, 'image/jpeg'), garmentImg: urls.garment, category: 'socks' },
    });
    assert.equal(out.ok, false);
    assert.equal(out.status, 400);
    assert.equal(out.code, 10004);
    assert.match(out.msg, /^INVALID_PARAM: .*category/);
  });

  it('a bad key: raise_for_status() raises with 401 INVALID_API_KEY', { skip }, async () => {
    const out = await runPythonClient(python!, {
      url: server.url + API2_PATH,
      apiKey: 'fr_not_a_real_key',
      fields: { modelImg: dataUri(modelPng, 'image/png'), prompt: CONTRACT_PROMPT },
    });
    assert.deepEqual([out.ok, out.status, out.code], [false, 401, 30001]);
    assert.match(out.msg, /^INVALID_API_KEY: \S/);
  });
});

describe('billing of the calls above', () => {
  it('charged exactly one credit per successful call and nothing for errors', async () => {
    // Successful calls above: API 1 x5 curl + 2 Node + (2 Python) ; API 2 x4 curl + 1 Node + (1 Python).
    const python = findPythonWithRequests() !== null;
    const successes = 5 + 4 + 2 + 1 + (python ? 3 : 0);
    const state = await showUser(server, user.email);
    assert.equal(state.credits, 100 - successes);
    assert.equal(state.ledgerSum, state.credits, 'the ledger sums to the balance');
  });
});
