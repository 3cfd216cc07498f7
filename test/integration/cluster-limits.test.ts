/**
 * A key's limits hold across the API nodes of a scale-out deployment (issue 12): real PostgreSQL,
 * Redis and S3 on loopback, API node A (with one `ROLE=worker`) and API node B joining it, as two
 * nodes behind one load balancer. Each limit is spent partly on A and partly on B:
 * - the rate limit (FITROOM_RATE_LIMIT_BURST calls, then 429 10007 on both nodes);
 * - the dashboard's log-in throttle (five wrong passwords, then 429 on both, right password or not);
 * - the cap on calls in progress (FITROOM_MAX_JOBS_PER_KEY=1: a call running on A makes B refuse),
 *   a preset-pair call that B would answer from the result cache included.
 * All three failed while each node kept its limits in its own memory (src/cluster/shared-limits.ts).
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sharedDeploymentSettings, type ClusterSpec } from '../helpers/cluster.ts';
import { API1_PATH, PRESETS_PATH, api1Parts, bearer, expectError, expectOk, multipart, post, readResponse, textPart } from '../helpers/http.ts';
import { whileCallInProgress } from '../helpers/image-server.ts';
import { garmentImage, personImage } from '../helpers/images.ts';
import { integrationSkip, startAllServers, type RealServers } from '../helpers/real-services.ts';
import { createUser, startServer, type StartedServer } from '../helpers/server.ts';

const skip = integrationSkip();
const BURST = 4;
/** One token back every 10 s: none comes back while a test runs. */
const PER_MINUTE = 6;
/** Wrong passwords in a row before log-in is held back (src/api/login-throttle.ts FREE_FAILURES). */
const FREE_FAILURES = 5;

const LIMITS_ENV = {
  FITROOM_RATE_LIMIT_PER_MINUTE: String(PER_MINUTE),
  FITROOM_RATE_LIMIT_BURST: String(BURST),
  FITROOM_MAX_JOBS_PER_KEY: '1',
  // The stalled "remote" model photo is served on loopback.
  FITROOM_ALLOW_PRIVATE_URLS: 'true',
};

let servers: RealServers | undefined;
let nodeA: StartedServer;
let nodeB: StartedServer;

before(async () => {
  if (skip) return;
  servers = await startAllServers();
  const spec: ClusterSpec = { postgres: servers.pg.url, redis: servers.redis.url, s3: servers.s3 };
  process.env.FITROOM_TEST_CLUSTER = JSON.stringify(spec);
  nodeA = await startServer({ env: LIMITS_ENV, workers: 1 });
  // Another API node of A's deployment, with A's settings; A's worker runs its engine jobs.
  nodeB = await startServer({ dataDir: mkdtempSync(join(tmpdir(), 'fitroom-test-')), env: { ...sharedDeploymentSettings(nodeA.env), ...LIMITS_ENV }, workers: 0 });
});

after(async () => {
  await nodeB?.stop();
  await nodeA?.stop();
  await servers?.stop();
});

const presets = async (node: StartedServer, key: string) => readResponse(await fetch(node.url + PRESETS_PATH, { headers: bearer(key) }));

