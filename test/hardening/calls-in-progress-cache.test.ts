/**
 * Issue 12 (and 10): the per-key cap on calls in progress (FITROOM_MAX_JOBS_PER_KEY, or the user's
 * own limit) holds for every call, a preset pair answered from the result cache included: a key
 * whose places are all taken gets 429 10007 with Retry-After for it, is not charged, and is served
 * from the cache once its running call has finished; calls that would wait for an identical call's
 * engine run (coalesced cache misses) take places as well. (Before, the cache lookup came before the
 * key's place was taken, so cached preset pairs were never counted or refused.)
 * The Redis-shared path: test/integration/cluster-limits.test.ts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { API1_PATH, bearer, expectError, expectOk, multipart, post, textPart } from '../helpers/http.ts';
import { whileCallInProgress } from '../helpers/image-server.ts';
import { garmentImage, personImage } from '../helpers/images.ts';
import { createUser, showUser, startServer, type StartedServer } from '../helpers/server.ts';

const CREDITS = 5;

let server: StartedServer;
let presetPair: () => ReturnType<typeof multipart>;
let model: Buffer;
let garment: Buffer;

before(async () => {
  // One place per key; the stalled "remote" model photo is served on loopback.
  server = await startServer({ env: { FITROOM_MAX_JOBS_PER_KEY: '1', FITROOM_ALLOW_PRIVATE_URLS: 'true' } });
  model = await personImage('jpeg');
  garment = await garmentImage('jpeg');
  const pm = await server.admin({ name: 'presets add', kind: 'model', bytesBase64: model.toString('base64') });
  const pg = await server.admin({ name: 'presets add', kind: 'garment', bytesBase64: garment.toString('base64') });
  presetPair = () => multipart([textPart('modelImg', String(pm.url)), textPart('garmentImg', String(pg.url)), textPart('category', 'upper_body')]);
  // Another user's call puts the pair's result in the cache.
  const warm = await createUser(server, { credits: 1 });
  assert.equal(expectOk(await post(server.url, API1_PATH, presetPair(), bearer(warm.apiKey))).cacheHit, false);
});

after(async () => {
  await server?.stop();
});

describe('the cap on calls in progress and the result cache', () => {
  it('a key at its cap gets 429 10007 for a cached preset pair, uncharged; once its call ends it is served from the cache', { timeout: 120_000 }, async () => {
    const user = await createUser(server, { credits: CREDITS });
    await whileCallInProgress(server.url, user.apiKey, model, garment, async () => {
      const refused = await post(server.url, API1_PATH, presetPair(), bearer(user.apiKey));
      expectError(refused, { status: 429, code: 10007, name: 'TOO_MANY_REQUESTS', mentions: ['1 calls in progress'] });
      assert.ok(Number(refused.headers.get('retry-after')) >= 1, `Retry-After ${refused.headers.get('retry-after')}`);
      // Another key is not held back by this one's call.
      const other = await createUser(server, { credits: 1 });
      assert.equal(expectOk(await post(server.url, API1_PATH, presetPair(), bearer(other.apiKey))).cacheHit, true);
    });
    assert.equal(expectOk(await post(server.url, API1_PATH, presetPair(), bearer(user.apiKey))).cacheHit, true);
    assert.equal((await showUser(server, user.email)).credits, CREDITS - 2, 'charged for the held call and the cache hit, not for the refusal');
  });

  it('calls waiting for an identical call\'s engine run hold places too: of 4 at once from one key, one runs, 3 are refused', { timeout: 120_000 }, async () => {
    // A large model photo, so the one engine run is still going when every call has arrived
    // (as in coalescing.test.ts); a pair nobody has asked for yet, so the first call leads.
    const bigModel = await personImage('png', { width: 1536, height: 2048 }, 5);
    const pm = await server.admin({ name: 'presets add', kind: 'model', bytesBase64: bigModel.toString('base64') });
    const pg = await server.admin({ name: 'presets add', kind: 'garment', bytesBase64: garment.toString('base64') });
    const uncachedPair = () => multipart([textPart('modelImg', String(pm.url)), textPart('garmentImg', String(pg.url)), textPart('category', 'dresses')]);
    const user = await createUser(server, { credits: CREDITS });
    const answers = await Promise.all(Array.from({ length: 4 }, () => post(server.url, API1_PATH, uncachedPair(), bearer(user.apiKey))));
    const statuses = answers.map((r) => r.status).sort();
    assert.deepEqual(statuses, [200, 429, 429, 429], answers.map((r) => r.text.slice(0, 160)).join('\n'));
    for (const r of answers.filter((a) => a.status === 429)) expectError(r, { status: 429, code: 10007, name: 'TOO_MANY_REQUESTS', mentions: ['1 calls in progress'] });
    assert.equal(expectOk(answers.find((r) => r.status === 200)!).cacheHit, false);
    assert.equal((await showUser(server, user.email)).credits, CREDITS - 1);
  });

  it('a user\'s own cap on calls in progress applies to cached preset pairs the same way', { timeout: 120_000 }, async () => {
    const user = await createUser(server, { credits: CREDITS });
    // Raised above the configured 1: two places, so one call in progress leaves room for a hit.
    await server.cli(['users', 'limits', user.email, '--in-progress', '2']);
    await whileCallInProgress(server.url, user.apiKey, model, garment, async () => {
      assert.equal(expectOk(await post(server.url, API1_PATH, presetPair(), bearer(user.apiKey))).cacheHit, true);
    });
    assert.equal((await showUser(server, user.email)).credits, CREDITS - 2);
  });
});
