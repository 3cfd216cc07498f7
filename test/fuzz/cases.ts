/**
 * The request fuzzer's generators (`npm run fuzz`, ./run.ts). Case N is drawn from its own PRNG
 * seeded by (seed, N), so any single case replays with `--seed S --only N`.
 *
 * Families: mutated multipart bodies; hostile images (corrupted, truncated, decompression-bomb
 * headers, extreme sides, non-image formats) in every input form (upload, data URI, base64, URL);
 * text fields out of range or odd (Unicode, control bytes, huge); form shapes (fields missing,
 * repeated, unknown, too many parts, odd part headers); headers (auth, content types, signatures);
 * URLs and methods on every route; body sizes; raw HTTP the parser refuses; stalled uploads.
 *
 * Every URL a case puts in an image field is a loopback, private, link-local or non-HTTP address:
 * the server refuses it before connecting (nothing leaves the machine), and no name is resolved
 * through DNS except `localhost`.
 */
import sharp from 'sharp';
import { API1_PATH, API2_PATH, CONTRACT_PROMPT, PRESETS_PATH, multipart, signature, type Part } from '../helpers/http.ts';
import { garmentImage, personImage } from '../helpers/images.ts';
import { MUTATIONS, pick, prng } from './mutations.ts';

/** One request to send: through node:http, or as raw bytes on a socket. */
export type FuzzCase =
  | {
      family: string;
      kind: 'http';
      method: string;
      path: string;
      headers: Record<string, string>;
      body?: Buffer;
      /** The API key's owner, for the credit accounting (undefined: no valid key sent). */
      user?: string;
    }
  | {
      family: string;
      kind: 'raw';
      /** Bytes written to the socket; `stallMs` > 0: then wait that long with the request unfinished. */
      bytes: Buffer;
      stallMs?: number;
      user?: string;
    };

export interface FuzzUser {
  name: string;
  apiKey: string;
  signingSecret: string | null;
}

/** What the generators need from the running server and the images made once at start. */
export interface FuzzWorld {
  users: Record<'main' | 'signing' | 'broke' | 'disabled' | 'revoked', FuzzUser>;
  presets: { modelUrl: string; garmentUrl: string; modelId: string };
  images: Record<string, Buffer>;
}

