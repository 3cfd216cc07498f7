/**
 * Issue 10, faults: an engine worker that dies in the middle of a job, a storage write that fails,
 * a client that hangs up in the middle of its upload, and a SIGKILL of the server in the middle of
 * a flood. Each ends with a clean error (the envelope, no internals) or a finished call, never a
 * charge without a result, never a credit reserved for ever, and a usage row for every charge.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { connect } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildApp, type App } from '../../src/api/app.ts';
import { loadConfig } from '../../src/config/index.ts';
import type { Database } from '../../src/db/database.ts';
import { createLocalQueue } from '../../src/queue/local.ts';
import type { JobQueue } from '../../src/queue/types.ts';
import { createFileObjectStore } from '../../src/storage/files.ts';
import type { ObjectStore } from '../../src/storage/object-store.ts';
import { createPublicUrls } from '../../src/storage/public-urls.ts';
import { API1_PATH, api1Parts, assertNoInternals, bearer, multipart } from '../helpers/http.ts';
import { garmentImage, personImage } from '../helpers/images.ts';
import { createUser, openDataDirDatabase, showUser, startServer } from '../helpers/server.ts';
import { multipartBody, openTestDatabase, type TestPart } from '../service/helpers.ts';

const HAZARD_ENGINE = new URL('../queue/fixtures/hazard-engine.ts', import.meta.url);

describe('faults inside one process (real queue and store, injected hazards)', () => {
  let db: Database;
  let dataDir: string;
  let queue: JobQueue;
  let app: App;
  let model: Buffer;
  let garment: Buffer;
  /** When set, every store write fails with this error (as a full or read-only disk would). */
  let storeFault: Error | null = null;

  before(async () => {
    db = await openTestDatabase();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fitroom-faults-'));
    model = await personImage('jpeg');
    garment = await garmentImage('png');
    // The hazard engine acts on garmentDesc: 'exit' ends its worker thread in the middle of the job,
    // 'throw-async' kills it with an uncaught exception.
    queue = createLocalQueue({ engineId: 'hazard', workers: 1, maxQueued: 8, engineModuleUrl: HAZARD_ENGINE });
    const files = createFileObjectStore(path.join(dataDir, 'objects'));
    const store: ObjectStore = {
      put: async (key, bytes, type) => {
        if (storeFault) throw storeFault;
        return files.put(key, bytes, type);
      },
      get: (key) => files.get(key),
      delete: (key) => files.delete(key),
    };
    const config = loadConfig({ FITROOM_ENGINE: 'test', FITROOM_DATA_DIR: dataDir, LOG_LEVEL: 'silent', FITROOM_WORKERS: '1', FITROOM_MODERATION: 'false' });
    app = await buildApp({ config, db, queue, store, urls: createPublicUrls('http://fitroom.test'), logger: false });
    await app.app.ready();
  });
  after(async () => {
    await app.app.close();
    await queue.close();
    await db.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function call(parts: TestPart[], auth: Record<string, string>) {
    const body = multipartBody(parts);
    const res = await app.app.inject({ method: 'POST', url: API1_PATH, payload: body.payload, headers: { 'content-type': body.contentType, ...auth } });
    return { status: res.statusCode, json: res.json() as { code: number; msg: string }, raw: res.body, requestId: res.headers['x-request-id'] };
  }
  const parts = (garmentDesc?: string): TestPart[] => [
    { name: 'modelImg', value: model, filename: 'm.jpg' },
    { name: 'garmentImg', value: garment, filename: 'g.png' },
    { name: 'category', value: 'upper_body' },
    ...(garmentDesc ? [{ name: 'garmentDesc', value: garmentDesc }] : []),
  ];
  async function user(email: string) {
    const u = await app.services.users.create(email);
    await app.services.credits.grant(u.id, 5);
    const key = await app.services.keys.create(u.id);
    return { id: u.id, auth: { authorization: `Bearer ${key.apiKey}` } };
  }
  async function expectUntouched(userId: string, balance: number) {
    const u = (await app.services.users.getById(userId))!;
    assert.equal(u.balance, balance);
    assert.equal(u.reserved, 0, 'nothing left reserved');
    assert.equal(await app.services.users.ledgerSum(userId), balance);
    const charges = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM credit_ledger WHERE user_id = $1 AND kind = 'charge'", [userId]);
    return charges.rows[0].n;
  }

  it('an engine worker that dies mid-job: a clean 500, no charge, and the next call is served by a fresh worker', { timeout: 120_000 }, async () => {
    const u = await user('worker-dies@example.com');
    for (const hazard of ['exit', 'throw-async']) {
      const res = await call(parts(hazard), u.auth);
      assert.equal(res.status, 500, res.raw);
      assert.equal(res.json.code, 500);
      assert.match(res.json.msg, /^SERVER_ERROR: \S/);
      assert.match(String(res.requestId), /^req_/);
      assertNoInternals(res.raw);
      assert.doesNotMatch(res.raw, /worker|exit|uncaught/i, 'the worker\'s failure stays in the logs');
      assert.equal(await expectUntouched(u.id, 5), 0, 'no charge for a call without a result');
    }
    const ok = await call(parts(), u.auth);
    assert.equal(ok.status, 200, ok.raw);
    assert.equal(await expectUntouched(u.id, 4), 1);
  });

  it('a storage write that fails: a clean 500 without the path, no charge, nothing cached', { timeout: 60_000 }, async () => {
    const u = await user('store-fails@example.com');
    storeFault = Object.assign(new Error(`ENOSPC: no space left on device, open '${dataDir}/objects/results/x.webp'`), { code: 'ENOSPC' });
    try {
      const res = await call(parts(), u.auth);
      assert.equal(res.status, 500, res.raw);
      assert.equal(res.json.code, 500);
      assertNoInternals(res.raw);
      assert.doesNotMatch(res.raw, /ENOSPC|objects|\.webp/, 'no storage detail reaches the client');
      assert.equal(await expectUntouched(u.id, 5), 0);
    } finally {
      storeFault = null;
    }
    const ok = await call(parts(), u.auth);
    assert.equal(ok.status, 200, ok.raw);
    assert.equal(await expectUntouched(u.id, 4), 1);
  });
});

