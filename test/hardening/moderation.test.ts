/**
 * HARMFUL_CONTENT (10005). The blocking decision is tested with class scores injected at the model
 * boundary (`imageClassifier`), so no explicit image is ever part of the project; the real nsfwjs
 * model is tested on a drawn, ordinary person, which it must pass, in its own worker thread.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { buildApp, type App } from '../../src/api/app.ts';
import { ConfigError, loadConfig } from '../../src/config/index.ts';
import type { Database } from '../../src/db/database.ts';
import type { ImageClassifier } from '../../src/moderation/classifier.ts';
import { createThreadClassifier } from '../../src/moderation/classifier.ts';
import { harmfulClass, promptTermMatcher } from '../../src/moderation/policy.ts';
import { createLocalQueue } from '../../src/queue/local.ts';
import type { JobQueue } from '../../src/queue/types.ts';
import { createFileObjectStore } from '../../src/storage/files.ts';
import { createPublicUrls } from '../../src/storage/public-urls.ts';
import type { NsfwScores } from '../../src/vision/nsfw.ts';
import { garmentImage, personImage } from '../helpers/images.ts';
import { multipartBody, openTestDatabase, type TestPart } from '../service/helpers.ts';

const API1 = '/api/openapi/change-clothes-ai';
const API2 = '/api/openapi/change-clothes-by-prompt';
const CONTRACT_PROMPT = 'Help the model change into a blue striped shirt.';

const NEUTRAL: NsfwScores = { drawing: 0.02, hentai: 0.01, neutral: 0.95, porn: 0.01, sexy: 0.01 };
const SWIMWEAR: NsfwScores = { drawing: 0.0, hentai: 0.0, neutral: 0.02, porn: 0.03, sexy: 0.95 };
const PORN: NsfwScores = { drawing: 0.0, hentai: 0.02, neutral: 0.01, porn: 0.93, sexy: 0.04 };
const HENTAI: NsfwScores = { drawing: 0.1, hentai: 0.86, neutral: 0.01, porn: 0.02, sexy: 0.01 };

describe('the blocking decision on class scores', () => {
  const settings = loadConfig({}).moderation;

  test('porn or hentai at or above their thresholds block; "sexy" never does', () => {
    assert.equal(harmfulClass(PORN, settings), 'porn');
    assert.equal(harmfulClass(HENTAI, settings), 'hentai');
    assert.equal(harmfulClass(SWIMWEAR, settings), null, 'swimwear and lingerie score high on sexy and must pass');
    assert.equal(harmfulClass({ ...NEUTRAL, sexy: 1 }, settings), null);
    assert.equal(harmfulClass({ ...NEUTRAL, porn: settings.pornThreshold }, settings), 'porn');
    assert.equal(harmfulClass({ ...NEUTRAL, porn: settings.pornThreshold - 0.01 }, settings), null);
  });

  test('thresholds come from the configuration, and a bad one is refused at start-up', () => {
    const strict = loadConfig({ FITROOM_MODERATION_PORN_THRESHOLD: '0.5', FITROOM_MODERATION_HENTAI_THRESHOLD: '0.6' }).moderation;
    assert.equal(strict.pornThreshold, 0.5);
    assert.equal(harmfulClass({ ...NEUTRAL, porn: 0.55 }, strict), 'porn');
    assert.equal(harmfulClass({ ...NEUTRAL, porn: 0.55 }, settings), null);
    assert.throws(() => loadConfig({ FITROOM_MODERATION_PORN_THRESHOLD: '1.5' }), (err: unknown) => err instanceof ConfigError && /PORN_THRESHOLD/.test(err.message));
    assert.throws(() => loadConfig({ FITROOM_MODERATION_HENTAI_THRESHOLD: '0' }), ConfigError);
  });

  test('prompt terms: whole words in any case, accents and width folded; fashion words pass', () => {
    const match = promptTermMatcher(loadConfig({}).moderation.promptTerms);
    assert.equal(match(CONTRACT_PROMPT), null);
    for (const ok of ['Put her in a red bikini', 'a black lace lingerie set', 'an off-shoulder top', 'nude heels and a nude slip dress', 'a unisex hoodie', 'a sexy red dress', 'Essex cricket jumper']) {
      assert.equal(match(ok), null, ok);
    }
    assert.equal(match('make the model NAKED'), 'naked');
    assert.equal(match('topless, please'), 'topless');
    assert.equal(match('ｔｏｐｌｅｓｓ'), 'topless');
    assert.equal(match('show her with no   clothes'), 'no   clothes');
    assert.equal(match('without-clothes'), 'without-clothes');
    const own = promptTermMatcher(loadConfig({ FITROOM_MODERATION_PROMPT_TERMS: 'Fur Coat, leopard' }).moderation.promptTerms);
    assert.equal(own('a long fur coat'), 'fur coat');
    assert.equal(own('make her naked'), null, 'an operator list replaces the default one');
    assert.deepEqual(loadConfig({ FITROOM_MODERATION_PROMPT_TERMS: 'none' }).moderation.promptTerms, []);
    assert.deepEqual(loadConfig({ FITROOM_MODERATION: 'false' }).moderation.promptTerms, []);
  });
});

describe('HARMFUL_CONTENT through the API (scores injected at the model boundary)', () => {
  let db: Database;
  let dataDir: string;
  let queue: JobQueue;
  let app: App;
  /** Fresh images for each call: the moderator remembers scores by pixel hash. */
  let variant = 0;
  let model: Buffer;
  let garment: Buffer;
  const freshImages = async () => {
    variant += 1;
    model = await personImage('jpeg', { width: 384, height: 512 }, variant);
    garment = await garmentImage('png', variant, { width: 256, height: 320 });
  };
  /** Scores the injected classifier answers, by image width (the model and garment differ). */
  const scoresByWidth = new Map<number, NsfwScores>();
  const classified: number[] = [];
  const classifier: ImageClassifier = {
    async classify(image) {
      classified.push(image.width);
      return scoresByWidth.get(image.width) ?? NEUTRAL;
    },
    ready: async () => {},
    close: async () => {},
  };

  before(async () => {
    db = await openTestDatabase();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fitroom-moderation-'));
    queue = createLocalQueue({ engineId: 'test', workers: 1, maxQueued: 8 });
    const config = loadConfig({ FITROOM_ENGINE: 'test', FITROOM_DATA_DIR: dataDir, LOG_LEVEL: 'silent', FITROOM_WORKERS: '1' });
    app = await buildApp({ config, db, queue, store: createFileObjectStore(path.join(dataDir, 'objects')), urls: createPublicUrls('http://fitroom.test'), logger: false, imageClassifier: classifier });
    await app.app.ready();
  });
  after(async () => {
    await app.app.close();
    await queue.close();
    await db.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function call(url: string, parts: TestPart[], auth: Record<string, string>) {
    const body = multipartBody(parts);
    const res = await app.app.inject({ method: 'POST', url, payload: body.payload, headers: { 'content-type': body.contentType, ...auth } });
    return { status: res.statusCode, json: res.json() as { code: number; msg: string; data?: Record<string, unknown> }, requestId: String(res.headers['x-request-id']) };
  }

  const api1 = (): TestPart[] => [
    { name: 'modelImg', value: model, filename: 'model.jpg', contentType: 'image/jpeg' },
    { name: 'garmentImg', value: garment, filename: 'garment.png', contentType: 'image/png' },
    { name: 'category', value: 'upper_body' },
  ];

  async function user(email: string, credits: number) {
    const u = await app.services.users.create(email);
    await app.services.credits.grant(u.id, credits);
    const key = await app.services.keys.create(u.id);
    return { id: u.id, auth: { authorization: `Bearer ${key.apiKey}` } };
  }

  async function ledgerKinds(userId: string): Promise<string[]> {
    const rows = await db.query<{ kind: string }>('SELECT kind FROM credit_ledger WHERE user_id = $1 ORDER BY id', [userId]);
    return rows.rows.map((r) => r.kind);
  }

  test('an image scored as porn or hentai is answered 10005 naming its field, and costs nothing', async () => {
    const u = await user('blocked@example.com', 3);
    scoresByWidth.set(384, PORN);
    await freshImages();
    let res = await call(API1, api1(), u.auth);
    assert.equal(res.status, 400, JSON.stringify(res.json));
    assert.equal(res.json.code, 10005);
    assert.match(res.json.msg, /^HARMFUL_CONTENT: modelImg: /);
    assert.equal('data' in res.json, false);
    scoresByWidth.set(384, NEUTRAL);
    scoresByWidth.set(256, HENTAI);
    await freshImages();
    res = await call(API1, api1(), u.auth);
    assert.equal(res.json.code, 10005);
    assert.match(res.json.msg, /^HARMFUL_CONTENT: garmentImg: /);
    scoresByWidth.set(256, NEUTRAL);
    scoresByWidth.set(384, PORN);
    await freshImages();
    res = await call(API2, [{ name: 'modelImg', value: model, filename: 'm.jpg' }, { name: 'prompt', value: CONTRACT_PROMPT }], u.auth);
    assert.equal(res.json.code, 10005);
    const after = (await app.services.users.getById(u.id))!;
    assert.equal(after.balance, 3, 'blocked calls are never charged');
    assert.equal(await app.services.users.ledgerSum(u.id), 3);
    assert.deepEqual(await ledgerKinds(u.id), ['grant'], 'no charge, no refund: nothing moved');
    const held = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM reservations WHERE user_id = $1 AND status = 'held'", [u.id]);
    assert.equal(held.rows[0].n, 0, 'no credit left reserved');
    assert.equal(after.reserved, 0);
    scoresByWidth.clear();
  });

  test('swimwear-like scores (high "sexy") pass and are charged like any call', async () => {
    const u = await user('swimwear@example.com', 2);
    scoresByWidth.set(384, SWIMWEAR);
    await freshImages();
    const before = classified.length;
    const res = await call(API1, api1(), u.auth);
    assert.equal(res.status, 200, JSON.stringify(res.json));
    assert.deepEqual(classified.slice(before).sort(), [256, 384], 'both input images were classified');
    assert.equal((await app.services.users.getById(u.id))!.balance, 1);
    // The same pixels again: the scores are remembered, the model is not run a second time.
    const again = await call(API1, [...api1().slice(0, 2), { name: 'category', value: 'dresses' }], u.auth);
    assert.equal(again.status, 200, JSON.stringify(again.json));
    assert.equal(classified.length, before + 2);
    assert.equal((await app.services.users.getById(u.id))!.balance, 0);
    scoresByWidth.clear();
  });

  test('a prompt with a refused term is 10005 before any image is read or credit reserved', async () => {
    const u = await user('prompt@example.com', 2);
    await freshImages();
    const before = classified.length;
    const res = await call(API2, [{ name: 'modelImg', value: model, filename: 'm.jpg' }, { name: 'prompt', value: 'Make the model topless.' }], u.auth);
    assert.equal(res.status, 400);
    assert.equal(res.json.code, 10005);
    assert.match(res.json.msg, /^HARMFUL_CONTENT: prompt: .*topless/);
    assert.equal(classified.length, before, 'the image was not classified');
    assert.equal((await app.services.users.getById(u.id))!.balance, 2);
    assert.deepEqual(await ledgerKinds(u.id), ['grant']);
  });
});

describe('the real nsfwjs model', () => {
  const classifier = createThreadClassifier();
  after(() => classifier.close());

  test('passes a drawn, ordinary person and garment, with scores that sum to 1', async () => {
    const settings = loadConfig({}).moderation;
    for (const bytes of [await personImage('png'), await garmentImage('png')]) {
      const { data, info } = await sharp(bytes).removeAlpha().raw().toBuffer({ resolveWithObject: true });
      const scores = await classifier.classify({ width: info.width, height: info.height, channels: 3, data: new Uint8Array(data) });
      const sum = Object.values(scores).reduce((a, b) => a + b, 0);
      assert.ok(Math.abs(sum - 1) < 1e-3, `softmax scores sum to 1, got ${sum}`);
      assert.equal(harmfulClass(scores, settings), null, JSON.stringify(scores));
    }
  });
});
