/**
 * Issue 10: limits configurable per user. An operator gives one user their own rate limit (calls a
 * minute, burst) and cap on calls in progress with `fitroom users limits EMAIL ...`; every key of
 * the user gets them at its next call, users without their own keep the configured defaults, and
 * `--default` puts them back. GET /v1/account shows the limits in force for the calling key.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseCommand } from '../../src/cli/commands.ts';
import { API1_PATH, PRESETS_PATH, api1Parts, bearer, expectError, expectOk, multipart, post, readResponse } from '../helpers/http.ts';
import { garmentImage, personImage } from '../helpers/images.ts';
import { createUser, startServer, type StartedServer, type TestUser } from '../helpers/server.ts';

/** The configured defaults of the server under test. */
const DEFAULT_BURST = 5;
const DEFAULT_PER_MINUTE = 30;
/** The trial user's own bucket: 6 a minute is one token back every 10 s, none while a test runs. */
const LOW_BURST = 2;
const LOW_PER_MINUTE = 6;
/** The big customer's own bucket: more than the default at once. */
const HIGH_BURST = 12;

let server: StartedServer;

before(async () => {
  server = await startServer({
    env: {
      FITROOM_RATE_LIMIT_PER_MINUTE: String(DEFAULT_PER_MINUTE),
      FITROOM_RATE_LIMIT_BURST: String(DEFAULT_BURST),
      FITROOM_MAX_JOBS_PER_KEY: '64',
      FITROOM_WORKERS: '1',
    },
  });
});

after(async () => {
  await server?.stop();
});

const presets = async (user: TestUser) => readResponse(await fetch(server.url + PRESETS_PATH, { headers: bearer(user.apiKey) }));

interface AccountLimits {
  rateLimit: { enabled: boolean; perMinute: number; burst: number; remaining: number };
  maxCallsInProgress: number;
}
const account = async (user: TestUser): Promise<AccountLimits> => {
  const res = await readResponse(await fetch(`${server.url}/v1/account`, { headers: bearer(user.apiKey) }));
  expectOk(res);
  return (res.json as { data: AccountLimits }).data;
};

