/**
 * Route tests through app.inject: the real app, a real (in-memory) PGlite, a file store in a temp
 * dir, and either the real local queue on the test engine or a queue double that throws.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { buildApp, type App } from '../../src/api/app.ts';
import { loadConfig } from '../../src/config/index.ts';
import type { Database } from '../../src/db/database.ts';
import { signRequest } from '../../src/domain/keys.ts';
import type { JobQueue } from '../../src/queue/types.ts';
import { createLocalQueue } from '../../src/queue/local.ts';
import { createFileObjectStore } from '../../src/storage/files.ts';
import { createPublicUrls } from '../../src/storage/public-urls.ts';
import { multipartBody, openTestDatabase, syntheticImage, type TestPart } from './helpers.ts';

const API1 = '/api/openapi/change-clothes-ai';
const API2 = '/api/openapi/change-clothes-by-prompt';

let db: Database;
let dataDir: string;
let model: Buffer;
let garment: Buffer;
let flatGarment: Buffer;

before(async () => {
  db = await openTestDatabase();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fitroom-api-'));
  model = await syntheticImage(160, 200, { seed: 1, format: 'jpeg' });
  garment = await syntheticImage(140, 140, { seed: 2, format: 'png' });
  flatGarment = await syntheticImage(140, 140, { flat: true });
});
after(async () => {
  await db.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function makeApp(queue: JobQueue, env: Record<string, string> = {}): Promise<App> {
  const config = loadConfig({ FITROOM_ENGINE: 'test', FITROOM_DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...env });
  const urls = createPublicUrls('http://fitroom.test');
  const built = await buildApp({ config, db, queue, store: createFileObjectStore(path.join(dataDir, 'objects')), urls, logger: false });
  await built.app.ready();
  return built;
}

const throwingQueue: JobQueue = {
  run: async () => {
    throw new Error('engine exploded at /srv/fitroom/src/engine/secret.ts: SELECT * FROM users');
  },
  depth: () => 0,
  running: () => 0,
  ready: async () => {},
  close: async () => {},
};

function api1Parts(overrides: Partial<Record<'modelImg' | 'garmentImg' | 'category', TestPart | null>> = {}): TestPart[] {
  const defaults: Record<string, TestPart> = {
    modelImg: { name: 'modelImg', value: model, filename: 'model.jpg', contentType: 'image/jpeg' },
    garmentImg: { name: 'garmentImg', value: garment, filename: 'garment.png', contentType: 'image/png' },
    category: { name: 'category', value: 'upper_body' },
  };
  return Object.entries(defaults)
    .map(([k, v]) => (k in overrides ? overrides[k as keyof typeof overrides] : v))
    .filter((p): p is TestPart => p !== null && p !== undefined);
}

async function call(app: App, url: string, parts: TestPart[], headers: Record<string, string> = {}) {
  const body = multipartBody(parts);
  const res = await app.app.inject({ method: 'POST', url, payload: body.payload, headers: { 'content-type': body.contentType, ...headers } });
  return { status: res.statusCode, json: res.json() as { code: number; msg: string; data?: Record<string, unknown> }, headers: res.headers, raw: res.body };
}

function expectError(res: { status: number; json: { code: number; msg: string; data?: unknown } }, status: number, code: number, name: string, mentions?: RegExp) {
  assert.equal(res.status, status, JSON.stringify(res.json));
  assert.equal(res.json.code, code);
  assert.match(res.json.msg, new RegExp(`^${name}: \\S`));
  assert.equal('data' in res.json, false, 'errors carry no data');
  if (mentions) assert.match(res.json.msg, mentions);
}

async function userWithKey(app: App, email: string, options: { credits?: number; signing?: boolean } = {}) {
  const user = await app.services.users.create(email);
  if (options.credits) await app.services.credits.grant(user.id, options.credits);
  const key = await app.services.keys.create(user.id, { signing: options.signing });
  return { user, key, auth: { authorization: `Bearer ${key.apiKey}` } };
}

describe('errors with a throwing queue double', () => {
  let app: App;
  before(async () => {
    app = await makeApp(throwingQueue, { FITROOM_TRIAL_CALLS: '1' });
  });
  after(async () => {
    await app.app.close();
  });

  test('10001: no Authorization header, or not Bearer', async () => {
    const res = await call(app, API1, api1Parts());
    expectError(res, 401, 10001, 'NOT_LOGIN');
    assert.match(String(res.headers['x-request-id']), /^req_[a-z2-7]{20}$/);
    expectError(await call(app, API2, [], { authorization: 'Basic Zm9vOmJhcg==' }), 401, 10001, 'NOT_LOGIN');
  });

  test('30001: unknown and revoked keys', async () => {
    expectError(await call(app, API1, api1Parts(), { authorization: 'Bearer fr_nope' }), 401, 30001, 'INVALID_API_KEY');
    const { key, auth } = await userWithKey(app, 'revoked@example.com', { credits: 3 });
    await app.services.keys.revoke(key.id);
    expectError(await call(app, API1, api1Parts(), auth), 401, 30001, 'INVALID_API_KEY');
  });

  test('10002: the key\'s user is disabled', async () => {
    const { auth } = await userWithKey(app, 'disabled@example.com', { credits: 3 });
    await app.services.users.disable('disabled@example.com');
    expectError(await call(app, API1, api1Parts(), auth), 401, 10002, 'USER_NOT_EXIST');
  });

  test('10004: missing and invalid fields, non-multipart and oversized bodies', async () => {
    const { auth } = await userWithKey(app, 'params@example.com', { credits: 3 });
    expectError(await call(app, API1, api1Parts({ modelImg: null }), auth), 400, 10004, 'INVALID_PARAM', /modelImg/);
    expectError(await call(app, API1, api1Parts({ garmentImg: null }), auth), 400, 10004, 'INVALID_PARAM', /garmentImg/);
    expectError(await call(app, API1, api1Parts({ category: null }), auth), 400, 10004, 'INVALID_PARAM', /category/);
    expectError(await call(app, API1, api1Parts({ category: { name: 'category', value: 'hats' } }), auth), 400, 10004, 'INVALID_PARAM', /category.*hats/);
    expectError(await call(app, API1, [...api1Parts(), { name: 'garmentDesc', value: 'x'.repeat(1001) }], auth), 400, 10004, 'INVALID_PARAM', /garmentDesc/);
    expectError(await call(app, API1, api1Parts({ modelImg: { name: 'modelImg', value: 'not an image at all' } }), auth), 400, 10004, 'INVALID_PARAM', /modelImg/);
    expectError(await call(app, API2, [{ name: 'modelImg', value: model, filename: 'm.jpg' }, { name: 'prompt', value: '' }], auth), 400, 10004, 'INVALID_PARAM', /prompt/);
    expectError(await call(app, API2, [{ name: 'modelImg', value: model, filename: 'm.jpg' }, { name: 'prompt', value: 'red' }, { name: 'seed', value: '2147483648' }], auth), 400, 10004, 'INVALID_PARAM', /seed/);
    expectError(await call(app, API2, [{ name: 'modelImg', value: model, filename: 'm.jpg' }, { name: 'prompt', value: 'red' }, { name: 'num_inference_steps', value: '51' }], auth), 400, 10004, 'INVALID_PARAM', /num_inference_steps/);
    const json = await app.app.inject({ method: 'POST', url: API1, payload: { modelImg: 'x' }, headers: auth });
    assert.equal(json.statusCode, 400);
    assert.equal(json.json().code, 10004);
    const big = await app.app.inject({ method: 'POST', url: API1, payload: 'x', headers: { ...auth, 'content-type': 'multipart/form-data; boundary=x', 'content-length': String(60 * 1024 * 1024) } });
    assert.equal(big.statusCode, 413);
    assert.equal(big.json().code, 10004);
    // Nothing was charged for any of it.
    const u = await app.services.users.getByEmail('params@example.com');
    assert.equal(u.balance, 3);
    assert.equal(u.reserved, 0);
  });

  test('500: an engine failure leaks nothing and costs nothing', async () => {
    const { auth } = await userWithKey(app, 'crash@example.com', { credits: 2 });
    const res = await call(app, API1, api1Parts(), auth);
    expectError(res, 500, 500, 'SERVER_ERROR');
    assert.equal(res.json.msg, 'SERVER_ERROR: internal error');
    assert.doesNotMatch(res.raw, /secret|SELECT|\/srv|at |stack/);
    const u = await app.services.users.getByEmail('crash@example.com');
    assert.equal(u.balance, 2);
    assert.equal(u.reserved, 0);
    assert.equal(await app.services.users.ledgerSum(u.id), 2);
    await app.usage.flush();
    const rows = await db.query<{ code: number; status_code: number }>('SELECT code, status_code FROM requests WHERE id = $1', [res.headers['x-request-id']]);
    assert.deepEqual(rows.rows[0], { code: 500, status_code: 500 });
  });

  test('10003 for a user who held credits, 10006 for a trial user out of calls', async () => {
    const { auth } = await userWithKey(app, 'broke@example.com', { credits: 1 });
    await db.query("UPDATE users SET balance = 0 WHERE email = 'broke@example.com'");
    await db.query("INSERT INTO credit_ledger (user_id, kind, amount, note) SELECT id, 'charge', -1, 'test' FROM users WHERE email = 'broke@example.com'");
    expectError(await call(app, API1, api1Parts(), auth), 402, 10003, 'INSUFFICIENT_CREDITS');
    const trial = await userWithKey(app, 'trial-out@example.com');
    await db.query("UPDATE users SET trial_remaining = 0 WHERE email = 'trial-out@example.com'");
    expectError(await call(app, API1, api1Parts(), trial.auth), 402, 10006, 'INSUFFICIENT_TRAIL_COUNT');
  });
});

describe('the real local queue on the test engine', () => {
  let app: App;
  let queue: JobQueue;
  before(async () => {
    queue = createLocalQueue({ engineId: 'test', workers: 1, maxQueued: 16 });
    app = await makeApp(queue);
    await queue.ready();
  });
  after(async () => {
    await app.app.close();
    await queue.close();
  });

  async function fetchImage(url: string) {
    assert.ok(url.startsWith('http://fitroom.test/files/'), url);
    const res = await app.app.inject({ method: 'GET', url: url.slice('http://fitroom.test'.length) });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'image/webp');
    return sharp(res.rawPayload).metadata();
  }

  test('API 1 happy path: WebP result and mask of the model\'s size, one credit charged, ledger names the request', async () => {
    const { auth, user } = await userWithKey(app, 'happy@example.com', { credits: 5 });
    const res = await call(app, API1, api1Parts(), auth);
    assert.equal(res.status, 200, res.raw);
    assert.equal(res.json.code, 200);
    assert.equal(res.json.msg, 'OK');
    const data = res.json.data as { resultImgUrl: string; maskImgUrl: string; cacheHit: boolean };
    assert.equal(data.cacheHit, false);
    for (const url of [data.resultImgUrl, data.maskImgUrl]) {
      const meta = await fetchImage(url);
      assert.equal(meta.format, 'webp');
      assert.equal(meta.width, 160);
      assert.equal(meta.height, 200);
    }
    const u = (await app.services.users.getById(user.id))!;
    assert.equal(u.balance, 4);
    const ledger = await db.query<{ request_id: string }>("SELECT request_id FROM credit_ledger WHERE user_id = $1 AND kind = 'charge'", [user.id]);
    assert.deepEqual(ledger.rows.map((r) => r.request_id), [res.headers['x-request-id']]);
  });

  test('Python requests style: every value a file part without content type', async () => {
    const { auth } = await userWithKey(app, 'python@example.com', { credits: 5 });
    const dataUri = `data:image/jpeg;base64,${model.toString('base64')}`;
    const res = await call(
      app,
      API1,
      [
        { name: 'modelImg', value: dataUri, filename: 'modelImg' },
        { name: 'garmentImg', value: garment.toString('base64'), filename: 'garmentImg' },
        { name: 'category', value: 'dresses', filename: 'category' },
      ],
      auth,
    );
    assert.equal(res.status, 200, res.raw);
  });

  test('API 2: seed given → same seed back and the same pixels; randomised when absent', async () => {
    const { auth } = await userWithKey(app, 'prompt@example.com', { credits: 5 });
    const parts = (extra: TestPart[]) => [{ name: 'modelImg', value: model, filename: 'm.jpg' }, { name: 'prompt', value: 'Help the model change into a blue striped shirt.' }, ...extra];
    const a = await call(app, API2, parts([{ name: 'seed', value: '42' }]), auth);
    const b = await call(app, API2, parts([{ name: 'seed', value: '42' }]), auth);
    assert.equal(a.status, 200, a.raw);
    assert.equal(a.json.data!.seed, 42);
    assert.equal(b.json.data!.seed, 42);
    const pixels = async (url: string) => (await sharp((await app.app.inject({ method: 'GET', url: new URL(url).pathname })).rawPayload).raw().toBuffer()).toString('hex');
    assert.equal(await pixels(String(a.json.data!.resultImgUrl)), await pixels(String(b.json.data!.resultImgUrl)));
    const r = await call(app, API2, parts([]), auth);
    assert.equal(r.status, 200);
    assert.ok(Number.isInteger(r.json.data!.seed) && (r.json.data!.seed as number) >= 0 && (r.json.data!.seed as number) <= 2147483647);
  });

  test('20001: the engine refuses a blank garment (422) and nothing is charged', async () => {
    const { auth, user } = await userWithKey(app, 'blank@example.com', { credits: 1 });
    const res = await call(app, API1, api1Parts({ garmentImg: { name: 'garmentImg', value: flatGarment, filename: 'g.png' } }), auth);
    expectError(res, 422, 20001, 'TRY_ON_EXCEPTION', /garment/);
    assert.equal((await app.services.users.getById(user.id))!.balance, 1);
  });

  test('30002: a signing key needs a valid, fresh, unreplayed signature over the exact multipart body', async () => {
    const { auth, key } = await userWithKey(app, 'signer@example.com', { credits: 5, signing: true });
    const body = multipartBody(api1Parts());
    const send = (headers: Record<string, string>) =>
      app.app.inject({ method: 'POST', url: API1, payload: body.payload, headers: { ...auth, 'content-type': body.contentType, ...headers } });
    const unsigned = await send({});
    assert.equal(unsigned.statusCode, 401);
    assert.equal(unsigned.json().code, 30002);
    const ts = String(Math.floor(Date.now() / 1000));
    const sha = createHash('sha256').update(body.payload).digest('hex');
    const good = signRequest(key.signingSecret!, ts, 'POST', API1, sha);
    const wrong = await send({ 'x-fitroom-timestamp': ts, 'x-fitroom-signature': signRequest('nope', ts, 'POST', API1, sha) });
    assert.equal(wrong.json().code, 30002);
    const ok = await send({ 'x-fitroom-timestamp': ts, 'x-fitroom-signature': good });
    assert.equal(ok.statusCode, 200, ok.body);
    const replay = await send({ 'x-fitroom-timestamp': ts, 'x-fitroom-signature': good });
    assert.equal(replay.statusCode, 401);
    assert.match(replay.json().msg, /^INVALID_SIGNATURE: .*replay/);
  });

  test('presets: listed, used by URL, second call is a charged cache hit', async () => {
    const { auth, user } = await userWithKey(app, 'presets@example.com', { credits: 5 });
    const m = await app.services.presets.add('model', model);
    const g = await app.services.presets.add('garment', garment);
    const list = await app.app.inject({ method: 'GET', url: '/api/openapi/presets', headers: auth });
    assert.equal(list.statusCode, 200);
    assert.ok(list.json().data.models.some((p: { id: string; url: string }) => p.id === m.id && p.url === m.url));
    assert.equal((await app.app.inject({ method: 'GET', url: new URL(m.url).pathname })).headers['content-type'], 'image/jpeg');
    const parts = api1Parts({ modelImg: { name: 'modelImg', value: m.url }, garmentImg: { name: 'garmentImg', value: g.id } });
    const first = await call(app, API1, parts, auth);
    const second = await call(app, API1, parts, auth);
    assert.equal(first.status, 200, first.raw);
    assert.equal(first.json.data!.cacheHit, false);
    assert.equal(second.json.data!.cacheHit, true);
    assert.equal(second.json.data!.resultImgUrl, first.json.data!.resultImgUrl);
    const other = await call(app, API1, api1Parts({ modelImg: { name: 'modelImg', value: m.url }, garmentImg: { name: 'garmentImg', value: g.id }, category: { name: 'category', value: 'dresses' } }), auth);
    assert.equal(other.json.data!.cacheHit, false, 'another category is another key');
    assert.equal((await app.services.users.getById(user.id))!.balance, 2);
  });

  test('ops routes: healthz, readyz, metrics, docs; unknown route and missing file are enveloped 404s', async () => {
    assert.equal((await app.app.inject({ url: '/healthz' })).statusCode, 200);
    const ready = await app.app.inject({ url: '/readyz' });
    assert.equal(ready.statusCode, 200, ready.body);
    const metrics = await app.app.inject({ url: '/metrics' });
    assert.match(metrics.body, /fitroom_http_requests_total\{route="\/api\/openapi\/change-clothes-ai",method="POST",status="200",code="200"\}/);
    assert.match(metrics.body, /fitroom_engine_stage_seconds_count\{stage="[a-z_]+"\}/);
    assert.match(metrics.body, /fitroom_queue_depth/);
    for (const stage of ['images', 'encode', 'store', 'credits']) {
      assert.match(metrics.body, new RegExp(`fitroom_service_stage_seconds_count\\{stage="${stage}"\\} [1-9]`), stage);
    }
    const doc = await app.app.inject({ url: '/docs/json' });
    assert.equal(doc.statusCode, 200);
    const spec = doc.json();
    assert.ok(spec.paths[API1].post.requestBody.content['multipart/form-data'].schema.properties.garmentImg);
    assert.equal(spec.paths['/admin/cli'], undefined);
    const missing = await app.app.inject({ url: '/files/results/res_aaaaaaaaaaaaaaaaaaaa.webp' });
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().code, 10004);
    const traversal = await app.app.inject({ url: '/files/..%2f..%2fetc%2fpasswd' });
    assert.equal(traversal.statusCode, 404);
    const nowhere = await app.app.inject({ url: '/nope' });
    assert.equal(nowhere.statusCode, 404);
    assert.ok(nowhere.headers['x-request-id']);
  });
});
