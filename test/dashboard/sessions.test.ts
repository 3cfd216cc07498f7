/**
 * The dashboard's session routes over HTTP against a started server (invite-only sign-up): cookie
 * flags, CSRF, cross-origin refusals, one user isolated from another's keys and usage, the log-in
 * throttle after five wrong passwords, password reset and invitations printed by the CLI.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startServer, type StartedServer } from '../helpers/server.ts';

let server: StartedServer;

before(async () => {
  server = await startServer({ env: { FITROOM_SIGNUP: 'invite' } });
});
after(async () => {
  await server?.stop();
});

interface Envelope<T = Record<string, unknown>> {
  code: number;
  msg: string;
  data?: T;
}

/** A browser's view of the dashboard: the cookie it holds and the CSRF token the page read. */
class Browser {
  cookie = '';
  csrf = '';
  async call<T = Record<string, unknown>>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const res = await fetch(`${server.url}/dashboard/api${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...(this.csrf && method !== 'GET' ? { 'x-csrf-token': this.csrf } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) this.cookie = setCookie.split(';')[0];
    const json = (await res.json()) as Envelope<T>;
    const token = (json.data as { csrfToken?: unknown } | undefined)?.csrfToken;
    if (typeof token === 'string') this.csrf = token;
    return { status: res.status, headers: res.headers, body: json };
  }
}

async function invitedUser(email: string, password = 'a long passphrase'): Promise<Browser> {
  const invite = await server.admin({ name: 'users invite', email });
  const b = new Browser();
  const r = await b.call('POST', '/signup', { email, password, inviteToken: invite.token });
  assert.equal(r.status, 200, r.body.msg);
  return b;
}

test('invite-only sign-up: refused without an invitation, or with one for another email; accepted once with it', async () => {
  const b = new Browser();
  const none = await b.call('POST', '/signup', { email: 'x@example.com', password: 'a long passphrase' });
  assert.equal(none.status, 403);
  assert.match(none.body.msg, /invitation/);
  const invite = await server.admin({ name: 'users invite', email: 'y@example.com' });
  const other = await b.call('POST', '/signup', { email: 'x@example.com', password: 'a long passphrase', inviteToken: invite.token });
  assert.equal(other.status, 403);
  const ok = await b.call('POST', '/signup', { email: 'y@example.com', password: 'a long passphrase', inviteToken: invite.token });
  assert.equal(ok.status, 200);
  const again = await new Browser().call('POST', '/signup', { email: 'y@example.com', password: 'a long passphrase', inviteToken: invite.token });
  assert.equal(again.status, 403);
});

test('the session cookie is HttpOnly, SameSite=Lax, scoped to /dashboard, and not Secure on plain http', async () => {
  const invite = await server.admin({ name: 'users invite', email: 'cookie@example.com' });
  const res = await fetch(`${server.url}/dashboard/api/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'cookie@example.com', password: 'a long passphrase', inviteToken: invite.token }),
  });
  const cookie = res.headers.get('set-cookie') ?? '';
  assert.match(cookie, /^fitroom_session=[A-Za-z0-9_-]{43};/);
  assert.match(cookie, /; HttpOnly/);
  assert.match(cookie, /; SameSite=Lax/);
  assert.match(cookie, /; Path=\/dashboard/);
  assert.doesNotMatch(cookie, /Secure/);
});

test('state-changing calls need the session CSRF token; log-in refuses other origins and non-JSON bodies', async () => {
  const b = await invitedUser('csrf@example.com');
  const noToken = await b.call('POST', '/keys', { name: 'k' }, { 'x-csrf-token': '' });
  assert.equal(noToken.status, 403);
  assert.match(noToken.body.msg, /csrf/);
  const wrong = await b.call('POST', '/keys', { name: 'k' }, { 'x-csrf-token': 'x'.repeat(43) });
  assert.equal(wrong.status, 403);
  const keys = await b.call<unknown[]>('GET', '/keys');
  assert.deepEqual(keys.body.data, [], 'nothing was created by the refused calls');
  const right = await b.call('POST', '/keys', { name: 'k' });
  assert.equal(right.status, 200);

  const crossSite = await new Browser().call('POST', '/login', { email: 'csrf@example.com', password: 'a long passphrase' }, { origin: 'http://evil.example' });
  assert.equal(crossSite.status, 403);
  const form = await fetch(`${server.url}/dashboard/api/login`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"email":"csrf@example.com","password":"a long passphrase"}' });
  assert.equal(form.status, 415);
  const noSession = await new Browser().call('GET', '/keys');
  assert.equal(noSession.status, 401);
  assert.equal(noSession.body.code, 10001);
});

