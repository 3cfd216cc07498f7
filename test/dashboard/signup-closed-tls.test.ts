/**
 * A server behind TLS (FITROOM_PUBLIC_URL is https) with sign-up closed: the session cookie gets
 * Secure, sign-up is refused, and an operator's reset link still lets an existing user in.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startServer, type StartedServer } from '../helpers/server.ts';

let server: StartedServer;

before(async () => {
  server = await startServer({ env: { FITROOM_SIGNUP: 'closed', FITROOM_PUBLIC_URL: 'https://fitroom.example.com' } });
});
after(async () => {
  await server?.stop();
});

const post = (path: string, body: unknown) =>
  fetch(`${server.url}/dashboard/api${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

test('closed sign-up refuses every new account and says so in the session answer', async () => {
  const session = (await (await fetch(`${server.url}/dashboard/api/session`)).json()) as { data: { signup: string; user: null } };
  assert.equal(session.data.signup, 'closed');
  assert.equal(session.data.user, null);
  const res = await post('/signup', { email: 'new@example.com', password: 'a long passphrase' });
  assert.equal(res.status, 403);
  assert.match(((await res.json()) as { msg: string }).msg, /closed/);
});

test('behind TLS the session cookie is Secure as well as HttpOnly and SameSite=Lax', async () => {
  await server.admin({ name: 'users add', email: 'ops@example.com', credits: 0 });
  const reset = await server.admin({ name: 'users reset-password', email: 'ops@example.com' });
  const res = await post('/password-reset', { token: reset.token, password: 'a long passphrase' });
  assert.equal(res.status, 200);
  const cookie = res.headers.get('set-cookie') ?? '';
  assert.match(cookie, /; HttpOnly/);
  assert.match(cookie, /; SameSite=Lax/);
  assert.match(cookie, /; Secure/);
});
