/**
 * Issue 10: an authenticated client that stops in the middle of its upload used to hold its
 * connection (and its buffered parts) open indefinitely. With short deadlines configured, a stalled
 * upload and one that trickles forever are both answered 408 with the envelope, then closed.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { API1_PATH, api1Parts, bearer, expectOk, multipart, post } from '../helpers/http.ts';
import { garmentImage, personImage } from '../helpers/images.ts';
import { createUser, showUser, startServer, type StartedServer, type TestUser } from '../helpers/server.ts';

const IDLE_MS = 600;
const TOTAL_MS = 2500;

let server: StartedServer;
let user: TestUser;
let model: Buffer;
let garment: Buffer;

before(async () => {
  server = await startServer({ env: { FITROOM_BODY_IDLE_TIMEOUT_MS: String(IDLE_MS), FITROOM_BODY_TIMEOUT_MS: String(TOTAL_MS) } });
  user = await createUser(server, { credits: 5 });
  model = await personImage('jpeg');
  garment = await garmentImage('jpeg');
});

after(async () => {
  await server?.stop();
});

interface RawAnswer {
  status: number;
  json: Record<string, unknown> | undefined;
  headers: string;
  /** ms from the first byte sent until the server closed the connection. */
  closedAfterMs: number;
}

/**
 * Sends the head and the first `sendBytes` of a body, then either stops (`trickleMs` 0) or sends one
 * more byte every `trickleMs`; resolves when the server closes the connection.
 */
function partialUpload(sendBytes: number, trickleMs: number): Promise<RawAnswer> {
  const { hostname, port } = new URL(server.url);
  const body = multipart(api1Parts(model, garment));
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    let timer: NodeJS.Timeout | undefined;
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', (err) => {
      if ((err as NodeJS.ErrnoException).code !== 'ECONNRESET' && (err as NodeJS.ErrnoException).code !== 'EPIPE') reject(err);
    });
    socket.on('close', () => {
      clearInterval(timer);
      const text = Buffer.concat(chunks).toString('utf8');
      const [head, ...rest] = text.split('\r\n\r\n');
      let json: Record<string, unknown> | undefined;
      try {
        json = JSON.parse(rest.join('\r\n\r\n')) as Record<string, unknown>;
      } catch {
        json = undefined;
      }
      resolve({ status: Number(head.split(' ')[1]), json, headers: head, closedAfterMs: performance.now() - started });
    });
    socket.write(
      `POST ${API1_PATH} HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer ${user.apiKey}\r\n` +
        `Content-Type: ${body.contentType}\r\nContent-Length: ${body.body.length}\r\n\r\n`,
    );
    socket.write(body.body.subarray(0, sendBytes));
    let next = sendBytes;
    if (trickleMs > 0) {
      timer = setInterval(() => {
        if (next < body.body.length - 1 && !socket.destroyed) socket.write(body.body.subarray(next, ++next));
      }, trickleMs);
    }
  });
}

describe('upload deadlines', () => {
  it('a client that stops mid-upload → 408 10004 after the idle deadline, connection closed, nothing charged', { timeout: 20_000 }, async () => {
    const before = await showUser(server, user.email);
    const answer = await partialUpload(4000, 0);
    assert.equal(answer.status, 408, answer.headers);
    assert.equal(answer.json?.code, 10004);
    assert.match(String(answer.json?.msg), /^INVALID_PARAM: body: .*stalled/);
    assert.match(answer.headers, /x-request-id: req_/i);
    assert.ok(answer.closedAfterMs >= IDLE_MS * 0.9 && answer.closedAfterMs < TOTAL_MS, `closed after ${Math.round(answer.closedAfterMs)} ms`);
    assert.equal((await showUser(server, user.email)).credits, before.credits);
  });

  it('a client that trickles one byte at a time forever → 408 10004 at the total deadline', { timeout: 20_000 }, async () => {
    const answer = await partialUpload(4000, 100);
    assert.equal(answer.status, 408, answer.headers);
    assert.equal(answer.json?.code, 10004);
    assert.match(String(answer.json?.msg), /took longer than/);
    assert.ok(answer.closedAfterMs >= TOTAL_MS * 0.9 && answer.closedAfterMs < TOTAL_MS + 3000, `closed after ${Math.round(answer.closedAfterMs)} ms`);
  });

  it('a normal upload is unaffected', async () => {
    expectOk(await post(server.url, API1_PATH, multipart(api1Parts(model, garment)), bearer(user.apiKey)));
  });
});
