/**
 * Who may call and what it costs, black-box: 10001 NOT_LOGIN, 30001 INVALID_API_KEY (unknown and
 * revoked keys), 10002 USER_NOT_EXIST (disabled user), 30002 INVALID_SIGNATURE (missing, wrong,
 * stale, replayed), 10003 INSUFFICIENT_CREDITS, 10006 INSUFFICIENT_TRAIL_COUNT, 20001
 * TRY_ON_EXCEPTION leaving the balance unchanged, and exact credits under 40 concurrent calls.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { curlForm } from '../helpers/clients.ts';
import {
  API1_PATH,
  API2_PATH,
  api1Parts,
  api2Parts,
  bearer,
  expectError,
  expectOk,
  expectTryOnResult,
  multipart,
  post,
  signedHeaders,
  type ApiResponse,
} from '../helpers/http.ts';
import { flatGarmentImage, garmentImage, personImage, PERSON_SIZE } from '../helpers/images.ts';
import { createUser, showUser, startServer, type StartedServer } from '../helpers/server.ts';

const TRIAL_CALLS = 2;

let server: StartedServer;
let model: Buffer;
let garment: Buffer;

before(async () => {
  server = await startServer({ env: { FITROOM_TRIAL_CALLS: String(TRIAL_CALLS) } });
  model = await personImage('jpeg');
  garment = await garmentImage('jpeg');
});

after(async () => {
  if (server) {
    const exit = await server.stop();
    assert.equal(exit.code, 0, `server exit after SIGTERM: ${JSON.stringify(exit)}`);
  }
});

function api1(headers: Record<string, string>): Promise<ApiResponse> {
  return post(server.url, API1_PATH, multipart(api1Parts(model, garment)), headers);
}

describe('10001 NOT_LOGIN', () => {
  it('no Authorization header → 401', async () => {
    expectError(await api1({}), { status: 401, code: 10001, name: 'NOT_LOGIN' });
  });

  it('a Basic credential instead of a Bearer token → 401', async () => {
    expectError(await api1({ authorization: 'Basic dXNlcjpwYXNz' }), { status: 401, code: 10001, name: 'NOT_LOGIN' });
  });

  it('API 2 without a header → 401', async () => {
    const res = await post(server.url, API2_PATH, multipart(api2Parts(model)), {});
    expectError(res, { status: 401, code: 10001, name: 'NOT_LOGIN' });
  });
});

describe('30001 INVALID_API_KEY', () => {
  it('an unknown key → 401', async () => {
    const res = await api1(bearer('fr_0000000000000000000000000000000000000000'));
    expectError(res, { status: 401, code: 30001, name: 'INVALID_API_KEY' });
  });

  it('a key revoked with `keys revoke` → 401, while it worked before', async () => {
    const user = await createUser(server, { credits: 5 });
    expectOk(await api1(bearer(user.apiKey)));
    const revoked = await server.cli(['keys', 'revoke', user.keyId]);
    assert.equal(revoked.revoked, true);
    expectError(await api1(bearer(user.apiKey)), { status: 401, code: 30001, name: 'INVALID_API_KEY' });
  });
});

describe('scheme and header name are case-insensitive', () => {
  it('authorization: bearer KEY (fetch)', async () => {
    const user = await createUser(server, { credits: 5 });
    expectOk(await api1({ authorization: `bearer ${user.apiKey}` }));
  });

  it('AUTHORIZATION: BEARER KEY (curl sends the header name as written)', async () => {
    const user = await createUser(server, { credits: 5 });
    const r = await curlForm(server.url + API2_PATH, {
      headers: [`AUTHORIZATION: BEARER ${user.apiKey}`],
      forms: [`modelImg="${model.toString('base64')}"`, 'prompt="Help the model change into a red dress."'],
    });
    assert.equal(r.status, 200, r.body);
    assert.equal(r.json?.code, 200);
  });
});

describe('10002 USER_NOT_EXIST', () => {
  it('the key of a user disabled with `users disable` → 401', async () => {
    const user = await createUser(server, { credits: 5 });
    expectOk(await api1(bearer(user.apiKey)));
    const disabled = await server.cli(['users', 'disable', user.email]);
    assert.equal(disabled.status, 'disabled');
    expectError(await api1(bearer(user.apiKey)), { status: 401, code: 10002, name: 'USER_NOT_EXIST' });
    const state = await showUser(server, user.email);
    assert.equal(state.status, 'disabled');
    assert.equal(state.credits, 4, 'the refused call cost nothing');
  });
});

describe('30002 INVALID_SIGNATURE (keys created with --signing)', () => {
  let key: string;
  let secret: string;
  let email: string;

  before(async () => {
    const user = await createUser(server, { credits: 10, signing: true });
    assert.ok(user.signingSecret, '`keys add --signing` prints a signing secret');
    key = user.apiKey;
    secret = user.signingSecret;
    email = user.email;
  });

  const invalid = { status: 401, code: 30002, name: 'INVALID_SIGNATURE' };

  it('no signature headers → 401', async () => {
    expectError(await api1(bearer(key)), invalid);
  });

  it('a timestamp but no signature → 401', async () => {
    expectError(await api1({ ...bearer(key), 'x-fitroom-timestamp': String(Math.floor(Date.now() / 1000)) }), invalid);
  });

  it('a malformed timestamp → 401', async () => {
    const body = multipart(api1Parts(model, garment));
    const headers = signedHeaders(key, secret, API1_PATH, body, 'yesterday');
    expectError(await post(server.url, API1_PATH, body, headers), invalid);
  });

  it('a signature made with the wrong secret → 401', async () => {
    const body = multipart(api1Parts(model, garment));
    expectError(await post(server.url, API1_PATH, body, signedHeaders(key, secret + 'x', API1_PATH, body)), invalid);
  });

  it('a signature of a different body → 401', async () => {
    const signedBody = multipart(api1Parts(model, garment));
    const sentBody = multipart(api1Parts(model, garment, { category: { name: 'category', value: 'dresses' } }));
    const headers = signedHeaders(key, secret, API1_PATH, signedBody);
    expectError(await post(server.url, API1_PATH, sentBody, headers), invalid);
  });

  it('a signature for the other endpoint (PATH is signed) → 401', async () => {
    const body = multipart(api1Parts(model, garment));
    expectError(await post(server.url, API1_PATH, body, signedHeaders(key, secret, API2_PATH, body)), invalid);
  });

  it('a timestamp more than 300 s old, or ahead → 401', async () => {
    const now = Math.floor(Date.now() / 1000);
    for (const ts of [now - 400, now + 400]) {
      const body = multipart(api1Parts(model, garment));
      expectError(await post(server.url, API1_PATH, body, signedHeaders(key, secret, API1_PATH, body, String(ts))), invalid);
    }
  });

  it('a correctly signed request succeeds; the same request replayed → 401', async () => {
    const before = await showUser(server, email);
    const body = multipart(api1Parts(model, garment));
    const headers = signedHeaders(key, secret, API1_PATH, body);
    const data = expectOk(await post(server.url, API1_PATH, body, headers));
    await expectTryOnResult(data, PERSON_SIZE);
    expectError(await post(server.url, API1_PATH, body, headers), invalid);
    const afterState = await showUser(server, email);
    assert.equal(afterState.credits, before.credits - 1, 'only the accepted call was charged');
  });

  it('a signed API 2 request succeeds', async () => {
    const body = multipart(api2Parts(model, { seed: '5' }));
    expectOk(await post(server.url, API2_PATH, body, signedHeaders(key, secret, API2_PATH, body)));
  });
});

describe('10003 INSUFFICIENT_CREDITS and 10006 INSUFFICIENT_TRAIL_COUNT', () => {
  it('a user who held credits and spent them → 402 10003; a grant makes the key work again', async () => {
    const user = await createUser(server, { credits: 1 });
    expectOk(await api1(bearer(user.apiKey)));
    expectError(await api1(bearer(user.apiKey)), { status: 402, code: 10003, name: 'INSUFFICIENT_CREDITS' });
    const res2 = await post(server.url, API2_PATH, multipart(api2Parts(model)), bearer(user.apiKey));
    expectError(res2, { status: 402, code: 10003, name: 'INSUFFICIENT_CREDITS' });
    let state = await showUser(server, user.email);
    assert.equal(state.credits, 0);
    assert.equal(state.ledgerSum, 0);
    const granted = await server.cli(['credits', 'grant', user.email, '2']);
    assert.equal(granted.credits, 2);
    expectOk(await api1(bearer(user.apiKey)));
    state = await showUser(server, user.email);
    assert.equal(state.credits, 1);
    assert.equal(state.ledgerSum, 1);
  });

  it(`a new user spends ${TRIAL_CALLS} trial calls, then gets 402 10006`, async () => {
    const user = await createUser(server);
    let state = await showUser(server, user.email);
    assert.equal(state.credits, 0);
    assert.equal(state.trialRemaining, TRIAL_CALLS);
    for (let i = 0; i < TRIAL_CALLS; i++) expectOk(await api1(bearer(user.apiKey)));
    expectError(await api1(bearer(user.apiKey)), { status: 402, code: 10006, name: 'INSUFFICIENT_TRAIL_COUNT' });
    state = await showUser(server, user.email);
    assert.equal(state.trialRemaining, 0);
    assert.equal(state.credits, 0);
  });

  it('an error during a trial call does not use up a trial', async () => {
    const user = await createUser(server);
    const flat = await flatGarmentImage('jpeg');
    const res = await post(server.url, API1_PATH, multipart(api1Parts(model, flat)), bearer(user.apiKey));
    expectError(res, { status: 422, code: 20001, name: 'TRY_ON_EXCEPTION' });
    assert.equal((await showUser(server, user.email)).trialRemaining, TRIAL_CALLS);
  });
});

describe('20001 TRY_ON_EXCEPTION', () => {
  it('a flat-colour garment → 422, the detail says why, and the balance is unchanged', async () => {
    const user = await createUser(server, { credits: 3 });
    const flat = await flatGarmentImage('png');
    const res = await post(server.url, API1_PATH, multipart(api1Parts(model, flat)), bearer(user.apiKey));
    expectError(res, { status: 422, code: 20001, name: 'TRY_ON_EXCEPTION', mentions: ['garment'] });
    const state = await showUser(server, user.email);
    assert.equal(state.credits, 3);
    assert.equal(state.ledgerSum, 3);
  });
});

describe('credits under concurrency', () => {
  it('15 credits, 40 simultaneous API 1 calls → exactly 15 succeed, 25 get 402 10003', async () => {
    const user = await createUser(server, { credits: 15 });
    const body = multipart(api1Parts(model, garment));
    const results = await Promise.all(
      Array.from({ length: 40 }, () => post(server.url, API1_PATH, body, bearer(user.apiKey))),
    );
    const ok = results.filter((r) => r.status === 200);
    const refused = results.filter((r) => r.status === 402);
    const other = results.filter((r) => r.status !== 200 && r.status !== 402);
    assert.deepEqual(other.map((r) => `${r.status} ${r.text.slice(0, 200)}`), [], 'no other outcome');
    assert.equal(ok.length, 15);
    assert.equal(refused.length, 25);
    for (const r of refused) expectError(r, { status: 402, code: 10003, name: 'INSUFFICIENT_CREDITS' });
    for (const r of ok) expectOk(r);
    const ids = new Set(results.map((r) => r.headers.get('x-request-id')));
    assert.equal(ids.size, 40, 'every response has its own X-Request-Id');
    const state = await showUser(server, user.email);
    assert.equal(state.credits, 0);
    assert.equal(state.ledgerSum, state.credits, 'the ledger sums to the balance');
  });
});
