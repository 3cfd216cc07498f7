/**
 * Issue 10 ("safe on the internet"), black-box against the real server: inputs a hostile or
 * careless client sends that used to end in a 500, a missing envelope, or a misleading message.
 * Every answer must be the contract's envelope with an X-Request-Id header.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import {
  API1_PATH,
  API2_PATH,
  api1Parts,
  api2Parts,
  bearer,
  expectError,
  expectOk,
  filePart,
  multipart,
  post,
  readResponse,
  textPart,
  type ApiResponse,
} from '../helpers/http.ts';
import { garmentImage, personImage } from '../helpers/images.ts';
import { createUser, releaseSharedServers, sharedServer, type StartedServer, type TestUser } from '../helpers/server.ts';

let server: StartedServer;
let user: TestUser;
let model: Buffer;
let garment: Buffer;

before(async () => {
  server = await sharedServer();
  user = await createUser(server, { credits: 50 });
  model = await personImage('jpeg');
  garment = await garmentImage('jpeg');
});

after(async () => {
  await releaseSharedServers();
});

/** Sends raw bytes on a fresh TCP connection and parses the HTTP answer (status, headers, JSON). */
function rawHttp(text: string): Promise<ApiResponse> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      const all = Buffer.concat(chunks).toString('latin1');
      const [head, ...rest] = all.split('\r\n\r\n');
      const lines = head.split('\r\n');
      const status = Number(lines[0].split(' ')[1]);
      const headers = new Headers();
      for (const line of lines.slice(1)) {
        const i = line.indexOf(':');
        if (i > 0) headers.set(line.slice(0, i).trim(), line.slice(i + 1).trim());
      }
      const body = rest.join('\r\n\r\n');
      let json: Record<string, unknown> | undefined;
      try {
        json = JSON.parse(body) as Record<string, unknown>;
      } catch {
        json = undefined;
      }
      resolve({ status, headers, json, text: body });
    });
    socket.end(text);
  });
}

describe('multipart framing', () => {
  it('a boundary longer than 252 characters → 10004 body, not 500', async () => {
    const boundary = 'b'.repeat(260);
    const body = `--${boundary}\r\nContent-Disposition: form-data; name="category"\r\n\r\nupper_body\r\n--${boundary}--\r\n`;
    const res = await post(server.url, API1_PATH, { body: Buffer.from(body), contentType: `multipart/form-data; boundary=${boundary}` }, bearer(user.apiKey));
    expectError(res, { status: 400, code: 10004, name: 'INVALID_PARAM', mentions: ['body', 'boundary'] });
  });

  it('a body cut off before its closing boundary → 10004 malformed body, not "required field is missing"', async () => {
    const full = multipart(api1Parts(model, garment));
    const cut = full.body.subarray(0, Math.floor(full.body.length / 2));
    const res = await post(server.url, API1_PATH, { body: cut, contentType: full.contentType }, bearer(user.apiKey));
    const msg = expectError(res, { status: 400, code: 10004, name: 'INVALID_PARAM', mentions: ['body', 'malformed'] });
    assert.doesNotMatch(msg, /required field is missing/);
  });

  it('a body with no boundary in it at all → 10004 malformed body', async () => {
    const res = await post(server.url, API1_PATH, { body: Buffer.from('just some text, no parts'), contentType: 'multipart/form-data; boundary=xyz' }, bearer(user.apiKey));
    expectError(res, { status: 400, code: 10004, name: 'INVALID_PARAM', mentions: ['body', 'malformed'] });
  });

  it('a prompt part declared application/json that is not JSON → 10004 naming prompt (not modelImg)', async () => {
    const parts = [filePart('modelImg', model, 'model.jpg', 'image/jpeg'), { name: 'prompt', value: 'not json {', contentType: 'application/json' }];
    const res = await post(server.url, API2_PATH, multipart(parts), bearer(user.apiKey));
    const msg = expectError(res, { status: 400, code: 10004, name: 'INVALID_PARAM', mentions: ['prompt', 'JSON'] });
    assert.doesNotMatch(msg, /modelImg/);
  });
});

describe('repeated fields', () => {
  it('two category parts → 10004 naming category', async () => {
    const parts = [...api1Parts(model, garment), textPart('category', 'dresses')];
    const res = await post(server.url, API1_PATH, multipart(parts), bearer(user.apiKey));
    expectError(res, { status: 400, code: 10004, name: 'INVALID_PARAM', mentions: ['category', 'more than once'] });
  });

  it('two modelImg parts → 10004 naming modelImg', async () => {
    const parts = [...api1Parts(model, garment), filePart('modelImg', model, 'again.jpg', 'image/jpeg')];
    const res = await post(server.url, API1_PATH, multipart(parts), bearer(user.apiKey));
    expectError(res, { status: 400, code: 10004, name: 'INVALID_PARAM', mentions: ['modelImg', 'more than once'] });
  });
});

describe('text lengths count characters (code points), not UTF-16 units', () => {
  it('garmentDesc of 501 emoji is accepted; 1,001 emoji are refused as 1001 characters', async () => {
    const ok = await post(server.url, API1_PATH, multipart(api1Parts(model, garment, { garmentDesc: textPart('garmentDesc', '👕'.repeat(501)) })), bearer(user.apiKey));
    expectOk(ok);
    const tooLong = await post(server.url, API1_PATH, multipart(api1Parts(model, garment, { garmentDesc: textPart('garmentDesc', '👕'.repeat(1001)) })), bearer(user.apiKey));
    expectError(tooLong, { status: 400, code: 10004, name: 'INVALID_PARAM', mentions: ['garmentDesc', '1001 characters'] });
  });

  it('a prompt of 1,500 emoji is within the 2,000-character limit', async () => {
    const res = await post(server.url, API2_PATH, multipart(api2Parts(await personImage('png'), { prompt: `blue shirt ${'🙂'.repeat(1500)}`, seed: '1' })), bearer(user.apiKey));
    // The test engine accepts any prompt; what matters is that the length check passes.
    expectOk(res);
  });
});

describe('errors outside the routes keep the envelope and X-Request-Id', () => {
  it('GET /files/%ZZ (a bad percent escape) → 10004 envelope with X-Request-Id', async () => {
    const res = await readResponse(await fetch(`${server.url}/files/%ZZ`));
    expectError(res, { status: 400, code: 10004, name: 'INVALID_PARAM' });
    assert.match(res.headers.get('x-request-id') ?? '', /^req_/);
  });

  it('Content-Length together with Transfer-Encoding: chunked → 10004 envelope with X-Request-Id', async () => {
    const res = await rawHttp(
      `POST ${API1_PATH} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${user.apiKey}\r\nContent-Type: multipart/form-data; boundary=x\r\n` +
        'Content-Length: 5\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n0\r\n\r\n',
    );
    expectError(res, { status: 400, code: 10004, name: 'INVALID_PARAM' });
    assert.match(res.headers.get('x-request-id') ?? '', /^req_/);
  });

  it('two different Content-Length headers → 10004 envelope with X-Request-Id', async () => {
    const res = await rawHttp(`GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\nConnection: close\r\n\r\nab`);
    expectError(res, { status: 400, code: 10004, name: 'INVALID_PARAM' });
    assert.match(res.headers.get('x-request-id') ?? '', /^req_/);
  });
});
