/**
 * SIGTERM with keep-alive clients. Node's server.close() closes the connections idle at that
 * moment and waits for every other one to end; a connection whose answer was still under way went
 * back to keep-alive once the answer was written, and a client that keeps idle connections (fetch,
 * an http.Agent with keepAlive, a proxy's upstream pool) held the process open until it let go or
 * the server's 72 s keep-alive timeout passed: a container is SIGKILLed before that. (Seen in
 * test/conformance/presets-cache-determinism.test.ts, whose last file download was sometimes still
 * being written when the SIGTERM came: the server was killed 20 s later.)
 *
 * Two requests under way when the SIGTERM comes, both on connections the client keeps open: an
 * upload not yet answered, and a file download whose headers are out and whose body the client is
 * not reading yet. Both complete, the server closes both connections, and the process exits 0.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { Agent, request as httpRequest, type IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, it } from 'node:test';
import sharp from 'sharp';
import { API1_PATH, api1Parts, bearer, multipart } from '../helpers/http.ts';
import { garmentImage, personImage } from '../helpers/images.ts';
import { createUser, startServer, type StartedServer, type TestUser } from '../helpers/server.ts';

let server: StartedServer;
let user: TestUser;
/** A preset image larger than the socket buffers hold, so its download cannot finish unread. */
let big: Buffer;
let bigUrl: string;

before(async () => {
  server = await startServer();
  user = await createUser(server, { credits: 5 });
  // Noise does not compress: 2048x2048 RGB is a ~12 MB PNG.
  const side = 2048;
  big = await sharp(randomBytes(side * side * 3), { raw: { width: side, height: side, channels: 3 } }).png({ compressionLevel: 1 }).toBuffer();
  assert.ok(big.length > 10 * 1024 * 1024, `the preset is ${big.length} bytes`);
  const preset = await server.admin({ name: 'presets add', kind: 'model', bytesBase64: big.toString('base64') });
  bigUrl = String(preset.url);
});

after(async () => {
  if (server && server.process.exitCode === null && server.process.signalCode === null) await server.stop();
});

/** Resolves once the server no longer accepts connections (its listening socket is closed). */
async function untilRefused(url: string): Promise<void> {
  const { hostname, port } = new URL(url);
  for (;;) {
    const refused = await new Promise<boolean>((resolve) => {
      const socket: Socket = connect(Number(port), hostname);
      socket.once('connect', () => {
        socket.destroy();
        resolve(false);
      });
      socket.once('error', () => resolve(true));
    });
    if (refused) return;
    await sleep(50);
  }
}

it('SIGTERM with an upload and a download under way on keep-alive connections: both complete, the server closes both connections and exits 0', async () => {
  // A client that keeps idle connections open for as long as the server's Keep-Alive hint allows.
  const agent = new Agent({ keepAlive: true, maxSockets: 2 });
  const closed: Array<Promise<unknown>> = [];
  const track = (req: ReturnType<typeof httpRequest>) => req.on('socket', (socket) => closed.push(once(socket, 'close')));

  // The download: headers received, body left unread for now.
  const download = httpRequest(bigUrl, { agent });
  track(download);
  download.end();
  const [downloadRes] = (await once(download, 'response')) as [IncomingMessage];
  assert.equal(downloadRes.statusCode, 200);
  downloadRes.pause();

  // The upload: half the body on the wire once the server has taken the request (its 100 Continue
  // comes as it hands the request to the app), so the SIGTERM cannot come before that.
  const body = multipart(api1Parts(await personImage('jpeg'), await garmentImage('jpeg')));
  const half = Math.floor(body.body.length / 2);
  const upload = httpRequest(server.url + API1_PATH, {
    method: 'POST',
    agent,
    headers: { ...bearer(user.apiKey), 'content-type': body.contentType, 'content-length': String(body.body.length), expect: '100-continue' },
  });
  track(upload);
  const uploadRes = new Promise<{ status: number; connection: string | undefined; text: string }>((resolve, reject) => {
    upload.on('response', (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, text: Buffer.concat(chunks).toString() }));
    });
    upload.on('error', reject);
  });
  await once(upload, 'continue');
  await new Promise<void>((resolve, reject) => upload.write(body.body.subarray(0, half), (err) => (err ? reject(err) : resolve())));

  server.process.kill('SIGTERM');
  await untilRefused(server.url);
  // Shutdown has begun; now both requests go on.
  upload.end(body.body.subarray(half));
  const chunks: Buffer[] = [];
  downloadRes.on('data', (c: Buffer) => chunks.push(c));
  downloadRes.resume();
  await once(downloadRes, 'end');
  assert.ok(Buffer.concat(chunks).equals(big), 'the download is complete');
  const uploaded = await uploadRes;
  assert.equal(uploaded.status, 200, uploaded.text);
  assert.equal((JSON.parse(uploaded.text) as { code: number }).code, 200);
  assert.equal(uploaded.connection, 'close', 'an answer begun after SIGTERM tells the client the connection ends');

  // The agent keeps both connections; only the server can close them. An unref'd timer: once the
  // process has exited, it does not hold this file open.
  const exit = await Promise.race([server.exited, sleep(20_000, undefined, { ref: false }).then(() => 'timeout' as const)]);
  assert.notEqual(exit, 'timeout', 'the process exited within 20 s of SIGTERM');
  assert.deepEqual(exit, { code: 0, signal: null });
  assert.equal(closed.length, 2);
  await Promise.all(closed);
  agent.destroy();
});