test("one user cannot see or revoke another's keys, nor see their calls", async () => {
  const alice = await invitedUser('alice@example.com');
  const bob = await invitedUser('bob@example.com');
  const created = await alice.call<{ id: string; apiKey: string }>('POST', '/keys', { name: 'alice key' });
  const key = created.body.data!;
  // Alice makes one API call with her key.
  const presets = await fetch(`${server.url}/api/openapi/presets`, { headers: { authorization: `Bearer ${key.apiKey}` } });
  assert.equal(presets.status, 200);

  const bobKeys = await bob.call<{ id: string }[]>('GET', '/keys');
  assert.deepEqual(bobKeys.body.data, []);
  const revoke = await bob.call('POST', `/keys/${key.id}/revoke`);
  assert.equal(revoke.status, 404);
  const still = await fetch(`${server.url}/api/openapi/presets`, { headers: { authorization: `Bearer ${key.apiKey}` } });
  assert.equal(still.status, 200, "alice's key still works after bob's attempt");

  // Usage rows are written off the request path: wait until alice's show up, then compare.
  let aliceCalls: unknown[] = [];
  for (let i = 0; i < 50 && aliceCalls.length < 2; i++) {
    aliceCalls = (await alice.call<{ calls: unknown[] }>('GET', '/usage?days=1')).body.data!.calls;
    if (aliceCalls.length < 2) await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(aliceCalls.length, 2);
  const bobUsage = await bob.call<{ calls: unknown[] }>('GET', `/usage?days=1&keyId=${key.id}`);
  assert.deepEqual(bobUsage.body.data!.calls, []);
  const adminOnly = await bob.call('GET', '/admin/users');
  assert.equal(adminOnly.status, 403);
});

test('five wrong passwords in a row slow log-in down: the next attempt is 429 with Retry-After, even with the right password', async () => {
  await invitedUser('throttle@example.com', 'the right passphrase');
  for (let i = 0; i < 5; i++) {
    const wrong = await new Browser().call('POST', '/login', { email: 'throttle@example.com', password: `wrong guess ${i}` });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body.code, 10001);
  }
  const held = await new Browser().call('POST', '/login', { email: 'throttle@example.com', password: 'the right passphrase' });
  assert.equal(held.status, 429);
  assert.equal(held.body.code, 10007);
  assert.ok(Number(held.headers.get('retry-after')) >= 1);
  // Another account is not affected.
  await invitedUser('other@example.com', 'the right passphrase');
  const other = await new Browser().call('POST', '/login', { email: 'other@example.com', password: 'the right passphrase' });
  assert.equal(other.status, 200);
});

test('a reset token printed by the CLI sets a new password once and ends older sessions; logout ends the session', async () => {
  const old = await invitedUser('reset@example.com', 'the old passphrase');
  const reset = await server.cli(['users', 'reset-password', 'reset@example.com']);
  assert.match(String(reset.path), /^\/dashboard\/reset\?token=/);
  const b = new Browser();
  const set = await b.call('POST', '/password-reset', { token: reset.token, password: 'the new passphrase' });
  assert.equal(set.status, 200);
  const reused = await new Browser().call('POST', '/password-reset', { token: reset.token, password: 'another passphrase' });
  assert.equal(reused.status, 400);
  assert.equal((await old.call('GET', '/keys')).status, 401, 'the session from before the reset has ended');
  assert.equal((await new Browser().call('POST', '/login', { email: 'reset@example.com', password: 'the old passphrase' })).status, 401);
  const fresh = new Browser();
  assert.equal((await fresh.call('POST', '/login', { email: 'reset@example.com', password: 'the new passphrase' })).status, 200);
  assert.equal((await fresh.call('POST', '/logout')).status, 200);
  assert.equal((await fresh.call('GET', '/keys')).status, 401);
});
