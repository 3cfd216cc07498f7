/**
 * Issue 10: 10007 TOO_MANY_REQUESTS (HTTP 429, Retry-After) from a per-key token bucket
 * (FITROOM_RATE_LIMIT_PER_MINUTE, FITROOM_RATE_LIMIT_BURST) and a per-key cap on calls in
 * progress (FITROOM_MAX_JOBS_PER_KEY). Limits are per key: another key is unaffected.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { API1_PATH, PRESETS_PATH, api1Parts, bearer, expectError, expectOk, multipart, post, readResponse, textPart } from '../helpers/http.ts';
import { garmentImage, personImage } from '../helpers/images.ts';
import { createUser, showUser, startServer, type StartedServer, type TestUser } from '../helpers/server.ts';

const BURST = 3;

let server: StartedServer;
let limited: TestUser;
let other: TestUser;
let busy: TestUser;

before(async () => {
  server = await startServer({
    env: { FITROOM_RATE_LIMIT_PER_MINUTE: '30', FITROOM_RATE_LIMIT_BURST: String(BURST), FITROOM_MAX_JOBS_PER_KEY: '1', FITROOM_WORKERS: '1' },
  });
  limited = await createUser(server, { credits: 10 });
  other = await createUser(server, { credits: 10 });
  busy = await createUser(server, { credits: 10 });
});

after(async () => {
  await server?.stop();
});

const presets = async (key: string) => readResponse(await fetch(server.url + PRESETS_PATH, { headers: bearer(key) }));

describe('per-key rate limit', () => {
  it(`a key gets ${BURST} calls at once, then 429 10007 with Retry-After; another key is unaffected`, async () => {
    for (let i = 0; i < BURST; i++) expectOk(await presets(limited.apiKey));
    const res = await presets(limited.apiKey);
    expectError(res, { status: 429, code: 10007, name: 'TOO_MANY_REQUESTS', mentions: ['30 calls a minute'] });
    const retryAfter = Number(res.headers.get('retry-after'));
    // 30 a minute: one token every 2 s.
    assert.ok(retryAfter >= 1 && retryAfter <= 2, `Retry-After ${res.headers.get('retry-after')}`);
    expectOk(await presets(other.apiKey));
  });

  it('a refused API call is not charged and reads no body', async () => {
    const before = await showUser(server, limited.email);
    const body = multipart(api1Parts(await personImage('jpeg'), await garmentImage('jpeg')));
    // Empty the bucket (tokens came back while the CLI ran).
    while ((await presets(limited.apiKey)).status === 200);
    expectError(await post(server.url, API1_PATH, body, bearer(limited.apiKey)), { status: 429, code: 10007, name: 'TOO_MANY_REQUESTS' });
    assert.equal((await showUser(server, limited.email)).credits, before.credits);
  });

  it('a key at its cap of calls in progress gets 429 10007 for one more; the others complete', { timeout: 60_000 }, async () => {
    const model = await personImage('png', { width: 1536, height: 2048 });
    const garment = await garmentImage('jpeg');
    const answers = await Promise.all(
      Array.from({ length: BURST }, () => post(server.url, API1_PATH, multipart(api1Parts(model, garment)), bearer(busy.apiKey))),
    );
    const refused = answers.filter((r) => r.status === 429);
    assert.ok(answers.some((r) => r.status === 200), answers.map((r) => r.text.slice(0, 120)).join('\n'));
    assert.ok(refused.length >= 1, `statuses ${answers.map((r) => r.status).join(',')}`);
    for (const r of refused) {
      expectError(r, { status: 429, code: 10007, name: 'TOO_MANY_REQUESTS', mentions: ['in progress'] });
      assert.ok(Number(r.headers.get('retry-after')) >= 1);
    }
    assert.equal((await showUser(server, busy.email)).credits, 10 - (BURST - refused.length), 'only completed calls are charged');
  });
});

describe('async jobs under /v1 share the same checks', () => {
  it('submitting and polling jobs take tokens from the key’s bucket; a submission with none left is 429 10007', async () => {
    const user = await createUser(server, { credits: 10 });
    const parts = api1Parts(await personImage('jpeg'), await garmentImage('jpeg'));
    const submitted = await post(server.url, '/v1/tryon', multipart(parts), bearer(user.apiKey));
    assert.equal(submitted.status, 202, submitted.text);
    const jobId = (submitted.json as { data: { jobId: string } }).data.jobId;
    // Empty the bucket by polling: polling is rate-limited like any other authenticated call.
    let poll: Awaited<ReturnType<typeof readResponse>>;
    do poll = await readResponse(await fetch(`${server.url}/v1/jobs/${jobId}`, { headers: bearer(user.apiKey) }));
    while (poll.status === 200);
    expectError(poll, { status: 429, code: 10007, name: 'TOO_MANY_REQUESTS' });
    const refused = await post(server.url, '/v1/tryon', multipart(parts), bearer(user.apiKey));
    expectError(refused, { status: 429, code: 10007, name: 'TOO_MANY_REQUESTS' });
    assert.ok(Number(refused.headers.get('retry-after')) >= 1);
  });

  it('a /v1 form with a field sent twice is refused like API 1’s', async () => {
    const user = await createUser(server, { credits: 10 });
    const parts = api1Parts(await personImage('jpeg'), await garmentImage('jpeg'));
    const res = await post(server.url, '/v1/tryon', multipart([...parts, textPart('category', 'dresses')]), bearer(user.apiKey));
    expectError(res, { status: 400, code: 10004, name: 'INVALID_PARAM', mentions: ['category', 'more than once'] });
  });
});
