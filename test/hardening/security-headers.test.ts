/**
 * Issue 10: security headers on every response (nosniff, Referrer-Policy, a CSP; the /docs HTML
 * a strict CSP of its own), CORS off unless FITROOM_CORS_ORIGINS is set, and /metrics behind a
 * bearer token when FITROOM_METRICS_TOKEN is set.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { API1_PATH, PRESETS_PATH, bearer, expectError, readResponse } from '../helpers/http.ts';
import { releaseSharedServers, sharedServer, startServer, type StartedServer } from '../helpers/server.ts';

const METRICS_TOKEN = 'metrics-token-0123456789';
const APP_ORIGIN = 'https://app.example.test';

let plain: StartedServer;
let configured: StartedServer;

before(async () => {
  [plain, configured] = await Promise.all([
    sharedServer(),
    startServer({ env: { FITROOM_METRICS_TOKEN: METRICS_TOKEN, FITROOM_CORS_ORIGINS: APP_ORIGIN } }),
  ]);
});

after(async () => {
  await Promise.all([releaseSharedServers(), configured?.stop()]);
});

function expectSecurityHeaders(res: Response, what: string): void {
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff', `${what}: nosniff`);
  assert.equal(res.headers.get('referrer-policy'), 'no-referrer', `${what}: Referrer-Policy`);
  assert.ok(res.headers.get('content-security-policy'), `${what}: a CSP`);
}

describe('security headers', () => {
  it('on success, error, unknown route, file 404 and metrics answers', async () => {
    for (const [path, init] of [
      ['/healthz', {}],
      [PRESETS_PATH, {}],
      ['/nope', {}],
      ['/files/results/none.webp', {}],
      ['/metrics', {}],
      [API1_PATH, { method: 'POST', headers: bearer('fr_wrong') }],
    ] as const) {
      const res = await fetch(plain.url + path, init);
      await res.arrayBuffer();
      expectSecurityHeaders(res, path);
      if (path !== '/metrics') assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'none'/, path);
    }
  });

  it('the /docs HTML has a strict CSP: scripts from self and hashes only, no framing, no inline attributes', async () => {
    const res = await fetch(`${plain.url}/docs/`);
    const html = await res.text();
    assert.equal(res.status, 200);
    assert.match(html, /<html/i);
    expectSecurityHeaders(res, '/docs');
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.match(csp, /script-src 'self'( 'sha256-[^']+')*;/, csp);
    assert.match(csp, /frame-ancestors 'none'/, csp);
    assert.match(csp, /object-src 'none'/, csp);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|https:/, csp);
  });
});

describe('CORS', () => {
  it('is off by default: no Access-Control-Allow-Origin, preflight not answered', async () => {
    const res = await fetch(plain.url + PRESETS_PATH, { headers: { origin: APP_ORIGIN } });
    await res.arrayBuffer();
    assert.equal(res.headers.get('access-control-allow-origin'), null);
    const preflight = await fetch(plain.url + API1_PATH, { method: 'OPTIONS', headers: { origin: APP_ORIGIN, 'access-control-request-method': 'POST' } });
    await preflight.arrayBuffer();
    assert.notEqual(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), null);
  });

  it('allows exactly the configured origins', async () => {
    const preflight = await fetch(configured.url + API1_PATH, {
      method: 'OPTIONS',
      headers: { origin: APP_ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), APP_ORIGIN);
    assert.match(preflight.headers.get('access-control-allow-headers') ?? '', /authorization/);
    const other = await fetch(configured.url + PRESETS_PATH, { headers: { origin: 'https://evil.example.test' } });
    await other.arrayBuffer();
    assert.equal(other.headers.get('access-control-allow-origin'), null);
  });
});

describe('/metrics token', () => {
  it('open when no token is configured', async () => {
    const res = await fetch(`${plain.url}/metrics`);
    assert.equal(res.status, 200);
    assert.match(await res.text(), /fitroom_http_requests_total/);
  });

  it('needs Authorization: Bearer FITROOM_METRICS_TOKEN when configured', async () => {
    expectError(await readResponse(await fetch(`${configured.url}/metrics`)), { status: 401, code: 10001, name: 'NOT_LOGIN' });
    expectError(await readResponse(await fetch(`${configured.url}/metrics`, { headers: bearer('wrong-token-0123456789') })), {
      status: 401,
      code: 30001,
      name: 'INVALID_API_KEY',
    });
    const ok = await fetch(`${configured.url}/metrics`, { headers: bearer(METRICS_TOKEN) });
    assert.equal(ok.status, 200);
    assert.match(await ok.text(), /fitroom_http_requests_total/);
  });
});