describe('per-user limits over HTTP (embedded)', () => {
  it('a user with a lower limit gets 10007 with Retry-After after their own burst; a user on the default does not', async () => {
    const trial = await createUser(server);
    const regular = await createUser(server);
    // Used before the change: the key is memoised, and the change must still apply at its next call.
    expectOk(await presets(trial));
    const set = await server.cli(['users', 'limits', trial.email, '--per-minute', String(LOW_PER_MINUTE), '--burst', String(LOW_BURST)]);
    assert.deepEqual(set.own, { perMinute: LOW_PER_MINUTE, burst: LOW_BURST, inProgress: null });
    assert.deepEqual(set.inForce, { perMinute: LOW_PER_MINUTE, burst: LOW_BURST, inProgress: 64 });

    // The bucket left by the first call holds more than the new burst: it is cut to the burst.
    for (let i = 0; i < LOW_BURST; i++) expectOk(await presets(trial));
    const refused = await presets(trial);
    expectError(refused, { status: 429, code: 10007, name: 'TOO_MANY_REQUESTS', mentions: [`${LOW_PER_MINUTE} calls a minute (bursts of ${LOW_BURST})`] });
    const retryAfter = Number(refused.headers.get('retry-after'));
    // 6 a minute: one token every 10 s (the default, 30 a minute, would say at most 2 s).
    assert.ok(retryAfter > 2 && retryAfter <= 10, `Retry-After ${refused.headers.get('retry-after')}`);

    for (let i = 0; i < LOW_BURST + 1; i++) expectOk(await presets(regular));
  });

  it('a user with a bigger burst gets it; GET /v1/account shows the limits in force for the key', async () => {
    const big = await createUser(server);
    const regular = await createUser(server);
    // A low rate (one token back every 10 s) so that none comes back while the burst is spent.
    await server.cli(['users', 'limits', big.email, '--per-minute', String(LOW_PER_MINUTE), '--burst', String(HIGH_BURST), '--in-progress', '3']);
    const shown = await account(big);
    assert.equal(shown.rateLimit.perMinute, LOW_PER_MINUTE);
    assert.equal(shown.rateLimit.burst, HIGH_BURST);
    assert.equal(shown.rateLimit.remaining, HIGH_BURST - 1, 'the account call took one token');
    assert.equal(shown.maxCallsInProgress, 3);
    for (let i = 0; i < HIGH_BURST - 1; i++) expectOk(await presets(big));
    expectError(await presets(big), { status: 429, code: 10007, name: 'TOO_MANY_REQUESTS', mentions: [`bursts of ${HIGH_BURST}`] });

    const other = await account(regular);
    assert.deepEqual([other.rateLimit.perMinute, other.rateLimit.burst, other.maxCallsInProgress], [DEFAULT_PER_MINUTE, DEFAULT_BURST, 64]);
  });

  it('every key of the user gets the limits, each its own bucket; --default puts the configured ones back', async () => {
    const user = await createUser(server);
    const second = (await server.admin({ name: 'keys add', email: user.email, signing: false })) as { apiKey: string };
    const secondKey = { ...user, apiKey: second.apiKey };
    await server.cli(['users', 'limits', user.email, '--per-minute', String(LOW_PER_MINUTE), '--burst', '1']);
    expectOk(await presets(user));
    expectError(await presets(user), { status: 429, code: 10007, name: 'TOO_MANY_REQUESTS', mentions: ['bursts of 1'] });
    expectOk(await presets(secondKey));
    expectError(await presets(secondKey), { status: 429, code: 10007, name: 'TOO_MANY_REQUESTS', mentions: ['bursts of 1'] });

    const cleared = await server.cli(['users', 'limits', user.email, '--default']);
    assert.deepEqual(cleared.own, { perMinute: null, burst: null, inProgress: null });
    assert.deepEqual(cleared.inForce, { perMinute: DEFAULT_PER_MINUTE, burst: DEFAULT_BURST, inProgress: 64 });
    // Back on 30 a minute, the empty bucket refills in about 2 s rather than 10 s.
    const shown = await waitForToken(secondKey);
    assert.deepEqual([shown.rateLimit.perMinute, shown.rateLimit.burst, shown.maxCallsInProgress], [DEFAULT_PER_MINUTE, DEFAULT_BURST, 64]);
    // No option: shows the limits without changing them.
    assert.deepEqual((await server.cli(['users', 'limits', user.email])).own, { perMinute: null, burst: null, inProgress: null });
  });

  it('a user with a cap of 1 call in progress gets 10007 for a second concurrent call while the default is 64', { timeout: 60_000 }, async () => {
    const capped = await createUser(server, { credits: 10 });
    await server.cli(['users', 'limits', capped.email, '--in-progress', '1']);
    const model = await personImage('png', { width: 1536, height: 2048 });
    const garment = await garmentImage('jpeg');
    const answers = await Promise.all(Array.from({ length: 3 }, () => post(server.url, API1_PATH, multipart(api1Parts(model, garment)), bearer(capped.apiKey))));
    const refused = answers.filter((r) => r.status === 429);
    assert.ok(answers.some((r) => r.status === 200), answers.map((r) => r.text.slice(0, 120)).join('\n'));
    assert.ok(refused.length >= 1, `statuses ${answers.map((r) => r.status).join(',')}`);
    for (const r of refused) {
      expectError(r, { status: 429, code: 10007, name: 'TOO_MANY_REQUESTS', mentions: ['(the limit is 1)'] });
      assert.ok(Number(r.headers.get('retry-after')) >= 1);
    }
  });

  it('the CLI refuses bad limits and an unknown user with a reason', async () => {
    const user = await createUser(server);
    const bad = async (args: string[], reason: RegExp) => {
      const r = await server.cliRaw(['users', 'limits', ...args]);
      assert.equal(r.code, 1, r.stdout);
      assert.match(r.stderr, reason);
    };
    await bad([user.email, '--burst', '0'], /--burst: expected a positive whole number, got \\"0\\"/);
    await bad([user.email, '--default', '--burst', '3'], /--default clears every limit; give it alone/);
    await bad(['nobody@example.test', '--burst', '3'], /no user with email nobody@example.test/);
  });
});

