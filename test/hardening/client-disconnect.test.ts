/**
 * Issue 10: a call whose client disconnected after sending its body still runs and is charged
 * (the work was done), and it used to leave no usage row and no log line. Every charged call now
 * has both: the log line says the client was gone, the usage row has HTTP status 499.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { API1_PATH, api1Parts, multipart } from '../helpers/http.ts';
import { garmentImage, personImage } from '../helpers/images.ts';
import { createUser, openDataDirDatabase, showUser, startServer, type StartedServer, type TestUser } from '../helpers/server.ts';

let server: StartedServer;
let user: TestUser;

before(async () => {
  server = await startServer();
  user = await createUser(server, { credits: 5 });
});

after(async () => {
  await server?.stop();
});

/** Sends a whole request, then closes the connection without reading the answer. */
async function sendAndHangUp(body: { body: Buffer; contentType: string }): Promise<void> {
  const { hostname, port } = new URL(server.url);
  await new Promise<void>((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(
        `POST ${API1_PATH} HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer ${user.apiKey}\r\n` +
          `Content-Type: ${body.contentType}\r\nContent-Length: ${body.body.length}\r\n\r\n`,
      );
      socket.write(body.body, () => {
        socket.destroy();
        resolve();
      });
    });
    socket.on('error', reject);
  });
}

describe('client disconnects', () => {
  it('a call whose client hung up is charged, logged once and has a usage row', { timeout: 60_000 }, async () => {
    // A large person photo so the call is still running when the client hangs up.
    const model = await personImage('png', { width: 2400, height: 3200 });
    await sendAndHangUp(multipart(api1Parts(model, await garmentImage('jpeg'))));

    const line = await server.waitForLog((l) => l.msg === 'api call' && l.keyId === user.keyId, 30_000);
    assert.equal(line.code, 200, JSON.stringify(line));
    assert.equal(line.status, 499);
    assert.equal(line.clientGone, true);
    assert.equal((await showUser(server, user.email)).credits, 4, 'the finished call was charged');
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(server.logs.filter((l) => l.msg === 'api call' && l.keyId === user.keyId).length, 1, 'exactly one log line');

    await server.stop({ keepData: true });
    const db = await openDataDirDatabase(server.dataDir);
    try {
      const rows = await db.query<{ id: string; status_code: number; code: number }>('SELECT id, status_code, code FROM requests WHERE key_id = $1', [user.keyId]);
      assert.equal(rows.rows.length, 1, 'one usage row');
      assert.equal(rows.rows[0].id, line.reqId);
      assert.equal(rows.rows[0].status_code, 499);
      assert.equal(rows.rows[0].code, 200);
    } finally {
      await db.close();
    }
  });
});
