/**
 * Seeded mutations of valid request bodies, shared by the multipart fuzz test
 * (test/hardening/fuzz-multipart.test.ts) and the request fuzzer (`npm run fuzz`, ./run.ts).
 */

/** mulberry32: a small seeded PRNG. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Mutation = (body: Buffer, contentType: string, rand: () => number) => { body: Buffer; contentType: string };

export const pick = (rand: () => number, n: number) => Math.floor(rand() * n);

export const MUTATIONS: Record<string, Mutation> = {
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

