/**
 * Issue 10: a person photo with a side the WebP result cannot hold (16384 px or more, well under
 * 40 MP) used to run the engine for seconds and then answer 500 from the encoder. It is refused
 * from its header with 10004 naming the field, before any engine work or charge.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { API1_PATH, api1Parts, bearer, expectError, multipart, post } from '../helpers/http.ts';
import { garmentImage } from '../helpers/images.ts';
import { createUser, releaseSharedServers, sharedServer, showUser, type StartedServer, type TestUser } from '../helpers/server.ts';

let server: StartedServer;
let user: TestUser;
let garment: Buffer;

before(async () => {
  server = await sharedServer();
  user = await createUser(server, { credits: 5 });
  garment = await garmentImage('jpeg');
});

after(async () => {
  await releaseSharedServers();
});

describe('images the result format cannot hold', () => {
  it('a person photo 16384 px wide (3.3 MP) → 10004 naming modelImg and the limit, no engine run, nothing charged', async () => {
    const wide = await sharp({ create: { width: 16384, height: 200, channels: 3, background: { r: 90, g: 100, b: 110 } } }).jpeg().toBuffer();
    const before = await showUser(server, user.email);
    const started = performance.now();
    const res = await post(server.url, API1_PATH, multipart(api1Parts(wide, garment)), bearer(user.apiKey));
    expectError(res, { status: 400, code: 10004, name: 'INVALID_PARAM', mentions: ['modelImg', '16383'] });
    assert.ok(performance.now() - started < 5000, 'refused from the header, not after an engine run');
    assert.equal((await showUser(server, user.email)).credits, before.credits);
  });
});

