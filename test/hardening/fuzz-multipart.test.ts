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
import { createUser, startServer, type StartedServer, type TestUser } from '../helpers/server.ts';

const CASES = 120;
const SEED = 0x5eed;

let server: StartedServer;
let user: TestUser;
let bodies: Array<{ path: string; body: MultipartBody }>;

/** mulberry32: a small seeded PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

before(async () => {
  server = await startServer();
  user = await createUser(server, { credits: 1000 });
  const model = await personImage('jpeg');
  const garment = await garmentImage('png');
  bodies = [
    { path: API1_PATH, body: multipart(api1Parts(model, garment)) },
    { path: API2_PATH, body: multipart(api2Parts(model, { seed: '7' })) },
  ];
});

after(async () => {
  await server?.stop();
});

type Mutation = (body: Buffer, contentType: string, rand: () => number) => { body: Buffer; contentType: string };

const pick = (rand: () => number, n: number) => Math.floor(rand() * n);

const MUTATIONS: Record<string, Mutation> = {
  flipBytes: (body, contentType, rand) => {
    const out = Buffer.from(body);
    for (let i = 0, n = 1 + pick(rand, 20); i < n; i++) out[pick(rand, out.length)] = pick(rand, 256);
    return { body: out, contentType };
  },
  // Flips inside the first 600 bytes: part headers and the first delimiter.
  flipHeaders: (body, contentType, rand) => {
    const out = Buffer.from(body);
    for (let i = 0, n = 1 + pick(rand, 6); i < n; i++) out[pick(rand, Math.min(600, out.length))] = pick(rand, 256);
    return { body: out, contentType };
  },
  truncate: (body, contentType, rand) => ({ body: body.subarray(0, pick(rand, body.length)), contentType }),
  splice: (body, contentType, rand) => {
    const a = pick(rand, body.length);
    const b = pick(rand, body.length);
    return { body: Buffer.concat([body.subarray(0, a), body.subarray(b)]), contentType };
  },
  repeatSlice: (body, contentType, rand) => {
    const start = pick(rand, body.length);
    const slice = body.subarray(start, Math.min(body.length, start + 1 + pick(rand, 4000)));
    return { body: Buffer.concat([body.subarray(0, start), slice, slice, body.subarray(start)]), contentType };
  },
  boundaryLength: (body, contentType, rand) => {
    const old = /boundary=(.*)$/.exec(contentType)![1];
    const fresh = 'x'.repeat(1 + pick(rand, 400));
    return { body: Buffer.from(body.toString('latin1').split(old).join(fresh), 'latin1'), contentType: `multipart/form-data; boundary=${fresh}` };
  },
  wrongBoundary: (body, _contentType, rand) => ({ body, contentType: `multipart/form-data; boundary=${'q'.repeat(1 + pick(rand, 60))}` }),
  contentType: (body, _contentType, rand) => {
    const types = ['multipart/form-data', 'multipart/form-data; boundary=', 'multipart/mixed; boundary=a', 'text/plain', 'application/json', 'application/x-www-form-urlencoded', '', 'multipart/form-data; boundary="unterminated'];
    return { body, contentType: types[pick(rand, types.length)] };
  },
  garbage: (_body, contentType, rand) => {
    const out = Buffer.alloc(pick(rand, 5000));
    for (let i = 0; i < out.length; i++) out[i] = pick(rand, 256);
    return { body: out, contentType };
  },
  jsonPart: (body, contentType) => ({
    body: Buffer.from(body.toString('latin1').replace('name="category"\r\n', 'name="category"\r\nContent-Type: application/json\r\n').replace('name="prompt"\r\n', 'name="prompt"\r\nContent-Type: application/json\r\n'), 'latin1'),
    contentType,
  }),
};

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
