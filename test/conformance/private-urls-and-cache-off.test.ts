/**
 * A server with the safe defaults for URL inputs (FITROOM_ALLOW_PRIVATE_URLS unset) and the
 * result cache turned off (FITROOM_CACHE=off): URLs to loopback, private, link-local and metadata
 * addresses are refused with 10004 before any connection is made; the server's own preset URLs
 * still work; and no call is ever a cache hit.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { API1_PATH, api1Parts, bearer, expectError, expectOk, multipart, post, textPart } from '../helpers/http.ts';
import { startImageServer, type ImageServer } from '../helpers/image-server.ts';
import { garmentImage, personImage } from '../helpers/images.ts';
import { createUser, showUser, startServer, type StartedServer, type TestUser } from '../helpers/server.ts';

let server: StartedServer;
let images: ImageServer;
let user: TestUser;
let model: Buffer;
let garment: Buffer;
let dir: string;

before(async () => {
  server = await startServer({ env: { FITROOM_CACHE: 'off' } });
  images = await startImageServer();
  user = await createUser(server, { credits: 20 });
  model = await personImage('jpeg');
  garment = await garmentImage('jpeg');
  dir = mkdtempSync(join(tmpdir(), 'fitroom-ssrf-'));
});

after(async () => {
  await images?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  if (server) {
    const exit = await server.stop();
    assert.equal(exit.code, 0, `server exit after SIGTERM: ${JSON.stringify(exit)}`);
  }
});

describe('SSRF: URL inputs to non-public addresses are refused', () => {
  it('a URL to a loopback image server → 400 naming the field, and the server is never contacted', async () => {
    const url = images.serve('/m.jpg', model, 'image/jpeg');
    const res = await post(
      server.url,
      API1_PATH,
      multipart(api1Parts(model, garment, { modelImg: textPart('modelImg', url) })),
      bearer(user.apiKey),
    );
    expectError(res, { status: 400, code: 10004, name: 'INVALID_PARAM', mentions: ['modelImg'] });
    assert.equal(images.hits.get('/m.jpg') ?? 0, 0, 'no request reached the loopback server');
  });

  const port = () => new URL(images.url).port;
  const targets: Array<[string, () => string]> = [
    ['localhost (a name resolving to loopback)', () => `http://localhost:${port()}/m.jpg`],
    ['[::1]', () => `http://[::1]:${port()}/m.jpg`],
    ['0.0.0.0', () => `http://0.0.0.0:${port()}/m.jpg`],
    ['10/8', () => 'http://10.1.2.3/m.jpg'],
    ['172.16/12', () => 'http://172.20.0.5/m.jpg'],
    ['192.168/16', () => 'http://192.168.1.10/m.jpg'],
    ['the metadata address 169.254.169.254', () => 'http://169.254.169.254/latest/meta-data/'],
    ['an IPv4-mapped IPv6 loopback', () => `http://[::ffff:127.0.0.1]:${port()}/m.jpg`],
  ];
  for (const [title, target] of targets) {
    it(`${title} → 400 at once, without waiting for a connection`, async () => {
      const started = Date.now();
      const res = await post(
        server.url,
        API1_PATH,
        multipart(api1Parts(model, garment, { garmentImg: textPart('garmentImg', target()) })),
        bearer(user.apiKey),
      );
      expectError(res, { status: 400, code: 10004, name: 'INVALID_PARAM', mentions: ['garmentImg'] });
      // The download timeout is 10 s: an answer well before it means the address policy refused it.
      assert.ok(Date.now() - started < 8000, `answered in ${Date.now() - started} ms`);
    });
  }

  it('refused URLs cost nothing', async () => {
    const state = await showUser(server, user.email);
    assert.equal(state.credits, 20);
  });
});

describe('presets with FITROOM_CACHE=off', () => {
  it("the server's own preset URLs work without allowing private URLs, and are never cache hits", async () => {
    writeFileSync(join(dir, 'model.jpg'), model);
    writeFileSync(join(dir, 'garment.jpg'), garment);
    const m = await server.cli(['presets', 'add', 'model', join(dir, 'model.jpg')]);
    const g = await server.cli(['presets', 'add', 'garment', join(dir, 'garment.jpg')]);
    const parts = () =>
      api1Parts(model, garment, {
        modelImg: textPart('modelImg', String(m.url)),
        garmentImg: textPart('garmentImg', String(g.url)),
      });
    const first = expectOk(await post(server.url, API1_PATH, multipart(parts()), bearer(user.apiKey)));
    const second = expectOk(await post(server.url, API1_PATH, multipart(parts()), bearer(user.apiKey)));
    assert.equal(first.cacheHit, false);
    assert.equal(second.cacheHit, false);
    assert.equal((await showUser(server, user.email)).credits, 18);
  });
});
