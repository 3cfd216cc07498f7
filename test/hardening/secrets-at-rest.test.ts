/**
 * Issue 10: signing secrets are stored sealed (AES-GCM) under a server key: DATA_DIR/secret.key,
 * generated on the first start, or FITROOM_SECRET_KEY. Plaintext rows of earlier versions are
 * sealed at the next start; a new FITROOM_SECRET_KEY re-seals rows under it (rotation).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { PGlite } from '@electric-sql/pglite';
import { API1_PATH, api1Parts, expectOk, multipart, post, signedHeaders } from '../helpers/http.ts';
import { garmentImage, personImage } from '../helpers/images.ts';
import { createUser, openDataDirDatabase, startServer, type StartedServer, type TestUser } from '../helpers/server.ts';

let server: StartedServer;
let user: TestUser;
let model: Buffer;
let garment: Buffer;
let dataDir: string;

before(async () => {
  server = await startServer();
  dataDir = server.dataDir;
  user = await createUser(server, { credits: 10, signing: true });
  model = await personImage('jpeg');
  garment = await garmentImage('jpeg');
});

after(async () => {
  if (server && server.process.exitCode === null && server.process.signalCode === null) await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function signedCall(): Promise<void> {
  const body = multipart(api1Parts(model, garment));
  expectOk(await post(server.url, API1_PATH, body, signedHeaders(user.apiKey, user.signingSecret!, API1_PATH, body)));
}

/** Runs `work` on the stopped server's database. */
async function withDatabase<T>(work: (db: PGlite) => Promise<T>): Promise<T> {
  const db = await openDataDirDatabase(dataDir);
  try {
    return await work(db);
  } finally {
    await db.close();
  }
}

const storedSecret = (db: PGlite) =>
  db.query<{ signing_secret: string }>('SELECT signing_secret FROM api_keys WHERE id = $1', [user.keyId]).then((r) => r.rows[0].signing_secret);

describe('signing secrets at rest', () => {
  it('are sealed under a generated key file (mode 0600), and signed calls work', { timeout: 120_000 }, async () => {
    await signedCall();
    await server.stop({ keepData: true });
    assert.equal(statSync(join(dataDir, 'secret.key')).mode & 0o777, 0o600);
    const stored = await withDatabase(storedSecret);
    assert.match(stored, /^enc1\.[0-9a-f]{8}\./);
    assert.ok(!stored.includes(user.signingSecret!), 'the secret itself is not stored');
  });

  it('a plaintext row from an earlier version is sealed at the next start and keeps working', { timeout: 120_000 }, async () => {
    await withDatabase((db) => db.query('UPDATE api_keys SET signing_secret = $1 WHERE id = $2', [user.signingSecret, user.keyId]));
    server = await startServer({ dataDir });
    const line = await server.waitForLog((l) => l.msg === 'signing secrets sealed under the current server key');
    assert.equal(line.sealed, 1);
    await signedCall();
    await server.stop({ keepData: true });
    assert.match(await withDatabase(storedSecret), /^enc1\./);
  });

  it('rotation: a new FITROOM_SECRET_KEY re-seals rows under it; the old key file stays readable', { timeout: 120_000 }, async () => {
    const before = await withDatabase(storedSecret);
    server = await startServer({ dataDir, env: { FITROOM_SECRET_KEY: randomBytes(32).toString('base64') } });
    assert.equal((await server.waitForLog((l) => l.msg === 'signing secrets sealed under the current server key')).sealed, 1);
    await signedCall();
    await server.stop({ keepData: true });
    const after = await withDatabase(storedSecret);
    assert.match(after, /^enc1\./);
    assert.notEqual(after.split('.')[1], before.split('.')[1], 'sealed under another key');
  });
});