describe('faults of a running server', () => {
  let dataDir: string | null = null;
  after(() => {
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('a client that hangs up mid-upload costs nothing; SIGKILL mid-flood, then a restart: nothing reserved, every charge has a result and a usage row', { timeout: 300_000 }, async () => {
    let server = await startServer();
    dataDir = server.dataDir;
    const user = await createUser(server, { credits: 100 });
    const { hostname, port } = new URL(server.url);

    // Half an upload, then the connection closes.
    const big = multipart(api1Parts(await personImage('png', { width: 1200, height: 1600 }), await garmentImage('jpeg')));
    await new Promise<void>((resolve, reject) => {
      const socket = connect(Number(port), hostname, () => {
        socket.write(`POST ${API1_PATH} HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer ${user.apiKey}\r\nContent-Type: ${big.contentType}\r\nContent-Length: ${big.body.length}\r\n\r\n`);
        socket.write(big.body.subarray(0, big.body.length >> 1), () => {
          socket.destroy();
          resolve();
        });
      });
      socket.on('error', reject);
    });
    await new Promise((r) => setTimeout(r, 500));
    let state = await showUser(server, user.email);
    assert.deepEqual([state.credits, state.reserved], [100, 0], 'a cut upload reserves and charges nothing');
    assert.equal((await fetch(`${server.url}/healthz`)).status, 200);

    // A flood of calls with distinct images (no cache, no coalescing), killed while they run.
    const bodies = await Promise.all(Array.from({ length: 10 }, async (_, i) => multipart(api1Parts(await personImage('jpeg', undefined, i + 1), await garmentImage('png')))));
    const answers: Promise<number>[] = bodies.map((b) =>
      fetch(server.url + API1_PATH, { method: 'POST', headers: { ...bearer(user.apiKey), 'content-type': b.contentType }, body: new Uint8Array(b.body) }).then(
        (r) => r.status,
        () => 0,
      ),
    );
    // Kill once at least one call has been charged (some done, others still in flight).
    const deadline = Date.now() + 60_000;
    while ((await showUser(server, user.email)).credits === 100 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    server.process.kill('SIGKILL');
    await server.exited;
    const statuses = await Promise.all(answers);
    const answered200 = statuses.filter((s) => s === 200).length;

    server = await startServer({ dataDir });
    state = await showUser(server, user.email);
    assert.equal(state.reserved, 0, 'reservations of the killed calls were released at the restart');
    assert.equal(state.ledgerSum, state.credits, 'the ledger still sums to the balance');
    const charged = 100 - state.credits;
    assert.ok(charged >= answered200, `every answered success was charged (${charged} charges, ${answered200} answered 200)`);
    assert.ok(charged <= bodies.length, 'at most one charge per call');
    // The server works after the restart.
    const again = await fetch(server.url + API1_PATH, { method: 'POST', headers: { ...bearer(user.apiKey), 'content-type': bodies[0].contentType }, body: new Uint8Array(bodies[0].body) });
    assert.equal(again.status, 200);

    await server.stop({ keepData: true });
    const db = await openDataDirDatabase(dataDir);
    try {
      const orphans = await db.query<{ request_id: string }>(
        "SELECT l.request_id FROM credit_ledger l WHERE l.kind = 'charge' AND NOT EXISTS (SELECT 1 FROM requests r WHERE r.id = l.request_id)",
      );
      assert.deepEqual(orphans.rows, [], 'every charge has its usage row, even the ones the kill cut short');
      const results = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM credit_ledger l JOIN users u ON u.id = l.user_id WHERE u.email = $1 AND l.kind = 'charge'", [user.email]);
      assert.equal(results.rows[0].n, charged + 1);
      const held = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM reservations WHERE status = 'held'");
      assert.equal(held.rows[0].n, 0);
    } finally {
      await db.close();
    }
  });
});