/** CRC-32 (PNG chunks), so a patched IHDR still passes the decoder's checksum. */
function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** A PNG whose header declares width x height (the pixels stay the small original's). */
function pngDeclaring(png: Buffer, width: number, height: number): Buffer {
  const out = Buffer.from(png);
  // Signature (8) + length (4) + "IHDR" (4): width and height follow, then the chunk's CRC at 29.
  out.writeUInt32BE(width, 16);
  out.writeUInt32BE(height, 20);
  out.writeUInt32BE(crc32(out.subarray(12, 29)), 29);
  return out;
}

/** A JPEG whose SOF marker declares width x height (at most 65535 each). */
function jpegDeclaring(jpeg: Buffer, width: number, height: number): Buffer {
  const out = Buffer.from(jpeg);
  for (let i = 2; i < out.length - 9; i++) {
    if (out[i] === 0xff && (out[i + 1] === 0xc0 || out[i + 1] === 0xc2)) {
      out.writeUInt16BE(height, i + 5);
      out.writeUInt16BE(width, i + 7);
      return out;
    }
  }
  return out;
}

/** The images every run uses: valid small ones and hostile ones, built once. */
export async function buildImages(): Promise<Record<string, Buffer>> {
  const person = await personImage('jpeg');
  const personPng = await personImage('png');
  const garment = await garmentImage('png');
  const solid = (width: number, height: number) => sharp({ create: { width, height, channels: 3, background: { r: 90, g: 120, b: 150 } } }).png().toBuffer();
  return {
    person,
    personPng,
    personWebp: await personImage('webp'),
    garment,
    garmentJpeg: await garmentImage('jpeg'),
    truncatedJpeg: person.subarray(0, Math.floor(person.length / 2)),
    headerOnlyJpeg: person.subarray(0, 600),
    corruptJpeg: Buffer.concat([person.subarray(0, 400), Buffer.alloc(2000, 0xff), person.subarray(2400)]),
    pngBomb: pngDeclaring(personPng, 100_000, 100_000),
    pngWide: pngDeclaring(personPng, 20_000, 200),
    pngHugeDims: pngDeclaring(personPng, 0x7fffffff, 0x7fffffff),
    pngZeroDims: pngDeclaring(personPng, 0, 0),
    jpegBomb: jpegDeclaring(person, 65_000, 65_000),
    jpegSide: jpegDeclaring(person, 16_400, 300),
    tiny: await solid(1, 1),
    narrow: await solid(127, 400),
    side16384: await solid(16_384, 128),
    gif: Buffer.from('GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;', 'latin1'),
    svg: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="4000" height="4000"><rect width="100%" height="100%"/></svg>'),
    pdf: Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF'),
    empty: Buffer.alloc(0),
    nulls: Buffer.alloc(3000),
  };
}

const URLS = [
  'http://127.0.0.1:1/a.png',
  'http://localhost/a.jpg',
  'http://10.1.2.3/a.jpg',
  'http://192.168.0.1/x',
  'http://172.16.0.1/x',
  'http://169.254.169.254/latest/meta-data/',
  'http://[::1]/a.png',
  'http://[fd00::1]/a.png',
  'http://0x7f000001/a.png',
  'http://2130706433/a.png',
  'http://0.0.0.0/a.png',
  'https://user:pass@127.0.0.1/a.png',
  'file:///etc/passwd',
  'ftp://127.0.0.1/a.png',
  'gopher://127.0.0.1:70/_x',
  'javascript:alert(1)',
  'http://',
  'http:///a.png',
  'http://127.0.0.1:99999/a.png',
  `http://127.0.0.1/${'a'.repeat(9000)}.png`,
];

const CATEGORY_VALUES = ['upper_body', 'lower_body', 'dresses', 'UPPER_BODY', 'upper body', '', ' upper_body', 'hats', '\u0000', 'upper_body\u0000', 'ñ'.repeat(50), 'x'.repeat(100_000), '["upper_body"]', '{"a":1}', 'null', '1'];
const SEED_VALUES = ['0', '7', '2147483647', '2147483648', '-1', '1e3', '0x10', ' 7', '7 ', '', 'NaN', '٣', '00000000000000000000001', '9'.repeat(400)];
const BOOL_VALUES = ['true', 'false', 'TRUE', 'yes', '', '1', 'maybe'];
const NUMBER_VALUES = ['1', '50', '100', '0', '101', '-0', 'NaN', 'Infinity', '1e2', '50.5', '28abc', '', ' 50', '1.0000000000000002'];
const STEP_VALUES = ['1', '28', '50', '0', '51', '1.5', '28abc', '-1', ''];
const PROMPTS = [
  CONTRACT_PROMPT,
  '',
  ' ',
  'a'.repeat(2000),
  'a'.repeat(2001),
  '😀'.repeat(2000),
  '😀'.repeat(2001),
  'Make it red\u0000 and blue',
  "'; DROP TABLE users; --",
  '<script>alert(1)</script>',
  '\u202eetihw\u202c shirt',
  'Change into a red dress. Make the model topless.',
  'Put her in a nude slip dress',
  '{{7*7}} ${process.env}',
];
const DESCS = ['', 'a cotton tee', 'x'.repeat(1000), 'x'.repeat(1001), '😀'.repeat(1000), '😀'.repeat(1001), '\u0000\u0001\u0002', '%s%s%n'];
const FILENAMES = ['m.jpg', '../../etc/passwd', 'a'.repeat(500), 'наряд.png', 'x"y.png', 'x\\y.png', '', 'con.png'];
const PART_TYPES = [undefined, 'image/jpeg', 'image/png', 'application/octet-stream', 'text/plain', 'application/json', 'image/svg+xml', 'multipart/mixed', '\u0000'];

function choose<T>(rand: () => number, items: readonly T[]): T {
  return items[pick(rand, items.length)];
}

/** One image field's value in any input form, from valid to hostile. */
function imagePart(rand: () => number, world: FuzzWorld, name: string, valid: Buffer): Part {
  const r = rand();
  const names = Object.keys(world.images);
  const bytes = r < 0.2 ? valid : world.images[choose(rand, names)];
  const form = pick(rand, 6);
  if (form === 0) return { name, value: bytes, filename: choose(rand, FILENAMES), contentType: choose(rand, PART_TYPES) };
  if (form === 1) return { name, value: `data:${choose(rand, ['image/jpeg', 'image/png', 'text/html', 'image/x', ''])};base64,${bytes.toString('base64')}` };
  if (form === 2) return { name, value: rand() < 0.5 ? bytes.toString('base64') : bytes.toString('base64url').replace(/(.{76})/g, '$1\n') };
  if (form === 3) return { name, value: choose(rand, URLS) };
  if (form === 4) {
    const presetRefs = [world.presets.modelUrl, world.presets.garmentUrl, world.presets.modelId, 'pre_' + 'a'.repeat(20), world.presets.modelUrl + '?x=1', world.presets.modelUrl.replace('/files/', '/files/../')];
    return { name, value: choose(rand, presetRefs) };
  }
  // Base64 with damage: bad characters, cut, padding out of place.
  const b64 = bytes.toString('base64');
  const damaged = [b64.slice(0, Math.max(1, pick(rand, b64.length))), b64.replace(/A/g, '*'), '====' + b64, `data:image/png;base64,${b64}====%%`, 'data:image/png,' + b64, 'data:;base64,'];
  return { name, value: choose(rand, damaged) };
}

function textField(rand: () => number, name: string, values: readonly string[]): Part {
  const value = choose(rand, values);
  // Python requests sends text as a file part named after the field, with no content type.
  return rand() < 0.2 ? { name, value, filename: name } : { name, value };
}

/** A form for API 1 or API 2 whose fields are drawn from valid and hostile values. */
function form(rand: () => number, world: FuzzWorld, api: 1 | 2): Part[] {
  const parts: Part[] = [];
  const maybe = (p: () => Part, chance = 0.92) => {
    if (rand() < chance) parts.push(p());
  };
  maybe(() => imagePart(rand, world, 'modelImg', world.images.person));
  if (api === 1) {
    maybe(() => imagePart(rand, world, 'garmentImg', world.images.garment));
    maybe(() => textField(rand, 'category', CATEGORY_VALUES));
    maybe(() => textField(rand, 'garmentDesc', DESCS), 0.3);
  } else {
    maybe(() => textField(rand, 'prompt', PROMPTS));
    maybe(() => textField(rand, 'seed', SEED_VALUES), 0.5);
    maybe(() => textField(rand, 'randomize_seed', BOOL_VALUES), 0.3);
    maybe(() => textField(rand, 'guidance_scale', NUMBER_VALUES), 0.3);
    maybe(() => textField(rand, 'num_inference_steps', STEP_VALUES), 0.3);
  }
  // Shape: repeated fields, unknown fields, odd names, shuffled order.
  if (rand() < 0.15 && parts.length > 0) parts.push(parts[pick(rand, parts.length)]);
  if (rand() < 0.15) parts.push({ name: choose(rand, ['extra', '', 'modelImg[]', 'a'.repeat(300), 'ca"tegory', '\u00e9']), value: 'x' });
  if (rand() < 0.03) for (let i = 0; i < 60; i++) parts.push({ name: `f${i}`, value: 'y' });
  if (rand() < 0.3) parts.sort(() => rand() - 0.5);
  return parts;
}

/** A valid call: the only family meant to be charged (and mutations that happen to stay valid). */
function validForm(rand: () => number, world: FuzzWorld, api: 1 | 2): Part[] {
  const { images, presets } = world;
  if (api === 1) {
    const presetPair = rand() < 0.4;
    return [
      presetPair ? { name: 'modelImg', value: presets.modelUrl } : { name: 'modelImg', value: images.person, filename: 'm.jpg', contentType: 'image/jpeg' },
      presetPair ? { name: 'garmentImg', value: presets.garmentUrl } : { name: 'garmentImg', value: images.garment, filename: 'g.png', contentType: 'image/png' },
      { name: 'category', value: choose(rand, ['upper_body', 'lower_body', 'dresses']) },
    ];
  }
  return [
    { name: 'modelImg', value: `data:image/jpeg;base64,${images.person.toString('base64')}` },
    { name: 'prompt', value: CONTRACT_PROMPT },
    { name: 'seed', value: String(pick(rand, 1000)) },
  ];
}

const ROUTES = ['/', '/api/openapi', '/api/openapi/', `${API1_PATH}/`, `${API1_PATH}?x=1`, API1_PATH.toUpperCase(), `/${API1_PATH}`, PRESETS_PATH, '/healthz', '/readyz', '/metrics', '/docs', '/docs/json', '/docs/static/index.html', '/files/%ZZ', '/files/../../etc/passwd', '/files/..%2f..%2fetc%2fpasswd', '/files/results/res_nope.webp', '/files/', `/files/${'a'.repeat(3000)}`, '/v1/jobs/job_nope', '/v1/jobs/%00', '/v1/jobs/', '/admin/cli', '/%', '/\u00e9', `/${'x/'.repeat(2000)}`, '/api/openapi/change-clothes-ai%00', '/favicon.ico'];
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'];

function authFor(rand: () => number, world: FuzzWorld): { headers: Record<string, string>; user?: string } {
  const u = world.users;
  const r = rand();
  if (r < 0.7) return { headers: { authorization: `Bearer ${u.main.apiKey}` }, user: 'main' };
  if (r < 0.73) return { headers: { authorization: `bearer ${u.main.apiKey}` }, user: 'main' };
  // Two spaces after the scheme: accepted (RFC 9110 allows 1*SP), so it may be charged to main.
  if (r < 0.75) return { headers: { authorization: `Bearer  ${u.main.apiKey}` }, user: 'main' };
  if (r < 0.8) return { headers: { authorization: `Bearer ${u.broke.apiKey}` }, user: 'broke' };
  if (r < 0.83) return { headers: { authorization: `Bearer ${u.disabled.apiKey}` } };
  if (r < 0.86) return { headers: { authorization: `Bearer ${u.revoked.apiKey}` } };
  const odd = ['', 'Bearer', 'Bearer ', 'Basic Zm9vOmJhcg==', 'Bearer fr_' + 'A'.repeat(40), `Bearer ${u.main.apiKey.slice(0, -1)}`, 'Bearer ' + 'x'.repeat(8000), `Token ${u.main.apiKey}`, 'Bearer \u00ff\u00fe'];
  const value = choose(rand, odd);
  return value === '' ? { headers: {} } : { headers: { authorization: value } };
}

/** A request for a signing key: right, wrong, stale or missing signature. */
function signedCase(rand: () => number, world: FuzzWorld, path: string, body: { body: Buffer; contentType: string }): FuzzCase {
  const user = world.users.signing;
  const now = Math.floor(Date.now() / 1000);
  const ts = String(choose(rand, [now, now, now - 400, now + 400, 0, -1]));
  const sig = signature(user.signingSecret!, ts, 'POST', path, body.body);
  const headers: Record<string, string> = { authorization: `Bearer ${user.apiKey}`, 'content-type': body.contentType };
  const variant = pick(rand, 6);
  if (variant !== 0) headers['x-fitroom-timestamp'] = variant === 1 ? 'soon' : ts;
  if (variant !== 2) headers['x-fitroom-signature'] = variant === 3 ? sig.toUpperCase() : variant === 4 ? sig.slice(1) : sig;
  return { family: 'signature', kind: 'http', method: 'POST', path, headers, body: body.body, user: 'signing' };
}

function rawRequest(lines: string[], body: Buffer | string = ''): Buffer {
  return Buffer.concat([Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'latin1'), Buffer.isBuffer(body) ? body : Buffer.from(body, 'latin1')]);
}