describe('per-user limits from the dashboard (operators)', () => {
  it('POST /dashboard/api/admin/users/:id/limits sets and clears a user\'s limits; a bad value is 10004 naming the field', async () => {
    const user = await createUser(server);
    const reset = await server.admin({ name: 'users reset-password', email: 'admin@localhost' });
    const logIn = await fetch(`${server.url}/dashboard/api/password-reset`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: reset.token, password: 'operator passphrase 1' }),
    });
    assert.equal(logIn.status, 200);
    const cookie = (logIn.headers.get('set-cookie') ?? '').split(';')[0];
    const csrf = ((await logIn.json()) as { data: { csrfToken: string } }).data.csrfToken;
    const setLimits = async (limits: unknown) =>
      readResponse(
        await fetch(`${server.url}/dashboard/api/admin/users/${user.userId}/limits`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrf },
          body: JSON.stringify(limits),
        }),
      );

    const set = expectOk(await setLimits({ perMinute: LOW_PER_MINUTE, burst: 1 }));
    assert.deepEqual(set.own, { perMinute: LOW_PER_MINUTE, burst: 1, inProgress: null });
    expectOk(await presets(user));
    expectError(await presets(user), { status: 429, code: 10007, name: 'TOO_MANY_REQUESTS', mentions: ['bursts of 1'] });

    expectError(await setLimits({ burst: 0 }), { status: 400, code: 10004, name: 'INVALID_PARAM', mentions: ['burst', 'from 1'] });
    expectError(await setLimits({ inProgress: 2.5 }), { status: 400, code: 10004, name: 'INVALID_PARAM', mentions: ['inProgress'] });
    expectError(await setLimits({ calls: 3 }), { status: 400, code: 10004, name: 'INVALID_PARAM', mentions: ['calls'] });

    const cleared = expectOk(await setLimits({ perMinute: null, burst: null }));
    assert.deepEqual(cleared.own, { perMinute: null, burst: null, inProgress: null });
    assert.deepEqual((await server.cli(['users', 'limits', user.email])).own, { perMinute: null, burst: null, inProgress: null });
  });
});

/** Polls GET /v1/account (a token each) until a call is let through again; its answer. */
async function waitForToken(user: TestUser): Promise<AccountLimits> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const res = await readResponse(await fetch(`${server.url}/v1/account`, { headers: bearer(user.apiKey) }));
    if (res.status === 200) return (res.json as { data: AccountLimits }).data;
    assert.ok(Date.now() < deadline, `still ${res.status} ${res.text.slice(0, 200)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('users limits argv', () => {
  const noFile = () => Buffer.alloc(0);
  it('parses each option; absent ones are kept, --default clears all three', () => {
    assert.deepEqual(parseCommand(['users', 'limits', 'a@b.c', '--per-minute', '0', '--burst', '4', '--in-progress=2'], noFile), {
      name: 'users limits',
      email: 'a@b.c',
      limits: { perMinute: 0, burst: 4, inProgress: 2 },
    });
    assert.deepEqual(parseCommand(['users', 'limits', 'a@b.c', '--burst', '4'], noFile), { name: 'users limits', email: 'a@b.c', limits: { burst: 4 } });
    assert.deepEqual(parseCommand(['users', 'limits', 'a@b.c', '--default'], noFile), {
      name: 'users limits',
      email: 'a@b.c',
      limits: { perMinute: null, burst: null, inProgress: null },
    });
    assert.throws(() => parseCommand(['users', 'limits', 'a@b.c', '--in-progress', '0'], noFile), /--in-progress: expected a positive whole number/);
    assert.throws(() => parseCommand(['users', 'limits', 'a@b.c', '--per-minute', '-1'], noFile), /--per-minute/);
    assert.throws(() => parseCommand(['users', 'limits', 'a@b.c', '--calls', '3'], noFile), /unknown option --calls/);
  });
});