/** A dashboard log-in attempt from a fresh browser (JSON from the page's own origin). */
async function logIn(node: StartedServer, email: string, password: string): Promise<{ status: number; code: number; retryAfter: string | null }> {
  const res = await fetch(`${node.url}/dashboard/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  const body = (await res.json()) as { code: number };
  return { status: res.status, code: body.code, retryAfter: res.headers.get('retry-after') };
}

describe('a key\'s limits hold across two API nodes', { skip }, () => {
  it(`the rate limit: ${BURST} calls spread over A and B spend the burst; the next is 429 10007 on both`, async () => {
    const user = await createUser(nodeA, { credits: 0 });
    for (let i = 0; i < BURST; i++) expectOk(await presets(i % 2 === 0 ? nodeA : nodeB, user.apiKey));
    for (const node of [nodeA, nodeB]) {
      const res = await presets(node, user.apiKey);
      expectError(res, { status: 429, code: 10007, name: 'TOO_MANY_REQUESTS', mentions: [`${PER_MINUTE} calls a minute`] });
      assert.ok(Number(res.headers.get('retry-after')) >= 1, `Retry-After ${res.headers.get('retry-after')}`);
    }
    // GET /v1/account shows the shared bucket: another key's one call on B, and this call on A.
    const other = await createUser(nodeA, { credits: 0 });
    expectOk(await presets(nodeB, other.apiKey));
    const account = expectOk(await readResponse(await fetch(`${nodeA.url}/v1/account`, { headers: bearer(other.apiKey) })));
    assert.equal((account.rateLimit as { remaining: number }).remaining, BURST - 2, 'one token taken on B, one by this call on A');
  });

  it('a user\'s own limits, set through node A, apply on node B at its next call (B had memoised the key)', async () => {
    const user = await createUser(nodeA, { credits: 0 });
    expectOk(await presets(nodeB, user.apiKey));
    // Written on A: the users row's trigger moves the memo counter (migration 010), so B reads the key again.
    await nodeA.cli(['users', 'limits', user.email, '--burst', '2']);
    // The bucket (3 tokens left) is cut to the new burst of 2, spent on B and A.
    expectOk(await presets(nodeB, user.apiKey));
    expectOk(await presets(nodeA, user.apiKey));
    for (const node of [nodeB, nodeA]) {
      expectError(await presets(node, user.apiKey), { status: 429, code: 10007, name: 'TOO_MANY_REQUESTS', mentions: ['bursts of 2'] });
    }
    await nodeA.cli(['users', 'limits', user.email, '--default']);
    const second = await nodeA.admin({ name: 'keys add', email: user.email, signing: false });
    const account = expectOk(await readResponse(await fetch(`${nodeB.url}/v1/account`, { headers: bearer(String(second.apiKey)) })));
    assert.equal((account.rateLimit as { burst: number }).burst, BURST, 'back on the configured burst');
  });

  it(`the log-in throttle: ${FREE_FAILURES} wrong passwords spread over A and B hold the email back on both`, async () => {
    const email = 'spread@example.com';
    const invite = await nodeA.admin({ name: 'users invite', email });
    const signup = await fetch(`${nodeA.url}/dashboard/api/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: 'the right passphrase', inviteToken: invite.token }),
    });
    assert.equal(signup.status, 200, await signup.text());
    for (let i = 0; i < FREE_FAILURES; i++) {
      const wrong = await logIn(i % 2 === 0 ? nodeA : nodeB, email, `wrong guess ${i}`);
      assert.equal(wrong.status, 401, `guess ${i + 1}`);
    }
    for (const node of [nodeB, nodeA]) {
      const held = await logIn(node, email, 'the right passphrase');
      assert.equal(held.status, 429);
      assert.equal(held.code, 10007);
      assert.ok(Number(held.retryAfter) >= 1, `Retry-After ${held.retryAfter}`);
    }
  });

  it('the cap on calls in progress: a call running on A makes B refuse the same key with 10007; once it ends, B accepts', { timeout: 120_000 }, async () => {
    const user = await createUser(nodeA, { credits: 5 });
    const model = await personImage('jpeg');
    const garment = await garmentImage('jpeg');
    await whileCallInProgress(nodeA.url, user.apiKey, model, garment, async () => {
      const refused = await post(nodeB.url, API1_PATH, multipart(api1Parts(model, garment)), bearer(user.apiKey));
      expectError(refused, { status: 429, code: 10007, name: 'TOO_MANY_REQUESTS', mentions: ['1 calls in progress'] });
    });
    expectOk(await post(nodeB.url, API1_PATH, multipart(api1Parts(model, garment)), bearer(user.apiKey)));
  });

  it('the cap holds for a preset pair answered from the cache too: B refuses it while the key\'s call runs on A', { timeout: 120_000 }, async () => {
    const model = await personImage('jpeg', undefined, 7);
    const garment = await garmentImage('jpeg');
    const pm = await nodeA.admin({ name: 'presets add', kind: 'model', bytesBase64: model.toString('base64') });
    const pg = await nodeA.admin({ name: 'presets add', kind: 'garment', bytesBase64: garment.toString('base64') });
    const presetPair = () => multipart([textPart('modelImg', String(pm.url)), textPart('garmentImg', String(pg.url)), textPart('category', 'upper_body')]);
    // Another user's call puts the pair's result in the cache.
    const warm = await createUser(nodeA, { credits: 1 });
    assert.equal(expectOk(await post(nodeB.url, API1_PATH, presetPair(), bearer(warm.apiKey))).cacheHit, false);
    const user = await createUser(nodeA, { credits: 5 });
    await whileCallInProgress(nodeA.url, user.apiKey, model, garment, async () => {
      const refused = await post(nodeB.url, API1_PATH, presetPair(), bearer(user.apiKey));
      expectError(refused, { status: 429, code: 10007, name: 'TOO_MANY_REQUESTS', mentions: ['1 calls in progress'] });
    });
    assert.equal(expectOk(await post(nodeB.url, API1_PATH, presetPair(), bearer(user.apiKey))).cacheHit, true);
  });
});