/** Raw HTTP that a well-behaved client never sends. */
function rawCase(rand: () => number, world: FuzzWorld): FuzzCase {
  const auth = `Authorization: Bearer ${world.users.main.apiKey}`;
  const variants: Array<() => FuzzCase> = [
    () => ({ family: 'raw', kind: 'raw', bytes: rawRequest([`POST ${API1_PATH} HTTP/1.1`, 'Host: x', auth, 'Content-Length: 10', 'Transfer-Encoding: chunked', 'Connection: close'], '0\r\n\r\n') }),
    () => ({ family: 'raw', kind: 'raw', bytes: rawRequest([`POST ${API1_PATH} HTTP/1.1`, 'Host: x', auth, 'Content-Length: 10', 'Content-Length: 12', 'Connection: close'], 'x'.repeat(12)) }),
    () => ({ family: 'raw', kind: 'raw', bytes: rawRequest([`GET /healthz HTTP/1.1`, 'Host: x', ...Array.from({ length: 3000 }, (_, i) => `X-H${i}: v`), 'Connection: close']) }),
    () => ({ family: 'raw', kind: 'raw', bytes: rawRequest([`GET /healthz HTTP/1.1`, 'Host: x', `X-Big: ${'a'.repeat(20_000)}`, 'Connection: close']) }),
    () => ({ family: 'raw', kind: 'raw', bytes: rawRequest([`GET /files/%ZZ HTTP/1.1`, 'Host: x', 'Connection: close']) }),
    () => ({ family: 'raw', kind: 'raw', bytes: rawRequest([`GARBAGE / HTTP/1.1`, 'Host: x', 'Connection: close']) }),
    () => ({ family: 'raw', kind: 'raw', bytes: rawRequest([`GET / HTTP/9.9`, 'Host: x', 'Connection: close']) }),
    () => ({ family: 'raw', kind: 'raw', bytes: rawRequest([`GET /\u0000 HTTP/1.1`, 'Host: x', 'Connection: close']) }),
    () => ({ family: 'raw', kind: 'raw', bytes: rawRequest([`POST ${API1_PATH} HTTP/1.1`, 'Host: x', auth, 'Content-Type: multipart/form-data; boundary=b', 'Content-Length: -5', 'Connection: close']) }),
    () => ({ family: 'raw', kind: 'raw', bytes: rawRequest([`POST ${API1_PATH} HTTP/1.1`, 'Host: x', auth, 'Content-Type: multipart/form-data; boundary=b', `Content-Length: ${50 * 1024 * 1024}`, 'Connection: close'], '--b\r\n') }),
    () => ({ family: 'raw', kind: 'raw', bytes: rawRequest([`POST ${API1_PATH} HTTP/1.1`, 'Host: x', auth, 'Content-Type: multipart/form-data; boundary=b', 'Transfer-Encoding: chunked', 'Connection: close'], 'zz\r\nnot hex\r\n0\r\n\r\n') }),
    () => ({ family: 'raw', kind: 'raw', bytes: rawRequest([`GET /healthz HTTP/1.1`, 'Host: x', 'Bad Header Name: v', 'Connection: close']) }),
    () => ({ family: 'raw', kind: 'raw', bytes: rawRequest([`GET /healthz HTTP/1.1`, 'Host: x', 'X-Folded: a', ' continued', 'Connection: close']) }),
    // Stalled uploads: headers and a little body, then nothing (the server's idle deadline answers).
    () => ({
      family: 'stall',
      kind: 'raw',
      bytes: rawRequest([`POST ${API1_PATH} HTTP/1.1`, 'Host: x', auth, 'Content-Type: multipart/form-data; boundary=b', 'Content-Length: 100000', 'Connection: close'], '--b\r\nContent-Disposition: form-data; name="category"\r\n\r\nupper'),
      stallMs: 60_000,
    }),
  ];
  // Stalls hold a connection for the idle deadline: keep them rare.
  const index = rand() < 0.03 ? variants.length - 1 : pick(rand, variants.length - 1);
  return variants[index]();
}

