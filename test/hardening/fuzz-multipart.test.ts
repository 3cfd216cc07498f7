/**
 * Issue 10, fuzzing the request parser: valid API 1 / API 2 bodies mutated at random (seeded, so a
 * failure replays) — bytes flipped, cut short, spliced, parts repeated, boundaries and content
 * types mangled. Whatever arrives, the answer is the contract's envelope with an X-Request-Id and
 * never a 500, and the server stays healthy.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { API1_PATH, API2_PATH, api1Parts, api2Parts, bearer, multipart, type MultipartBody } from '../helpers/http.ts';
import { garmentImage, personImage } from '../helpers/images.ts';
import { createUser, releaseSharedServers, sharedServer, type StartedServer, type TestUser } from '../helpers/server.ts';
import { MUTATIONS, pick, prng } from '../fuzz/mutations.ts';

const CASES = 120;
const SEED = 0x5eed;

let server: StartedServer;
let user: TestUser;
let bodies: Array<{ path: string; body: MultipartBody }>;

before(async () => {
  server = await sharedServer();
  user = await createUser(server, { credits: 1000 });
  const model = await personImage('jpeg');
  const garment = await garmentImage('png');
  bodies = [
    { path: API1_PATH, body: multipart(api1Parts(model, garment)) },
    { path: API2_PATH, body: multipart(api2Parts(model, { seed: '7' })) },
  ];
});

after(async () => {
  await releaseSharedServers();
});

describe('fuzzing the multipart parser', () => {
  it(`${CASES} mutated requests: always the envelope with X-Request-Id, never a 500`, { timeout: 300_000 }, async () => {
    const rand = prng(SEED);
    const names = Object.keys(MUTATIONS);
    const seen = new Map<number, number>();
    for (let i = 0; i < CASES; i++) {
      const { path, body } = bodies[pick(rand, bodies.length)];
      const name = names[pick(rand, names.length)];
      const mutated = MUTATIONS[name](body.body, body.contentType, rand);
      const headers: Record<string, string> = { ...bearer(user.apiKey) };
      if (mutated.contentType !== '') headers['content-type'] = mutated.contentType;
      const res = await fetch(server.url + path, { method: 'POST', headers, body: new Uint8Array(mutated.body) });
      const text = await res.text();
      const where = `case ${i} (${name}) ${path}: ${res.status} ${text.slice(0, 300)}`;
      assert.ok(res.status < 500, where);
      assert.match(res.headers.get('x-request-id') ?? '', /^req_/, where);
      const json = JSON.parse(text) as { code: number; msg: string };
      assert.equal(typeof json.code, 'number', where);
      assert.equal(typeof json.msg, 'string', where);
      if (res.status !== 200) assert.match(json.msg, /^[A-Z_]+: /, where);
      seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
    }
    // The mutations reach both the parser's refusals and, sometimes, a valid call.
    assert.ok((seen.get(400) ?? 0) > 0, JSON.stringify([...seen]));
    const health = await fetch(`${server.url}/healthz`);
    assert.equal(health.status, 200);
  });
});