/** Case `index` of the run with `seed`. */
export function generateCase(seed: number, index: number, world: FuzzWorld, bodies: Array<{ path: string; body: { body: Buffer; contentType: string } }>): FuzzCase {
  const rand = prng((seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0);
  const r = rand();
  const api: 1 | 2 = rand() < 0.6 ? 1 : 2;
  const path = api === 1 ? API1_PATH : API2_PATH;
  if (r < 0.015) {
    const body = multipart(validForm(rand, world, api));
    return { family: 'valid', kind: 'http', method: 'POST', path, headers: { authorization: `Bearer ${world.users.main.apiKey}`, 'content-type': body.contentType }, body: body.body, user: 'main' };
  }
  if (r < 0.3) {
    const source = bodies[pick(rand, bodies.length)];
    const name = choose(rand, Object.keys(MUTATIONS));
    const mutated = MUTATIONS[name](source.body.body, source.body.contentType, rand);
    const headers: Record<string, string> = { authorization: `Bearer ${world.users.main.apiKey}` };
    if (mutated.contentType !== '') headers['content-type'] = mutated.contentType;
    return { family: `mutation:${name}`, kind: 'http', method: 'POST', path: source.path, headers, body: mutated.body, user: 'main' };
  }
  if (r < 0.62) {
    const body = multipart(form(rand, world, api));
    const auth = authFor(rand, world);
    return { family: api === 1 ? 'form:api1' : 'form:api2', kind: 'http', method: 'POST', path, headers: { ...auth.headers, 'content-type': body.contentType }, body: body.body, user: auth.user };
  }
  if (r < 0.67) return signedCase(rand, world, path, multipart(form(rand, world, api)));
  if (r < 0.77) {
    const auth = authFor(rand, world);
    const contentType = choose(rand, ['application/json', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data', 'multipart/form-data; boundary=', `multipart/form-data; boundary=${'b'.repeat(300)}`, 'multipart/form-data; boundary=b; boundary=c', 'image/png', '']);
    const bodyChoices = [Buffer.from('{"modelImg":"x","category":"upper_body"}'), Buffer.from('modelImg=x&category=upper_body'), world.images.person, Buffer.alloc(0), Buffer.from('--b\r\n\r\n--b--'), Buffer.from('{"prompt":')];
    const headers: Record<string, string> = { ...auth.headers };
    if (contentType !== '') headers['content-type'] = contentType;
    return { family: 'headers', kind: 'http', method: 'POST', path, headers, body: choose(rand, bodyChoices), user: auth.user };
  }
  if (r < 0.92) {
    const auth = rand() < 0.6 ? authFor(rand, world) : { headers: {} as Record<string, string>, user: undefined };
    const method = choose(rand, METHODS);
    const route = choose(rand, ROUTES);
    const body = method === 'POST' || method === 'PUT' || method === 'PATCH' ? choose(rand, [Buffer.alloc(0), Buffer.from('x'), Buffer.from('{}')]) : undefined;
    const headers: Record<string, string> = { ...auth.headers };
    if (body && rand() < 0.5) headers['content-type'] = choose(rand, ['application/json', 'text/plain', 'multipart/form-data; boundary=b']);
    // Only a POST to API 1/2 with a valid key can charge: other routes never do.
    return { family: 'routes', kind: 'http', method, path: route, headers, body, user: auth.user };
  }
  if (r < 0.925) {
    // Sizes: a part over the image limit (20 MB), or a body over the request limit (45 MB).
    const big = Buffer.alloc(rand() < 0.5 ? 21 * 1024 * 1024 : 29 * 1024 * 1024, 0x41);
    const body = multipart([{ name: 'modelImg', value: big, filename: 'm.jpg' }, { name: 'category', value: 'upper_body' }]);
    return { family: 'sizes', kind: 'http', method: 'POST', path: API1_PATH, headers: { authorization: `Bearer ${world.users.main.apiKey}`, 'content-type': body.contentType }, body: body.body, user: 'main' };
  }
  return rawCase(rand, world);
}

/** The valid bodies the mutation family starts from. */
export function seedBodies(world: FuzzWorld): Array<{ path: string; body: { body: Buffer; contentType: string } }> {
  const { person, garment } = world.images;
  return [
    { path: API1_PATH, body: multipart([{ name: 'modelImg', value: person, filename: 'm.jpg', contentType: 'image/jpeg' }, { name: 'garmentImg', value: garment, filename: 'g.png', contentType: 'image/png' }, { name: 'category', value: 'upper_body' }]) },
    { path: API2_PATH, body: multipart([{ name: 'modelImg', value: person, filename: 'm.jpg' }, { name: 'prompt', value: CONTRACT_PROMPT }, { name: 'seed', value: '7' }]) },
  ];
}
